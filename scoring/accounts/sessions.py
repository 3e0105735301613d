"""Dashboard sign-ins that outlive a page reload: a random token in the browser (a cookie), its
SHA-256 alone in the database. A session ends on sign-out, after ``IDLE`` without use, after
``LONGEST`` whatever its use, and at once when its account is disabled. Not backed up: a restored
database signs everyone in again."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import duckdb

from scoring.accounts.access import User, current
from scoring.store.db import now, transaction

IDLE = timedelta(hours=2)
LONGEST = timedelta(hours=12)
MAX_TOKEN = 200  # a cookie longer than any token this makes is no token


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(con: duckdb.DuckDBPyConnection, user: User, at: datetime | None = None) -> str:
    """A new session for a user who has just signed in; returns the token for the browser."""
    token = secrets.token_urlsafe(32)
    at = at or now()
    with transaction(con):
        con.execute("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?", [at - IDLE, at - LONGEST])
        con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", [_hash(token), user.username, at, at])
    return token


def resume(con: duckdb.DuckDBPyConnection, token: object, at: datetime | None = None) -> User | None:
    """The user a browser's token signs in again, when the session is live and the account is
    enabled (as the database has it now); else None, and a dead session is forgotten."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    at = at or now()
    key = _hash(token)
    rows = con.execute(
        "SELECT username, created_at, last_seen FROM sessions WHERE token_hash = ?", [key]
    ).fetchall()
    if not rows:
        return None
    username, created, seen = rows[0]
    user = current(con, username)
    if user is None or seen < at - IDLE or created < at - LONGEST:
        con.execute("DELETE FROM sessions WHERE token_hash = ?", [key])
        return None
    con.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [at, key])
    return user


def close_session(con: duckdb.DuckDBPyConnection, token: object) -> None:
    """Sign-out: the token signs nobody in any more."""
    if isinstance(token, str) and token and len(token) <= MAX_TOKEN:
        con.execute("DELETE FROM sessions WHERE token_hash = ?", [_hash(token)])
