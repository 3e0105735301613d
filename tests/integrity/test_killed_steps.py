"""Steps of several writes, whole after a kill at any moment: a backup's partial file is never
restored, a restore's row is in the database before it takes the old one's place, and a
correction (an objection upheld with a changed value) killed between its steps is finished or
undone by the next objection step. Killing real processes at many points is the slow tests'
(tests/integrity/test_kill9.py); here each step's edge is cut in process."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from scoring.accounts.access import User
from scoring.app import corrections
from scoring.app.corrections import finish_corrections, uphold_with_correction
from scoring.audit.verify import verify, verify_chain
from scoring.core.errors import CampaignError
from scoring.engine.recheck import scored_current
from scoring.store import backup as backup_module
from scoring.store.backup import backup, restore
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.locks import grant_exception
from scoring.workflow.periods import move, statuses
from scoring.workflow.year import objections, record_objection
from tests.helpers import actor

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")
LEADER = User("赵领导", "leader")
# published yesterday: the objection window is open whenever the tests run
PUBLISHED = (datetime.now(UTC) - timedelta(days=1)).replace(tzinfo=None, second=0, microsecond=0)


class Killed(BaseException):
    """The process ending where it stands (nothing after it runs, no handler catches it)."""


def _restores(db) -> int:
    con = connect(db)
    try:
        return con.execute("SELECT count(*) FROM audit_log WHERE action LIKE 'restore%'").fetchall()[0][0]
    finally:
        con.close()


def test_a_partial_backup_is_never_restored(demo_copy, tmp_path):
    whole = tmp_path / "bk.duckdb"
    backup(demo_copy, whole)
    partial = tmp_path / "bk.duckdb.partial"
    shutil.copy(whole, partial)  # a backup killed after its copy, before its rename
    with pytest.raises(CampaignError) as caught:
        restore(partial, demo_copy)
    assert [p.code for p in caught.value.problems] == ["backup_partial"]
    assert _restores(demo_copy) == 0


def test_a_restore_killed_before_its_rename_leaves_the_old_database_whole(demo_copy, tmp_path, monkeypatch):
    whole = tmp_path / "bk.duckdb"
    backup(demo_copy, whole)
    con = connect(demo_copy)
    con.execute("UPDATE campaigns SET name = name")  # the old database, told apart below
    before = verify_chain(con).rows
    con.close()

    def killed(*_: object) -> None:
        raise Killed

    monkeypatch.setattr(backup_module.os, "replace", killed)
    with pytest.raises(Killed):
        restore(whole, demo_copy)
    monkeypatch.undo()
    con = connect(demo_copy)
    assert verify_chain(con).ok and verify_chain(con).rows == before and _restores(demo_copy) == 0
    con.close()
    restore(whole, demo_copy)  # the next restore is whole, its row in the restored database
    con = connect(demo_copy)
    assert verify_chain(con).ok
    con.close()
    assert _restores(demo_copy) == 1


def _objection(con) -> int:
    for step in ("submit", "approve"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    move(open_campaign(con, CID), "2023Q1", "publish", ADMIN, at=PUBLISHED)
    return record_objection(
        open_campaign(con, CID), "JJ001", "居民甲", "社区获市级表彰未计入", LEADER, "2023Q1"
    )


def _honours(con) -> str:
    rows = con.execute(
        "SELECT CAST(value AS VARCHAR) FROM indicator_values WHERE campaign_id = ? AND unit_id = 'JJ001' "
        "AND period = '2023Q1' AND indicator_id = 'honours'",
        [CID],
    ).fetchall()
    return rows[0][0]


def _whole(con) -> None:
    """Nothing left open, the trail whole, every stored result as a recomputation makes it."""
    assert con.execute("SELECT count(*) FROM lock_exceptions WHERE closed_at IS NULL").fetchall() == [(0,)]
    assert verify_chain(con).ok
    assert [c.scope for c in verify(con, CID) if not c.ok] == []


def _killed_at(monkeypatch: pytest.MonkeyPatch, con, no: int, step: str) -> None:
    """An objection upheld with a correction, the process ending where ``step`` is called."""

    def killed(*_: object, **__: object) -> None:
        raise Killed

    monkeypatch.setattr(corrections, step, killed)
    with pytest.raises(Killed):
        uphold_with_correction(open_campaign(con, CID), no, "honours", "3", "市级表彰属实，补计", ADMIN)
    monkeypatch.undo()


def test_a_correction_killed_after_its_save_is_finished_by_the_next_step(demo_copy, monkeypatch):
    con = connect(demo_copy)
    no = _objection(con)
    old = _honours(con)

    _killed_at(monkeypatch, con, no, "close_exception")
    # the value is saved and scored, the exception open, the objection pending
    assert _honours(con) != old
    assert objections(con, CID)["outcome"].to_list() == ["pending"]
    assert finish_corrections(open_campaign(con, CID)) == 1
    row = objections(con, CID).row(0, named=True)
    assert row["outcome"] == "upheld" and row["correction"].endswith("→ 3")
    assert statuses(con, CID).row(0, named=True)["run_id"] == scored_current(con, CID)  # re-pinned
    _whole(con)
    assert finish_corrections(open_campaign(con, CID)) == 0  # nothing left to finish
    con.close()


def test_a_correction_killed_before_its_save_is_undone(demo_copy):
    con = connect(demo_copy)
    no = _objection(con)
    old = _honours(con)
    # the first step alone, as a kill right after it leaves it
    grant_exception(
        open_campaign(con, CID),
        "2023Q1",
        ADMIN,
        f"#{no} 属实",
        unit_id="JJ001",
        indicator_id="honours",
        objection_no=no,
    )
    assert finish_corrections(open_campaign(con, CID)) == 1
    assert _honours(con) == old and objections(con, CID)["outcome"].to_list() == ["pending"]
    _whole(con)
    # and the correction can then be made whole
    uphold_with_correction(open_campaign(con, CID), no, "honours", "3", "属实", ADMIN)
    assert objections(con, CID)["outcome"].to_list() == ["upheld"]
    _whole(con)
    con.close()


def test_closing_and_upholding_are_one_commit(demo_copy, monkeypatch):
    """A failure inside the last step takes back the exception's close with it: the correction
    is then finished by the next step, never half recorded."""
    con = connect(demo_copy)
    no = _objection(con)

    _killed_at(monkeypatch, con, no, "handle_objection")
    open_ = con.execute("SELECT count(*) FROM lock_exceptions WHERE closed_at IS NULL").fetchall()
    assert open_ == [(1,)]  # the close was rolled back with the failed upholding
    assert finish_corrections(open_campaign(con, CID)) == 1
    _whole(con)
    assert objections(con, CID)["outcome"].to_list() == ["upheld"]
    con.close()
