"""Steps 1-3 of the spec: points per (unit, period, indicator), period scores, missing values.

All arithmetic is on exact integers: values are DECIMAL(38,9), turned into HUGEINT
"nano-units" (x 10^9); points and scores are kept as integer cents (x 100), rounded half
away from zero (四舍五入) by integer division, never through binary floating point.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scoring.core.na import NA_SQL, NA_TEXT
from scoring.engine.field import FIELD_KINDS_SQL, field_points_sql
from scoring.engine.field import MACROS as FIELD_MACROS
from scoring.rules.model import BASE_KINDS
from scoring.store.cells import cells_sql, missing_cells_sql

MACROS = """
CREATE OR REPLACE TEMP MACRO nano(x) AS CAST(CAST(x AS DECIMAL(38,9)) * 1000000000 AS HUGEINT);
-- n / d rounded half away from zero, for d > 0 (integer arguments)
CREATE OR REPLACE TEMP MACRO div_half_away(n, d) AS
  CASE WHEN n < 0 THEN -((-2 * n + d) // (2 * d)) ELSE (2 * n + d) // (2 * d) END;
-- a nano-unit amount as whole cents, rounded half away from zero
CREATE OR REPLACE TEMP MACRO cents(x9) AS div_half_away(CAST(x9 AS HUGEINT), 10000000::HUGEINT);
-- a DECIMAL as whole cents: DuckDB rounds DECIMALs half away from zero (四舍五入), exactly
-- (pinned by tests/test_points.py); much cheaper than the HUGEINT route, which only the
-- division of linear items needs
CREATE OR REPLACE TEMP MACRO dec_cents(x) AS CAST(round(x, 2) * 100 AS BIGINT);
-- a number written plainly: 92.50 -> '92.5', 150000.00 -> '150000'
CREATE OR REPLACE TEMP MACRO plain(x) AS CASE WHEN x IS NULL THEN '' ELSE
  regexp_replace(regexp_replace(CAST(x AS VARCHAR), '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '') END;
-- a text cell a spreadsheet would run as a formula (= + - @, tab or CR first), written with a
-- leading ' so that it opens as text (the spec's outputs)
CREATE OR REPLACE TEMP MACRO cell_text(x) AS
  CASE WHEN left(x, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || x ELSE x END;
-- an exact fraction num/den of a fen as yuan, rounded half away from zero to the fen
CREATE OR REPLACE TEMP MACRO yuan(num, den) AS
  CAST(div_half_away(CAST(num AS HUGEINT), CAST(den AS HUGEINT) * 1) AS DECIMAL(38,0)) * 0.01;
-- step 1, linear: points x clamp((v - floor) / (target - floor), 0, 1), in cents
CREATE OR REPLACE TEMP MACRO linear_cents(v9, f9, t9, p9) AS
  CASE WHEN (v9 - f9) * sign(t9 - f9) <= 0 THEN 0::HUGEINT
       WHEN (v9 - f9) * sign(t9 - f9) >= abs(t9 - f9) THEN cents(p9)
       ELSE div_half_away(p9 * ((v9 - f9) * sign(t9 - f9)) * 100,
                          abs(t9 - f9) * 1000000000::HUGEINT) END;
-- step 1, bonus and penalty with each (a count): min(each x count, points), in cents
CREATE OR REPLACE TEMP MACRO counted_cents(v9, e9, p9) AS
  div_half_away(least(v9 * e9, p9 * 1000000000::HUGEINT), 10000000000000000::HUGEINT);
"""

BASE_KINDS_SQL = "(" + ", ".join(f"'{k}'" for k in BASE_KINDS) + ")"


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)
    con.execute(FIELD_MACROS)


def value_points_sql(cells: str) -> str:
    """Step 1 for each distinct (indicator, value) of ``cells`` (a FROM item with
    indicator_no and value) of campaign $cid: the points in cents, and whether it is a veto
    hit. Points depend only on the indicator and the value, so a campaign's millions of cells
    need them once per distinct pair; the kinds that compare a unit with its field
    (``field``: relative, rank_points) get theirs per cell from ``field_points_sql``."""
    return f"""
WITH d AS (
  SELECT i.indicator_no, i.indicator_id, x.value, i.kind, i.floor, i.target, i.points, i.each,
         x.value = {NA_SQL} AS na
  FROM (SELECT DISTINCT indicator_no, value FROM {cells} x) x
  JOIN indicators i ON i.campaign_id = $cid AND i.indicator_no = x.indicator_no),
tier_hits AS (
  SELECT d.indicator_no, d.value, arg_min(t.tier_points, t.tier_no) AS tier_points
  FROM d JOIN tiers t ON t.campaign_id = $cid AND t.indicator_id = d.indicator_id
  WHERE d.kind = 'tiers' AND (t.tier_min IS NULL OR d.value >= t.tier_min)
    AND (t.tier_max IS NULL OR d.value <= t.tier_max)
  GROUP BY ALL)
SELECT d.indicator_no, d.indicator_id, d.value,
  CAST(CASE WHEN d.na THEN 0 ELSE CASE d.kind
    WHEN 'score' THEN dec_cents(d.value)
    WHEN 'bonus' THEN CASE WHEN d.each IS NULL THEN dec_cents(d.value)
                      ELSE counted_cents(nano(d.value), nano(d.each), nano(d.points)) END
    WHEN 'penalty' THEN -CASE WHEN d.each IS NULL THEN dec_cents(d.value)
                      ELSE counted_cents(nano(d.value), nano(d.each), nano(d.points)) END
    WHEN 'veto' THEN 0
    WHEN 'relative' THEN 0
    WHEN 'rank_points' THEN 0
    WHEN 'tiers' THEN coalesce(dec_cents(h.tier_points), 0)
    ELSE linear_cents(nano(d.value), nano(d.floor), nano(d.target), nano(d.points))
  END END AS BIGINT) AS cents,
  (d.kind = 'veto' AND d.value = 1) AS veto_hit, d.kind IN {FIELD_KINDS_SQL} AND NOT d.na AS field,
  d.na
FROM d LEFT JOIN tier_hits h ON h.indicator_no = d.indicator_no AND h.value = d.value"""


def period_scores(con: duckdb.DuckDBPyConnection, cid: str, tie_break: list[str]) -> None:
    """Steps 1-3 into ``s_period``: per (unit, period) the score in cents (sum of points; a
    missing value earns 0), the veto, the tie-break indicators' points (tb1, tb2, …), and how
    many applicable cells have a value. One pass over the values, no per-cell table."""
    cells = cells_sql()
    con.execute("CREATE OR REPLACE TEMP TABLE s_value_points AS " + value_points_sql(cells), {"cid": cid})
    # the tie-break indicators by their numbers: an integer compared per value, where their
    # ids were text carried through the join and compared (national size, alternating runs:
    # 3.4-4.0 s against 3.9-5.0 s)
    numbers = dict(
        con.execute(
            "SELECT indicator_id, indicator_no FROM indicators WHERE campaign_id = ?", [cid]
        ).fetchall()
    )
    tb_sums = "".join(
        f", sum(c.cents) FILTER (WHERE c.indicator_no = {int(numbers[ind])}) AS tb{k}"
        for k, ind in enumerate(tie_break, start=1)
    )
    tb_cols = "".join(f", coalesce(a.tb{k}, 0)::BIGINT AS tb{k}" for k in range(1, len(tie_break) + 1))
    has_field = con.execute(
        f"SELECT count(*) FROM indicators WHERE campaign_id = ? AND kind IN {FIELD_KINDS_SQL}", [cid]
    ).fetchall()[0][0]
    scored = f"""SELECT v.unit_no, v.period_no, v.indicator_no, vp.cents, vp.veto_hit, vp.na
          FROM {cells} v
          JOIN s_value_points vp ON vp.indicator_no = v.indicator_no AND vp.value = v.value"""
    if has_field:  # their cells earn their field's points instead: each cell counted once
        scored += f"""
          WHERE NOT vp.field
          UNION ALL
          SELECT unit_no, period_no, indicator_no, cents, false, false FROM {field_points_sql()}"""
    # step 2, items that do not apply: only a campaign whose rules allow 不涉及 pays for the
    # rescaling (the base items' points B, their maxima M and A, the bonus and penalty E)
    rescaled = con.execute(
        "SELECT count(*) FROM indicators WHERE campaign_id = ? AND na_allowed", [cid]
    ).fetchall()[0][0]
    na_sums, score = "", "coalesce(a.score_c, 0)"
    if rescaled:
        _maxima(con, cid)
        na_sums = """, sum(c.cents) FILTER (WHERE NOT c.base) AS extra_c,
                 sum(c.max9) FILTER (WHERE c.na) AS na9"""
        scored = f"""SELECT c.*, m.base, m.max9 FROM ({scored}) c JOIN s_maxima m USING (indicator_no)"""
        score = """CASE WHEN coalesce(a.na9, 0) = 0 THEN coalesce(a.score_c, 0)
                     WHEN mc.m9 = a.na9 THEN coalesce(a.extra_c, 0)
                     ELSE div_half_away((a.score_c - coalesce(a.extra_c, 0))::HUGEINT * mc.m9,
                                        mc.m9 - a.na9) + coalesce(a.extra_c, 0) END"""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE s_period AS
        WITH agg AS (
          SELECT c.unit_no, c.period_no, sum(c.cents) AS score_c, bool_or(c.veto_hit) AS vetoed,
                 count(*) AS n_values{tb_sums}{na_sums}
          FROM ({scored}) c
          GROUP BY c.unit_no, c.period_no),
        applicable AS (
          SELECT category, count(*) AS n_applicable FROM applies WHERE campaign_id = $cid
          GROUP BY category)
        SELECT u.unit_id, u.category, p.period, p.period_no,
               ({score})::BIGINT AS score_c, coalesce(a.vetoed, false) AS vetoed,
               coalesce(n.n_applicable, 0) - coalesce(a.n_values, 0) AS n_missing,
               coalesce(a.n_values, 0) AS n_values{tb_cols}
        FROM units u JOIN periods p ON p.campaign_id = u.campaign_id
        LEFT JOIN applicable n ON n.category = u.category
        LEFT JOIN agg a ON a.unit_no = u.unit_no AND a.period_no = p.period_no
        {"LEFT JOIN s_category_max mc ON mc.category = u.category" if rescaled else ""}
        WHERE u.campaign_id = $cid""",
        {"cid": cid},
    )


def _maxima(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """Step 2's maxima in nano-units: each indicator's (``s_maxima``: whether it is a base item,
    and its maximum), and per category the sum M of its base items' (``s_category_max``)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE s_maxima AS
            SELECT indicator_no, indicator_id, kind IN {BASE_KINDS_SQL} AS base,
                   CASE WHEN kind IN {BASE_KINDS_SQL} THEN nano(max_points) ELSE 0 END AS max9
            FROM indicators WHERE campaign_id = $cid""",
        {"cid": cid},
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE s_category_max AS
           SELECT a.category, sum(m.max9)::HUGEINT AS m9 FROM applies a
           JOIN s_maxima m ON m.indicator_id = a.indicator_id
           WHERE a.campaign_id = $cid AND m.base GROUP BY a.category""",
        {"cid": cid},
    )


@dataclass(frozen=True)
class PeriodState:
    """Step 3 for one period: how many values it has and how many applicable ones it lacks."""

    period: str
    period_no: int
    values: int
    missing: int

    @property
    def started(self) -> bool:
        return self.values > 0

    def status(self, missing_rule: str) -> str:
        """``scored``, ``incomplete`` (started, a value missing under ``missing: error``) or
        ``not_started`` (no value at all)."""
        if not self.started:
            return "not_started"
        return "scored" if self.missing == 0 or missing_rule == "zero" else "incomplete"


def period_states(con: duckdb.DuckDBPyConnection) -> list[PeriodState]:
    """Step 3: per period of ``s_period`` (campaign order), its values and missing values."""
    rows = con.execute(
        "SELECT period, period_no, sum(n_values)::BIGINT, sum(n_missing)::BIGINT FROM s_period "
        "GROUP BY period, period_no ORDER BY period_no"
    ).fetchall()
    return [PeriodState(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]


def keep_periods(con: duckdb.DuckDBPyConnection, period_nos: list[int]) -> None:
    """Step 3: only the scored periods stay in ``s_period`` to be ranked and flagged."""
    if not period_nos:
        con.execute("DELETE FROM s_period")
        return
    kept = ", ".join(str(int(n)) for n in period_nos)
    con.execute(f"DELETE FROM s_period WHERE period_no NOT IN ({kept})")


def missing_cells(
    con: duckdb.DuckDBPyConnection, cid: str, limit: int, period_nos: list[int]
) -> tuple[int, list]:
    """Step 3: how many applicable (unit, period, indicator) of the started periods
    (``period_nos``) have no value (from ``s_period``), and the first ``limit`` of them by
    period, unit and indicator. A period with no value at all has not started: its cells are
    not missing values yet."""
    if not period_nos:
        return 0, []
    kept = ", ".join(str(int(n)) for n in period_nos)
    total = con.execute(
        f"SELECT coalesce(sum(n_missing), 0) FROM s_period WHERE period_no IN ({kept})"
    ).fetchall()[0][0]
    if not total:
        return 0, []
    cells = missing_cells_sql(first=limit, period_nos=period_nos)
    rows = con.execute(
        f"SELECT unit_id, period, indicator_id FROM {cells} "
        "ORDER BY period_no, unit_id, indicator_no LIMIT $limit",
        {"cid": cid, "limit": int(limit)},
    ).fetchall()
    return int(total), [(r[0], r[1], r[2]) for r in rows]


def cell_points_sql(
    unit_id: str | None = None,
    period: str | None = None,
    with_missing: bool | list[int] = True,
    as_text: bool = False,
    ordered: bool = False,
) -> str:
    """A SELECT of period, unit_id, indicator_id, value, points (DECIMAL, 2 places) for the
    cells of campaign $cid under its current rules and values, optionally one unit's and/or one
    period's; run it with ``cell_params(cid, unit_id, period)``. Needs ``install_macros``.

    Points (and, ``as_text``, the plainly written value and points of the CSV export) are made
    once per distinct (indicator, value), then joined to every value. With ``with_missing``
    the applicable cells without a value are included (value NULL, 0 points): all of them, or
    with a list of period numbers those of these periods. ``ordered``:
    by period, unit (the units file's order) and indicator (the rules' order)."""
    cents = "CAST(vp.cents AS DECIMAL(18,0)) * 0.01"
    if as_text:
        value, points, none, zero = "plain(vp.value)", f"plain({cents})", "''", "'0'"
    else:
        value, points, none, zero = (
            "vp.value",
            f"CAST({cents} AS DECIMAL(18,2))",
            "NULL",
            "0.00::DECIMAL(18,2)",
        )
    missing = ""
    nos = with_missing if isinstance(with_missing, list) else None
    if with_missing:
        missing = f"""
UNION ALL
SELECT period, unit_id, indicator_id, {none}, {zero}, period_no, unit_no, indicator_no
FROM {missing_cells_sql(unit_id, period, period_nos=nos)}"""
    cells = cells_sql(unit_id, period)
    # ids as the CSV writes them: made safe once per unit, period and distinct value
    text = "cell_text" if as_text else ""
    if as_text:
        missing = missing.replace(
            "SELECT period, unit_id, indicator_id,",
            "SELECT cell_text(period), cell_text(unit_id), cell_text(indicator_id),",
            1,
        )
    # the field kinds' cells (relative, rank_points) have their points per cell, in their field
    field_value, field_points = value.replace("vp.", "f."), points.replace("vp.", "f.")
    # a 不涉及 cell: its value written as 不涉及 in the CSV, and no points at all
    points = f"CASE WHEN vp.na THEN {none} ELSE {points} END"
    if as_text:
        value = f"CASE WHEN vp.na THEN '{NA_TEXT}' ELSE {value} END"
    unit_filter = " AND unit_id = $cell_unit" if unit_id is not None else ""
    units = f"(SELECT unit_no, {text}(unit_id) AS unit_out FROM units WHERE campaign_id = $cid{unit_filter})"
    periods = f"(SELECT period_no, {text}(period) AS period_out FROM periods WHERE campaign_id = $cid)"
    return f"""
WITH vp AS (SELECT vp.*, {value} AS value_out, {points} AS points_out,
                   {text}(vp.indicator_id) AS indicator_out
            FROM ({value_points_sql(cells)}) vp)
SELECT period, unit_id, indicator_id, value, points FROM (
SELECT p.period_out AS period, u.unit_out AS unit_id, vp.indicator_out AS indicator_id,
       vp.value_out AS value, vp.points_out AS points, v.period_no, v.unit_no, v.indicator_no
FROM {cells} v
JOIN vp ON vp.indicator_no = v.indicator_no AND vp.value = v.value AND NOT vp.field
JOIN {units} u ON u.unit_no = v.unit_no
JOIN {periods} p ON p.period_no = v.period_no
UNION ALL
SELECT p.period_out, u.unit_out, i.indicator_out, {field_value}, {field_points}, f.period_no,
       f.unit_no, f.indicator_no
FROM {field_points_sql(period)} f
JOIN {units} u ON u.unit_no = f.unit_no
JOIN {periods} p ON p.period_no = f.period_no
JOIN (SELECT indicator_no, {text}(indicator_id) AS indicator_out FROM indicators
      WHERE campaign_id = $cid) i ON i.indicator_no = f.indicator_no{missing})
{"ORDER BY period_no, unit_no, indicator_no" if ordered else ""}"""
