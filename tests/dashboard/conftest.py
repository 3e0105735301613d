"""AppTest fixtures: a demo database per test, the app pointed at it."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from tests.helpers import REPO

# every AppTest scans the installed packages for components (0.16 s each, ~200 times a suite);
# the packages do not change during a test run, so they are scanned once
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

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
def db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "dash.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("STARSCORE_DB", str(path))
    return path


def open_app(lang: str = "zh", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def save_grid(at: AppTest, row: int, edits: dict[str, str]) -> None:
    """Edit a row of the entry page's grid and save it, confirming an outlier if asked."""
    at.session_state["en_grid"] = {"edited_rows": {row: edits}, "added_rows": [], "deleted_rows": []}
    at.button(key="en_save").click().run()
    if "en_flagged" in at.session_state:
        at.text_input(key="en_confirm_note").input("核实").run()
        at.button(key="en_confirm").click().run()
    assert not at.exception, at.exception
