"""Signing in: a name and a password checked against the stored account (argon2id), every
attempt audited, a name locked after repeated failures and an address after many, attempts on
one name taken one at a time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import duckdb
from argon2.exceptions import InvalidHashError, VerificationError

from scoring.accounts import access
from scoring.accounts.access import User, _user
from scoring.store.db import log_event, now

MAX_FAILURES = 5  # wrong passwords in a row before the name is locked
# failed sign-ins from one address, whatever the names, before the address waits: an office
# behind one address has room for its people's mistakes, a script trying names has not
MAX_ADDRESS_FAILURES = 30
LOCKOUT = timedelta(minutes=15)
# verified against when the name is unknown, so that refusing it costs what a wrong password does
_DUMMY_HASH = access._hasher.hash("starscore: no such user")


def locked_until(
    con: duckdb.DuckDBPyConnection, username: str, at: datetime | None = None
) -> datetime | None:
    """When a name locked by repeated failures may sign in again (None: it is not locked).
    Counted from the audit log: failures since the last success, within the lockout."""
    at = at or now()
    rows = con.execute(
        """
        SELECT count(*), max(logged_at) FROM audit_log
        WHERE campaign_id IS NULL AND action = 'sign_in_failed' AND who = $name
          AND logged_at > $since
          AND logged_at > coalesce((SELECT max(logged_at) FROM audit_log WHERE campaign_id IS NULL
                                    AND action = 'sign_in' AND who = $name), TIMESTAMP '1970-01-01')""",
        {"name": username, "since": at - LOCKOUT},
    ).fetchall()
    failures, last = rows[0]
    if failures >= MAX_FAILURES and last is not None:
        return last + LOCKOUT
    return None


def address_locked(con: duckdb.DuckDBPyConnection, address: str | None, at: datetime | None = None) -> bool:
    """Whether an address has failed ``MAX_ADDRESS_FAILURES`` sign-ins within the lockout."""
    if not address:
        return False
    at = at or now()
    rows = con.execute(
        """SELECT count(*) FROM audit_log WHERE campaign_id IS NULL AND action = 'sign_in_failed'
           AND reason = $address AND logged_at > $since""",
        {"address": address, "since": at - LOCKOUT},
    ).fetchall()
    return bool(rows[0][0] >= MAX_ADDRESS_FAILURES)


def authenticate(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    at: datetime | None = None,
    address: str | None = None,
) -> User | None:
    """The user, when the name exists, is enabled, is not locked out and the password matches,
    and the address (the client's, kept with the attempt) has not failed too often; else None.
    Every attempt is audited; an unknown name is verified against a stand-in hash so that it
    takes as long to refuse as a wrong password. Attempts on one name are one at a time (each
    is counted before the next is checked); different names are checked side by side."""
    name = clip_name(username)
    with _name_lock(name):
        return _authenticate(con, username, password, at, (address or "")[:100] or None)


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _name_lock(name: str) -> threading.Lock:
    with _LOCKS_GUARD:
        if len(_LOCKS) > 10_000:  # names tried by a script: forget the idle ones
            for key in [k for k, lock in _LOCKS.items() if not lock.locked()]:
                del _LOCKS[key]
        return _LOCKS.setdefault(name, threading.Lock())


def _authenticate(
    con: duckdb.DuckDBPyConnection, username: str, password: str, at: datetime | None, address: str | None
) -> User | None:
    name = clip_name(username)
    if locked_until(con, name, at) is not None:
        log_event(con, "sign_in_locked", name, "", reason=address)
        return None
    if address_locked(con, address, at):
        log_event(con, "sign_in_locked", name, "address", reason=address)
        return None
    rows = con.execute(
        "SELECT password_hash, role, towns, areas, disabled, departments, units FROM users "
        "WHERE username = ?",
        [username],
    ).fetchall()
    stored = rows[0][0] if rows else _DUMMY_HASH
    try:
        access._hasher.verify(stored, password)  # looked up on each check (a test counts them)
        ok = bool(rows) and not rows[0][4]
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        log_event(con, "sign_in_failed", name, "" if rows else "unknown name", reason=address)
        return None
    log_event(con, "sign_in", name, "", reason=address)
    _, role, towns, areas, _, departments, units = rows[0]
    return _user(username, role, towns, areas, departments, stored, units)


def clip_name(username: str) -> str:
    """A user name as the audit log keeps it: at most 100 characters, control characters out."""
    return "".join(ch for ch in username if ch.isprintable())[:100]
