"""No SQL text is built from data: ids, names and values are bound as parameters.

What may still be written into SQL is the product's own: table and column names from its
schema, integers it computed, and fragments of its own. Two quotings remain, each of the
operator's own input and neither a bindable place: a Parquet values file's path inside the
checks' shared FROM item, and the database's name in ``COPY FROM DATABASE`` (an identifier).
This test finds any other quoting of text into SQL (doubling ' or "), so a helper like the
old ``lit()`` cannot come back unnoticed."""

from __future__ import annotations

import ast

from tests.helpers import REPO

ALLOWED = {
    ("scoring/ingest/fastcheck.py", "'"),  # read_parquet(path): the values file named on the command line
    ("scoring/store/backup.py", '"'),  # COPY FROM DATABASE "name": an identifier, not a value
}


def _quotings(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls of the form ``x.replace("'", "''")`` (or the same for double quotes)."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "replace"
            and len(node.args) == 2
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
        ):
            old, new = node.args[0].value, node.args[1].value  # type: ignore[attr-defined]
            if old in ("'", '"') and new == old * 2:
                found.append((node.lineno, old))
    return found


def test_no_text_is_quoted_into_sql():
    offenders = []
    for path in sorted([*(REPO / "scoring").rglob("*.py"), *(REPO / "dashboard").rglob("*.py")]):
        rel = path.relative_to(REPO).as_posix()
        for line, quote in _quotings(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, quote) not in ALLOWED:
                offenders.append(f"{rel}:{line}")
    assert not offenders, "text quoted into SQL (bind it as a parameter): " + ", ".join(offenders)


def test_the_finder_sees_a_quoting_helper():
    tree = ast.parse('def lit(text):\n    return "\'" + text.replace("\'", "\'\'") + "\'"\n')
    assert _quotings(tree) == [(2, "'")]
