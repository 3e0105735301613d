"""Managing accounts: towns and areas from the campaigns' lists, password reset, role change,
importing a sheet of users; every step audited."""

from __future__ import annotations

import polars as pl
import pytest

from scoring.accounts.access import add_user, current
from scoring.accounts.signin import authenticate
from scoring.accounts.users import import_users, set_password, set_role
from scoring.core.errors import CampaignError
from scoring.store.db import connect
from tests.helpers import run_cli


def codes(info: pytest.ExceptionInfo[CampaignError]) -> set[str]:
    return {p.code for p in info.value.problems}


def test_a_misspelt_town_is_refused_naming_the_towns_there_are(demo_copy):
    con = connect(demo_copy)
    with pytest.raises(CampaignError) as info:
        add_user(con, "wang", "evaluator-pass-1", "evaluator", towns=["白莎镇"])
    assert codes(info) == {"unknown_scope_town"} and "白茆镇" in info.value.render("zh")
    add_user(con, "wang", "evaluator-pass-1", "evaluator", towns=["白茆镇"])
    con.close()


def test_password_reset_and_role_change_are_audited(demo_copy):
    con = connect(demo_copy)
    add_user(con, "wang", "evaluator-pass-1", "evaluator", towns=["白茆镇"])
    with pytest.raises(CampaignError) as info:
        set_password(con, "wang", "short", by="boss")
    assert codes(info) == {"weak_password"}
    set_password(con, "wang", "a-new-password-2", by="boss")
    assert authenticate(con, "wang", "evaluator-pass-1") is None
    assert authenticate(con, "wang", "a-new-password-2") is not None
    set_role(con, "wang", "leader", by="boss")
    assert current(con, "wang").role == "leader"
    rows = con.execute(
        "SELECT action, who, source FROM audit_log "
        "WHERE action IN ('user_password', 'user_change') ORDER BY seq"
    ).fetchall()
    con.close()
    assert [r[:2] for r in rows] == [("user_password", "boss"), ("user_change", "boss")]
    assert "evaluator → leader" in rows[1][2] and "a-new-password" not in " ".join(r[2] for r in rows)


def test_a_sheet_of_users_is_imported_all_or_none(demo_copy):
    con = connect(demo_copy)
    bad = pl.DataFrame(
        {
            "用户名": ["li", "zhao", "qian"],
            "角色": ["评分员", "领导", "评分员"],
            "密码": ["evaluator-pass-1", "leader-pass-12", "short"],
            "负责街镇": ["湾里街道、官陡街道", "", "白莎镇"],
        }
    )
    with pytest.raises(CampaignError) as info:
        import_users(con, bad, "users.csv")
    assert {(p.row, p.code) for p in info.value.problems} == {(4, "unknown_scope_town"), (4, "weak_password")}
    assert con.execute("SELECT count(*) FROM users").fetchall() == [(0,)]
    good = bad.with_columns(pl.Series("密码", ["evaluator-pass-1", "leader-pass-12", "evaluator-pass-3"]),
                            pl.Series("负责街镇", ["湾里街道、官陡街道", "", "白茆镇"]))  # fmt: skip
    assert import_users(con, good, "users.csv") == 3
    li = current(con, "li")
    con.close()
    assert li is not None and li.role == "evaluator" and li.towns == ("湾里街道", "官陡街道")


def test_user_commands(demo_copy, capsys, tmp_path, monkeypatch):
    db = str(demo_copy)
    monkeypatch.setenv("STARSCORE_PASSWORD", "evaluator-pass-1")
    assert (
        run_cli(capsys, "user", "add", "wang", "--role", "evaluator", "--towns", "白茆镇", "--db", db)[0] == 0
    )
    monkeypatch.setenv("STARSCORE_PASSWORD", "another-pass-9")
    rc, out, _ = run_cli(capsys, "user", "passwd", "wang", "--db", db)
    assert rc == 0 and "已重设用户 wang 的密码" in out
    rc, out, _ = run_cli(capsys, "user", "role", "wang", "--role", "leader", "--db", db)
    assert rc == 0 and "已修改用户 wang：领导" in out
    sheet = tmp_path / "users.csv"
    sheet.write_text("用户名,角色,密码\nqian,财务,finance-pass-1\n", encoding="utf-8")
    rc, out, _ = run_cli(capsys, "user", "import", str(sheet), "--db", db)
    assert rc == 0 and "已导入 1 个用户" in out and "qian" in out
