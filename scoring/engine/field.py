"""Step 1 for the kinds that compare a unit with its field: ``relative`` (按比例折算) and
``rank_points`` (按排名赋分).

A unit's field is the units of its category with a value for the indicator in the same period
(vetoed units included; a unit without a value, or whose value is 不涉及, is not in it). The
field's best, worst and each unit's place come from DuckDB window functions over the stored
values, one pass per campaign, never a loop over units; the points are then exact integer
cents like every other kind's (``scoring.engine.points``' macros, half away from zero).
"""

from __future__ import annotations

from scoring.core.na import NA_SQL
from scoring.rules.model import FIELD_KINDS
from scoring.store.cells import cells_sql

FIELD_KINDS_SQL = "(" + ", ".join(f"'{k}'" for k in FIELD_KINDS) + ")"

MACROS = """
-- relative, in cents: points x value / max (ratio, higher), points x min / value (ratio,
-- lower; a value of 0 earns full points), points x (value - min) / (max - min) or
-- points x (max - value) / (max - min) (minmax; max = min: full points); nano-unit arguments
CREATE OR REPLACE TEMP MACRO relative_cents(minmax, lower, v9, lo9, hi9, p9) AS
  CASE WHEN NOT minmax AND NOT lower THEN
         CASE WHEN hi9 = 0 THEN 0::HUGEINT
              ELSE div_half_away(p9 * v9 * 100, hi9 * 1000000000::HUGEINT) END
       WHEN NOT minmax THEN
         CASE WHEN v9 = 0 THEN cents(p9)
              ELSE div_half_away(p9 * lo9 * 100, v9 * 1000000000::HUGEINT) END
       WHEN hi9 = lo9 THEN cents(p9)
       WHEN NOT lower THEN div_half_away(p9 * (v9 - lo9) * 100, (hi9 - lo9) * 1000000000::HUGEINT)
       ELSE div_half_away(p9 * (hi9 - v9) * 100, (hi9 - lo9) * 1000000000::HUGEINT) END;
"""


def field_points_sql(period: str | None = None) -> str:
    """A FROM item of campaign $cid's cells of the field kinds (optionally one period's: run
    with ``cell_params(cid, period=...)``): unit_no, period_no, indicator_no, value, and the
    field's size, lowest and highest value, the unit's place in it (competition style, better
    first: 1, 2, 2, 4) and its points in cents. Needs ``install_macros``."""
    cells = cells_sql(period=period)
    # the field is ranked once per distinct value (a national field has millions of cells but
    # a few thousand distinct values): a unit's place is 1 + the units with a better value
    return f"""(
WITH f AS (
  SELECT v.unit_no, v.period_no, v.indicator_no, v.value, u.category
  FROM {cells} v
  JOIN indicators i ON i.campaign_id = $cid AND i.indicator_no = v.indicator_no
   AND i.kind IN {FIELD_KINDS_SQL} AND v.value <> {NA_SQL}
  JOIN units u ON u.campaign_id = $cid AND u.unit_no = v.unit_no),
d AS (
  SELECT f.indicator_no, f.period_no, f.category, f.value, count(*) AS n,
         any_value(i.indicator_id) AS indicator_id,
         any_value(i.kind) AS kind, any_value(i.method = 'minmax') AS minmax,
         any_value(i.better = 'lower') AS lower, any_value(i.points) AS points, any_value(i.rest) AS rest
  FROM f JOIN indicators i ON i.campaign_id = $cid AND i.indicator_no = f.indicator_no
  GROUP BY f.indicator_no, f.period_no, f.category, f.value),
w AS (
  SELECT d.*, sum(n) OVER g AS field_n, min(value) OVER g AS lo, max(value) OVER g AS hi,
         1 + coalesce(sum(n) OVER (g ORDER BY CASE WHEN lower THEN value ELSE -value END
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS place
  FROM d WINDOW g AS (PARTITION BY indicator_no, period_no, category)),
p AS (
  SELECT w.indicator_no, w.period_no, w.category, w.value, w.field_n, w.lo, w.hi, w.place,
         CAST(CASE WHEN w.kind = 'rank_points'
                   THEN dec_cents(coalesce(r.place_points, w.rest, 0))
                   ELSE relative_cents(w.minmax, w.lower, nano(w.value), nano(w.lo), nano(w.hi),
                                       nano(w.points)) END AS BIGINT) AS cents
  FROM w LEFT JOIN rank_points r ON r.campaign_id = $cid AND r.indicator_id = w.indicator_id
   AND r.place = w.place)
SELECT f.unit_no, f.period_no, f.indicator_no, f.value, f.category, p.field_n, p.lo, p.hi,
       p.place, p.cents
FROM f JOIN p ON p.indicator_no = f.indicator_no AND p.period_no = f.period_no
 AND p.category = f.category AND p.value = f.value)"""
