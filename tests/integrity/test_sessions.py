"""A sign-in that outlives a reload: the token signs its user in again until sign-out, two idle
hours, twelve hours in all, or the account being disabled; the database keeps only its hash."""

from __future__ import annotations

from datetime import timedelta

from scoring.accounts.access import User, add_user, set_disabled
from scoring.accounts.sessions import close_session, open_session, resume
from scoring.store.db import connect, now


def test_a_token_signs_in_again_until_it_ends(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    add_user(con, "王评", "evaluator-pass-1", "evaluator")
    at = now()
    token = open_session(con, User("王评", "evaluator"), at)
    assert con.execute("SELECT count(*) FROM sessions WHERE token_hash = ?", [token]).fetchall() == [(0,)]
    assert resume(con, token, at + timedelta(minutes=90)).username == "王评"
    assert resume(con, token, at + timedelta(minutes=200)).username == "王评"  # used: not idle
    assert resume(con, token, at + timedelta(hours=6)) is None  # two idle hours end it
    assert con.execute("SELECT count(*) FROM sessions").fetchall() == [(0,)]  # and it is forgotten
    assert (
        resume(con, "not-a-token") is None and resume(con, "x" * 5000) is None and resume(con, None) is None
    )
    con.close()


def test_sign_out_twelve_hours_and_a_disabled_account_end_it(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    add_user(con, "赵领导", "leader-pass-2026", "leader")
    user = User("赵领导", "leader")
    at = now()
    first = open_session(con, user, at)
    close_session(con, first)
    assert resume(con, first, at) is None
    long = open_session(con, user, at)
    seen = at
    while seen < at + timedelta(hours=11, minutes=30):  # used every hour: alive until 12 hours
        seen += timedelta(hours=1)
        assert resume(con, long, seen) is not None
    assert resume(con, long, at + timedelta(hours=12, minutes=1)) is None
    third = open_session(con, user, now())
    set_disabled(con, "赵领导", True)
    assert resume(con, third) is None
    con.close()
