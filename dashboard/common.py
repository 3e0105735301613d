"""Widgets and formatting shared by the pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, overload

import duckdb
import polars as pl
import streamlit as st

from dashboard import data
from dashboard.chrome import md as md  # the pages escape names with common.md
from dashboard.i18n import LABELS, L, headers
from dashboard.session import OPEN_MODE_USER, as_stored, current_user
from scoring.app.accounts import User, access
from scoring.app.office import due_period
from scoring.app.results import Run, RunSummary, score, scored_periods, year_complete
from scoring.app.rules import Rules
from scoring.app.service import changed_since
from scoring.core.errors import STEPS, CampaignError, named
from scoring.core.frames import readable
from scoring.core.i18n import t
from scoring.core.money import plain


@overload
def context(need_run: Literal[True] = True, per_period: bool = False) -> tuple[str, Rules, Run]: ...
@overload
def context(need_run: bool, per_period: bool = False) -> tuple[str, Rules, Run | None]: ...
def context(need_run: bool = True, per_period: bool = False) -> tuple[str, Rules, Run | None]:
    """The selected campaign, its rules and latest run; stops the page when there is none.
    ``per_period``: the page shows one period at a time and says itself (``stale_note``)
    whether that period's data changed after the run, not whether any did."""
    cid = st.session_state.get("campaign")
    if not cid:
        st.info(L("app.no_campaign"))
        st.stop()
    current = data.current(cid)
    rules, run = current.rules, current.run
    st.session_state["_stale"] = current.stale  # for the page's own period (stale_note)
    if run is None or current.stale:
        score_button(cid)  # data stored without scoring (an import from the command line)
    if need_run and run is None:
        st.warning(L("app.not_scored"))
        st.stop()
    if run is not None:
        if current.stale and not per_period:  # values changed since this run
            stale_note(run, None)
        if not year_complete(run.summary):
            st.info(year_in_progress(run.summary))
    return cid, rules, run


def stale_note(run: Run, period: str | None) -> None:
    """Warn that ``period``'s data (None: any period's) changed after ``run`` was scored, when
    the run is not the data's any more: its numbers there are not the data's."""
    if not st.session_state.get("_stale"):  # as context() found it for this view
        return
    with data.db() as con:
        changed = changed_since(con, run, period)
    if changed:
        st.warning(L("app.stale_run", run=run.run_id))


def score_button(cid: str) -> None:
    """计分, for those allowed: score the stored data now, as ``starscore score`` does."""
    user = current_user()
    if user is None or not user.may("score") or not st.button(L("app.score_now"), key="app_score"):
        return
    bar = st.progress(0, text=L("app.scoring"))
    with data.db() as con:
        score(con, cid, on_stage=stage_progress(bar, 0))
    bar.empty()
    st.rerun()


def year_in_progress(summary: RunSummary) -> str:
    """Which periods a run scored, which are incomplete (with how many values missing) and
    which have not started; the year exists once every period is scored (spec step 3)."""
    by = {
        s: [p for p in summary["periods"] if p["status"] == s]
        for s in ("scored", "incomplete", "not_started")
    }
    parts = [L("yr.scored", periods="、".join(p["period"] for p in by["scored"]) or L("yr.none"))]
    parts += [L("yr.incomplete", period=p["period"], n=p["missing"]) for p in by["incomplete"]]
    if by["not_started"]:
        parts.append(L("yr.not_started", periods="、".join(p["period"] for p in by["not_started"])))
    return L("yr.banner", detail=L("yr.sep").join(parts))


def category_names(rules: Rules) -> dict[str, str]:
    return {c.id: c.name for c in rules.categories}


LOCALIZED = "_localized_widgets"  # session key: the widgets whose option labels are translated


def localized(key: str) -> str:
    """``key``, registered as a widget whose option labels follow the language (``relabel``)."""
    st.session_state.setdefault(LOCALIZED, set()).add(key)
    return key


def relabel() -> None:
    """On a language switch, hand each widget with translated option labels its own choice
    again: the browser then redraws the choice under its new label (it kept showing the old
    one, "全年" on an English page). A choice of None (the whole year, every town) is drawn
    as the widget's placeholder, so those widgets give its label as their placeholder."""
    for key in st.session_state.get(LOCALIZED, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def lazy_tabs(keys: list[str], key: str) -> list[Any]:
    """Tabs labelled by these catalogue keys whose content is drawn only when open: each tab's
    ``.open`` says whether it is the one shown, and a click on another reruns the page (a page
    of many charts then draws those of one tab, not all). The tab shown stays the same one
    across a language switch (its label changes; the choice is kept by its place)."""
    labels = [L(k) for k in keys]
    chosen = st.session_state.get(key)
    if chosen is not None and chosen not in labels:
        place = next((i for i, k in enumerate(keys) if chosen in LABELS[k].values()), None)
        st.session_state[key] = labels[place] if place is not None else labels[0]
    return list(st.tabs(labels, key=key, on_change="rerun"))


@overload
def pick_category(rules: Rules, key: str, with_all: Literal[False] = False) -> str: ...
@overload
def pick_category(rules: Rules, key: str, with_all: bool) -> str | None: ...
def pick_category(rules: Rules, key: str, with_all: bool = False) -> str | None:
    names: dict[str | None, str] = {None: L("all")}
    names.update(category_names(rules))
    options: list[str | None] = [*([None] if with_all else []), *category_names(rules)]
    return st.selectbox(
        L("category"), options, key=localized(key), format_func=names.__getitem__, placeholder=names[None]
    )


def due_index(options: list[str | None], entry: bool = False) -> int:
    """Where a period choice opens: on the period that is due (the earliest not final; for
    entering values, the earliest still open for entry), else on the last option."""
    cid = st.session_state.get("campaign")
    if not cid:
        return len(options) - 1
    with data.db() as con:
        due = due_period(con, cid, entry)
    return options.index(due) if due in options else len(options) - 1


@overload
def pick_period(
    rules: Rules,
    key: str,
    with_year: Literal[False],
    run: Run | None = None,
    label: str | None = None,
    entry: bool = False,
) -> str: ...
@overload
def pick_period(
    rules: Rules,
    key: str,
    with_year: bool = True,
    run: Run | None = None,
    label: str | None = None,
    entry: bool = False,
) -> str | None: ...
def pick_period(
    rules: Rules,
    key: str,
    with_year: bool = True,
    run: Run | None = None,
    label: str | None = None,
    entry: bool = False,
) -> str | None:
    """A period, or None for the whole year, opening on the year where it is offered, else on
    the period that is due. Given a run,
    only what it scored is offered: its scored periods, and the year once every period is scored."""
    periods = list(rules.periods) if run is None else scored_periods(run.summary, rules)
    with_year = with_year and (run is None or year_complete(run.summary))
    options: list[str | None] = [*periods, *([None] if with_year else [])]
    if not options:
        st.info(L("yr.nothing_scored"))
        st.stop()
    year = L("year")
    # a board opens on the year once it exists (the year's board is what leaders read), else,
    # like every entry page, on the period that is due
    opening = len(options) - 1 if None in options else due_index(options, entry)
    chosen = st.session_state.get(key, 0)
    return st.selectbox(
        label or L("period"),
        options,
        key=localized(key),
        index=options.index(chosen) if chosen in options else opening,
        format_func=lambda p: year if p is None else p,
        placeholder=year,
    )


def stars_text(n: Any) -> str:
    return "★" * int(n or 0)


def flags_text(n: Any) -> str:
    # ⚑, not the 🚩 emoji: a text symbol common fonts have (an emoji is an empty box without an emoji font)
    return "⚑" * int(n or 0)


def change_text(n: Any) -> str:
    if n is None:
        return ""
    return f"↑{n}" if n > 0 else (f"↓{-n}" if n < 0 else "–")


def money(x: Decimal | int | float | None) -> str:
    if x is None:
        return "—"
    d = Decimal(str(x))
    return f"{d:,.2f}".rstrip("0").rstrip(".") if d != d.to_integral_value() else f"{d:,.0f}"


def stage_progress(bar: Any, start: int) -> Callable[[int, int, str], None]:
    """The engine's stage reports (``on_stage``) shown on ``bar`` from ``start`` % to 100 %."""

    def tell(done: int, total: int, key: str) -> None:
        bar.progress(start + (100 - start) * done // total, text=t(key, st.session_state.get("lang", "zh")))

    return tell


def table(frame: pl.DataFrame, key: str | None = None) -> None:
    """A read-only table with its column headers in the user's language; indicators by name
    (never their ids) and each unit id beside its unit's name."""
    if frame.height == 0:  # Streamlit's grid would say "empty", in English
        st.caption(L("no_rows"))
        return
    frame = with_names(frame)
    st.dataframe(readable(frame).rename(headers(frame.columns)), hide_index=True, width="stretch", key=key)


def with_names(frame: pl.DataFrame) -> pl.DataFrame:
    """``indicator_id`` values as the indicators' names, and a ``unit_name`` column after
    ``unit_id`` where the frame has none (the selected campaign's)."""
    cid = st.session_state.get("campaign")
    if not cid or not ({"indicator_id", "unit_id"} & set(frame.columns)):
        return frame
    if "indicator_id" in frame.columns and frame.schema["indicator_id"] == pl.String:
        frame = frame.with_columns(pl.col("indicator_id").replace(data.indicator_names(cid)))
    if (
        "unit_id" in frame.columns
        and "unit_name" not in frame.columns
        and frame.schema["unit_id"] == pl.String
    ):
        units = data.unit_names(cid, frame["unit_id"].drop_nulls().unique().to_list())
        at = frame.columns.index("unit_id") + 1
        joined = frame.join(units, on="unit_id", how="left", maintain_order="left")
        frame = joined.select([*frame.columns[:at], "unit_name", *frame.columns[at:]])
    return frame


def show_problems(exc: CampaignError) -> None:
    """Every problem as a row a person reads: indicators by name (never their ids), the file and
    row only where a file a person handed in has them."""
    st.error(L("problems"))
    cid = st.session_state.get("campaign")
    if cid:
        exc = named(exc, data.indicator_names(cid))
    frame = exc.frame(st.session_state.get("lang", "zh")).with_columns(
        pl.when(pl.col("file").is_in(list(STEPS))).then(pl.lit("")).otherwise(pl.col("file")).alias("file"),
        pl.col("row").cast(pl.String).fill_null(""),
        pl.col("column").fill_null(""),
    )
    table(frame.select([c for c in frame.columns if c == "problem" or (frame[c] != "").any()]))


def to_display(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Rename columns to their labels, in the given order."""
    return frame.select([pl.col(c).alias(L(label)) for c, label in columns.items()])


def plain_text(x: Any) -> str:
    return plain(x) if x is not None else ""


def show_outcome(page: str) -> None:
    """What the page's last step said (``attempt``), shown once on the redrawn page."""
    if f"{page}_flash" in st.session_state:
        st.success(st.session_state.pop(f"{page}_flash"))
    if f"{page}_problems" in st.session_state:
        show_problems(st.session_state.pop(f"{page}_problems"))


def on_click(page: str, step: Callable[[duckdb.DuckDBPyConnection, User], str]) -> Callable[[], None]:
    """A button's ``on_click`` that takes a step before the page is drawn: Streamlit runs a
    clicked button's callback first, so the page is drawn once, already showing the step and
    what it said (``show_outcome``), where ``attempt`` draws it twice (up to the button, then
    again after the step). The step is given the user as the database has them at the click
    (a session ended meanwhile takes no step; the page then says it ended) and reads the page's
    other widgets from ``st.session_state``, where their values sent with the click already are.
    The callback runs before the page's run: it opens and closes a connection of its own."""

    def run() -> None:
        try:
            with data.db(in_session=False) as con:
                raw = st.session_state.get("user")
                user = OPEN_MODE_USER if st.session_state.get("open_mode") else raw and as_stored(con, raw)
                if user:
                    st.session_state[f"{page}_flash"] = step(con, user)
        except CampaignError as exc:
            st.session_state[f"{page}_problems"] = exc

    return run


def attempt(
    page: str,
    step: Callable[[duckdb.DuckDBPyConnection], str | None],
    action: str | None = None,
    said: str | None = None,
) -> None:
    """Run one step of a page on the database, then redraw the page at once, so that its tables
    already show the step; what to say is the step's result, else ``said``. ``action``: the
    role's right it needs."""
    try:
        if action is not None:
            user = current_user()
            assert user is not None  # the page required one
            access.require(user, action)
        with data.db() as con:
            st.session_state[f"{page}_flash"] = step(con) or said
    except CampaignError as exc:
        st.session_state[f"{page}_problems"] = exc
    st.rerun()
