"""The demo's departments' own exports (一套表), as the departments send them: the 12345 hotline's
monthly table (区数据资源局), the petitions office's monthly report (区信访局), the farm bureau's
quarterly collective-income table in 元 (区农业农村局) and the residents' survey as the survey
tool exports it (区民政局), for 2023Q1. Each is drawn from
the demo's values so that delivering it changes nothing: its months average (or add up) to the
quarter's value, its 元 are the 万元 × 10000. A title above the table, names padded with
full-width spaces here and there and a total row are as such files come."""

from __future__ import annotations

from decimal import Decimal

# the sources the demo's campaign.yaml declares (written before its surveys)
SOURCES_YAML = """\
sources:                  # 一套表: departments' own exports, read as they send them
  - id: hotline_12345
    name: 12345热线办件满意率月报
    department: 区数据资源局
    unit_column: 社区（村）名称
    period_column: 月份
    months: mean
    columns:
      - {column: 办件满意率（%）, indicator: hotline}
  - id: petitions_monthly
    name: 信访事项月报
    department: 区信访局
    unit_column: 单位
    period_column: 月份
    months: sum
    columns:
      - {column: 信访件数, indicator: petitions}
  - id: collective_income
    name: 村级集体经济收入统计表
    department: 区农业农村局
    unit_column: 村（社区）
    columns:
      - {column: 经营性收入（元）, indicator: collective_income, factor: 0.0001}
  - id: satisfaction_survey       # the residents' survey, as the survey tool exports it
    name: 群众满意度问卷（问卷星导出）
    department: 区民政局
    shape: survey
    unit_column: 1、您所在的社区（村）
    respondent_column: 序号
    answers: {非常满意: 5, 满意: 4, 一般: 3, 不满意: 2, 非常不满意: 1}
    columns:
      - {column: 2、服务态度, indicator: satisfaction}
      - {column: 3、办事效率, indicator: satisfaction}
      - {column: 4、环境卫生, indicator: satisfaction}
"""
QUARTER = "2023Q1"
MONTHS = ("2023年1月", "2023年2月", "2023年3月")
HOTLINE_FILE = "12345热线_2023年1-3月.csv"
PETITIONS_FILE = "信访月报_2023年1-3月.csv"
INCOME_FILE = "集体经济收入_2023年第一季度.csv"
SURVEY_FILE = "群众满意度问卷_2023年第一季度.csv"
WORDS = {"5": "非常满意", "4": "满意", "3": "一般", "2": "不满意", "1": "非常不满意"}
# what the demo's departments have delivered: (source, file, the period when the file has no
# period column); `starscore demo` delivers them, so the departments' page starts with 2023Q1 in
DELIVERED = (
    ("hotline_12345", HOTLINE_FILE, None),
    ("petitions_monthly", PETITIONS_FILE, None),
    ("collective_income", INCOME_FILE, QUARTER),
    ("satisfaction_survey", SURVEY_FILE, QUARTER),
)


def _name(k: int, name: str) -> str:
    """A name as a department's clerk typed it: now and then padded with full-width spaces."""
    return f"\u3000{name}\u3000" if k % 9 == 4 else name


def survey_export(units: list[list[str]], surveys: list[list[str]]) -> list[list[str]]:
    """The quarter's survey as the survey tool exports it, drawn from the demo's surveys.csv: an
    answer sheet a row, numbered through the file, the unit by name, the answers in words; an
    answer surveys.csv marks excluded is left blank (not counted either way)."""
    names = {row[0]: row[1] for row in units[1:]}
    sheets: dict[tuple[str, str], dict[str, str]] = {}
    for uid, period, _, rid, item, answer, status in surveys[1:]:
        if period == QUARTER:
            sheets.setdefault((uid, rid), {})[item] = "" if status == "excluded" else WORDS[answer]
    rows = [
        [
            "序号",
            "提交答卷时间",
            "所用时间",
            "来源",
            "1、您所在的社区（村）",
            "2、服务态度",
            "3、办事效率",
            "4、环境卫生",
        ]
    ]
    for n, ((uid, _), answers) in enumerate(sheets.items(), start=1):
        when = f"2023/3/{1 + n % 28} {8 + n % 12}:{n % 60:02d}:00"
        items = [answers.get(i, "") for i in ("服务态度", "办事效率", "环境卫生")]
        rows.append([str(n), when, f"{60 + n % 240}秒", "微信", names[uid], *items])
    return rows


def source_files(
    units: list[list[str]], values: list[list[str]], surveys: list[list[str]]
) -> dict[str, list[list[str]]]:
    """The four files (header first, a title row above some) from the demo's units, values and
    survey answers."""
    names = {row[0]: row[1] for row in units[1:]}
    of = {(r[0], r[2]): r[3] for r in values[1:] if r[1] == QUARTER}
    hotline = [
        ["鸠江区12345热线办件满意率（2023年第一季度，按月）", "", ""],
        ["社区（村）名称", "月份", "办件满意率（%）"],
    ]
    petitions = [["单位", "月份", "信访件数"]]
    income = [["鸠江区村级集体经济收入统计表（2023年第一季度）", ""], ["村（社区）", "经营性收入（元）"]]
    total_petitions, total_income = 0, Decimal(0)
    for k, (uid, name) in enumerate(names.items()):
        v = Decimal(of[(uid, "hotline")])
        d = min(Decimal("0.5"), Decimal(100) - v, v)  # three months around the quarter's mean
        for month, x in zip(MONTHS, (v - d, v, v + d), strict=True):
            hotline.append([_name(k, name), month, f"{x:f}"])
        n = int(of[(uid, "petitions")])
        for month, count in zip(MONTHS, (n // 3, n // 3, n - 2 * (n // 3)), strict=True):
            petitions.append([name, month, str(count)])
        total_petitions += n
        if (uid, "collective_income") in of:
            yuan = Decimal(of[(uid, "collective_income")]) * 10000
            income.append([_name(k, name), f"{yuan:.0f}"])
            total_income += yuan
    petitions.append(["合计", "", str(total_petitions)])
    income.append(["合计", f"{total_income:.0f}"])
    return {
        HOTLINE_FILE: hotline,
        PETITIONS_FILE: petitions,
        INCOME_FILE: income,
        SURVEY_FILE: survey_export(units, surveys),
    }
