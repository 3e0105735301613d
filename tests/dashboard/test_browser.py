"""A real browser: `streamlit run dashboard/app.py` on a free localhost port, every page
opened in headless Chromium, the rendered text checked, screenshots saved.

Chromium comes from Debian's package; where it is missing the test installs it (as root,
with apt-get) and skips, saying why, only where no browser can be had.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard.i18n import LABELS
from tests.dashboard import wording
from tests.dashboard.conftest import PAGES
from tests.helpers import REPO

CHROMIUM = "/usr/bin/chromium"


def _ensure_chromium() -> str | None:
    """The reason no browser can be had, or None when Chromium is there."""
    if Path(CHROMIUM).exists():
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "Chromium is not installed and apt-get (as root) is not available to install it"
    cmd = "apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei"
    proc = subprocess.run(
        ["bash", "-c", cmd],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    if proc.returncode != 0 or not Path(CHROMIUM).exists():
        return f"installing Chromium failed: {proc.stderr.strip()[-300:]}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """``streamlit run`` on a free localhost port over ``db``: its address while it runs."""
    port = _free_port()
    env = {**os.environ, "STARSCORE_DB": str(db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "dashboard" / "app.py"),
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 60 s")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


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
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


# the manual's screenshots (docs/zh/manual, docs/manual): taken here, so they show this version
SHOTS = REPO / "docs" / "img" / "manual"
# the manual's screenshots are taken again only when asked (docs/development.md)
TAKE_SHOTS = os.environ.get("STARSCORE_SHOTS") == "1"


def _settle(page: object) -> None:
    """The page is drawn and its script has finished: a heading is on it and no run is going."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60000)  # type: ignore[attr-defined]
    page.wait_for_selector("h1", state="attached", timeout=60000)  # type: ignore[attr-defined]
    idle = (  # no run going and no element left over from the last run
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')"
    )
    page.wait_for_function(idle, timeout=60000)  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]  # a rerun the first draw asks for
    page.wait_for_function(idle, timeout=60000)  # type: ignore[attr-defined]


@pytest.mark.browser
def test_every_page_in_chromium(server: str, browser: object) -> None:
    (SHOTS / "en").mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    found: dict[str, set[str]] = {}
    for path, title in PAGES.items():
        page.goto(f"{server}/{path}")  # every page by its own address, the first one too
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
