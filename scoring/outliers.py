"""Outlier warnings on entry: a value far from its category this period or from the unit's
own history, by the modified z-score (median and MAD). Flagged, never refused: the evaluator
confirms it with a comment."""

from __future__ import annotations

import duckdb
import polars as pl

THRESHOLD = 3.5
MIN_PEERS = 5
MIN_HISTORY = 3

# modified z = 0.6745 (x - median) / MAD, with the MAD floored at 5% of |median| so that a
# handful of near-identical values (a score of 13, 14, 14) does not flag every small move
_SQL = """
WITH new AS (SELECT unit_id, period, indicator_id, CAST(value AS DOUBLE) AS x FROM _outlier_new),
cur AS (
  SELECT v.unit_id, v.period, v.indicator_id, CAST(v.value AS DOUBLE) AS x, u.category
  FROM indicator_values v JOIN units u ON u.campaign_id = v.campaign_id AND u.unit_id = v.unit_id
  WHERE v.campaign_id = $cid),
me AS (SELECT n.*, u.category FROM new n JOIN units u ON u.campaign_id = $cid
       AND u.unit_id = n.unit_id),
peers AS (
  SELECT m.unit_id, m.period, m.indicator_id, m.x, 'category' AS basis, c.x AS y
  FROM me m JOIN cur c ON c.category = m.category AND c.period = m.period
   AND c.indicator_id = m.indicator_id AND c.unit_id <> m.unit_id
  UNION ALL
  SELECT m.unit_id, m.period, m.indicator_id, m.x, 'history', c.x
  FROM me m JOIN cur c ON c.unit_id = m.unit_id AND c.indicator_id = m.indicator_id
   AND c.period <> m.period),
stats AS (
  SELECT unit_id, period, indicator_id, basis, any_value(x) AS x, count(*) AS n,
         median(y) AS med FROM peers GROUP BY ALL),
raw AS (
  SELECT s.unit_id, s.period, s.indicator_id, s.basis, s.x, s.n, s.med,
         median(abs(p.y - s.med)) AS raw_mad
  FROM stats s JOIN peers p USING (unit_id, period, indicator_id, basis)
  GROUP BY s.unit_id, s.period, s.indicator_id, s.basis, s.x, s.n, s.med),
spread AS (SELECT *, greatest(raw_mad, 0.05 * abs(med)) AS mad FROM raw)
SELECT unit_id, period, indicator_id, basis, x AS value, med AS median, n,
       CASE WHEN mad > 0 THEN 0.6745 * (x - med) / mad
            WHEN x <> med THEN 'inf'::DOUBLE ELSE 0 END AS z
FROM spread
WHERE n >= CASE basis WHEN 'category' THEN $min_peers ELSE $min_history END
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
    con.register("_outlier_new", values.select("unit_id", "period", "indicator_id", "value"))
    try:
        frame = con.sql(_SQL, params={"cid": cid, "min_peers": MIN_PEERS, "min_history": MIN_HISTORY}).pl()
    finally:
        con.unregister("_outlier_new")
    return frame.filter(pl.col("z").abs() > THRESHOLD).sort("unit_id", "indicator_id", "basis")


class OutlierWarning(Exception):
    """Values that need a confirming comment before they are saved."""

    def __init__(self, flagged: pl.DataFrame):
        self.flagged = flagged
        super().__init__(f"{flagged.height} values need a confirming comment")
