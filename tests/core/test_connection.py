"""Every DuckDB connection the product opens plans without the partial aggregate pushdown,
whose plans change with each opening of a file (``scoring.core.connection``)."""

from __future__ import annotations

import duckdb
import pytest

from scoring.core.connection import checks_connection
from scoring.store.db import connect

# a query DuckDB 2.0 rewrites with a partial aggregate below the join (EXPORT_STATE below,
# combine_aggr above) whenever the rule is on
PUSHED = """
CREATE OR REPLACE TEMP TABLE f AS
  SELECT * FROM (VALUES (0, 0, 1), (0, 1, 1), (1, 100, 1), (1, 101, 1)) t(k, a, b);
CREATE OR REPLACE TEMP TABLE d AS
  SELECT * FROM (VALUES (0, 0), (0, 0), (1, 0), (1, 0), (1, 0), (1, 0)) t(k, g);
"""
QUERY = "SELECT b, g, sum(a) AS s FROM f JOIN d USING (k) GROUP BY b, g"


def pushed_down(con) -> bool:
    con.execute(PUSHED)
    plan = con.execute("EXPLAIN " + QUERY).fetchall()[0][1]
    assert con.execute(QUERY).fetchall() == [(1, 0, 806)]  # the same answer either way
    return "EXPORT_STATE" in plan


def test_duckdb_pushes_partial_aggregates_below_this_join_by_default():
    assert pushed_down(duckdb.connect())


def test_no_connection_of_the_product_does(tmp_path):
    db = tmp_path / "work.duckdb"
    con = connect(db)
    assert not pushed_down(con)
    assert not pushed_down(con.cursor())  # the dashboard's read models use cursors
    con.close()
    reader = connect(db, read_only=True)
    assert not pushed_down(reader)
    reader.close()
    assert not pushed_down(checks_connection())


def test_checks_share_one_database_but_never_each_other_s_tables():
    import threading

    import polars as pl

    first, second = checks_connection(), checks_connection()
    first.register("v", pl.DataFrame({"x": [1, 2]}))
    second.register("v", pl.DataFrame({"x": [5]}))
    first.execute("CREATE TEMP TABLE t AS SELECT * FROM v")
    second.execute("CREATE TEMP TABLE t AS SELECT * FROM v")
    assert first.sql("SELECT sum(x) FROM t").fetchall() == [(3,)]
    assert second.sql("SELECT sum(x) FROM t").fetchall() == [(5,)]
    first.close()
    third = checks_connection()
    assert third.sql("SELECT count(*) FROM duckdb_tables() WHERE table_name = 't'").fetchall() == [(0,)]
    assert third.sql("SELECT current_setting('enable_progress_bar')").fetchall() == [(False,)]

    sums: dict[int, int] = {}

    def check(k: int) -> None:  # checks at once on threads, as two sessions of the dashboard
        con = checks_connection()
        con.register("v", pl.DataFrame({"x": list(range(k * 1000))}))
        con.execute("CREATE TEMP TABLE t AS SELECT * FROM v")
        sums[k] = con.sql("SELECT sum(x) FROM t").fetchall()[0][0]
        con.close()

    threads = [threading.Thread(target=check, args=(k,)) for k in range(1, 9)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sums == {k: sum(range(k * 1000)) for k in range(1, 9)}


def test_threads_follow_the_setting(monkeypatch):
    from scoring.core.errors import CampaignError

    monkeypatch.setenv("STARSCORE_THREADS", "3")
    con = checks_connection()
    assert con.sql("SELECT current_setting('threads')").fetchall() == [(3,)]
    for wrong in ("0", "two", "-1"):
        monkeypatch.setenv("STARSCORE_THREADS", wrong)
        with pytest.raises(CampaignError) as info:
            checks_connection()
        assert info.value.problems[0].code == "bad_threads"
        assert f"现为“{wrong}”" in info.value.problems[0].message("zh")
