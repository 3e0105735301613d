"""What it takes on the field kinds: the unit's gain from matching the best, and the others'
points that move with it, predicted exactly (checked by saving the value and rescoring)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from scoring.accounts.access import LOCAL_ADMIN
from scoring.analysis.explain import what_it_takes
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.engine.run import latest_run, score
from scoring.ingest.validate import read_campaign
from scoring.outputs.results import points_frame
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import write_folder

YAML = """format: starscore/1
campaign: {id: fld, name: 比较, year: 2024, periods: [P1]}
categories: [{id: c, name: 类}]
indicators:
  - {id: rk, name: 诉求办结率排名, kind: rank_points, points_by_rank: [10, 8, 6], rest: 2}
  - {id: rel, name: 集体经济收入, kind: relative, method: minmax, points: 10}
flags: {top_n: 1}
"""
VALUES = {"u1": ("90", "50"), "u2": ("85", "40"), "u3": ("85", "30"), "u4": ("70", "20")}


def _db(tmp_path: Path) -> Path:
    rows = "".join(f"{u},P1,rk,{rk}\n{u},P1,rel,{rel}\n" for u, (rk, rel) in VALUES.items())
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": YAML,
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
            + "".join(f"{u},单位{u[1:]},c,,\n" for u in VALUES),
            "values.csv": "unit_id,period,indicator_id,value\n" + rows,
        },
    )
    db = tmp_path / "f.duckdb"
    con = connect(db)
    import_campaign(con, read_campaign(folder))
    score(con, "fld")
    con.close()
    return db


def _points(con) -> dict[tuple[str, str], Decimal]:
    frame = points_frame(con, latest_run(con, "fld"))
    return {(r["unit_id"], r["indicator_id"]): r["points"] for r in frame.iter_rows(named=True)}


def test_the_field_moves_with_the_unit_and_the_prediction_holds(tmp_path):
    con = connect(_db(tmp_path))
    takes = what_it_takes(open_campaign(con, "fld"), latest_run(con, "fld"), "u4", "zh")
    by = {h["indicator_id"]: h for h in takes["headroom"]}
    assert by["rk"]["available"] == Decimal(8)
    assert "追平本类别其他单位中最好的 90" in by["rk"]["sentence"]
    assert "单位2 −2" in by["rk"]["sentence"] and "单位3 −2" in by["rk"]["sentence"]
    assert by["rel"]["available"] == Decimal(10)
    assert "单位2 −1.67" in by["rel"]["sentence"] and "单位3 −3.33" in by["rel"]["sentence"]
    assert any("按同类单位比较计分" in s for s in takes["sentences"])
    before = _points(con)
    change = pl.DataFrame(
        {
            "unit_id": ["u4", "u4"],
            "period": ["P1", "P1"],
            "indicator_id": ["rk", "rel"],
            "value": ["90", "50"],
            "_row": [1, 2],
        }
    )
    save_values(open_campaign(con, "fld"), change, LOCAL_ADMIN, confirm_note="what-if")
    after = _points(con)
    con.close()
    assert after[("u4", "rk")] - before[("u4", "rk")] == by["rk"]["available"]
    assert after[("u4", "rel")] - before[("u4", "rel")] == by["rel"]["available"]
    assert after[("u2", "rk")] == Decimal(6) and after[("u3", "rel")] == Decimal(0)
    assert after[("u2", "rel")] - before[("u2", "rel")] == Decimal("-1.67")


def test_the_best_unit_has_no_field_headroom(tmp_path):
    con = connect(_db(tmp_path))
    takes = what_it_takes(open_campaign(con, "fld"), latest_run(con, "fld"), "u1", "en")
    con.close()
    assert not [h for h in takes["headroom"] if h["indicator_id"] in ("rk", "rel")]


def test_the_profile_s_category_figures_count_the_field_s_points(tmp_path):
    from scoring.analysis.profile import unit_points

    con = connect(_db(tmp_path))
    frame = unit_points(open_campaign(con, "fld"), latest_run(con, "fld"), "u4", "P1")
    con.close()
    row = {r["indicator_id"]: r for r in frame.iter_rows(named=True)}
    assert row["rk"]["points"] == 2 and row["rk"]["category_best"] == 10
    assert row["rk"]["category_avg"] == 7  # (10 + 8 + 8 + 2) / 4
    assert row["rel"]["max_points"] == 10 and row["rel"]["category_best"] == 10


def test_robustness_reweights_the_field_kinds_points(tmp_path):
    """The field kinds enter the weight draws with the points their field gave: with no
    spread every draw reproduces the run, so ranks and flags never move."""
    from scoring.analysis.robustness import Settings, robustness

    con = connect(_db(tmp_path))
    frame = robustness(open_campaign(con, "fld"), latest_run(con, "fld"), Settings(draws=20, spread=0.0))
    con.close()
    rows = {r["unit_id"]: r for r in frame.iter_rows(named=True)}
    assert set(rows) == set(VALUES)
    assert rows["u1"]["rank_p05"] == rows["u1"]["rank_p95"] == 1
    assert rows["u4"]["rank_p05"] == 4
