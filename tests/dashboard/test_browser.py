"""A real browser: `streamlit run dashboard/app.py` on a free localhost port, every page
opened in headless Chromium, the rendered text checked, screenshots saved.

Chromium comes from Debian's package; where it is missing the test installs it (as root,
with apt-get) and skips, saying why, only where no browser can be had.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dashboard.i18n import LABELS
from scoring.bench import serve, wire
from tests.dashboard import wording
from tests.dashboard.conftest import PAGES
from tests.helpers import REPO

CHROMIUM = serve.CHROMIUM
_ensure_chromium = serve.chromium_missing
serving = serve.serving


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    reason = _ensure_chromium()
    if reason:
        pytest.skip(reason)
    tmp = Path(tempfile.mkdtemp(prefix="starscore-browser-"))
    db = tmp / "dash.duckdb"
    shutil.copy(demo_db, db)
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = serve.launch(p)
        yield b
        b.close()


# the manual's screenshots (docs/zh/manual, docs/manual): taken here, so they show this version
SHOTS = REPO / "docs" / "img" / "manual"
# the manual's screenshots are taken again only when asked (docs/development.md)
TAKE_SHOTS = os.environ.get("STARSCORE_SHOTS") == "1"


_settle = serve.settle


@pytest.mark.browser
def test_every_page_in_chromium(server: str, browser: object) -> None:
    """The first page by its address, every other one by the sidebar's link, as a reader moves
    (a page load by address costs 2-3 s of Chromium's time, a link 0.5-1 s; every address is
    opened on its own in ``test_every_page_opens_by_its_own_address``)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    found: dict[str, set[str]] = {}
    for k, (path, title) in enumerate(PAGES.items()):
        if k == 0 or TAKE_SHOTS:  # the manual's shots each from a page load (icons drawn)
            page.goto(f"{server}/{path}")
        else:
            page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]').click()
            page.locator("h1", has_text=LABELS[title]["zh"]).wait_for(timeout=60000)
        _settle(page)
        assert "Page not found" not in page.inner_text("body")
        heading = page.locator("h1").first
        heading.wait_for(timeout=60000)
        assert heading.inner_text().strip() == LABELS[title]["zh"]
        _no_error(page, path)
        if TAKE_SHOTS:
            page.screenshot(path=str(SHOTS / f"{path}.png"))
        found[path] = wording.latin_words(wording.page_text(page))
    # every word a Chinese user reads is Chinese: no Latin-only word outside the allow-list
    assert not {p: w for p, w in found.items() if w}, found
    page.close()


@pytest.mark.browser
def test_every_page_opens_by_its_own_address(server: str) -> None:
    """Each page's address opened in a new session, as a bookmark or a pasted link is: the
    browser asks the server for the page by its name, and the server draws that page (its own
    heading, no error). Spoken over Streamlit's protocol (``scoring.bench.wire``): what the
    browser then draws of it is ``test_every_page_in_chromium``'s."""

    async def open_each() -> dict[str, tuple[list[str], list[str]]]:
        seen = {}
        for path in PAGES:
            session = wire.Session(server)
            drawn = await session.open(path)
            await session.close()
            h1 = [e.heading for e in drawn.elements if drawn.kind(e) == "heading" and e.heading.tag == "h1"]
            seen[path] = ([h.body for h in h1], drawn.errors())
        return seen

    with ThreadPoolExecutor(1) as other:  # Playwright's own loop runs on this thread
        seen = other.submit(asyncio.run, open_each()).result()
    for path, title in PAGES.items():
        headings, errors = seen[path]
        assert headings[:1] == [LABELS[title]["zh"]], (path, headings)
        assert not errors, (path, errors)


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_in_english_in_chromium(server: str, browser: object) -> None:
    """The switch to English, and every page read in English by the sidebar's links. Under
    ``-m slow`` (half a minute): the default run renders every English page through AppTest
    and switches the language in this browser (``test_language_switch_relabels_the_choices``)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    (SHOTS / "en").mkdir(parents=True, exist_ok=True)
    page.goto(server)
    _settle(page)
    # the board's top unit, in the grid's accessible cells (the grid itself is a canvas)
    page.get_by_text("曹石社区").first.wait_for(state="attached", timeout=60000)
    page.get_by_text("English").click()
    _settle(page)
    page.locator("h1", has_text=LABELS["lb.title"]["en"]).wait_for(timeout=60000)
    _settle(page)  # the rest of the page redrawn in English too
    chinese: dict[str, set[str]] = {}
    page.goto(f"{server}/leaderboard?lang=en")  # English asked for by the address
    _settle(page)
    for path, title in PAGES.items():
        if path != "leaderboard":  # the others as a reader moves: the sidebar's links, in English
            page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]').click()
            page.locator("h1", has_text=LABELS[title]["en"]).wait_for(timeout=60000)
            _settle(page)
        assert page.locator("h1").first.inner_text().strip() == LABELS[title]["en"]
        _no_error(page, path)
        chinese[path] = wording.chinese_labels(page)
        if TAKE_SHOTS:
            page.screenshot(path=str(SHOTS / "en" / f"{path}.png"))
    # the English pages' labels (headings, widgets, buttons, captions, headers) are English:
    # only the campaign's own names (units, towns, indicators…) may be Chinese
    assert not {p: w for p, w in chinese.items() if w}, chinese
    page.goto(f"{server}/leaderboard")
    _settle(page)  # a new page load without ?lang starts a new session, in Chinese
    assert page.locator("h1").first.inner_text().strip() == LABELS["lb.title"]["zh"]
    page.close()


def _no_error(page: object, path: str) -> None:
    """No exception box, traceback or error message on the page."""
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Traceback" not in body, path
    assert page.locator('[data-testid="stException"]').count() == 0, path  # type: ignore[attr-defined]


@pytest.mark.browser
def test_language_switch_relabels_the_choices(server: str, browser: object) -> None:
    """A choice whose label is translated ("全年", the whole year) is drawn in the new language
    after a switch, not left in the old one."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(f"{server}/profile")
    _settle(page)
    assert LABELS["year"]["zh"] in page.inner_text("body")  # the period: the whole year
    page.get_by_text("English").click()
    _settle(page)
    page.locator("h1", has_text=LABELS["pf.title"]["en"]).wait_for(timeout=60000)
    _settle(page)  # the rest of the page redrawn in English too
    # the whole year, a choice of None, is drawn as the box's placeholder
    assert LABELS["year"]["zh"] not in page.inner_text("body")
    page.locator(f'input[placeholder="{LABELS["year"]["en"]}"]').wait_for(state="attached", timeout=60000)
    page.close()


@pytest.mark.browser
def test_payouts_workbook_is_built_when_asked(server: str, browser: object, tmp_path: Path) -> None:
    """The finance workbook is made on the click (not on every visit) and holds every payee's
    sheet and the derivations."""
    import polars as pl

    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(f"{server}/payouts")
    _settle(page)
    with page.expect_download(timeout=120000) as download:  # type: ignore[attr-defined]
        page.get_by_role("button", name=LABELS["download_xlsx"]["zh"]).click()
    path = tmp_path / "payouts.xlsx"
    download.value.save_as(path)
    sheets = pl.read_excel(path, sheet_id=0, has_header=False)
    assert list(sheets) == [LABELS[k]["zh"] for k in ("x.community", "x.secretary", "x.explain")]
    assert sheets[LABELS["x.explain"]["zh"]].height > 100
    page.close()


@pytest.mark.browser
def test_entry_template_is_made_when_asked(server: str, browser: object, tmp_path: Path) -> None:
    """The pre-filled Excel template comes on the click, one row per applicable cell of the
    chosen period and category, and reads back through the product's own reader."""
    from scoring.app.entry import read_upload

    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(f"{server}/entry")
    _settle(page)
    with page.expect_download(timeout=120000) as download:  # type: ignore[attr-defined]
        page.get_by_role("button", name=LABELS["en.template"]["zh"]).click()
    (tmp_path / "t").mkdir()
    # its name says what it holds: campaign, period, category, town
    # (on the period that is due: nothing of the demo is final, so 2023Q1)
    assert download.value.suggested_filename.endswith("-2023Q1-城市社区-全部-录入模板.xlsx")
    download.value.save_as(tmp_path / "t" / "values.xlsx")
    rows = read_upload("values.xlsx", (tmp_path / "t" / "values.xlsx").read_bytes())
    assert set(rows["period"]) == {"2023Q1"} and rows.height > 100
    assert rows["value"].null_count() == 0  # the demo's values are all in, pre-filled
    page.close()


@pytest.mark.browser
def test_leaderboard_downloads_are_made_when_asked(server: str, browser: object, tmp_path: Path) -> None:
    """The whole board, as CSV and as Excel, comes on the click, with the page's headers."""
    import polars as pl

    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(server)
    _settle(page)
    boards = []
    for label, name in (("download_csv", "board.csv"), ("download_xlsx", "board.xlsx")):
        with page.expect_download(timeout=120000) as download:  # type: ignore[attr-defined]
            page.get_by_role("button", name=LABELS[label]["zh"]).click()
        download.value.save_as(tmp_path / name)
        _settle(page)
    boards.append(pl.read_csv(tmp_path / "board.csv", infer_schema=False))
    boards.append(pl.read_excel(tmp_path / "board.xlsx", infer_schema_length=0))
    for board in boards:
        assert board.columns[:3] == [LABELS[k]["zh"] for k in ("rank", "unit", "unit_id")]
        assert board.height == 39 and board.row(0)[1] == "曹石社区"  # urban, whole year: 38 + 1 vetoed
    page.close()
