"""Last year's results as this year's baseline (进步奖), taken from where they live.

A campaign folder may bring them as baseline.csv. When last year's campaign is stored in the
same database, its annual results are taken instead (``take_baseline``): each of this year's
units is matched to last year's by id, else by a name that only one of last year's units
carries; what matched nothing is listed, never guessed. The baseline is part of the campaign's
data: taking it makes the current run stale (the progress award may move money), it is refused
once the year is published, and it is one audit row naming where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.core.errors import refused
from scoring.core.frames import register, to_polars
from scoring.engine.run import latest_run, year_complete
from scoring.store.db import now, record_state, transaction
from scoring.store.fingerprint import forget_data_hash
from scoring.store.trail import record_step
from scoring.workflow.states import year_status


@dataclass(frozen=True)
class BaselineTaken:
    """What taking last year's results wrote: rows matched by id and by name, and the units of
    each year that matched nothing (this year's cannot win the progress award)."""

    by_id: int
    by_name: int
    unmatched_new: list[str]
    unmatched_old: list[str]

    @property
    def written(self) -> int:
        return self.by_id + self.by_name


_MATCH = """
WITH new AS (SELECT unit_id, name FROM units WHERE campaign_id = $new),
old AS (SELECT a.unit_id, u.name, a.annual_score, a.annual_rank FROM annual_results a
        JOIN units u ON u.campaign_id = $old AND u.unit_id = a.unit_id WHERE a.run_id = $run),
by_id AS (SELECT n.unit_id, o.unit_id AS old_id, o.annual_score, o.annual_rank, 'id' AS how
          FROM new n JOIN old o USING (unit_id)),
unique_names AS (SELECT name FROM old GROUP BY name HAVING count(*) = 1),
by_name AS (SELECT n.unit_id, o.unit_id AS old_id, o.annual_score, o.annual_rank, 'name' AS how
            FROM new n JOIN old o ON o.name = n.name SEMI JOIN unique_names q ON q.name = o.name
            WHERE n.unit_id NOT IN (SELECT unit_id FROM by_id)
              AND o.unit_id NOT IN (SELECT old_id FROM by_id))
SELECT * FROM by_id UNION ALL SELECT * FROM by_name"""


def take_baseline(con: duckdb.DuckDBPyConnection, cid: str, old: str, user: User) -> BaselineTaken:
    """Make campaign ``old``'s annual results (its latest run with a complete year) campaign
    ``cid``'s baseline, replacing the one stored; one audit row."""
    require(user, "import_campaign")
    for campaign in (cid, old):
        if not con.execute("SELECT 1 FROM campaigns WHERE campaign_id = ?", [campaign]).fetchall():
            raise refused("campaign", "unknown_campaign", id=campaign)
    if cid == old:
        raise refused("campaign", "baseline_campaign_same", id=cid)
    if year_status(con, cid)["status"] in ("published", "final"):
        raise refused("workflow", "year_final_frozen", period="全年")
    run = latest_run(con, old)
    if run is None or not year_complete(run.summary):
        raise refused("campaign", "baseline_no_year", id=old)
    matched = to_polars(con.sql(_MATCH, params={"new": cid, "old": old, "run": run.run_id}))
    if matched.height == 0:
        raise refused("campaign", "baseline_none_matched", old=old, new=cid)
    new_ids = [
        r[0]
        for r in con.execute(
            "SELECT unit_id FROM units WHERE campaign_id = ? ORDER BY unit_no", [cid]
        ).fetchall()
    ]
    old_ids = [
        r[0]
        for r in con.execute("SELECT unit_id FROM annual_results WHERE run_id = ?", [run.run_id]).fetchall()
    ]
    found = set(matched["unit_id"].to_list())
    taken = BaselineTaken(
        by_id=matched.filter(pl.col("how") == "id").height,
        by_name=matched.filter(pl.col("how") == "name").height,
        unmatched_new=[u for u in new_ids if u not in found],
        unmatched_old=sorted(set(old_ids) - set(matched["old_id"])),
    )
    rows = matched.select("unit_id", "annual_score", "annual_rank")
    register(con, "_baseline", rows)
    try:
        with transaction(con):
            con.execute("DELETE FROM baselines WHERE campaign_id = ?", [cid])
            con.execute(
                "INSERT INTO baselines SELECT ?, unit_id, annual_score, annual_rank FROM _baseline", [cid]
            )
            forget_data_hash(con, cid)
            record_state(con, cid)
            record_step(
                con,
                cid,
                "baseline",
                user.username,
                now(),
                detail=f"{old} {run.run_id}: {taken.by_id}+{taken.by_name}",
            )
    finally:
        con.unregister("_baseline")
    return taken
