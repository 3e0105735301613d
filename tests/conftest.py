"""Shared fixtures: the demo campaign built once into a database, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.db import connect
from tests.helpers import DEMO


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = connect(path)
    data = read_campaign(DEMO)
    import_campaign(con, data)
    score(con, data.rules.id)
    con.close()
    return path


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "work.duckdb"
    shutil.copy(demo_db, path)
    return path


# the longest tests start first, one at the head of each worker's share: the suite runs on two
# workers, each first given half of the list in order (then stealing the other's remaining
# tests), so the longest are dealt out in turn, never two of them to one worker while the other
# has nothing as long left to do
LONGEST_FIRST = (
    "tests/dashboard/test_browser.py::test_every_page_in_chromium",
    "tests/dashboard/test_browser.py::test_every_page_in_english_in_chromium",
    "tests/engine/test_reference.py",
    "tests/ingest/test_fastcheck.py",
    "tests/engine/test_properties.py",
    "tests/engine/test_field_properties.py",
    "tests/dashboard/test_browser.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((k for k, f in enumerate(LONGEST_FIRST) if item.nodeid.startswith(f)), len(LONGEST_FIRST))

    ordered = sorted(items, key=rank)
    long = [i for i in ordered if rank(i) < len(LONGEST_FIRST)]
    rest = [i for i in ordered if rank(i) == len(LONGEST_FIRST)]
    mine, theirs = long[0::2], long[1::2]
    half = len(items) // 2
    split = max(0, half - len(mine))
    items[:] = mine + rest[:split] + theirs + rest[split:]
