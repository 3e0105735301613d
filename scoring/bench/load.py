"""Deadline day on the loopback: many people at once on one served dashboard.

``python -m scoring.bench.load [--sessions 30] [--minutes 5] [--out FILE]``

The demo campaign at district size is served (``streamlit run`` on 127.0.0.1, nothing else
reached) and ``--sessions`` browser sessions of one headless Chromium use it at once for
``--minutes``: evaluators (two thirds), leaders, finance and an administrator, all signing in
together at the start and again every tenth step, then, after reading each page for 3 to 10
seconds as people do, opening the pages their role has from the sidebar; each evaluator, every
fourth step, uploads one value of its own unit on the entry page and applies it (a save:
checks, audit, re-score). Timed on each page's own clock until it
is idle, as ``scoring.bench.browser`` times one user: ``sign_in`` and ``page`` (a page opened,
an upload applied). The server's memory is read every five seconds.

It checks what deadline day must keep: no page shows an error, every save that said it was
saved is in the audit trail once (none lost, none doubled) and the last value each evaluator
saved is the stored one, the server's memory stays bounded, and once the load ends the database
is not held (another process writes to it within ten seconds). Medians, 95th percentiles and the
checks are printed and written to ``--out`` (default ``load-bench.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring.accounts.access import PAGES as PAGE_ROLES
from scoring.accounts.access import add_user
from scoring.bench.browser import PASSWORD, TITLES, build, p95
from scoring.bench.serve import CHROMIUM, CHROMIUM_FLAGS, IDLE, STABLE, chromium_missing, serving
from scoring.core.i18n import t
from scoring.store.db import connect

PERIOD = "2023Q1"
SAVED = t("en.saved", written=0, cleared=0, changed=0).split("0")[0]  # the save's own words
THINK = (3.0, 10.0)  # seconds a person spends on a page before the next action
INDICATOR = "hotline"  # a value every unit has, 0–100


def accounts(n: int) -> list[tuple[str, str]]:
    roles = ["evaluator"] * (2 * n // 3) + ["leader"] * max(1, n // 5)
    roles += ["finance"] * max(1, n - len(roles) - 1)
    roles = [*roles, "admin"][:n]
    return [(f"负载{role}{k:02d}", role) for k, role in enumerate(roles)]


async def idle(page: Any) -> float:
    await page.evaluate("() => { window.__idleSince = null; }")
    await page.wait_for_function(STABLE, arg=400, timeout=120000)
    return float(await page.evaluate("() => window.__idleSince"))


STARTED = """() => (document.querySelector('[data-testid="stApp"]')
    || {getAttribute: () => null}).getAttribute('data-test-script-state') !== 'notRunning'"""


async def timed(page: Any, act: Any, until: str | None = None) -> float:
    """Seconds from the action until the page is drawn and idle. The run the action starts is
    waited for first (up to 5 s): on a loaded server it may begin later than the idle check's
    400 ms, which would otherwise read the page from before the action."""
    start = float(await page.evaluate("() => performance.now()"))
    await act()
    # no run seen: too quick to catch, or the click was lost (the caller finds out)
    with contextlib.suppress(Exception):
        await page.wait_for_function(STARTED, timeout=5000)
    if until is not None:
        await page.locator(until).first.wait_for(timeout=120000)
    return (await idle(page) - start) / 1000


async def sign_in(page: Any, url: str, name: str) -> float:
    await page.context.clear_cookies()
    await page.goto(url)
    await page.wait_for_selector('[data-testid="stForm"]', timeout=120000)
    await page.wait_for_function(IDLE, timeout=120000)
    await page.get_by_label(t("auth.username")).fill(name)
    await page.get_by_label(t("auth.password")).fill(PASSWORD)
    took = await timed(page, lambda: page.get_by_role("button", name=t("auth.login")).click(), "h1")
    for _ in range(300):
        if any(c["name"] == "starscore_session" for c in await page.context.cookies()):
            break
        await page.wait_for_timeout(100)
    return took


async def visit(page: Any, path: str) -> float:
    link = page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]')
    return await timed(page, link.click, f'h1:has-text("{t(TITLES[path])}")')


async def save(page: Any, folder: Path, name: str, unit: str, value: int) -> float:
    """One value of the evaluator's own unit uploaded and applied on the entry page."""
    if not await page.locator(".st-key-en_upload input[type='file']").count():
        await visit(page, "entry")
    path = folder / f"{name}.csv"
    path.write_text(
        f"unit_id,period,indicator_id,value\n{unit},{PERIOD},{INDICATOR},{value}\n", encoding="utf-8"
    )
    chooser = page.locator(".st-key-en_upload input[type='file']")
    apply = page.locator(".st-key-en_apply button")
    gone = page.locator(".st-key-en_upload [data-testid='stFileUploaderDeleteBtn'] button")
    if await gone.count():  # the last file taken away first: its preview and button go with it
        await gone.first.click()
        await apply.wait_for(state="detached")
        await idle(page)
    await timed(page, lambda: chooser.set_input_files(str(path)), ".st-key-en_apply button")
    took = 0.0
    for _ in range(3):  # a click that lands while the page is still redrawing is lost: again
        took += await timed(page, apply.click)
        note = page.locator(".st-key-en_confirm_note input")
        if await note.count():  # a value far from its peers asks for a comment
            await note.fill("核实无误")
            await page.keyboard.press("Tab")
            took += await timed(page, lambda: page.locator(".st-key-en_confirm button").click())
        said = await page.locator('[data-testid="stAlert"]').all_inner_texts()
        if any(SAVED in text for text in said):  # the page says the save was written
            return took
        if not await apply.count():
            break
    raise RuntimeError(f"the save was not said to be saved: {' | '.join(said)[:300]}")


async def one_session(
    browser: Any,
    url: str,
    name: str,
    role: str,
    unit: str,
    folder: Path,
    until: float,
    out: dict[str, Any],
    stored: dict[str, int],
) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(120000)  # thirty pages drawn at once on two cores
    pages = [p for p in TITLES if role in PAGE_ROLES.get(p, frozenset()) and p != "campaigns"]
    rng = random.Random(name)
    step = 0
    last = [stored.get(unit)]
    try:
        out["sign_in"].append(await sign_in(page, url, name))
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*THINK))  # a person reads the page before the next click
            step += 1
            if step % 10 == 0:
                out["sign_in"].append(await sign_in(page, url, name))
            elif role == "evaluator" and step % 4 == 0:
                # near the unit's own (no value far from its peers), and never the one stored
                value = next(v for v in (90 + rng.randrange(11) for _ in range(99)) if v != last[0])
                last[0] = value
                out["page"].append(await save(page, folder, name, unit, value))
                out["saves"][name].append(value)
            else:
                out["page"].append(await visit(page, rng.choice(pages)))
            if await page.locator('[data-testid="stException"]').count():
                raise RuntimeError(await page.locator('[data-testid="stException"]').first.inner_text())
    except Exception as exc:
        out["errors"].append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        if shots := os.environ.get("STARSCORE_SHOTS_DIR"):  # what the page showed, when asked
            await page.screenshot(path=str(Path(shots) / f"load-{name}.png"), full_page=True)
    finally:
        await context.close()


def rss_mb(port: str) -> float:
    """The serving process's resident memory (the streamlit process listening on ``port``)."""
    for pid in os.listdir("/proc"):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if f"--server.port={port}".encode() in cmd:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return 0.0


async def run(sessions: int, minutes: float, folder: Path) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    db, cid = build(folder, "district")
    people = accounts(sessions)
    con = connect(db)
    for name, role in people:
        add_user(con, name, PASSWORD, role, by="bench")
    units = [
        r[0]
        for r in con.execute(
            "SELECT unit_id FROM units WHERE campaign_id = ? ORDER BY unit_no", [cid]
        ).fetchall()
    ]
    stored = dict(
        con.execute(
            "SELECT unit_id, CAST(value AS INTEGER) FROM indicator_values WHERE campaign_id = ? "
            "AND period = ? AND indicator_id = ?",
            [cid, PERIOD, INDICATOR],
        ).fetchall()
    )
    con.close()
    out: dict[str, Any] = {"sign_in": [], "page": [], "errors": [], "saves": defaultdict(list), "rss_mb": []}
    with serving(db) as url:
        port = url.rsplit(":", 1)[1]
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            until = time.monotonic() + minutes * 60

            async def memory() -> None:
                while time.monotonic() < until + 30:
                    out["rss_mb"].append(rss_mb(port))
                    await asyncio.sleep(5)

            watcher = asyncio.create_task(memory())
            await asyncio.gather(
                *(
                    one_session(browser, url, name, role, units[k], folder, until, out, stored)
                    for k, (name, role) in enumerate(people)
                )
            )
            watcher.cancel()
            await browser.close()
        started = time.monotonic()  # the server still runs: is the file free for another writer?
        other = connect(db, wait_seconds=10)
        other.execute("CHECKPOINT")
        other_took = time.monotonic() - started
        problems = lost_or_doubled(other, cid, units, people, out["saves"])
        other.close()
    return out | {"held_s": other_took, "save_problems": problems}


def lost_or_doubled(
    con: Any, cid: str, units: list[str], people: list[tuple[str, str]], saves: dict
) -> list[str]:
    """Each evaluator's saves against the audit trail and the stored value."""
    found = []
    for k, (name, _) in enumerate(people):
        said = saves.get(name, [])
        if not said:
            continue
        rows = con.execute(
            "SELECT count(*) FROM audit_log WHERE campaign_id = ? AND who = ? AND unit_id = ? "
            "AND indicator_id = ? AND action IN ('enter', 'change')",
            [cid, name, units[k], INDICATOR],
        ).fetchall()[0][0]
        changes = sum(1 for a, b in zip([None, *said], said, strict=False) if a != b)
        stored = con.execute(
            "SELECT CAST(value AS INTEGER) FROM indicator_values WHERE campaign_id = ? AND unit_id = ? "
            "AND period = ? AND indicator_id = ?",
            [cid, units[k], PERIOD, INDICATOR],
        ).fetchall()
        if rows > changes or rows < changes - 1 or stored != [(said[-1],)]:
            found.append(f"{name}: {len(said)} saves ({changes} changes), audit {rows}, stored {stored}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30, choices=range(1, 61), metavar="1..60")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=Path("load-bench.json"))
    args = parser.parse_args(argv)
    if reason := chromium_missing():
        print(reason)
        return 2
    with tempfile.TemporaryDirectory(prefix="starscore-load-") as tmp:
        out = asyncio.run(run(args.sessions, min(args.minutes, 30.0), Path(tmp)))
    rss = out["rss_mb"] or [0.0]
    report = {
        "sessions": args.sessions,
        "minutes": args.minutes,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "sign_in": {
            "n": len(out["sign_in"]),
            "median": statistics.median(out["sign_in"] or [0]),
            "p95": p95(out["sign_in"] or [0]),
        },
        "page": {
            "n": len(out["page"]),
            "median": statistics.median(out["page"] or [0]),
            "p95": p95(out["page"] or [0]),
        },
        "saves": sum(len(v) for v in out["saves"].values()),
        "save_problems": out["save_problems"],
        "errors": out["errors"],
        "rss_mb": {"first": rss[0], "max": max(rss), "last": rss[-1]},
        "database_free_after_s": out["held_s"],
    }
    print(json.dumps({k: v for k, v in report.items()}, ensure_ascii=False, indent=1))
    args.out.write_text(
        json.dumps(
            report | {"samples": {k: out[k] for k in ("sign_in", "page")}}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    ok = not out["errors"] and not out["save_problems"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
