"""Back up the whole database to one file and restore it, with one command each.

A backup is written beside its target and renamed into place, so a backup killed midway
leaves the previous one whole. A restore first checks the backup (opened read-only, every
table of the schema read to its last row, its schema version known), keeps the current
database beside it, and only then puts the backup in its place. Both are recorded in the
audit log (campaign empty: they concern the whole database).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from scoring.core.errors import CampaignError, Problem
from scoring.store.db import connect, now, record_event
from scoring.store.schema import LATER_TABLES, SCHEMA_VERSION, TABLES


def backup(db: str | Path, target: Path, wait_seconds: float = 10.0, who: str = "local") -> None:
    """A consistent copy (taken inside the database, while holding its lock)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    con = connect(db, wait_seconds=wait_seconds)
    try:
        con.execute("CHECKPOINT")
        name = con.execute("SELECT current_database()").fetchall()[0][0]
        con.execute("ATTACH ? AS starscore_backup", [str(partial)])
        try:
            quoted = '"' + str(name).replace('"', '""') + '"'  # an identifier: it cannot be bound
            con.execute(f"COPY FROM DATABASE {quoted} TO starscore_backup")
        finally:
            con.execute("DETACH starscore_backup")
        os.replace(partial, target)
        record_event(con, "backup", who, str(target))
    finally:
        partial.unlink(missing_ok=True)
        con.close()


def check_backup(path: Path) -> None:
    """Refuse a file that is not a whole starscore database: it must open read-only, hold
    every table of the schema, read to the last row of each, and have a known schema version."""

    def invalid(detail: str) -> CampaignError:
        return CampaignError([Problem(str(path), None, None, "backup_invalid", {"detail": detail[:300]})])

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise invalid(str(exc).splitlines()[0]) from None
    try:
        present = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        optional = set(LATER_TABLES) | (
            {"value_cells", "value_entries"} if "indicator_values" in present else set()
        )
        absent = [t for t in TABLES if t not in present and t not in optional]
        if absent:
            raise invalid("missing tables: " + ", ".join(absent))
        version = 1
        if "meta" in present:
            rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            version = int(rows[0][0]) if rows else 1
        if version > SCHEMA_VERSION:
            raise CampaignError(
                [Problem(str(path), None, None, "schema_newer", {"found": version, "known": SCHEMA_VERSION})]
            )
        for table in (t for t in TABLES if t in present):  # every column of every row read
            con.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {table} t").fetchall()
    except duckdb.Error as exc:
        raise invalid(str(exc).splitlines()[0]) from None
    finally:
        con.close()


def restore(source: Path, db: str | Path, wait_seconds: float = 10.0, who: str = "local") -> Path | None:
    """Replace the database file by a checked copy of the backup; the database it replaces is
    kept beside it (returned: its path), and the restore is audited in the restored one."""
    if not source.is_file():
        raise CampaignError([Problem(str(source), None, None, "file_missing", {})])
    staging = Path(f"{db}.restoring")
    shutil.copyfile(source, staging)
    try:
        check_backup(staging)
    except CampaignError:
        staging.unlink(missing_ok=True)
        raise
    kept = None
    if Path(db).exists():
        con = connect(db, wait_seconds=wait_seconds)  # wait for any writer to finish
        con.execute("CHECKPOINT")
        con.close()
        kept = Path(f"{db}.before-restore-{now():%Y%m%dT%H%M%S}")
        shutil.copyfile(db, kept)
    Path(f"{db}.wal").unlink(missing_ok=True)
    os.replace(staging, db)
    con = connect(db, wait_seconds=wait_seconds)
    try:
        record_event(
            con, "restore", who, f"{source}" + (f" (replaced database kept as {kept})" if kept else "")
        )
    finally:
        con.close()
    return kept
