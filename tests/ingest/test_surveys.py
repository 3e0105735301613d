"""Residents' surveys: the spec's worked example, an independent exact computation over
random answers, every problem named by file and row, respondents below the minimum, excluded
rows, intervals, Excel with Chinese headers, re-import audited like values."""

from __future__ import annotations

import math
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.app.imports import import_campaign
from scoring.ingest.surveys import t_quantile, wilson
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import examples, read_csv, run_cli, write_folder

YAML = """format: starscore/1
campaign: {{id: sv, name: 满意度, periods: [P1, P2]}}
categories: [{{id: c, name: 类}}]
missing: zero
indicators:
  - {{id: sat, name: 群众满意度, kind: linear, floor: 0, target: 100, points: 20}}
  - {{id: pb, name: 党建, kind: score, points: 10}}
surveys:
  - {{indicator: sat, scale: [{low}, {high}], measure: {measure}{extra}, min_responses: {min}}}
"""
UNITS = (
    "unit_id,name,category,secretary_id,secretary_name\n"
    "u1,甲社区,c,s1,张\nu2,乙社区,c,s2,李\nu3,丙村,c,s3,王\n"
)
HEAD = "unit_id,period,indicator_id,respondent_id,item,answer,status\n"


def folder(tmp: Path, answers: str, *, measure="mean", extra="", low=1, high=5, min_n=1, values="") -> Path:
    return write_folder(
        tmp / "c",
        {
            "campaign.yaml": YAML.format(measure=measure, extra=extra, low=low, high=high, min=min_n),
            "units.csv": UNITS,
            "values.csv": "unit_id,period,indicator_id,value\n" + values,
            "surveys.csv": HEAD + answers,
        },
    )


def values_of(out: Path) -> dict[tuple[str, str], str]:
    return {
        (r["unit_id"], r["period"]): r["value"]
        for r in read_csv(out / "points.csv")
        if r["indicator_id"] == "sat"
    }


def run(tmp: Path, capsys, src: Path) -> tuple[int, str, str]:
    return run_cli(capsys, "run", src, "--out", tmp / "out", "--db", tmp / "d.duckdb")


SPEC = "u1,P1,sat,a,q1,5,\nu1,P1,sat,b,q1,4,\nu1,P1,sat,c,q1,4,\nu1,P1,sat,c,q2,5,\n"


def test_the_spec_example_mean_and_share(tmp_path, capsys):
    _, out, err = run(tmp_path / "m", capsys, folder(tmp_path / "m", SPEC))
    assert values_of(tmp_path / "m" / "out")[("u1", "P1")] == "87.5", err
    assert "满意度调查“群众满意度”" in out
    share = folder(tmp_path / "s", SPEC, measure="share", extra=", satisfied_from: 4.5")
    run(tmp_path / "s", capsys, share)
    assert values_of(tmp_path / "s" / "out")[("u1", "P1")] == "66.67"


def test_excluded_rows_are_kept_but_not_counted_and_few_respondents_are_missing(tmp_path, capsys):
    answers = SPEC + "u1,P1,sat,d,q1,1,excluded\nu1,P1,sat,e,q1,1,剔除\nu2,P1,sat,a,q1,5,\n"
    src = folder(tmp_path, answers, min_n=3)
    rc, out, _ = run(tmp_path, capsys, src)
    assert values_of(tmp_path / "out")[("u1", "P1")] == "87.5"
    assert values_of(tmp_path / "out").get(("u2", "P1"), "") == ""  # a missing value
    assert "样本不足：单位 u2 P1 仅 1 名受访者，少于 3 名" in out
    con = connect(tmp_path / "d.duckdb")
    stored = con.execute(
        "SELECT count(*) FILTER (WHERE status = 'excluded'), count(*) FROM survey_answers"
    ).fetchall()
    con.close()
    assert stored == [(2, 7)]
    rc, out, _ = run_cli(capsys, "survey", "--campaign", "sv", "--db", tmp_path / "d.duckdb")
    assert rc == 0 and "不足（按缺失）" in out and "true" not in out and "false" not in out


def test_every_problem_is_named_by_file_and_row(tmp_path, capsys):
    answers = (
        "u9,P1,sat,a,q1,5,\n"  # row 2: unknown unit
        "u1,P7,sat,a,q1,5,\n"  # row 3: unknown period
        "u1,P1,pb,a,q1,5,\n"  # row 4: indicator without a survey
        "u1,P1,sat,a,q1,6,\n"  # row 5: outside the scale
        "u1,P1,sat,a,q1,4,\n"  # row 6: the same respondent and item again
        "u1,P1,sat,,q2,4,\n"  # row 7: no respondent
        "u1,P1,sat,b,q1,很好,\n"  # row 8: not a number
        "u1,P1,sat,c,q1,4,作废\n"  # row 9: unknown status
    )
    rc, _, err = run(tmp_path, capsys, folder(tmp_path, answers))
    assert rc != 0
    for row, words in (
        (2, "u9"),
        (3, "P7"),
        (4, "没有在 campaign.yaml 的 surveys 中声明"),
        (5, "不在评分范围 1 到 5 之内"),
        (6, "首次出现在第5行"),
        (7, "受访者编号为空"),
        (8, "很好"),
        (9, "作废"),
    ):
        assert any(f"surveys.csv:第{row}行" in line and words in line for line in err.splitlines()), (
            row,
            err,
        )


def test_a_value_in_values_csv_as_well_is_refused(tmp_path, capsys):
    rc, _, err = run(tmp_path, capsys, folder(tmp_path, SPEC, values="u1,P1,sat,80\n"))
    assert rc != 0 and "surveys.csv:第2行" in err and "values.csv 中又填了数值" in err


def test_excel_export_with_chinese_headers(tmp_path, capsys):
    src = folder(tmp_path, SPEC)
    (src / "surveys.csv").unlink()
    pl.DataFrame(
        {
            "单位编号": ["u1", "u1", "u1", "u1"],
            "期次": ["P1"] * 4,
            "指标编号": ["sat"] * 4,
            "答卷编号": ["a", "b", "c", "c"],
            "题目": ["q1", "q1", "q1", "q2"],
            "答案": [5, 4, 4, 5],
        }
    ).write_excel(src / "surveys.xlsx")
    _, _, err = run(tmp_path, capsys, src)
    assert values_of(tmp_path / "out")[("u1", "P1")] == "87.5", err


def test_reimport_is_audited_like_values(tmp_path, capsys):
    src = folder(tmp_path, SPEC)
    db = tmp_path / "d.duckdb"
    con = connect(db)
    import_campaign(con, read_campaign(src))
    (src / "surveys.csv").write_text(HEAD + SPEC.replace("b,q1,4", "b,q1,1"), encoding="utf-8")
    import_campaign(con, read_campaign(src), who="调查员")
    rows = con.execute(
        "SELECT old_value, new_value, who, source FROM audit_log "
        "WHERE indicator_id = 'sat' AND unit_id = 'u1'"
    ).fetchall()
    answers = con.execute("SELECT count(*) FROM survey_answers WHERE answer = 1").fetchall()[0][0]
    con.close()
    # respondents 5, 1 and (4 + 5) / 2: mean 3.5, 100 × 2.5 / 4 = 62.5, entered by the survey
    assert (Decimal("87.5"), Decimal("62.5"), "满意度调查", "import") in rows, rows
    assert answers == 1


def test_intervals_against_known_values():
    assert abs(t_quantile(0.975, 1) - 12.7062) < 1e-3
    assert abs(t_quantile(0.975, 5) - 2.5706) < 1e-4
    assert abs(t_quantile(0.975, 29) - 2.0452) < 1e-4
    assert abs(t_quantile(0.975, 1000) - 1.9623) < 1e-4
    low, high = wilson(8, 10)  # the Wilson interval of 8 of 10: 49.02 % to 94.33 %
    assert abs(low - 49.02) < 0.01 and abs(high - 94.33) < 0.01


def _exact(rows: list[tuple[str, str, str, int, bool]], measure: str, sat_from: Fraction, min_n: int):
    """The format's value per (unit, period), by hand: respondents' mean answers, then the mean
    or the share, rounded half away from zero."""
    by: dict[tuple[str, str], dict[str, list[int]]] = {}
    for unit, period, resp, answer, counted in rows:
        if counted:
            by.setdefault((unit, period), {}).setdefault(resp, []).append(answer)
    out = {}
    for key, people in by.items():
        scores = [Fraction(sum(a), len(a)) for a in people.values()]
        if len(scores) < min_n:
            continue
        if measure == "mean":
            x = 100 * (sum(scores) / len(scores) - 1) / 4
        else:
            x = Fraction(100 * sum(1 for s in scores if s >= sat_from), len(scores))
        q = math.floor(x * 100 + Fraction(1, 2))
        out[key] = format(Decimal(q).scaleb(-2).normalize(), "f")
    return out


@settings(
    max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["u1", "u2", "u3"]),
            st.sampled_from(["P1", "P2"]),
            st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r6", "r7"]),
            st.integers(1, 5),
            st.booleans() | st.just(True),
        ),
        min_size=1,
        max_size=60,
    ),
    measure=st.sampled_from(["mean", "share"]),
    sat_from=st.sampled_from(["3", "3.5", "4", "4.2"]),
    min_n=st.integers(1, 3),
)
def test_survey_values_match_an_independent_exact_computation(rows, measure, sat_from, min_n, capsys):
    lines, seen = [], set()
    full = []
    for unit, period, resp, answer, counted in rows:
        item = f"q{sum(1 for k in seen if k[:3] == (unit, period, resp)) + 1}"
        seen.add((unit, period, resp, item))
        full.append((unit, period, resp, answer, counted))
        lines.append(f"{unit},{period},sat,{resp},{item},{answer},{'' if counted else 'excluded'}\n")
    extra = f", satisfied_from: {sat_from}" if measure == "share" else ""
    with tempfile.TemporaryDirectory() as tmp:
        src = folder(Path(tmp), "".join(lines), measure=measure, extra=extra, min_n=min_n)
        rc, _, err = run(Path(tmp), capsys, src)
        assert rc in (0, 1), err
        got = {k: v for k, v in values_of(Path(tmp) / "out").items() if v != ""}
    assert got == _exact(full, measure, Fraction(sat_from), min_n)


@pytest.mark.parametrize("answers", [SPEC])
def test_the_bootstrap_resamples_respondents(tmp_path, capsys, answers):
    """With every respondent giving the same answer a resample changes nothing: ranks hold."""
    same = "".join(
        f"{u},{p},sat,r{k},q1,{a},\n"
        for u, a in (("u1", 5), ("u2", 3), ("u3", 1))
        for p in ("P1", "P2")
        for k in range(4)
    )
    src = folder(
        tmp_path, same, values="".join(f"{u},{p},pb,5\n" for u in ("u1", "u2", "u3") for p in ("P1", "P2"))
    )
    rc, _, err = run(tmp_path, capsys, src)
    assert rc == 0, err
    rc, out, _ = run_cli(
        capsys, "survey", "--campaign", "sv", "--db", tmp_path / "d.duckdb", "--bootstrap", "30"
    )
    assert rc == 0 and "重抽样 30 次" in out
    from scoring.analysis.surveys import bootstrap
    from scoring.engine.run import latest_run

    con = connect(tmp_path / "d.duckdb")
    frame = bootstrap(open_campaign(con, "sv"), latest_run(con, "sv"), 30)
    con.close()
    assert frame.height == 6
    assert (frame["rank_p05"] == frame["rank_now"]).all() and (frame["rank_p95"] == frame["rank_now"]).all()
    assert (frame["p_same_flag"] == 1).all()


def test_a_surveyed_value_is_not_edited_by_hand(tmp_path, capsys):
    from scoring.accounts.access import LOCAL_ADMIN
    from scoring.app.entry import save_values
    from scoring.core.errors import CampaignError

    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(folder(tmp_path, SPEC)))
    change = pl.DataFrame(
        {"unit_id": ["u1"], "period": ["P1"], "indicator_id": ["sat"], "value": ["99"], "_row": [1]}
    )
    with pytest.raises(CampaignError) as caught:
        save_values(open_campaign(con, "sv"), change, LOCAL_ADMIN)
    con.close()
    assert "由群众满意度调查得出" in caught.value.render("zh")
