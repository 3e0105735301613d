"""Frames into DuckDB and results out without pyarrow: the same data and types as DuckDB's own
conversions, and a command that never loads pyarrow or numpy."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import duckdb
import polars as pl

from scoring.core.frames import register, to_polars
from tests.helpers import DEMO

TYPES = """
SELECT 1::HUGEINT AS h, 2::BIGINT AS b, 3::INTEGER AS i, 4::SMALLINT AS s, true AS t,
       TIMESTAMP '2026-11-23 10:00:00' AS ts, DATE '2026-11-23' AS d, [1, 2] AS l,
       'x' || range AS txt, 1.5::DECIMAL(38,9) AS dec, 2.5::DOUBLE AS f, NULL::VARCHAR AS n
FROM range(3)"""


def test_results_come_out_as_duckdb_would_convert_them():
    con = duckdb.connect()
    ours = to_polars(con.sql(TYPES))
    assert ours.equals(con.sql(TYPES).pl()) and ours.schema == con.sql(TYPES).pl().schema
    empty = to_polars(con.sql(TYPES + " WHERE false"))
    assert empty.height == 0 and empty.schema == ours.schema
    con.close()


def test_a_registered_frame_reads_like_a_table():
    frame = pl.DataFrame(
        {
            "k": list(range(1000)),
            "g": [f"g{k % 7}" for k in range(1000)],
            "v": [str(Decimal(k) / 4) for k in range(1000)],
        }
    ).with_columns(pl.col("v").cast(pl.Decimal(38, 9)))
    con = duckdb.connect()
    register(con, "f", frame)
    con.execute("CREATE TABLE t AS SELECT * FROM f")
    # read twice, one column only, and in a join on either side
    for _ in range(2):
        assert con.sql("SELECT sum(v) FROM f").fetchall() == con.sql("SELECT sum(v) FROM t").fetchall()
    assert con.sql("SELECT count(DISTINCT g) FROM f").fetchall() == [(7,)]
    joined = "SELECT count(*), sum(a.k) FROM f a JOIN (SELECT * FROM f WHERE k < 10) b USING (g)"
    assert con.sql(joined).fetchall() == con.sql(joined.replace("FROM f", "FROM t")).fetchall()
    assert to_polars(con.sql("SELECT * FROM f ORDER BY k")).equals(frame)
    con.close()


def test_a_run_loads_neither_pyarrow_nor_numpy(tmp_path):
    """Loading them costs every command about 0.15 s before any work (the demo's whole run is
    under a second)."""
    code = (
        "import sys; from scoring.cli.main import main; "
        f"rc = main(['run', {str(DEMO)!r}, '--out', {str(tmp_path / 'out')!r}, "
        f"'--db', {str(tmp_path / 'd.duckdb')!r}]); "
        "print(rc, sorted(m for m in ('pyarrow', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 []"
    assert "leaked" not in out.stderr  # no complaint from the bindings at exit


def test_without_duckdb_s_scan_protocol_frames_go_in_its_own_way(monkeypatch):
    """The frame source builds on DuckDB's Arrow scan protocol, which is not public API; should
    a DuckDB lack it, frames still go in, through DuckDB's own conversion."""
    import scoring.core.frames

    monkeypatch.setattr(scoring.core.frames, "ArrowScanSource", None)
    con = duckdb.connect()
    register(con, "f", pl.DataFrame({"a": [1, 2, 3]}))
    assert con.sql("SELECT sum(a) FROM f").fetchall() == [(6,)]
    con.close()


def test_readable_text_for_a_terminal():
    from datetime import datetime
    from decimal import Decimal

    from scoring.core.frames import readable

    frame = pl.DataFrame(
        {
            "towns": [["湾里街道", "沈巷镇"], None],
            "value": [Decimal("4.5"), None],
            "at": [datetime(2023, 4, 5, 9, 30, 12, 345), None],
            "n": [1, None],
        },
        schema_overrides={"value": pl.Decimal(38, 9)},
    )
    assert readable(frame, all_text=True).rows() == [
        ("湾里街道, 沈巷镇", "4.5", "2023-04-05 09:30:12", "1"),
        ("", "", "", ""),
    ]
