"""``verify`` finds what is changed around the product while a period is still open: every step
that changes a campaign's rules or data seals their hashes in the trail (``data_state``), every
step that changes an account seals its columns (``user_state``), and ``verify`` recomputes both
from the tables."""

from __future__ import annotations

import pytest

from scoring.accounts.access import LOCAL_ADMIN, add_user, set_disabled
from scoring.accounts.users import set_password, set_role
from scoring.app.entry import save_values
from scoring.audit.verify import verify
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.integrity.test_final_is_final import CID, one

PASSWORD = "Jiujiang-2023!"


def _wrong(con) -> set[str]:
    return {c.scope for c in verify(con, CID) if not c.ok}


@pytest.mark.parametrize(
    "edit",
    [
        # a value of an open period, nudged so little that no score moves
        "UPDATE value_cells SET value = value + 0.000000001 "
        "WHERE rowid = (SELECT min(rowid) FROM value_cells)",
        "DELETE FROM value_cells WHERE rowid = (SELECT max(rowid) FROM value_cells)",
        "UPDATE units SET households = households + 1 WHERE unit_id = 'JJ001'",
        "UPDATE units SET category = 'rural' WHERE unit_id = 'JJ001'",
        "UPDATE indicators SET points = points + 1 WHERE rowid = (SELECT min(rowid) FROM indicators)",
        "DELETE FROM tiers WHERE rowid = (SELECT min(rowid) FROM tiers)",
    ],
    ids=["value", "value deleted", "households", "category", "indicator points", "tier"],
)
def test_a_change_around_the_product_in_an_open_period_is_found(demo_copy, edit):
    con = connect(demo_copy)
    assert _wrong(con) == set()
    con.execute(edit)
    assert "stored" in _wrong(con)
    con.close()


def test_changes_made_by_the_product_stay_clean(demo_copy):
    con = connect(demo_copy)
    before = con.execute("SELECT count(*) FROM audit_log WHERE action = 'data_state'").fetchall()[0][0]
    save_values(
        open_campaign(con, CID),
        one("JJ001", "2023Q1", "honours", "3"),
        LOCAL_ADMIN,
        reason="补录",
        confirm_note="x",
    )
    assert con.execute(
        "SELECT value FROM indicator_values WHERE unit_id = 'JJ001' AND period = '2023Q1' "
        "AND indicator_id = 'honours'"
    ).fetchall() == [(3,)]
    after = con.execute("SELECT count(*) FROM audit_log WHERE action = 'data_state'").fetchall()[0][0]
    assert after == before + 1
    assert _wrong(con) == set()
    # a save that changes nothing seals nothing new
    save_values(
        open_campaign(con, CID),
        one("JJ001", "2023Q1", "honours", "3"),
        LOCAL_ADMIN,
        reason="补录",
        confirm_note="x",
    )
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'data_state'").fetchall()[0][0] == after
    con.close()


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE users SET role = 'admin' WHERE username = '王评估'",
        "UPDATE users SET towns = ['湾里街道', '沈巷镇'] WHERE username = '王评估'",
        "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = '赵领导') "
        "WHERE username = '王评估'",
        "UPDATE users SET disabled = false WHERE username = '赵领导'",
        "DELETE FROM users WHERE username = '王评估'",
    ],
    ids=["role", "towns", "password hash", "enabled", "deleted"],
)
def test_an_account_changed_around_the_product_is_found(demo_copy, edit):
    con = connect(demo_copy)
    add_user(con, "王评估", PASSWORD, "evaluator", ["湾里街道"], by="admin")
    add_user(con, "赵领导", PASSWORD + "x", "leader", by="admin")
    set_disabled(con, "赵领导", by="admin")
    assert "users" not in _wrong(con)
    con.execute(edit)
    assert "users" in _wrong(con)
    con.close()


def test_account_steps_of_the_product_stay_clean(demo_copy):
    con = connect(demo_copy)
    add_user(con, "王评估", PASSWORD, "evaluator", ["湾里街道"], by="admin")
    set_role(con, "王评估", "leader", by="admin")
    set_password(con, "王评估", PASSWORD + "2", by="admin")
    set_disabled(con, "王评估", by="admin")
    set_disabled(con, "王评估", False, by="admin")
    assert "users" not in _wrong(con)
    con.close()
