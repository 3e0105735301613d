"""The dashboard's labels in the user's language, read from the one catalogue (``scoring.core.i18n``)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.core.i18n import CATALOGUE
from scoring.core.i18n import t as engine_t

# the one catalogue (scoring/locale/*.yaml): the dashboard's labels are among its keys
LABELS: dict[str, dict[str, str]] = CATALOGUE


def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in ("zh", "en") else "zh"


def L(key: str, **params: Any) -> str:
    entry = LABELS.get(key)
    if entry is None:
        return engine_t(key, lang(), **params)
    text = entry.get(lang()) or entry["zh"]
    return text.format(**params) if params else text


def export_labels() -> dict[str, str]:
    """The labels the payout Excel export needs, in the current language."""
    return {k[2:]: L(k) for k in LABELS if k.startswith("x.")}


def headers(columns: list[str]) -> dict[str, str]:
    """Column names → their labels, where the catalogue has one ("col.<name>")."""
    return {c: L(f"col.{c}") for c in columns if f"col.{c}" in LABELS}
