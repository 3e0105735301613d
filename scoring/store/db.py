"""The DuckDB store: schema, opening the file, transactions and the trail's standalone events
(a checked campaign is stored by ``scoring.store.replace``).

One file holds every campaign. Rules are kept both as the canonical JSON they were
parsed into and as small tables the scoring SQL joins against; results of each scoring
run are kept keyed by the run, whose row carries the rules hash and the data hash.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from scoring.core.connection import configure
from scoring.core.errors import CampaignError, Problem
from scoring.store.cells import MIGRATE_VALUES, VALUES_VIEW
from scoring.store.fingerprint import data_hash
from scoring.store.schema import SCHEMA, SCHEMA_VERSION
from scoring.store.seal import SCHEMA as SEAL_SCHEMA
from scoring.store.seal import seal

DEFAULT_DB = "starscore.duckdb"


def memory_limit() -> str:
    """DuckDB's working memory for the database file: ``STARSCORE_MEMORY_LIMIT`` (e.g. "8GB"),
    else 4 GiB or 80 % of the machine's memory if that is less. Beyond it DuckDB spills to a
    temporary folder beside the file, so a national-size sort stays within the machine."""
    if os.environ.get("STARSCORE_MEMORY_LIMIT"):
        return os.environ["STARSCORE_MEMORY_LIMIT"]
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{min(4096, int(ram * 0.8) >> 20)}MiB"


_OPENING = threading.Lock()


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Close a connection of a process whose threads open and close the file side by side (the
    dashboard): the last connection's close takes the database instance down, and a thread
    opening it meanwhile would find it half gone."""
    with _OPENING:
        con.close()


def connect(
    db: str | Path = DEFAULT_DB,
    read_only: bool = False,
    wait_seconds: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the database file (creating the schema), waiting while another writer holds it.

    ``on_wait`` is told once, with the lock message, when the file is busy and we wait.
    """
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            with _OPENING:  # threads opening one file at once race in DuckDB's instance cache
                con = duckdb.connect(str(db), read_only=read_only)
            con.execute(f"SET memory_limit = '{memory_limit()}'")
            configure(con)
            # DuckDB tracks each query's progress (read by the command line's bar through
            # query_progress) but never prints its own bar over ours
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
            break
        except duckdb.IOException as exc:
            detail = str(exc).splitlines()[0]
            if not read_only and _not_writable(detail) and Path(db).is_file():
                # a read-only file or file system: reading (verify, export, status, audit)
                # still works; a write is refused in words (``cli.db_read_only``)
                read_only = True
                continue
            if "lock" not in detail.lower() and "handle conflict" not in detail.lower():
                raise CampaignError(
                    [Problem(str(db), None, None, "db_unreadable", {"detail": detail})]
                ) from None
            if time.monotonic() >= deadline:
                raise CampaignError([Problem(str(db), None, None, "db_busy", {"detail": detail})]) from None
            if on_wait is not None and not told:
                on_wait(detail)
                told = True
            time.sleep(0.25)
        except duckdb.Error as exc:  # not a DuckDB file, or a damaged one
            detail = str(exc).splitlines()[0]
            raise CampaignError([Problem(str(db), None, None, "db_unreadable", {"detail": detail})]) from None
    version, built = _check_version(con, db)
    if not read_only and not (built and version == SCHEMA_VERSION):
        with transaction(con):  # whole, and a new file's schema in 20 ms instead of 60
            con.execute(SCHEMA)
            con.execute(SEAL_SCHEMA)
        _values_view(con)
        if version < SCHEMA_VERSION:
            _upgrade(con)
        _remember_schema(con)
    return con


# the schema's own text: a file built from this very text needs none of it run again on opening
SCHEMA_TEXT = hashlib.sha256((SCHEMA + SEAL_SCHEMA + VALUES_VIEW).encode()).hexdigest()[:16]


def _remember_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Note in ``meta`` that the file holds every table of this schema text (another connection
    noting it at the same moment is as good)."""
    with suppress(duckdb.TransactionException, duckdb.ConstraintException):
        con.execute(
            "INSERT INTO meta VALUES ('schema_text', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [SCHEMA_TEXT],
        )


def _not_writable(detail: str) -> bool:
    """Whether DuckDB could not open a file for writing because it may not write there."""
    text = detail.lower()
    return "read-only file system" in text or "permission denied" in text


def _upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring an older database to this schema version, once, in one transaction: the rows of
    its audit trail (sealed by blocks in version 2, not at all in 1) are chained row by row as
    they stand, and the version is written. A database already at this version is left as it
    is: its missing hashes are for ``starscore verify`` to find, never made up on opening."""
    with _MIGRATING, transaction(con):
        seal(con)
        con.execute("DROP TABLE IF EXISTS audit_seals")
        con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [str(SCHEMA_VERSION)],
        )


def _check_version(con: duckdb.DuckDBPyConnection, db: str | Path) -> tuple[int, bool]:
    """The database's schema version (0 for a new or a version 1 file, which have no meta
    table or no version in it; a later version than this one is refused), and whether the file
    was built from this very schema text."""
    try:
        rows = dict(
            con.execute(
                "SELECT key, value FROM meta WHERE key IN ('schema_version', 'schema_text')"
            ).fetchall()
        )
    except duckdb.CatalogException:  # no meta table: a new file, or one of version 1
        return 0, False
    version = int(rows["schema_version"]) if "schema_version" in rows else 0
    if version > SCHEMA_VERSION:
        con.close()
        raise CampaignError(
            [Problem(str(db), None, None, "schema_newer", {"found": version, "known": SCHEMA_VERSION})]
        )
    return version, rows.get("schema_text") == SCHEMA_TEXT


def record_event(
    con: duckdb.DuckDBPyConnection,
    action: str,
    who: str,
    detail: str,
    cid: str | None = None,
    reason: str | None = None,
) -> None:
    """One audit row for something done to the whole database or its accounts (a backup, a
    restore, a user added or changed): no unit, period or value; inside the caller's
    transaction (with ``transaction``), so that the row and its hash are written together."""
    con.execute(
        "INSERT INTO audit_log (seq, campaign_id, action, who, logged_at, source, reason) "
        "VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?)",
        [cid, action, who, now(), detail, reason],
    )
    seal(con)


# who writes a campaign's state into the trail: the product itself, after the step that changed it
STATE_WRITER = "starscore"


def record_state(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """Seal what the campaign's rules and data are after a write that changed them, inside the
    writer's transaction: one ``data_state`` row whose source is the rules hash and the data
    hash (units, secretaries, values, last year's results). ``verify`` recomputes both from the
    tables and compares them with the campaign's last such row, so that a rule, unit or value
    changed around the product is found even while its period is open."""
    row = con.execute("SELECT rules_hash FROM campaigns WHERE campaign_id = ?", [cid]).fetchall()
    if row:
        record_event(con, "data_state", STATE_WRITER, f"{row[0][0]}/{data_hash(con, cid)}", cid)


def log_event(
    con: duckdb.DuckDBPyConnection,
    action: str,
    who: str,
    detail: str,
    cid: str | None = None,
    reason: str | None = None,
) -> None:
    """``record_event`` in a transaction of its own (the process's writers take turns) and
    tried again on a write conflict: twelve sign-ins at once never leave a row without its hash
    nor collide on the chain."""
    for attempt in range(20):
        try:
            with transaction(con):
                record_event(con, action, who, detail, cid, reason)
            return
        except (duckdb.TransactionException, duckdb.ConstraintException):
            if attempt == 19:
                raise
            time.sleep(0.01 * (attempt + 1))


_MIGRATING = threading.Lock()


def _values_view(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``indicator_values`` view; in a database from before the integer keys, first
    move its values table over (once, in one transaction, one connection at a time)."""
    with _MIGRATING:
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'indicator_values' "
            "AND table_schema = 'main' AND table_catalog = current_database()"
        ).fetchall()
        if kind and kind[0][0] == "BASE TABLE":
            with transaction(con):
                execute_script(con, MIGRATE_VALUES)
                con.execute(VALUES_VIEW)
        elif not kind:
            con.execute(VALUES_VIEW)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block finishes, roll back on any exception. A database
    opened read-only (its file or file system may not be written) refuses in words. A block
    inside another on the same connection is part of the outer one: one commit, or none.

    The writers of this process take turns (``_WRITER``): every audited write chains its rows
    onto the one head of the trail, so two at once always collide, and DuckDB aborts one of them
    ("Conflict on update"). Queued, a save waits for the other's commit (milliseconds) instead
    of failing; another process cannot write the file while this one holds it."""
    if id(con) in _OPEN:
        yield con
        return
    if con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall() == [(True,)]:
        raise CampaignError([Problem("database", None, None, "db_read_only", {})])
    with _WRITER:
        con.execute("BEGIN TRANSACTION")
        _OPEN.add(id(con))
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            _OPEN.discard(id(con))
        try:
            con.execute("COMMIT")
        except duckdb.TransactionException as exc:
            detail = str(exc).splitlines()[0]
            if "could not write" not in detail.lower() and "no space" not in detail.lower():
                raise  # a write conflict: the caller may try again
            with suppress(duckdb.Error):  # a failed commit has ended the transaction already
                con.execute("ROLLBACK")
            # the disk is full or failing: nothing of the step was kept, said in words
            raise CampaignError(
                [Problem("database", None, None, "db_write_failed", {"detail": detail[:300]})]
            ) from None


_WRITER = threading.RLock()  # this process's writing transactions, one at a time
_OPEN: set[int] = set()  # the connections inside a transaction block (one thread each)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def campaign_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("SELECT campaign_id FROM campaigns ORDER BY imported_at DESC").fetchall()
    ]


def execute_script(
    con: duckdb.DuckDBPyConnection, script: str, params: dict[str, object] | None = None
) -> None:
    """Run ';'-separated statements, binding the named parameters each one uses."""
    for statement in script.split(";\n"):
        if not statement.strip():
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in statement}
        con.execute(statement, used or None)
