"""The office's pages as their users open them: an evaluator's to-do, a leader approving a town
on 审核发布, an admin recording and handling an objection."""

from __future__ import annotations

import polars as pl
from streamlit.testing.v1 import AppTest

from scoring.accounts.access import User, add_user
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.periods import move
from scoring.workflow.states import town_matrix
from scoring.workflow.towns import move_town
from tests.helpers import REPO, actor, shown

CID = "jiujiang-2023"


def page(name: str, user: dict, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard" / "views" / f"{name}.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state["campaign"] = CID
    at.session_state["user"] = user
    at.run()
    assert not at.exception, at.exception
    return at


WANG = {"username": "wang", "role": "evaluator", "towns": ["湾里街道"], "areas": []}
LEADER = {"username": "zhao", "role": "leader", "towns": [], "areas": []}
ADMIN = {"username": "boss", "role": "admin", "towns": [], "areas": []}


def _accounts(db) -> None:
    con = connect(db)
    add_user(con, "wang", "evaluator-pass-1", "evaluator", towns=["湾里街道"])
    add_user(con, "zhao", "leader-pass-1", "leader")
    add_user(con, "boss", "admin-pass-12", "admin")
    con.close()


def test_an_evaluator_s_to_do_lists_only_their_towns_with_a_return_s_message(db):
    _accounts(db)
    con = connect(db)
    move_town(con, CID, "2023Q1", "湾里街道", "submit", User("wang", "evaluator", ("湾里街道",)))
    move_town(con, CID, "2023Q1", "湾里街道", "return", User("zhao", "leader"), "JJ003 缺满意度调查表")
    con.close()
    at = page("todo", WANG)
    assert [t.value for t in at.title] == ["我的待办"]
    table = at.dataframe[0].value
    assert set(table["街镇"]) == {"湾里街道"} and len(table) == 4
    assert any("JJ003 缺满意度调查表" in w.value and "zhao" in w.value for w in at.warning)
    entry = page("entry", WANG)  # the entry page says it too
    entry.selectbox(key="en_period").set_value("2023Q1").run()
    assert any("JJ003 缺满意度调查表" in w.value for w in entry.warning)


def test_a_leader_approves_a_town_on_the_approval_page(db):
    _accounts(db)
    con = connect(db)
    move_town(con, CID, "2023Q1", "湾里街道", "submit", User("wang", "evaluator", ("湾里街道",)))
    con.close()
    at = page("workflow", LEADER)
    at.selectbox(key="wf_t_period").set_value("2023Q1")
    at.selectbox(key="wf_t_town").set_value("湾里街道")
    at.selectbox(key="wf_t_action").set_value("approve")
    at.button(key="wf_t_do").click().run()
    assert not at.exception, at.exception
    assert any("湾里街道 已变为：已审核" in s.value for s in at.success)
    matrix = at.dataframe[1].value
    cell = matrix.loc[matrix["街镇"] == "湾里街道", "2023Q1"].iloc[0]
    assert cell.startswith("已审核 · zhao")
    con = connect(db)
    frame = town_matrix(con, CID).filter(pl.col("period") == "2023Q1")
    con.close()
    assert dict(zip(frame["town"], frame["status"], strict=True))["官陡街道"] == "open"
    # a leader sees no admin steps: no exceptions, no year buttons
    assert not [b for b in at.button if b.key in ("wf_year_publish", "wf_x_close")]


def test_an_objection_is_recorded_and_rejected_on_its_page(db):
    _accounts(db)
    con = connect(db)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    con.close()
    at = page("objections", ADMIN)
    at.selectbox(key="ob_unit").set_value("JJ001")
    at.selectbox(key="ob_period").set_value("2023Q1")
    at.text_input(key="ob_by").input("居民甲")
    at.text_area(key="ob_text").input("荣誉未计入")
    next(b for b in at.button if b.label == "登记异议").click().run()
    assert not at.exception, at.exception
    assert any("已登记异议 #" in shown(s.value) for s in at.success)
    assert at.dataframe[0].value["处理结果"].tolist() == ["待处理"]
    at.selectbox(key="ob_outcome").set_value("rejected")
    at.text_input(key="ob_response").input("经核实，荣誉不在本期")
    next(b for b in at.button if b.label == "保存处理结果").click().run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["处理结果"].tolist() == ["不成立"]


def test_users_are_given_towns_from_the_campaign_s_list_and_changed_on_the_page(db):
    _accounts(db)
    at = page("users", ADMIN)
    assert "湾里街道" in at.multiselect(key="us_towns").options
    at.text_input(key="us_name").input("qian")
    at.text_input(key="us_password").input("evaluator-pass-7")
    at.selectbox(key="us_role").set_value("evaluator")
    at.multiselect(key="us_towns").set_value(["白茆镇"])
    next(b for b in at.button if b.label == "添加用户").click().run()
    assert not at.exception, at.exception
    assert any("已添加用户 qian" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert table.loc[table["用户名"] == "qian", "负责街镇"].iloc[0] == "白茆镇"
    # the next user starts from an empty form, not with qian's towns
    assert at.text_input(key="us_name").value == "" and at.multiselect(key="us_towns").value == []
    at.selectbox(key="us_target").set_value("qian").run()
    at.selectbox(key="us_change_role_qian").set_value("leader")
    next(b for b in at.button if b.label == "保存修改").click().run()
    said = " ".join(" ".join(map(str, d.value.iloc[:, -1])) for d in at.dataframe)
    assert "只有评分员可以限定街镇" in said  # a leader with a town would look limited and is not
    at.multiselect(key="us_ct_qian").set_value([])
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception, at.exception
    con = connect(db)
    role = con.execute("SELECT role FROM users WHERE username = 'qian'").fetchall()
    con.close()
    assert role == [("leader",)]


def test_an_evaluator_s_entry_page_offers_only_their_towns(db):
    _accounts(db)
    at = page("entry", WANG)
    assert at.selectbox(key="en_town").options == ["湾里街道"]
    grid = at.session_state["en_base"][1]
    assert set(grid["town"]) == {"湾里街道"}


def test_an_empty_grid_cell_is_empty_not_none(db):
    import polars as pl

    from scoring.app.entry import save_values

    _accounts(db)
    con = connect(db)
    clear = pl.DataFrame(
        {"unit_id": ["JJ001"], "period": ["2023Q4"], "indicator_id": ["honours"], "value": [""], "_row": [1]}
    )
    save_values(open_campaign(con, CID), clear, User("boss", "admin"))
    con.close()
    at = page("entry", ADMIN)
    at.selectbox(key="en_period").set_value("2023Q4").run()
    grid = next(
        d.value for d in at.dataframe if "unit_id" in d.value.columns and "honours" in d.value.columns
    )
    assert grid.loc[grid["unit_id"] == "JJ001", "honours"].iloc[0] == ""


def test_a_pending_objection_shows_the_unit_s_evidence(db):
    from scoring.app.evidence import add_evidence
    from scoring.workflow.year import record_objection

    con = connect(db)
    admin = User("张主任", "admin")
    add_evidence(
        open_campaign(con, "jiujiang-2023"), "JJ001", "2023Q1", "honours", "证书.pdf", b"%PDF-1.7\n", admin
    )
    for step in ("submit", "approve"):
        move(open_campaign(con, "jiujiang-2023"), "2023Q1", step, actor(step))
    move(open_campaign(con, "jiujiang-2023"), "2023Q1", "publish", admin)
    record_objection(
        open_campaign(con, "jiujiang-2023"),
        "JJ001",
        "居民甲",
        "表彰未计入",
        User("赵领导", "leader"),
        "2023Q1",
    )
    con.close()
    at = page("objections", {"username": "admin2", "role": "admin", "towns": [], "areas": []})
    assert any("证书.pdf" in frame.value.astype(str).to_numpy().ravel().tolist() for frame in at.dataframe)


def test_a_period_step_is_taken_on_the_click_by_the_account_as_it_stands(db):
    """The period step runs before the page is drawn (the button's callback): the page shows it
    at once; a session whose account was disabled meanwhile takes no step."""
    from scoring.accounts.access import current, set_disabled
    from scoring.workflow.periods import statuses

    _accounts(db)
    con = connect(db)
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    leader = {**LEADER, "credential": current(con, "zhao").credential}
    con.close()

    def status() -> str:
        con = connect(db)
        try:
            return statuses(con, CID).filter(pl.col("period") == "2023Q1")["status"][0]
        finally:
            con.close()

    at = page("workflow", leader)
    at.selectbox(key="wf_period").set_value("2023Q1")
    at.selectbox(key="wf_action").set_value("approve")
    at.button(key="wf_do").click().run()
    assert not at.exception, at.exception
    assert any("2023Q1 已变为：已审核" in s.value for s in at.success), [s.value for s in at.success]
    assert status() == "approved"
    table = at.dataframe[0].value  # the periods' table, drawn after the step
    assert "已审核" in table[table.iloc[:, 0] == "2023Q1"].astype(str).to_numpy()
    con = connect(db)
    set_disabled(con, "zhao", by="boss")
    con.close()
    at.button(key="wf_do").click().run()  # approve again: refused in words, had it been tried
    assert status() == "approved" and not at.success and not at.error
