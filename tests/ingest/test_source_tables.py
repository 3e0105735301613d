"""Departments' tables as districts receive them: percent cells, a workbook opening on
instructions, signature and note lines, dashes, an old .xls, months across as columns, a header
of two rows."""

from __future__ import annotations

import polars as pl
import pytest

from scoring.app.deliveries import confirm, preview
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import run_cli, write_folder
from tests.ingest.source_campaign import (
    ADMIN,
    CID,
    SOURCES,
    UNITS,
    YAML,
    campaign,
    deliver,
    long_values,
    stored,
    with_sources,
)


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
    d = preview(open_campaign(con, CID), "hotline_monthly", "热线.xlsx", path.read_bytes(), ADMIN)
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
    d = preview(open_campaign(con, CID), "hotline_monthly", "热线.xlsx", path.read_bytes(), ADMIN)
    assert [(p.row, p.code) for p in d.problems] == [(6, "source_unit_unknown")]  # the sheet's row 6
    got = {(r["_row"], r["indicator_id"]): r["value"] for r in d.rows.iter_rows(named=True) if r["value"]}
    assert got == {(5, "hotline"): "95.5", (5, "complaints"): "1"}


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
        (6, "填表人：王五", "skipped", "签名或说明行（制表人、审核人、日期、注等）"),
        (7, "注：不含上级补助。", "skipped", "签名或说明行（制表人、审核人、日期、注等）"),
        (8, "审核人：李四", "skipped", "签名或说明行（制表人、审核人、日期、注等）"),
    ]
    assert stored(con) == {("u1", "2023Q1", "income"): "125000", ("u3", "2023Q1", "income"): "10000"}
    # a unit named with no figure is no longer refused; a figure under a name no unit has still is
    d = preview(
        open_campaign(con, CID),
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
        open_campaign(con, CID),
        "income_report",
        "收入.csv",
        "单位编号,收入（万元）\nu1,1\nu9,2\n".encode(),
        ADMIN,
        "2023Q1",
    )
    assert d.problems == []
    assert d.rows.filter(pl.col("_row") == 3).select("outcome", "detail").rows() == [
        ("skipped", "不在本活动的单位（按来源设置跳过）")
    ]


def test_an_old_excel_file_is_refused_in_words_asking_for_xlsx(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    with pytest.raises(CampaignError) as info:
        preview(open_campaign(con, CID), "income_report", "收入.xls", b"\xd0\xcf\x11\xe0", ADMIN, "2023Q1")
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
    d = preview(open_campaign(con, CID), "hotline_across", "热线.csv", text.encode(), ADMIN)
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
    d = preview(open_campaign(con, CID), "hotline_two_rows", "热线.csv", text.encode(), ADMIN)
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
    d = preview(open_campaign(con, CID), "hotline_two_rows", "热线.xlsx", path.read_bytes(), ADMIN)
    assert d.problems == []
    got = {(r["_row"], r["indicator_id"]): r["value"] for r in d.rows.iter_rows(named=True)}
    assert got == {(5, "hotline"): "95.5", (5, "complaints"): "1"}
