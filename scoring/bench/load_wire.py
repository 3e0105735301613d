"""One deadline-day session that speaks Streamlit's protocol (``scoring.bench.wire``) and draws
nothing: it signs in, opens its role's pages and, as an evaluator, edits its unit's cell in the
entry grid and saves it (checks, audit, re-score), as ``scoring.bench.load_plan`` says. Each
action is timed from the message that asks for the run until the server says the run finished:
the server's part of what a person waits for (the drawing is the browser's own, timed by the
browser sessions beside these)."""

from __future__ import annotations

import asyncio
import io
import json
import random
import time
from typing import Any

import polars as pl

from scoring.bench.browser import PASSWORD
from scoring.bench.load_plan import INDICATOR, SAVED, THINK, next_value, pages_of, step_kind
from scoring.bench.wire import Drawn, Session, sign_in, value
from scoring.core.i18n import t


async def enter(session: Session, name: str) -> Drawn:
    """Sign in as a person does: the form, then the first page the sign-in opens."""
    return await sign_in(session, name, PASSWORD, t("auth.username"), t("auth.password"), t("auth.login"))


async def warm(url: str, name: str) -> None:
    """One administrator's walk over every page before the load starts: a server that has
    been up has loaded its modules and made its first connection (a cold one took 3 s for each
    of the first sign-ins, all waiting on the same first imports)."""
    session = Session(url)
    try:
        await enter(session, name)
        for path in pages_of("admin"):
            await session.run(path=path)
    finally:
        await session.close()


async def save(session: Session, row: int, value_now: int, views: list[float]) -> tuple[float, str, str]:
    """The evaluator's cell (row ``row`` of the entry grid, the hotline column) saved with
    ``value_now``: (seconds of the save's runs, the unit, the period). The entry page is opened
    first (a page view, timed as one into ``views``)."""
    page = await session.run(path="entry")
    views.append(page.took)
    grid = page.widget(key="en_grid", kind="dataframe")
    period = page.widget(key="en_period")
    if grid is None or period is None:
        raise RuntimeError(f"no entry grid: {page.texts()[-3:]}")
    shown = pl.read_ipc_stream(io.BytesIO(grid.arrow_data.data))
    edit = {"edited_rows": {str(row): {INDICATOR: str(value_now)}}, "added_rows": [], "deleted_rows": []}
    done = await session.run(
        [
            value(grid, string_value=json.dumps(edit)),
            value(page.widget(key="en_save"), trigger_value=True),
        ]
    )
    took = done.took
    if done.widget(key="en_confirm_note") is not None:  # a value far from its peers: a comment
        noted = await session.run([value(done.widget(key="en_confirm_note"), string_value="核实无误")])
        done = await session.run([value(noted.widget(key="en_confirm"), trigger_value=True)])
        took += noted.took + done.took
    if done.errors():
        raise RuntimeError(done.errors()[0])
    if not any(SAVED in text for text in done.texts()):
        raise RuntimeError(f"the save was not said to be saved: {' | '.join(done.texts()[-4:])[:300]}")
    return took, str(shown["unit_id"][row]), str(period.options[period.default])


async def one_session(
    url: str, name: str, role: str, row: int, until: float, out: dict[str, Any], start: float
) -> None:
    """One person's five minutes over the protocol; what went wrong is kept in ``out["errors"]``."""
    session = Session(url)
    rng = random.Random(name)
    pages = pages_of(role)
    last: int | None = None
    step = 0
    try:
        await asyncio.sleep(start)
        drawn = await enter(session, name)
        out["sign_in"].append(drawn.took)
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*THINK))  # a person reads the page before the next click
            step += 1
            kind = step_kind(role, step)
            if kind == "sign_in":
                drawn = await enter(session, name)
                out["sign_in"].append(drawn.took)
            elif kind == "save":
                last = next_value(rng, last)
                took, unit, period = await save(session, row, last, out["page"])
                out["save"].append(took)
                out["saves"][name].append((unit, period, last))
                continue
            else:
                path = rng.choice(pages)
                drawn = await session.run(path=path)
                out["page"].append(drawn.took)
                out["by_page"][path].append(drawn.took)
            if drawn.errors():
                raise RuntimeError(drawn.errors()[0])
    except Exception as exc:
        said = (str(exc).splitlines() or [""])[0][:600]
        out["errors"].append(f"{name}: {type(exc).__name__}: {said}")
    finally:
        await session.close()
