"""Back up the whole database to one file and restore it, with one command each.

A backup is written beside its target as ``<name>.partial`` and renamed into place, so a
backup killed midway leaves the previous one whole, and the partial file is never restored. A
restore first checks a copy of the backup (opened read-only, every table of the schema read to
its last row, its schema version known), keeps the current database beside it, writes the
restore's audit row into the copy, checks it again, and only then puts it in the database's
place in one rename. Both are recorded in the audit log (campaign empty: they concern the whole
database).
"""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from pathlib import Path

import duckdb

from scoring.core.errors import CampaignError, Problem
from scoring.store.db import connect, log_event, now
from scoring.store.schema import LATER_TABLES, SCHEMA_VERSION, TABLES

PARTIAL = ".partial"  # a backup being written: renamed to its name only once whole


def backup(db: str | Path, target: Path, wait_seconds: float = 10.0, who: str = "local") -> None:
    """A consistent copy (taken inside the database, while holding its lock)."""
    partial = target.with_name(target.name + PARTIAL)
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
        log_event(con, "backup", who, str(target))
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


# how far a period (or a year) has gone; published and final results have moved money
_STAGES = {"open": 0, "submitted": 1, "approved": 2, "returned": 0, "published": 3, "final": 4}


def _published(path: str | Path) -> dict[tuple[str, str], str]:
    """Every (campaign, period or 全年) of a database file that is published or final."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        found: dict[tuple[str, str], str] = {}
        for table, period in (("period_status", "period"), ("year_status", "'全年'")):
            with suppress(duckdb.CatalogException):  # an older schema: none of this kind
                rows = con.execute(
                    f"SELECT campaign_id, {period}, status FROM {table} "
                    "WHERE status IN ('published', 'final')"
                ).fetchall()
                found |= {(c, p): st for c, p, st in rows}
        return found
    finally:
        con.close()


def rolled_back(current: str | Path, backup_file: Path) -> list[str]:
    """What restoring the backup would take back: each published or final period (or year) of
    the current database that the backup has at an earlier stage ("jiujiang-2023 2023Q4 定稿")."""
    now_ = _published(current)
    then = _published(backup_file)
    return [
        f"{cid} {period} {status}"
        for (cid, period), status in sorted(now_.items())
        if _STAGES.get(then.get((cid, period), "open"), 0) < _STAGES[status]
    ]


def restore(
    source: Path,
    db: str | Path,
    wait_seconds: float = 10.0,
    who: str = "local",
    force_reason: str | None = None,
) -> Path | None:
    """Replace the database file by a checked copy of the backup; the database it replaces is
    kept beside it (returned: its path), and the restore is audited in the restored one. A
    backup from before periods (or a year) of the current database were published or made final
    is refused, unless forced with a reason (``force_reason``), which the audit row keeps with
    what it took back."""
    if not source.is_file():
        raise CampaignError([Problem(str(source), None, None, "file_missing", {})])
    if source.name.endswith(PARTIAL):  # a backup killed midway: never one to restore
        raise CampaignError([Problem(str(source), None, None, "backup_partial", {})])
    staging = Path(f"{db}.restoring")
    Path(f"{staging}.wal").unlink(missing_ok=True)  # a restore killed earlier left its copy
    shutil.copyfile(source, staging)
    try:
        check_backup(staging)
        back = rolled_back(db, staging) if Path(db).exists() else []
        if back and not (force_reason or "").strip():
            raise CampaignError(
                [
                    Problem(
                        str(source),
                        None,
                        None,
                        "restore_rolls_back",
                        {"what": "；".join(back[:10]), "n": len(back)},
                    )
                ]
            )
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
    detail = f"{source}" + (f" (replaced database kept as {kept})" if kept else "")
    if back:  # a forced restore says why and what it took back
        detail += f"; forced: {force_reason}; taken back: {'；'.join(back)}"
    # the restore row is written into the copy before it takes the database's place: killed at
    # any moment, the database is either the old one, whole, or the restored one with its row
    try:
        con = connect(staging, wait_seconds=wait_seconds)
        try:
            log_event(con, "restore_forced" if back else "restore", who, detail)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        check_backup(staging)
    except BaseException:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
        raise
    Path(f"{db}.wal").unlink(missing_ok=True)  # checkpointed above: nothing in it
    os.replace(staging, db)
    return kept
