"""Robustness: reproducible with its seed, a unit that cannot move has a zero-width rank
interval, and the CLI runs it."""

from __future__ import annotations

import polars as pl
import pytest

from scoring.analysis.robustness import Settings, robustness
from scoring.app.imports import import_campaign
from scoring.engine.run import latest_run, score
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import run_cli, write_folder

CID = "jiujiang-2023"


def test_same_seed_same_result_other_seed_differs(demo_copy):
    con = connect(demo_copy)
    run = latest_run(con, CID)
    a = robustness(open_campaign(con, run.campaign_id), run, Settings(draws=200, seed=3))
    b = robustness(open_campaign(con, run.campaign_id), run, Settings(draws=200, seed=3))
    c = robustness(open_campaign(con, run.campaign_id), run, Settings(draws=200, seed=4))
    con.close()
    assert a.equals(b)
    assert not a.equals(c)
    assert a.height == 109
    ranked = a.filter(pl.col("rank").is_not_null())
    assert (ranked["rank_p05"] <= ranked["rank"]).all() and (ranked["rank"] <= ranked["rank_p95"]).all()
    assert ((a["p_keep_stars"] >= 0) & (a["p_keep_stars"] <= 1)).all()


def test_dominant_unit_has_zero_width_interval(tmp_path):
    yaml = """format: starscore/1
campaign: {id: dom, name: 稳健, year: 2024, periods: [P1, P2]}
categories: [{id: c, name: 类}]
indicators:
  - {id: a, name: A, kind: score, points: 10}
  - {id: b, name: B, kind: score, points: 10}
  - {id: l, name: L, kind: linear, floor: 0, target: 100, points: 10}
stars: [{stars: 5, min_score: 20}]
"""
    rows = ["unit_id,period,indicator_id,value"]
    for u, (va, vb, vl) in {
        "top": (10, 10, 100),
        "m1": (5, 3, 40),
        "m2": (3, 5, 50),
        "m3": (4, 4, 45),
    }.items():
        for p in ("P1", "P2"):
            rows += [f"{u},{p},a,{va}", f"{u},{p},b,{vb}", f"{u},{p},l,{vl}"]
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": yaml,
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
            + "".join(f"{u},{u},c,,\n" for u in ("top", "m1", "m2", "m3")),
            "values.csv": "\n".join(rows) + "\n",
        },
    )
    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(folder))
    run = score(con, "dom")
    result = robustness(
        open_campaign(con, run.campaign_id), run, Settings(draws=500, spread=0.3, linear_as_tiers=3)
    )
    con.close()
    top = result.filter(pl.col("unit_id") == "top").row(0, named=True)
    assert (top["rank_p05"], top["rank_p95"], top["p_keep_stars"]) == (1, 1, 1.0)
    movers = result.filter(pl.col("unit_id") != "top")
    assert (movers["rank_p95"] - movers["rank_p05"]).max() > 0  # the close ones do move


def test_robustness_command(demo_copy, capsys, tmp_path):
    rc, out, _ = run_cli(
        capsys,
        "robustness",
        "--campaign",
        CID,
        "--draws",
        "100",
        "--db",
        demo_copy,
        "--out",
        tmp_path / "r.csv",
    )
    assert rc == 0 and "排名5%分位" in out  # the header in the reader's language; the CSV keeps rank_p05
    assert pl.read_csv(tmp_path / "r.csv").height == 109


def test_draws_are_bounded_by_the_campaign_size(demo_copy):
    from scoring.analysis.robustness import MAX_DRAW_CELLS, Settings, max_draws, robustness
    from scoring.core.errors import CampaignError
    from scoring.engine.run import latest_run
    from scoring.store.db import connect

    con = connect(demo_copy)
    most = max_draws(con, "jiujiang-2023")
    assert most == MAX_DRAW_CELLS // 10560
    run = latest_run(con, "jiujiang-2023")
    assert run is not None
    with pytest.raises(CampaignError) as info:
        robustness(open_campaign(con, run.campaign_id), run, Settings(draws=most + 1))
    con.close()
    assert info.value.problems[0].code == "too_many_draws"


def test_the_page_opens_on_about_a_second_of_draws(demo_copy, monkeypatch):
    """A district opens on all 1,000 draws; a campaign whose cells would take longer opens on
    fewer, in hundreds, never under 100 (its reader raises them on the page)."""
    from scoring.analysis import robustness
    from scoring.store.db import connect

    con = connect(demo_copy)
    assert robustness.first_draws(con, "jiujiang-2023") == 1000  # 10,560 cells
    monkeypatch.setattr(robustness, "QUICK_DRAW_CELLS", 10_560 * 250)
    assert robustness.first_draws(con, "jiujiang-2023") == 200
    monkeypatch.setattr(robustness, "QUICK_DRAW_CELLS", 10_560)
    assert robustness.first_draws(con, "jiujiang-2023") == 100
    con.close()


def test_a_year_in_progress_is_refused_in_words(tmp_path, capsys):
    """Before every period is scored there is no annual rank, star or award to draw again: the
    command says so instead of printing an empty table."""
    from tests.dashboard.midyear import build_midyear

    db = build_midyear(tmp_path / "campaign", tmp_path / "mid.duckdb")
    rc, out, err = run_cli(capsys, "robustness", "--campaign", CID, "--draws", "100", "--db", db)
    assert rc != 0 and "全年尚未完成：稳健性分析" in out + err
