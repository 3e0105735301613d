"""Twelve sign-ins at once: each attempt is counted before the next is checked (parallel guesses
stop at the limit) and every audit row gets its hash (the chain stays whole)."""

from __future__ import annotations

import threading

from scoring.accounts.access import add_user
from scoring.accounts.signin import MAX_FAILURES, authenticate
from scoring.store.db import connect
from scoring.store.seal import check_chain


def test_parallel_guesses_stop_at_the_limit_and_the_chain_holds(tmp_path):
    db = tmp_path / "s.duckdb"
    con = connect(db)
    add_user(con, "甲", "a-good-pass-1", "leader")
    con.close()
    start = threading.Barrier(12)
    signed: list[object] = []

    def guess(i: int) -> None:
        mine = connect(db)
        start.wait()
        try:
            signed.append(authenticate(mine, "甲", f"wrong-{i}"))
        finally:
            mine.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    con = connect(db)
    counts = dict(con.execute("SELECT action, count(*) FROM audit_log GROUP BY 1").fetchall())
    chain = check_chain(con)
    con.close()
    assert counts["sign_in_failed"] == MAX_FAILURES and counts["sign_in_locked"] == 12 - MAX_FAILURES
    assert signed == [None] * 12
    assert chain.ok, chain.broken
