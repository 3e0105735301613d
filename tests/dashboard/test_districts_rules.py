"""Counts, items that do not apply and the progress award where users meet them: the grid takes
不涉及 where the item allows it and refuses it elsewhere, the rules page says each rule in words,
the profile shows how a period's score was made, the board marks the progress award."""

from __future__ import annotations

import pytest

from scoring.app.entry import values_grid
from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.dashboard.conftest import open_app, save_grid
from tests.helpers import write_folder

RULES = """format: starscore/1
campaign: {id: rules-2024, name: 规则示例, year: 2024, periods: [P1]}
categories: [{id: v, name: 村}]
indicators:
  - {id: service, name: 养老服务站, kind: score, points: 50, not_applicable: allowed}
  - {id: party, name: 党建, kind: score, points: 50}
  - {id: incidents, name: 安全事件, kind: penalty, each: 2, points: 10}
awards:
  progress: {by: rank, top_n: 1, amount: 20000}
"""


@pytest.fixture
def district(tmp_path, monkeypatch):
    folder = write_folder(
        tmp_path / "c",
        {
            "campaign.yaml": RULES,
            "units.csv": "unit_id,name,category,secretary_id,secretary_name,town\n"
            "a,甲村,v,,,一镇\nb,乙村,v,,,一镇\nc,丙村,v,,,一镇\n",
            "values.csv": "unit_id,period,indicator_id,value\n"
            "a,P1,service,40\na,P1,party,40\na,P1,incidents,0\n"
            "b,P1,service,30\nb,P1,party,45\nb,P1,incidents,7\n"
            "c,P1,service,45\nc,P1,party,30\nc,P1,incidents,1\n",
            "baseline.csv": "unit_id,annual_score,annual_rank\na,70,3\nb,60,1\nc,65,2\n",
        },
    )
    path = tmp_path / "r.duckdb"
    con = connect(path)
    import_campaign(con, read_campaign(folder))
    score(con, "rules-2024")
    con.close()
    monkeypatch.setenv("STARSCORE_DB", str(path))
    return path


def _texts(at) -> str:
    parts = [*at.markdown, *at.text, *at.caption, *at.info, *at.success, *at.warning, *at.error]
    tables = [d.value.to_csv() for d in at.dataframe]
    return "\n".join([*(str(x.value) for x in parts), *tables])


def test_the_grid_takes_na_where_allowed_and_refuses_it_elsewhere(district):
    at = open_app("zh", "entry")
    save_grid(at, 0, {"service": "不涉及"})
    con = connect(district)
    grid = values_grid(open_campaign(con, "rules-2024"), "P1", None)
    row = con.execute(
        "SELECT score FROM period_results r JOIN runs USING (run_id) WHERE unit_id = 'a' "
        "ORDER BY computed_at DESC LIMIT 1"
    ).fetchall()
    con.close()
    assert grid.filter(grid["unit_id"] == "a")["service"].item() == "不涉及"
    assert float(row[0][0]) == 80  # 40 × 100 ÷ 50: the base rescaled
    save_grid(at, 1, {"party": "不涉及"})
    assert "不允许填“不涉及”" in _texts(at)


def test_rules_profile_and_board_say_the_rules(district):
    at = open_app("zh", "rules")
    said = _texts(at)
    assert "按得分率折算" in said and "每发生一次扣 2 分" in said and "进步奖" in said
    at = open_app("zh", "leaderboard")
    board = at.dataframe[0].value
    assert "进步奖" in board.columns
    marked = board[board["进步奖"] != ""]["单位"].tolist()
    assert marked == ["甲村"]  # 3rd last year, 1st this year (80 against 73 and 65)
    at = open_app("zh", "profile")
    at.selectbox(key="pf_unit").set_value("b").run()
    at.selectbox(key="pf_period").set_value("P1").run()
    said = _texts(at)
    assert "7 次 × 2 分 = 14 分，超过上限按 10 分计" in said
