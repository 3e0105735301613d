"""Deadline day in one server process: many sessions saving and signing in at the same moment.
Every audited write chains onto the one head of the trail, so two writing transactions at once
always collide in DuckDB ("Conflict on update"); the process's writers take turns instead, and
each save is written once, with its hash."""

from __future__ import annotations

import threading

import polars as pl

from scoring.accounts.access import LOCAL_ADMIN
from scoring.app.entry import save_values
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, log_event
from scoring.store.seal import check_chain

CID = "jiujiang-2023"
UNITS = ("JJ001", "JJ002", "JJ003", "JJ004", "JJ005", "JJ006")


def test_saves_and_sign_ins_at_the_same_moment_are_all_written(demo_copy):
    con = connect(demo_copy)
    before = con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    start = threading.Barrier(len(UNITS) + 2)
    failed: list[str] = []

    def save(unit: str) -> None:
        mine = con.cursor()  # a session's own connection to the one database, as the dashboard's
        cell = pl.DataFrame(
            {
                "unit_id": [unit],
                "period": ["2023Q1"],
                "indicator_id": ["hotline"],
                "value": ["97"],
                "_row": [1],
            }
        )
        start.wait()
        try:
            save_values(open_campaign(mine, CID), cell, LOCAL_ADMIN, confirm_note="核实")
        except Exception as exc:  # what a page would have shown
            failed.append(f"{unit}: {type(exc).__name__}: {exc}")

    def sign_in(k: int) -> None:
        mine = con.cursor()
        start.wait()
        try:
            log_event(mine, "login", f"评分员{k}", "dashboard")
        except Exception as exc:
            failed.append(f"sign-in {k}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=save, args=(u,)) for u in UNITS]
    threads += [threading.Thread(target=sign_in, args=(k,)) for k in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failed == []
    changed = con.execute(
        "SELECT count(*) FROM audit_log WHERE seq > ? AND indicator_id = 'hotline' "
        "AND action IN ('enter', 'change')",
        [before],
    ).fetchall()[0][0]
    stored = con.execute(
        "SELECT count(*) FROM indicator_values WHERE campaign_id = ? AND period = '2023Q1' "
        "AND indicator_id = 'hotline' AND value = 97 AND list_contains(?, unit_id)",
        [CID, list(UNITS)],
    ).fetchall()[0][0]
    assert stored == len(UNITS)
    assert changed <= len(UNITS)  # once each (none where 97 was already the value)
    assert check_chain(con).ok  # every row chained, the head where the last one is
    con.close()
