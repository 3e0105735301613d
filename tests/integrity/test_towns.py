"""The year as a district runs it, town by town: submissions per town, approval with four eyes,
returns with a message, an admin's override, one unit reopened in a locked period, entry
deadlines, and the leader who approves."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.app.entry import save_values
from scoring.app.todo import todo
from scoring.core.errors import CampaignError
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.locks import close_exception, grant_exception, set_deadline
from scoring.workflow.periods import move
from scoring.workflow.states import statuses, town_matrix
from scoring.workflow.towns import move_town
from tests.helpers import run_cli

CID = "jiujiang-2023"
WANG = User("王评", "evaluator", towns=("湾里街道",))  # JJ001…JJ012
LI = User("李评", "evaluator", towns=("官陡街道",))  # JJ024…
LEADER = User("赵领导", "leader")
ADMIN = User("张主任", "admin")


def one(unit: str, indicator: str, value: str, period: str = "2023Q1") -> pl.DataFrame:
    return pl.DataFrame(
        {"unit_id": [unit], "period": [period], "indicator_id": [indicator], "value": [value], "_row": [1]}
    )


def codes(info: pytest.ExceptionInfo[CampaignError]) -> set[str]:
    return {p.code for p in info.value.problems}


def state(con, period: str, town: str) -> str:
    frame = town_matrix(con, CID).filter((pl.col("period") == period) & (pl.col("town") == town))
    return str(frame["status"][0])


def period_state(con, period: str) -> str:
    return str(statuses(con, CID).filter(pl.col("period") == period)["status"][0])


def test_a_town_s_submission_does_not_touch_another_town(demo_copy):
    con = connect(demo_copy)
    assert (
        move(open_campaign(con, CID), "2023Q1", "submit", WANG) == "open"
    )  # the district waits for the others
    assert state(con, "2023Q1", "湾里街道") == "submitted"
    assert state(con, "2023Q1", "官陡街道") == "open"
    assert state(con, "2023Q2", "湾里街道") == "open"
    with pytest.raises(CampaignError) as info:  # not his town
        move_town(con, CID, "2023Q1", "官陡街道", "submit", WANG)
    assert codes(info) == {"not_your_town"}
    # 李评's town still takes values without a reason; 王评's submitted town needs one
    save_values(open_campaign(con, CID), one("JJ024", "honours", "1"), LI, confirm_note="ok")
    with pytest.raises(CampaignError) as info:
        save_values(open_campaign(con, CID), one("JJ001", "honours", "1"), WANG, confirm_note="ok")
    assert codes(info) == {"reason_required"}
    move(open_campaign(con, CID), "2023Q1", "submit", User("其他评", "evaluator"))  # the rest of the towns
    assert period_state(con, "2023Q1") == "submitted"
    con.close()


def test_four_eyes_and_the_leader_who_approves(demo_copy):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", WANG)
    with pytest.raises(CampaignError) as info:  # the submitter cannot approve (an admin neither)
        move_town(con, CID, "2023Q1", "湾里街道", "approve", User("王评", "admin"))
    assert codes(info) == {"four_eyes"}
    save_values(
        open_campaign(con, CID), one("JJ002", "honours", "1"), ADMIN, reason="补录", confirm_note="ok"
    )
    with pytest.raises(CampaignError) as info:  # nor whoever changed a value of the town
        move_town(con, CID, "2023Q1", "湾里街道", "approve", ADMIN)
    assert codes(info) == {"four_eyes"}
    with pytest.raises(CampaignError) as info:  # an evaluator may not approve at all
        move_town(con, CID, "2023Q1", "湾里街道", "approve", LI)
    assert codes(info) == {"forbidden"}
    assert move_town(con, CID, "2023Q1", "湾里街道", "approve", LEADER) == "approved"
    # the approved town is locked; the others are not
    with pytest.raises(CampaignError) as info:
        save_values(
            open_campaign(con, CID), one("JJ003", "honours", "1"), WANG, reason="x", confirm_note="ok"
        )
    assert codes(info) == {"town_approved"} and "赵领导" in info.value.render("zh")
    save_values(open_campaign(con, CID), one("JJ024", "honours", "1"), LI, confirm_note="ok")
    # the district approves once every town is submitted: the rest approved in the same step
    move(open_campaign(con, CID), "2023Q1", "submit", User("其他评", "evaluator"))
    assert move(open_campaign(con, CID), "2023Q1", "approve", LEADER) == "approved"
    assert set(town_matrix(con, CID).filter(pl.col("period") == "2023Q1")["status"]) == {"approved"}
    con.close()


def test_a_return_carries_its_message_to_the_town(demo_copy):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", User("全评", "evaluator"))
    assert period_state(con, "2023Q1") == "submitted"
    with pytest.raises(CampaignError) as info:
        move_town(con, CID, "2023Q1", "湾里街道", "return", LEADER)
    assert codes(info) == {"return_message"}
    move_town(con, CID, "2023Q1", "湾里街道", "return", LEADER, "JJ003 的培训参训率缺少佐证")
    assert state(con, "2023Q1", "湾里街道") == "returned"
    assert period_state(con, "2023Q1") == "open"  # a town returned: the period waits again
    rows = todo(open_campaign(con, CID), WANG).filter(pl.col("period") == "2023Q1").row(0, named=True)
    assert (rows["status"], rows["message"], rows["changed_by"]) == (
        "returned",
        "JJ003 的培训参训率缺少佐证",
        "赵领导",
    )
    assert set(todo(open_campaign(con, CID), WANG)["town"]) == {"湾里街道"}  # only his towns
    save_values(
        open_campaign(con, CID), one("JJ003", "training", "90"), WANG, confirm_note="ok"
    )  # no reason needed
    assert move(open_campaign(con, CID), "2023Q1", "submit", WANG) == "submitted"
    con.close()


def test_an_admin_overrides_a_town_with_a_reason_logged(demo_copy):
    con = connect(demo_copy)
    with pytest.raises(CampaignError) as info:
        move_town(con, CID, "2023Q1", "湾里街道", "override", ADMIN)
    assert codes(info) == {"override_message"}
    with pytest.raises(CampaignError) as info:
        move_town(con, CID, "2023Q1", "湾里街道", "override", LEADER, "x")
    assert codes(info) == {"forbidden"}
    assert move_town(con, CID, "2023Q1", "湾里街道", "override", ADMIN, "评分员病假，材料已核") == "approved"
    logged = con.execute(
        "SELECT from_status, to_status, who, message FROM town_log WHERE town = '湾里街道'"
    ).fetchall()
    assert logged == [("open", "approved", "张主任", "评分员病假，材料已核")]
    con.close()


def _approve(con, period: str = "2023Q1") -> None:
    move(open_campaign(con, CID), period, "submit", User("全评", "evaluator"))
    move(open_campaign(con, CID), period, "approve", LEADER)


def test_one_reopened_unit_accepts_an_edit_while_its_neighbours_refuse(demo_copy):
    con = connect(demo_copy)
    _approve(con)
    with pytest.raises(CampaignError) as info:  # never the whole period or a town
        grant_exception(open_campaign(con, CID), "2023Q1", ADMIN, "更正", town="湾里街道")
    assert codes(info) == {"exception_needs_unit"}
    with pytest.raises(CampaignError) as info:
        grant_exception(open_campaign(con, CID), "2023Q1", LEADER, "更正", unit_id="JJ001")
    assert codes(info) == {"forbidden"}
    no = grant_exception(
        open_campaign(con, CID), "2023Q1", ADMIN, "荣誉漏报", unit_id="JJ001", indicator_id="honours"
    )
    save_values(
        open_campaign(con, CID), one("JJ001", "honours", "3"), ADMIN, reason="荣誉漏报", confirm_note="ok"
    )
    for unit, indicator in (("JJ002", "honours"), ("JJ001", "publicity")):  # neighbours stay locked
        with pytest.raises(CampaignError) as info:
            save_values(
                open_campaign(con, CID), one(unit, indicator, "1"), ADMIN, reason="x", confirm_note="ok"
            )
        assert codes(info) == {"period_approved"}
    close_exception(con, CID, no, ADMIN)
    with pytest.raises(CampaignError) as info:
        save_values(
            open_campaign(con, CID), one("JJ001", "honours", "4"), ADMIN, reason="x", confirm_note="ok"
        )
    assert codes(info) == {"period_approved"}
    actions = [
        r[0]
        for r in con.execute("SELECT action FROM audit_log WHERE unit_id = 'JJ001' ORDER BY seq").fetchall()
    ]
    assert actions[-3:] == ["exception_grant", "change", "exception_close"]
    con.close()


def test_a_deadline_closes_entry_unless_an_exception_is_granted(demo_copy):
    con = connect(demo_copy)
    past = (now() - timedelta(days=1)).strftime("%Y-%m-%d")  # a local date that has ended
    set_deadline(open_campaign(con, CID), "2023Q2", past, ADMIN, reason="季度截止")
    with pytest.raises(CampaignError) as info:
        save_values(open_campaign(con, CID), one("JJ001", "honours", "1", "2023Q2"), WANG, confirm_note="ok")
    assert codes(info) == {"deadline_passed"} and "北京时间" in info.value.render("zh")
    save_values(
        open_campaign(con, CID), one("JJ001", "honours", "1", "2023Q1"), WANG, confirm_note="ok"
    )  # Q1 has none
    save_values(
        open_campaign(con, CID), one("JJ001", "honours", "1", "2023Q2"), ADMIN, confirm_note="ok"
    )  # the office may
    grant_exception(open_campaign(con, CID), "2023Q2", ADMIN, "补报", town="湾里街道")
    save_values(open_campaign(con, CID), one("JJ002", "honours", "1", "2023Q2"), WANG, confirm_note="ok")
    with pytest.raises(CampaignError) as info:  # another town is still closed
        save_values(open_campaign(con, CID), one("JJ024", "honours", "1", "2023Q2"), LI, confirm_note="ok")
    assert codes(info) == {"deadline_passed"}
    row = todo(open_campaign(con, CID), LI).filter(pl.col("period") == "2023Q2").row(0, named=True)
    assert row["overdue"] and row["deadline"] is not None
    con.close()


def test_a_deadline_date_ends_with_the_local_day():
    from scoring.core.localtime import parse_deadline

    assert parse_deadline("2026-04-10", "Asia/Shanghai") == datetime(2026, 4, 10, 16, 0)
    assert parse_deadline("2026-04-10 18:00", "Asia/Shanghai") == datetime(2026, 4, 10, 10, 0)


def test_period_status_on_the_command_line(demo_copy, capsys):
    db = str(demo_copy)
    rc, out, _ = run_cli(
        capsys, "period", "--campaign", CID, "--period", "2023Q1", "submit", "--town", "湾里街道",
        "--user", "王评", "--db", db,
    )  # fmt: skip
    assert rc == 0 and "街镇 湾里街道 现为：已提交（期次：填报中）" in out
    rc, _, err = run_cli(
        capsys, "period", "--campaign", CID, "--period", "2023Q1", "approve", "--town", "湾里街道",
        "--user", "王评", "--db", db,
    )  # fmt: skip
    assert rc == 1 and "四眼原则" in err
    rc, out, _ = run_cli(capsys, "period", "status", "--campaign", CID, "--db", db)
    assert rc == 0 and "已提交 · 王评" in out and "│ 官陡街道" in out and "全年结果：尚未公示" in out


def test_grid_problems_name_the_unit_and_the_indicator(demo_copy):
    from scoring.app.entry import grid_changes, values_grid

    con = connect(demo_copy)
    before = values_grid(open_campaign(con, CID), "2023Q1", None, "湾里街道")
    after = before.with_columns(
        pl.when(pl.col("unit_id") == "JJ001")
        .then(pl.lit("85%"))
        .otherwise(pl.col("training"))
        .alias("training")
    )
    with pytest.raises(CampaignError) as info:
        save_values(open_campaign(con, CID), grid_changes(before, after, "2023Q1"), WANG)
    con.close()
    text = info.value.render("zh")
    assert text.startswith("山旺社区（JJ001）:列 ") and "grid" not in text and "行" not in text.split(":")[1]
    assert "85" in text


def test_a_refusal_names_role_and_action_in_words():
    from scoring.core.errors import Problem

    refused = Problem(
        "permission", None, None, "forbidden", {"user": "wang", "role": "evaluator", "action": "approve"}
    )
    assert refused.message("zh") == "用户 wang（评分员）无权执行：审核通过"
    assert refused.message("en") == "user wang (evaluator) may not approve"
