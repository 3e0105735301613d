"""The engine agrees exactly with an independent reading of the spec, on the demo and on
random campaigns (hypothesis) built to hit ties, vetoes, caps, quotas and budget scaling."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import DEMO, assert_matches_reference, examples, run_cli, write_folder
from tests.reference import compute


def test_demo_matches_reference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run_cli(capsys, "run", DEMO, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb")
    assert rc == 0, err
    assert_matches_reference(tmp_path / "out", compute(DEMO))


def _dec(draw: st.DrawFn, lo: int, hi: int, places: int) -> str:
    n = draw(st.integers(lo * 10**places, hi * 10**places))
    text = f"{n / 10**places:.{places}f}" if places else str(n)
    return text


@st.composite
def campaigns(draw: st.DrawFn, complete: bool = False) -> dict[str, str]:
    """A random campaign folder; ``complete``: every period has every value (a finished year)."""
    n_periods = draw(st.integers(1, 4))
    periods = [f"P{k}" for k in range(1, n_periods + 1)]
    cats = ["a", "b"][: draw(st.integers(1, 2))]
    kinds = draw(
        st.lists(
            st.sampled_from(
                ["score", "linear", "tiers", "bonus", "penalty", "veto", "relative", "rank_points"]
            ),
            min_size=1,
            max_size=6,
        )
    )
    inds = []
    for k, kind in enumerate(kinds):
        ind: dict[str, object] = {"id": f"i{k}", "kind": kind}
        if len(cats) > 1 and draw(st.booleans()):
            ind["categories"] = [draw(st.sampled_from(cats))]
        if kind in ("score", "bonus", "penalty"):
            ind["points"] = draw(st.sampled_from(["5", "10", "2.5", "40"]))
            if kind != "score" and draw(st.booleans()):  # counted: each x count, up to points
                ind["each"] = draw(st.sampled_from(["1", "2", "0.5", "3.3"]))
        elif kind == "linear":
            lo = draw(st.integers(-5, 20))
            hi = draw(st.integers(-5, 40).filter(lambda x, lo=lo: x != lo))
            ind.update(floor=str(lo), target=str(hi), points=draw(st.sampled_from(["15", "30", "7.5", "13"])))
        elif kind == "relative":
            ind.update(
                points=draw(st.sampled_from(["10", "7.5", "13"])),
                method=draw(st.sampled_from(["ratio", "minmax"])),
                better=draw(st.sampled_from(["higher", "lower"])),
            )
        elif kind == "rank_points":
            first = draw(st.integers(1, 12))
            drops = draw(st.lists(st.integers(0, 3), min_size=0, max_size=3))
            places = [first]
            for d in drops:
                places.append(max(places[-1] - d, 0))
            ind.update(
                points_by_rank="[" + ", ".join(map(str, places)) + "]",
                better=draw(st.sampled_from(["higher", "lower"])),
                rest=str(draw(st.integers(0, places[-1]))),
            )
        elif kind == "tiers":
            tiers = []
            for _ in range(draw(st.integers(1, 3))):
                bound = draw(st.sampled_from(["min", "max", "range"]))
                tier: dict[str, object] = {}
                if bound == "range":
                    lo = draw(st.integers(0, 15))
                    tier.update(min=lo, max=lo + draw(st.integers(0, 8)))
                else:
                    tier[bound] = draw(st.integers(0, 20))
                tier["points"] = draw(st.sampled_from(["1", "4", "10", "2.5"]))
                tiers.append(tier)
            ind["tiers"] = tiers
        if kind in ("score", "linear", "tiers", "relative", "rank_points") and draw(st.integers(0, 2)) == 0:
            ind["not_applicable"] = "allowed"
        inds.append(ind)

    n_units = draw(st.integers(2, 8))
    pool = [f"s{k}" for k in range(draw(st.integers(1, n_units)))]
    units = ["unit_id,name,category,secretary_id,secretary_name"]
    unit_cat = {}
    for k in range(n_units):
        uid = f"u{k}"
        unit_cat[uid] = draw(st.sampled_from(cats))
        sid = draw(st.sampled_from([*pool, ""]))
        units.append(f"{uid},单位{k},{unit_cat[uid]},{sid},{'书记' + sid if sid else ''}")
    secretaries = ["unit_id,period,secretary_id,secretary_name"]
    for uid in unit_cat:
        if draw(st.integers(0, 3)) == 0:
            for p in periods:
                if draw(st.integers(0, 4)) > 0:
                    sid = draw(st.sampled_from(pool))
                    secretaries.append(f"{uid},{p},{sid},书记{sid}")

    missing = draw(st.sampled_from(["error", "zero"]))
    # a year in progress: the periods after the first ``entered`` have no value yet, and under
    # missing: error a period may lack one value (spec step 3)
    some = st.sampled_from([len(periods)] * 3 + list(range(len(periods))))
    entered = len(periods) if complete else draw(some)
    lacking = draw(st.sampled_from([None, None, *periods])) if missing == "error" and not complete else None
    values = ["unit_id,period,indicator_id,value"]
    for uid, c in unit_cat.items():
        for p in periods:
            for ind in inds:
                if "categories" in ind and c not in ind["categories"]:  # type: ignore[operator]
                    continue
                if periods.index(p) >= entered:
                    continue
                if missing == "zero" and draw(st.integers(0, 5)) == 0:
                    continue
                if p == lacking:  # the period's first applicable cell stays empty
                    lacking = None
                    continue
                kind = ind["kind"]
                places = draw(st.integers(0, 3))
                if "not_applicable" in ind and draw(st.integers(0, 3)) == 0:
                    v = draw(st.sampled_from(["不涉及", "NA", "na"]))
                elif "each" in ind:
                    v = _dec(draw, 0, 8, draw(st.integers(0, 1)))
                elif kind == "veto":
                    v = "1" if draw(st.integers(0, 9)) == 0 else "0"
                elif kind in ("score", "bonus", "penalty"):
                    top = float(str(ind["points"]))
                    v = _dec(draw, 0, int(top), places)
                    if float(v) > top:
                        v = str(ind["points"])
                elif kind == "linear":
                    v = _dec(draw, -10, 45, places)
                else:
                    v = _dec(draw, 0, 25, places)
                values.append(f"{uid},{p},{ind['id']},{v}")

    non_veto = [str(i["id"]) for i in inds if i["kind"] != "veto"]
    tie_break = draw(st.lists(st.sampled_from(non_veto), unique=True, max_size=2)) if non_veto else []
    levels = draw(st.lists(st.integers(1, 5), unique=True, max_size=3))
    stars = []
    for lvl in levels:
        item = f"{{stars: {lvl}, min_score: {draw(st.integers(-10, 60))}"
        if draw(st.booleans()):
            item += f", max_share: {draw(st.sampled_from(['0.1', '0.25', '0.5', '1']))}"
        stars.append(item + "}")
    lines = [
        "format: starscore/1",
        "campaign: {id: rnd, name: 随机, year: 2024, periods: [" + ", ".join(periods) + "]}",
        f"annual_score: {draw(st.sampled_from(['mean', 'sum']))}",
        f"missing: {missing}",
        "categories:",
        *[f"  - {{id: {c}, name: 类{c}}}" for c in cats],
        "indicators:",
    ]
    for ind in inds:
        parts = [f"id: {ind['id']}", f"name: 指标{ind['id']}", f"kind: {ind['kind']}"]
        for key in (
            "points",
            "floor",
            "target",
            "method",
            "better",
            "points_by_rank",
            "rest",
            "each",
            "not_applicable",
        ):
            if key in ind:
                parts.append(f"{key}: {ind[key]}")
        if "categories" in ind:
            parts.append(f"categories: [{ind['categories'][0]}]")  # type: ignore[index]
        if "tiers" in ind:
            tiers = ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in t.items()) + "}" for t in ind["tiers"])  # type: ignore[attr-defined]
            parts.append(f"tiers: [{tiers}]")
        lines.append("  - {" + ", ".join(parts) + "}")
    if tie_break:
        lines.append("ranking: {tie_break: [" + ", ".join(tie_break) + "]}")
    if stars:
        lines += ["stars:", *[f"  - {s}" for s in stars]]
    if draw(st.booleans()):
        lines.append(f"flags: {{top_n: {draw(st.integers(1, 2))}, min_score: {draw(st.integers(-5, 30))}}}")
    amounts = ", ".join(f"{lvl}: {draw(st.sampled_from([10000, 30000, 100000, 12345.67]))}" for lvl in levels)
    lines += [
        "awards:",
        f"  stars: {{{amounts}}}",
        f"  flag: {draw(st.sampled_from([0, 10000, 30000]))}",
        f"  community_cap: {draw(st.sampled_from([150000, 50000, 20000]))}",
        f"  secretary_share: {draw(st.sampled_from(['0', '0.25', '0.333333', '1']))}",
        f"  secretary_cap: {draw(st.sampled_from([37500, 5000]))}",
        f"  rounding: {draw(st.sampled_from(['1', '100', '0.01', '50']))}",
    ]
    if draw(st.booleans()):
        lines.append(f"  budget: {draw(st.sampled_from([0, 1000, 45678.9, 200000, 10**7]))}")
    baseline = None
    if draw(st.booleans()):  # 进步奖 against last year's results, for some units
        by = draw(st.sampled_from(["rank", "score"]))
        lines.append(
            f"  progress: {{by: {by}, top_n: {draw(st.integers(1, 3))}, amount: "
            f"{draw(st.sampled_from([5000, 20000, 99999.99]))}}}"
        )
        baseline = ["unit_id,annual_score,annual_rank"]
        for uid in unit_cat:
            if draw(st.integers(0, 3)) > 0:
                score_text = draw(st.sampled_from(["", _dec(draw, -5, 60, 2)]))
                rank_text = draw(st.sampled_from(["", str(draw(st.integers(1, 8)))]))
                baseline.append(f"{uid},{score_text},{rank_text}")
    files = {
        "campaign.yaml": "\n".join(lines) + "\n",
        "units.csv": "\n".join(units) + "\n",
        "values.csv": "\n".join(values) + "\n",
    }
    if len(secretaries) > 1:
        files["secretaries.csv"] = "\n".join(secretaries) + "\n"
    if baseline is not None:
        files["baseline.csv"] = "\n".join(baseline) + "\n"
    return files


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=campaigns())
def test_random_campaigns_match_reference(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "c", dict(files))
        rc, _, err = run_cli(
            capsys, "run", folder, "--out", Path(tmp) / "out", "--db", Path(tmp) / "db.duckdb"
        )
        ref = compute(folder)
        assert rc == (0 if ref["year_complete"] else 1), err + "\n" + files["campaign.yaml"]
        assert_matches_reference(Path(tmp) / "out", ref)
