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


# the longest tests start first, one at the head of each worker's share: each of the N workers
# is first given its N-th of the list in order (then steals the others' remaining tests), so the
# longest are dealt out in turn, never two of them to one worker while another has nothing as
# long left to do
LONGEST_FIRST = (
    "tests/dashboard/test_browser.py::test_every_page_in_chromium",
    "tests/dashboard/test_browser.py::test_every_page_in_english_in_chromium",
    "tests/engine/test_reference.py",
    "tests/ingest/test_fastcheck.py",
    "tests/engine/test_properties.py",
    "tests/engine/test_field_properties.py",
    "tests/dashboard/test_browser.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workers = getattr(config, "workerinput", {}).get("workercount") or 1

    def rank(item: pytest.Item) -> int:
        return next((k for k, f in enumerate(LONGEST_FIRST) if item.nodeid.startswith(f)), len(LONGEST_FIRST))

    ordered = sorted(items, key=rank)
    long = [i for i in ordered if rank(i) < len(LONGEST_FIRST)]
    rest = [i for i in ordered if rank(i) == len(LONGEST_FIRST)]
    # xdist hands worker k the k-th of N equal slices of this list: each slice opens with its
    # share of the longest, then ordinary tests up to its length
    size, dealt, start = -(-len(items) // workers), [], 0
    for k in range(workers):
        mine = long[k::workers]
        take = max(0, size - len(mine)) if k < workers - 1 else len(rest)
        dealt += mine + rest[start : start + take]
        start += take
    items[:] = dealt
