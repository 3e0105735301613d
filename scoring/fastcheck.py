"""The one-pass route for a Parquet values file with a numeric value column.

Two set-based passes over the typed file decide whether it has any problem at all; only then
are its rows checked one by one as text (``scoring.validate``), which names each problem. A
clean file is never held in memory: its checked values are the SELECT that reads it typed,
streamed by DuckDB into the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from scoring.rules import Rules


@dataclass(frozen=True)
class ValueRows:
    """Checked, typed values (unit_id, period, indicator_id, value DECIMAL(38,9), entered_by,
    note): a frame for CSV and Excel, or, for a Parquet file, the SELECT that reads it typed —
    streamed by DuckDB into the store, never held in memory."""

    height: int
    frame: pl.DataFrame | None = None
    select: str | None = None
    digest: tuple[int, int, int] | None = None  # (count, xor, sum) of the rows' hashes, if known
    annotated: bool = True  # whether rows may carry entered_by / note

    def relation(self, con: duckdb.DuckDBPyConnection, name: str) -> str:
        """A FROM item for the values on ``con`` (a frame is registered under ``name``)."""
        if self.frame is not None:
            con.register(name, self.frame)
            return name
        return f"({self.select})"


def parquet_source(path: Path, options: str = "") -> str:
    """A FROM item reading the Parquet file (``options``: read_parquet's, e.g. row numbers)."""
    return "read_parquet('" + str(path).replace("'", "''") + "'" + (f", {options}" if options else "") + ")"


def _parquet_typed(path: Path) -> tuple[str, str, bool] | None:
    """For a Parquet file whose value column is numeric: the SELECT reading it typed, the
    SQL condition true for a value that is not exactly a number of at most 9 decimals, and
    whether the file has entered_by or note columns. None for a text value column (checked
    as text, like a CSV)."""
    schema = pl.read_parquet_schema(path)
    dtype = schema["value"]
    if not dtype.is_numeric():
        return None
    exact = "CAST(d9 AS DOUBLE) IS DISTINCT FROM raw" if dtype.is_float() else "d9 IS DISTINCT FROM raw"
    ids = ", ".join(f'CAST("{c}" AS VARCHAR) AS {c}' for c in ("unit_id", "period", "indicator_id"))
    extra = ", ".join(
        f"nullif(trim(CAST(\"{c}\" AS VARCHAR)), '') AS {c}" if c in schema else f"NULL::VARCHAR AS {c}"
        for c in ("entered_by", "note")
    )
    select = (
        f"SELECT {ids}, CAST(value AS DECIMAL(38,9)) AS value, {extra} "
        f"FROM {parquet_source(path)} WHERE value IS NOT NULL"
    )
    bad_value = f"({exact} OR abs(raw) >= 1000000000000)"
    return select, bad_value, "entered_by" in schema or "note" in schema


# Every value check of _VALUE_CHECKS over a typed Parquet file, in two passes: the rows
# (ids taken exactly as written, values as numbers), then duplicates per (unit, period) by
# comparing the row count with the distinct indicators' bit mask. Any count above zero sends
# the file through the row-by-row checks, which name each problem (and trim ids).
_FAST_ROWS = """
WITH per_indicator AS (
  SELECT s.indicator_id,
         count(*) FILTER (WHERE u.category IS NULL OR p.period_no IS NULL OR i.kind IS NULL
           OR (raw IS NOT NULL AND {bad_value})) AS bad,
         count(raw) AS n, min(raw) AS lo, max(raw) AS hi,
         count(*) FILTER (WHERE raw <> 0 AND raw <> 1) AS not_binary,
         bit_xor(h) FILTER (WHERE raw IS NOT NULL) AS h_xor,
         sum(h::HUGEINT) FILTER (WHERE raw IS NOT NULL) AS h_sum
  FROM (SELECT *, hash(unit_id, period, indicator_id, d9) AS h FROM (
          SELECT unit_id::VARCHAR AS unit_id, period::VARCHAR AS period,
                 indicator_id::VARCHAR AS indicator_id, value AS raw,
                 TRY_CAST(value AS DECIMAL(38,9)) AS d9 FROM {source})) s
  LEFT JOIN u1 u USING (unit_id) LEFT JOIN r_periods p USING (period)
  LEFT JOIN _applicable i ON i.category = u.category AND i.indicator_id = s.indicator_id
  GROUP BY s.indicator_id),
-- rounding to 9 places keeps order, so an indicator's extreme values decide its bounds
bounds AS (
  SELECT g.*, TRY_CAST(lo AS DECIMAL(38,9)) AS lo9, TRY_CAST(hi AS DECIMAL(38,9)) AS hi9, r.*
  FROM per_indicator g LEFT JOIN r_indicators r USING (indicator_id))
SELECT coalesce(sum(bad), 0) + count(*) FILTER (WHERE kind IS NOT NULL AND n > 0 AND (
         lo9 < min_value OR hi9 > max_value
         OR (kind IN ('score', 'bonus', 'penalty') AND (lo9 < 0 OR hi9 > points))
         OR (kind = 'veto' AND not_binary > 0))),
       coalesce(sum(n), 0), coalesce(bit_xor(h_xor), 0), coalesce(sum(h_sum), 0)
FROM bounds"""

_FAST_DUPLICATES = """
SELECT coalesce(sum(n - bit_count(mask)), 0) FROM (
  SELECT count(*) AS n, bit_or(1::UBIGINT << (i.indicator_no - 1)::UBIGINT) AS mask
  FROM {source} s JOIN r_indicators i ON i.indicator_id = s.indicator_id::VARCHAR
  GROUP BY s.unit_id, s.period)"""


def fast_parquet(con: duckdb.DuckDBPyConnection, path: Path, rules: Rules) -> ValueRows | None:
    """The typed values of a Parquet file when the passes find no problem; None otherwise (or
    when the file's values are text, or there are more than 64 indicators for the mask).
    Runs on the checks' connection, where units (``u1``) and the rule tables are registered."""
    typed = _parquet_typed(path)
    if typed is None or len(rules.indicators) > 64:
        return None
    select, bad_value, annotated = typed
    con.execute(
        "CREATE TEMP TABLE _applicable AS SELECT a.category, i.* FROM r_applies a "
        "JOIN r_indicators i USING (indicator_id)"
    )
    source = parquet_source(path)
    problems, with_value, h_xor, h_sum = con.execute(
        _FAST_ROWS.format(source=source, bad_value=bad_value)
    ).fetchall()[0]
    if problems or con.execute(_FAST_DUPLICATES.format(source=source)).fetchall()[0][0]:
        return None
    # the values' share of the data fingerprint, from this same pass (scoring.fingerprint.fingerprint_parts)
    return ValueRows(
        int(with_value),
        select=select,
        digest=(int(with_value), int(h_xor), int(h_sum)),
        annotated=annotated,
    )
