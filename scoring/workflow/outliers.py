"""Outlier warnings on entry: a value far from its category this period or from the unit's
own history, by the modified z-score (median and MAD). Flagged, never refused: the evaluator
confirms it with a comment."""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.core.frames import register, to_polars
from scoring.core.na import NA_SQL
from scoring.store.cells import cells_sql

THRESHOLD = 3.5
MIN_PEERS = 5
MIN_HISTORY = 3

# modified z = 0.6745 (x - median) / MAD, with the MAD floored at 5% of |median| so that a
# handful of near-identical values (a score of 13, 14, 14) does not flag every small move. Where
# that is 0 (most values are 0: a bonus or a penalty against a history of zeros), Iglewicz and
# Hoaglin's form with the mean absolute deviation, (x - median) / (1.253314 MeanAD), is used;
# where every value is the same, the deviation has no scale: z is left empty (never infinite) and
# a value differing from them all is flagged.
# Peers are the stored values of the same category, period and indicator, less the cells
# this change replaces; history is the unit's own values of the indicator in other periods.
# Each group's median and MAD are computed once, however many of its cells change. A 不涉及
# cell is neither flagged nor a peer.
_SQL = """
WITH new AS (
  SELECT n.unit_id, n.period, n.indicator_id, CAST(n.value AS DOUBLE) AS x, u.unit_no, u.category,
         p.period_no, i.indicator_no
  FROM _outlier_new n
  JOIN units u ON u.campaign_id = $cid AND u.unit_id = n.unit_id
  JOIN periods p ON p.campaign_id = $cid AND p.period = n.period
  JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = n.indicator_id
  WHERE n.value <> {na}),
cells AS (SELECT * FROM {cells} c WHERE c.indicator_no IN (SELECT indicator_no FROM new)
          AND c.value <> {na}),
groups AS (SELECT DISTINCT category, period_no, indicator_no FROM new),
peer_values AS (
  SELECT 'category' AS basis, g.category, -1 AS unit_no, g.period_no, g.indicator_no,
         CAST(c.value AS DOUBLE) AS y
  FROM cells c
  JOIN groups g ON g.period_no = c.period_no AND g.indicator_no = c.indicator_no
  JOIN units u ON u.campaign_id = $cid AND u.unit_no = c.unit_no AND u.category = g.category
  ANTI JOIN new n ON n.unit_no = c.unit_no AND n.period_no = c.period_no
   AND n.indicator_no = c.indicator_no
  UNION ALL
  SELECT 'history', n.category, n.unit_no, n.period_no, n.indicator_no, CAST(c.value AS DOUBLE)
  FROM new n JOIN cells c ON c.unit_no = n.unit_no AND c.indicator_no = n.indicator_no
   AND c.period_no <> n.period_no),
medians AS (
  SELECT basis, category, unit_no, period_no, indicator_no, count(*) AS n, median(y) AS med
  FROM peer_values GROUP BY ALL),
spreads AS (
  SELECT m.basis, m.category, m.unit_no, m.period_no, m.indicator_no, m.n, m.med,
         greatest(median(abs(v.y - m.med)), 0.05 * abs(m.med)) AS mad,
         avg(abs(v.y - m.med)) AS meanad
  FROM medians m JOIN peer_values v USING (basis, category, unit_no, period_no, indicator_no)
  GROUP BY m.basis, m.category, m.unit_no, m.period_no, m.indicator_no, m.n, m.med)
SELECT n.unit_id, n.period, n.indicator_id, s.basis, n.x AS value, s.med AS median, s.n,
       CASE WHEN s.mad > 0 THEN 0.6745 * (n.x - s.med) / s.mad
            WHEN s.meanad > 0 THEN (n.x - s.med) / (1.253314 * s.meanad)
            WHEN n.x = s.med THEN 0 END AS z
FROM new n JOIN spreads s ON s.category = n.category AND s.period_no = n.period_no
 AND s.indicator_no = n.indicator_no AND s.unit_no = CASE s.basis WHEN 'category' THEN -1 ELSE n.unit_no END
WHERE s.n >= CASE s.basis WHEN 'category' THEN $min_peers ELSE $min_history END
"""


def flag(con: duckdb.DuckDBPyConnection, cid: str, values: pl.DataFrame) -> pl.DataFrame:
    """The new values (unit_id, period, indicator_id, value) whose |modified z| > 3.5."""
    if values.height == 0:
        return pl.DataFrame(
            schema={
                "unit_id": pl.String,
                "period": pl.String,
                "indicator_id": pl.String,
                "basis": pl.String,
                "value": pl.Float64,
                "median": pl.Float64,
                "n": pl.Int64,
                "z": pl.Float64,
            }
        )
    register(con, "_outlier_new", values.select("unit_id", "period", "indicator_id", "value"))
    try:
        frame = to_polars(
            con.sql(
                _SQL.format(cells=cells_sql(), na=NA_SQL),
                params={"cid": cid, "min_peers": MIN_PEERS, "min_history": MIN_HISTORY},
            )
        )
    finally:
        con.unregister("_outlier_new")
    flagged = (pl.col("z").abs() > THRESHOLD) | pl.col("z").is_null()  # null: differs from identical values
    return frame.filter(flagged).sort("unit_id", "indicator_id", "basis")


class OutlierWarning(Exception):
    """Values that need a confirming comment before they are saved."""

    def __init__(self, flagged: pl.DataFrame):
        self.flagged = flagged
        super().__init__(f"{flagged.height} values need a confirming comment")
