"""The year's own 公示 and the objection register; windows counted in the campaign's local time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.app.corrections import uphold_with_correction
from scoring.audit.verify import verify
from scoring.core.errors import CampaignError
from scoring.core.localtime import add_local_days, show
from scoring.engine.run import latest_run
from scoring.outputs.notice import notice_html
from scoring.outputs.results import export
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.periods import move, statuses
from scoring.workflow.year import handle_objection, move_year, objection_counts, record_objection, year_final
from tests.helpers import actor

CID = "jiujiang-2023"
PERIODS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")
ADMIN = User("张主任", "admin")
LEADER = User("赵领导", "leader")
# 17:30 UTC on 2 December is 01:30 on 3 December in Beijing: the window's end is a local time
AT_NIGHT = datetime(2026, 12, 2, 17, 30)
# a period published yesterday: its objection window is open today, whenever the tests run
# (an objection is received when it is recorded)
PUBLISHED = (datetime.now(UTC) - timedelta(days=1)).replace(tzinfo=None, second=0, microsecond=0)


def codes(info: pytest.ExceptionInfo[CampaignError]) -> set[str]:
    return {p.code for p in info.value.problems}


def _publish(con, period: str, at: datetime = PUBLISHED) -> None:
    for step in ("submit", "approve"):
        move(open_campaign(con, CID), period, step, actor(step))
    move(open_campaign(con, CID), period, "publish", ADMIN, at=at)


def test_the_window_ends_at_the_same_local_time_across_the_date_line(demo_copy):
    con = connect(demo_copy)
    _publish(con, "2023Q1", AT_NIGHT)
    ends = statuses(con, CID).row(0, named=True)["objection_ends"]
    assert ends == datetime(2026, 12, 7, 17, 30)  # stored in UTC
    assert show(ends, "Asia/Shanghai") == "2026-12-08 01:30 北京时间"
    page = notice_html(open_campaign(con, CID), "zh")
    assert "2023Q1：2026-12-03 01:30 北京时间 起公示，至 2026-12-08 01:30 北京时间 止" in page
    with pytest.raises(CampaignError) as info:  # 01:29 Beijing time on the 8th: still open
        move(open_campaign(con, CID), "2023Q1", "finalize", ADMIN, at=ends - timedelta(minutes=1))
    assert codes(info) == {"objection_open"} and "2026-12-08 01:30 北京时间" in info.value.render("zh")
    assert move(open_campaign(con, CID), "2023Q1", "finalize", ADMIN, at=ends) == "final"
    con.close()


def test_a_window_keeps_its_local_clock_time_across_a_daylight_saving_change():
    # Berlin moves to summer time on 29 March 2026: 11:00 CET, five days on, is 11:00 CEST
    assert add_local_days(datetime(2026, 3, 27, 10, 0), 5, "Europe/Berlin") == datetime(2026, 4, 1, 9, 0)


def test_an_upheld_objection_changes_a_value_with_its_reason_and_the_notice_counts_it(demo_copy):
    con = connect(demo_copy)
    _publish(con, "2023Q1")
    published_run = statuses(con, CID).row(0, named=True)["run_id"]
    with pytest.raises(CampaignError) as info:  # Q2 is not published: nothing to object to
        record_objection(open_campaign(con, CID), "JJ001", "居民甲", "x", LEADER, "2023Q2")
    assert codes(info) == {"period_not_published"}
    first = record_objection(
        open_campaign(con, CID), "JJ001", "居民甲", "社区获市级表彰未计入", LEADER, "2023Q1"
    )
    second = record_objection(open_campaign(con, CID), "JJ002", "居民乙", "排名有误", LEADER, "2023Q1")
    with pytest.raises(CampaignError) as info:  # pending objections hold the period back
        move(open_campaign(con, CID), "2023Q1", "finalize", ADMIN, at=PUBLISHED + timedelta(days=6))
    assert codes(info) == {"objections_pending"}
    with pytest.raises(CampaignError) as info:
        handle_objection(con, CID, second, "rejected", "  ", ADMIN)
    assert codes(info) == {"objection_response"}
    handle_objection(con, CID, second, "rejected", "经核实得分计算无误", ADMIN)
    with pytest.raises(CampaignError) as info:  # handled once
        handle_objection(con, CID, second, "upheld", "x", ADMIN)
    assert codes(info) == {"objection_handled"}
    correction = uphold_with_correction(
        open_campaign(con, CID), first, "honours", "3", "市级表彰属实，补计", ADMIN
    )
    assert correction == "荣誉加分 2023Q1：2 → 3"
    value = con.execute(
        "SELECT value FROM indicator_values WHERE unit_id = 'JJ001' AND period = '2023Q1' "
        "AND indicator_id = 'honours'"
    ).fetchall()
    assert str(value[0][0]).rstrip("0").rstrip(".") == "3"
    audit = con.execute(
        "SELECT reason, old_value, new_value FROM audit_log WHERE action = 'change' AND unit_id = 'JJ001'"
    ).fetchall()
    assert audit[-1][0] == f"#{first} 市级表彰属实，补计" and int(audit[-1][2]) == 3
    # the exception that let the correction in is closed, and the period pins the run that scored it
    assert con.execute("SELECT count(*) FROM lock_exceptions WHERE closed_at IS NULL").fetchall() == [(0,)]
    row = statuses(con, CID).row(0, named=True)
    assert row["status"] == "published" and row["run_id"] != published_run
    assert objection_counts(con, CID) == {"pending": 0, "upheld": 1, "rejected": 1, "total": 2}
    move(open_campaign(con, CID), "2023Q1", "finalize", ADMIN, at=PUBLISHED + timedelta(days=6))
    page = notice_html(open_campaign(con, CID), "zh")
    assert "收到异议 2 件：成立 1 件（已更正），不成立 1 件，待处理 0 件" in page
    con.close()


def test_the_year_is_published_on_its_own_and_finance_sees_draft_until_it_is_final(demo_copy, tmp_path):
    con = connect(demo_copy)
    for period in PERIODS:
        _publish(con, period)
    with pytest.raises(CampaignError) as info:  # periods still published, not final
        move_year(open_campaign(con, CID), "publish", ADMIN, at=PUBLISHED + timedelta(days=6))
    assert codes(info) == {"year_periods_open"}
    later = PUBLISHED + timedelta(days=6)
    for period in PERIODS:
        move(open_campaign(con, CID), period, "finalize", ADMIN, at=later)
    run = latest_run(con, CID)
    export(open_campaign(con, run.campaign_id), run, tmp_path / "a")
    assert json.loads((tmp_path / "a" / "summary.json").read_text())["status"] == "draft"
    with pytest.raises(CampaignError) as info:
        move_year(open_campaign(con, CID), "publish", LEADER, at=later)
    assert codes(info) == {"forbidden"}
    assert move_year(open_campaign(con, CID), "publish", ADMIN, at=later) == "published"
    objection = record_objection(
        open_campaign(con, CID), "JJ050", "居民丙", "星级评定有误", LEADER
    )  # to the year
    with pytest.raises(CampaignError) as info:  # the year's window is open
        move_year(open_campaign(con, CID), "finalize", ADMIN, at=later + timedelta(days=1))
    assert codes(info) == {"year_objection_open"}
    with pytest.raises(CampaignError) as info:  # and an objection is pending
        move_year(open_campaign(con, CID), "finalize", ADMIN, at=later + timedelta(days=6))
    assert codes(info) == {"objections_pending"}
    handle_objection(con, CID, objection, "rejected", "星级按规则第 8 步评定，无误", ADMIN)
    assert not year_final(con, CID)
    assert move_year(open_campaign(con, CID), "finalize", ADMIN, at=later + timedelta(days=6)) == "final"
    export(open_campaign(con, run.campaign_id), run, tmp_path / "b")
    assert json.loads((tmp_path / "b" / "summary.json").read_text())["status"] == "final"
    page = notice_html(open_campaign(con, CID), "zh")
    assert "全年星级与奖励：" in page and "（状态：已定稿）" in page and "奖励名单" in page
    log = con.execute("SELECT to_status FROM workflow_log WHERE period IS NULL ORDER BY seq").fetchall()
    assert log == [("published",), ("final",)]
    frame = statuses(con, CID)
    assert frame.filter(pl.col("status") == "final").height == 4
    con.close()


def test_an_objection_upheld_in_the_year_s_window_re_pins_the_year_and_verify_stays_clean(
    demo_copy, tmp_path
):
    con = connect(demo_copy)
    later = PUBLISHED + timedelta(days=6)
    for period in PERIODS:
        _publish(con, period)
        move(open_campaign(con, CID), period, "finalize", ADMIN, at=later)
    move_year(open_campaign(con, CID), "publish", ADMIN, at=later)
    before = con.execute("SELECT run_id FROM year_status").fetchall()[0][0]
    objection = record_objection(open_campaign(con, CID), "JJ050", "居民丙", "二季度荣誉漏计", LEADER)
    uphold_with_correction(
        open_campaign(con, CID), objection, "honours", "5", "属实，补计", ADMIN, period="2023Q2"
    )
    after = con.execute("SELECT run_id FROM year_status").fetchall()[0][0]
    assert after != before and after == latest_run(con, CID).run_id  # the year shows the correction
    q2 = statuses(con, CID).filter(pl.col("period") == "2023Q2")["run_id"][0]
    assert q2 == after
    score_of = "SELECT annual_score FROM annual_results WHERE run_id = ? AND unit_id = 'JJ050'"
    assert con.execute(score_of, [after]).fetchall() != con.execute(score_of, [before]).fetchall()
    assert move_year(open_campaign(con, CID), "finalize", ADMIN, at=later + timedelta(days=6)) == "final"
    export(
        open_campaign(con, CID), latest_run(con, CID), tmp_path / "out"
    )  # finance's files name the correction
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "final"
    assert [(c["objection_no"], c["unit_id"], c["period"]) for c in summary["corrections"]] == [
        (objection, "JJ050", None)
    ]
    assert summary["corrections"][0]["correction"].startswith("荣誉加分 2023Q2：")
    checks = verify(con, CID)
    assert [c.scope for c in checks][-3:] == ["annual", "payouts", "summary"]
    assert all(c.ok for c in checks) and {c.run_id for c in checks[-3:]} == {after}
    con.close()


def test_typed_text_is_bounded_on_the_server(tmp_path):
    """An objection's text, a response, a reason: refused past their limits whatever the page
    lets through (a 10 MB objection was once stored and copied into the audit)."""
    import pytest

    from scoring.accounts.access import LOCAL_ADMIN
    from scoring.app.imports import import_campaign
    from scoring.core.errors import MAX_REASON, MAX_TEXT, CampaignError
    from scoring.ingest.validate import read_campaign
    from scoring.store.db import connect
    from scoring.workflow.locks import grant_exception
    from scoring.workflow.year import record_objection
    from tests.helpers import DEMO

    con = connect(tmp_path / "d.duckdb")
    import_campaign(con, read_campaign(DEMO))
    with pytest.raises(CampaignError) as info:
        record_objection(
            open_campaign(con, "jiujiang-2023"), "JJ001", "居民", "长" * (MAX_TEXT + 1), LOCAL_ADMIN, "2023Q1"
        )
    assert info.value.problems[0].code == "text_too_long"
    assert "最多 2000 个字" in info.value.problems[0].message("zh")
    with pytest.raises(CampaignError) as info:
        grant_exception(
            open_campaign(con, "jiujiang-2023"),
            "2023Q1",
            LOCAL_ADMIN,
            "因" * (MAX_REASON + 1),
            unit_id="JJ001",
        )
    assert info.value.problems[0].code == "text_too_long"
    assert con.execute("SELECT count(*) FROM objections").fetchall()[0][0] == 0
    con.close()
