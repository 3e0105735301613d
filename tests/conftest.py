"""Shared fixtures: the demo campaign built once into a database, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.engine import score
from scoring.store import connect, store_campaign
from scoring.validate import read_campaign
from tests.helpers import DEMO


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = connect(path)
    data = read_campaign(DEMO)
    store_campaign(con, data)
    score(con, data.rules.id)
    con.close()
    return path


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "work.duckdb"
    shutil.copy(demo_db, path)
    return path
