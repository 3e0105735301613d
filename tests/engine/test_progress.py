"""The progress award (进位奖): units that climb at least N places in their category against
the previous campaign earn an amount on top of stars and flags, before the cap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.analysis.explain import explain_payouts
from scoring.core.errors import CampaignError
from scoring.engine.run import latest_run, score
from scoring.ingest.validate import read_campaign
from scoring.integrity.imports import import_campaign
from scoring.outputs.results import payouts_frame
from scoring.rules.parse import parse_rules
from scoring.store.db import connect
from tests.helpers import write_folder

BASE = """format: starscore/1
campaign: {{id: {cid}, name: 进位, year: {year}, periods: [P1]}}
categories: [{{id: c, name: 类}}]
indicators: [{{id: s, name: S, kind: score, points: 100}}]
awards:
  stars: {{}}
  flag: 0
  community_cap: 25000
  rounding: 1
{extra}"""
PROGRESS = """  progress: {previous_campaign: y2023, min_places: 2, amount: 10000}
"""


def _campaign(tmp_path, db, cid: str, year: int, scores: dict[str, int], extra: str = ""):
    folder = write_folder(
        tmp_path / cid,
        {
            "campaign.yaml": BASE.format(cid=cid, year=year, extra=extra),
            "units.csv": "unit_id,name,category,secretary_id,secretary_name\n"
            + "".join(f"{u},{u},c,,\n" for u in scores),
            "values.csv": "unit_id,period,indicator_id,value\n"
            + "".join(f"{u},P1,s,{v}\n" for u, v in scores.items()),
        },
    )
    con = connect(db)
    import_campaign(con, read_campaign(folder))
    return con


def test_progress_award_follows_its_rule(tmp_path):
    db = tmp_path / "d.duckdb"
    con = _campaign(tmp_path, db, "y2023", 2023, {"a": 90, "b": 80, "c": 70, "d": 60, "e": 50})
    score(con, "y2023")
    con.close()
    # 2024: d climbs 4→1 (3 places), c 3→2 (1 place), e 5→3 (2 places)
    con = _campaign(tmp_path, db, "y2024", 2024, {"a": 40, "b": 30, "c": 85, "d": 95, "e": 50}, PROGRESS)
    run = score(con, "y2024")
    pays = {r["payee_id"]: r["final"] for r in payouts_frame(con, run).iter_rows(named=True)}
    assert pays == {"d": Decimal(10000), "e": Decimal(10000)}
    explained = {e.payee_id: e for e in explain_payouts(con, run, "en")}
    assert any("progress award" in line for line in explained["d"].lines)
    assert sum(e.final for e in explained.values()) == 20000
    con.close()


def test_progress_award_is_capped_with_the_rest(tmp_path):
    db = tmp_path / "d.duckdb"
    con = _campaign(tmp_path, db, "y2023", 2023, {"a": 90, "b": 80, "c": 70})
    score(con, "y2023")
    con.close()
    extra = PROGRESS.replace("amount: 10000", "amount: 40000")
    con = _campaign(tmp_path, db, "y2024", 2024, {"a": 10, "b": 20, "c": 99}, extra)
    run = score(con, "y2024")
    row = payouts_frame(con, run).row(0, named=True)
    assert (row["payee_id"], row["gross"], row["capped"]) == ("c", 40000, 25000)
    con.close()


def test_missing_previous_campaign_is_a_clear_error(tmp_path):
    db = tmp_path / "d.duckdb"
    con = _campaign(tmp_path, db, "y2024", 2024, {"a": 1, "b": 2}, PROGRESS)
    with pytest.raises(CampaignError) as info:
        score(con, "y2024")
    assert info.value.problems[0].code == "progress_previous_missing"
    assert latest_run(con, "y2024") is None
    con.close()


def test_progress_rule_is_validated():
    bad = BASE.format(cid="y2023", year=2023, extra=PROGRESS.replace("min_places: 2", "min_places: 0"))
    with pytest.raises(CampaignError) as info:
        parse_rules(bad)
    assert info.value.problems[0].column == "awards.progress.min_places"
    with pytest.raises(CampaignError) as info:
        parse_rules(BASE.format(cid="y2023", year=2023, extra=PROGRESS))
    assert info.value.problems[0].code == "progress_self"
