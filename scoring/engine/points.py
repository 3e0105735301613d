"""Steps 1-3 of the spec: points per (unit, period, indicator), period scores, missing values.

All arithmetic is on exact integers: values are DECIMAL(38,9), turned into HUGEINT
"nano-units" (x 10^9); points and scores are kept as integer cents (x 100), rounded half
away from zero (四舍五入) by integer division, never through binary floating point.
"""

from __future__ import annotations

import duckdb

from scoring.store.cells import cells_sql, lit, missing_cells_sql

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
-- an exact fraction num/den of a fen as yuan, rounded half away from zero to the fen
CREATE OR REPLACE TEMP MACRO yuan(num, den) AS
  CAST(div_half_away(CAST(num AS HUGEINT), CAST(den AS HUGEINT) * 1) AS DECIMAL(38,0)) * 0.01;
-- step 1, linear: points x clamp((v - floor) / (target - floor), 0, 1), in cents
CREATE OR REPLACE TEMP MACRO linear_cents(v9, f9, t9, p9) AS
  CASE WHEN (v9 - f9) * sign(t9 - f9) <= 0 THEN 0::HUGEINT
       WHEN (v9 - f9) * sign(t9 - f9) >= abs(t9 - f9) THEN cents(p9)
       ELSE div_half_away(p9 * ((v9 - f9) * sign(t9 - f9)) * 100,
                          abs(t9 - f9) * 1000000000::HUGEINT) END;
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


def value_points_sql(cid: str, cells: str) -> str:
    """Step 1 for each distinct (indicator, value) of ``cells`` (a FROM item with
    indicator_no and value): the points in cents, and whether it is a veto hit. Points depend
    only on the indicator and the value, so a campaign's millions of cells need them once per
    distinct pair."""
    c = lit(cid)
    return f"""
WITH d AS (
  SELECT i.indicator_no, i.indicator_id, x.value, i.kind, i.floor, i.target, i.points
  FROM (SELECT DISTINCT indicator_no, value FROM {cells} x) x
  JOIN indicators i ON i.campaign_id = {c} AND i.indicator_no = x.indicator_no),
tier_hits AS (
  SELECT d.indicator_no, d.value, arg_min(t.tier_points, t.tier_no) AS tier_points
  FROM d JOIN tiers t ON t.campaign_id = {c} AND t.indicator_id = d.indicator_id
  WHERE d.kind = 'tiers' AND (t.tier_min IS NULL OR d.value >= t.tier_min)
    AND (t.tier_max IS NULL OR d.value <= t.tier_max)
  GROUP BY ALL)
SELECT d.indicator_no, d.indicator_id, d.value,
  CAST(CASE d.kind
    WHEN 'score' THEN dec_cents(d.value)
    WHEN 'bonus' THEN dec_cents(d.value)
    WHEN 'penalty' THEN -dec_cents(d.value)
    WHEN 'veto' THEN 0
    WHEN 'tiers' THEN coalesce(dec_cents(h.tier_points), 0)
    ELSE linear_cents(nano(d.value), nano(d.floor), nano(d.target), nano(d.points))
  END AS BIGINT) AS cents,
  (d.kind = 'veto' AND d.value = 1) AS veto_hit
FROM d LEFT JOIN tier_hits h ON h.indicator_no = d.indicator_no AND h.value = d.value"""


def period_scores(con: duckdb.DuckDBPyConnection, cid: str, tie_break: list[str]) -> None:
    """Steps 1-3 into ``s_period``: per (unit, period) the score in cents (sum of points; a
    missing value earns 0), the veto, the tie-break indicators' points (tb1, tb2, …), and how
    many applicable cells have a value. One pass over the values, no per-cell table."""
    c = lit(cid)
    cells = cells_sql(cid)
    con.execute("CREATE OR REPLACE TEMP TABLE s_value_points AS " + value_points_sql(cid, cells))
    # the tie-break indicators by their numbers: an integer compared per value, where their
    # ids were text carried through the join and compared (national size, alternating runs:
    # 3.4-4.0 s against 3.9-5.0 s)
    numbers = dict(
        con.execute(
            "SELECT indicator_id, indicator_no FROM indicators WHERE campaign_id = ?", [cid]
        ).fetchall()
    )
    tb_sums = "".join(
        f", sum(vp.cents) FILTER (WHERE v.indicator_no = {int(numbers[ind])}) AS tb{k}"
        for k, ind in enumerate(tie_break, start=1)
    )
    tb_cols = "".join(f", coalesce(a.tb{k}, 0)::BIGINT AS tb{k}" for k in range(1, len(tie_break) + 1))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_period AS
        WITH agg AS (
          SELECT v.unit_no, v.period_no, sum(vp.cents) AS score_c, bool_or(vp.veto_hit) AS vetoed,
                 count(*) AS n_values{tb_sums}
          FROM {cells} v
          JOIN s_value_points vp ON vp.indicator_no = v.indicator_no AND vp.value = v.value
          GROUP BY v.unit_no, v.period_no),
        applicable AS (
          SELECT category, count(*) AS n_applicable FROM applies WHERE campaign_id = {c}
          GROUP BY category)
        SELECT u.unit_id, u.category, p.period, p.period_no,
               coalesce(a.score_c, 0)::BIGINT AS score_c, coalesce(a.vetoed, false) AS vetoed,
               coalesce(n.n_applicable, 0) - coalesce(a.n_values, 0) AS n_missing{tb_cols}
        FROM units u JOIN periods p ON p.campaign_id = u.campaign_id
        LEFT JOIN applicable n ON n.category = u.category
        LEFT JOIN agg a ON a.unit_no = u.unit_no AND a.period_no = p.period_no
        WHERE u.campaign_id = {c}""")


def missing_cells(con: duckdb.DuckDBPyConnection, cid: str, limit: int) -> tuple[int, list]:
    """Step 3: how many applicable (unit, period, indicator) have no value (from
    ``s_period``), and the first ``limit`` of them by period, unit and indicator."""
    total = con.execute("SELECT coalesce(sum(n_missing), 0) FROM s_period").fetchall()[0][0]
    if not total:
        return 0, []
    rows = con.execute(
        f"SELECT unit_id, period, indicator_id FROM {missing_cells_sql(cid, first=limit)} "
        f"ORDER BY period_no, unit_id, indicator_no LIMIT {int(limit)}"
    ).fetchall()
    return int(total), [(r[0], r[1], r[2]) for r in rows]


def cell_points_sql(
    cid: str,
    unit_id: str | None = None,
    period: str | None = None,
    with_missing: bool = True,
    as_text: bool = False,
    ordered: bool = False,
) -> str:
    """A SELECT of period, unit_id, indicator_id, value, points (DECIMAL, 2 places) for the
    campaign's cells under its current rules and values, optionally one unit's and/or one
    period's. Needs ``install_macros``.

    Points (and, ``as_text``, the plainly written value and points of the CSV export) are made
    once per distinct (indicator, value), then joined to every value. With ``with_missing``
    the applicable cells without a value are included (value NULL, 0 points). ``ordered``:
    by period, unit (the units file's order) and indicator (the rules' order)."""
    c = lit(cid)
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
    if with_missing:
        missing = f"""
UNION ALL
SELECT period, unit_id, indicator_id, {none}, {zero}, period_no, unit_no, indicator_no
FROM {missing_cells_sql(cid, unit_id, period)}"""
    cells = cells_sql(cid, unit_id, period)
    return f"""
WITH vp AS (SELECT vp.*, {value} AS value_out, {points} AS points_out
            FROM ({value_points_sql(cid, cells)}) vp)
SELECT period, unit_id, indicator_id, value, points FROM (
SELECT p.period, u.unit_id, vp.indicator_id, vp.value_out AS value, vp.points_out AS points,
       v.period_no, v.unit_no, v.indicator_no
FROM {cells} v
JOIN vp ON vp.indicator_no = v.indicator_no AND vp.value = v.value
JOIN units u ON u.campaign_id = {c} AND u.unit_no = v.unit_no
JOIN periods p ON p.campaign_id = {c} AND p.period_no = v.period_no{missing})
{"ORDER BY period_no, unit_no, indicator_no" if ordered else ""}"""
