"""Data entry: the units × indicators grid, saving edits, Excel templates and uploads.

Every save goes through the same checks as a campaign folder (``validate.check_values``);
nothing is written when any value is wrong, and a successful save re-scores the campaign.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.app.entry_checks import at_cells, forbidden_cells, stale_cells, surveyed_cells
from scoring.app.selfscore import differs_without_reason
from scoring.app.service import units as units_frame
from scoring.core.errors import CampaignError, Problem, bounded
from scoring.core.frames import each, register, to_polars
from scoring.core.i18n import t
from scoring.core.money import plain
from scoring.core.na import value_text
from scoring.engine.run import OnStage, Run, score
from scoring.ingest.bounds import staged
from scoring.ingest.load import VALUE_COLUMNS, VALUE_OPTIONAL, read_csv
from scoring.ingest.validate import check_values
from scoring.rules.model import Rules
from scoring.store.campaign import Campaign
from scoring.store.cells import delete_values, insert_values, stored_at_sql
from scoring.store.db import now, record_state, transaction
from scoring.store.fingerprint import shift_data_hash
from scoring.store.trail import cell_diff, record
from scoring.workflow import outliers
from scoring.workflow.locks import check_entry, refuse_closed_periods
from scoring.workflow.outliers import OutlierWarning

TEMPLATE_FILE = "values.xlsx"


def indicator_specs(rules: Rules, category: str | None) -> pl.DataFrame:
    """The indicators that apply to a category (all when None), with unit, range and kind."""
    rows = []
    for ind in rules.indicators:
        if category is not None and not ind.applies_to(category):
            continue
        if ind.counted:  # a count: the column says so, with its rate and limit
            rng = t(f"spec.count_{ind.kind}", "zh", each=plain(ind.each), points=plain(ind.points))
        elif ind.kind in ("score", "bonus", "penalty"):
            rng = f"0–{plain(ind.points)}"
        elif ind.kind == "veto":
            rng = "0/1"
        else:
            lo = "" if ind.min_value is None else plain(ind.min_value)
            hi = "" if ind.max_value is None else plain(ind.max_value)
            rng = f"{lo}–{hi}" if (lo or hi) else ""
        if ind.may_not_apply:
            rng = "；".join(x for x in (rng, t("spec.may_not_apply", "zh")) if x)
        rows.append(
            {
                "indicator_id": ind.id,
                "name": ind.name,
                "unit": ind.unit or "",
                "kind": ind.kind,
                "range": rng,
                "area": ind.area or "",
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "indicator_id": pl.String,
            "name": pl.String,
            "unit": pl.String,
            "kind": pl.String,
            "range": pl.String,
            "area": pl.String,
        },
    )


KEYS = ("unit_id", "period", "indicator_id")
MAX_GRID_UNITS = 500  # an editable grid beyond this is unusable in a browser: narrow by town


def values_grid(
    campaign: Campaign,
    period: str,
    category: str | None,
    town: str | None = None,
    limit: int = MAX_GRID_UNITS,
) -> pl.DataFrame:
    """unit_id, name, town, then one text column per applicable indicator (current value),
    for at most ``limit`` units of the category and town (in the units file's order)."""
    con, cid = campaign.con, campaign.id
    specs = indicator_specs(campaign.rules, category)
    cur = con.cursor()
    params = {"cid": cid, "cat": category, "town": town, "limit": limit}
    scope = """
        SELECT unit_id, name, town FROM units WHERE campaign_id = $cid
          AND ($cat IS NULL OR category = $cat) AND ($town IS NULL OR town = $town)
        ORDER BY rowid LIMIT $limit"""
    units = to_polars(cur.sql(scope, params=params))
    vals = to_polars(
        cur.sql(
            f"""SELECT unit_id, indicator_id, value FROM indicator_values
            WHERE campaign_id = $cid AND period = $period
              AND unit_id IN (SELECT unit_id FROM ({scope}))""",
            params={**params, "period": period},
        )
    )
    vals = vals.with_columns(each(vals, "value", value_text))
    wide = (
        vals.pivot(on="indicator_id", index="unit_id", values="value")
        if vals.height
        else pl.DataFrame({"unit_id": []}, schema={"unit_id": pl.String})
    )
    grid = units.join(wide, on="unit_id", how="left")
    for ind in specs["indicator_id"]:
        if ind not in grid.columns:
            grid = grid.with_columns(pl.lit(None, dtype=pl.String).alias(ind))
    return grid.select("unit_id", "name", "town", *specs["indicator_id"].to_list())


def grid_changes(before: pl.DataFrame, after: pl.DataFrame, period: str) -> pl.DataFrame:
    """Cells that differ between two grids, as value rows.

    ``_row`` numbers the changes; ``grid_row`` is the row in the grid (1-based), so that a
    problem can be shown at its cell (grid row, indicator).
    """
    rows: list[dict[str, object]] = []
    indicators = [c for c in before.columns if c not in ("unit_id", "name", "town")]
    for k, (b, a) in enumerate(
        zip(before.iter_rows(named=True), after.iter_rows(named=True), strict=True), start=1
    ):
        for ind in indicators:
            old = (b[ind] or "").strip() if b[ind] is not None else ""
            new = "" if a[ind] is None else str(a[ind]).strip()
            if old != new:
                rows.append(
                    {
                        "unit_id": b["unit_id"],
                        "period": period,
                        "indicator_id": ind,
                        "value": new,
                        "old": old,
                        "_row": len(rows) + 1,
                        "grid_row": k,
                    }
                )
    return pl.DataFrame(
        rows,
        schema={
            "unit_id": pl.String,
            "period": pl.String,
            "indicator_id": pl.String,
            "value": pl.String,
            "old": pl.String,
            "_row": pl.Int64,
            "grid_row": pl.Int64,
        },
    )


@dataclass(frozen=True)
class SaveResult:
    written: int
    cleared: int
    changed: int  # cells whose value differs from the stored one (the audit rows written)
    run: Run
    # per period saved: (period, the cells it still lacks in the saved units' towns, in the
    # whole period); a period lacking a value under ``missing: error`` is not scored
    missing: tuple[tuple[str, int, int], ...]

    def scored(self, period: str) -> bool:
        """Whether the run after the save scored ``period`` (spec step 3)."""
        return any(p["period"] == period and p["status"] == "scored" for p in self.run.summary["periods"])


def save_values(
    campaign: Campaign,
    changes: pl.DataFrame,
    user: User,
    file: str = "grid",
    reason: str | None = None,
    confirm_note: str | None = None,
    on_stage: OnStage | None = None,
    answers: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> SaveResult:
    """Check and write value rows (``unit_id, period, indicator_id, value[, note, old], _row``).

    ``answers``, for the values a delivered survey export makes, writes its answers in the
    same transaction as the values (a surveyed cell is otherwise never written here); ``also``
    writes what else the step records (a department's delivery) in that transaction too.

    An empty value clears the cell. All or nothing, checked on this side whatever the page
    showed: the user's role and assigned towns/areas, the period workflow (locked periods,
    reasons after submission), stale edits (``old`` = the value the user loaded), then the
    same value checks as an import. Values far from their peers raise ``OutlierWarning``
    until ``confirm_note`` is given. Every change goes to the audit log; then the campaign is
    re-scored when it can be (``on_stage`` follows the scoring stages, for a progress bar).
    """
    require(user, "enter_values")
    bounded(file, "reason", reason)
    bounded(file, "note", confirm_note)
    con, cid, rules = campaign.con, campaign.id, campaign.rules
    units = units_frame(con, cid)
    try:
        typed, emptied = check_values(rules, units, changes, file)
    except CampaignError as exc:
        raise at_cells(exc, changes, rules, units) from None
    problems = forbidden_cells(rules, units, changes, user, file)
    problems += differs_without_reason(con, cid, changes, reason, file)  # 考评 ≠ 自评 says why
    recheck = None
    if "old" in changes.columns:
        problems += stale_cells(con, cid, changes, file)

        def recheck(c: duckdb.DuckDBPyConnection) -> None:
            """Compare-and-set: inside the write's transaction, the cells are still as loaded
            (a save of the same cell that committed meanwhile refuses this one)."""
            if found := stale_cells(c, cid, changes, file):
                raise at_cells(CampaignError(found), changes, rules, units)

    if rules.surveys and answers is None:
        problems += surveyed_cells(con, cid, changes, file)
    if problems:
        raise at_cells(CampaignError(problems), changes, rules, units)
    check_entry(campaign, changes, reason, file, user)
    found = outliers.flag(con, cid, typed)
    if found.height and confirm_note is None:
        raise OutlierWarning(found)
    flagged = found.select(*KEYS).unique()
    stamp = now()
    # the confirming comment is the note (and the audit reason, when none is given) of the
    # values it confirms, not of every value of the save
    confirmed = flagged.with_columns(pl.lit(confirm_note or None, dtype=pl.String).alias("_confirm"))
    typed = typed.join(confirmed, on=list(KEYS), how="left").with_columns(
        pl.lit(user.username).alias("entered_by"),
        pl.lit(stamp).alias("entered_at"),
        pl.coalesce(pl.col("_confirm"), pl.col("note")).alias("note"),
    )
    for attempt in range(5):  # another session's commit on the same rows: try again
        try:
            changed = _write(con, cid, typed, emptied, user, stamp, reason, confirmed, answers, recheck, also)
            break
        except duckdb.TransactionException:
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
    # every period whose values are complete is scored, whatever the other periods hold
    run = score(con, cid, on_stage=on_stage)
    return SaveResult(typed.height, emptied.height, changed, run, _still_missing(con, cid, changes, units))


def _still_missing(
    con: duckdb.DuckDBPyConnection, cid: str, changes: pl.DataFrame, units: pl.DataFrame
) -> tuple[tuple[str, int, int], ...]:
    """Per period saved: the cells still missing in the towns of the saved units, and in all."""
    from scoring.app.service import completeness

    towns = units.join(changes.select("unit_id").unique(), on="unit_id", how="semi")["town"]
    mine = set(towns.fill_null("").to_list())
    out = []
    for period in sorted(set(changes["period"].to_list())):
        done = completeness(con, cid, period)
        out.append(
            (
                period,
                int(done.filter(pl.col("town").is_in(mine))["missing"].sum()),
                int(done["missing"].sum()),
            )
        )
    return tuple(out)


def _write(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    typed: pl.DataFrame,
    emptied: pl.DataFrame,
    user: User,
    stamp: datetime,
    reason: str | None,
    confirmed: pl.DataFrame,
    answers: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    recheck: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> int:
    """Write the cells in one transaction; returns how many of them changed. A confirmed
    outlier's audit row gives its confirming comment as the reason where no reason is given.
    ``recheck`` runs first inside the transaction and refuses by raising."""
    typed = typed.drop("_confirm")
    with transaction(con):
        if recheck is not None:
            recheck(con)
        if answers is not None:
            answers(con)
        diff = cell_diff(con, cid, typed, emptied, user.username)
        if reason is None:
            diff = diff.join(confirmed.rename({"_confirm": "reason"}), on=list(KEYS), how="left")
        record(con, cid, diff, stamp, reason, "entry")
        keys = pl.concat([typed.select("unit_id", "period", "indicator_id"), emptied])
        register(con, "_keys", keys)
        register(con, "_new", typed)
        try:
            shift_data_hash(con, cid, stored_at_sql("_keys"), "_new")
            delete_values(con, cid, "_keys")
            if typed.height:
                insert_values(con, cid, "_new", stamp, typed.height)
        finally:
            con.unregister("_keys")
            con.unregister("_new")
        if diff.height:
            record_state(con, cid)
        if also is not None:
            also(con)
    return diff.height


def read_upload(name: str, data: bytes) -> pl.DataFrame:
    """An uploaded values file (xlsx or csv) as text rows with spreadsheet row numbers."""
    with staged(data, name, "values", (".xlsx", ".csv")) as path:  # bounded before it is read
        if path.suffix == ".csv":
            return read_csv(path, name, VALUE_COLUMNS, VALUE_OPTIONAL)
        import fastexcel

        from scoring.ingest.template import is_wide, read_wide

        try:
            cells = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string").to_polars()
        except Exception as exc:  # the reader raises many types for a damaged file
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CampaignError([Problem(name, None, None, "file_unreadable", {"detail": detail})]) from None
        if is_wide(cells):  # the wide template: units down, indicators across
            return read_wide(cells)
        from scoring.ingest.load import read_values

        frame, _ = read_values(path.parent)
        assert isinstance(frame, pl.DataFrame)  # an xlsx is read into a frame
        return frame


def preview_upload(campaign: Campaign, name: str, data: bytes) -> pl.DataFrame:
    """What an upload would change: unit, period, indicator, old → new (checked first)."""
    con, cid = campaign.con, campaign.id
    rows = read_upload(name, data)
    refuse_closed_periods(con, cid, rows["period"].drop_nulls().unique().to_list(), name)
    typed, emptied = check_values(campaign.rules, units_frame(con, cid), rows, name)
    new = pl.concat(
        [
            typed.select("unit_id", "period", "indicator_id", pl.col("value").alias("new")),
            emptied.with_columns(pl.lit(None, dtype=typed["value"].dtype).alias("new")),
        ]
    )
    cur = con.cursor()
    register(cur, "_upload", new)
    current = to_polars(
        cur.sql(
            f"SELECT unit_id, period, indicator_id, value AS old FROM {stored_at_sql('_upload')} x",
            params={"cid": cid},
        )
    )
    diff = new.join(current, on=["unit_id", "period", "indicator_id"], how="left")
    diff = diff.filter(pl.col("old").ne_missing(pl.col("new")))
    return diff.with_columns(each(diff, "old", value_text), each(diff, "new", value_text)).select(
        "unit_id", "period", "indicator_id", "old", "new"
    )
