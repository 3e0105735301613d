"""A village's or community's own account (role unit): made only with units of a stored campaign;
it sees and changes only its own units by every route (self-scores, proof, files, the zip, the
reply); its to-do counts what it has not done; its self-assessment closes once its town is
submitted; the approval page counts differing and unproved cells."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest

from scoring.accounts.access import User, add_user
from scoring.accounts.signin import authenticate
from scoring.accounts.users import import_users, set_role
from scoring.app.entry import save_values
from scoring.app.evidence import add_evidence, evidence_file, remove_evidence, unit_zip
from scoring.app.selfscore import reply
from scoring.app.unit_self import (
    approval_counts,
    own_units,
    save_self_form,
    self_cells,
    self_form,
    unit_todo,
)
from scoring.audit.verify import verify
from scoring.core.errors import CampaignError
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.towns import move_town
from tests.helpers import run_cli

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MINE = User("新华社区", "unit", units=("JJ001",))


def codes(info: pytest.ExceptionInfo[CampaignError]) -> list[str]:
    return [p.code for p in info.value.problems]


def test_a_unit_account_has_units_of_a_stored_campaign_and_signs_in_with_them(demo_copy):
    con = connect(demo_copy)
    with pytest.raises(CampaignError) as info:
        add_user(con, "cun1", "Secret-pass-9", "unit")
    assert codes(info) == ["unit_account_units"]
    with pytest.raises(CampaignError) as info:
        add_user(con, "cun1", "Secret-pass-9", "unit", units=["JJ999"])
    assert codes(info) == ["unknown_scope_unit"]
    with pytest.raises(CampaignError) as info:
        add_user(con, "ld1", "Secret-pass-9", "leader", units=["JJ001"])
    assert codes(info) == ["units_not_for_role"]
    add_user(con, "cun1", "Secret-pass-9", "unit", units=["JJ001", "JJ002"])
    found = authenticate(con, "cun1", "Secret-pass-9")
    assert found is not None and found.role == "unit" and found.units == ("JJ001", "JJ002")
    set_role(con, "cun1", "unit", units=["JJ003"])
    again = authenticate(con, "cun1", "Secret-pass-9")
    assert again is not None and again.units == ("JJ003",)
    sheet = pl.DataFrame(
        {"用户名": ["cun2"], "角色": ["村社区"], "密码": ["Another-pass-7"], "负责村社区": ["JJ004"]}
    )
    assert import_users(con, sheet, "users.csv") == 1
    assert [c.scope for c in verify(con, CID) if not c.ok] == []  # the accounts' seals hold
    con.execute("UPDATE users SET units = ['JJ001'] WHERE username = 'cun2'")  # around the product
    assert [c.scope for c in verify(con, CID) if not c.ok] == ["users"]
    con.close()


def test_a_unit_account_sees_and_changes_only_its_own_units(demo_copy):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    assert own_units(con, CID, MINE)["unit_id"].to_list() == ["JJ001"]
    assert save_self_form(campaign, "JJ001", "2023Q1", {"party_building": "14", "honours": "1"}, MINE) == 2
    other = add_evidence(campaign, "JJ002", "2023Q1", "honours", "表彰.pdf", PDF, ADMIN)
    refusals = [
        lambda: save_self_form(campaign, "JJ002", "2023Q1", {"party_building": "14"}, MINE),
        lambda: add_evidence(campaign, "JJ002", "2023Q1", "honours", "我的.pdf", PDF, MINE),
        lambda: evidence_file(con, CID, other, MINE),
        lambda: unit_zip(con, CID, "JJ002", "2023Q1", MINE),
        lambda: remove_evidence(con, CID, other, "不是我的", MINE),
        lambda: reply(con, CID, "JJ002", "2023Q1", "party_building", "回复", MINE),
    ]
    for attempt in refusals:
        with pytest.raises(CampaignError) as info:
            attempt()
        assert codes(info) == ["evidence_forbidden"]
    mine = add_evidence(campaign, "JJ001", "2023Q1", "honours", "照片.png", PNG, MINE, "奖牌照片")
    assert evidence_file(con, CID, mine, MINE)[2] == PNG
    with zipfile.ZipFile(io.BytesIO(unit_zip(con, CID, "JJ001", "2023Q1", MINE))) as archive:
        assert archive.read(f"{mine}-照片.png") == PNG and "index.csv" in archive.namelist()
    for role in ("leader", "finance", "evaluator"):  # what a unit account may not do at all
        assert not MINE.may(
            {"leader": "approve", "finance": "export_payouts", "evaluator": "enter_values"}[role]
        )
    assert not MINE.can_see("leaderboard") and MINE.can_see("self")
    con.close()


def test_the_unit_s_to_do_counts_what_it_has_not_done_and_its_reply(demo_copy):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    todo = unit_todo(campaign, MINE).filter(pl.col("period") == "2023Q1").row(0, named=True)
    items = self_form(campaign, "JJ001", "2023Q1").height
    assert (todo["items"], todo["unscored"], todo["unproved"], todo["to_reply"]) == (items, items, 1, 0)
    save_self_form(campaign, "JJ001", "2023Q1", {"party_building": "15", "honours": "1"}, MINE)
    add_evidence(campaign, "JJ001", "2023Q1", "honours", "证书.pdf", PDF, MINE)
    cells = {(r[1], r[2], r[3]) for r in self_cells(campaign, "2023Q1", ["JJ001", "JJ002"]).iter_rows()}
    assert cells == {("party_building", "15", 0), ("honours", "1", 1)}  # for the entry grid
    assessed = self_form(campaign, "JJ001", "2023Q1").filter(pl.col("indicator_id") == "party_building")
    if assessed["assessed"][0] == "15":  # the demo's value: make the assessment differ
        pytest.fail("the demo's JJ001 party building is 15: pick another value")
    value = pl.DataFrame(
        {
            "unit_id": ["JJ001"],
            "period": ["2023Q1"],
            "indicator_id": ["party_building"],
            "value": ["12"],
            "_row": [1],
        }
    )
    save_values(campaign, value, ADMIN, reason="会议记录缺两次")
    todo = unit_todo(campaign, MINE).filter(pl.col("period") == "2023Q1").row(0, named=True)
    assert (todo["unscored"], todo["unproved"], todo["to_reply"]) == (items - 2, 0, 1)
    row = (
        self_form(campaign, "JJ001", "2023Q1")
        .filter(pl.col("indicator_id") == "party_building")
        .row(0, named=True)
    )
    assert (row["self_score"], row["assessed"], row["differs"], row["reason"]) == (
        "15",
        "12",
        True,
        "会议记录缺两次",
    )
    reply(con, CID, "JJ001", "2023Q1", "party_building", "会议记录已补交", MINE)
    assert unit_todo(campaign, MINE).filter(pl.col("period") == "2023Q1")["to_reply"][0] == 0
    counts = approval_counts(campaign, "2023Q1")
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    mine = counts.filter(pl.col("town") == town).row(0, named=True)
    others = con.execute(
        "SELECT count(*) FROM units WHERE campaign_id = ? AND town = ? AND unit_id <> 'JJ001'", [CID, town]
    ).fetchall()[0][0]
    assert mine["differing"] >= 1 and mine["unproved"] == others  # honours applies to every category
    save_self_form(campaign, "JJ001", "2023Q1", {"honours": ""}, MINE)  # an emptied cell: no self-score
    assert (
        self_form(campaign, "JJ001", "2023Q1").filter(pl.col("indicator_id") == "honours")["self_score"][0]
        is None
    )
    con.close()


def test_self_assessment_closes_once_the_town_is_submitted(demo_copy):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    move_town(con, CID, "2023Q1", town, "submit", ADMIN)
    with pytest.raises(CampaignError) as info:
        save_self_form(campaign, "JJ001", "2023Q1", {"party_building": "14"}, MINE)
    assert codes(info) == ["self_score_closed"]
    assert "2023Q1" not in unit_todo(campaign, MINE)["period"].to_list()
    con.close()


def test_the_command_line_acting_as_a_unit_account_reaches_only_its_units(demo_copy, tmp_path, capsys):
    con = connect(demo_copy)
    add_user(con, "shanwang", "Unit-pass-2026", "unit", units=["JJ001"])
    campaign = open_campaign(con, CID)
    other = add_evidence(campaign, "JJ002", "2023Q1", "honours", "别人的.pdf", PDF, ADMIN)
    mine = add_evidence(campaign, "JJ001", "2023Q1", "honours", "我的.pdf", PDF, ADMIN)
    con.close()
    (tmp_path / "新.pdf").write_bytes(PDF)
    base = ["--db", str(demo_copy), "--campaign", CID, "--account", "shanwang"]
    rc, out, _ = run_cli(capsys, "evidence", "list", *base)
    assert rc == 0 and "我的.pdf" in out and "别人的.pdf" not in out
    rc, _, err = run_cli(capsys, "evidence", "get", *base, "--no", str(other), "--out", str(tmp_path / "x"))
    assert rc != 0 and "不负责单位 JJ002" in err and not (tmp_path / "x").exists()
    rc, _, _ = run_cli(capsys, "evidence", "get", *base, "--no", str(mine), "--out", str(tmp_path / "y"))
    assert rc == 0 and (tmp_path / "y").read_bytes() == PDF
    rc, _, err = run_cli(capsys, "evidence", "add", str(tmp_path / "新.pdf"), *base, "--unit", "JJ002",
                         "--period", "2023Q1", "--indicator", "honours")  # fmt: skip
    assert rc != 0 and "不负责单位 JJ002" in err
    rc, _, _ = run_cli(
        capsys, "evidence", "export", *base, "--period", "2023Q1", "--out", str(tmp_path / "t")
    )
    assert rc == 0 and sorted(p.name for p in (tmp_path / "t").iterdir()) == ["JJ001"]
    rc, _, err = run_cli(capsys, "selfscore", "reply", *base, "--unit", "JJ002", "--period", "2023Q1",
                         "--indicator", "party_building", "--text", "不是我的")  # fmt: skip
    assert rc != 0 and "不负责单位 JJ002" in err
    rc, _, err = run_cli(
        capsys, "evidence", "list", "--db", str(demo_copy), "--campaign", CID, "--account", "无此人"
    )
    assert rc != 0
