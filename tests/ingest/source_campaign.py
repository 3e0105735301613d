"""A small campaign with departments' sources (a monthly hotline report by name, an income
report by id), stored, and helpers to deliver files to it and read what is stored: shared by the
tests of sources."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from scoring.accounts.access import User
from scoring.app.deliveries import confirm, preview
from scoring.app.imports import import_campaign
from scoring.core.money import plain
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import write_folder

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


def stored(con, cid: str = CID) -> dict[tuple[str, str, str], str]:
    rows = con.execute(
        "SELECT unit_id, period, indicator_id, CAST(value AS VARCHAR) FROM indicator_values "
        "WHERE campaign_id = ? AND value IS NOT NULL",
        [cid],
    ).fetchall()
    return {(u, p, i): plain(Decimal(v)) for u, p, i, v in rows}


def points(con) -> list[tuple]:
    run = score(con, CID)
    query = "SELECT period, unit_id, indicator_id, points FROM points WHERE run_id = ?"
    return sorted(con.execute(query, [run.run_id]).fetchall())


def deliver(con, source: str, text: str, user: User = ADMIN, period: str | None = None, name: str = ""):
    d = preview(open_campaign(con, CID), source, name or f"{source}.csv", text.encode("utf-8"), user, period)
    return d, confirm(con, d, user, confirm_note="核对无误")
