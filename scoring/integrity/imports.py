"""Importing a campaign folder over the store, under the period locks and into the audit log.

The store replaces a campaign in one transaction; this decides, inside it, whether the
replacement may happen (values of locked periods cannot change, nor the rules or the units once
a period is locked, nor the secretaries of a locked period; a change in a submitted period needs
a reason) and records it: the first import of a campaign's values as one entry naming the file
and the number of values, each later change of a value as its own audit row, and each change of
the rules, a unit or a secretary with its before and after (``scoring.integrity.master``).
"""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.core.frames import to_polars
from scoring.ingest.validate import CampaignData
from scoring.integrity.audit import record, record_import, value_diff
from scoring.integrity.locks import check_entry
from scoring.integrity.master import check_and_record, rules_changes, secretary_changes, unit_changes
from scoring.integrity.workflow import any_locked
from scoring.store.db import Incoming, store_campaign


def import_campaign(
    con: duckdb.DuckDBPyConnection,
    data: CampaignData,
    source: str = "",
    who: str = "local",
    reason: str | None = None,
) -> int:
    """Store a checked campaign, refused where a lock forbids it, audited; returns the number of
    values entered, changed or deleted (0 when the same rules and data are imported again)."""

    def before_write(con: duckdb.DuckDBPyConnection, inc: Incoming) -> int:
        cid, src = inc.campaign_id, inc.values
        cells = pl.DataFrame(schema={"unit_id": pl.String, "period": pl.String, "indicator_id": pl.String})
        if inc.first:
            changed = data.values.height
            if inc.stored_rules_hash is not None:  # only a stored campaign can have locked periods
                cells = to_polars(con.sql(f"SELECT unit_id, period, indicator_id FROM {src}"))
        else:
            diff = value_diff(con, cid, src, who)
            changed = diff.height
            cells = diff.select("unit_id", "period", "indicator_id")
        if inc.stored_rules_hash is not None:
            locked = any_locked(con, cid)
            old_rules = con.execute(
                "SELECT rules_json FROM campaigns WHERE campaign_id = ?", [cid]
            ).fetchall()
            changes = rules_changes(old_rules[0][0] if old_rules else None, inc.rules)
            changes += unit_changes(con, cid, inc.units) + secretary_changes(con, cid, inc.secretaries)
            check_and_record(con, cid, changes, locked, who, inc.at, reason)
            check_entry(con, cid, cells, reason, file=data.values_file)
        if inc.first:
            record_import(con, cid, who, inc.at, reason, f"{data.values_file}: {changed}")
        else:
            record(con, cid, diff, inc.at, reason or "import", "import")
        return changed

    return store_campaign(con, data, source, before_write=before_write)
