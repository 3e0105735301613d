"""The load benchmark does its work: thirty sessions (two of them real Chromium pages, the rest
speaking Streamlit's protocol) for two minutes on one served dashboard end with no error on any
page, every save in the audit trail once and the last one stored, the server's memory bounded
and the database free for another writer. Its timings are the benchmark's to report
(docs/performance.md), not this test's to judge. Slow: minutes."""

from __future__ import annotations

import json

import pytest

from scoring.bench import load
from scoring.bench.serve import chromium_missing

pytestmark = pytest.mark.slow


def test_thirty_sessions_for_two_minutes(tmp_path):
    if reason := chromium_missing():
        pytest.skip(reason)
    out = tmp_path / "load.json"
    assert load.main(["--sessions", "30", "--browsers", "2", "--minutes", "2", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["save_problems"] == []
    assert report["saves"] >= 20 and report["page"]["n"] >= 150
    assert report["browser_page"]["n"] >= 5  # the browsers took part
    assert report["rss_mb"]["max"] < 2048  # bounded: a fraction of the machine
    assert report["database_free_after_s"] < 10
