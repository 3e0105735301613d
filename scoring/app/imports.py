"""Importing a campaign folder over the store, under the period locks and into the audit log.

The store replaces a campaign in one transaction; this decides, inside it, whether the
replacement may happen (values of locked periods cannot change, nor the rules or the units once
a period is locked, nor the secretaries of a locked period; a change in a submitted period needs
a reason) and records it: the first import of a campaign's values as one entry naming the file
and the number of values, each later change of a value as its own audit row, and each change of
the rules, a unit or a secretary with its before and after (``scoring.app.master``).

Importing over a stored campaign first says what it would change (``preview_import``: values
added, changed, deleted; rules, units and secretaries changed), by running the same import and
rolling it back. An import that would change or delete values entered after the last import (on
the dashboard's grid, by ``starscore set``, through an objection) is refused unless confirmed.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.app.master import (
    Change,
    check_and_record,
    rules_changes,
    secretary_changes,
    unit_changes,
)
from scoring.core.errors import CampaignError, Problem, bounded, refused
from scoring.core.frames import register, to_polars
from scoring.core.i18n import t
from scoring.ingest.load import NO_VALUES
from scoring.ingest.validate import CampaignData
from scoring.store.campaign import open_campaign
from scoring.store.cells import stored_at_sql
from scoring.store.db import record_event, transaction
from scoring.store.lifecycle import delete_campaign
from scoring.store.replace import Incoming, store_campaign
from scoring.store.trail import record, record_import, value_diff
from scoring.workflow.locks import check_entry
from scoring.workflow.periods import any_locked
from scoring.workflow.states import statuses, year_status

SHOWN = 5  # values entered since the last import named in the refusal


@dataclass
class ImportPlan:
    """What importing a folder over the stored campaign changes."""

    new_campaign: bool = False
    added: int = 0
    changed: int = 0
    deleted: int = 0
    master: list[Change] = field(default_factory=list)  # rules, units, secretaries
    overwritten: pl.DataFrame | None = None  # values entered since the last import it changes

    @property
    def needs_confirmation(self) -> bool:
        return self.overwritten is not None and self.overwritten.height > 0


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a preview back."""


def _overwritten(con: duckdb.DuckDBPyConnection, cid: str, diff: pl.DataFrame) -> pl.DataFrame:
    """The changed or deleted values that were entered after the campaign's last import."""
    register(con, "_changed", diff.filter(pl.col("action") != "enter"))
    try:
        return to_polars(
            con.sql(
                f"""
                SELECT v.unit_id, v.period, v.indicator_id, v.value, v.entered_by, v.entered_at
                FROM {stored_at_sql("_changed")} v
                WHERE v.entered_at > (SELECT imported_at FROM campaigns WHERE campaign_id = $cid)
                ORDER BY v.entered_at DESC""",
                params={"cid": cid},
            )
        )
    finally:
        con.unregister("_changed")


def import_campaign(
    con: duckdb.DuckDBPyConnection,
    data: CampaignData,
    source: str = "",
    who: str = "local",
    reason: str | None = None,
    confirm: bool = False,
    plan: ImportPlan | None = None,
    dry_run: bool = False,
) -> int:
    """Store a checked campaign, refused where a lock forbids it, audited; returns the number of
    values entered, changed or deleted (0 when the same rules and data are imported again).
    Changing values entered since the last import needs ``confirm``. ``plan``, when given, is
    filled in with what the import changes."""
    plan = plan if plan is not None else ImportPlan()

    def before_write(con: duckdb.DuckDBPyConnection, inc: Incoming) -> int:
        cid, src = inc.campaign_id, inc.values
        cells = pl.DataFrame(schema={"unit_id": pl.String, "period": pl.String, "indicator_id": pl.String})
        plan.new_campaign = inc.stored_rules_hash is None
        if data.values_file == NO_VALUES and not plan.new_campaign:
            # a folder without values over a stored campaign would delete every value entered
            raise CampaignError([Problem("values.csv", None, None, "values_needed_again", {"id": cid})])
        if inc.first:
            changed = plan.added = data.values.height
            if inc.stored_rules_hash is not None:  # only a stored campaign can have locked periods
                cells = to_polars(con.sql(f"SELECT unit_id, period, indicator_id FROM {src}"))
        else:
            diff = value_diff(con, cid, src, who)
            changed = diff.height
            cells = diff.select("unit_id", "period", "indicator_id")
            counts = dict(diff.group_by("action").len().iter_rows())
            plan.added, plan.changed, plan.deleted = (counts.get(a, 0) for a in ("enter", "change", "delete"))
            plan.overwritten = _overwritten(con, cid, diff)
        if inc.stored_rules_hash is not None:
            locked = any_locked(con, cid)
            old_rules = con.execute(
                "SELECT rules_json FROM campaigns WHERE campaign_id = ?", [cid]
            ).fetchall()
            changes = rules_changes(old_rules[0][0] if old_rules else None, inc.rules)
            changes += unit_changes(con, cid, inc.units) + secretary_changes(con, cid, inc.secretaries)
            plan.master = changes
            check_and_record(con, cid, changes, locked, who, inc.at, reason)
            check_entry(open_campaign(con, cid), cells, reason, file=data.values_file)  # the stored rules
        if dry_run:
            raise _DryRun
        if plan.needs_confirmation and not confirm:
            raise _refusal(plan, data.values_file)
        if inc.first:
            record_import(con, cid, who, inc.at, reason, f"{data.values_file or '—'}: {changed}")
            # who ran the import entered these values, whatever values.csv's entered_by says: a
            # row per period it brought, which four eyes reads (scoring.workflow.towns.hands)
            for period, n in con.execute(f"SELECT period, count(*) FROM {src} GROUP BY period").fetchall():
                record_import(con, cid, who, inc.at, reason, f"{data.values_file}: {n}", period)
        else:
            record(con, cid, diff, inc.at, reason or "import", "import")
        return changed

    return store_campaign(con, data, source, before_write=before_write)


def _refusal(plan: ImportPlan, file: str) -> CampaignError:
    assert plan.overwritten is not None
    shown = plan.overwritten.head(SHOWN)
    examples = "；".join(
        f"{r['unit_id']} {r['period']} {r['indicator_id']}（{r['entered_by']}）"
        for r in shown.iter_rows(named=True)
    )
    return CampaignError(
        [
            Problem(
                file,
                None,
                None,
                "import_overwrites",
                {"n": plan.overwritten.height, "examples": examples},
            )
        ]
    )


def preview_import(
    con: duckdb.DuckDBPyConnection, data: CampaignData, who: str = "local", reason: str | None = None
) -> ImportPlan:
    """What importing the folder would change, nothing written: the import is run and rolled
    back. Raises what the import would (a lock, a reason needed), except the confirmation."""
    plan = ImportPlan()
    with suppress(_DryRun):
        import_campaign(con, data, who=who, reason=reason, plan=plan, dry_run=True)
    return plan


def plan_text(plan: ImportPlan, lang: str = "zh") -> str:
    """What an import changes, in one sentence."""
    return t(
        "cli.import_plan",
        lang,
        added=plan.added,
        changed=plan.changed,
        deleted=plan.deleted,
        master=len(plan.master),
        overwritten=0 if plan.overwritten is None else plan.overwritten.height,
    )


def remove_campaign(con: duckdb.DuckDBPyConnection, cid: str, user: User, reason: str) -> None:
    """Remove a campaign (an admin, with a reason), audited; refused once any of its periods or
    its year has been published: what was published stays, with its 公示 and payouts."""
    require(user, "remove_campaign")
    bounded("campaign", "reason", reason)
    if not con.execute("SELECT 1 FROM campaigns WHERE campaign_id = ?", [cid]).fetchall():
        raise refused("campaign", "unknown_campaign", id=cid)
    if not (reason or "").strip():
        raise refused("campaign", "remove_reason", id=cid)
    shown = ("published", "final")
    published = statuses(con, cid).filter(pl.col("status").is_in(shown))["period"].to_list()
    published += ["全年"] if year_status(con, cid)["status"] in shown else []
    if published:
        raise refused("campaign", "remove_published", id=cid, periods="、".join(published))
    with transaction(con):
        delete_campaign(con, cid)
        record_event(con, "campaign_remove", user.username, f"{cid}: {reason.strip()}", cid)
