"""Shared fixtures: the demo campaign built once into a database, copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.db import connect
from tests.helpers import DEMO


def pytest_configure(config: pytest.Config) -> None:
    """A test worker's DuckDB takes its share of the cores (STARSCORE_THREADS, unless set):
    three workers on two cores each asking DuckDB for both cost the suite 18 % more CPU time in
    switching between them (measured: 474 s against 401 s, subprocesses included)."""
    workers = getattr(config, "workerinput", {}).get("workercount")
    if workers:
        os.environ.setdefault("STARSCORE_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))


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


# the longest tests start first, one block at the head of each worker's share: each of the N
# workers is first given every N-th block of this list in order (then steals the others'
# remaining tests), so the longest are dealt out in turn, never two of them to one worker while
# another has nothing as long left to do. A block is every test whose id starts with its entry,
# kept together in one worker's share: the browser tests' module starts one dashboard and one
# Chromium per worker that runs them (tests of one module spread among the workers, or broken
# up by other modules' tests, started them again each time: six times, about 5 s each)
LONGEST_FIRST = (
    "tests/dashboard/test_browser.py",
    "tests/engine/test_reference.py",
    "tests/ingest/test_fastcheck.py",
    "tests/engine/test_properties.py",
    "tests/engine/test_field_properties.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workers = getattr(config, "workerinput", {}).get("workercount") or 1

    def rank(item: pytest.Item) -> int:
        return next((k for k, f in enumerate(LONGEST_FIRST) if item.nodeid.startswith(f)), len(LONGEST_FIRST))

    blocks: list[list[pytest.Item]] = [[] for _ in LONGEST_FIRST]
    rest = []
    for item in items:  # in the order collected: a module's tests in their file's order
        k = rank(item)
        (blocks[k] if k < len(LONGEST_FIRST) else rest).append(item)
    # xdist hands worker k the k-th of N equal slices of this list: each slice opens with its
    # blocks of the longest, then ordinary tests up to its length
    size, dealt, start = -(-len(items) // workers), [], 0
    for k in range(workers):
        mine = [item for block in blocks[k::workers] for item in block]
        take = max(0, size - len(mine)) if k < workers - 1 else len(rest)
        dealt += mine + rest[start : start + take]
        start += take
    items[:] = dealt
