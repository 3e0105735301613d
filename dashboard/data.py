"""The dashboard's access to the engine: short-lived connections and cached reads.

A script run of a page opens one connection at its first piece of work and closes it when the
run ends, so the dashboard never holds the database file while it waits for a user; a
command-line import can run meanwhile. Work outside a run (a download made on its click)
opens its own.
Reads are cached per scoring run (``run_id`` changes whenever rules or data change).
"""

from __future__ import annotations

import os
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboard.i18n import L
from scoring.app import names, service
from scoring.app.campaigns import connect, never_used, open_campaign, release
from scoring.core.errors import CampaignError


def db_path() -> str:
    return os.environ.get("STARSCORE_DB", "starscore.duckdb")


# the connection of the script run going on in this thread (``one_connection``), if any
_RUN = threading.local()


@contextmanager
def one_connection() -> Iterator[None]:
    """One connection for a whole script run: every ``db()`` of the run uses it, and it is
    closed when the run ends (finished, stopped or rerun). Opening the file costs about 20 ms
    (the last close takes DuckDB's instance down); a page's rerun used to open it five to
    thirteen times. The file is still never held while the page waits for its user."""
    _RUN.con = None
    try:
        yield
    finally:
        con, _RUN.con = _RUN.con, None
        if con is not None:
            release(con)


@contextmanager
def db(in_session: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one piece of work, waiting up to 30 s for another writer. A page tells
    its user it is waiting; ``in_session`` False (a download made on its button, which runs
    outside the page's session) waits without telling. Inside a script run the run's one
    connection is used (opened on the first piece of work)."""

    def tell(_: str) -> None:
        st.toast(L("app.db_busy"), icon=":material/hourglass:")

    shared = in_session and hasattr(_RUN, "con")
    if shared and _RUN.con is not None:
        yield _RUN.con
        return
    con = connect(db_path(), wait_seconds=30, on_wait=tell if in_session else None)
    if shared:
        _RUN.con = con  # closed by one_connection at the run's end
        yield con
        return
    try:
        yield con
    finally:
        release(con)  # not while another session's thread is opening the file


def ensure_demo() -> None:
    """On a new database (no campaign, no user, nothing in the audit trail: one that was never
    used), build the demo campaign so the dashboard has data. A district's database, even one
    whose campaigns were all removed, never gets the demo."""
    with db() as con:
        if not never_used(con):
            return
        import tempfile

        from scoring.app.campaigns import read_campaign, write_demo
        from scoring.app.imports import import_campaign
        from scoring.app.results import score

        with tempfile.TemporaryDirectory() as tmp:
            data = read_campaign(write_demo(Path(tmp) / "demo"))
            import_campaign(con, data, source="demo")
            score(con, data.rules.id)


def indicator_names(cid: str) -> dict[str, str]:
    """The campaign's indicators by id: id → name (one small query, for naming them in tables)."""
    with db() as con:
        return names.indicator_names(con, cid)


def unit_names(cid: str, ids: list[str]) -> pl.DataFrame:
    """unit_id, unit_name of these units only (a table's own units, never a province's all)."""
    with db() as con:
        return names.unit_names(con, cid, ids)


def campaigns() -> pl.DataFrame:
    with db() as con:
        return service.campaigns(con)


def current(cid: str) -> service.CampaignState:
    """The campaign's rules, its latest run and whether that run is still the data's."""
    with db() as con:
        return service.campaign(con, cid)


# a read model is keyed by the function's own name (its module and qualified name)
_BY_NAME: dict[str | type[Any], Callable[[Any], Any]] = {
    types.FunctionType: lambda f: f"{f.__module__}.{f.__qualname__}"
}


def cached(model: Callable[..., Any], run_id: str, *args: Any) -> Any:
    """A read model of ``scoring.app.reads`` for one run (called with the run's campaign and the
    run), cached by the function and the run id (a run's numbers never change). A model that
    needs the run to be the current one (a unit's points beside its values) finds it stale
    while another session's save is being scored: the page then says so and stops, instead of
    failing."""
    try:
        return _cached(model, run_id, *args)
    except CampaignError as exc:
        if any(p.code == "run_stale" for p in exc.problems):
            st.info(L("app.rescoring"))
            st.stop()
        raise


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_NAME)
def _cached(model: Callable[..., Any], run_id: str, *args: Any) -> Any:
    with db() as con:
        run = names.run_of(con, run_id)
        return model(open_campaign(con, run.campaign_id), run, *args)


def read(model: Callable[..., Any], *args: Any) -> Any:
    """An uncached read model of ``scoring.app.reads`` taking a connection first (the campaign's
    own data, which a save changes)."""
    with db() as con:
        return model(con, *args)


def read_campaign(model: Callable[..., Any], cid: str, *args: Any) -> Any:
    """An uncached read model of ``scoring.app.reads`` taking the campaign first (one that needs
    its rules)."""
    with db() as con:
        return model(open_campaign(con, cid), *args)
