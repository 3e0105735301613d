"""Explanations: payout derivations add up to the exported amounts; the gains "what it takes"
suggests really achieve the next rank, star level and flag when applied and recomputed."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from scoring.accounts.access import LOCAL_ADMIN
from scoring.analysis.explain import explain_payouts, what_it_takes
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.engine.run import latest_run, score
from scoring.ingest.validate import read_campaign
from scoring.outputs.results import payouts_frame
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import run_cli, write_folder

CID = "jiujiang-2023"


def test_explanations_sum_to_the_exported_totals(demo_copy):
    con = connect(demo_copy)
    run = latest_run(con, CID)
    assert run is not None
    explained = explain_payouts(open_campaign(con, run.campaign_id), run, "en")
    exported = payouts_frame(con, run)
    con.close()
    finals = {(e.payee_type, e.payee_id): e.final for e in explained if e.final > 0}
    stored = {(r["payee_type"], r["payee_id"]): r["final"] for r in exported.iter_rows(named=True)}
    assert {k: Decimal(v.numerator) / v.denominator for k, v in finals.items()} == stored
    total = sum(finals.values())
    assert total == Decimal(str(run.summary["total_final"]))
    secretary = next(e for e in explained if e.payee_id == "S095")
    assert any("from JJ096" in line for line in secretary.lines)
    assert secretary.lines[-1].endswith("final 36500 yuan")


def test_one_payee_s_derivation_is_its_part_of_everyone_s(demo_copy):
    """Explaining one payee reads only the posts and units it depends on; the derivation is
    the same as in the list of everyone's."""
    con = connect(demo_copy)
    run = latest_run(con, CID)
    assert run is not None
    everyone = explain_payouts(open_campaign(con, run.campaign_id), run, "zh")
    for whole in everyone:
        one = explain_payouts(open_campaign(con, run.campaign_id), run, "zh", payee=whole.payee_id)
        assert [(e.payee_type, e.lines, e.final) for e in one] == [
            (whole.payee_type, whole.lines, whole.final)
        ], whole.payee_id
    con.close()
    assert sum(e.payee_type == "secretary" for e in everyone) > 50


def test_explain_command(demo_copy, capsys):
    rc, out, _ = run_cli(capsys, "explain", "JJ017", "--campaign", CID, "--db", demo_copy, "--lang", "en")
    assert rc == 0 and "cap 150000 → 150000 yuan" in out and "final 146000 yuan" in out
    rc, _, err = run_cli(capsys, "explain", "NOPE", "--campaign", CID, "--db", demo_copy, "--lang", "en")
    assert rc == 1 and "neither a unit nor a paid secretary" in err
    # a unit by its name, with its secretary's award derived too, the payee types in words
    rc, out, _ = run_cli(capsys, "explain", "山旺社区", "--campaign", CID, "--db", demo_copy)
    assert rc == 0 and "社区（村） JJ001 山旺社区" in out and "党组织书记 S001" in out
    assert "来自 JJ001" in out and "community" not in out and "secretary" not in out


YAML = """format: starscore/1
campaign: {id: takes, name: 试算, year: 2024, periods: [P1, P2, P3, P4]}
categories: [{id: c, name: 类}]
indicators:
  - {id: s, name: 综合, kind: score, points: 1000}
  - {id: tb, name: 党建, kind: bonus, points: 10}
ranking: {tie_break: [tb]}
stars:
  - {stars: 5, min_score: 80, max_share: 0.25}
  - {stars: 4, min_score: 60, max_share: 0.5}
  - {stars: 3, min_score: 40}
flags: {top_n: 2, min_score: 50}
"""


@pytest.fixture
def takes_db(tmp_path: Path) -> Path:
    rng = random.Random(5)
    units = [f"u{k:02d}" for k in range(12)]
    rows = ["unit_id,period,indicator_id,value"]
    for u in units:
        for p in ("P1", "P2", "P3", "P4"):
            rows.append(f"{u},{p},s,{rng.choice([30, 45, 45, 55, 62.5, 70, 85])}")
            rows.append(f"{u},{p},tb,{rng.choice([0, 1, 1, 2])}")
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": YAML,
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
            + "".join(f"{u},{u},c,,\n" for u in units),
            "values.csv": "\n".join(rows) + "\n",
        },
    )
    db = tmp_path / "t.duckdb"
    con = connect(db)
    import_campaign(con, read_campaign(folder))
    score(con, "takes")
    con.close()
    return db


def _add(con, unit: str, period: str, amount: Decimal) -> None:
    current = con.execute(
        "SELECT value FROM indicator_values WHERE unit_id = ? AND period = ? AND indicator_id = 's'",
        [unit, period],
    ).fetchall()[0][0]
    change = pl.DataFrame(
        {
            "unit_id": [unit],
            "period": [period],
            "indicator_id": ["s"],
            "value": [str(current + amount)],
            "_row": [1],
        }
    )
    save_values(open_campaign(con, "takes"), change, LOCAL_ADMIN, confirm_note="what-if")


def _annual(con, unit: str) -> dict:
    run = latest_run(con, "takes")
    return con.execute(
        "SELECT annual_rank, stars FROM annual_results WHERE run_id = ? AND unit_id = ?", [run.run_id, unit]
    ).fetchall()[0]


@pytest.mark.parametrize("unit", [f"u{k:02d}" for k in range(12)])
def test_suggested_gains_achieve_what_they_promise(takes_db, tmp_path, unit):
    import shutil

    for goal in ("rank_gain", "star_gain", "flag_gain"):
        db = tmp_path / f"{goal}.duckdb"
        shutil.copy(takes_db, db)
        con = connect(db)
        run = latest_run(con, "takes")
        takes = what_it_takes(open_campaign(con, run.campaign_id), run, unit, "en")
        before = _annual(con, unit)
        if goal not in takes or takes[goal] == 0:
            con.close()
            continue
        gain: Decimal = takes[goal]
        if goal == "flag_gain":
            _add(con, unit, "P4", gain)
            run = latest_run(con, "takes")
            flag = con.execute(
                "SELECT flag FROM period_results WHERE run_id = ? AND unit_id = ? AND period = 'P4'",
                [run.run_id, unit],
            ).fetchall()
            assert flag[0][0], (unit, gain, takes["sentences"])
        else:
            _add(con, unit, "P4", gain * 4)  # the annual score is the mean of 4 periods
            rank, stars = _annual(con, unit)
            if goal == "rank_gain":
                assert rank < before[0], (unit, gain, takes["sentences"])
            else:
                assert stars >= takes["next_stars"], (unit, gain, takes["sentences"])
        con.close()
