"""The dashboard timed in a real browser, as its users meet it.

``python -m scoring.bench.browser [--size district|city] [--runs N] [--out FILE]``

Each run builds the campaign into a new database (the demo at district size, a seeded synthetic
campaign of 2,000 units at city size), gives it four accounts (an evaluator, a leader, an admin,
finance), serves the dashboard on the loopback (``streamlit run``) and drives Debian's headless
Chromium through Playwright, one role after the other, timing what each one does:

- ``sign_in``: the form sent until the first page is drawn;
- ``view_first`` / ``view_second``: a page opened from the sidebar, the first time in the
  session and again later (every page the role may see);
- ``filter_leaderboard`` / ``filter_profile``: another category on the leaderboard, another
  unit on the profile;
- ``tab_profile``: another tab of the profile (trend, award, points: each tab is drawn when
  it is opened);
- ``grid_save``: Save of 20 edited cells of the entry grid (checks, audit, re-score, redraw;
  the typing itself is not timed);
- ``upload_confirm``: a file of 20 values chosen on the entry page until its preview shows,
  and ``upload_apply``: its confirmation until the page is drawn again;
- ``submit`` / ``approve`` / ``publish``: the period's workflow steps, each by its role;
- ``export``: finance's payouts workbook, from the click to the downloaded file.

An action ends when its page is drawn and no script run is going (Streamlit's status widget gone,
no element left over from the run before). Medians and 95th percentiles per action are printed
and written, with every sample, to ``--out`` (default ``browser-bench.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from scoring.accounts.access import PAGES as PAGE_ROLES
from scoring.accounts.access import add_user
from scoring.app.entry import values_grid
from scoring.app.imports import import_campaign
from scoring.bench.serve import IDLE, chromium_missing, launch, page_clock, serving, wait_idle
from scoring.core.i18n import t
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.samples.demo import write_demo
from scoring.samples.synthetic import generate
from scoring.store.campaign import open_campaign
from scoring.store.db import connect

SIZES = {"district": None, "city": 2_000}
PASSWORD = "Bench-2026-starscore"
ACCOUNTS = (("评分员甲", "evaluator"), ("赵领导", "leader"), ("管理员乙", "admin"), ("钱会计", "finance"))
CELLS = 20  # cells edited in the grid, and values in the uploaded file
ROWS = CELLS // 2  # the grid's first rows, two cells each (all of them in view)
TITLES = {  # a page and the catalogue key of its heading
    "leaderboard": "lb.title",
    "profile": "pf.title",
    "robustness": "rb.title",
    "todo": "td.title",
    "entry": "en.title",
    "sources": "so.title",
    "workflow": "wf.title",
    "objections": "ob.title",
    "payouts": "po.title",
    "audit": "au.title",
    "rules": "ru.title",
    "campaigns": "ca.title",
    "users": "us.title",
}

Timings = dict[str, list[float]]


def build(folder: Path, size: str) -> tuple[Path, str]:
    """A new database with the campaign scored and the four accounts: (file, campaign id)."""
    units = SIZES[size]
    source = write_demo(folder / "campaign") if units is None else generate(units, folder / "campaign")
    db = folder / "bench.duckdb"
    con = connect(db)
    data = read_campaign(source)
    import_campaign(con, data)
    score(con, data.rules.id)
    for name, role in ACCOUNTS:
        add_user(con, name, PASSWORD, role, by="bench")
    con.close()
    return db, data.rules.id


def timed(page: Any, act: Callable[[], None], until: str | None = None) -> float:
    """Seconds an action takes, on the page's clock: ``act`` (a click, a choice), then
    ``until`` (a selector) shows, until the page has become idle (a rerun the draw starts is
    part of the action)."""
    start = page_clock(page)
    act()
    if until is not None:
        page.locator(until).first.wait_for(timeout=120000)
    return (wait_idle(page) - start) / 1000


def sign_in(page: Any, url: str, name: str) -> float:
    page.goto(url)
    page.wait_for_selector('[data-testid="stForm"]', timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    page.get_by_label(t("auth.username")).fill(name)
    page.get_by_label(t("auth.password")).fill(PASSWORD)
    took = timed(page, lambda: page.get_by_role("button", name=t("auth.login")).click(), "h1")
    for _ in range(120):  # the page after the sign-in hands the browser its session token
        if any(c["name"] == "starscore_session" for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    return took


def visit(page: Any, path: str) -> float:
    """Open a page from the sidebar; seconds until it is drawn."""
    link = page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]')
    return timed(page, link.click, f'h1:has-text("{t(TITLES[path])}")')


def shown(page: Any, key: str) -> str:
    """The choice a select box ``key`` shows."""
    return str(page.locator(f".st-key-{key} input[role='combobox']").input_value()).strip()


def choose(page: Any, key: str, option: str | None = None) -> float:
    """Pick an option of the select box ``key`` (the first other than the shown one by
    default); seconds until the page is drawn again."""
    now = shown(page, key)
    box = page.locator(f".st-key-{key} input[role='combobox']")
    box.click()
    options = page.locator("[role='option']")
    if not options.count():
        box.press("ArrowDown")  # the list opens on the key where a click did not open it
    options.first.wait_for(timeout=30000)
    texts = [s.strip() for s in options.all_inner_texts()]
    pick = option if option is not None else next(x for x in texts if x != now)
    return timed(page, lambda: options.nth(texts.index(pick)).click())


def new_values(db: Path, cid: str, period: str, category: str, first: int = 0) -> pl.DataFrame:
    """Values for rows ``first`` to ``first + ROWS`` of the grid's first two indicator columns
    as the page shows them (its period and category, every town): unit_id, indicator_id,
    value. Each cell takes the value of a later row that differs from its own, so that every
    value is valid and each one changes."""
    con = connect(db, read_only=True, wait_seconds=60)
    try:
        campaign = open_campaign(con, cid)
        cat = next(c.id for c in campaign.rules.categories if c.name == category)
        grid = values_grid(campaign, period, cat)
    finally:
        con.close()
    rows = []
    for r in range(first, first + ROWS):
        for c in grid.columns[3:5]:
            column = [str(x or "") for x in grid[c]]
            others = (column[(r + k) % grid.height] for k in range(1, grid.height))
            rows.append((grid["unit_id"][r], c, next((x for x in others if x and x != column[r]), column[r])))
    return pl.DataFrame(rows, schema=["unit_id", "indicator_id", "value"], orient="row")


def type_cells(page: Any, values: pl.DataFrame) -> None:
    """Type the values into the grid's first rows, two cells a row (``new_values``)."""
    grid = page.locator("[data-testid='stDataFrame']:visible").first
    grid.wait_for(timeout=60000)
    box = grid.bounding_box()
    first_id = box["y"] + 35 + 17  # the first row's id: a cell no one types into
    page.mouse.click(box["x"] + 30, first_id)  # the grid takes the keys from here on
    page.wait_for_timeout(1000)
    page.keyboard.press("Escape")
    for k, text in enumerate(values["value"]):
        row, col = divmod(k, 2)
        page.mouse.click(box["x"] + 30, box["y"] + 35 + 35 * row + 17)  # the row's id
        for _ in range(3 + col):  # past the id, name and town to the indicator
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # open the cell's editor
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(text)
        page.keyboard.press("Enter")
    page.mouse.click(box["x"] + 30, first_id)  # away from the last cell: its edit is handed over
    page.wait_for_timeout(500)


def upload_file(folder: Path, values: pl.DataFrame, period: str) -> Path:
    """The values as an office uploads them: a CSV of unit, period, indicator and value."""
    path = folder / "values-upload.csv"
    values.select("unit_id", pl.lit(period).alias("period"), "indicator_id", "value").write_csv(path)
    return path


def confirm_outliers(page: Any) -> None:
    """Where a save asks to confirm values far from their peers, confirm them (not timed)."""
    note = page.locator(".st-key-en_confirm_note input")
    if note.count():
        note.fill("核实无误")
        page.keyboard.press("Tab")
        timed(page, lambda: page.locator(".st-key-en_confirm button").click())


def workflow_step(page: Any, period: str, action: str) -> float:
    """A period's step on the workflow page (the period and the step chosen, not timed)."""
    for key, wanted in (("wf_period", period), ("wf_action", t(f"wf.act.{action}"))):
        if shown(page, key) != wanted:
            choose(page, key, wanted)
    return timed(page, lambda: page.locator(".st-key-wf_do button").click())


def one_run(size: str, samples: Timings) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="starscore-browser-bench-") as tmp:
        folder = Path(tmp)
        db, cid = build(folder, size)
        with serving(db) as url, sync_playwright() as p:
            browser = launch(p)
            for name, role in ACCOUNTS:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
                page = context.new_page()
                samples["sign_in"].append(sign_in(page, url, name))
                pages = [p for p in TITLES if role in PAGE_ROLES.get(p, frozenset())]
                for view in ("view_first", "view_second"):
                    for path in pages:
                        took = visit(page, path)
                        samples[view].append(took)
                        samples[f"{view} {path}"].append(took)  # each page's own figures
                ROLE_STEPS[role](page, samples, folder, db, cid)
                context.close()
            browser.close()
            check_outcome(db, cid, PERIOD[0])


def changed_by(db: Path, cid: str, period: str, who: str) -> int:
    """How many values ``who`` has entered or changed in the period, as the audit trail says."""
    con = connect(db, read_only=True, wait_seconds=60)
    try:
        return int(
            con.execute(
                "SELECT count(*) FROM audit_log WHERE campaign_id = ? AND period = ? AND who = ? "
                "AND action IN ('enter', 'change')",
                [cid, period, who],
            ).fetchall()[0][0]
        )
    finally:
        con.close()


def check_outcome(db: Path, cid: str, period: str) -> None:
    """What the run did happened (a benchmark of clicks that did nothing would time nothing):
    the grid's save changed its cells (a cell the typing missed is said, at most two allowed),
    the upload changed its 20 values, and the period was published."""
    con = connect(db, read_only=True, wait_seconds=60)
    try:
        status = con.execute(
            "SELECT status FROM period_status WHERE campaign_id = ? AND period = ?", [cid, period]
        ).fetchall()
    finally:
        con.close()
    grid, upload = COUNTS["grid"], COUNTS["upload"]
    said = status[0][0] if status else "?"
    print(f"  {period}: the grid's save changed {grid} values, the upload {upload}; {said}", flush=True)
    if grid < CELLS - 2 or upload != CELLS or status != [("published",)]:
        raise SystemExit("the run did not do its work")


def evaluator_steps(page: Any, samples: Timings, folder: Path, db: Path, cid: str) -> None:
    visit(page, "entry")
    period, category = shown(page, "en_period"), shown(page, "en_category")
    type_cells(page, new_values(db, cid, period, category))
    samples["grid_save"].append(timed(page, lambda: page.locator(".st-key-en_save button").click()))
    confirm_outliers(page)
    COUNTS["grid"] = changed_by(db, cid, period, ACCOUNTS[0][0])
    upload = upload_file(folder, new_values(db, cid, period, category, first=ROWS), period)
    chooser = page.locator(".st-key-en_upload input[type='file']")
    samples["upload_confirm"].append(
        timed(page, lambda: chooser.set_input_files(str(upload)), ".st-key-en_apply button")
    )
    samples["upload_apply"].append(timed(page, lambda: page.locator(".st-key-en_apply button").click()))
    confirm_outliers(page)
    COUNTS["upload"] = changed_by(db, cid, period, ACCOUNTS[0][0]) - COUNTS["grid"]
    visit(page, "workflow")
    samples["submit"].append(workflow_step(page, period, "submit"))
    PERIOD[0] = period


def leader_steps(page: Any, samples: Timings, folder: Path, db: Path, cid: str) -> None:
    visit(page, "leaderboard")
    samples["filter_leaderboard"].append(choose(page, "lb_category"))
    visit(page, "profile")
    samples["filter_profile"].append(choose(page, "pf_unit"))
    for tab in ("pf.tab_trend", "pf.tab_award", "pf.tab_points"):  # each drawn when opened
        samples["tab_profile"].append(timed(page, page.get_by_role("tab", name=t(tab)).click))
    visit(page, "workflow")
    samples["approve"].append(workflow_step(page, PERIOD[0], "approve"))


def admin_steps(page: Any, samples: Timings, folder: Path, db: Path, cid: str) -> None:
    visit(page, "workflow")
    samples["publish"].append(workflow_step(page, PERIOD[0], "publish"))


def finance_steps(page: Any, samples: Timings, folder: Path, db: Path, cid: str) -> None:
    visit(page, "payouts")
    start = time.perf_counter()
    with page.expect_download(timeout=120000) as download:
        page.get_by_role("button", name=t("download_xlsx")).click()
    size = Path(download.value.path()).stat().st_size  # the whole file received
    samples["export"].append(time.perf_counter() - start)
    if size < 5000:
        raise SystemExit(f"the payouts workbook is {size} bytes")


PERIOD = [""]  # the period the evaluator worked on, which the others move on
COUNTS = {"grid": 0, "upload": 0}  # values the evaluator's save and upload changed
ROLE_STEPS: dict[str, Callable[[Any, Timings, Path, Path, str], None]] = {
    "evaluator": evaluator_steps,
    "leader": leader_steps,
    "admin": admin_steps,
    "finance": finance_steps,
}


def p95(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scoring.bench.browser", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", choices=tuple(SIZES), default="district")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("browser-bench.json"))
    args = parser.parse_args(argv)
    if reason := chromium_missing():
        print(reason)
        return 2
    samples: Timings = defaultdict(list)
    for k in range(args.runs):
        print(f"run {k + 1}/{args.runs} ({args.size})", flush=True)
        one_run(args.size, samples)
    rows = {
        action: {"n": len(xs), "median": statistics.median(xs), "p95": p95(xs), "samples": xs}
        for action, xs in samples.items()
    }
    print(f"{'action':<26}{'n':>4}{'median s':>10}{'p95 s':>8}")
    for action, r in sorted(rows.items(), key=lambda kv: (" " in kv[0], kv[0])):
        print(f"{action:<26}{r['n']:>4}{r['median']:>10.2f}{r['p95']:>8.2f}")
    args.out.write_text(
        json.dumps(
            {
                "size": args.size,
                "runs": args.runs,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "actions": rows,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
