"""The worked examples of the spec, each as a tiny campaign run through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import read_csv, run_cli, write_folder

HEAD = """format: starscore/1
campaign: {{id: ex, name: 例子, year: 2024, periods: [{periods}]}}
annual_score: {annual}
missing: error
categories:
{categories}
indicators:
{indicators}
"""


def campaign(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *,
    indicators: str,
    values: list[tuple[str, str, str, str]],
    units: list[tuple[str, str, str]],
    periods: str = "P1",
    categories: str = "  - {id: c, name: 类}",
    annual: str = "mean",
    extra: str = "",
    secretaries: str | None = None,
) -> Path:
    files = {
        "campaign.yaml": HEAD.format(
            periods=periods, annual=annual, categories=categories, indicators=indicators
        )
        + extra,
        "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
        + "".join(f"{u},{u}名,{c},{s},{s}\n" for u, c, s in units),
        "values.csv": "unit_id,period,indicator_id,value\n" + "".join(",".join(v) + "\n" for v in values),
    }
    if secretaries:
        files["secretaries.csv"] = secretaries
    folder = write_folder(tmp_path / "c", files)
    rc, _, err = run_cli(capsys, "run", folder, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb")
    assert rc == 0, err
    return tmp_path / "out"


def points_of(out: Path) -> dict[tuple[str, str], str]:
    return {(r["unit_id"], r["indicator_id"]): r["points"] for r in read_csv(out / "points.csv")}


def test_linear_rounds_exact_value_half_away(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s1")],
        indicators="  - {id: x, name: X, kind: linear, floor: 0, target: 40, points: 30}",
        values=[("u1", "P1", "x", "3.1")],
    )
    assert points_of(out)[("u1", "x")] == "2.33"


def test_linear_lower_is_better_and_clamps(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s"), ("u2", "c", "s"), ("u3", "c", "s")],
        indicators="  - {id: x, name: X, kind: linear, floor: 10, target: 2, points: 15}",
        values=[("u1", "P1", "x", "3"), ("u2", "P1", "x", "12"), ("u3", "P1", "x", "1")],
    )
    p = points_of(out)
    assert (p[("u1", "x")], p[("u2", "x")], p[("u3", "x")]) == ("13.13", "0", "15")


def test_tiers_first_holding_tier_wins(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s"), ("u2", "c", "s"), ("u3", "c", "s")],
        indicators="  - {id: x, name: X, kind: tiers, tiers: [{max: 2, points: 10}, {max: 5, points: 4}]}",
        values=[("u1", "P1", "x", "2"), ("u2", "P1", "x", "3"), ("u3", "P1", "x", "6")],
    )
    p = points_of(out)
    assert (p[("u1", "x")], p[("u2", "x")], p[("u3", "x")]) == ("10", "4", "0")


def test_score_bonus_penalty_veto_points(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s")],
        indicators="\n".join(
            [
                "  - {id: s, name: S, kind: score, points: 20}",
                "  - {id: b, name: B, kind: bonus, points: 5}",
                "  - {id: p, name: P, kind: penalty, points: 10}",
                "  - {id: v, name: V, kind: veto}",
            ]
        ),
        values=[
            ("u1", "P1", "s", "17.125"),
            ("u1", "P1", "b", "2"),
            ("u1", "P1", "p", "3.5"),
            ("u1", "P1", "v", "0"),
        ],
    )
    p = points_of(out)
    assert (p[("u1", "s")], p[("u1", "b")], p[("u1", "p")], p[("u1", "v")]) == ("17.13", "2", "-3.5", "0")
    assert read_csv(out / "period_results.csv")[0]["score"] == "15.63"


def test_mean_of_period_scores_rounds_exactly(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s")],
        periods="P1, P2",
        indicators="  - {id: s, name: S, kind: score, points: 100}",
        values=[("u1", "P1", "s", "74.33"), ("u1", "P2", "s", "90")],
    )
    assert read_csv(out / "annual_results.csv")[0]["annual_score"] == "82.17"


def test_sum_of_period_scores(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s")],
        periods="P1, P2",
        annual="sum",
        indicators="  - {id: s, name: S, kind: score, points: 100}",
        values=[("u1", "P1", "s", "74.33"), ("u1", "P2", "s", "90")],
    )
    assert read_csv(out / "annual_results.csv")[0]["annual_score"] == "164.33"


RANK_UNITS = [("u1", "c", "s"), ("u2", "c", "s"), ("u3", "c", "s"), ("u4", "c", "s")]
RANK_IND = "  - {id: s, name: S, kind: score, points: 100}\n  - {id: pb, name: PB, kind: bonus, points: 50}"


def _rank_values(pb: tuple[str, str, str, str]) -> list[tuple[str, str, str, str]]:
    # scores 90, 85, 85, 80 including the pb bonus
    totals = ("90", "85", "85", "80")
    return [
        v
        for k, u in enumerate(("u1", "u2", "u3", "u4"))
        for v in ((u, "P1", "s", str(int(totals[k]) - int(pb[k]))), (u, "P1", "pb", pb[k]))
    ]


def _ranks(out: Path) -> dict[str, tuple[str, str]]:
    return {r["unit_id"]: (r["rank"], r["flag"]) for r in read_csv(out / "period_results.csv")}


@pytest.mark.parametrize(
    ("ranking", "expected_ranks", "expected_flags"),
    [
        # competition ranks: equal scores share a rank and the next rank is skipped
        ("", ["1", "2", "2", "4"], ["1", "1", "1", "0"]),
        # the tie-break indicator's points order equal scores
        ("ranking: {tie_break: [pb]}\n", ["1", "2", "3", "4"], ["1", "1", "0", "0"]),
    ],
    ids=["without_tie_break", "tie_break_orders_equal_scores"],
)
def test_competition_ranks_and_tie_break(tmp_path, capsys, ranking, expected_ranks, expected_flags):
    out = campaign(
        tmp_path,
        capsys,
        units=RANK_UNITS,
        indicators=RANK_IND,
        values=_rank_values(("30", "38", "36", "30")),
        extra=ranking + "flags: {top_n: 2}\n",
    )
    ranks = _ranks(out)
    assert [ranks[u][0] for u in ("u1", "u2", "u3", "u4")] == expected_ranks
    assert [ranks[u][1] for u in ("u1", "u2", "u3", "u4")] == expected_flags


def test_flag_needs_min_score_and_vetoed_units_have_no_rank(tmp_path, capsys):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s"), ("u2", "c", "s"), ("u3", "c", "s")],
        indicators="  - {id: s, name: S, kind: score, points: 100}\n  - {id: v, name: V, kind: veto}",
        values=[
            ("u1", "P1", "s", "95"),
            ("u1", "P1", "v", "1"),
            ("u2", "P1", "s", "79.99"),
            ("u2", "P1", "v", "0"),
            ("u3", "P1", "s", "50"),
            ("u3", "P1", "v", "0"),
        ],
        extra="flags: {top_n: 1, min_score: 80}\n",
    )
    rows = {r["unit_id"]: r for r in read_csv(out / "period_results.csv")}
    assert (rows["u1"]["rank"], rows["u1"]["vetoed"], rows["u1"]["flag"]) == ("", "1", "0")
    assert (rows["u2"]["rank"], rows["u2"]["flag"]) == ("1", "0")
    assert rows["u3"]["rank"] == "2"
    annual = {r["unit_id"]: r for r in read_csv(out / "annual_results.csv")}
    assert annual["u1"]["annual_rank"] == "" and annual["u1"]["vetoed"] == "1"


def test_star_quota_is_floor_of_share_times_ranked_units(tmp_path, capsys):
    units = [(f"u{k}", "c", "s") for k in range(1, 6)]
    scores = ["95", "94", "93", "60", "50"]
    out = campaign(
        tmp_path,
        capsys,
        units=units,
        indicators="  - {id: s, name: S, kind: score, points: 100}",
        values=[(u[0], "P1", "s", scores[k]) for k, u in enumerate(units)],
        extra="stars:\n  - {stars: 5, min_score: 90, max_share: 0.25}\n  - {stars: 3, min_score: 55}\n",
    )
    stars = {r["unit_id"]: r["stars"] for r in read_csv(out / "annual_results.csv")}
    assert stars == {"u1": "5", "u2": "3", "u3": "3", "u4": "3", "u5": "0"}


def test_awards_worked_example(tmp_path, capsys):
    """The spec's award example: caps, secretary tenure, budget 400,000 and 5/6 scaling."""
    cats = "\n".join(f"  - {{id: c{u}, name: 类{u}}}" for u in "ABCDE")
    units = [("A", "cA", "X"), ("B", "cB", "X"), ("C", "cC", "Q"), ("D", "cD", "W"), ("E", "cE", "V")]
    per = {"A": ("95", "95"), "B": ("60", "40"), "C": ("40", "60"), "D": ("95", "95"), "E": ("60", "40")}
    values = [(u, p, "s", per[u][k]) for u in per for k, p in enumerate(("P1", "P2"))]
    out = campaign(
        tmp_path,
        capsys,
        units=units,
        periods="P1, P2",
        categories=cats,
        indicators="  - {id: s, name: S, kind: score, points: 100}",
        values=values,
        secretaries="unit_id,period,secretary_id,secretary_name\nC,P1,Y,Y\nC,P2,Z,Z\n",
        extra="stars:\n  - {stars: 5, min_score: 90}\nflags: {top_n: 1, min_score: 50}\n"
        "awards:\n  stars: {5: 100000}\n  flag: 30000\n  community_cap: 150000\n"
        "  secretary_share: 0.25\n  secretary_cap: 37500\n  budget: 400000\n"
        "  rounding: 100\n",
    )
    pay = {
        (r["payee_type"], r["payee_id"]): (r["gross"], r["capped"], r["final"])
        for r in read_csv(out / "payouts.csv")
    }
    assert pay[("community", "A")] == ("160000", "150000", "125000")
    assert pay[("community", "B")] == ("30000", "30000", "25000")
    assert pay[("secretary", "X")] == ("45000", "37500", "31200")
    assert pay[("secretary", "Y")] == ("3750", "3750", "3100")
    assert pay[("secretary", "Z")] == ("3750", "3750", "3100")
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["total_before_scaling"] == 480000
    assert summary["scale_factor_fraction"] == "5/6"
    assert summary["total_final"] == 399800
    assert summary["unallocated"] == 200
    assert sum(int(v[2]) for v in pay.values()) == summary["total_final"]


def test_penalty_counted_up_to_its_points(tmp_path, capsys):
    # 每发生一起扣2分，扣完为止: 3 incidents → −6; 7 → −10; 0 → 0
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s1"), ("u2", "c", "s2"), ("u3", "c", "s3")],
        indicators="  - {id: inc, name: 安全事件, kind: penalty, each: 2, points: 10}",
        values=[("u1", "P1", "inc", "3"), ("u2", "P1", "inc", "7"), ("u3", "P1", "inc", "0")],
    )
    got = points_of(out)
    assert (got[("u1", "inc")], got[("u2", "inc")], got[("u3", "inc")]) == ("-6", "-10", "0")


NA_RULES = """  - {id: a, name: 甲, kind: score, points: 20, not_applicable: allowed}
  - {id: b, name: 乙, kind: score, points: 30, not_applicable: allowed}
  - {id: c, name: 丙, kind: score, points: 50, not_applicable: allowed}
  - {id: h, name: 荣誉, kind: bonus, points: 5}"""


@pytest.mark.parametrize(
    ("a", "b", "c", "bonus", "score"),
    [
        ("16", "24", "不涉及", "2", "82"),  # 40 × 100 / 50 + 2
        ("15.5", "20.25", "NA", "0", "71.5"),  # 35.75 × 2
        ("15.33", "不涉及", "40", "0", "79.04"),  # 55.33 × 100 / 70 = 79.0428…
        ("不涉及", "不涉及", "不涉及", "3", "3"),  # A = 0: the bonus alone
    ],
)
def test_not_applicable_rescales_the_base(tmp_path, capsys, a, b, c, bonus, score):
    out = campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s1")],
        indicators=NA_RULES,
        values=[("u1", "P1", "a", a), ("u1", "P1", "b", b), ("u1", "P1", "c", c), ("u1", "P1", "h", bonus)],
    )
    assert read_csv(out / "period_results.csv")[0]["score"] == score
    na = [r for r in read_csv(out / "points.csv") if r["value"] == "不涉及"]
    assert na and all(r["points"] == "" for r in na)


def test_explain_shows_counts_and_the_rescaling(tmp_path, capsys):
    indicators = NA_RULES + "\n  - {id: inc, name: 安全事件, kind: penalty, each: 2, points: 10}"
    campaign(
        tmp_path,
        capsys,
        units=[("u1", "c", "s1")],
        indicators=indicators,
        values=[
            ("u1", "P1", "a", "16"),
            ("u1", "P1", "b", "24"),
            ("u1", "P1", "c", "不涉及"),
            ("u1", "P1", "h", "2"),
            ("u1", "P1", "inc", "7"),
        ],
    )
    rc, said, err = run_cli(
        capsys, "explain", "u1", "--campaign", "ex", "--period", "P1", "--db", tmp_path / "db.duckdb"
    )
    assert rc == 0, err
    assert "7 次 × 2 分 = 14 分，超过上限按 10 分计" in said
    assert "不涉及" in said
    # 40 × 100 ÷ 50 + (2 − 10) = 72
    assert "基础指标 40 × 类别基础满分 100 ÷ 适用项目满分 50 + 加减分 -8 = 72" in said
