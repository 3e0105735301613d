"""Accounts: sign-ins are audited, throttled and locked out after repeated failures; an unknown
name costs what a wrong password does; user changes are audited; a database whose users are
all disabled is locked, never open."""

from __future__ import annotations

from datetime import timedelta

from scoring.accounts import access, signin
from scoring.accounts.access import add_user, current, has_users, set_disabled
from scoring.accounts.signin import LOCKOUT, MAX_FAILURES, authenticate, locked_until
from scoring.store.db import connect, now


def _events(con) -> list[tuple[str, str]]:
    """The accounts' audited events (not the sealed states of the accounts, which verify reads)."""
    return con.execute(
        "SELECT action, who FROM audit_log WHERE campaign_id IS NULL AND action <> 'user_state' ORDER BY seq"
    ).fetchall()


def test_sign_ins_are_audited_and_locked_out_after_repeated_failures(tmp_path):
    con = connect(tmp_path / "a.duckdb")
    add_user(con, "wang", "right-password", "evaluator", ["湾里街道"], by="boss")
    assert authenticate(con, "wang", "right-password") is not None
    for _ in range(MAX_FAILURES):
        assert authenticate(con, "wang", "wrong") is None
    assert locked_until(con, "wang") is not None
    # the right password no longer signs in while the name is locked
    assert authenticate(con, "wang", "right-password") is None
    actions = [a for a, _ in _events(con)]
    assert actions == ["user_add", "sign_in", *["sign_in_failed"] * MAX_FAILURES, "sign_in_locked"]
    later = now() + LOCKOUT + timedelta(minutes=1)
    assert locked_until(con, "wang", later) is None
    assert authenticate(con, "wang", "right-password", at=later) is not None
    con.close()


def test_an_unknown_name_is_verified_like_a_wrong_password(tmp_path, monkeypatch):
    con = connect(tmp_path / "a.duckdb")
    add_user(con, "wang", "right-password", "evaluator")
    verified = []
    real = access._hasher

    class Counting:
        def verify(self, stored, password):
            verified.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(access, "_hasher", Counting())
    assert authenticate(con, "nobody", "x") is None
    assert authenticate(con, "wang", "x") is None
    assert len(verified) == 2 and verified[0] == signin._DUMMY_HASH
    assert _events(con)[-2:] == [("sign_in_failed", "nobody"), ("sign_in_failed", "wang")]
    con.close()


def test_disabling_every_user_locks_instead_of_opening(tmp_path):
    con = connect(tmp_path / "a.duckdb")
    assert not has_users(con)  # a database that never had a user: open mode
    add_user(con, "boss", "admin-pass-1", "admin")
    set_disabled(con, "boss", by="boss")
    assert has_users(con)  # disabled, but it had one: no open mode
    assert current(con, "boss") is None  # an open session of a disabled user ends
    assert authenticate(con, "boss", "admin-pass-1") is None
    set_disabled(con, "boss", False, by="local")
    assert current(con, "boss") is not None
    assert [a for a, _ in _events(con)] == ["user_add", "user_disable", "sign_in_failed", "user_enable"]
    con.close()


def test_an_address_that_fails_too_often_waits_whatever_the_names(tmp_path):
    """A script trying names from one address is stopped after MAX_ADDRESS_FAILURES, though no
    name failed five times; another address still signs in, and the attempts keep the address."""
    con = connect(tmp_path / "a.duckdb")
    add_user(con, "wang", "right-password", "evaluator", ["湾里街道"], by="boss")
    for k in range(signin.MAX_ADDRESS_FAILURES):
        assert authenticate(con, f"guess{k}", "x", address="203.0.113.9") is None
    assert signin.address_locked(con, "203.0.113.9")
    assert authenticate(con, "wang", "right-password", address="203.0.113.9") is None
    assert authenticate(con, "wang", "right-password", address="198.51.100.7") is not None
    rows = con.execute(
        "SELECT action, reason FROM audit_log WHERE who = 'wang' AND action LIKE 'sign_in%' ORDER BY seq"
    ).fetchall()
    assert rows == [("sign_in_locked", "203.0.113.9"), ("sign_in", "198.51.100.7")]
    later = now() + LOCKOUT + timedelta(minutes=1)
    assert not signin.address_locked(con, "203.0.113.9", later)
    con.close()


def test_sign_ins_of_different_names_run_side_by_side(tmp_path, monkeypatch):
    """Checking a password is slow on purpose: two names' checks overlap, one name's never do."""
    import threading
    import time

    con = connect(tmp_path / "a.duckdb")
    for name in ("wang", "li"):
        add_user(con, name, "right-password", "evaluator")
    inside, most = [0], [0]
    guard = threading.Lock()
    real = access._hasher

    class Slow:
        def verify(self, stored, password):
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.2)
            with guard:
                inside[0] -= 1
            return real.verify(stored, password)

    monkeypatch.setattr(access, "_hasher", Slow())

    def sign_in(name: str) -> None:
        c = connect(tmp_path / "a.duckdb")
        authenticate(c, name, "right-password")
        c.close()

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in ("wang", "li")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert most == [2]
    most[0] = 0
    threads = [threading.Thread(target=sign_in, args=("wang",)) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert most == [1]
    con.close()


def test_passwords_are_hashed_at_the_tuned_profile_and_old_hashes_still_sign_in(tmp_path):
    from argon2 import PasswordHasher

    con = connect(tmp_path / "a.duckdb")
    add_user(con, "wang", "right-password", "evaluator")
    stored = con.execute("SELECT password_hash FROM users").fetchall()[0][0]
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # a password hashed before, at the library's default profile, still signs in
    old = PasswordHasher().hash("older-password")
    con.execute("UPDATE users SET password_hash = ? WHERE username = 'wang'", [old])
    assert authenticate(con, "wang", "older-password") is not None
    con.close()
