"""The one-pass route for values: two set-based passes decide whether the values have any
problem at all; only then are their rows checked one by one (``scoring.ingest.validate``), which
names each problem.

It serves a Parquet file, never held in memory (its checked values are the SELECT that reads
it, streamed by DuckDB into the store): a numeric value column is read typed, a text one as
text, trimmed, like a CSV. It also serves the all-text table of a CSV or Excel file (registered
as ``v`` by the checks), whose checked values are typed by DuckDB as they stream from that
table into the store.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from scoring.core.frames import register
from scoring.core.na import NA_SQL, NA_WORDS_SQL
from scoring.ingest.load import VALUE_COLUMNS, VALUE_OPTIONAL

SOURCE = "{source}"  # where a ValueRows select names the table it reads


@dataclass(frozen=True)
class ValueRows:
    """Checked, typed values (unit_id, period, indicator_id, value DECIMAL(38,9), entered_by,
    note), as one of: a typed frame (the row-by-row route); the text frame of a CSV or Excel
    file with the SELECT that types it, reading it as ``{source}``; or, for a Parquet
    file, the SELECT that reads the file typed. The last two are typed by DuckDB as they stream
    into the store, never held typed in memory."""

    height: int
    frame: pl.DataFrame | None = None
    select: str | None = None
    digest: tuple[int, int, int] | None = None  # (count, xor, sum) of the rows' hashes, if known
    annotated: bool = True  # whether rows may carry entered_by / note

    def relation(self, con: duckdb.DuckDBPyConnection, name: str) -> str:
        """A FROM item for the values on ``con`` (a frame is registered as ``name``)."""
        if self.frame is None:
            return f"({self.select})"
        register(con, name, self.frame)
        return name if self.select is None else f"({self.select.replace(SOURCE, name)})"


def parquet_source(path: Path, options: str = "") -> str:
    """A FROM item reading the Parquet file (``options``: read_parquet's, e.g. row numbers)."""
    return "read_parquet('" + str(path).replace("'", "''") + "'" + (f", {options}" if options else "") + ")"


def parquet_text_columns(columns: Collection[str]) -> str:
    """The SELECT list reading a Parquet values file (with these columns) as the all-text table
    of a CSV: every column as trimmed text, an absent entered_by or note as NULL."""
    return ", ".join(
        f'trim(CAST("{c}" AS VARCHAR)) AS {c}' if c in columns else f"NULL::VARCHAR AS {c}"
        for c in (*VALUE_COLUMNS, *VALUE_OPTIONAL)
    )


def _parquet_typed(path: Path, schema: Mapping[str, pl.DataType]) -> tuple[str, str] | None:
    """For a Parquet file whose value column is numeric: the SELECT reading it typed, and the
    SQL condition true for a value (``raw``, as stored; ``d9``, as DECIMAL(38,9)) that is not
    exactly a number of at most 9 decimals below 10^12. None for a text value column."""
    dtype = schema["value"]
    if not dtype.is_numeric():
        return None
    exact = "CAST(d9 AS DOUBLE) IS DISTINCT FROM raw" if dtype.is_float() else "d9 IS DISTINCT FROM raw"
    ids = ", ".join(f'CAST("{c}" AS VARCHAR) AS {c}' for c in ("unit_id", "period", "indicator_id"))
    extra = ", ".join(
        f"nullif(trim(CAST(\"{c}\" AS VARCHAR)), '') AS {c}" if c in schema else f"NULL::VARCHAR AS {c}"
        for c in VALUE_OPTIONAL
    )
    select = (
        f"SELECT {ids}, CAST(value AS DECIMAL(38,9)) AS value, {extra} "
        f"FROM {parquet_source(path)} WHERE value IS NOT NULL"
    )
    return select, f"({exact} OR abs(raw) >= 1000000000000)"


# A text value (trimmed, empty = missing) that the row-by-row checks would refuse: not a
# number (1,200, 85%, abc, inf), 10^12 or more, or more than 9 decimals.
_TEXT_BAD_VALUE = (
    "(CASE WHEN d9 IS NULL OR abs(d9) >= 1000000000000 THEN true"
    " ELSE TRY_CAST(raw AS DECIMAL(38,18)) IS DISTINCT FROM d9 END)"
)

# The values of the all-text table ``v`` that pass, typed as the row-by-row route types them.
_TEXT_TYPED = f"""
SELECT unit_id, period, indicator_id,
       CASE WHEN upper(value) IN {NA_WORDS_SQL} THEN {NA_SQL} ELSE CAST(value AS DECIMAL(38,9)) END
         AS value,
       nullif(entered_by, '') AS entered_by, nullif(note, '') AS note
FROM {SOURCE} WHERE nullif(value, '') IS NOT NULL"""

# Every value check of scoring.ingest.checks' VALUE_CHECKS, in two passes: the rows (ids taken
# exactly as written; ``raw`` the value as written, ``d9`` it as DECIMAL(38,9)), then duplicates
# (_FAST_DUPLICATES). Any count above zero sends the values through the row-by-row checks, which
# name each problem (and trim a Parquet file's ids).
_FAST_ROWS = """
WITH per_indicator AS (
  SELECT s.indicator_id,
         count(*) FILTER (WHERE u.category IS NULL OR p.period_no IS NULL OR i.kind IS NULL
           OR (raw IS NOT NULL AND NOT na AND {bad_value})
           OR (na AND NOT coalesce(i.na_allowed, false))) AS bad,
         count(d9) AS n, min(d9) FILTER (WHERE NOT na) AS lo9, max(d9) FILTER (WHERE NOT na) AS hi9,
         count(*) FILTER (WHERE NOT na AND d9 <> 0 AND d9 <> 1) AS not_binary,
         bit_xor(h) FILTER (WHERE d9 IS NOT NULL) AS h_xor,
         sum(h::HUGEINT) FILTER (WHERE d9 IS NOT NULL) AS h_sum
  FROM (SELECT *, hash(unit_id, period, indicator_id, d9) AS h FROM (
          SELECT *, CASE WHEN na THEN {na_value} ELSE TRY_CAST(raw AS DECIMAL(38,9)) END AS d9 FROM (
            SELECT unit_id::VARCHAR AS unit_id, period::VARCHAR AS period,
                   indicator_id::VARCHAR AS indicator_id, {raw} AS raw, {na} AS na
            FROM {source}))) s
  LEFT JOIN u1 u USING (unit_id) LEFT JOIN r_periods p USING (period)
  LEFT JOIN _applicable i ON i.category = u.category AND i.indicator_id = s.indicator_id
  GROUP BY s.indicator_id),
-- rounding to 9 places keeps order, so an indicator's extreme values decide its bounds
bounds AS (SELECT g.*, r.* FROM per_indicator g LEFT JOIN r_indicators r USING (indicator_id))
SELECT coalesce(sum(bad), 0) + count(*) FILTER (WHERE kind IS NOT NULL AND n > 0 AND (
         lo9 < min_value OR hi9 > max_value
         OR (kind IN ('score', 'bonus', 'penalty') AND (lo9 < 0 OR (each IS NULL AND hi9 > points)))
         OR (kind = 'veto' AND not_binary > 0)
         OR (kind = 'relative' AND method = 'ratio' AND lo9 < 0))),
       coalesce(sum(n), 0), coalesce(bit_xor(h_xor), 0), coalesce(sum(h_sum), 0)
FROM bounds"""

# Duplicates: per (unit, period), more rows than distinct indicators, counted with a bit mask
# (one 64-bit word per 64 indicators, so any number of indicators).
_FAST_DUPLICATES = """
SELECT coalesce(sum(n - bit_count(mask)), 0) FROM (
  SELECT count(*) AS n, bit_or(1::UBIGINT << ((i.indicator_no - 1) % 64)::UBIGINT) AS mask
  FROM {source} s JOIN r_indicators i ON i.indicator_id = s.indicator_id::VARCHAR
  GROUP BY s.unit_id, s.period, (i.indicator_no - 1) // 64)"""


def _passes(
    con: duckdb.DuckDBPyConnection, source: str, raw: str, bad_value: str, text: bool = True
) -> tuple[int, int, int] | None:
    """The values' (count, xor, sum) share of the data fingerprint when both passes find no
    problem (``scoring.fingerprint.fingerprint_parts``); None otherwise. Runs on the checks'
    connection, where the units (``u1``) and the rule tables are registered."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _applicable AS SELECT a.category, i.* FROM r_applies a "
        "JOIN r_indicators i USING (indicator_id)"
    )
    # a cell saying 不涉及 (text values only): a value of its own, allowed where the rule says
    na = f"coalesce(upper({raw}) IN {NA_WORDS_SQL}, false)" if text else "false"
    problems, with_value, h_xor, h_sum = con.execute(
        _FAST_ROWS.format(source=source, raw=raw, bad_value=bad_value, na=na, na_value=NA_SQL)
    ).fetchall()[0]
    if problems or con.execute(_FAST_DUPLICATES.format(source=source)).fetchall()[0][0]:
        return None
    return int(with_value), int(h_xor), int(h_sum)


def fast_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> ValueRows | None:
    """The typed values of a Parquet file when the passes find no problem; None otherwise.
    A numeric value column is read typed; a text one is read as text, trimmed, and checked
    and typed as a CSV file's is, straight from the file."""
    schema = pl.read_parquet_schema(path)
    typed = _parquet_typed(path, schema)
    if typed is None:
        source = f"(SELECT {parquet_text_columns(schema)} FROM {parquet_source(path)})"
        select, raw, bad_value = _TEXT_TYPED.replace(SOURCE, source), "nullif(value, '')", _TEXT_BAD_VALUE
    else:
        (select, bad_value), source, raw = typed, parquet_source(path), "value"
    digest = _passes(con, source, raw, bad_value, text=typed is None)
    if digest is None:
        return None
    annotated = any(c in schema for c in VALUE_OPTIONAL)
    return ValueRows(digest[0], select=select, digest=digest, annotated=annotated)


def fast_text(con: duckdb.DuckDBPyConnection, text: pl.DataFrame, annotated: bool) -> ValueRows | None:
    """The values of an all-text table (a CSV or Excel file, trimmed; registered on ``con`` as
    ``v``) when the passes find no problem, typed as they are read; None otherwise.
    ``annotated``: the file has entered_by or note columns."""
    digest = _passes(con, "v", "nullif(value, '')", _TEXT_BAD_VALUE)
    if digest is None:
        return None
    return ValueRows(digest[0], frame=text, select=_TEXT_TYPED, digest=digest, annotated=annotated)
