"""Roles: a matrix of role × page and role × action, each action tried through the engine's own
write functions (not the menu), plus evaluators limited to their towns and indicator areas."""

from __future__ import annotations

import polars as pl
import pytest

from scoring.accounts.access import PAGES, User, add_user, require, set_disabled
from scoring.accounts.signin import authenticate
from scoring.app.entry import save_values
from scoring.core.errors import CampaignError
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.periods import move

CID = "jiujiang-2023"
ROLES = ("admin", "evaluator", "leader", "finance", "unit")
# the product's promise, stated independently of scoring.accounts.access
READ = {"leaderboard", "profile", "rules", "robustness"}  # every staff role reads the results
SEES = {
    "admin": READ
    | {
        "entry",
        "sources",
        "evidence",
        "self",
        "workflow",
        "audit",
        "payouts",
        "campaigns",
        "users",
        "objections",
    },
    # departments deliver their own files; leaders read who has delivered what, and units' proof
    "evaluator": READ | {"todo", "entry", "sources", "evidence", "workflow", "audit"},
    "leader": READ | {"sources", "evidence", "workflow", "objections"},
    "finance": READ | {"payouts", "audit"},
    # a village or community: its own self-assessment page and the rules, no board before the 公示
    "unit": {"self", "rules"},
}
MAY = {
    "enter_values": {"admin", "evaluator"},
    "submit": {"admin", "evaluator"},
    "approve": {"admin", "leader"},
    "return_town": {"admin", "leader"},
    "override": {"admin"},
    "grant_exception": {"admin"},
    "set_deadline": {"admin"},
    "record_objection": {"admin", "leader"},
    "handle_objection": {"admin"},
    "publish": {"admin"},
    "finalize": {"admin"},
    "reopen": {"admin"},
    "export_payouts": {"admin", "finance"},
    "manage_users": {"admin"},
    "import_campaign": {"admin"},
    "self_assess": {"admin", "evaluator", "unit"},
    "add_evidence": {"admin", "evaluator", "unit"},
    "reply": {"admin", "unit"},
    "read_evidence": {"admin", "evaluator", "leader", "unit"},
}


def one(unit: str, indicator: str, value: str, period: str = "2023Q2") -> pl.DataFrame:
    return pl.DataFrame(
        {"unit_id": [unit], "period": [period], "indicator_id": [indicator], "value": [value], "_row": [1]}
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matrix(role, page):
    assert User("u", role).can_see(page) == (page in SEES[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MAY))
def test_action_matrix(role, action):
    user = User("u", role)
    if role in MAY[action]:
        require(user, action)
    else:
        with pytest.raises(CampaignError) as info:
            require(user, action)
        assert info.value.problems[0].code == "forbidden"


@pytest.mark.parametrize("role", ROLES)
def test_writing_values_checks_the_role_itself(demo_copy, role):
    con = connect(demo_copy)
    try:
        if role in MAY["enter_values"]:
            save_values(
                open_campaign(con, CID), one("JJ001", "honours", "1"), User("u", role), confirm_note="ok"
            )
        else:
            with pytest.raises(CampaignError) as info:
                save_values(open_campaign(con, CID), one("JJ001", "honours", "1"), User("u", role))
            assert info.value.problems[0].code == "forbidden"
    finally:
        con.close()


@pytest.mark.parametrize("role", ROLES)
def test_approving_checks_the_role_itself(demo_copy, role):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", User("a", "admin"))
    try:
        if role in ("admin", "leader"):
            assert move(open_campaign(con, CID), "2023Q1", "approve", User("u", role)) == "approved"
        else:
            with pytest.raises(CampaignError):
                move(open_campaign(con, CID), "2023Q1", "approve", User("u", role))
    finally:
        con.close()


def test_evaluator_limited_to_towns_and_areas(demo_copy):
    con = connect(demo_copy)
    evaluator = User("湾里评分员", "evaluator", towns=("湾里街道",), areas=("党的建设",))
    save_values(open_campaign(con, CID), one("JJ001", "party_building", "12"), evaluator, confirm_note="ok")
    for unit, indicator in (("JJ001", "satisfaction"), ("JJ062", "party_building")):
        with pytest.raises(CampaignError) as info:
            save_values(open_campaign(con, CID), one(unit, indicator, "12"), evaluator, confirm_note="ok")
        assert info.value.problems[0].code == "forbidden_cell"
    con.close()


def test_passwords_are_salted_argon2_and_accounts_can_be_disabled(demo_copy):
    con = connect(demo_copy)
    add_user(con, "leader1", "correct horse", "leader")
    add_user(con, "leader2", "correct horse", "leader")
    hashes = [r[0] for r in con.execute("SELECT password_hash FROM users").fetchall()]
    assert all(h.startswith("$argon2") for h in hashes) and hashes[0] != hashes[1]
    assert authenticate(con, "leader1", "correct horse") == User("leader1", "leader")
    assert authenticate(con, "leader1", "wrong") is None
    set_disabled(con, "leader1")
    assert authenticate(con, "leader1", "correct horse") is None
    with pytest.raises(CampaignError) as info:
        add_user(con, "x", "short", "boss")
    assert {p.code for p in info.value.problems} == {"weak_password", "bad_role"}
    con.close()


def test_cli_user_commands(demo_copy, capsys, monkeypatch):
    from tests.helpers import run_cli

    monkeypatch.setenv("STARSCORE_PASSWORD", "s3cret-pass")
    rc, out, _ = run_cli(capsys, "user", "add", "fin", "--role", "finance", "--db", demo_copy, "--lang", "en")
    assert rc == 0 and "added user fin (finance)" in out
    rc, out, _ = run_cli(capsys, "user", "list", "--db", demo_copy)
    assert "fin" in out and "财务" in out and "s3cret" not in out  # the role in words
    rc, out, _ = run_cli(capsys, "user", "disable", "fin", "--db", demo_copy, "--lang", "en")
    assert rc == 0 and "disabled user fin" in out
