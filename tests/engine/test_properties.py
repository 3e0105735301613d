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
from tests.helpers import examples, read_csv, run_cli, write_folder


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=campaigns(complete=True))
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


def _maxima(rules: dict) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """Per category: the sum of its base items' maxima, and of its bonus items' points."""
    from tests.reference import BASE, item_max

    base: dict[str, Fraction] = {}
    bonus: dict[str, Fraction] = {}
    for c in (c["id"] for c in rules["categories"]):
        mine = [i for i in rules["indicators"] if not i.get("categories") or c in i["categories"]]
        base[c] = sum((item_max(i) for i in mine if i["kind"] in BASE), Fraction(0))
        bonus[c] = sum((Fraction(str(i["points"])) for i in mine if i["kind"] == "bonus"), Fraction(0))
    return base, bonus


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=campaigns())
def test_counts_not_applicable_and_progress(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A rescaled score never exceeds the category's maximum plus its bonuses; a 不涉及 cell is
    never reported missing; progress never goes to a unit without a gain > 0."""
    rules = yaml.safe_load(files["campaign.yaml"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "c", dict(files))
        out = Path(tmp) / "out"
        run_cli(capsys, "run", folder, "--out", out, "--db", Path(tmp) / "d.duckdb")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        periods = read_csv(out / "period_results.csv")
        annual = read_csv(out / "annual_results.csv") if summary["year_complete"] else []
        baseline = folder / "baseline.csv"
        last = {r["unit_id"]: r for r in read_csv(baseline)} if baseline.exists() else {}
    base, bonus = _maxima(rules)
    for r in periods:
        assert Fraction(r["score"]) <= base[r["category"]] + bonus[r["category"]], r
    na = {
        (r["unit_id"], r["period"], r["indicator_id"])
        for r in (
            dict(zip(["unit_id", "period", "indicator_id", "value"], line.split(","), strict=True))
            for line in files["values.csv"].splitlines()[1:]
        )
        if r["value"].upper() in ("不涉及", "NA")
    }
    listed = {(m["unit_id"], m["period"], m["indicator_id"]) for m in summary["missing"]}
    assert not na & listed
    progress = (rules.get("awards") or {}).get("progress")
    if not progress or not annual:
        return
    for r in annual:
        if r["progress"] != "1":
            continue
        before = last[r["unit_id"]]
        if progress["by"] == "rank":
            assert int(before["annual_rank"]) - int(r["annual_rank"]) > 0
        else:
            assert Fraction(r["annual_score"]) - Fraction(before["annual_score"]) > 0
