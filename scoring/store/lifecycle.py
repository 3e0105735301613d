"""A database's and a campaign's ends: whether a database was ever used (only an unused one may
be given the demo) and deleting a campaign (its history stays)."""

from __future__ import annotations

import duckdb

from scoring.store.cells import delete_values
from scoring.store.schema import RESULT_TABLES

LOG_TABLES = ("audit_log", "workflow_log", "town_log")  # the history stays when a campaign goes


def delete_campaign(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """Delete everything of one campaign but its history (the logs), inside the caller's
    transaction: its values, results, rules, units and workflow state."""
    runs = "SELECT run_id FROM runs WHERE campaign_id = ?"
    for table in RESULT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE run_id IN ({runs})", [cid])
    delete_values(con, cid)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.column_name = 'campaign_id' AND c.table_schema = 'main' "
            "AND t.table_type = 'BASE TABLE' AND c.table_name <> 'campaigns'"
        ).fetchall()
        if r[0] not in LOG_TABLES
    ]
    for table in sorted(tables):  # names from the catalogue, never from a user
        con.execute(f"DELETE FROM {table} WHERE campaign_id = ?", [cid])
    con.execute("DELETE FROM campaigns WHERE campaign_id = ?", [cid])


def never_used(con: duckdb.DuckDBPyConnection) -> bool:
    """A database with no campaign, no user and nothing in its logs: one the demo may be built
    into. A district's database, even one whose campaigns were all removed, never is."""
    used = con.execute(
        "SELECT (SELECT count(*) FROM campaigns) + (SELECT count(*) FROM users) "
        "+ (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM workflow_log)"
    ).fetchall()[0][0]
    return not used
