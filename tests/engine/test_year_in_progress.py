"""Spec step 3, the year in progress: a period with no values has not started; under
``missing: error`` a period lacking a value is not scored; every other period is scored, ranked,
flagged and can be published and finalised while later periods are still being entered. The
year (annual scores, ranks, stars, awards) exists only once every period is scored."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from scoring.accounts.access import LOCAL_ADMIN
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.engine.run import score, year_complete
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.periods import move, statuses
from tests.helpers import DEMO, actor, demo_text, read_csv, run_cli, write_folder

CID = "jiujiang-2023"
PERIODS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")


def _demo(folder: Path, periods: tuple[str, ...], drop: int = 0) -> Path:
    """The demo campaign with the values of ``periods`` only; the last ``drop`` values of the
    last of them left out."""
    lines = demo_text("values.csv").splitlines()
    kept = [ln for ln in lines[1:] if ln.split(",")[1] in periods]
    if drop:
        last = [k for k, ln in enumerate(kept) if ln.split(",")[1] == periods[-1]][-drop:]
        kept = [ln for k, ln in enumerate(kept) if k not in set(last)]
    files: dict[str, str | bytes] = {
        name: (DEMO / name).read_text(encoding="utf-8")
        for name in ("campaign.yaml", "units.csv", "secretaries.csv")
    }
    files["values.csv"] = "\n".join([lines[0], *kept]) + "\n"
    return write_folder(folder, files)


def _period_rows(out: Path, period: str) -> list[dict[str, str]]:
    return [r for r in read_csv(out / "period_results.csv") if r["period"] == period]


def test_run_on_a_year_in_progress_writes_what_exists_and_says_what_is_missing(tmp_path, capsys):
    full = tmp_path / "full"
    rc, _, _ = run_cli(capsys, "run", DEMO, "--out", full, "--db", tmp_path / "a.duckdb")
    assert rc == 0
    folder = _demo(tmp_path / "q1q2", ("2023Q1", "2023Q2"), drop=3)
    out = tmp_path / "out"
    rc, stdout, err = run_cli(
        capsys, "run", folder, "--out", out, "--db", tmp_path / "b.duckdb", "--lang", "en"
    )
    assert rc == 1
    assert sorted(p.name for p in out.iterdir()) == ["period_results.csv", "points.csv", "summary.json"]
    # Q1 is scored exactly as in the whole year; Q2 lacks values and is not scored
    assert _period_rows(out, "2023Q1") == _period_rows(full, "2023Q1")
    assert not _period_rows(out, "2023Q2")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["year_complete"] is False and summary["status"] == "incomplete"
    assert [(p["period"], p["status"]) for p in summary["periods"]] == [
        ("2023Q1", "scored"),
        ("2023Q2", "incomplete"),
        ("2023Q3", "not_started"),
        ("2023Q4", "not_started"),
    ]
    assert summary["missing_values"] == 3 and {m["period"] for m in summary["missing"]} == {"2023Q2"}
    assert "periods scored: 2023Q1" in stdout
    assert "2023Q2: incomplete, 3 values missing" in err and "2023Q3: not started" in err
    assert "missing: unit JJ109" in err
    # an export of the same run writes the same and fails the same way
    rc, _, _ = run_cli(
        capsys, "export", "--campaign", CID, "--out", tmp_path / "again", "--db", tmp_path / "b.duckdb"
    )
    assert rc == 1 and not (tmp_path / "again" / "payouts.csv").exists()


def test_q1_is_published_and_finalised_while_the_rest_of_the_year_is_empty(tmp_path):
    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(_demo(tmp_path / "q1", ("2023Q1",))))
    run = score(con, CID)
    assert not year_complete(run.summary)
    counts = {
        table: con.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", [run.run_id]).fetchall()[0][0]
        for table in ("period_results", "annual_results", "payouts")
    }
    assert counts == {"period_results": 109, "annual_results": 0, "payouts": 0}
    flags = con.execute(
        "SELECT count(*) FROM period_results WHERE run_id = ? AND flag", [run.run_id]
    ).fetchall()[0][0]
    assert flags > 0  # Q1's red flags are handed out in April
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    move(open_campaign(con, CID), "2023Q1", "finalize", LOCAL_ADMIN, at=now() + timedelta(days=6))
    q1 = statuses(con, CID).row(0, named=True)
    assert (q1["status"], q1["run_id"]) == ("final", run.run_id)
    for step in ("submit", "publish"):  # Q2 has no values: nothing to submit or publish
        with pytest.raises(CampaignError) as info:
            move(open_campaign(con, CID), "2023Q2", step, actor(step))
        assert [p.code for p in info.value.problems] == [
            "period_not_started" if step == "submit" else "bad_transition"
        ]

    # the rest of the year arrives; Q1 stays as it was published
    pinned = con.execute(
        "SELECT unit_id, score, rank, flag FROM period_results WHERE run_id = ? ORDER BY unit_id",
        [run.run_id],
    ).fetchall()
    import_campaign(con, read_campaign(DEMO))
    whole = score(con, CID)
    assert year_complete(whole.summary)
    assert (
        con.execute(
            "SELECT unit_id, score, rank, flag FROM period_results WHERE run_id = ? AND period = '2023Q1' "
            "ORDER BY unit_id",
            [whole.run_id],
        ).fetchall()
        == pinned
    )
    assert (
        con.execute("SELECT count(*) FROM annual_results WHERE run_id = ?", [whole.run_id]).fetchall()[0][0]
        == 109
    )
    assert whole.summary["total_final"] > 0
    con.close()


def test_a_period_lacking_a_value_is_not_scored_and_cannot_be_published(tmp_path):
    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(_demo(tmp_path / "f", PERIODS, drop=1)))
    run = score(con, CID)
    states = {p["period"]: (p["status"], p["missing"]) for p in run.summary["periods"]}
    assert states == {
        "2023Q1": ("scored", 0),
        "2023Q2": ("scored", 0),
        "2023Q3": ("scored", 0),
        "2023Q4": ("incomplete", 1),
    }
    assert run.summary["missing"] == [{"unit_id": "JJ109", "period": "2023Q4", "indicator_id": "veto"}]
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q4", "submit", actor("submit"))
    assert [p.code for p in info.value.problems] == ["period_incomplete"]
    assert "1 values are missing" in info.value.render("en")
    for step in ("submit", "approve", "publish"):  # a complete period goes ahead
        move(open_campaign(con, CID), "2023Q3", step, actor(step))
    con.close()
