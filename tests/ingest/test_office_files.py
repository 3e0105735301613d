"""Office files as they come, imported without a hand edit: totals merged across the label
columns or written in 序号, signature lines spread under the figures, committee suffixes, two
villages of one name told apart by their town, a survey export's declared status words and
repeated sheets, last year's file, a month with a dash, a formula's percent cell. Each is
accepted as sent with the values computed by hand, or refused by file, row and column with
nothing written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.app.deliveries import confirm, preview, shown, summary
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.core.money import plain
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import run_cli, write_folder
from tests.ingest.source_campaign import stored as stored_in

CID = "office-2024"
YAML = """format: starscore/1
campaign: {id: office-2024, name: 一套表, year: 2024, periods: [2024Q1, 2024Q2, 2024Q3, 2024Q4]}
categories: [{id: c, name: 社区}, {id: v, name: 村}]
missing: zero
indicators:
  - {id: rate, name: 12345办结率, unit: "%", kind: linear, floor: 60, target: 100, points: 10,
     min_value: 0, max_value: 100}
  - {id: calls, name: 12345来电量, unit: 件, kind: tiers, tiers: [{max: 5, points: 5}, {max: 20, points: 2}],
     min_value: 0}
  - {id: income, name: 集体经济收入, unit: 万元, kind: linear, floor: 0, target: 100, points: 10,
     min_value: 0}
  - {id: sat, name: 群众满意度, unit: "%", kind: linear, floor: 60, target: 100, points: 10}
surveys:
  - {indicator: sat, scale: [1, 5], measure: share, satisfied_from: 4, min_responses: 1}
sources:
  - id: hotline
    name: 12345热线月报
    department: 区数据资源局
    unit_column: 社区
    town_column: 街道
    months: mean
    dash: missing
    incomplete: present
    columns:
      - {column: "{month}办结率", indicator: rate}
  - id: calls
    name: 12345来电量
    department: 区数据资源局
    unit_column: 社区
    months: sum
    dash: zero
    columns:
      - {column: "{month}", indicator: calls}
  - id: income
    name: 集体经济收入统计表
    department: 区农业农村局
    unit_column: 村（社区）
    town_column: 乡镇
    unmatched: skip
    columns:
      - {column: 经营性收入（元）, indicator: income, factor: 0.0001}
  - id: wjx
    name: 群众满意度问卷
    department: 区民政局
    shape: survey
    unit_column: 您所在的社区
    respondent_column: 序号
    status_column: 状态
    excluded: [无效, 重复]
    ip_column: 来源IP
    time_column: 提交答卷时间
    repeat_minutes: 10
    answers: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
    columns:
      - {column: 总体评价, indicator: sat}
"""
UNITS = (
    "unit_id,name,category,secretary_id,secretary_name,town\n"
    "s1,山旺社区,c,a1,张,湾里街道\n"
    "s2,江康社区,c,a2,李,湾里街道\n"
    "x1,新华村,v,a3,王,沈巷镇\n"
    "x2,新华村,v,a4,赵,白茆镇\n"
)
ADMIN = User("张主任", "admin")


def stored_campaign(tmp: Path, name: str, rules: str = YAML) -> duckdb.DuckDBPyConnection:
    folder = write_folder(
        tmp / name,
        {"campaign.yaml": rules, "units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"},
    )
    con = connect(tmp / f"{name}.duckdb")
    import_campaign(con, read_campaign(folder))
    return con


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return stored_campaign(tmp_path, "c")


def stored(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], str]:
    return stored_in(con, CID)


def hotline_workbook(path: Path, title: str = "2024年1-3月12345热线办结情况") -> Path:
    """The hotline's export: a title, 街道 and 社区 as label columns, the months across, names
    with their committee's title, a dash for a month without calls, a 合计 row merged across
    街道 and 社区, and a footer whose date falls under 3月办结率."""
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, [title])
        sheet.write_row(1, 0, ["街道", "社区", "1月办结率", "2月办结率", "3月办结率"])
        sheet.write_row(2, 0, ["湾里街道", "山旺社区居委会", 95.5, 96, 97])
        sheet.write_row(3, 0, ["湾里街道", "江康社区居民委员会", 90, "—", 93])
        sheet.merge_range(4, 0, 4, 1, "合计")
        sheet.write_row(4, 2, [92.75, 96, 95])
        sheet.write_row(6, 0, ["制表人：刘", "", "审核人：陈", "", "日期：2024年4月5日"])
    return path


def test_the_hotline_export_imports_as_sent(con, tmp_path):
    path = hotline_workbook(tmp_path / "12345热线2024年一季度.xlsx")
    d = preview(open_campaign(con, CID), "hotline", path.name, path.read_bytes(), ADMIN)
    assert d.problems == []
    passed = d.rows.filter(pl.col("outcome") == "skipped").select("_row", "unit_text", "detail").rows()
    assert passed == [
        (5, "合计", "合计行"),
        (7, "制表人：刘", "签名或说明行（制表人、审核人、日期、注等）"),
    ]
    # 江康社区's February has no calls (—): with incomplete: present its quarter is the mean of
    # January and March, (90 + 93) / 2; 山旺社区's is (95.5 + 96 + 97) / 3, half up to 9 decimals
    assert {(r["unit_id"], r["new"]) for r in d.rows.iter_rows(named=True) if r["new"]} == {
        ("s1", "96.166666667"),
        ("s2", "91.5"),
    }
    assert set(d.rows.filter(pl.col("unit_id").is_not_null())["matched"]) == {"office"}
    said = summary(d)
    assert "“—”“/”表示该月无数值" in said and "按有数值的月份计算" in said
    assert "按规范化名称（去掉居委会等）" in shown(d)["matched"].to_list()
    confirm(con, d, ADMIN, confirm_note="核对")
    assert stored(con) == {("s1", "2024Q1", "rate"): "96.166666667", ("s2", "2024Q1", "rate"): "91.5"}
    # the dash month is kept as delivered with no figure
    kept = con.execute(
        "SELECT month, value FROM source_months WHERE unit_id = 's2' ORDER BY month"
    ).fetchall()
    assert [(m, None if v is None else plain(v)) for m, v in kept] == [
        ("2024-01", "90"),
        ("2024-02", None),
        ("2024-03", "93"),
    ]


def test_a_dash_waits_for_its_month_unless_the_source_says_otherwise(con, tmp_path):
    rules = YAML.replace("    incomplete: present\n", "")
    other = stored_campaign(tmp_path, "w", rules)
    path = hotline_workbook(tmp_path / "12345热线.xlsx")
    d = preview(open_campaign(other, CID), "hotline", path.name, path.read_bytes(), ADMIN)
    waiting = d.rows.filter(pl.col("unit_id") == "s2")
    assert set(waiting["outcome"]) == {"pending"} and set(waiting["detail"]) == {"尚缺 2024-02"}
    assert "某月无数值时，该期等该月数值报齐后再计算" in summary(d)


def test_a_dash_counts_as_zero_where_the_source_says_so(con):
    text = "社区,1月,2月,3月\n山旺社区,3,—,1\n江康社区,-,-,-\n"
    d = preview(open_campaign(con, CID), "calls", "来电量.csv", text.encode(), ADMIN)
    assert d.problems == []
    assert {(r["unit_id"], r["new"]) for r in d.rows.iter_rows(named=True) if r["new"]} == {
        ("s1", "4"),
        ("s2", "0"),
    }
    assert "按 0 计" in summary(d)


def test_last_year_s_file_is_refused_naming_both_years(con, tmp_path):
    path = hotline_workbook(tmp_path / "热线.xlsx", title="2023年10-12月12345热线办结情况")
    with pytest.raises(CampaignError) as caught:
        preview(open_campaign(con, CID), "hotline", path.name, path.read_bytes(), ADMIN)
    [problem] = caught.value.problems
    assert problem.code == "source_other_year" and problem.file == "热线.xlsx"
    assert "2023 年" in problem.message("zh") and "2024 年" in problem.message("zh")
    # the name says it too
    path = hotline_workbook(tmp_path / "2023年四季度热线.xlsx", title="12345热线办结情况")
    with pytest.raises(CampaignError) as caught:
        preview(open_campaign(con, CID), "hotline", path.name, path.read_bytes(), ADMIN)
    assert [p.code for p in caught.value.problems] == ["source_other_year"]
    # the district says it is this campaign's: read as sent
    d = preview(open_campaign(con, CID), "hotline", path.name, path.read_bytes(), ADMIN, any_year=True)
    assert d.problems == [] and d.values.height == 2
    # a file whose period is given at upload is the district's word: its name is not read
    text = "乡镇,村（社区）,经营性收入（元）\n湾里街道,山旺社区,100000\n"
    d = preview(open_campaign(con, CID), "income", "2023年收入.csv", text.encode(), ADMIN, "2024Q1")
    assert d.problems == []
    assert stored(con) == {}


def test_an_income_csv_in_gbk_with_合计_in_序号_and_villages_told_apart_by_town(con):
    text = (
        "2024年一季度村级集体经济收入统计表\n"
        "序号,乡镇,村（社区）,经营性收入（元）\n"
        '1,沈巷镇,新华村村民委员会,"1,250,000"\n'
        "2,白茆镇,新华村,300000\n"
        "3,湾里街道,（山旺社区）山旺社区,50000\n"
        "4,湾里街道,外区某社区,1\n"
        '合计,,,"1,600,001"\n'
        "单位：元,,,\n"
    )
    d = preview(open_campaign(con, CID), "income", "收入.csv", text.encode("gbk"), ADMIN, "2024Q1")
    assert d.problems == []
    made = {(r["unit_id"], r["matched"], r["new"]) for r in d.rows.iter_rows(named=True) if r["new"]}
    assert made == {("x1", "office", "125"), ("x2", "name", "30"), ("s1", "office", "5")}
    skipped = d.rows.filter(pl.col("outcome") == "skipped").select("_row", "unit_text").rows()
    assert skipped == [(6, "外区某社区"), (7, "合计"), (8, "单位：元")]
    assert "跳过 1 行不在本活动的单位：外区某社区" in summary(d)


def test_a_village_found_in_another_town_is_refused_by_row(con):
    text = "乡镇,村（社区）,经营性收入（元）\n沈巷镇,新华村,1\n湾里街道,新华村,2\n白茆,山旺社区,3\n"
    d = preview(open_campaign(con, CID), "income", "收入.csv", text.encode(), ADMIN, "2024Q1")
    refused = [(p.row, p.column, p.code) for p in d.problems]
    # 湾里街道 has no 新华村: the name is two units' and neither is there; 山旺社区 is 湾里's
    assert refused == [(3, "村（社区）", "source_unit_ambiguous"), (4, "乡镇", "source_unit_town")]
    assert "共 3 行" in summary(d) and "拒收 2 行" in summary(d)
    with pytest.raises(CampaignError):
        confirm(con, d, ADMIN)
    assert stored(con) == {}


SURVEY_HEAD = "序号,提交答卷时间,来源IP,您所在的社区,总体评价,状态\n"


def test_a_survey_export_s_status_words_and_repeated_sheets(con):
    sheets = [
        "1,2024/3/1 10:00:00,10.0.0.1,山旺社区,满意,",
        "2,2024/3/1 10:04:00,10.0.0.1,山旺社区,满意,",  # same IP, same answer, 4 minutes later
        "3,2024/3/1 11:00:00,10.0.0.1,山旺社区,满意,",  # an hour later: not listed
        "4,2024/3/1 10:05:00,10.0.0.2,山旺社区,一般,重复",  # declared: kept, not counted
        "5,2024/3/1 10:06:00,10.0.0.3,山旺社区,不了解,有效",
    ]
    text = SURVEY_HEAD + "\n".join(sheets) + "\n"
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", text.encode(), ADMIN, "2024Q1")
    assert d.problems == []
    assert d.repeats == {3: (2, 4)}
    row = d.rows.filter(pl.col("_row") == 3)
    assert row["detail"].to_list() == ["可能重复：与第 2 行同一IP、答案相同，相隔 4 分钟"]
    assert d.rows.filter(pl.col("respondent") == "4")["status"].to_list() == ["excluded"]
    assert "有 1 份答卷可能重复" in summary(d)
    confirm(con, d, ADMIN, confirm_note="核对")
    # three sheets counted (1, 2, 3: all satisfied); 4 excluded; 5 answered 不了解
    assert stored(con) == {("s1", "2024Q1", "sat"): "100"}
    # a word the source does not declare is refused by row and column
    bad = text.replace("10.0.0.3,山旺社区,不了解,有效", "10.0.0.3,山旺社区,满意,作废")
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", bad.encode(), ADMIN, "2024Q1")
    assert [(p.row, p.column, p.code) for p in d.problems] == [(6, "状态", "source_status_word")]


def test_surveys_csv_refuses_an_undeclared_status_word_as_exports_do(tmp_path):
    folder = write_folder(
        tmp_path / "s",
        {
            "campaign.yaml": YAML,
            "units.csv": UNITS,
            "values.csv": "unit_id,period,indicator_id,value\n",
            "surveys.csv": "unit_id,period,indicator_id,respondent_id,item,answer,status\n"
            "s1,2024Q1,sat,1,q1,4,重复\n",
        },
    )
    with pytest.raises(CampaignError) as caught:
        read_campaign(folder)
    assert [(p.row, p.code) for p in caught.value.problems] == [(2, "survey_status")]


def test_a_formula_s_percent_cell_is_read_as_its_full_ratio(con, tmp_path):
    import xlsxwriter

    path = tmp_path / "热线.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        pct = book.add_format({"num_format": "0.00%"})
        sheet.write_row(0, 0, ["街道", "社区", "1月办结率", "2月办结率", "3月办结率"])
        sheet.write_row(1, 0, ["湾里街道", "山旺社区"])
        for k, (done, calls) in enumerate([(3394, 3600), (1, 3), (2, 3)]):
            sheet.write_formula(1, 2 + k, f"={done}/{calls}", pct, done / calls)
    d = preview(open_campaign(con, CID), "hotline", path.name, path.read_bytes(), ADMIN)
    assert d.problems == []
    raws = d.rows.sort("month")["raw"].to_list()
    # each month's full ratio, to the 9 decimals values keep (half up): not 94.2777778 nor 94.28
    assert raws == ["94.277777778", "33.333333333", "66.666666667"]
    # the quarter: the mean of the three as read, half up
    mean = (Decimal("94.277777778") + Decimal("33.333333333") + Decimal("66.666666667")) / 3
    assert d.values["value"].to_list() == [plain(mean.quantize(Decimal("1e-9")))]


def test_a_refused_value_names_its_indicator_and_an_empty_file_says_so(con):
    text = "乡镇,村（社区）,经营性收入（元）\n湾里街道,山旺社区,-100\n"
    d = preview(open_campaign(con, CID), "income", "收入.csv", text.encode(), ADMIN, "2024Q1")
    [problem] = d.problems
    assert "集体经济收入" in problem.message("zh") and "income" not in problem.message("zh")
    assert d.rows.filter(pl.col("_row") == 2)["detail"].to_list() == [problem.message("zh")]
    with pytest.raises(CampaignError) as caught:
        preview(open_campaign(con, CID), "income", "收入.csv", b"", ADMIN, "2024Q1")
    assert [p.code for p in caught.value.problems] == ["file_empty"]


def test_a_status_word_both_counted_and_excluded_is_refused_with_the_rules(tmp_path):
    rules = YAML.replace(
        "    excluded: [无效, 重复]\n", "    excluded: [无效, 重复]\n    counted: [有效, 重复]\n"
    )
    folder = write_folder(
        tmp_path / "b",
        {"campaign.yaml": rules, "units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"},
    )
    with pytest.raises(CampaignError) as caught:
        read_campaign(folder)
    assert [p.code for p in caught.value.problems] == ["source_status_both"]


def test_a_survey_export_as_an_xlsx_reads_as_its_csv(con, tmp_path):
    """问卷星 exports .xlsx as often as .csv: the same sheets make the same rows."""
    import xlsxwriter

    sheets = [
        ["1", "2024/3/1 10:00:00", "10.0.0.1", "山旺社区居委会", "满意", ""],
        ["2", "2024/3/1 10:04:00", "10.0.0.1", "山旺社区居委会", "满意", ""],
        ["3", "2024/3/2 09:00:00", "10.0.0.9", "江康社区", "无法评价", "重复"],
        ["4", "2024/3/2 09:30:00", "10.0.0.7", "江康社区", "非常满意", "有效"],
    ]
    path = tmp_path / "问卷星.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, SURVEY_HEAD.strip().split(","))
        for k, row in enumerate(sheets, start=1):
            sheet.write_row(k, 0, row)
    from_xlsx = preview(open_campaign(con, CID), "wjx", path.name, path.read_bytes(), ADMIN, "2024Q1")
    text = SURVEY_HEAD + "\n".join(",".join(r) for r in sheets) + "\n"
    from_csv = preview(open_campaign(con, CID), "wjx", "问卷星.csv", text.encode(), ADMIN, "2024Q1")
    assert from_xlsx.problems == [] and from_xlsx.repeats == {3: (2, 4)}
    assert from_xlsx.rows.equals(from_csv.rows)
    assert from_xlsx.values.sort("unit_id").select("unit_id", "value").rows() == [
        ("s1", "100"),
        ("s2", "100"),
    ]


def test_the_command_line_refuses_last_year_s_file_and_reads_it_with_any_year(con, tmp_path, capsys):
    path = hotline_workbook(tmp_path / "热线.xlsx", title="2023年10-12月12345热线办结情况")
    db = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    args = ["source", "import", "--db", db.fetchall()[0][0], "--campaign", CID, "--source", "hotline"]
    con.close()
    rc, _, err = run_cli(capsys, *args, "--file", str(path))
    assert rc == 1 and "2023 年" in err and "--any-year" in err
    rc, out, _ = run_cli(capsys, *args, "--file", str(path), "--any-year")
    assert rc == 0 and "按规范化名称" in out and "合计行" in out


def test_a_survey_tool_s_own_ip_and_time_columns_are_read_where_none_is_declared(tmp_path):
    rules = YAML.replace("    ip_column: 来源IP\n    time_column: 提交答卷时间\n", "")
    con = stored_campaign(tmp_path, "n", rules)
    sheets = ["1,2024/3/1 10:00:00,10.0.0.1,山旺社区,满意,", "2,2024/3/1 10:30:00,10.0.0.1,山旺社区,满意,"]
    text = SURVEY_HEAD + "\n".join(sheets) + "\n"
    d = preview(open_campaign(con, CID), "wjx", "问卷星.csv", text.encode(), ADMIN, "2024Q1")
    assert d.repeats == {}  # 30 minutes apart: more than the source's 10
    d = preview(
        open_campaign(con, CID), "wjx", "问卷星.csv", text.replace("10:30", "10:09").encode(), ADMIN, "2024Q1"
    )
    assert d.repeats == {3: (2, 9)}
