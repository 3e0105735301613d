"""A database on a read-only file system: reading commands work (verify, export, status,
audit); a change is refused in words, never a traceback. On a full disk a save is refused in
words and nothing is lost."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scoring.core.errors import CampaignError
from scoring.store.db import connect, transaction
from tests.helpers import run_cli, stored_value

CID = "jiujiang-2023"


def test_a_read_only_connection_refuses_a_write_in_words(demo_copy):
    con = connect(demo_copy, read_only=True)
    with pytest.raises(CampaignError) as info, transaction(con):
        pass
    assert [p.code for p in info.value.problems] == ["db_read_only"]
    assert "只读" in info.value.render("zh")
    con.close()


@pytest.fixture
def read_only_db(demo_copy: Path, tmp_path: Path):
    """The demo database in a folder mounted read-only (needs root and mount; else skipped)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only mount needs root")
    src, mnt = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    mnt.mkdir()
    shutil.copy(demo_copy, src / "starscore.duckdb")
    bind = subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip(f"mount refused here: {bind.stderr.decode()[:200]}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mnt)], check=True, capture_output=True)
        yield mnt / "starscore.duckdb"
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_reading_commands_work_on_a_read_only_file_system(read_only_db, tmp_path, capsys):
    db = ["--db", read_only_db]
    for command in (
        ["verify", "--campaign", CID],
        ["audit", "--campaign", CID],
        ["period", "status", "--campaign", CID],
        ["export", "--campaign", CID, "--out", tmp_path / "out"],
    ):
        rc, _, err = run_cli(capsys, *command, *db)
        assert rc == 0, (command, err)
    assert (tmp_path / "out" / "payouts.csv").exists()
    rc, _, err = run_cli(
        capsys, "set", "--campaign", CID, "--unit", "JJ001", "--period", "2023Q1",
        "--indicator", "honours", "--value", "2", *db,
    )  # fmt: skip
    assert rc == 1 and "只读" in err and "Traceback" not in err


@pytest.fixture
def full_disk(demo_copy: Path, tmp_path: Path):
    """The demo database on a small file system filled to the last byte (root and mount)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small file system needs root")
    mnt = tmp_path / "full"
    mnt.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mnt)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"mount refused here: {made.stderr.decode()[:200]}")
    try:
        shutil.copy(demo_copy, mnt / "starscore.duckdb")
        with (mnt / "fill").open("wb") as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * (1 << 20))
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_full_disk_refuses_a_save_in_words_and_loses_nothing(full_disk, capsys):
    db = full_disk / "starscore.duckdb"
    cell = ("--campaign", CID, "--unit", "JJ001", "--period", "2023Q1", "--indicator", "honours")
    before = stored_value(db, "JJ001", "2023Q1", "honours")
    rc, _, err = run_cli(capsys, "set", *cell, "--value", "4", "--confirm", "核实", "--db", db)
    assert rc == 1 and "磁盘可能已满" in err and "Traceback" not in err
    (full_disk / "fill").unlink()  # space again: the database is as it was, and works
    assert stored_value(db, "JJ001", "2023Q1", "honours") == before
    rc, _, _ = run_cli(capsys, "verify", "--campaign", CID, "--db", db)
    assert rc == 0
