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


MAX_YAML_CHARS = 1_000_000  # a campaign's rules are a few kB
MAX_YAML_DEPTH = 64  # nested [ or {: libyaml's parser crashes near 30,000
MAX_YAML_NODES = 100_000  # nodes once every alias is expanded ("billion laughs")


def _flow_depth(text: str) -> int:
    """The deepest nesting of flow brackets ([ and {) outside quotes and comments."""
    depth = deepest = 0
    quote = ""
    comment = False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def _expanded_nodes(root: yaml.Node | None) -> int:
    """How many nodes the document has with every alias expanded (shared nodes counted each
    time they are reached), computed on the composed graph without expanding it."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = 1  # a recursive alias counts once
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = min(total, MAX_YAML_NODES + 1)
        return sizes[id(node)]

    return 0 if root is None else size(root)


def _check_bounds(text: str, file: str) -> None:
    """Refuse, before the YAML parser sees it, a text that could take it (or the server) down."""
    limit = None
    if len(text) > MAX_YAML_CHARS:
        limit = ("yaml_too_large", {"n": len(text), "limit": MAX_YAML_CHARS})
    elif _flow_depth(text) > MAX_YAML_DEPTH:
        limit = ("yaml_too_deep", {"limit": MAX_YAML_DEPTH})
    elif "*" in text:  # an alias may expand: count the nodes it reaches without expanding
        try:
            root = yaml.compose(text, Loader=_SafeLoader)
        except yaml.YAMLError:
            return  # the parser names the syntax error next
        try:
            too_many = _expanded_nodes(root) > MAX_YAML_NODES
        except RecursionError:
            too_many = True
        if too_many:
            limit = ("yaml_aliases", {"limit": MAX_YAML_NODES})
    if limit is not None:
        raise CampaignError([Problem(file, None, None, limit[0], limit[1])])


def parse_rules(text: str, file: str = "campaign.yaml") -> Rules:
    """Parse and check campaign.yaml; raise CampaignError listing every problem."""
    _check_bounds(text, file)
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
                *_rule_problem(err),
            )
            for err in exc.errors()
        ]
        # the rule checks too, in the same round, on the rules with the broken parts set aside
        problems += _checks_beside(data, exc, file, lambda loc: _line_of(node(), loc))
        raise CampaignError(problems) from None
    problems = check_rules(rules, file, lambda loc: _line_of(node(), loc))
    if problems:
        raise CampaignError(problems)
    return rules


# a list item whose fields are wrong is stood in for by a neutral one of the same id (so that
# what refers to it still finds it) while the rest of the rules are checked
_STAND_INS = {
    "indicators": lambda item, k: {"id": _id_of(item, "id", k), "name": "_", "kind": "score", "points": 1},
    "categories": lambda item, k: {"id": _id_of(item, "id", k), "name": "_"},
    "stars": lambda item, k: {"stars": 1000 + k, "min_score": 0},
    "surveys": lambda item, k: {"indicator": _id_of(item, "indicator", k), "scale": [0, 1]},
    "sources": lambda item, k: {
        "id": _id_of(item, "id", k),
        **dict.fromkeys(("name", "department", "unit_column"), "_"),
        "columns": [{"column": "_", "indicator": "_"}],
    },
}


def _id_of(item: Any, key: str, k: int) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, str) and value.strip() == value and value else f"_{k}"


def _checks_beside(data: dict[str, Any], exc: ValidationError, file: str, locate: Any) -> list[Problem]:
    """The rule checks' problems of the parts pydantic did not refuse: an unknown key is set
    aside, a broken list item (an indicator, a category, a star level, a survey) is stood in
    for, a broken optional field is left out; what lies inside a part set aside is not
    reported twice. Nothing when the rules cannot be completed that way (a required part is
    missing or malformed)."""
    import copy

    fixed = copy.deepcopy(data)
    aside: list[str] = []
    for _ in range(3):
        for err in exc.errors():
            loc = tuple(err["loc"])
            if not _set_aside(fixed, loc, err["type"] == "extra_forbidden"):
                return []
            aside.append(".".join(str(k) for k in (loc[:2] if loc and loc[0] in _STAND_INS else loc)))
        try:
            rules = Rules.model_validate(fixed)
        except ValidationError as again:
            exc = again
            continue
        return [
            p
            for p in check_rules(rules, file, locate)
            if not any(p.column and (p.column == a or p.column.startswith(a + ".")) for a in aside)
        ]
    return []


def _set_aside(data: Any, loc: tuple[Any, ...], extra: bool) -> bool:
    """Set the part at ``loc`` aside in ``data`` (see _checks_beside); False when it cannot be."""
    if len(loc) >= 2 and loc[0] in _STAND_INS and isinstance(loc[1], int) and not extra:
        items = data.get(loc[0])
        if isinstance(items, list) and loc[1] < len(items):
            items[loc[1]] = _STAND_INS[loc[0]](items[loc[1]], loc[1])
            return True
        return False
    parent = data
    for key in loc[:-1]:
        parent = parent[key] if isinstance(parent, dict | list) and _has(parent, key) else None
        if parent is None:
            return False
    if not (extra or len(loc) >= 2) or not isinstance(parent, dict) or loc[-1] not in parent:
        return False  # a required top-level part: nothing to stand in for it
    del parent[loc[-1]]
    return True


def _has(container: Any, key: Any) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(key, int) and 0 <= key < len(container)


# pydantic's error types this format meets, each with a message of the catalogue (in Chinese by
# default); any other keeps pydantic's own words under rule_invalid
_RULE_ERRORS = {
    "extra_forbidden": "rule_extra",
    "missing": "rule_missing",
    "literal_error": "rule_choice",
    "int_parsing": "rule_integer",
    "int_type": "rule_integer",
    "int_from_float": "rule_integer",
    "decimal_parsing": "rule_number",
    "decimal_type": "rule_number",
    "string_type": "rule_text",
    "list_type": "rule_list",
    "dict_type": "rule_mapping",
    "model_type": "rule_mapping",
    "too_short": "rule_too_short",
    "greater_than_equal": "rule_at_least",
}


def _rule_problem(err: Any) -> tuple[str, dict[str, Any]]:
    """A pydantic error as a problem code and its parameters, in the catalogue's words."""
    code = _RULE_ERRORS.get(err["type"])
    ctx = err.get("ctx") or {}
    got = _short(err.get("input"))
    if code is None:
        return "rule_invalid", {"detail": err["msg"], "got": got}
    expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    return code, {"got": got, "expected": expected, "ge": ctx.get("ge", ""), "min": ctx.get("min_length", "")}


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def load_rules(folder: Path) -> Rules:
    path = folder / "campaign.yaml"
    if not path.is_file():
        raise CampaignError([Problem("campaign.yaml", None, None, "file_missing", {})])
    return parse_rules(decode_text(path.read_bytes(), "campaign.yaml"))
