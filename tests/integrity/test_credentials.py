"""User names that cannot pass for another account, passwords that are not guessed first."""

from __future__ import annotations

import pytest

from scoring.accounts.access import add_user
from scoring.accounts.users import set_password
from scoring.core.errors import CampaignError
from scoring.store.db import connect


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("赵领导\u200b", "name_hidden_chars"),  # a zero-width space after the name
        ("adm\u202eni", "name_hidden_chars"),  # a right-to-left override
        ("ＡＤＭＩＮ", "name_hidden_chars"),  # full-width letters: not their own NFKC form
        ("Admin", "name_lookalike"),
        ("赵 领导", "name_lookalike"),
        (" 赵领导", "id_spaces"),
        ("长" * 41, "name_too_long"),
    ],
)
def test_a_name_that_passes_for_another_is_refused(tmp_path, name, code):
    con = connect(tmp_path / "u.duckdb")
    add_user(con, "admin", "admin-pass-12", "admin")
    add_user(con, "赵领导", "leader-pass-1", "leader")
    with pytest.raises(CampaignError) as info:
        add_user(con, name, "another-pass-9", "leader")
    assert [p.code for p in info.value.problems] == [code]
    assert con.execute("SELECT count(*) FROM users").fetchall() == [(2,)]
    con.close()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("12345678", "common_password"),
        ("Password1", "common_password"),
        ("woaini1314", "common_password"),
        ("aaaaaaaa", "weak_password"),
        ("abababab", "weak_password"),
        ("short", "weak_password"),
        ("wangping", "common_password"),  # the user name itself
    ],
)
def test_a_password_guessed_first_is_refused(tmp_path, password, code):
    con = connect(tmp_path / "u.duckdb")
    with pytest.raises(CampaignError) as info:
        add_user(con, "WangPing", password, "evaluator")
    assert [p.code for p in info.value.problems] == [code]
    add_user(con, "WangPing", "湾里-2026-春", "evaluator")
    with pytest.raises(CampaignError) as info:
        set_password(con, "WangPing", password)
    assert [p.code for p in info.value.problems] == [code]
    con.close()
