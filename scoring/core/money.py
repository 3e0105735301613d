"""Exact money and number formatting: fen integers, fractions, plain decimal text."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def div_half_away(num: int, den: int) -> int:
    """num / den rounded half away from zero (四舍五入), den > 0."""
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return q if num >= 0 else -q


def ratio_decimal(num: int, den: int, places: int) -> Decimal:
    """The fraction num / den as a Decimal rounded half away from zero to ``places``."""
    return Decimal(div_half_away(num * 10**places, den)).scaleb(-places)


def plain(x: Decimal | int | None) -> str:
    """A number written plainly: 92.50 -> 92.5, 150000.00 -> 150000, no exponent."""
    if x is None:
        return ""
    d = Decimal(x)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(plain(obj))
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj


def dumps(obj: Any, indent: int | None = None) -> str:
    """JSON with Decimals written as plain numbers (integers where they are whole)."""
    return json.dumps(_jsonable(obj), ensure_ascii=False, indent=indent)
