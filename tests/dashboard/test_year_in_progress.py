"""A year in progress on the dashboard: every page says which periods are scored, which are
incomplete and which have not started; the boards offer the scored periods only, the year
once every period is scored; the payouts wait for the year."""

from __future__ import annotations

import shutil

import pytest

from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.db import connect
from tests.dashboard.conftest import every_tab, open_app
from tests.engine.test_year_in_progress import _demo
from tests.helpers import shown


@pytest.fixture(scope="module")
def q1_built(tmp_path_factory):
    """Q1 entered and scored, Q2 short of two values: built once for the module."""
    tmp = tmp_path_factory.mktemp("q1")
    path = tmp / "q1.duckdb"
    con = connect(path)
    import_campaign(con, read_campaign(_demo(tmp / "q1", ("2023Q1", "2023Q2"), drop=2)))
    score(con, "jiujiang-2023")
    con.close()
    return path


@pytest.fixture
def q1_db(q1_built, tmp_path, monkeypatch):
    path = tmp_path / "q1.duckdb"
    shutil.copy(q1_built, path)
    monkeypatch.setenv("STARSCORE_DB", str(path))
    held = connect(path)  # the pages' openings join this instance (tests.dashboard.conftest.db)
    yield path
    held.close()


def test_leaderboard_offers_the_scored_periods_and_says_what_is_missing(q1_db):
    at = open_app("en", "leaderboard")
    banner = " ".join(shown(i.value) for i in at.info)
    assert "The year is not complete" in banner
    assert "scored: 2023Q1" in banner and "2023Q2 incomplete (2 values missing)" in banner
    assert "not started: 2023Q3、2023Q4" in banner
    assert at.selectbox(key="lb_period").options == ["2023Q1"]
    assert at.dataframe  # Q1's board is there


def test_payouts_wait_for_the_year(q1_db):
    at = open_app("zh", "payouts")
    assert any("奖金在全年每个期次都计分后才计算" in i.value for i in at.info)
    assert not at.dataframe


def test_robustness_says_it_waits_for_the_year(q1_db):
    """No annual rank, star or award before the year is complete: the page says so instead of
    drawing empty charts of them."""
    at = open_app("zh", "robustness")
    assert any("全年尚未完成：稳健性分析" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe


@pytest.mark.parametrize("page", ["profile", "public", "rules", "workflow", "entry", "audit", "robustness"])
def test_other_pages_open_on_a_year_in_progress(q1_db, page):
    for _ in every_tab(open_app("zh", page), page):
        pass  # each tab drawn without an exception
