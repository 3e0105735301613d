"""Polars frames into DuckDB and query results out, through the Arrow C stream interface.

Both directions hand Arrow data over by pointer (the Arrow PyCapsule interface), with no copy
and without pyarrow: DuckDB's own ``register(frame)`` and ``.pl()`` go through pyarrow, which
costs every command about 0.15 s of loading pyarrow and numpy before it does any work, and
``register`` converts every string of a frame again each time a query reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import polars as pl

try:  # DuckDB's protocol for what its Arrow scan reads (not public API; DuckDB is pinned)
    from duckdb._sources import ArrowScanSource
except ImportError:  # another DuckDB: frames go in through its own conversion
    ArrowScanSource = None  # type: ignore[misc, assignment]


class _FrameSource(ArrowScanSource or object):  # type: ignore[misc]
    """A polars frame as DuckDB's Arrow scan reads it: as often as a query likes (each scan
    asks the frame for a new stream), only the columns the query needs, and with its row
    count known, which the planner needs to put a big frame on the probe side of a join
    (without it, a join of 6 M values to 50,000 units ran 6 times slower)."""

    schema_is_stable = True

    def rows(self) -> int | None:
        return int(self.obj.height)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> Any:
        # DuckDB's register() accepts only an object that exports a stream itself
        return self.obj.__arrow_c_stream__(requested_schema)

    def stream(self, columns: Sequence[int] | None, filters: Sequence[Any]) -> tuple[object, bool]:
        if not columns:  # a frame without columns has no rows: every column then
            return self.obj.__arrow_c_stream__(), False
        return self.obj.select([pl.nth(i) for i in columns]).__arrow_c_stream__(), True


class _OneStream:
    """A result's Arrow stream capsule, handed to polars once."""

    __slots__ = ("capsule",)

    def __init__(self, capsule: object) -> None:
        self.capsule = capsule

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> Any:
        return self.capsule


def register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Make ``frame`` readable as the view ``name`` on ``con``."""
    con.register(name, frame if ArrowScanSource is None else _FrameSource(frame))


def to_polars(rel: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """A query's rows as a polars frame (the same types as DuckDB's ``.pl()``)."""
    return pl.DataFrame(_OneStream(rel.__arrow_c_stream__()))


def readable(frame: pl.DataFrame, all_text: bool = False) -> pl.DataFrame:
    """A frame as people read it: empty text cells empty (not "None" or "null"), times to the
    second (2023-04-05 09:30:12). ``all_text``: every cell as text, decimals as written
    (4.5, not 4.500000000) and empty cells empty, for a terminal."""
    from scoring.core.na import value_text

    frame = frame.with_columns(
        [pl.col(c).fill_null("") for c, t in frame.schema.items() if t == pl.String]
        + [
            pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S").fill_null("")
            for c, t in frame.schema.items()
            if isinstance(t, pl.Datetime)
        ]
    )
    if not all_text:
        return frame

    def text(c: str, t: pl.DataType) -> pl.Expr | pl.Series:
        if isinstance(t, pl.Decimal):
            return each(frame, c, value_text)  # 不涉及 too
        if isinstance(t, pl.List):  # a user's towns: 湾里街道, 沈巷镇
            return pl.col(c).list.eval(pl.element().cast(pl.String)).list.join(", ")
        return pl.col(c).cast(pl.String)

    return frame.with_columns([text(c, t) for c, t in frame.schema.items() if t != pl.String]).with_columns(
        pl.all().fill_null("")
    )


def each(
    frame: pl.DataFrame, column: str, fn: Callable[[Any], Any], dtype: Any = pl.String, nulls: bool = False
) -> pl.Series:
    """``fn`` of each value of ``frame[column]`` (None stays None unless ``nulls``), computed here in
    Python, never as a polars expression (``map_elements``): polars runs those on its worker
    threads, which then need the interpreter's lock, and a page's thread that holds it while
    waiting for those workers (``to_pandas``, another frame's work) hangs the whole dashboard. It
    did, under thirty sessions at once."""
    out = [fn(x) if (x is not None or nulls) else None for x in frame[column].to_list()]
    return pl.Series(column, out, dtype=dtype)


def query(con: duckdb.DuckDBPyConnection, sql: str, **params: Any) -> pl.DataFrame:
    return to_polars(con.cursor().sql(sql, params=params or None))
