"""Audit trail, period workflow, publication and reproducibility."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from scoring.accounts.access import LOCAL_ADMIN, User
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.audit.verify import verify
from scoring.core.errors import CampaignError
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.outputs.results import export
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.store.trail import history
from scoring.workflow.periods import all_final, move, statuses
from tests.helpers import DEMO, REPO, actor, demo_files, demo_text, run_cli, write_folder

CID = "jiujiang-2023"


def one(unit: str, period: str, indicator: str, value: str) -> pl.DataFrame:
    return pl.DataFrame(
        {"unit_id": [unit], "period": [period], "indicator_id": [indicator], "value": [value], "_row": [1]}
    )


def codes(exc: pytest.ExceptionInfo[CampaignError]) -> set[str]:
    return {p.code for p in exc.value.problems}


def test_audit_log_is_append_only_in_code():
    """No module of the application updates or deletes audit or workflow log rows."""
    pattern = re.compile(r"(UPDATE|DELETE FROM)\s+(audit_log|workflow_log|town_log)", re.IGNORECASE)
    for path in [*REPO.glob("scoring/**/*.py"), *REPO.glob("dashboard/**/*.py")]:
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_import_and_reimport_are_audited(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    folder = write_folder(
        tmp_path / "c",
        {f: demo_text(f).encode() for f in ("campaign.yaml", "units.csv", "secretaries.csv")},
    )
    values = demo_text("values.csv")
    (folder / "values.csv").write_text(values, encoding="utf-8")
    assert run_cli(capsys, "import", folder, "--db", db, "--user", "张科长")[0] == 0
    # the same folder again: nothing changes, nothing is logged
    assert run_cli(capsys, "import", folder, "--db", db, "--user", "张科长")[0] == 0
    changed = values.replace("JJ001,2023Q1,party_building,13,", "JJ001,2023Q1,party_building,14,")
    changed = (
        "\n".join(line for line in changed.splitlines() if not line.startswith("JJ002,2023Q1,honours,"))
        + "\n"
    )
    (folder / "values.csv").write_text(changed, encoding="utf-8")
    assert run_cli(capsys, "import", folder, "--db", db, "--user", "李科员")[0] == 0
    con = connect(db)
    log = history(con, CID, limit=100_000)
    con.close()
    # the first import is one entry naming the file and how many values it brought
    first = log.filter(pl.col("action") == "import")
    assert first.height == 1
    assert (first["who"][0], first["source"][0], first["unit_id"][0]) == ("张科长", "values.csv: 10560", None)
    # and a row per period naming who brought its values (four eyes reads them)
    periods = log.filter(pl.col("action") == "import_period")
    assert sorted(periods["period"]) == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert set(periods["who"]) == {"张科长"}
    assert sum(int(s.split(": ")[1]) for s in periods["source"]) == 10560
    assert log.height == 7  # the import, its four periods, one change, one deletion
    change = log.filter(pl.col("action") == "change").row(0, named=True)
    assert (change["unit_id"], change["old_value"], change["new_value"]) == (
        "JJ001",
        Decimal(13),
        Decimal(14),
    )
    assert change["source"] == "import"
    deleted = log.filter(pl.col("action") == "delete").row(0, named=True)
    assert (deleted["unit_id"], deleted["indicator_id"]) == ("JJ002", "honours")
    rc, out, _ = run_cli(
        capsys,
        "audit",
        "--campaign",
        CID,
        "--unit",
        "JJ001",
        "--period",
        "2023Q1",
        "--indicator",
        "party_building",
        "--db",
        db,
    )
    assert rc == 0 and "修改" in out and "导入" in out  # what was done, in words


def test_entry_is_audited_with_reason(demo_copy):
    con = connect(demo_copy)
    save_values(
        open_campaign(con, CID),
        one("JJ001", "2023Q2", "honours", "3"),
        User("王评", "evaluator"),
        reason="补录荣誉",
        confirm_note="市级表彰",
    )
    row = history(con, CID, "JJ001", "2023Q2", "honours").row(0, named=True)
    # the kept data fingerprint was dropped by the save and is the stored tables' again
    from scoring.store.fingerprint import data_hash, stored_hash

    assert data_hash(con, CID) == stored_hash(con, CID)
    assert con.execute("SELECT data_hash FROM campaigns WHERE campaign_id = ?", [CID]).fetchall()[0][0]
    con.close()
    assert (row["who"], row["action"], row["reason"], row["source"]) == (
        "王评",
        "change",
        "补录荣誉",
        "entry",
    )


def test_workflow_locks_entry_and_says_why(demo_copy):
    con = connect(demo_copy)
    admin = User("张主任", "admin")
    move(open_campaign(con, CID), "2023Q1", "submit", User("王评", "evaluator"))
    with pytest.raises(CampaignError) as info:
        save_values(open_campaign(con, CID), one("JJ001", "2023Q1", "honours", "1"), admin)
    assert codes(info) == {"reason_required"}
    save_values(
        open_campaign(con, CID),
        one("JJ001", "2023Q1", "honours", "1"),
        admin,
        reason="更正",
        confirm_note="ok",
    )
    with pytest.raises(CampaignError) as info:  # four eyes: 张主任 changed a value of the period
        move(open_campaign(con, CID), "2023Q1", "approve", admin)
    assert codes(info) == {"four_eyes"} and "张主任" in info.value.render("zh")
    move(open_campaign(con, CID), "2023Q1", "approve", actor("approve"))
    with pytest.raises(CampaignError) as info:
        save_values(
            open_campaign(con, CID),
            one("JJ001", "2023Q1", "honours", "2"),
            admin,
            reason="x",
            confirm_note="ok",
        )
    assert codes(info) == {"period_approved"}
    assert "审核人" in info.value.render("en") and "locked" in info.value.render("en")
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q1", "reopen", admin)
    assert codes(info) == {"reopen_reason"}
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q1", "reopen", User("王评", "evaluator"), reason="x")
    assert codes(info) == {"forbidden"}
    move(open_campaign(con, CID), "2023Q1", "reopen", admin, reason="发现录入错误")
    assert statuses(con, CID).row(0, named=True)["status"] == "open"
    con.close()


def test_publication_window_and_final(demo_copy):
    con = connect(demo_copy)
    admin = LOCAL_ADMIN
    for period in ("2023Q1", "2023Q2", "2023Q3", "2023Q4"):
        for step in ("submit", "approve", "publish"):
            move(open_campaign(con, CID), period, step, actor(step))
    row = statuses(con, CID).row(0, named=True)
    assert row["objection_ends"] - row["changed_at"] == timedelta(days=5)
    with pytest.raises(CampaignError) as info:
        save_values(open_campaign(con, CID), one("JJ001", "2023Q1", "honours", "2"), admin, reason="x")
    assert codes(info) == {"period_published"} and "objections until" in info.value.render("en")
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q1", "finalize", admin)
    assert codes(info) == {"objection_open"}
    assert not all_final(con, CID)
    later = now() + timedelta(days=6)
    for period in ("2023Q1", "2023Q2", "2023Q3", "2023Q4"):
        move(open_campaign(con, CID), period, "finalize", admin, at=later)
    assert all_final(con, CID)
    checks = verify(con, CID)
    assert [c.scope for c in checks] == [
        "2023Q1",
        "2023Q2",
        "2023Q3",
        "2023Q4",
        "annual",
        "payouts",
        "summary",
    ]
    assert all(c.ok for c in checks)
    # a tampered stored result is caught
    con.execute(
        "UPDATE period_results SET score = score + 1 WHERE unit_id = 'JJ001' "
        "AND period = '2023Q2' AND run_id = ?",
        [checks[1].run_id],
    )
    bad = {c.scope: c.differences for c in verify(con, CID)}
    assert bad["2023Q2"] == 2 and bad["2023Q1"] == 0
    con.close()


def test_locked_periods_refuse_reimport_changes_and_rule_changes(demo_copy, tmp_path):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    move(open_campaign(con, CID), "2023Q1", "approve", actor("approve"))
    folder = write_folder(tmp_path / "c", dict(demo_files("campaign.yaml", "units.csv", "secretaries.csv")))
    values = (DEMO / "values.csv").read_text(encoding="utf-8")
    (folder / "values.csv").write_text(
        values.replace("JJ001,2023Q1,party_building,13,", "JJ001,2023Q1,party_building,14,"), encoding="utf-8"
    )
    with pytest.raises(CampaignError) as info:
        import_campaign(con, read_campaign(folder))
    assert codes(info) == {"period_approved"}
    (folder / "values.csv").write_text(
        values.replace("JJ001,2023Q2,party_building,15,", "JJ001,2023Q2,party_building,14,"), encoding="utf-8"
    )
    import_campaign(con, read_campaign(folder))  # an open period may still change
    yaml_text = (DEMO / "campaign.yaml").read_text(encoding="utf-8")
    (folder / "campaign.yaml").write_text(yaml_text.replace("flag: 20000", "flag: 25000"), encoding="utf-8")
    with pytest.raises(CampaignError) as info:
        import_campaign(con, read_campaign(folder))
    assert codes(info) == {"rules_locked"}
    con.close()


def test_recomputing_gives_identical_results_and_payouts(demo_copy, tmp_path):
    con = connect(demo_copy)
    first = score(con, CID)
    export(open_campaign(con, first.campaign_id), first, tmp_path / "a")
    second = score(con, CID)
    export(open_campaign(con, second.campaign_id), second, tmp_path / "b")
    con.close()
    assert first.run_id == second.run_id
    for name in ("period_results.csv", "annual_results.csv", "points.csv", "payouts.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    a = {k: v for k, v in first.summary.items() if k != "computed_at"}
    b = {k: v for k, v in second.summary.items() if k != "computed_at"}
    assert a == b


def test_summary_and_exports_are_draft_until_final(demo_copy, tmp_path, capsys):
    rc, _, _ = run_cli(capsys, "export", "--campaign", CID, "--out", tmp_path / "o", "--db", demo_copy)
    import json

    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert rc == 0 and summary["status"] == "draft"


def test_cli_period_command(demo_copy, capsys):
    rc, out, _ = run_cli(
        capsys, "period", "--campaign", CID, "--period", "2023Q1", "submit", "--db", demo_copy, "--lang", "en"
    )
    assert rc == 0 and "2023Q1 is now: submitted" in out
    rc, _, err = run_cli(
        capsys,
        "period",
        "--campaign",
        CID,
        "--period",
        "2023Q1",
        "finalize",
        "--db",
        demo_copy,
        "--lang",
        "en",
    )
    assert rc == 1 and "is submitted; it cannot finalise" in err


def test_verify_with_nothing_published(demo_copy, capsys):
    rc, out, _ = run_cli(capsys, "verify", "--campaign", CID, "--db", demo_copy, "--lang", "en")
    assert rc == 0 and "no published results" in out
    assert "the current run (published or not): matches a recomputation" in out


def test_a_payout_row_added_to_a_draft_is_found_and_cannot_be_published(demo_copy, capsys):
    """verify checks the current run before anything is published; publish refuses it."""
    from scoring.core.errors import CampaignError

    con = connect(demo_copy)
    run = con.execute("SELECT run_id FROM runs ORDER BY computed_at DESC LIMIT 1").fetchall()[0][0]
    con.execute(
        "INSERT INTO payouts SELECT * FROM payouts WHERE run_id = ? AND payee_type = 'community' LIMIT 1",
        [run],
    )
    for step in ("submit", "approve"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q1", "publish", actor("publish"))
    assert info.value.problems[0].code == "run_unverified"
    con.close()
    rc, out, _ = run_cli(capsys, "verify", "--campaign", CID, "--db", demo_copy, "--lang", "en")
    assert rc == 1 and "the current run (published or not)" in out
    out_dir = demo_copy.parent / "out"
    rc, _, err = run_cli(capsys, "export", "--campaign", CID, "--out", out_dir, "--db", demo_copy)
    assert rc == 1 and "不能公示" in err and not (out_dir / "payouts.csv").exists()


def test_backup_and_restore_round_trip(demo_copy, tmp_path, capsys):
    backup = tmp_path / "backup.duckdb"
    assert run_cli(capsys, "backup", "--to", backup, "--db", demo_copy)[0] == 0
    con = connect(demo_copy)
    save_values(
        open_campaign(con, CID), one("JJ001", "2023Q1", "honours", "4"), LOCAL_ADMIN, confirm_note="ok"
    )
    con.close()
    assert run_cli(capsys, "restore", backup, "--db", demo_copy)[0] == 0
    con = connect(demo_copy)
    value = con.execute(
        "SELECT value FROM indicator_values WHERE unit_id = 'JJ001' AND "
        "period = '2023Q1' AND indicator_id = 'honours'"
    ).fetchall()[0][0]
    con.close()
    assert value != 4
    rc, _, err = run_cli(capsys, "restore", Path(__file__), "--db", demo_copy, "--lang", "en")
    assert rc == 1 and "not a valid starscore backup" in err


def test_cell_points_of_a_run_whose_data_changed_are_refused(demo_copy, tmp_path):
    from scoring.analysis.profile import unit_points
    from scoring.engine.run import latest_run
    from scoring.store.fingerprint import forget_data_hash

    con = connect(demo_copy)
    run = latest_run(con, CID)
    assert run is not None
    assert (
        unit_points(open_campaign(con, run.campaign_id), run, "JJ001", "2023Q1").height > 0
    )  # current: served
    # a value changed behind the run's back (not through an import or a save, which re-score)
    con.execute(
        """UPDATE value_cells c SET value = value + 1 FROM units u, periods p, indicators i
           WHERE c.campaign_key = (SELECT key_no FROM campaigns WHERE campaign_id = $cid)
             AND u.campaign_id = $cid AND u.unit_id = 'JJ001' AND c.unit_no = u.unit_no
             AND p.campaign_id = $cid AND p.period = '2023Q1' AND c.period_no = p.period_no
             AND i.campaign_id = $cid AND i.indicator_id = 'party_building'
             AND c.indicator_no = i.indicator_no""",
        {"cid": CID},
    )
    forget_data_hash(con, CID)
    for read in (
        lambda: export(open_campaign(con, run.campaign_id), run, tmp_path / "out"),
        lambda: unit_points(open_campaign(con, run.campaign_id), run, "JJ001", None),
    ):
        with pytest.raises(CampaignError) as info:
            read()
        assert info.value.problems[0].code == "run_stale"
    fresh = score(con, CID)
    assert fresh.run_id != run.run_id
    export(open_campaign(con, fresh.campaign_id), fresh, tmp_path / "out")
    con.close()


def test_latest_run_is_the_current_datas_even_when_scored_earlier(demo_copy):
    from scoring.engine.run import latest_run

    con = connect(demo_copy)
    first = latest_run(con, CID)
    assert first is not None
    cell = one("JJ001", "2023Q2", "honours", "3")
    back = one(
        "JJ001",
        "2023Q2",
        "honours",
        str(
            con.execute(
                "SELECT value FROM indicator_values WHERE campaign_id = ? AND unit_id = 'JJ001' "
                "AND period = '2023Q2' AND indicator_id = 'honours'",
                [CID],
            ).fetchall()[0][0]
        ),
    )
    changed = save_values(open_campaign(con, CID), cell, LOCAL_ADMIN, reason="x", confirm_note="x").run
    assert changed is not None and changed.run_id != first.run_id
    again = save_values(open_campaign(con, CID), back, LOCAL_ADMIN, reason="x", confirm_note="x").run
    # the data is the first run's again: that run is reused, and it is the one shown
    assert again is not None and again.run_id == first.run_id
    latest = latest_run(con, CID)
    con.close()
    assert latest is not None and latest.run_id == first.run_id
