"""Steps 1-3 of the spec: points per (unit, period, indicator), period scores, missing values.

All arithmetic is on exact integers: values are DECIMAL(38,9), turned into HUGEINT
"nano-units" (x 10^9); points and scores are kept as integer cents (x 100), rounded half
away from zero (四舍五入) by integer division, never through binary floating point.
"""

from __future__ import annotations

import duckdb

from scoring.store import execute_script

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
-- step 1, linear: points x clamp((v - floor) / (target - floor), 0, 1), in cents
CREATE OR REPLACE TEMP MACRO linear_cents(v9, f9, t9, p9) AS
  CASE WHEN (v9 - f9) * sign(t9 - f9) <= 0 THEN 0::HUGEINT
       WHEN (v9 - f9) * sign(t9 - f9) >= abs(t9 - f9) THEN cents(p9)
       ELSE div_half_away(p9 * ((v9 - f9) * sign(t9 - f9)) * 100,
                          abs(t9 - f9) * 1000000000::HUGEINT) END;
"""

POINTS_SQL = """
CREATE OR REPLACE TEMP TABLE s_cells AS
SELECT u.unit_id, u.category, p.period, p.period_no, i.indicator_id, i.kind, v.value
FROM units u
JOIN applies a ON a.campaign_id = u.campaign_id AND a.category = u.category
JOIN indicators i ON i.campaign_id = a.campaign_id AND i.indicator_id = a.indicator_id
JOIN periods p ON p.campaign_id = u.campaign_id
LEFT JOIN indicator_values v ON v.campaign_id = u.campaign_id AND v.unit_id = u.unit_id
     AND v.period = p.period AND v.indicator_id = i.indicator_id
WHERE u.campaign_id = $cid;

-- linear and tiers points depend only on (indicator, value): computed once per distinct pair
CREATE OR REPLACE TEMP TABLE s_value_points AS
WITH distinct_values AS (
  SELECT DISTINCT indicator_id, kind, value FROM s_cells
  WHERE kind IN ('linear', 'tiers') AND value IS NOT NULL),
tier_hits AS (
  SELECT d.indicator_id, d.value, arg_min(t.tier_points, t.tier_no) AS tier_points
  FROM distinct_values d JOIN tiers t ON t.campaign_id = $cid AND t.indicator_id = d.indicator_id
  WHERE d.kind = 'tiers'
    AND (t.tier_min IS NULL OR d.value >= t.tier_min)
    AND (t.tier_max IS NULL OR d.value <= t.tier_max)
  GROUP BY ALL)
SELECT d.indicator_id, d.value,
  CAST(CASE WHEN d.kind = 'tiers' THEN coalesce(dec_cents(h.tier_points), 0)
       ELSE linear_cents(nano(d.value), nano(i.floor), nano(i.target), nano(i.points))
  END AS BIGINT) AS cents
FROM distinct_values d
JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = d.indicator_id
LEFT JOIN tier_hits h ON h.indicator_id = d.indicator_id AND h.value = d.value;

CREATE OR REPLACE TEMP TABLE s_points AS
SELECT c.unit_id, c.category, c.period, c.period_no, c.indicator_id, c.kind, c.value,
  CAST(CASE
    WHEN c.value IS NULL OR c.kind = 'veto' THEN 0
    WHEN c.kind IN ('score', 'bonus') THEN dec_cents(c.value)
    WHEN c.kind = 'penalty' THEN -dec_cents(c.value)
    ELSE coalesce(vp.cents, 0)
  END AS BIGINT) AS points_c,
  (c.kind = 'veto' AND c.value = 1) AS veto_hit
FROM s_cells c
LEFT JOIN s_value_points vp ON vp.indicator_id = c.indicator_id AND vp.value = c.value;
"""

PERIOD_SCORES_SQL = """
CREATE OR REPLACE TEMP TABLE s_period AS
SELECT u.unit_id, u.category, p.period, p.period_no,
       coalesce(sum(s.points_c), 0)::BIGINT AS score_c,
       coalesce(bool_or(s.veto_hit), false) AS vetoed
FROM units u JOIN periods p ON p.campaign_id = u.campaign_id
LEFT JOIN s_points s ON s.unit_id = u.unit_id AND s.period = p.period
WHERE u.campaign_id = $cid
GROUP BY ALL;
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


def points(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """Step 1: points of every applicable (unit, period, indicator); missing earns 0 (step 3)."""
    execute_script(con, POINTS_SQL, {"cid": cid})


def period_scores(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """Step 2: period score = sum of the unit's points in the period; veto flag per period."""
    con.execute(PERIOD_SCORES_SQL, {"cid": cid})


def missing_cells(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Step 3: every applicable (unit, period, indicator) with no value."""
    return [
        (r[0], r[1], r[2])
        for r in con.execute(
            "SELECT unit_id, period, indicator_id FROM s_points WHERE value IS NULL "
            "ORDER BY period_no, unit_id, indicator_id"
        ).fetchall()
    ]
