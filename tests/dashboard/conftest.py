"""AppTest fixtures: a demo database per test, the app pointed at it."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from dashboard.i18n import LABELS
from scoring.store.db import connect
from tests.helpers import REPO

# every AppTest scans the installed packages for components (0.16 s each, ~200 times a suite);
# the packages do not change during a test run, so they are scanned once
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

# every AppTest compiles each page it runs into a new cache of its own (with Streamlit's magic:
# parsed, rewritten, compiled, 10-20 ms a page); the server compiles a page once for all its
# sessions, and so do the tests, once per version of the file
_COMPILED: dict[tuple[str, int], object] = {}
_compile = ScriptCache.get_bytecode


def _compiled_once(self: ScriptCache, script_path: str) -> object:
    path = os.path.abspath(script_path)
    key = (path, os.stat(path).st_mtime_ns)
    if key not in _COMPILED:
        _COMPILED[key] = _compile(self, script_path)
    return _COMPILED[key]


ScriptCache.get_bytecode = _compiled_once  # type: ignore[method-assign]

APP = str(REPO / "dashboard" / "app.py")
# every page and the catalogue key of its title
PAGES = {
    "leaderboard": "lb.title",
    "profile": "pf.title",
    "robustness": "rb.title",
    "entry": "en.title",
    "sources": "so.title",
    "evidence": "ev.title",
    "self": "sf.title",
    "workflow": "wf.title",
    "objections": "ob.title",
    "payouts": "po.title",
    "audit": "au.title",
    "rules": "ru.title",
    "campaigns": "ca.title",
    "users": "us.title",
    "public": "pb.title",
}


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test's app starts with no cached reads: the cache is the process's, keyed by run,
    and two tests' databases can hold the same run (one of them altered on purpose)."""
    import streamlit as st

    st.cache_data.clear()


@pytest.fixture
def free_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database the app is pointed at, opened by nothing but the app."""
    path = tmp_path / "dash.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("STARSCORE_DB", str(path))
    return path


@pytest.fixture
def db(free_db: Path) -> Iterator[Path]:
    """A copy of the demo database the app is pointed at, held open by the test: the app's
    openings join the test's DuckDB instance (as a server's sessions at the same moment do)
    instead of starting one each (20 ms, on every script run). A test of how the app opens
    and lets go of the file takes ``free_db``; another process cannot open this one."""
    held = connect(free_db)
    yield free_db
    held.close()


def open_app(lang: str = "zh", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


# pages whose tabs draw only when open: the tabs' key and their catalogue keys
TABS = {"profile": ("pf_tab", ("pf.tab_points", "pf.tab_trend", "pf.survey", "pf.tab_award"))}


def every_tab(at: AppTest, page: str, lang: str = "zh") -> Iterator[AppTest]:
    """The page as drawn with each of its tabs open in turn (a page without tabs: as it is)."""
    key, tabs = TABS.get(page, ("", ("",)))
    for tab in tabs:
        if key:
            at.session_state[key] = LABELS[tab][lang]
            at.run()
            assert not at.exception, (tab, at.exception)
        yield at


def save_grid(at: AppTest, row: int, edits: dict[str, str]) -> None:
    """Edit a row of the entry page's grid and save it, confirming an outlier if asked."""
    at.session_state["en_grid"] = {"edited_rows": {row: edits}, "added_rows": [], "deleted_rows": []}
    at.button(key="en_save").click().run()
    if "en_flagged" in at.session_state:
        at.text_input(key="en_confirm_note").input("核实").run()
        at.button(key="en_confirm").click().run()
    assert not at.exception, at.exception
