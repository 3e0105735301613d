"""The kinds that compare a unit with its field (relative: 按比例折算, rank_points: 按排名赋分):
the spec's worked examples, the field's edges, and the rules they are refused under."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.test_spec_examples import campaign, points_of
from tests.helpers import read_csv, run_cli, write_folder

FIVE = [("u1", "c", "s"), ("u2", "c", "s"), ("u3", "c", "s"), ("u4", "c", "s"), ("u5", "c", "s")]


def field(tmp_path: Path, capsys: pytest.CaptureFixture[str], indicator: str, values: list[str], **kw):
    units = FIVE[: len(values)]
    rows = [(u, "P1", "x", v) for (u, _, _), v in zip(units, values, strict=True) if v != ""]
    out = campaign(tmp_path, capsys, units=units, indicators=f"  - {indicator}", values=rows, **kw)
    p = points_of(out)
    return [p.get((u, "x"), "") for u, _, _ in units]


def test_relative_ratio_higher_is_share_of_the_best(tmp_path, capsys):
    got = field(tmp_path, capsys, "{id: x, name: X, kind: relative, points: 10}", ["50", "40", "0"])
    assert got == ["10", "8", "0"]


def test_relative_ratio_lower_is_the_best_over_the_value(tmp_path, capsys):
    got = field(
        tmp_path,
        capsys,
        "{id: x, name: X, kind: relative, method: ratio, better: lower, points: 10}",
        ["2", "3", "8"],
    )
    assert got == ["10", "6.67", "2.5"]


def test_relative_minmax_higher(tmp_path, capsys):
    got = field(
        tmp_path, capsys, "{id: x, name: X, kind: relative, method: minmax, points: 10}", ["50", "40", "20"]
    )
    assert got == ["10", "6.67", "0"]


def test_relative_minmax_lower_and_a_flat_field_earns_full_points(tmp_path, capsys):
    spec = "{id: x, name: X, kind: relative, method: minmax, better: lower, points: 10}"
    assert field(tmp_path / "a", capsys, spec, ["50", "40", "20"]) == ["0", "3.33", "10"]
    assert field(tmp_path / "b", capsys, spec, ["7", "7"]) == ["10", "10"]


def test_relative_ratio_edges_best_zero_and_value_zero(tmp_path, capsys):
    higher = "{id: x, name: X, kind: relative, points: 10}"
    assert field(tmp_path / "a", capsys, higher, ["0", "0"]) == ["0", "0"]
    lower = "{id: x, name: X, kind: relative, better: lower, points: 10}"
    assert field(tmp_path / "b", capsys, lower, ["0", "4"]) == ["10", "0"]


def test_rank_points_spec_example_ties_share_a_place(tmp_path, capsys):
    got = field(
        tmp_path,
        capsys,
        "{id: x, name: X, kind: rank_points, better: higher, points_by_rank: [10, 8, 6], rest: 2}",
        ["90", "85", "85", "70", "60"],
    )
    assert got == ["10", "8", "8", "2", "2"]


def test_rank_points_lower_is_better_and_rest_defaults_to_zero(tmp_path, capsys):
    got = field(
        tmp_path,
        capsys,
        "{id: x, name: X, kind: rank_points, better: lower, points_by_rank: [5, 3]}",
        ["3", "1", "2", "9"],
    )
    assert got == ["0", "5", "3", "0"]


def test_the_field_is_the_category_and_period_and_excludes_units_without_a_value(tmp_path, capsys):
    """Two categories rank apart; under missing: zero a unit with no value earns 0 and is not in
    the field, so the best of those with a value still earns full points."""
    out = campaign(
        tmp_path,
        capsys,
        units=[("a1", "a", "s"), ("a2", "a", "s"), ("b1", "b", "s"), ("b2", "b", "s")],
        categories="  - {id: a, name: 甲}\n  - {id: b, name: 乙}",
        indicators="  - {id: x, name: X, kind: relative, points: 10}\n"
        "  - {id: r, name: R, kind: rank_points, points_by_rank: [4, 1]}",
        periods="P1, P2",
        values=[
            ("a1", "P1", "x", "100"),
            ("a2", "P1", "x", "50"),
            ("b1", "P1", "x", "5"),
            ("b2", "P1", "x", "4"),
            ("a1", "P2", "x", "10"),
            ("a2", "P2", "x", "20"),
            ("b1", "P2", "x", "1"),
            ("a1", "P1", "r", "1"),
            ("a2", "P1", "r", "2"),
            ("b1", "P1", "r", "1"),
            ("b2", "P1", "r", "2"),
            ("a1", "P2", "r", "1"),
            ("a2", "P2", "r", "2"),
            ("b1", "P2", "r", "1"),
        ],
        extra="missing: zero\n",
    )
    got = {(r["period"], r["unit_id"], r["indicator_id"]): r["points"] for r in read_csv(out / "points.csv")}
    assert got[("P1", "a2", "x")] == "5" and got[("P1", "b2", "x")] == "8"
    assert got[("P2", "a1", "x")] == "5" and got[("P2", "b1", "x")] == "10"
    assert got[("P2", "b2", "x")] == "0"
    assert got[("P1", "a2", "r")] == "4" and got[("P1", "a1", "r")] == "1"
    scores = {(r["period"], r["unit_id"]): r["score"] for r in read_csv(out / "period_results.csv")}
    assert scores[("P1", "a1")] == "11" and scores[("P2", "b2")] == "0"


def test_a_vetoed_unit_stays_in_the_field(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s"), ("u2", "c", "s")],
        indicators="  - {id: x, name: X, kind: relative, points: 10}\n  - {id: v, name: V, kind: veto}",
        values=[
            ("u1", "P1", "x", "80"),
            ("u2", "P1", "x", "40"),
            ("u1", "P1", "v", "1"),
            ("u2", "P1", "v", "0"),
        ],
    )
    assert points_of(out)[("u2", "x")] == "5"


def _refused(tmp_path: Path, capsys, indicator: str, values: str = "u1,P1,x,1\n") -> str:
    folder = write_folder(
        tmp_path / "bad",
        {
            "campaign.yaml": "format: starscore/1\ncampaign: {id: ex, name: 例, periods: [P1]}\n"
            "categories: [{id: c, name: 类}]\nindicators:\n  - " + indicator + "\n",
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\nu1,甲,c,s,张\n",
            "values.csv": "unit_id,period,indicator_id,value\n" + values,
        },
    )
    rc, _, err = run_cli(capsys, "run", folder, "--out", tmp_path / "o", "--db", tmp_path / "d.duckdb")
    assert rc != 0
    return err


def test_an_increasing_rank_list_is_refused_naming_the_line(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "{id: x, name: X, kind: rank_points, points_by_rank: [10, 12, 6]}")
    assert ("campaign.yaml" in err and "第2名" not in err and "第2" in err) or "12" in err
    assert "高于前一名" in err


def test_a_rank_list_above_the_points_or_a_rest_above_the_last_place_is_refused(tmp_path, capsys):
    err = _refused(
        tmp_path / "a", capsys, "{id: x, name: X, kind: rank_points, points: 8, points_by_rank: [10, 6]}"
    )
    assert "超过了该指标的分值 8" in err
    err = _refused(
        tmp_path / "b", capsys, "{id: x, name: X, kind: rank_points, points_by_rank: [10, 6], rest: 7}"
    )
    assert "rest" in err and "6" in err


def test_a_negative_value_under_ratio_is_refused_with_file_and_row(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "{id: x, name: X, kind: relative, points: 10}", "u1,P1,x,-3\n")
    assert "values.csv" in err and "第2行" in err and "-3" in err


def test_a_negative_value_under_minmax_is_scored(tmp_path, capsys):
    got = field(
        tmp_path, capsys, "{id: x, name: X, kind: relative, method: minmax, points: 10}", ["-5", "5", "0"]
    )
    assert got == ["0", "10", "5"]


def test_relative_needs_points_and_refuses_tier_fields(tmp_path, capsys):
    err = _refused(tmp_path / "a", capsys, "{id: x, name: X, kind: relative}")
    assert "points" in err
    err = _refused(tmp_path / "b", capsys, "{id: x, name: X, kind: relative, points: 5, rest: 1}")
    assert "rest" in err
