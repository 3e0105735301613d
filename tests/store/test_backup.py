"""Backups and restores that finance can trust: a backup is renamed into place (a failed one
leaves the previous whole), a restore checks the backup first (every table read, the schema
version known), keeps the replaced database beside it, and both are audited."""

from __future__ import annotations

import os

import duckdb
import pytest

from scoring.core.errors import CampaignError
from scoring.store import backup as backup_module
from scoring.store.backup import backup
from scoring.store.db import connect
from scoring.store.schema import SCHEMA_VERSION
from tests.helpers import run_cli

CID = "jiujiang-2023"


def _events(db) -> list[tuple[str, str]]:
    con = connect(db)
    rows = con.execute(
        "SELECT action, source FROM audit_log WHERE campaign_id IS NULL ORDER BY seq"
    ).fetchall()
    con.close()
    return rows


def _values(db) -> int:
    con = connect(db, read_only=True)
    n = con.execute("SELECT count(*) FROM value_entries").fetchall()[0][0]
    con.close()
    return n


def test_a_truncated_backup_is_refused_and_the_database_kept(demo_copy, tmp_path, capsys):
    good = tmp_path / "bk.duckdb"
    backup(demo_copy, good)
    cut = tmp_path / "t.duckdb"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) * 99 // 100])
    before = demo_copy.read_bytes()
    rc, _, err = run_cli(capsys, "restore", cut, "--db", demo_copy, "--lang", "en")
    assert rc == 1 and "not a valid starscore backup" in err
    assert demo_copy.read_bytes() == before
    assert not (tmp_path / f"{demo_copy.name}.restoring").exists()
    assert _values(demo_copy) > 0


def test_a_failed_backup_leaves_the_previous_one_whole(demo_copy, tmp_path, monkeypatch):
    target = tmp_path / "bk.duckdb"
    backup(demo_copy, target)
    previous = target.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module.os, "replace", fail)
    with pytest.raises(OSError):
        backup(demo_copy, target)
    assert target.read_bytes() == previous
    assert not target.with_name(target.name + ".partial").exists()


def test_restore_keeps_the_replaced_database_and_is_audited(demo_copy, tmp_path, capsys):
    target = tmp_path / "bk.duckdb"
    rc, _, _ = run_cli(capsys, "backup", "--to", target, "--db", demo_copy, "--user", "财务")
    assert rc == 0
    rc, out, _ = run_cli(capsys, "restore", target, "--db", demo_copy, "--user", "管理员", "--lang", "en")
    assert rc == 0 and "the replaced database is kept as" in out
    kept = [p for p in demo_copy.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and _values(kept[0]) == _values(demo_copy)
    # the backup is recorded in the database it copied (kept beside), the restore in the restored
    assert [a for a, _ in _events(kept[0])] == ["backup"]
    events = _events(demo_copy)
    assert [a for a, _ in events] == ["restore"]
    assert str(target) in events[0][1] and str(kept[0]) in events[0][1]


def test_a_database_of_a_later_schema_is_refused_with_a_clear_message(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    connect(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(CampaignError) as info:
        connect(db)
    assert [p.code for p in info.value.problems] == ["schema_newer"]
    assert "upgrade starscore" in info.value.render("en")
    rc, _, err = run_cli(capsys, "restore", db, "--db", tmp_path / "other.duckdb", "--lang", "en")
    assert rc == 1 and "upgrade starscore" in err and "Traceback" not in err


def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    db.write_bytes(os.urandom(4096))
    rc, _, err = run_cli(capsys, "score", "--campaign", CID, "--db", db, "--lang", "en")
    assert rc == 1 and "cannot open the database file" in err and "Traceback" not in err
