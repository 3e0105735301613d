"""A campaign's rules and units imported before any value, and a campaign removed by an admin
(audited, refused once anything of it is published); the demo never goes into a used database."""

from __future__ import annotations

import shutil

import pytest

from scoring.accounts.access import User
from scoring.app.imports import import_campaign, remove_campaign
from scoring.core.errors import CampaignError
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.store.lifecycle import never_used
from scoring.workflow.periods import move
from tests.helpers import DEMO, actor, run_cli

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")


@pytest.fixture
def rules_only(tmp_path):
    folder = tmp_path / "new"
    folder.mkdir()
    for name in ("campaign.yaml", "units.csv"):
        shutil.copy(DEMO / name, folder / name)
    return folder


def test_rules_and_units_are_imported_without_values_and_scored_as_not_started(rules_only, tmp_path):
    con = connect(tmp_path / "d.duckdb")
    data = read_campaign(rules_only)
    assert data.values.height == 0
    import_campaign(con, data, who="张主任")
    run = score(con, CID)
    assert {p["status"] for p in run.summary["periods"]} == {"not_started"}
    assert con.execute("SELECT count(*) FROM units").fetchall() == [(109,)]
    con.close()


def test_a_folder_without_values_over_a_stored_campaign_is_refused(rules_only, demo_copy):
    con = connect(demo_copy)
    with pytest.raises(CampaignError) as info:
        import_campaign(con, read_campaign(rules_only))
    assert [p.code for p in info.value.problems] == ["values_needed_again"]
    assert "重新导入须带上 values.csv" in info.value.render("zh")
    assert con.execute("SELECT count(*) FROM indicator_values").fetchall()[0][0] > 10_000
    con.close()


def test_an_admin_removes_a_campaign_with_a_reason_and_the_trail_keeps_it(demo_copy):
    con = connect(demo_copy)
    for who in (User("赵领导", "leader"), User("王评", "evaluator")):
        with pytest.raises(CampaignError) as info:
            remove_campaign(con, CID, who, "试运行数据")
        assert [p.code for p in info.value.problems] == ["forbidden"]
    with pytest.raises(CampaignError) as info:
        remove_campaign(con, CID, ADMIN, "  ")
    assert [p.code for p in info.value.problems] == ["remove_reason"]
    remove_campaign(con, CID, ADMIN, "试运行数据，正式活动另行导入")
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'campaign_id' "
            "AND table_name NOT IN ('audit_log', 'workflow_log', 'town_log')"
        ).fetchall()
    ]
    for table in tables:
        assert con.execute(f"SELECT count(*) FROM {table} WHERE campaign_id = ?", [CID]).fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM value_cells").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM period_results").fetchall() == [(0,)]
    row = con.execute("SELECT who, source FROM audit_log WHERE action = 'campaign_remove'").fetchall()
    assert row == [("张主任", f"{CID}: 试运行数据，正式活动另行导入")]
    assert not never_used(con)  # the dashboard builds no demo into it
    con.close()


def test_a_campaign_with_a_published_period_is_not_removed(demo_copy, tmp_path, capsys):
    con = connect(demo_copy)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    con.close()
    rc, _, err = run_cli(capsys, "remove", "--campaign", CID, "--reason", "重来", "--db", demo_copy)
    assert rc != 0 and "已有公示结果（2023Q1），不能删除" in err
    con = connect(demo_copy)
    assert con.execute("SELECT count(*) FROM units").fetchall() == [(109,)]
    con.close()


def test_the_command_line_removes_an_unpublished_campaign(demo_copy, capsys):
    rc, out, _ = run_cli(capsys, "remove", "--campaign", CID, "--reason", "导错了", "--db", demo_copy)
    assert rc == 0 and "已删除活动 jiujiang-2023" in out
    rc, _, err = run_cli(capsys, "remove", "--campaign", CID, "--reason", "再删", "--db", demo_copy)
    assert rc != 0 and "jiujiang-2023" in err
