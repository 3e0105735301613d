"""Back up the whole database to one file and restore it, with one command each."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from scoring.core.errors import CampaignError, Problem
from scoring.store.db import connect


def backup(db: str | Path, target: Path, wait_seconds: float = 10.0) -> None:
    """A consistent copy (taken inside the database, while holding its lock)."""
    if target.exists():
        target.unlink()
    con = connect(db, wait_seconds=wait_seconds)
    try:
        con.execute("CHECKPOINT")
        name = con.execute("SELECT current_database()").fetchall()[0][0]
        con.execute("ATTACH ? AS starscore_backup", [str(target)])
        con.execute(f'COPY FROM DATABASE "{name}" TO starscore_backup')
        con.execute("DETACH starscore_backup")
    finally:
        con.close()


def restore(source: Path, db: str | Path, wait_seconds: float = 10.0) -> None:
    """Replace the database file by a checked copy of the backup."""
    if not source.is_file():
        raise CampaignError([Problem(str(source), None, None, "file_missing", {})])
    staging = Path(f"{db}.restoring")
    shutil.copyfile(source, staging)
    try:
        check = duckdb.connect(str(staging), read_only=True)
        check.execute("SELECT count(*) FROM campaigns").fetchall()
        check.close()
    except duckdb.Error as exc:
        staging.unlink(missing_ok=True)
        raise CampaignError(
            [Problem(str(source), None, None, "backup_invalid", {"detail": str(exc).splitlines()[0]})]
        ) from None
    con = connect(db, wait_seconds=wait_seconds)  # wait for any writer to finish
    con.close()
    Path(f"{db}.wal").unlink(missing_ok=True)
    os.replace(staging, db)
