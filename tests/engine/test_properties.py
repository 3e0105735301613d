"""Invariants that matter to money and fairness, over random campaigns (hypothesis)."""

from __future__ import annotations

import json
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings

from tests.engine.test_reference import campaigns
from tests.helpers import read_csv, run_cli, write_folder


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=campaigns())
def test_money_and_rank_invariants(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    rules = yaml.safe_load(files["campaign.yaml"])
    aw = rules["awards"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "c", dict(files))
        out = Path(tmp) / "out"
        rc, _, err = run_cli(capsys, "run", folder, "--out", out, "--db", Path(tmp) / "d.duckdb")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assume(summary["year_complete"])  # a year in progress has no money yet (test_reference)
        assert rc == 0, err
        pays = read_csv(out / "payouts.csv")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        annual = read_csv(out / "annual_results.csv")
        periods = read_csv(out / "period_results.csv")

    rounding = Fraction(str(aw["rounding"]))
    for p in pays:
        gross, capped, final = (Fraction(p[k]) for k in ("gross", "capped", "final"))
        cap = aw["community_cap"] if p["payee_type"] == "community" else aw["secretary_cap"]
        assert capped <= Fraction(str(cap)) and capped <= gross
        assert 0 <= final <= capped
        assert (final / rounding).denominator == 1  # a multiple of the rounding unit
    total = sum((Fraction(p["final"]) for p in pays), Fraction(0))
    assert Fraction(str(summary["total_final"])) == total
    if "budget" in aw:
        budget = Fraction(str(aw["budget"]))
        assert total <= budget
        assert Fraction(str(summary["unallocated"])) == budget - total

    # a higher score never gets a worse rank or fewer stars; equal scores without tie-break share
    tie_break = bool((rules.get("ranking") or {}).get("tie_break"))
    ranked = [r for r in annual if r["annual_rank"]]
    for a in ranked:
        for b in ranked:
            if a["category"] != b["category"]:
                continue
            sa, sb = Fraction(a["annual_score"]), Fraction(b["annual_score"])
            if sa > sb:
                assert int(a["annual_rank"]) < int(b["annual_rank"])
                assert int(a["stars"]) >= int(b["stars"])
            if sa == sb and not tie_break:
                assert a["annual_rank"] == b["annual_rank"] and a["stars"] == b["stars"]
    for a in periods:
        for b in periods:
            if (a["category"], a["period"]) != (b["category"], b["period"]):
                continue
            if a["rank"] and b["rank"] and Fraction(a["score"]) > Fraction(b["score"]):
                assert int(a["rank"]) < int(b["rank"])
