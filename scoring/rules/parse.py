"""campaign.yaml → Rules: YAML read with exact decimals, the model validated, the rule checks
run; every problem named by file, line and key (``CampaignError``)."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scoring.core.errors import CampaignError, Problem
from scoring.core.text import decode_text
from scoring.rules.check import check_rules
from scoring.rules.model import Rules

# --------------------------------------------------------------------------- YAML


# libyaml's parser when PyYAML has it (its wheels do): several times faster than pure Python
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DecimalLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that reads YAML floats as Decimal, exactly as written."""


def _decimal_constructor(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    if text.lower() in (".nan", ".inf", "+.inf", "-.inf"):
        raise yaml.constructor.ConstructorError(None, None, f"{text} is not a usable number", node.start_mark)
    return Decimal(text)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_constructor)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line in the YAML text of the item at a pydantic error location."""
    line = None if node is None else node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        else:
            child = None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _loc_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def parse_rules(text: str, file: str = "campaign.yaml") -> Rules:
    """Parse and check campaign.yaml; raise CampaignError listing every problem."""
    try:
        data = yaml.load(text, Loader=_DecimalLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise CampaignError(
            [Problem(file, mark.line + 1 if mark else None, None, "yaml_syntax", {"detail": problem})]
        ) from None
    if not isinstance(data, dict):
        raise CampaignError([Problem(file, 1, None, "yaml_not_mapping", {})])
    # the node tree, for the line of a problem: composed only when there is one
    node = functools.cache(lambda: yaml.compose(text, Loader=_SafeLoader))
    try:
        rules = Rules.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                file,
                _line_of(node(), tuple(err["loc"])),
                _loc_text(tuple(err["loc"])),
                "rule_invalid",
                {"detail": err["msg"], "got": _short(err.get("input"))},
            )
            for err in exc.errors()
        ]
        raise CampaignError(problems) from None
    problems = check_rules(rules, file, lambda loc: _line_of(node(), loc))
    if problems:
        raise CampaignError(problems)
    return rules


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def load_rules(folder: Path) -> Rules:
    path = folder / "campaign.yaml"
    if not path.is_file():
        raise CampaignError([Problem("campaign.yaml", None, None, "file_missing", {})])
    return parse_rules(decode_text(path.read_bytes(), "campaign.yaml"))
