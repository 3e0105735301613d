"""我的自评 as a village's own account opens it: its to-do, its self-score form saved, proof
uploaded for an item, the reply to an assessed value that differs, and nothing of another unit;
the entry page's 自评 beside 考评 and the approval page's counts."""

from __future__ import annotations

import polars as pl
from streamlit.testing.v1 import AppTest

from scoring.accounts.access import User, add_user
from scoring.app.entry import save_values
from scoring.app.evidence import list_evidence
from scoring.app.unit_self import save_self_form
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import REPO

CID = "jiujiang-2023"
UNIT = {"username": "xinhua", "role": "unit", "towns": [], "areas": [], "units": ["JJ001"]}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def party_building(value: str) -> pl.DataFrame:
    """JJ001's 党建引领 of 2023Q1 as an assessor saves it."""
    return pl.DataFrame(
        {
            "unit_id": ["JJ001"],
            "period": ["2023Q1"],
            "indicator_id": ["party_building"],
            "value": [value],
            "_row": [1],
        }
    )


def page(name: str, user: dict) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard" / "views" / f"{name}.py"), default_timeout=90)
    at.session_state["lang"] = "zh"
    at.session_state["campaign"] = CID
    at.session_state["user"] = user
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_unit_self_scores_replies_and_sees_only_its_own_unit(db):
    con = connect(db)
    add_user(con, "xinhua", "unit-pass-123", "unit", units=["JJ001"])
    con.close()
    at = page("self", UNIT)
    assert at.selectbox(key="sf_unit").options == ["山旺社区（JJ001）"]  # its own unit, no other
    todo = [w.value for w in at.warning]
    assert any("未自评" in w and "2023Q1" in w for w in todo)
    at.selectbox(key="sf_period").set_value("2023Q1").run()
    at.text_input(key="sf_v_JJ001_2023Q1_party_building").input("14")
    at.button[0].click().run()  # the form's save, with what was typed
    assert not at.exception, at.exception
    assert any("已保存 1 项自评" in s.value for s in at.success), [s.value for s in at.success]
    con = connect(db)
    value = party_building("11")
    save_values(open_campaign(con, CID), value, User("张主任", "admin"), reason="会议纪要不全")
    con.close()
    at = page("self", UNIT)
    at.selectbox(key="sf_period").set_value("2023Q1").run()
    assert any("会议纪要不全" in t.value for t in at.text)
    at.text_area(key="sf_reply_JJ001_2023Q1_party_building").input("纪要已补齐").run()
    at.button(key="sf_send_JJ001_2023Q1_party_building").click().run()
    assert not at.exception, at.exception
    assert any("本单位回复：纪要已补齐" in t.value for t in at.text)


def test_the_entry_and_approval_pages_show_self_scores_and_proof(db):
    con = connect(db)
    campaign = open_campaign(con, CID)
    admin = User("张主任", "admin")
    save_self_form(campaign, "JJ001", "2023Q4", {"honours": "2"}, admin)
    from scoring.app.evidence import add_evidence

    add_evidence(campaign, "JJ001", "2023Q4", "honours", "奖牌.png", PNG, admin)
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    assert list_evidence(con, CID, "JJ001").height == 1
    con.close()
    boss = {"username": "boss", "role": "admin", "towns": [], "areas": []}
    at = page("entry", boss)
    at.selectbox(key="en_period").set_value("2023Q4").run()
    grids = [
        d.value
        for d in at.dataframe
        if "honours" in d.value.columns and "JJ001" in d.value["unit_id"].tolist()
    ]
    assert any(g.loc[g["unit_id"] == "JJ001", "honours"].tolist() == ["自评 2 · 佐证 1"] for g in grids)
    assert at.selectbox(key="en_proof_cell").value == ("JJ001", "honours")
    assert any("无法显示" in t.value for t in at.text)  # a damaged photo is named, the page stands
    at = page("evidence", boss)
    at.selectbox(key="ev_period").set_value("2023Q4").run()
    assert any("zip" in str(b.proto.label) for b in at.get("download_button"))  # the unit's 台账
    at = page("workflow", boss)
    at.selectbox(key="wf_t_period").set_value("2023Q4").run()
    at.selectbox(key="wf_t_town").set_value(town).run()
    assert any("考评与自评不同" in c.value for c in at.caption)


def test_an_objection_shows_the_cell_s_self_assessment_and_assessment_history(db):
    from scoring.engine.run import score
    from scoring.workflow.periods import move
    from scoring.workflow.year import record_objection
    from tests.helpers import actor

    con = connect(db)
    campaign = open_campaign(con, CID)
    admin = User("张主任", "admin")
    save_self_form(campaign, "JJ001", "2023Q1", {"party_building": "15"}, admin)
    value = party_building("9")
    save_values(campaign, value, admin, reason="三会一课记录不全", confirm_note="核实")
    score(con, CID)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    record_objection(
        open_campaign(con, CID), "JJ001", "居民甲", "党建得分偏低", User("赵领导", "leader"), "2023Q1"
    )
    con.close()
    at = page("objections", {"username": "boss", "role": "admin", "towns": [], "areas": []})
    at.selectbox(key="ob_cell").set_value("party_building").run()
    assert not at.exception, at.exception
    story = [d.value for d in at.dataframe if "三会一课记录不全" in d.value.to_string()]
    assert story and "自评" in story[0].to_string()


def test_a_pdf_proof_opens_in_a_new_tab_and_downloads(db):
    from scoring.app.evidence import add_evidence

    con = connect(db)
    add_evidence(
        open_campaign(con, CID),
        "JJ001",
        "2023Q4",
        "honours",
        "证书.pdf",
        b"%PDF-1.7\n%%EOF\n",
        User("张主任", "admin"),
    )
    con.close()
    at = page("evidence", {"username": "boss", "role": "admin", "towns": [], "areas": []})
    at.selectbox(key="ev_period").set_value("2023Q4").run()
    at.selectbox(key="ev_indicator").set_value("honours").run()
    assert not at.exception, at.exception
    links = at.get("link_button")
    assert [b.proto.label.replace("\\", "") for b in links] == ["在新标签页打开 证书.pdf"]  # escaped as text
    url = links[0].proto.url  # relative: it holds behind a path prefix (AppTest's store is mock/media/)
    assert not url.startswith("/") and "media/" in url and url.endswith(".pdf")
