"""``verify`` compares every stored result with a recomputation as multisets on every column,
for published as well as final periods, checks the summary against the payouts, and checks the
audit trail's hash chain: each tampering below passed unnoticed before."""

from __future__ import annotations

import json

import pytest

from scoring.integrity.access import LOCAL_ADMIN
from scoring.integrity.verify import verify, verify_chain
from scoring.integrity.workflow import move
from scoring.store.db import connect
from tests.helpers import run_cli

CID = "jiujiang-2023"
PERIODS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")


@pytest.fixture
def published(demo_copy):
    """The demo with every period published (not final: the objection window is open)."""
    con = connect(demo_copy)
    for period in PERIODS:
        for step in ("submit", "approve", "publish"):
            move(con, CID, period, step, LOCAL_ADMIN)
    assert all(c.ok for c in verify(con, CID))
    run = con.execute("SELECT run_id FROM period_status WHERE period = '2023Q4'").fetchall()[0][0]
    yield con, run
    con.close()


def _bad(con) -> dict[str, int]:
    return {c.scope: c.differences for c in verify(con, CID) if not c.ok}


TAMPERINGS = {
    "duplicated payout": "INSERT INTO payouts SELECT * FROM payouts WHERE run_id = $run "
    "AND payee_type = 'community' LIMIT 1",
    "gross x10": "UPDATE payouts SET gross_num = gross_num * 10 WHERE run_id = $run AND payee_id = 'JJ001'",
    "payee renamed": "UPDATE payouts SET payee_name = '王某' WHERE run_id = $run "
    "AND payee_type = 'secretary' AND payee_id = (SELECT min(payee_id) FROM payouts "
    "WHERE run_id = $run AND payee_type = 'secretary')",
    "final +100000 while published": "UPDATE payouts SET final_fen = final_fen + 10000000 "
    "WHERE run_id = $run AND payee_id = 'JJ001'",
    "duplicated period row": "INSERT INTO period_results SELECT * FROM period_results WHERE run_id = $run "
    "AND period = '2023Q4' LIMIT 1",
}


@pytest.mark.parametrize("sql", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_result_is_caught(published, sql):
    con, run = published
    con.execute(sql, {"run": run})
    assert _bad(con)


def test_a_changed_summary_total_is_caught(published):
    con, run = published
    summary = json.loads(
        con.execute("SELECT summary_json FROM runs WHERE run_id = ?", [run]).fetchall()[0][0]
    )
    summary["total_final"] = "13000000"
    con.execute("UPDATE runs SET summary_json = ? WHERE run_id = ?", [json.dumps(summary), run])
    assert _bad(con) == {"summary": 2}


def test_the_audit_chain_holds_and_catches_every_change(demo_copy, capsys):
    con = connect(demo_copy)
    move(con, CID, "2023Q1", "submit", LOCAL_ADMIN)
    move(con, CID, "2023Q1", "approve", LOCAL_ADMIN)
    chain = verify_chain(con)
    assert chain.ok and chain.seals >= 3  # the import, and each move
    con.execute("UPDATE workflow_log SET who = 'someone else' WHERE to_status = 'approved'")
    assert [code for code, _ in verify_chain(con).broken] == ["verify.chain_rows"]
    con.execute("UPDATE workflow_log SET who = 'local' WHERE to_status = 'approved'")
    assert verify_chain(con).ok  # put back exactly, it holds again
    con.execute("DELETE FROM audit_log WHERE action = 'import'")
    assert "verify.chain_rows" in [code for code, _ in verify_chain(con).broken]
    con.close()
    rc, out, _ = run_cli(capsys, "verify", "--campaign", CID, "--db", demo_copy, "--lang", "en")
    assert rc == 1 and "audit trail tampered with" in out


def test_a_row_written_around_the_log_is_unsealed(demo_copy):
    con = connect(demo_copy)
    con.execute(
        "INSERT INTO audit_log (seq, campaign_id, action, who) "
        "VALUES (nextval('audit_seq'), ?, 'change', 'x')",
        [CID],
    )
    assert [code for code, _ in verify_chain(con).broken] == ["verify.chain_unsealed"]
    con.close()
