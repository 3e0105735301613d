"""Names and choices the pages show beside their numbers: a campaign's indicators and units by
id, the towns and areas an account may be given, and a stored run by its id. Each is one small
query; the pages call them instead of reading the tables."""

from __future__ import annotations

import json

import duckdb
import polars as pl

from scoring.core.frames import query
from scoring.engine.run import Run, latest_run


def indicator_names(con: duckdb.DuckDBPyConnection, cid: str) -> dict[str, str]:
    """The campaign's indicators: id → name."""
    rows = con.execute("SELECT indicator_id, name FROM indicators WHERE campaign_id = ?", [cid]).fetchall()
    return dict(rows)


def unit_names(con: duckdb.DuckDBPyConnection, cid: str, ids: list[str]) -> pl.DataFrame:
    """unit_id, unit_name of these units only (a table's own units, never a province's all)."""
    return query(
        con,
        "SELECT unit_id, name AS unit_name FROM units "
        "WHERE campaign_id = $cid AND list_contains($ids, unit_id)",
        cid=cid,
        ids=ids,
    )


def unit_towns(con: duckdb.DuckDBPyConnection, cid: str) -> dict[str, str | None]:
    """Every unit of the campaign, id → its town (for a choice limited to a user's towns)."""
    return dict(con.execute("SELECT unit_id, town FROM units WHERE campaign_id = ?", [cid]).fetchall())


def unit_choices(con: duckdb.DuckDBPyConnection, cid: str) -> dict[str, str]:
    """Every unit of the campaign, id → name, in the campaign's order (for a choice of unit)."""
    rows = con.execute(
        "SELECT unit_id, name FROM units WHERE campaign_id = ? ORDER BY unit_no", [cid]
    ).fetchall()
    return dict(rows)


def scope_choices(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The towns of every campaign's units and the areas of every campaign's indicators: what
    an account's scope may name."""
    towns = con.execute("SELECT DISTINCT town FROM units WHERE town IS NOT NULL ORDER BY 1").fetchall()
    areas = con.execute("SELECT DISTINCT area FROM indicators WHERE area IS NOT NULL ORDER BY 1").fetchall()
    return [r[0] for r in towns], [r[0] for r in areas]


def scope_units(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """unit id → "name（id）" of every campaign's units: what a unit account may be given."""
    rows = con.execute("SELECT unit_id, any_value(name) FROM units GROUP BY 1 ORDER BY 1").fetchall()
    return {u: f"{n}（{u}）" for u, n in rows}


def run_of(con: duckdb.DuckDBPyConnection, run_id: str) -> Run:
    """A stored run by its id: the campaign's latest when it is that one, else read by id."""
    cid = run_id.split("@", 1)[0]
    run = latest_run(con, cid)
    if run is None or run.run_id != run_id:
        rows = con.execute("SELECT summary_json FROM runs WHERE run_id = ?", [run_id]).fetchall()
        run = Run(run_id, cid, json.loads(rows[0][0]))
    return run
