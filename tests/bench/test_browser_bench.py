"""The browser benchmark runs a district's round once, every action timed and its work
checked (``-m slow``: about two minutes in Debian's Chromium)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.bench import browser
from scoring.bench.serve import chromium_missing

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ACTIONS = {
    "sign_in",
    "view_first",
    "view_second",
    "grid_save",
    "upload_confirm",
    "upload_apply",
    "submit",
    "approve",
    "publish",
    "filter_leaderboard",
    "filter_profile",
    "tab_profile",
    "export",
}


def test_one_round_is_timed_and_done(tmp_path: Path) -> None:
    if reason := chromium_missing():
        pytest.skip(reason)
    out = tmp_path / "b.json"
    assert browser.main(["--runs", "1", "--out", str(out)]) == 0  # it exits otherwise when work was not done
    found = json.loads(out.read_text(encoding="utf-8"))["actions"]
    assert set(found) >= ACTIONS
    assert all(0 < found[a]["median"] < 60 for a in ACTIONS)
    # every page each role may see, each one's own figure beside the totals
    pages = [k for k in found if k.startswith("view_first ")]
    assert found["view_first"]["n"] == sum(found[k]["n"] for k in pages) and "view_first payouts" in found
