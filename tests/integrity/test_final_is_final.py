"""Money that cannot move after the 公示: once the year is final nothing opens it again (no
exception, value, objection or import); a final period opens only for an objection to the year
upheld inside the year's 公示; objections only inside their window; four eyes counts who ran an
import; a town's exception never unlocks its approved values."""

from __future__ import annotations

import re
from datetime import timedelta

import polars as pl
import pytest

from scoring.accounts.access import LOCAL_ADMIN, User
from scoring.app.corrections import uphold_with_correction
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.locks import close_exception, grant_exception, set_deadline
from scoring.workflow.periods import move
from scoring.workflow.towns import move_town
from scoring.workflow.year import move_year, record_objection
from tests.helpers import DEMO, actor, demo_files, run_cli, stored_value, write_folder

CID = "jiujiang-2023"
PERIODS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")
ADMIN = User("张主任", "admin")
LEADER = User("赵领导", "leader")


def codes(info: pytest.ExceptionInfo[CampaignError]) -> set[str]:
    return {p.code for p in info.value.problems}


def one(unit: str, period: str, indicator: str, value: str) -> pl.DataFrame:
    return pl.DataFrame(
        {"unit_id": [unit], "period": [period], "indicator_id": [indicator], "value": [value], "_row": [1]}
    )


def _all_final(con) -> None:
    later = now() + timedelta(days=6)
    for period in PERIODS:
        for step in ("submit", "approve", "publish"):
            move(open_campaign(con, CID), period, step, actor(step))
        move(open_campaign(con, CID), period, "finalize", ADMIN, at=later)


def test_once_the_year_is_final_nothing_moves_money(demo_copy, tmp_path):
    con = connect(demo_copy)
    _all_final(con)
    move_year(open_campaign(con, CID), "publish", ADMIN)
    move_year(open_campaign(con, CID), "finalize", ADMIN, at=now() + timedelta(days=6))
    paid = con.execute("SELECT sum(final_fen) FROM payouts").fetchall()
    with pytest.raises(CampaignError) as info:
        grant_exception(open_campaign(con, CID), "2023Q2", ADMIN, "更正", unit_id="JJ001")
    assert codes(info) == {"year_final_frozen"}
    with pytest.raises(CampaignError) as info:
        save_values(
            open_campaign(con, CID),
            one("JJ001", "2023Q2", "honours", "5"),
            LOCAL_ADMIN,
            reason="x",
            confirm_note="x",
        )
    assert codes(info) == {"year_final_frozen"}
    for period in (None, "2023Q2"):
        with pytest.raises(CampaignError) as info:
            record_objection(open_campaign(con, CID), "JJ001", "居民", "有误", LEADER, period)
        assert codes(info) == {"objection_window_closed"}
    folder = write_folder(tmp_path / "again", demo_files("campaign.yaml", "units.csv", "secretaries.csv"))
    text = (DEMO / "values.csv").read_text(encoding="utf-8")
    values = re.sub(r"(?m)^(JJ001,2023Q2,honours,)[^,]*", r"\g<1>4", text)
    assert values != text
    (folder / "values.csv").write_text(values, encoding="utf-8")
    with pytest.raises(CampaignError) as info:
        import_campaign(con, read_campaign(folder), reason="x", confirm=True)
    assert "year_final_frozen" in codes(info) or "period_final" in codes(info)
    assert con.execute("SELECT sum(final_fen) FROM payouts").fetchall() == paid
    con.close()


def test_a_final_period_opens_only_for_an_objection_to_the_year_in_its_window(demo_copy):
    con = connect(demo_copy)
    _all_final(con)
    with pytest.raises(CampaignError) as info:  # the year not yet published: no way in
        grant_exception(open_campaign(con, CID), "2023Q2", ADMIN, "更正", unit_id="JJ001")
    assert codes(info) == {"period_final_frozen"}
    move_year(open_campaign(con, CID), "publish", ADMIN)
    with pytest.raises(CampaignError) as info:  # an exception of its own: still no
        grant_exception(open_campaign(con, CID), "2023Q2", ADMIN, "更正", unit_id="JJ001")
    assert codes(info) == {"period_final_frozen"}
    no = record_objection(open_campaign(con, CID), "JJ001", "居民", "二季度荣誉漏计", LEADER)
    uphold_with_correction(
        open_campaign(con, CID), no, "honours", "4", "属实", ADMIN, period="2023Q2"
    )  # the way in
    late = now() + timedelta(days=30)
    with pytest.raises(CampaignError) as info:  # after the year's window
        record_objection(open_campaign(con, CID), "JJ002", "居民", "有误", LEADER, received_at=late)
    assert codes(info) == {"objection_window_closed"}
    con.close()


def test_a_period_with_an_open_exception_is_not_made_final(demo_copy):
    con = connect(demo_copy)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    no = grant_exception(open_campaign(con, CID), "2023Q1", ADMIN, "更正", unit_id="JJ001")
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q1", "finalize", ADMIN, at=now() + timedelta(days=6))
    assert codes(info) == {"exceptions_open"}
    close_exception(con, CID, no, ADMIN, repin=False)
    assert move(open_campaign(con, CID), "2023Q1", "finalize", ADMIN, at=now() + timedelta(days=6)) == "final"
    con.close()


def test_who_ran_the_import_cannot_approve_what_it_brought(tmp_path):
    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(DEMO), who="甲")  # values.csv names other evaluators
    move(open_campaign(con, CID), "2023Q1", "submit", User("乙", "evaluator"))
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q1", "approve", User("甲", "admin"))
    assert codes(info) == {"four_eyes"}
    assert move(open_campaign(con, CID), "2023Q1", "approve", User("丙", "leader")) == "approved"
    con.close()


def test_a_town_s_exception_never_unlocks_its_approved_values(demo_copy):
    con = connect(demo_copy)
    move_town(con, CID, "2023Q2", "湾里街道", "submit", User("王评", "evaluator", ("湾里街道",)))
    move_town(con, CID, "2023Q2", "湾里街道", "approve", LEADER)
    set_deadline(open_campaign(con, CID), "2023Q2", "2020-01-01", ADMIN)
    grant_exception(open_campaign(con, CID), "2023Q2", ADMIN, "补录", town="湾里街道")
    with pytest.raises(CampaignError) as info:
        wang = User("王评", "evaluator", ("湾里街道",))
        save_values(
            open_campaign(con, CID),
            one("JJ001", "2023Q2", "honours", "5"),
            wang,
            reason="x",
            confirm_note="x",
        )
    assert codes(info) == {"town_approved"}
    grant_exception(
        open_campaign(con, CID), "2023Q2", ADMIN, "更正", unit_id="JJ001"
    )  # naming the unit: it opens
    save_values(
        open_campaign(con, CID),
        one("JJ001", "2023Q2", "honours", "5"),
        ADMIN,
        reason="更正",
        confirm_note="x",
    )
    con.close()


def test_two_saves_of_one_cell_at_the_same_moment_one_is_refused(demo_copy):
    import threading

    old = stored_value(demo_copy, "JJ001", "2023Q4", "honours")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def edit(value: str) -> None:
        mine = connect(demo_copy)
        cell = one("JJ001", "2023Q4", "honours", value).with_columns(pl.lit(str(int(old))).alias("old"))
        start.wait()
        try:
            save_values(open_campaign(mine, CID), cell, LOCAL_ADMIN, confirm_note="核实")
            outcomes.append("saved")
        except CampaignError as exc:
            outcomes.append("+".join(sorted({p.code for p in exc.problems})))
        finally:
            mine.close()

    for _ in range(4):  # each round from the same loaded value
        con = connect(demo_copy)
        save_values(
            open_campaign(con, CID),
            one("JJ001", "2023Q4", "honours", str(int(old))),
            LOCAL_ADMIN,
            confirm_note="x",
        )
        con.close()
        outcomes.clear()
        threads = [threading.Thread(target=edit, args=(v,)) for v in ("3", "4")]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(outcomes) == ["saved", "stale_edit"], outcomes


def test_a_backup_from_before_the_publication_is_not_restored_over_it(demo_copy, tmp_path, capsys):
    backup = tmp_path / "before.duckdb"
    assert run_cli(capsys, "backup", "--to", backup, "--db", demo_copy)[0] == 0
    con = connect(demo_copy)
    _all_final(con)
    con.close()
    rc, _, err = run_cli(capsys, "restore", backup, "--db", demo_copy)
    assert rc != 0 and "撤回" in err and "2023Q4 final" in err
    con = connect(demo_copy)
    assert con.execute("SELECT count(*) FROM period_status WHERE status = 'final'").fetchall() == [(4,)]
    con.close()
    why = "数据库损坏，经局务会同意"
    rc, _, _ = run_cli(capsys, "restore", backup, "--db", demo_copy, "--force-reason", why)
    assert rc == 0
    con = connect(demo_copy)
    row = con.execute("SELECT who, source FROM audit_log WHERE action = 'restore_forced'").fetchall()
    con.close()
    assert len(row) == 1 and "经局务会同意" in row[0][1] and "2023Q1 final" in row[0][1]


def test_verify_reads_the_pins_from_the_log_not_from_editable_pointers(demo_copy):
    from scoring.audit.verify import verify
    from scoring.engine.run import score

    con = connect(demo_copy)
    _all_final(con)
    assert all(c.ok for c in verify(con, CID))
    # the file's owner sets a final period back to open: the stored state disagrees with the log
    con.execute("UPDATE period_status SET status = 'open' WHERE period = '2023Q2'")
    assert [c.scope for c in verify(con, CID) if not c.ok] == ["state"]
    con.execute("UPDATE period_status SET status = 'final' WHERE period = '2023Q2'")
    # a value changed around the product, scored again and the pointer moved to the new run
    con.execute("UPDATE value_cells SET value = value + 2 WHERE rowid = (SELECT min(rowid) FROM value_cells)")
    con.execute("UPDATE campaigns SET data_hash = NULL, data_digest = NULL")
    fresh = score(con, CID).run_id
    con.execute("UPDATE period_status SET run_id = ?", [fresh])
    bad = {c.scope for c in verify(con, CID) if not c.ok}
    assert "state" in bad and bad & {"2023Q1", "annual", "payouts", "summary"}
    con.close()


def test_verify_finds_an_account_inserted_and_an_objection_deleted_around_the_product(demo_copy):
    from scoring.accounts.access import add_user
    from scoring.audit.verify import verify

    con = connect(demo_copy)
    add_user(con, "赵领导", "leader-pass-1", "leader")
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    record_objection(open_campaign(con, CID), "JJ001", "居民", "有误", LEADER, "2023Q1")
    assert all(c.ok for c in verify(con, CID))
    con.execute(
        "INSERT INTO users (username, password_hash, role, towns, areas, disabled, created_at) "
        "SELECT 'root2', password_hash, 'admin', [], [], false, created_at FROM users LIMIT 1"
    )
    con.execute("DELETE FROM objections")
    bad = {c.scope: c.differences for c in verify(con, CID) if not c.ok}
    assert bad == {"users": 1, "objections": 1}
    con.close()


def test_a_final_period_is_never_reopened_and_a_silent_value_change_is_found(demo_copy):
    from scoring.audit.verify import verify

    con = connect(demo_copy)
    _all_final(con)
    with pytest.raises(CampaignError) as info:
        move(open_campaign(con, CID), "2023Q2", "reopen", ADMIN, reason="重算")
    assert codes(info) == {"bad_transition"}
    assert all(c.ok for c in verify(con, CID))
    # a value nudged around the product by 10^-9: no score moves at two decimals, yet the data
    # are not those the published results used
    con.execute(
        "UPDATE value_cells SET value = value + 0.000000001 "
        "WHERE rowid = (SELECT min(rowid) FROM value_cells)"
    )
    bad = {c.scope for c in verify(con, CID) if not c.ok}
    assert "data" in bad
    con.close()


def test_who_recorded_an_objection_does_not_uphold_its_correction(demo_copy):
    con = connect(demo_copy)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    no = record_objection(open_campaign(con, CID), "JJ001", "居民", "荣誉漏计", ADMIN, "2023Q1")
    with pytest.raises(CampaignError) as info:
        uphold_with_correction(open_campaign(con, CID), no, "honours", "4", "属实", ADMIN)
    assert codes(info) == {"correction_four_eyes"}
    uphold_with_correction(open_campaign(con, CID), no, "honours", "4", "属实", User("李副主任", "admin"))
    con.close()
