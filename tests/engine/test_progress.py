"""The progress award (进步奖, spec step 9): last year's result per unit (baseline.csv) and
``awards.progress: {by, top_n, amount}``; inside each category the largest gains win, ties at the
edge all win, a gain of 0 or less never does, and the award is paid before the cap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.analysis.explain import explain_payouts
from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.outputs.results import payouts_frame
from scoring.rules.parse import parse_rules
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import write_folder

BASE = """format: starscore/1
campaign: {{id: {cid}, name: 进步, year: 2024, periods: [P1]}}
categories: [{{id: c, name: 类}}, {{id: d, name: 二类}}]
indicators: [{{id: s, name: S, kind: score, points: 100}}]
awards:
  stars: {{}}
  flag: 0
  community_cap: 25000
  rounding: 1
{extra}"""
PROGRESS = "  progress: {by: rank, top_n: 2, amount: 10000}\n"


def _folder(tmp_path, scores: dict[str, int], baseline: str | None, extra: str = PROGRESS, cats=None):
    files = {
        "campaign.yaml": BASE.format(cid="y2024", extra=extra),
        "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
        + "".join(f"{u},{u},{(cats or {}).get(u, 'c')},,\n" for u in scores),
        "values.csv": "unit_id,period,indicator_id,value\n"
        + "".join(f"{u},P1,s,{v}\n" for u, v in scores.items()),
    }
    if baseline is not None:
        files["baseline.csv"] = baseline
    return write_folder(tmp_path / "y2024", files)


def _pays(tmp_path, folder) -> dict[str, Decimal]:
    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(folder))
    run = score(con, "y2024")
    pays = {r["payee_id"]: r["final"] for r in payouts_frame(con, run).iter_rows(named=True)}
    won = dict(
        con.execute("SELECT unit_id, progress FROM annual_results WHERE run_id = ?", [run.run_id]).fetchall()
    )
    con.close()
    return pays | {f"won:{u}": w for u, w in won.items() if w}


def test_spec_example_by_rank(tmp_path):
    # baseline ranks 9, 4, 6, 2; this year's ranks 3, 1, 6, 1 (two share the first place)
    # gains 6, 3, 0, 1: places 1, 2, -, 3: the first two win, a gain of 0 never wins
    scores = {"a": 80, "b": 90, "c": 50, "d": 90, "e": 70, "f": 60, "g": 20}
    baseline = "unit_id,annual_score,annual_rank\na,60,9\nb,70,4\nc,50,6\nd,80,2\n"
    pays = _pays(tmp_path, _folder(tmp_path, scores, baseline))
    assert pays == {"a": 10000, "b": 10000, "won:a": True, "won:b": True}


def test_ties_at_the_edge_all_win_and_categories_are_apart(tmp_path):
    scores = {"a": 90, "b": 80, "c": 70, "x": 50, "y": 60}
    # a: 4 → 1 (+3), b: 4 → 2 (+2), c: 5 → 3 (+2): b and c share the second place: both win
    baseline = "unit_id,annual_score,annual_rank\na,1,4\nb,1,4\nc,1,5\nx,1,1\ny,1,2\n"
    cats = {"x": "d", "y": "d"}
    pays = _pays(tmp_path, _folder(tmp_path, scores, baseline, cats=cats))
    # in category d: y 2 → 1 (+1) wins, x 1 → 2 (-1) does not
    assert {k for k in pays if k.startswith("won:")} == {"won:a", "won:b", "won:c", "won:y"}


def test_by_score_and_the_cap(tmp_path):
    extra = "  progress: {by: score, top_n: 1, amount: 40000}\n"
    scores = {"a": 50, "b": 95, "c": 70}
    baseline = "unit_id,annual_score,annual_rank\na,49.99,\nb,96,1\nc,,\n"
    pays = _pays(tmp_path, _folder(tmp_path, scores, baseline, extra))
    # gains: a +0.01, b -1, c none (no baseline score): a wins 40000, capped at 25000
    assert pays == {"a": 25000, "won:a": True}


def test_no_baseline_row_cannot_win(tmp_path):
    pays = _pays(tmp_path, _folder(tmp_path, {"a": 90, "b": 80}, None))
    assert pays == {}


def test_explained_on_the_payout(tmp_path):
    folder = _folder(tmp_path, {"a": 90, "b": 80}, "unit_id,annual_score,annual_rank\na,1,2\n")
    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(folder))
    run = score(con, "y2024")
    explained = {e.payee_id: e for e in explain_payouts(open_campaign(con, run.campaign_id), run, "zh")}
    assert any("进步奖" in line and "前进 1 名" in line for line in explained["a"].lines)
    con.close()


def test_bad_baseline_rows_are_named(tmp_path):
    baseline = "unit_id,annual_score,annual_rank\nzz,1,1\na,x,1\na,1,0\nb,1,1.5\n"
    with pytest.raises(CampaignError) as info:
        read_campaign(_folder(tmp_path, {"a": 90, "b": 80}, baseline))
    got = {(p.file, p.row, p.code) for p in info.value.problems}
    assert got == {
        ("baseline.csv", 2, "baseline_unknown_unit"),
        ("baseline.csv", 3, "baseline_score"),
        ("baseline.csv", 4, "baseline_duplicate"),
        ("baseline.csv", 4, "baseline_rank"),
        ("baseline.csv", 5, "baseline_rank"),
    }
    assert "units.csv" in info.value.problems[0].message("zh")


def test_progress_rule_is_validated():
    bad = BASE.format(cid="y2024", extra=PROGRESS.replace("top_n: 2", "top_n: 0"))
    with pytest.raises(CampaignError) as info:
        parse_rules(bad)
    assert info.value.problems[0].column == "awards.progress.top_n"
    bad = BASE.format(cid="y2024", extra=PROGRESS.replace("by: rank", "by: stars"))
    with pytest.raises(CampaignError) as info:
        parse_rules(bad)
    assert info.value.problems[0].column == "awards.progress.by"


def test_last_year_taken_from_a_stored_campaign(tmp_path, capsys):
    from tests.helpers import run_cli

    db = tmp_path / "d.duckdb"
    last = write_folder(
        tmp_path / "y2023",
        {
            "campaign.yaml": BASE.format(cid="y2023", extra="").replace("year: 2024", "year: 2023"),
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
            "a,甲村,c,,\nold-b,乙村,c,,\nc,丙村,c,,\ngone,丁村,c,,\n",
            "values.csv": "unit_id,period,indicator_id,value\n"
            "a,P1,s,90\nold-b,P1,s,80\nc,P1,s,70\ngone,P1,s,60\n",
        },
    )
    assert run_cli(capsys, "run", last, "--out", tmp_path / "o1", "--db", db)[0] == 0
    # this year b climbs 2 → 1 (its id changed, its name did not); new is new
    this = write_folder(
        tmp_path / "y2024",
        {
            "campaign.yaml": BASE.format(cid="y2024", extra=PROGRESS.replace("top_n: 2", "top_n: 1")),
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
            "a,甲村,c,,\nb,乙村,c,,\nc,丙村,c,,\nnew,新村,c,,\n",
            "values.csv": "unit_id,period,indicator_id,value\na,P1,s,80\nb,P1,s,95\nc,P1,s,70\nnew,P1,s,10\n",
        },
    )
    assert run_cli(capsys, "import", this, "--db", db)[0] == 0
    rc, said, err = run_cli(capsys, "baseline", "--campaign", "y2024", "--from", "y2023", "--db", db)
    assert rc == 0, err
    assert "按编号对应 2 个单位，按名称对应 1 个" in said
    assert "new" in said and "gone" in said
    assert run_cli(capsys, "score", "--campaign", "y2024", "--db", db)[0] == 0
    rc, said, err = run_cli(capsys, "explain", "b", "--campaign", "y2024", "--db", db)
    assert rc == 0 and "前进 1 名" in said, err
    con = connect(db)
    rows = con.execute("SELECT action, source FROM audit_log WHERE action = 'baseline'").fetchall()
    assert len(rows) == 1 and rows[0][1].startswith("y2023 ")
    # a folder imported again without baseline.csv keeps the baseline taken
    con.close()
    assert run_cli(capsys, "import", this, "--db", db)[0] == 0
    con = connect(db)
    assert con.execute("SELECT count(*) FROM baselines WHERE campaign_id = 'y2024'").fetchall()[0][0] == 3
    con.close()
    rc, _, err = run_cli(capsys, "baseline", "--campaign", "y2024", "--from", "y2024", "--db", db)
    assert rc != 0 and "自己的结果" in err
