"""Finance exports: reconcile to the summary, and never carry a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import polars as pl
import pytest

from dashboard.i18n import LABELS
from scoring.app.imports import import_campaign
from scoring.app.service import payouts
from scoring.engine.run import Run, score
from scoring.ingest.validate import read_campaign
from scoring.outputs.reports import payouts_csv, payouts_excel, safe_text
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import DEMO

LABELS_EN = {k[2:]: v["en"] for k, v in LABELS.items() if k.startswith("x.")}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, Run]:
    con = connect(tmp_path_factory.mktemp("r") / "d.duckdb")
    data = read_campaign(DEMO)
    import_campaign(con, data)
    run = score(con, data.rules.id)
    frame = payouts(open_campaign(con, run.campaign_id), run)
    con.close()
    return frame, run


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_formula_text_is_neutralised(text):
    assert safe_text(text).startswith("'")
    assert safe_text("山旺社区") == "山旺社区" and safe_text(5) == 5


def test_csv_reconciles_and_is_injection_safe(demo_run):
    frame, run = demo_run
    evil = frame.with_columns(
        pl.when(pl.col("payee_id") == "JJ001")
        .then(pl.lit("=HYPERLINK(1)"))
        .otherwise(pl.col("payee_name"))
        .alias("payee_name")
    )
    text = payouts_csv(evil).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(Decimal(r["final"]) for r in rows) == Decimal(str(run.summary["total_final"]))
    assert next(r for r in rows if r["payee_id"] == "JJ001")["payee_name"] == "'=HYPERLINK(1)"


def test_excel_has_sheets_totals_header_and_no_formula(demo_run, demo_db):
    frame, run = demo_run
    from scoring.analysis.explain import explain_payouts
    from scoring.store.db import connect as open_db

    con = open_db(demo_db)
    explained = explain_payouts(open_campaign(con, run.campaign_id), run, "en")
    con.close()
    evil = frame.with_columns(
        pl.when(pl.col("payee_id") == "JJ001")
        .then(pl.lit("=1+2"))
        .otherwise(pl.col("payee_name"))
        .alias("payee_name")
    )
    data = payouts_excel(evil, run, LABELS_EN, draft=True, explanations=explained)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheets  # not a single formula cell
    assert "&apos;=1+2" in strings or "'=1+2" in strings
    assert run.summary["rules_hash"] in strings and "DRAFT" in strings
    from datetime import datetime

    from scoring.core.localtime import show

    # the time the run was scored, in the campaign's zone and named (stored in UTC)
    assert show(datetime.fromisoformat(run.summary["computed_at"]), "Asia/Shanghai", seconds=True) in strings
    assert "北京时间" in strings
    total = Decimal(0)
    for sheet in ("Communities", "Secretaries"):
        book = pl.read_excel(io.BytesIO(data), sheet_name=sheet, has_header=False)
        last = book.row(book.height - 1)
        assert last[0] == "Total"
        total += Decimal(str(last[4]))
    assert total == Decimal(str(run.summary["total_final"]))
    steps = pl.read_excel(io.BytesIO(data), sheet_name="Derivations")
    assert Decimal(str(steps["Final"].drop_nulls().sum())) == total


def test_the_payouts_csv_finance_opens_reads_in_chinese(demo_run):
    from scoring.core.i18n import CATALOGUE as COLUMNS

    frame, run = demo_run
    labels = {k[2:]: v["zh"] for k, v in COLUMNS.items() if k.startswith("x.")}
    rows = list(csv.DictReader(io.StringIO(payouts_csv(frame, labels, draft=True).decode("utf-8-sig"))))
    assert list(rows[0]) == ["类型", "编号", "名称", "应得", "封顶后", "实发", "状态"]
    assert {r["类型"] for r in rows} == {"社区", "书记"} and {r["状态"] for r in rows} == {
        "草稿（未公示定稿）"
    }
    assert sum(Decimal(r["实发"]) for r in rows) == Decimal(str(run.summary["total_final"]))
