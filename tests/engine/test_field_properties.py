"""Properties of the field kinds over random fields (hypothesis): a better value never earns
fewer points, equal values earn equal points (ties share a place), points stay in 0..points."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import examples, read_csv, run_cli, write_folder


@st.composite
def fields(draw: st.DrawFn) -> tuple[dict[str, str], bool, bool, Fraction, Fraction]:
    method = draw(st.sampled_from(["ratio", "minmax"]))
    rel_lower = draw(st.booleans())
    rank_lower = draw(st.booleans())
    places = sorted(draw(st.lists(st.integers(0, 20), min_size=1, max_size=5)), reverse=True)
    rest = draw(st.integers(0, places[-1]))
    n = draw(st.integers(1, 9))
    low = 0 if method == "ratio" else -50
    values = [draw(st.integers(low * 100, 5000)) for _ in range(n)]
    yaml = (
        "format: starscore/1\ncampaign: {id: f, name: 场, periods: [P1]}\n"
        "categories: [{id: c, name: 类}]\nindicators:\n"
        f"  - {{id: rel, name: 比例, kind: relative, method: {method}, "
        f"better: {'lower' if rel_lower else 'higher'}, points: 12.5}}\n"
        f"  - {{id: rk, name: 排名, kind: rank_points, better: {'lower' if rank_lower else 'higher'}, "
        f"points_by_rank: [{', '.join(map(str, places))}], rest: {rest}}}\n"
    )
    units = "unit_id,name,category,secretary_id,secretary_name\n" + "".join(
        f"u{k},单位{k},c,s{k},书记{k}\n" for k in range(n)
    )
    rows = "".join(f"u{k},P1,{i},{v / 100}\n" for k, v in enumerate(values) for i in ("rel", "rk"))
    files = {
        "campaign.yaml": yaml,
        "units.csv": units,
        "values.csv": "unit_id,period,indicator_id,value\n" + rows,
    }
    return files, rel_lower, rank_lower, Fraction(places[0]), Fraction(rest)


@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=fields())
def test_better_never_earns_less_and_points_stay_in_range(case, capsys: pytest.CaptureFixture[str]) -> None:
    files, rel_lower, rank_lower, first, _rest = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "c", files)
        rc, _, err = run_cli(capsys, "run", folder, "--out", Path(tmp) / "o", "--db", Path(tmp) / "d.duckdb")
        assert rc == 0, err
        rows = read_csv(Path(tmp) / "o" / "points.csv")
    for ind, lower, top in (("rel", rel_lower, Fraction("12.5")), ("rk", rank_lower, first)):
        got = [(Fraction(r["value"]), Fraction(r["points"])) for r in rows if r["indicator_id"] == ind]
        for _, p in got:
            assert 0 <= p <= top
        for va, pa in got:
            for vb, pb in got:
                if va == vb:
                    assert pa == pb  # equal values share a place and earn the same
                elif (va < vb) == lower:  # a is the better value
                    assert pa >= pb, (ind, va, pa, vb, pb)
