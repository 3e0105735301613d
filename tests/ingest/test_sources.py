"""Departments' own exports (一套表): a wide monthly file with names, aliases, full-width spaces,
a total row and a unit conversion imports to the same values (and the same points) as the
equivalent long values.csv; months and period labels as departments write them; every problem
named by file, row and column; a dry run writes nothing; a quarter waits for its months; a
department's evaluator delivers only its sources; what each department has delivered, per
period."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from scoring.app.deliveries import confirm, may_deliver, preview, shown, sources_for, summary
from scoring.app.delivery_status import missing, status
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.ingest.source_table import number
from scoring.ingest.validate import read_campaign
from scoring.rules.months import label_months, parse_month
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.locks import set_deadline
from tests.helpers import DEMO, run_cli, write_folder
from tests.ingest.source_campaign import (
    ADMIN,
    CID,
    HOTLINE_CLERK,
    HOTLINE_Q1,
    INCOME_Q1,
    SOURCES,
    UNITS,
    YAML,
    campaign,
    deliver,
    long_values,
    points,
    stored,
)


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
    d = preview(open_campaign(con, CID), "income_report", "收入.csv", INCOME_Q1.encode(), ADMIN, "2023Q1")
    assert con.execute("SELECT count(*) FROM audit_log").fetchall() == before
    assert con.execute("SELECT count(*) FROM source_deliveries").fetchall() == [(0,)]
    outcome = dict(zip(d.rows["unit_id"], d.rows["outcome"], strict=True))
    assert outcome == {"u1": "same", "u2": "add", "u3": "add"}
    assert summary(d) == "共 3 行：新增 2 项，修改 0 项，不变 1 项，待其余月份 0 项，跳过 0 行，拒收 0 行"
    assert shown(d, "zh")["outcome"].to_list() == ["不变", "新增", "新增"]
    changed = INCOME_Q1.replace("u1,12.5", "u1,13")
    d = preview(open_campaign(con, CID), "income_report", "收入.csv", changed.encode(), ADMIN, "2023Q1")
    row = d.rows.filter(pl.col("unit_id") == "u1").row(0, named=True)
    assert (row["outcome"], row["old"], row["new"]) == ("change", "125000", "130000")


def test_a_quarter_waits_for_its_months_and_completes_with_a_later_upload(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    two = "\n".join(line for line in HOTLINE_Q1.splitlines() if "2023/3" not in line and "-03" not in line)
    d, _ = deliver(con, "hotline_monthly", two)
    assert set(d.rows.filter(pl.col("unit_text") != "合计")["outcome"].drop_nulls()) == {"pending"}
    assert "2023-03" in d.rows.filter(pl.col("outcome") == "pending")["detail"][0]
    assert stored(con) == {}
    state = status(open_campaign(con, CID)).filter(pl.col("source_id") == "hotline_monthly")
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
    state = status(open_campaign(con, CID)).filter(pl.col("source_id") == "hotline_monthly")
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
        d = preview(open_campaign(con, CID), "hotline_monthly", "热线.csv", text.encode(), ADMIN)
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
    d = preview(open_campaign(con, CID), "income_report", "收入.xlsx.csv", text.encode(), ADMIN, "2023Q1")
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
        open_campaign(con, CID),
        "hotline_monthly",
        "热线.csv",
        "社区名称,月份,办结率,投诉件数\n东万社区,2023-01,90,1\n".encode(),
        ADMIN,
    )
    assert [(p.code, p.row, p.params["ids"]) for p in d.problems] == [("source_unit_ambiguous", 2, "u3、u4")]
    # the rejected row still shows the name as the file writes it
    assert d.rows.select("_row", "unit_text", "outcome").rows() == [(2, "东万社区", "rejected")]


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
        save_values(open_campaign(con, CID), one, HOTLINE_CLERK)
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
    set_deadline(open_campaign(con, CID), "2023Q1", "2020-01-10", ADMIN)
    set_deadline(open_campaign(con, CID), "2023Q2", "2099-01-10", ADMIN)
    deliver(con, "income_report", INCOME_Q1, period="2023Q1")
    table = status(open_campaign(con, CID))
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
    d = preview(open_campaign(con, "jiujiang-2023"), source, file, path.read_bytes(), ADMIN, period)
    assert d.problems == []
    outcomes = d.rows.group_by("outcome").len()
    assert set(outcomes["outcome"]) <= {"same", "skipped"}, outcomes
    assert d.count("skipped") == totals  # the total row
    assert d.count("same") >= 70  # every unit the indicator applies to
    assert d.periods == ["2023Q1"]


def test_what_a_source_still_misses_is_listed_by_unit(tmp_path):
    con = connect(campaign(tmp_path, "a"))
    deliver(con, "income_report", "单位编号,收入（万元）\nu1,12.5\nu3,1\n", period="2023Q1")
    gone = missing(open_campaign(con, CID), "income_report", "2023Q1")
    assert gone.select("unit_id", "name", "indicator").rows() == [("u2", "江康社区", "集体经济收入")]
    assert missing(open_campaign(con, CID), "income_report", "2023Q2")["unit_id"].to_list() == [
        "u1",
        "u2",
        "u3",
    ]


def test_names_as_offices_write_them_match_without_an_alias(tmp_path):
    """山旺社区居委会, ＥＸ全角, spaces and a bracketed note find their unit with no alias; a bare name
    two units share (东万 for 东万社区 and 东万村) is ambiguous, never guessed."""
    from scoring.ingest.source_match import office_name

    assert office_name("山旺社区居民委员会") == ("山旺社区", "山旺")
    assert office_name("龙江村村委会") == ("龙江村", "龙江")
    assert office_name("龙江村民委员会")[1] == office_name("龙江村")[1] == "龙江"
    assert office_name("江 康 社区（居委会）")[0] == "江康社区"
    folder = tmp_path / "c"
    write_folder(
        folder,
        {
            "campaign.yaml": YAML + SOURCES,
            "units.csv": UNITS + "u4,东万村,c,s4,赵,沈巷镇\n",
            "values.csv": "unit_id,period,indicator_id,value\n",
        },
    )
    con = connect(tmp_path / "t.duckdb")
    import_campaign(con, read_campaign(folder))
    text = (
        "社区名称,月份,办结率,投诉件数\n"
        "江康社区居委会,2023-01,90,1\n"
        "江 康 社区（居委会）,2023-02,91,1\n"
        "东万社区居民委员会,2023-01,80,2\n"
        "东万,2023-01,70,2\n"
    )
    d = preview(open_campaign(con, CID), "hotline_monthly", "热线.csv", text.encode(), ADMIN)
    matched = dict(zip(d.rows["_row"].to_list(), d.rows["unit_id"].to_list(), strict=True))
    assert (matched[2], matched[3], matched[4]) == ("u2", "u2", "u3")
    assert [(p.code, p.row, p.params["ids"]) for p in d.problems] == [("source_unit_ambiguous", 5, "u3、u4")]


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "file_empty", "文件是空的"),
        ("社区名称,月份,办结率,投诉件数\n".encode(), "source_no_rows", "只有表头"),
    ],
)
def test_an_empty_file_and_a_header_alone_are_said_in_words(tmp_path, data, code, words):
    con = connect(campaign(tmp_path, "a"))
    with pytest.raises(CampaignError) as info:
        preview(open_campaign(con, CID), "hotline_monthly", "热线.csv", data, ADMIN)
    assert [p.code for p in info.value.problems] == [code]
    assert words in info.value.problems[0].message("zh")
