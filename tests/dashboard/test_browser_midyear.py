"""Every page of a campaign in the middle of its year (Q1 published with objections, Q2 short of
a few values with a confirmed outlier and a late exception), in a real browser: no indicator or
category id, no English word, no raw None/true/false, no error, in Chinese."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.i18n import LABELS
from tests.dashboard import wording
from tests.dashboard.conftest import PAGES
from tests.dashboard.midyear import build_midyear
from tests.dashboard.test_browser import CHROMIUM, _ensure_chromium, _no_error, _settle, serving

pytestmark = [pytest.mark.slow, pytest.mark.browser]
midyear_server_db: list[Path] = []  # the server's database, for a test that adds a user to it


@pytest.fixture(scope="module")
def midyear_server() -> Iterator[str]:
    reason = _ensure_chromium()
    if reason:
        pytest.skip(reason)
    tmp = Path(tempfile.mkdtemp(prefix="starscore-midyear-"))
    db = build_midyear(tmp / "campaign", tmp / "mid.duckdb")
    midyear_server_db[:] = [db]
    with serving(db) as url:
        yield url


def test_every_page_of_a_year_in_progress_speaks_chinese(midyear_server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        found: dict[str, set[str]] = {}
        for path, title in PAGES.items():
            page.goto(f"{midyear_server}/{path}")
            _settle(page)
            assert page.locator("h1").first.inner_text().strip() == LABELS[title]["zh"], path
            _no_error(page, path)
            text = wording.page_text(page)
            headers = " ".join(page.locator("[role='columnheader'], th").all_inner_texts())
            found[path] = wording.latin_words(f"{text} {headers}", strict=True)
        browser.close()
    assert not {p: w for p, w in found.items() if w}, found


def test_a_reload_keeps_the_sign_in_and_a_sign_out_ends_it(midyear_server: str) -> None:
    """After the page walk (open mode), the database gets its first user: a new browser session
    must sign in; a reload (F5) keeps it signed in; after signing out a reload does not."""
    from playwright.sync_api import sync_playwright

    from scoring.accounts.access import add_user
    from scoring.store.db import connect

    db = Path(midyear_server_db[0])
    con = connect(db)
    add_user(con, "赵领导", "leader-pass-2026", "leader")
    con.close()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{midyear_server}/leaderboard")
        _settle(page)
        page.get_by_label(LABELS["auth.username"]["zh"]).fill("赵领导")
        page.get_by_label(LABELS["auth.password"]["zh"]).fill("leader-pass-2026")
        page.get_by_role("button", name=LABELS["auth.login"]["zh"]).click()
        _settle(page)
        signed = LABELS["auth.signed_in"]["zh"].format(user="赵领导", role=LABELS["role.leader"]["zh"])
        page.get_by_text(signed).wait_for(timeout=60000)
        for _ in range(120):  # the page that follows the sign-in hands the browser its token
            if any(c["name"] == "starscore_session" for c in page.context.cookies()):
                break
            page.wait_for_timeout(250)
        page.reload()
        _settle(page)
        page.get_by_text(signed).wait_for(timeout=60000)  # still signed in after F5
        assert page.locator("h1").first.inner_text().strip() == LABELS["lb.title"]["zh"]
        page.get_by_role("button", name=LABELS["auth.logout"]["zh"]).click()
        _settle(page)
        page.reload()
        _settle(page)
        page.get_by_role("button", name=LABELS["auth.login"]["zh"]).wait_for(timeout=60000)
        assert signed not in page.inner_text("body")
        browser.close()
