"""``kill -9`` at many moments of each step that writes more than once: a backup, a restore, an
objection upheld with a correction, a department's delivery and a sheet of users. After each
kill the database opens, its audit trail is whole, ``verify`` finds every stored result as a
recomputation makes it (once the next objection step has finished a killed correction), and
the step either happened whole or not at all. Slow: each kill is a fresh process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scoring.accounts.access import User
from scoring.app.corrections import finish_corrections
from scoring.audit.verify import verify, verify_chain
from scoring.store.backup import backup, check_backup
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.periods import move
from scoring.workflow.year import objections, record_objection
from tests.helpers import actor

pytestmark = pytest.mark.slow

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")
LEADER = User("赵领导", "leader")
POINTS = 10  # kills per step, spread over the step's own duration
ROOT = Path(__file__).resolve().parents[2]
# what each step's process has: the database (con), the operator (u), a file beside it (here)
PRELUDE = (
    "import sys; from pathlib import Path; from scoring.accounts.access import User; "
    "from scoring.store.db import connect; from scoring.store.campaign import open_campaign; "
    "con = connect(sys.argv[1]); u = User('张主任', 'admin'); "
    "here = Path(sys.argv[1]).with_name; "
)


def _run(code: str, *args: str) -> subprocess.Popen[str]:
    """The step in a fresh process, which says "ready" once imported, just before the step."""
    ready = code.replace("; STEP; ", "; print('ready', flush=True); ")
    return subprocess.Popen(
        [sys.executable, "-c", ready, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _started(process: subprocess.Popen[str]) -> float:
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return time.monotonic()


def _kills(code: str, prepare, check, tmp: Path) -> list[str]:
    """Run the step once whole to time it, then kill it at POINTS moments spread over the step
    itself (after its imports), each on a fresh copy; ``check`` sees each copy and says what it
    found. Returns what the kills left."""
    db = prepare(tmp / "whole")
    process = _run(code, str(db))
    started = _started(process)
    assert process.wait(timeout=300) == 0
    took = time.monotonic() - started
    check(db, True)
    found = []
    for k in range(POINTS):
        db = prepare(tmp / f"k{k}")
        process = _run(code, str(db))
        _started(process)
        time.sleep(took * 1.2 * k / (POINTS - 1))  # the last ones after the step may have ended
        process.kill()
        process.wait()
        found.append(check(db, None))
    assert len(set(found)) >= 2, found  # the kills fell before the step ended and after
    return found


def _beside(demo_db: Path, name: str, text: str):
    """A fresh copy of the demo with a file beside it."""

    def prepare(folder: Path) -> Path:
        db = _copy(demo_db, folder)
        (folder / name).write_text(text, encoding="utf-8")
        return db

    return prepare


def _one(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = connect(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _whole(db: Path) -> None:
    con = connect(db)
    try:
        assert verify_chain(con).ok
        assert [c.scope for c in verify(con, CID) if not c.ok] == []
    finally:
        con.close()


def _copy(demo_db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(demo_db, folder / "work.duckdb")
    return folder / "work.duckdb"


def test_a_backup_killed_anywhere_is_whole_or_absent(demo_db, tmp_path):
    code = (
        "import sys; from pathlib import Path; from scoring.store.backup import backup; STEP; "
        "backup(sys.argv[1], Path(sys.argv[1]).with_name('bk.duckdb'))"
    )

    def check(db: Path, _: object) -> str:
        target = db.with_name("bk.duckdb")
        if target.exists():  # a backup there is a whole one
            check_backup(target)
        _whole(db)
        return "backup" if target.exists() else "none"

    _kills(code, lambda f: _copy(demo_db, f), check, tmp_path)


def test_a_restore_killed_anywhere_leaves_the_old_database_or_the_new_with_its_row(demo_db, tmp_path):
    code = (
        "import sys; from pathlib import Path; from scoring.store.backup import restore; STEP; "
        "restore(Path(sys.argv[1]).with_name('bk.duckdb'), sys.argv[1])"
    )

    def prepare(folder: Path) -> Path:
        db = _copy(demo_db, folder)
        backup(db, folder / "bk.duckdb")
        con = connect(db)
        move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))  # the old database, told apart
        con.close()
        return db

    def check(db: Path, whole: object) -> str:
        restored = _one(db, "SELECT count(*) FROM audit_log WHERE action = 'restore'")
        submitted = _one(
            db, "SELECT status FROM period_status WHERE campaign_id = ? AND period = '2023Q1'", [CID]
        )
        # the new database (2023Q1 open: no status row) always with its restore row, the old one
        # (2023Q1 submitted) never with one
        assert (restored, submitted) in (([(1,)], []), ([(0,)], [("submitted",)]))
        if whole:
            assert restored == [(1,)]
        _whole(db)
        return f"restored {restored[0][0]}"

    _kills(code, prepare, check, tmp_path)


def test_a_correction_killed_anywhere_is_finished_or_undone(demo_db, tmp_path):
    code = (
        PRELUDE + "from scoring.app.corrections import uphold_with_correction; STEP; "
        "uphold_with_correction(open_campaign(con, 'jiujiang-2023'), 1, 'honours', '3', '属实，补计', u)"
    )

    def prepare(folder: Path) -> Path:
        db = _copy(demo_db, folder)
        con = connect(db)
        for step in ("submit", "approve"):
            move(open_campaign(con, CID), "2023Q1", step, actor(step))
        move(open_campaign(con, CID), "2023Q1", "publish", ADMIN)
        record_objection(open_campaign(con, CID), "JJ001", "居民甲", "社区获市级表彰未计入", LEADER, "2023Q1")
        con.close()
        return db

    def check(db: Path, whole: object) -> str:
        con = connect(db)
        try:
            finished = finish_corrections(open_campaign(con, CID))  # as the next objection step does
            outcome = objections(con, CID)["outcome"].to_list()
            assert outcome in (["pending"], ["upheld"]) and (not whole or outcome == ["upheld"])
            assert con.execute("SELECT count(*) FROM lock_exceptions WHERE closed_at IS NULL").fetchall() == [
                (0,)
            ]
        finally:
            con.close()
        _whole(db)
        return f"{outcome[0]}" + (" finished" if finished else "")

    _kills(code, prepare, check, tmp_path)


def test_a_delivery_killed_anywhere_is_recorded_with_its_values_or_not_at_all(demo_db, tmp_path):
    code = (
        PRELUDE + "from scoring.app.deliveries import preview, confirm; f = here('income.csv'); "
        "d = preview(open_campaign(con, 'jiujiang-2023'), 'collective_income', f.name, f.read_bytes(), "
        "u, '2023Q1'); STEP; "
        "confirm(con, d, u, reason='部门更正', confirm_note='核对')"
    )
    source = (ROOT / "data/demo/sources/集体经济收入_2023年第一季度.csv").read_bytes().decode("utf-8")
    lines = source.splitlines()
    header = next(k for k, line in enumerate(lines) if "经营性收入" in line)
    row = lines[header + 1].split(",")
    row[-1] = str(int(float(row[-1])) + 10000)  # one village's income 10,000 元 more
    lines[header + 1] = ",".join(row)

    prepare = _beside(demo_db, "income.csv", "\n".join(lines) + "\n")

    def check(db: Path, whole: object) -> str:
        deliveries = _one(db, "SELECT count(*) FROM source_deliveries")[0][0]
        changed = _one(db, "SELECT count(*) FROM audit_log WHERE reason = '部门更正' AND action = 'change'")
        changed = changed[0][0]
        assert (deliveries, changed) in ((0, 0), (1, 1)) and (not whole or deliveries == 1)
        return f"delivered {deliveries}"

    _kills(code, prepare, check, tmp_path)


def test_a_sheet_of_users_killed_anywhere_adds_all_or_none(demo_db, tmp_path):
    code = (
        PRELUDE + "import polars as pl; from scoring.accounts.users import import_users; STEP; "
        "import_users(con, pl.read_csv(here('users.csv'), infer_schema=False), 'users.csv')"
    )
    sheet = "username,role,password\n" + "".join(
        f"评分员{k:02d},leader,Pass-word-{k:04d}-x\n" for k in range(8)
    )

    prepare = _beside(demo_db, "users.csv", sheet)

    def check(db: Path, whole: object) -> str:
        n = _one(db, "SELECT count(*) FROM users WHERE username LIKE '评分员%'")[0][0]
        _whole(db)
        assert n in (0, 8) and (not whole or n == 8)
        return f"users {n}"

    _kills(code, prepare, check, tmp_path)
