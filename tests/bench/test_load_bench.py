"""The load benchmark does its work: ten browser sessions for two minutes on one served
dashboard end with no error on any page, every save in the audit trail once and the last one
stored, the server's memory bounded and the database free for another writer. Its timings are
the benchmark's to report (docs/performance.md), not this test's to judge. Ten, not thirty:
thirty Chromium pages take the two cores of this machine from the server they load (measured
in docs/performance.md), and their clicks then time out in the browser. Slow: minutes."""

from __future__ import annotations

import json

import pytest

from scoring.bench import load
from scoring.bench.serve import chromium_missing

pytestmark = pytest.mark.slow


def test_ten_sessions_for_two_minutes(tmp_path):
    if reason := chromium_missing():
        pytest.skip(reason)
    out = tmp_path / "load.json"
    assert load.main(["--sessions", "10", "--minutes", "2", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["save_problems"] == []
    assert report["saves"] >= 5 and report["page"]["n"] >= 40
    assert report["rss_mb"]["max"] < 2048  # bounded: a fraction of the machine
    assert report["database_free_after_s"] < 10
