"""Departments' own exports (一套表): a wide monthly file with names, aliases, full-width spaces,
a total row and a unit conversion imports to the same values (and the same points) as the
equivalent long values.csv; months and period labels as departments write them; every problem
named by file, row and column; a dry run writes nothing; a quarter waits for its months; a
department's evaluator delivers only its sources; what each department has delivered, per
period."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

from scoring.core.errors import CampaignError
from scoring.core.money import plain
from scoring.deliveries import confirm, may_deliver, preview, shown, sources_for, summary
from scoring.delivery_status import missing, status
from scoring.engine.run import score
from scoring.entry import save_values
from scoring.ingest.source_table import number
from scoring.ingest.validate import read_campaign
from scoring.integrity.access import User
from scoring.integrity.imports import import_campaign
from scoring.integrity.locks import set_deadline
from scoring.rules.months import label_months, parse_month
from scoring.store.db import connect
from tests.helpers import DEMO, run_cli, write_folder

CID = "src-2023"
YAML = """format: starscore/1
campaign: {id: src-2023, name: 一套表, year: 2023, periods: [2023Q1, 2023Q2]}
categories: [{id: c, name: 社区}]
missing: zero
indicators:
  - {id: hotline, name: 12345办结率, unit: "%", kind: linear, floor: 60, target: 100, points: 10,
     min_value: 0, max_value: 100}
  - {id: complaints, name: 投诉件数, unit: 件, kind: tiers, tiers: [{max: 2, points: 5}, {max: 5, points: 2}],
     min_value: 0}
  - {id: income, name: 集体经济收入, unit: 元, kind: linear, floor: 0, target: 1000000, points: 10,
     min_value: 0}
  - {id: pb, name: 党建, kind: score, points: 10}
"""
SOURCES = """sources:
  - id: hotline_monthly
    name: 12345接诉即办月报
    department: 区数据资源局
    unit_column: 社区名称
    aliases: {山旺: u1}
    period_column: 月份
    months: mean
    columns:
      - {column: 办结率, indicator: hotline}
      - {column: 投诉件数, indicator: complaints, months: sum}
  - id: income_report
    name: 集体经济收入报表
    department: 区农业农村局
    unit_column: 单位编号
    unit_by: id
    columns:
      - {column: 收入（万元）, indicator: income, factor: 10000}
"""
UNITS = (
    "unit_id,name,category,secretary_id,secretary_name,town\n"
    "u1,山旺社区,c,s1,张,湾里街道\nu2,江康社区,c,s2,李,湾里街道\nu3,东万社区,c,s3,王,湾里街道\n"
)
# the department's monthly export: a title above the table, names as the hotline writes them
# (an alias, full-width spaces), months written three ways, a percent sign, a total row
HOTLINE_Q1 = (
    "2023年一季度12345接诉即办情况,,,\n"
    "社区名称,月份,办结率,投诉件数\n"
    "山旺,2023-01,95.5,1\n"
    "山旺,2023年2月,96,0\n"
    "山旺,2023/3,97,2\n"
    "\u3000江康社区\u3000,2023-01,88%,3\n"
    "江康社区,2023-02,90,1\n"
    "江康社区,2023-03,91.25,0\n"
    "东万社区,2023-01,70,4\n"
    "东万社区,2023-02,75,2\n"
    "东万社区,2023-03,80.1,1\n"
    "合计,,,14\n"
)
INCOME_Q1 = '单位编号,收入（万元）\nu1,12.5\nu2,"1,020.25"\nu3,0.3333\n'
ADMIN = User("张主任", "admin")
HOTLINE_CLERK = User("数据局刘", "evaluator", departments=("区数据资源局",))


def _mean(xs: list[str]) -> str:
    """The mean of a quarter's months, exactly, to the 9 decimals values keep (half up)."""
    m = sum((Fraction(x) for x in xs), Fraction(0)) / len(xs)
    return str(Decimal(m.numerator) / Decimal(m.denominator))


def long_values() -> str:
    """The same quarter as a long values.csv, computed independently of the reader."""
    hotline = {"u1": ["95.5", "96", "97"], "u2": ["88", "90", "91.25"], "u3": ["70", "75", "80.1"]}
    complaints = {"u1": 3, "u2": 4, "u3": 7}
    income = {"u1": "125000", "u2": "10202500", "u3": "3333"}
    lines = ["unit_id,period,indicator_id,value"]
    for u in ("u1", "u2", "u3"):
        mean = Decimal(_mean(hotline[u])).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
        lines += [
            f"{u},2023Q1,hotline,{mean.normalize():f}",
            f"{u},2023Q1,complaints,{complaints[u]}",
            f"{u},2023Q1,income,{income[u]}",
        ]
    return "\n".join(lines) + "\n"


def campaign(tmp: Path, name: str, values: str = "unit_id,period,indicator_id,value\n") -> Path:
    folder = write_folder(
        tmp / name, {"campaign.yaml": YAML + SOURCES, "units.csv": UNITS, "values.csv": values}
    )
    db = tmp / f"{name}.duckdb"
    con = connect(db)
    import_campaign(con, read_campaign(folder), source=str(folder))
    con.close()
    return db


def with_sources(tmp: Path, name: str, more: str):
    """An empty campaign whose sources are SOURCES and ``more``, stored."""
    folder = write_folder(
        tmp / name,
        {
            "campaign.yaml": YAML + SOURCES + more,
            "units.csv": UNITS,
            "values.csv": "unit_id,period,indicator_id,value\n",
        },
    )
    con = connect(tmp / f"{name}.duckdb")
    import_campaign(con, read_campaign(folder))
    return con


def stored(con) -> dict[tuple[str, str, str], str]:
    rows = con.execute(
        "SELECT unit_id, period, indicator_id, CAST(value AS VARCHAR) FROM indicator_values "
        "WHERE campaign_id = ? AND value IS NOT NULL",
        [CID],
    ).fetchall()
    return {(u, p, i): plain(Decimal(v)) for u, p, i, v in rows}


def points(con) -> list[tuple]:
    run = score(con, CID)
    query = "SELECT period, unit_id, indicator_id, points FROM points WHERE run_id = ?"
    return sorted(con.execute(query, [run.run_id]).fetchall())


def deliver(con, source: str, text: str, user: User = ADMIN, period: str | None = None, name: str = ""):
    d = preview(con, CID, source, name or f"{source}.csv", text.encode("utf-8"), user, period)
    return d, confirm(con, d, user, confirm_note="核对无误")


def test_a_wide_monthly_file_with_names_imports_as_the_long_values_do(tmp_path):
    by_source = connect(campaign(tmp_path, "a"))
    deliver(by_source, "hotline_monthly", HOTLINE_Q1)
    deliver(by_source, "income_report", INCOME_Q1, period="2023年第一季度")
    by_values = connect(campaign(tmp_path, "b", long_values()))
    assert stored(by_source) == stored(by_values)
    assert stored(by_source)[("u1", "2023Q1", "hotline")] == "96.166666667"  # mean, half up
    assert stored(by_source)[("u2", "2023Q1", "income")] == "10202500"  # 1,020.25 万元
    assert points(by_source) == points(by_values)


def test_the_dry_run_says_row_by_row_what_it_would_do_and_writes_nothing(tmp_path):
    con = connect(campaign(tmp_path, "a", "unit_id,period,indicator_id,value\nu1,2023Q1,income,125000\n"))
    before = con.execute("SELECT count(*) FROM audit_log").fetchall()
    d = preview(con, CID, "income_report", "收入.csv", INCOME_Q1.encode(), ADMIN, "2023Q1")
    assert con.execute("SELECT count(*) FROM audit_log").fetchall() == before
    assert con.execute("SELECT count(*) FROM source_deliveries").fetchall() == [(0,)]
    outcome = dict(zip(d.rows["unit_id"], d.rows["outcome"], strict=True))
    assert outcome == {"u1": "same", "u2": "add", "u3": "add"}
    assert summary(d) == "共 3 行：新增 2 项，修改 0 项，不变 1 项，待其余月份 0 项，跳过 0 行，拒收 0 行"
    assert shown(d, "zh")["outcome"].to_list() == ["不变", "新增", "新增"]
    changed = INCOME_Q1.replace("u1,12.5", "u1,13")
    d = preview(con, CID, "income_report", "收入.csv", changed.encode(), ADMIN, "2023Q1")
    row = d.rows.filter(pl.col("unit_id") == "u1").row(0, named=True)
    assert (row["outcome"], row["old"], row["new"]) == ("change", "125000", "130000")


def test_a_quarter_waits_for_its_months_and_completes_with_a_later_upload(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    two = "\n".join(line for line in HOTLINE_Q1.splitlines() if "2023/3" not in line and "-03" not in line)
    d, _ = deliver(con, "hotline_monthly", two)
    assert set(d.rows.filter(pl.col("unit_text") != "合计")["outcome"].drop_nulls()) == {"pending"}
    assert "2023-03" in d.rows.filter(pl.col("outcome") == "pending")["detail"][0]
    assert stored(con) == {}
    state = status(con, CID).filter(pl.col("source_id") == "hotline_monthly")
    assert state.filter(pl.col("period") == "2023Q1")["state"].to_list() == ["partial"]
    assert state.filter(pl.col("period") == "2023Q1")["months"].to_list() == ["2/3"]
    march = (
        "社区名称,月份,办结率,投诉件数\n"
        "山旺,2023-03,97,2\n江康社区,2023-03,91.25,0\n东万社区,2023-03,80.1,1\n"
    )
    d, result = deliver(con, "hotline_monthly", march)
    assert result is not None and set(d.rows["outcome"]) == {"add"}
    assert stored(con)[("u1", "2023Q1", "hotline")] == "96.166666667"
    assert stored(con)[("u3", "2023Q1", "complaints")] == "7"
    state = status(con, CID).filter(pl.col("source_id") == "hotline_monthly")
    assert state.filter(pl.col("period") == "2023Q1")["state"].to_list() == ["delivered"]


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("社区名称,月份,办结率,投诉件数\n西湖社区,2023-01,90,1\n", "source_unit_unknown", 2, "社区名称"),
        ("社区名称,月份,办结率,投诉件数\n山旺社区,2023-13,90,1\n", "source_month_unknown", 2, "月份"),
        (
            "社区名称,月份,办结率,投诉件数\n山旺社区,2023-04-01x,90,1\n东万社区,2024-01,90,1\n",
            "source_month_unknown",
            3,
            "月份",
        ),
        ("社区名称,月份,办结率,投诉件数\n山旺社区,2023-01,九十,1\n", "not_a_number", 2, "办结率"),
        (
            "社区名称,月份,办结率,投诉件数\n山旺社区,2023-01,90,1\n山旺,2023-01,91,1\n",
            "source_twice_in_file",
            3,
            None,
        ),
        ("社区名称,月份,办结率,投诉件数\n,2023-01,90,1\n", "source_unit_empty", 2, "社区名称"),
        ("社区名称,月份,办结率\n山旺社区,2023-01,90\n", "source_column_missing", None, "投诉件数"),
    ],
)
def test_every_problem_names_the_file_the_row_and_the_column(tmp_path, text, code, row, column):
    con = connect(campaign(tmp_path, "a"))
    try:
        d = preview(con, CID, "hotline_monthly", "热线.csv", text.encode(), ADMIN)
        problems = d.problems
    except CampaignError as exc:
        problems = exc.problems
    hit = [p for p in problems if p.code == code]
    assert hit, [p.code for p in problems]
    assert (hit[0].file, hit[0].row) == ("热线.csv", row)
    if column is not None:
        assert hit[0].column == column
    if row is not None:  # the row is rejected in the table, and nothing of the file is written
        assert d.rows.filter(pl.col("_row") == row)["outcome"].to_list()[0] == "rejected"
        with pytest.raises(CampaignError) as info:
            confirm(con, d, ADMIN)
        assert info.value.problems[0].code == "source_rejected"
    assert con.execute("SELECT count(*) FROM source_deliveries").fetchall() == [(0,)]


def test_a_value_out_of_range_is_rejected_by_the_row_that_made_it(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    text = "单位编号,收入（万元）\nu1,12.5\nu2,-1\n"
    d = preview(con, CID, "income_report", "收入.xlsx.csv", text.encode(), ADMIN, "2023Q1")
    assert [p.row for p in d.problems] == [3]
    assert d.rows.filter(pl.col("_row") == 3)["outcome"].to_list() == ["rejected"]


def test_a_name_shared_by_two_units_is_ambiguous(tmp_path):
    folder = tmp_path / "c"
    twin = UNITS + "u4,东万社区,c,s4,赵,沈巷镇\n"
    write_folder(
        folder,
        {
            "campaign.yaml": YAML + SOURCES,
            "units.csv": twin,
            "values.csv": "unit_id,period,indicator_id,value\n",
        },
    )
    con = connect(tmp_path / "t.duckdb")
    import_campaign(con, read_campaign(folder))
    d = preview(
        con,
        CID,
        "hotline_monthly",
        "热线.csv",
        "社区名称,月份,办结率,投诉件数\n东万社区,2023-01,90,1\n".encode(),
        ADMIN,
    )
    assert [(p.code, p.row, p.params["ids"]) for p in d.problems] == [("source_unit_ambiguous", 2, "u3、u4")]
    # the rejected row still shows the name as the file writes it
    assert d.rows.select("_row", "unit_text", "outcome").rows() == [(2, "东万社区", "rejected")]


def test_an_excel_export_with_percent_cells_reads_as_shown(tmp_path):
    import xlsxwriter

    path = tmp_path / "热线.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        pct = book.add_format({"num_format": "0.00%"})
        sheet.write_row(0, 0, ["2023年1月热线考核"])
        sheet.write_row(1, 0, ["社区名称", "月份", "办结率", "投诉件数"])
        for k, (name, rate, n) in enumerate([("山旺社区", 0.955, 1), ("江康社区", 0.88, 3)], start=2):
            sheet.write(k, 0, name)
            sheet.write(k, 1, "2023年1月")
            sheet.write_number(k, 2, rate, pct)
            sheet.write_number(k, 3, n)
    con = connect(campaign(tmp_path, "a"))
    d = preview(con, CID, "hotline_monthly", "热线.xlsx", path.read_bytes(), ADMIN)
    assert d.problems == []
    got = {(r["unit_id"], r["indicator_id"]): r["value"] for r in d.rows.iter_rows(named=True)}
    assert got == {
        ("u1", "hotline"): "95.5",
        ("u1", "complaints"): "1",
        ("u2", "hotline"): "88",
        ("u2", "complaints"): "3",
    }
    assert set(d.rows["month"]) == {"2023-01"}


def test_a_workbook_opening_on_instructions_with_the_table_lower_down(tmp_path):
    """The table on the second sheet (the first holds 填表说明), starting at row 4 and column B:
    the rows keep the sheet's numbers, and its percent cells still read as shown."""
    import xlsxwriter

    path = tmp_path / "热线.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("填表说明").write(0, 0, "办结率按百分比填写")
        sheet = book.add_worksheet("数据")
        pct = book.add_format({"num_format": "0.0%"})
        sheet.write_row(3, 1, ["社区名称", "月份", "办结率", "投诉件数"])
        sheet.write_row(4, 1, ["山旺社区", "2023年1月"])
        sheet.write_number(4, 3, 0.955, pct)
        sheet.write_number(4, 4, 1)
        sheet.write_row(5, 1, ["西湖社区", "2023年1月", 90, 2])
    con = connect(campaign(tmp_path, "a"))
    d = preview(con, CID, "hotline_monthly", "热线.xlsx", path.read_bytes(), ADMIN)
    assert [(p.row, p.code) for p in d.problems] == [(6, "source_unit_unknown")]  # the sheet's row 6
    got = {(r["_row"], r["indicator_id"]): r["value"] for r in d.rows.iter_rows(named=True) if r["value"]}
    assert got == {(5, "hotline"): "95.5", (5, "complaints"): "1"}


def test_a_department_s_evaluator_delivers_its_sources_and_enters_only_their_indicators(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    rules = read_campaign(tmp_path / "a").rules
    assert [s.id for s in sources_for(rules, HOTLINE_CLERK)] == ["hotline_monthly"]
    with pytest.raises(CampaignError) as info:
        may_deliver(HOTLINE_CLERK, rules.source("income_report"))
    assert info.value.problems[0].code == "source_forbidden"
    deliver(con, "hotline_monthly", HOTLINE_Q1, user=HOTLINE_CLERK)  # its own: written
    assert ("u2", "2023Q1", "hotline") in stored(con)
    one = pl.DataFrame(
        {"unit_id": ["u1"], "period": ["2023Q1"], "indicator_id": ["pb"], "value": ["8"], "_row": [1]}
    )
    with pytest.raises(CampaignError) as info:  # an indicator no source of its department supplies
        save_values(con, CID, one, HOTLINE_CLERK)
    assert {p.code for p in info.value.problems} == {"forbidden_indicator"}


def test_deliveries_are_audited_and_a_reupload_of_the_same_file_changes_nothing(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    deliver(con, "income_report", INCOME_Q1, period="2023Q1")
    events = con.execute("SELECT action, source FROM audit_log WHERE action = 'source_delivery'").fetchall()
    assert len(events) == 1 and "income_report" in events[0][1]
    values = con.execute("SELECT count(*) FROM audit_log WHERE action <> 'source_delivery'").fetchall()
    d, result = deliver(con, "income_report", INCOME_Q1, period="2023Q1")
    assert result is None and set(d.rows["outcome"]) == {"same"}
    assert (
        con.execute("SELECT count(*) FROM audit_log WHERE action <> 'source_delivery'").fetchall() == values
    )
    notes = con.execute(
        "SELECT DISTINCT note FROM indicator_values WHERE campaign_id = ? AND indicator_id = 'income'", [CID]
    ).fetchall()
    assert notes == [("集体经济收入报表：income_report.csv",)]


def test_status_says_per_period_what_is_delivered_late_overdue_or_due(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    set_deadline(con, CID, "2023Q1", "2020-01-10", ADMIN)
    set_deadline(con, CID, "2023Q2", "2099-01-10", ADMIN)
    deliver(con, "income_report", INCOME_Q1, period="2023Q1")
    table = status(con, CID)
    got = {(r["source_id"], r["period"]): r["state"] for r in table.iter_rows(named=True)}
    assert got == {
        ("hotline_monthly", "2023Q1"): "overdue",
        ("hotline_monthly", "2023Q2"): "due",
        ("income_report", "2023Q1"): "late",
        ("income_report", "2023Q2"): "due",
    }
    row = table.filter((pl.col("source_id") == "income_report") & (pl.col("period") == "2023Q1")).row(
        0, named=True
    )
    assert (row["department"], row["delivered_by"], row["cells"], row["filled"]) == (
        "区农业农村局",
        "张主任",
        3,
        3,
    )


def test_months_and_period_labels_as_departments_write_them():
    for text in ("2023-01", "2023/1", "202301", "2023年1月", "2023.01", "2023-01-15", "2023年01月"):
        assert parse_month(text) == "2023-01", text
    assert parse_month("3月", 2023) == "2023-03"
    assert parse_month("2023-13") is None and parse_month("一月") is None
    q1 = ["2023-01", "2023-02", "2023-03"]
    for label in ("2023Q1", "2023-Q1", "2023年第一季度", "2023年一季度", "2023q1"):
        assert label_months(label) == q1, label
    assert label_months("2023上半年") == label_months("2023H1") == [f"2023-{m:02d}" for m in range(1, 7)]
    assert label_months("第一期") is None


def test_numbers_as_departments_write_them():
    assert number("1,020.25") == Decimal("1020.25")
    assert number("88%") == Decimal("88")
    assert number(" 12 ") == Decimal("12")
    assert number("1,02") is None and number("十二") is None and number("") is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("- {column: 办结率, indicator: hotline}", "- {column: 办结率, indicator: nope}"),
        ("factor: 10000", "factor: -1"),
        ("unit_by: id\n", "unit_by: id\n    shape: long\n"),
        (
            "- {column: 投诉件数, indicator: complaints, months: sum}",
            "- {column: 投诉件数, indicator: hotline}",
        ),
    ],
)
def test_a_source_that_cannot_work_is_refused_with_the_campaign(tmp_path, change, code):
    old, new = change, code
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": YAML + SOURCES.replace(old, new),
            "units.csv": UNITS,
            "values.csv": "unit_id,period,indicator_id,value\n",
        },
    )
    with pytest.raises(CampaignError) as info:
        read_campaign(folder)
    assert any(p.code.startswith("source_") and p.file == "campaign.yaml" for p in info.value.problems)


def test_declaring_a_source_does_not_make_the_rules_another(tmp_path):
    with_sources = write_folder(
        tmp_path / "a",
        {
            "campaign.yaml": YAML + SOURCES,
            "units.csv": UNITS,
            "values.csv": "unit_id,period,indicator_id,value\n",
        },
    )
    without = write_folder(
        tmp_path / "b",
        {"campaign.yaml": YAML, "units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"},
    )
    assert read_campaign(with_sources).rules.rules_hash() == read_campaign(without).rules.rules_hash()


def test_the_command_line_tries_first_and_writes_with_yes(tmp_path, capsys):
    db = campaign(tmp_path, "a")
    file = tmp_path / "收入.csv"
    file.write_text(INCOME_Q1, encoding="utf-8")
    base = ("source", "import", "--campaign", CID, "--source", "income_report", "--file", file)
    rc, out, _ = run_cli(capsys, *base, "--period", "2023Q1", "--db", db)
    assert rc == 0 and "新增 3 项" in out and "未写入任何数据" in out
    assert stored(connect(db)) == {}
    rc, out, _ = run_cli(capsys, *base, "--period", "2023Q1", "--db", db, "--yes")
    assert rc == 0 and "改动 3 项数值" in out
    assert stored(connect(db))[("u3", "2023Q1", "income")] == "3333"
    file.write_text(INCOME_Q1.replace("u3,0.3333", "u9,1"), encoding="utf-8")
    rc, _, err = run_cli(capsys, *base, "--period", "2023Q2", "--db", db, "--yes")
    assert rc == 1 and "收入.csv:第4行" in err and "u9" in err
    assert ("u1", "2023Q2", "income") not in stored(connect(db))  # nothing of the file written
    rc, out, _ = run_cli(capsys, "source", "status", "--campaign", CID, "--db", db, "--period", "2023Q1")
    assert rc == 0 and "已报送" in out and "区农业农村局" in out


@pytest.mark.parametrize(
    ("source", "file", "period", "totals"),
    [
        ("hotline_12345", "12345热线_2023年1-3月.csv", None, 0),
        ("petitions_monthly", "信访月报_2023年1-3月.csv", None, 1),
        ("collective_income", "集体经济收入_2023年第一季度.csv", "2023年第一季度", 1),
        ("satisfaction_survey", "群众满意度问卷_2023年第一季度.csv", "2023Q1", 0),
    ],
)
def test_the_demo_s_departmental_files_read_as_the_demo_s_values(demo_copy, source, file, period, totals):
    """The demo's own exports (months around the quarter's value, 元 for 万元, padded names, a
    title and a total row) make exactly the values the demo's values.csv holds."""
    con = connect(demo_copy)
    path = DEMO / "sources" / file
    d = preview(con, "jiujiang-2023", source, file, path.read_bytes(), ADMIN, period)
    assert d.problems == []
    outcomes = d.rows.group_by("outcome").len()
    assert set(outcomes["outcome"]) <= {"same", "skipped"}, outcomes
    assert d.count("skipped") == totals  # the total row
    assert d.count("same") >= 70  # every unit the indicator applies to
    assert d.periods == ["2023Q1"]


def test_what_a_source_still_misses_is_listed_by_unit(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    deliver(con, "income_report", "单位编号,收入（万元）\nu1,12.5\nu3,1\n", period="2023Q1")
    gone = missing(con, CID, "income_report", "2023Q1")
    assert gone.select("unit_id", "name", "indicator").rows() == [("u2", "江康社区", "集体经济收入")]
    assert missing(con, CID, "income_report", "2023Q2")["unit_id"].to_list() == ["u1", "u2", "u3"]


def test_notes_signatures_and_dashes_below_a_table_are_passed_over_and_listed(tmp_path):
    """Tables end in a signature line and a note, and mark a missing figure with a dash: such
    rows make nothing, so they are passed over (and say why) instead of refusing the file."""
    con = connect(campaign(tmp_path, "a"))
    text = (
        "单位编号,收入（万元）\nu1,12.5\nu2,—\nu3,1\n,\n填表人：王五,\n注：不含上级补助。,\n审核人：李四,/\n"
    )
    d, _ = deliver(con, "income_report", text, period="2023Q1")
    assert d.problems == []
    table = d.rows.select("_row", "unit_text", "outcome", "detail")
    assert table.filter(pl.col("outcome") != "add").rows() == [
        (3, "u2", "skipped", "本行没有数值（如表尾的填表人、注释行）"),
        (6, "填表人：王五", "skipped", "本行没有数值（如表尾的填表人、注释行）"),
        (7, "注：不含上级补助。", "skipped", "本行没有数值（如表尾的填表人、注释行）"),
        (8, "审核人：李四", "skipped", "本行没有数值（如表尾的填表人、注释行）"),
    ]
    assert stored(con) == {("u1", "2023Q1", "income"): "125000", ("u3", "2023Q1", "income"): "10000"}
    # a unit named with no figure is no longer refused; a figure under a name no unit has still is
    d = preview(
        con,
        CID,
        "hotline_monthly",
        "h.csv",
        "社区名称,月份,办结率,投诉件数\n西湖,2023-01,,-\n".encode(),
        ADMIN,
    )
    assert d.problems == [] and d.rows["outcome"].to_list() == ["skipped"]


def test_a_source_that_skips_unknown_units_says_so_in_words(tmp_path):
    folder = tmp_path / "c"
    yaml = YAML + SOURCES.replace("    unit_by: id\n", "    unit_by: id\n    unmatched: skip\n")
    write_folder(
        folder,
        {"campaign.yaml": yaml, "units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"},
    )
    con = connect(tmp_path / "t.duckdb")
    import_campaign(con, read_campaign(folder))
    d = preview(
        con, CID, "income_report", "收入.csv", "单位编号,收入（万元）\nu1,1\nu9,2\n".encode(), ADMIN, "2023Q1"
    )
    assert d.problems == []
    assert d.rows.filter(pl.col("_row") == 3).select("outcome", "detail").rows() == [
        ("skipped", "不在本活动的单位（按来源设置跳过）")
    ]


def test_an_old_excel_file_is_refused_in_words_asking_for_xlsx(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    with pytest.raises(CampaignError) as info:
        preview(con, CID, "income_report", "收入.xls", b"\xd0\xcf\x11\xe0", ADMIN, "2023Q1")
    assert [p.code for p in info.value.problems] == ["upload_old_excel"]
    assert "另存为” .xlsx" in info.value.problems[0].message("zh")


MONTHS_ACROSS = """  - id: hotline_across
    name: 12345月度办结率（按月分列）
    department: 区数据资源局
    unit_column: 社区名称
    aliases: {山旺: u1}
    months: mean
    columns:
      - {column: "{month}办结率", indicator: hotline}
      - {column: "{month} 投诉件数", indicator: complaints, months: sum}
"""


def test_a_table_with_the_months_across_imports_as_the_long_values_do(tmp_path):
    """The same quarter as HOTLINE_Q1, the months as columns (1月办结率, 2月办结率…), with last
    December's column for comparison (not read) and the later months still empty."""
    con = with_sources(tmp_path, "across", MONTHS_ACROSS)
    text = (
        "社区名称,2022年12月办结率,1月办结率,2月办结率,3月办结率,4月办结率,"
        "1月投诉件数,2月投诉件数,3月投诉件数,4月投诉件数\n"
        "山旺,50,95.5,96,97,,1,0,2,\n"
        "\u3000江康社区,50,88%,90,91.25,-,3,1,0,\n"
        "东万社区,50,70,75,80.1,,4,2,1,\n"
        "合计,,,,,,8,3,3,\n"
    )
    d = preview(con, CID, "hotline_across", "热线.csv", text.encode(), ADMIN)
    assert d.problems == [] and d.periods == ["2023Q1"]
    assert d.rows.filter(pl.col("unit_id") == "u1").select("month", "indicator_id").rows()[:3] == [
        ("2023-01", "hotline"),
        ("2023-02", "hotline"),
        ("2023-03", "hotline"),
    ]
    confirm(con, d, ADMIN, confirm_note="核对无误")
    want = connect(campaign(tmp_path, "long", long_values()))
    mine = {k: v for k, v in stored(con).items() if k[2] != "income"}
    assert mine == {k: v for k, v in stored(want).items() if k[2] != "income"}


@pytest.mark.parametrize(
    "change",
    [
        "    period_column: 月份\n",  # the month is the column's, not a row's
        "    shape: long\n    indicator_column: 指标\n    value_column: 数值\n",
    ],
)
def test_months_across_columns_are_a_wide_source_s_only_way(tmp_path, change, capsys):
    yaml = YAML + SOURCES + MONTHS_ACROSS.replace("    months: mean\n", "    months: mean\n" + change)
    folder = write_folder(
        tmp_path / "bad",
        {"campaign.yaml": yaml, "units.csv": UNITS, "values.csv": "unit_id,period,indicator_id,value\n"},
    )
    rc, _, err = run_cli(capsys, "validate", folder)
    assert rc == 1 and "按月分列" in err, err
    mixed = MONTHS_ACROSS + "      - {column: 收入, indicator: income}\n"
    folder = write_folder(
        tmp_path / "mixed",
        {
            "campaign.yaml": YAML + SOURCES + mixed,
            "units.csv": UNITS,
            "values.csv": "unit_id,period,indicator_id,value\n",
        },
    )
    rc, _, err = run_cli(capsys, "validate", folder)
    assert rc == 1 and "按月分列" in err, err


TWO_ROWS = """  - id: hotline_two_rows
    name: 12345热线与投诉（两行表头）
    department: 区数据资源局
    unit_column: 社区名称
    aliases: {山旺: u1}
    period_column: 月份
    months: mean
    columns:
      - {column: 12345热线/办结率, indicator: hotline}
      - {column: 投诉/件数, indicator: complaints, months: sum}
"""


def test_a_header_of_two_rows_is_read_as_one(tmp_path):
    """12345热线 merged above 受理量 and 办结率, 投诉 above 件数: the columns head as
    12345热线/办结率 and 投诉/件数; the lower row is not taken for data."""
    con = with_sources(tmp_path, "two", TWO_ROWS)
    text = (
        "序号,社区名称,月份,12345热线,,投诉\n"
        ",,,受理量,办结率,件数\n"
        "1,山旺,2023-01,40,95.5,1\n"
        "2,江康社区,2023-01,12,88,3\n"
    )
    d = preview(con, CID, "hotline_two_rows", "热线.csv", text.encode(), ADMIN)
    assert d.problems == []
    got = {(r["_row"], r["indicator_id"]): r["value"] for r in d.rows.iter_rows(named=True)}
    assert got == {
        (3, "hotline"): "95.5",
        (3, "complaints"): "1",
        (4, "hotline"): "88",
        (4, "complaints"): "3",
    }


def test_a_two_row_header_in_a_workbook_with_merged_cells_and_percent_cells(tmp_path):
    import xlsxwriter

    path = tmp_path / "热线.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        pct = book.add_format({"num_format": "0.0%"})
        sheet.write(0, 1, "2023年一季度12345热线")  # a title, from column B as the table
        sheet.write_row(2, 1, ["社区名称", "月份"])
        sheet.merge_range(2, 3, 2, 4, "12345热线")
        sheet.write(2, 5, "投诉")
        sheet.write_row(3, 3, ["受理量", "办结率", "件数"])
        sheet.write_row(4, 1, ["山旺", "2023年1月", 40])
        sheet.write_number(4, 4, 0.955, pct)
        sheet.write_number(4, 5, 1)
    con = with_sources(tmp_path, "two", TWO_ROWS)
    d = preview(con, CID, "hotline_two_rows", "热线.xlsx", path.read_bytes(), ADMIN)
    assert d.problems == []
    got = {(r["_row"], r["indicator_id"]): r["value"] for r in d.rows.iter_rows(named=True)}
    assert got == {(5, "hotline"): "95.5", (5, "complaints"): "1"}
