"""A survey tool's export delivered as it comes (``shape: survey``): an answer sheet a row, an
item a column, answers as words; the values it makes are the ones the same answers make from
surveys.csv, a delivery replaces the unit's sheets for the period, every problem is named by
row and column, and the rules refuse a survey source that cannot work."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.analysis.surveys import survey_results
from scoring.app.deliveries import confirm, preview
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.core.money import plain
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import run_cli, write_folder

CID = "wjx-2023"
YAML = """format: starscore/1
campaign: {id: wjx-2023, name: 问卷, year: 2023, periods: [2023Q1, 2023Q2]}
categories: [{id: c, name: 社区}]
missing: zero
indicators:
  - {id: sat, name: 群众满意度, unit: "%", kind: linear, floor: 60, target: 100, points: 10}
  - {id: pb, name: 党建, kind: score, points: 10}
surveys:
  - {indicator: sat, scale: [1, 5], measure: share, satisfied_from: 4, min_responses: 3}
"""
SOURCE = """sources:
  - id: wjx
    name: 群众满意度问卷（问卷星导出）
    department: 区民政局
    shape: survey
    unit_column: 1、您所在的社区
    respondent_column: 序号
    answers: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
    columns:
      - {column: 2、您对社区服务的总体评价, indicator: sat}
      - {column: 3、您对办事效率的评价, indicator: sat}
"""
UNITS = (
    "unit_id,name,category,secretary_id,secretary_name\n"
    "u1,山旺社区,c,s1,张\nu2,江康社区,c,s2,李\nu3,东万社区,c,s3,王\n"
)
HEAD = "序号,提交答卷时间,所用时间,来源,1、您所在的社区,2、您对社区服务的总体评价,3、您对办事效率的评价\n"
# (sheet, unit, answer to item 2, answer to item 3): words, a number, an item left blank
SHEETS = [
    ("1", "山旺社区", "非常满意", "满意"),
    ("2", "山旺社区", "一般", "满意"),
    ("3", "山旺社区", "满意", "5"),
    ("4", "江康社区", "满意", "满意"),
    ("5", "江康社区", "不满意", "一般"),
    ("6", "东万社区", "非常不满意", "不满意"),
    ("7", "东万社区", "满意", ""),
    ("8", "东万社区", "非常满意", "非常满意"),
]
SCORE = {"非常满意": "5", "满意": "4", "一般": "3", "不满意": "2", "非常不满意": "1"}
IDS = {"山旺社区": "u1", "江康社区": "u2", "东万社区": "u3"}
ADMIN = User("张主任", "admin")


def export(sheets: list[tuple[str, str, str, str]]) -> bytes:
    lines = [HEAD] + [f"{n},2023/3/{n} 10:00:00,95秒,微信,{u},{a},{b}\n" for n, u, a, b in sheets]
    return "".join(lines).encode("utf-8")


def campaign(tmp: Path, name: str, files: dict[str, str]) -> duckdb.DuckDBPyConnection:
    folder = write_folder(
        tmp / name, {"units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"} | files
    )
    con = connect(tmp / f"{name}.duckdb")
    import_campaign(con, read_campaign(folder))
    return con


def sat(con) -> dict[tuple[str, str], str | None]:
    rows = con.execute(
        "SELECT unit_id, period, CAST(value AS VARCHAR) FROM indicator_values WHERE campaign_id = ? "
        "AND indicator_id = 'sat'",
        [CID],
    ).fetchall()
    return {(u, p): None if v is None else plain(Decimal(v)) for u, p, v in rows}


def long_surveys(sheets: list[tuple[str, str, str, str]]) -> str:
    """The same answers as surveys.csv rows, written independently of the export's reader."""
    out = ["unit_id,period,indicator_id,respondent_id,item,answer"]
    for n, unit, a, b in sheets:
        for item, answer in (("q2", a), ("q3", b)):
            if answer:
                out.append(f"{IDS[unit]},2023Q1,sat,{n},{item},{SCORE.get(answer, answer)}")
    return "\n".join(out) + "\n"


def test_an_export_makes_the_values_its_answers_make_from_surveys_csv(tmp_path):
    con = campaign(tmp_path, "a", {"campaign.yaml": YAML + SOURCE})
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", export(SHEETS), ADMIN, "2023Q1")
    assert d.problems == []
    detail = dict(zip(d.rows["unit_id"], d.rows["detail"], strict=True))
    assert detail["u1"] == "调查 3 人" and detail["u2"] == "调查 2 人，不足 3 人：本期该项无数值"
    confirm(con, d, ADMIN, confirm_note="核对无误")
    want = campaign(tmp_path, "b", {"campaign.yaml": YAML, "surveys.csv": long_surveys(SHEETS)})
    assert sat(con) == sat(want)
    assert sat(con)[("u1", "2023Q1")] == "66.67"  # sheets 1 and 3 of 3 score 4 or more
    assert ("u2", "2023Q1") not in sat(con) or sat(con)[("u2", "2023Q1")] is None  # two sheets: none
    results = survey_results(open_campaign(con, CID)).filter(pl.col("unit_id") == "u3")
    assert results["respondents"].to_list() == [3]


def test_a_new_export_replaces_the_unit_s_sheets_for_the_period_and_is_audited(tmp_path):
    con = campaign(tmp_path, "a", {"campaign.yaml": YAML + SOURCE})
    confirm(
        con,
        preview(open_campaign(con, CID), "wjx", "一.csv", export(SHEETS), ADMIN, "2023Q1"),
        ADMIN,
        confirm_note="核对",
    )
    again = [
        ("1", "山旺社区", "满意", "满意"),
        ("2", "山旺社区", "满意", "满意"),
        ("9", "山旺社区", "一般", "一般"),
    ]
    d = preview(open_campaign(con, CID), "wjx", "二.csv", export(again), ADMIN, "2023Q1")
    assert set(d.rows["outcome"]) == {"same"}  # 2 of 3 satisfied, as before
    confirm(con, d, ADMIN, confirm_note="核对")
    stored = con.execute(
        "SELECT count(DISTINCT respondent_id) FROM survey_answers WHERE campaign_id = ? AND unit_id = 'u1'",
        [CID],
    ).fetchall()
    assert stored == [(3,)]  # replaced, not added to
    third = [
        ("1", "山旺社区", "满意", "满意"),
        ("2", "山旺社区", "满意", "满意"),
        ("9", "山旺社区", "非常满意", "一般"),  # (5 + 3) / 2 = 4: satisfied
    ]
    d = preview(open_campaign(con, CID), "wjx", "三.csv", export(third), ADMIN, "2023Q1")
    assert d.rows["outcome"].unique().to_list() == ["change"] and d.rows["new"][0] == "100"
    confirm(con, d, ADMIN, confirm_note="核对")
    assert sat(con)[("u1", "2023Q1")] == "100"
    audit = con.execute(
        "SELECT count(*) FROM audit_log WHERE campaign_id = ? AND unit_id = 'u1' AND indicator_id = 'sat'",
        [CID],
    ).fetchall()
    assert audit[0][0] >= 2  # the first value and its change
    # the delivered cells are the survey's: not edited by hand
    hand = pl.DataFrame(
        {"unit_id": ["u1"], "period": ["2023Q1"], "indicator_id": ["sat"], "value": ["90"], "_row": [1]}
    )
    with pytest.raises(CampaignError) as info:
        save_values(open_campaign(con, CID), hand, ADMIN, reason="改")
    assert info.value.problems[0].code == "survey_cell"


@pytest.mark.parametrize(
    ("sheet", "code", "column"),
    [
        (("1", "山旺社区", "还行", "满意"), "source_answer_word", "2、您对社区服务的总体评价"),
        (("1", "山旺社区", "满意", "7"), "survey_answer_scale", "3、您对办事效率的评价"),
        (("1", "西湖社区", "满意", "满意"), "source_unit_unknown", "1、您所在的社区"),
    ],
)
def test_every_problem_of_an_export_names_the_row_and_the_item(tmp_path, sheet, code, column):
    con = campaign(tmp_path, "a", {"campaign.yaml": YAML + SOURCE})
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", export([sheet, *SHEETS[1:]]), ADMIN, "2023Q1")
    assert [(p.code, p.row, p.column) for p in d.problems] == [(code, 2, column)]
    with pytest.raises(CampaignError):
        confirm(con, d, ADMIN)
    assert con.execute("SELECT count(*) FROM survey_answers").fetchall() == [(0,)]


def test_the_same_sheet_twice_for_a_unit_is_refused(tmp_path):
    con = campaign(tmp_path, "a", {"campaign.yaml": YAML + SOURCE})
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", export([*SHEETS, SHEETS[0]]), ADMIN, "2023Q1")
    assert {(p.code, p.row) for p in d.problems} == {("source_respondent_twice", 10)}


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("indicator: sat}\n", "indicator: pb}\n", "有满意度调查"),  # an item no survey answers
        ("不满意: 2,", "不满意: 0,", "不在调查的分值范围"),  # a word scoring outside the scale
        (
            "    shape: survey\n",
            "    shape: survey\n    months: mean\n    period_column: 月份\n",
            "答卷按期次汇总",
        ),
    ],
)
def test_a_survey_source_that_cannot_work_is_refused_with_the_campaign(tmp_path, old, new, said, capsys):
    yaml = YAML + SOURCE.replace(old, new, 1)
    folder = write_folder(
        tmp_path / "c",
        {"campaign.yaml": yaml, "units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"},
    )
    rc, _, err = run_cli(capsys, "validate", folder)
    assert rc == 1 and said in err, err


def test_a_sheet_marked_invalid_is_kept_but_not_counted(tmp_path):
    source = SOURCE.replace(
        "    respondent_column: 序号\n", "    respondent_column: 序号\n    status_column: 是否有效\n"
    )
    con = campaign(tmp_path, "a", {"campaign.yaml": YAML + source})
    text = HEAD.replace("\n", ",是否有效\n") + "".join(
        f"{n},2023/3/1,95秒,微信,{u},{a},{b},{'无效' if n == '2' else ''}\n" for n, u, a, b in SHEETS
    )
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", text.encode(), ADMIN, "2023Q1")
    assert d.problems == []
    assert d.rows.filter(pl.col("respondent") == "2")["status"].unique().to_list() == ["excluded"]
    confirm(con, d, ADMIN, confirm_note="核对")
    # 山旺社区: sheets 1 and 3 counted, both satisfied; sheet 2 kept, not counted; 2 < 3: no value
    kept = con.execute(
        "SELECT count(*) FROM survey_answers WHERE respondent_id = '2' AND status = 'excluded'"
    ).fetchall()
    assert kept == [(2,)]
    assert sat(con).get(("u1", "2023Q1")) is None


def test_no_answer_words_count_as_no_answer_to_the_item(tmp_path):
    """Every real export has 不了解 (and 不清楚, 说不清, 无法评价): that item is not answered on that
    sheet, the sheet's other answers count, and nothing is refused; another word still is."""
    con = campaign(tmp_path, "a", {"campaign.yaml": YAML + SOURCE})
    sheets = [*SHEETS[:3], ("9", "山旺社区", "不了解", "满意"), ("10", "山旺社区", "说不清", "无法评价")]
    text = HEAD + "".join(f"{n},2023/3/1,95秒,微信,{u},{a},{b}\n" for n, u, a, b in sheets)
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", text.encode(), ADMIN, "2023Q1")
    assert d.problems == []
    answered = d.rows.filter(pl.col("respondent").is_in(["9", "10"]))
    assert answered.select("respondent", "raw").rows() == [("9", "满意")]
    d = preview(
        open_campaign(con, CID),
        "wjx",
        "问卷星.csv",
        text.replace("说不清", "不知道").encode(),
        ADMIN,
        "2023Q1",
    )
    assert [p.code for p in d.problems] == ["source_answer_word"]
