"""One deadline-day session in a real browser (headless Chromium through Playwright), timed on
the page's own clock until it is drawn and idle, as ``scoring.bench.browser`` times one user:
what a person sees while the protocol sessions of ``scoring.bench.load`` load the server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from pathlib import Path
from typing import Any

from scoring.bench.browser import PASSWORD, TITLES
from scoring.bench.load_plan import INDICATOR, PERIOD, SAVED, THINK, next_value, pages_of, step_kind
from scoring.bench.serve import IDLE, STABLE
from scoring.core.i18n import t


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
    start: float,
) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(120000)  # thirty pages drawn at once on two cores
    pages = pages_of(role)
    rng = random.Random(name)
    step = 0
    last: list[int | None] = [None]
    try:
        await asyncio.sleep(start)
        out["browser_sign_in"].append(await sign_in(page, url, name))
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*THINK))  # a person reads the page before the next click
            step += 1
            kind = step_kind(role, step)
            if kind == "sign_in":
                out["browser_sign_in"].append(await sign_in(page, url, name))
            elif kind == "save":
                value = last[0] = next_value(rng, last[0])
                out["browser_save"].append(await save(page, folder, name, unit, value))
                out["saves"][name].append((unit, PERIOD, value))
            else:
                out["browser_page"].append(await visit(page, rng.choice(pages)))
            if await page.locator('[data-testid="stException"]').count():
                raise RuntimeError(await page.locator('[data-testid="stException"]').first.inner_text())
    except Exception as exc:
        out["errors"].append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        if shots := os.environ.get("STARSCORE_SHOTS_DIR"):  # what the page showed, when asked
            await page.screenshot(path=str(Path(shots) / f"load-{name}.png"), full_page=True)
    finally:
        await context.close()
