"""The dashboard's access to the engine: short-lived connections and cached reads.

A connection is opened for each piece of work and closed right after, so the dashboard never
holds the database file while it waits for a user; a command-line import can run meanwhile.
Reads are cached per scoring run (``run_id`` changes whenever rules or data change).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboard.i18n import L
from scoring.analysis import profile
from scoring.app import service
from scoring.core.frames import query
from scoring.engine.run import Run
from scoring.store.db import connect
from scoring.store.lifecycle import never_used


def db_path() -> str:
    return os.environ.get("STARSCORE_DB", "starscore.duckdb")


@contextmanager
def db(in_session: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one piece of work, waiting up to 30 s for another writer. A page tells
    its user it is waiting; ``in_session`` False (a download made on its button, which runs
    outside the page's session) waits without telling."""
    tell = (lambda _: st.toast(L("app.db_busy"), icon=":material/hourglass:")) if in_session else None
    con = connect(db_path(), wait_seconds=30, on_wait=tell)
    try:
        yield con
    finally:
        con.close()


def ensure_demo() -> None:
    """On a new database (no campaign, no user, nothing in the audit trail: one that was never
    used), build the demo campaign so the dashboard has data. A district's database, even one
    whose campaigns were all removed, never gets the demo."""
    with db() as con:
        if not never_used(con):
            return
        import tempfile

        from scoring.engine.run import score
        from scoring.ingest.validate import read_campaign
        from scoring.integrity.imports import import_campaign
        from scoring.samples.demo import write_demo

        with tempfile.TemporaryDirectory() as tmp:
            data = read_campaign(write_demo(Path(tmp) / "demo"))
            import_campaign(con, data, source="demo")
            score(con, data.rules.id)


def indicator_names(cid: str) -> dict[str, str]:
    """The campaign's indicators by id: id → name (one small query, for naming them in tables)."""
    with db() as con:
        rows = con.execute(
            "SELECT indicator_id, name FROM indicators WHERE campaign_id = ?", [cid]
        ).fetchall()
    return dict(rows)


def unit_names(cid: str, ids: list[str]) -> pl.DataFrame:
    """unit_id, unit_name of these units only (a table's own units, never a province's all)."""
    with db() as con:
        return query(
            con,
            "SELECT unit_id, name AS unit_name FROM units "
            "WHERE campaign_id = $cid AND list_contains($ids, unit_id)",
            cid=cid,
            ids=ids,
        )


def campaigns() -> pl.DataFrame:
    with db() as con:
        return service.campaigns(con)


def current(cid: str) -> service.Campaign:
    """The campaign's rules, its latest run and whether that run is still the data's."""
    with db() as con:
        return service.campaign(con, cid)


@st.cache_data(max_entries=64, show_spinner=False)
def cached(name: str, run_id: str, *args: Any) -> Any:
    """A read-model function of ``scoring.app.service`` for one run, cached by run id."""
    with db() as con:
        from scoring.engine.run import latest_run

        cid = run_id.split("@", 1)[0]
        run = latest_run(con, cid)
        if run is None or run.run_id != run_id:
            rows = con.execute("SELECT summary_json FROM runs WHERE run_id = ?", [run_id]).fetchall()
            import json

            run = Run(run_id, cid, json.loads(rows[0][0]))
        return _read_model(name)(con, run, *args)


def read(name: str, *args: Any) -> Any:
    """An uncached read-model call taking a connection first (campaign-level data)."""
    with db() as con:
        return _read_model(name)(con, *args)


def _read_model(name: str) -> Any:
    """A read-model function by name, from ``scoring.app.service`` or ``scoring.analysis.profile``."""
    return getattr(service, name, None) or getattr(profile, name)
