"""The departments' files page: a department's file tried first (row by row, nothing written),
then written; what each department has delivered; a department's evaluator sees its own sources
only."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.accounts.access import add_user
from scoring.store.db import connect
from tests.dashboard.conftest import open_app
from tests.helpers import DEMO, REPO

CID = "jiujiang-2023"
HOTLINE = DEMO / "sources" / "12345热线_2023年1-3月.csv"


def _value(db, unit: str, indicator: str, period: str = "2023Q1") -> str:
    con = connect(db)
    rows = con.execute(
        "SELECT CAST(value AS VARCHAR) FROM indicator_values WHERE campaign_id = ? AND unit_id = ? "
        "AND period = ? AND indicator_id = ?",
        [CID, unit, period, indicator],
    ).fetchall()
    con.close()
    return rows[0][0]


def _frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def test_a_department_s_file_is_tried_then_written(db):
    lines = HOTLINE.read_text(encoding="utf-8").splitlines()
    first = lines[2].split(",")[0]  # the first unit's three months: 90, 91, 92 (mean 91)
    lines[2:5] = [f"{first},2023年{m}月,{x}" for m, x in ((1, 90), (2, 91), (3, 92))]
    upload = ("\n".join(lines) + "\n").encode("utf-8")
    before = _value(db, "JJ001", "hotline")
    at = open_app("zh", "sources")
    at.selectbox(key="so_source").set_value(
        next(o for o in at.selectbox(key="so_source").options if "12345" in o)
    )
    at.run()
    at.get("file_uploader")[0].set_value(("热线.csv", upload, "text/csv")).run()
    assert not at.exception
    rows = next(f for f in _frames(at) if "结果" in f.columns)
    changed = rows[rows["结果"] == "修改"]
    assert set(changed["单位编号"]) == {"JJ001"} and set(changed["新值"]) == {"91"}
    assert _value(db, "JJ001", "hotline") == before  # a dry run writes nothing
    at.button(key="so_confirm").click().run()
    if "so_flagged" in at.session_state:  # far from its peers: confirmed with a note
        at.text_input(key="so_confirm_note").input("核实无误").run()
        at.button(key="so_confirm_outliers").click().run()
    assert not at.exception
    assert float(_value(db, "JJ001", "hotline")) == 91
    status = next(f for f in _frames(at.run()) if "报送情况" in f.columns)
    q1 = status[(status["期次"] == "2023Q1") & (status["部门"] == "区数据资源局")]
    assert list(q1["报送情况"]) == ["已报送"]


def test_a_department_s_evaluator_sees_its_own_sources(db):
    con = connect(db)
    add_user(con, "boss", "admin-pass-12", "admin")
    add_user(con, "xf", "evaluator-pass-1", "evaluator", departments=["区信访局"])
    con.close()
    at = AppTest.from_file(str(REPO / "dashboard" / "views" / "sources.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.session_state["campaign"] = CID
    at.session_state["user"] = {
        "username": "xf",
        "role": "evaluator",
        "towns": [],
        "areas": [],
        "departments": ["区信访局"],
    }
    at.run()
    assert not at.exception
    assert at.selectbox(key="so_source").options == ["信访事项月报（区信访局）"]


def test_a_survey_export_is_tried_with_respondents_per_row(db):
    survey = DEMO / "sources" / "群众满意度问卷_2023年第一季度.csv"
    at = open_app("zh", "sources")
    at.selectbox(key="so_source").set_value(
        next(o for o in at.selectbox(key="so_source").options if "问卷" in o)
    )
    at.run()
    assert any("每份答卷一行" in c.value and "满意 = 4" in c.value for c in at.caption)
    at.get("file_uploader")[0].set_value((survey.name, survey.read_bytes(), "text/csv")).run()
    assert not at.exception
    rows = next(f for f in _frames(at) if "结果" in f.columns)
    assert set(rows["结果"]) == {"不变"}  # the demo's own answers: the values stand
    assert {"答卷", "状态"} <= set(rows.columns) and rows["说明"].str.startswith("调查 ").all()
