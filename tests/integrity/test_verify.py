"""``verify`` compares every stored result with a recomputation as multisets on every column,
for published as well as final periods, checks the summary against the payouts, and checks the
audit trail's hash chain: each tampering below passed unnoticed before."""

from __future__ import annotations

import json
import shutil

import pytest

from scoring.audit.verify import verify, verify_chain
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.store.schema import SCHEMA_VERSION
from scoring.workflow.periods import move
from tests.helpers import actor, run_cli

CID = "jiujiang-2023"
PERIODS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")


@pytest.fixture(scope="module")
def published_db(demo_db, tmp_path_factory):
    """The demo with every period published (not final: the objection window is open), built
    once for the module and copied for each test."""
    path = tmp_path_factory.mktemp("published") / "published.duckdb"
    shutil.copy(demo_db, path)
    con = connect(path)
    for period in PERIODS:
        for step in ("submit", "approve", "publish"):
            move(open_campaign(con, CID), period, step, actor(step))
    assert all(c.ok for c in verify(con, CID))
    con.close()
    return path


@pytest.fixture
def published(published_db, tmp_path):
    path = tmp_path / "published.duckdb"
    shutil.copy(published_db, path)
    con = connect(path)
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
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    move(open_campaign(con, CID), "2023Q1", "approve", actor("approve"))
    chain = verify_chain(con)
    logged = con.execute(
        "SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM workflow_log) "
        "+ (SELECT count(*) FROM town_log)"
    )
    assert chain.ok and chain.rows == logged.fetchall()[0][0] >= 3  # the import, and each move
    approved = con.execute("SELECT seq FROM workflow_log WHERE to_status = 'approved'").fetchall()[0][0]
    con.execute("UPDATE workflow_log SET who = 'someone else' WHERE to_status = 'approved'")
    assert verify_chain(con).broken == [("verify.chain_changed", {"seq": approved})]
    con.execute("UPDATE workflow_log SET who = '审核人' WHERE to_status = 'approved'")
    assert verify_chain(con).ok  # put back exactly, it holds again
    imported = con.execute("SELECT seq FROM audit_log WHERE action = 'import'").fetchall()[0][0]
    con.execute("DELETE FROM audit_log WHERE action = 'import'")
    assert verify_chain(con).broken == [("verify.chain_deleted", {"seq": imported})]
    con.close()
    rc, out, _ = run_cli(capsys, "verify", "--campaign", CID, "--db", demo_copy, "--lang", "en")
    assert rc == 1 and f"row {imported} was deleted" in out


def test_a_row_and_its_hash_deleted_break_the_link(demo_copy):
    """Deleting a row together with its hash leaves the next row chained to a hash that is
    gone; a rewritten hash is caught the same way."""
    con = connect(demo_copy)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    seqs = [r[0] for r in con.execute("SELECT seq FROM workflow_log ORDER BY seq").fetchall()]
    con.execute("DELETE FROM workflow_log WHERE seq = ?", [seqs[1]])
    con.execute("DELETE FROM audit_hashes WHERE seq = ?", [seqs[1]])
    assert verify_chain(con).broken == [("verify.chain_broken", {"seq": seqs[2]})]
    con.close()


def test_a_row_written_around_the_log_is_unsealed(demo_copy):
    con = connect(demo_copy)
    con.execute(
        "INSERT INTO audit_log (seq, campaign_id, action, who) "
        "VALUES (nextval('audit_seq'), ?, 'change', 'x')",
        [CID],
    )
    assert [code for code, _ in verify_chain(con).broken] == ["verify.chain_unsealed"]
    con.close()
    con = connect(demo_copy)  # opening again does not make the missing hash up
    assert [code for code, _ in verify_chain(con).broken] == ["verify.chain_unsealed"]
    con.close()


def test_a_version_2_database_is_chained_once_on_opening(demo_copy):
    """A database of schema version 2 (block seals) gets its rows chained as they stand, once;
    afterwards it is a database of this version like any other."""
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    con.execute("DROP TABLE audit_hashes")  # version 2 had block seals, no row hashes
    con.execute("DROP TABLE audit_head")
    con.execute("CREATE TABLE audit_seals (upto_seq BIGINT)")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    con = connect(demo_copy)
    assert verify_chain(con).ok and verify_chain(con).rows >= 2
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
        (str(SCHEMA_VERSION),)
    ]
    assert not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'audit_seals'").fetchall()
    con.close()


def test_two_writers_sealing_at_once_cannot_both_commit(demo_copy):
    """Both would chain from the same head; the head row they both update refuses the second."""
    import duckdb
    import pytest

    from scoring.store.seal import seal

    con = connect(demo_copy)
    a, b = con.cursor(), con.cursor()
    insert = (
        "INSERT INTO audit_log (seq, campaign_id, action, who) VALUES (nextval('audit_seq'), ?, 'x', 'x')"
    )
    for cur in (a, b):
        cur.execute("BEGIN TRANSACTION")
        cur.execute(insert, [CID])
    seal(a)
    with pytest.raises(duckdb.TransactionException):  # at its seal, or at the latest its commit
        seal(b)
        b.execute("COMMIT")
    b.execute("ROLLBACK")
    a.execute("COMMIT")
    assert verify_chain(con).ok
    con.close()


def test_rows_deleted_from_the_end_with_their_hashes_are_seen(demo_copy):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    last = con.execute("SELECT max(seq) FROM workflow_log").fetchall()[0][0]
    con.execute("DELETE FROM workflow_log WHERE seq = ?", [last])
    con.execute("DELETE FROM audit_hashes WHERE seq = ?", [last])
    assert verify_chain(con).broken == [("verify.chain_tail", {"seq": last})]
    con.close()
