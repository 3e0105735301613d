"""The layers of ``scoring`` (and the dashboard above them) import downward only, and no module
imports itself back through others: the import graph, read with ``ast``, has no cycle.

Every import counts, including those inside functions: a lazy import is still a dependency."""

from __future__ import annotations

import ast
import functools
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# the layers, lowest first; a module may import its own layer and the layers before it
LAYERS: tuple[tuple[str, ...], ...] = (
    ("scoring.core", "scoring.samples"),
    ("scoring.rules",),
    ("scoring.ingest",),
    ("scoring.store",),
    ("scoring.engine",),
    ("scoring.accounts",),  # accounts, roles, sessions
    ("scoring.workflow",),  # the states and moves of periods, towns and the year
    ("scoring.audit",),  # verify: the record checked against a recomputation
    ("scoring.analysis",),
    ("scoring.outputs",),
    ("scoring.app",),  # the use cases and the pages' read models
    ("scoring.cli", "scoring.__main__"),
    ("dashboard",),
    ("scoring.bench",),  # times the command line and opens the dashboard's pages
)
# groups in one layer that stand side by side and must not import each other
SIDE_BY_SIDE = ({"scoring.core", "scoring.samples"},)


@functools.cache
def _parsed(text: str) -> ast.Module:
    """A file's syntax tree, parsed once per text for all the tests here (walking a tree
    leaves it as it was)."""
    return ast.parse(text)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for top in ("scoring", "dashboard") for p in (ROOT / top).rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The product's modules one file imports (``from a import b`` names module ``a.b`` when
    ``b`` is a module)."""
    found: set[str] = set()
    for node in ast.walk(_parsed(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in modules}


@functools.cache  # read, never changed, by the tests
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _group(module: str) -> tuple[int, str]:
    """(layer number, group) of a module: the longest group name it falls under."""
    best: tuple[int, str] | None = None
    for rank, groups in enumerate(LAYERS):
        for group in groups:
            if (module == group or module.startswith(group + ".")) and (
                best is None or len(group) > len(best[1])
            ):
                best = (rank, group)
    if best is None:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_the_import_graph_has_no_cycle():
    assert _cycles(_graph()) == []


def test_cycle_finder_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_layers_import_downward_only():
    wrong = []
    for module, deps in sorted(_graph().items()):
        if module in ("scoring",):
            continue
        rank, group = _group(module)
        for dep in sorted(deps):
            if dep == "scoring":
                continue
            dep_rank, dep_group = _group(dep)
            sideways = dep_group != group and {group, dep_group} in SIDE_BY_SIDE
            if dep_rank > rank or sideways:
                wrong.append(f"{module} ({group}) imports {dep} ({dep_group})")
    assert wrong == []


def test_every_module_has_a_layer():
    for module in _modules():
        if module != "scoring":
            _group(module)


PACKAGES = sorted(
    {g for groups in LAYERS for g in groups if (ROOT / g.replace(".", "/") / "__init__.py").is_file()}
)


def _declared(package: str) -> dict[str, tuple[str, ...]]:
    """What a package's ``__init__`` declares, read without importing it: ``MAY_IMPORT`` (the
    packages just below it, and what they may import in turn) or ``MAY_IMPORT_ONLY`` (exactly
    these)."""
    tree = _parsed((ROOT / package.replace(".", "/") / "__init__.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        name = node.target.id if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) else ""
        if name in ("MAY_IMPORT", "MAY_IMPORT_ONLY") and isinstance(node, ast.AnnAssign) and node.value:
            found[name] = tuple(ast.literal_eval(node.value))
    assert len(found) == 1, f"{package}/__init__.py declares MAY_IMPORT or MAY_IMPORT_ONLY, once"
    return found


def _claim(package: str) -> set[str]:
    """Every package ``package`` may import: its own claims, and, through ``MAY_IMPORT``, what
    each package it names may import."""
    declared = _declared(package)
    if "MAY_IMPORT_ONLY" in declared:
        return set(declared["MAY_IMPORT_ONLY"])
    found: set[str] = set()
    for below in declared["MAY_IMPORT"]:
        found |= {below, *_claim(below)}
    return found


def _package(module: str) -> str | None:
    return next((p for p in PACKAGES if module == p or module.startswith(p + ".")), None)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_it_claims(package):
    """Every import of a package's modules (lazy ones too) is of the package itself or of a
    package its ``MAY_IMPORT`` names: the claim is the rule, not a comment."""
    allowed = {package, *_claim(package)}
    wrong = sorted(
        f"{module} imports {dep}"
        for module, deps in _graph().items()
        if _package(module) == package
        for dep in deps
        if (owner := _package(dep)) is not None and owner not in allowed
    )
    assert wrong == []


def test_a_claim_never_reaches_up_the_ladder():
    """No package claims a package above it: the claims and the ladder say the same."""
    rank = {g: r for r, groups in enumerate(LAYERS) for g in groups}
    assert [(p, c) for p in PACKAGES for c in _claim(p) if rank[c] > rank[p]] == []


@pytest.mark.parametrize("package", PACKAGES)
def test_each_layer_says_what_it_owns_and_may_import(package):
    """Its ``__init__`` docstring: one paragraph at least, naming what it may import."""
    doc = importlib.import_module(package).__doc__ or ""
    assert len(doc.split()) >= 20, package
    assert "import" in doc, package


SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP)\b[\s\S]*\b(FROM|INTO|SET|TABLE)\b")


def _sql_in(path: Path) -> list[str]:
    """Where a file runs SQL: a call of ``execute``/``sql``/``query`` or a string that reads as a
    statement."""
    found = []
    for node in ast.walk(_parsed(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("execute", "executemany", "sql", "query", "read_sql"):
                found.append(f"{path.name}:{node.lineno} calls {name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.search(node.value):
            found.append(f"{path.name}:{node.lineno} holds SQL")
    return found


def test_no_sql_under_the_dashboard():
    """The pages ask the application for what they show; none of them reads a table itself."""
    assert [hit for path in sorted((ROOT / "dashboard").rglob("*.py")) for hit in _sql_in(path)] == []


def test_the_sql_finder_sees_sql(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('rows = con.execute("SELECT name FROM units").fetchall()\n', encoding="utf-8")
    assert len(_sql_in(page)) == 2


# who reads a campaign's rules from the database: the Campaign itself (``open_campaign``, and the
# stored rules' fingerprint), and the steps whose job is what is stored (scoring it, checking
# it against a recomputation, verifying the record); every use case, read model and output
# takes them from the Campaign an edge opened
READS_STORED_RULES = {"scoring/store/campaign.py", "scoring/engine/run.py", "scoring/engine/recheck.py",
                      "scoring/audit/verify.py"}  # fmt: skip


def _rules_readers(root: Path) -> set[str]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(_parsed(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "load_rules_from_db":
                found.add(path.relative_to(root.parent).as_posix())
    return found


def test_rules_reach_use_cases_through_the_campaign():
    assert _rules_readers(ROOT / "scoring") | _rules_readers(ROOT / "dashboard") <= READS_STORED_RULES


def test_the_rules_reader_finder_sees_a_reader(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("rules = load_rules_from_db(con, cid)\n", encoding="utf-8")
    assert _rules_readers(tmp_path / "pkg") == {"pkg/m.py"}
