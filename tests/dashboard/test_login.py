"""With users set up, the dashboard asks for a sign-in; each role sees only its pages; the
public view of published results needs none."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from scoring.accounts.access import add_user
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.periods import move
from tests.dashboard.conftest import open_app
from tests.helpers import REPO, actor


def _users(db) -> None:
    con = connect(db)
    add_user(con, "boss", "admin-pass-1", "admin")
    add_user(con, "leader", "leader-pass-1", "leader")
    con.close()


def _login(at, name: str, password: str):
    at.text_input(key="login_user").input(name)
    at.text_input(key="login_password").input(password)
    at.get("form")[0]  # the sign-in form is there
    at.button[0].click().run()  # the form's submit button
    return at


def test_signed_out_sees_only_public_results(db):
    _users(db)
    at = open_app("en")
    assert [t.value for t in at.title] == ["Published results"]
    assert any("Nothing of this campaign has been published" in i.value for i in at.info)


def test_wrong_password_is_refused(db):
    _users(db)
    at = _login(open_app("en"), "leader", "nope")
    assert any("Wrong user name or password" in e.value for e in at.error)
    assert "user" not in at.session_state


def test_leader_sees_boards_but_not_entry(db):
    _users(db)
    at = _login(open_app("en"), "leader", "leader-pass-1")
    assert not at.exception
    assert [t.value for t in at.title] == ["Leaderboard"]
    # not in a leader's menu; its address opens and refuses (a bookmark never meets a "Page not found")
    at.switch_page("views/entry.py").run()
    assert not at.exception and any("may not open this page" in e.value for e in at.error)
    assert not at.dataframe and "en_save" not in [b.key for b in at.button]


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("leader", "entry"),
        ("leader", "payouts"),
        ("finance", "entry"),
        ("evaluator", "payouts"),
        ("evaluator", "users"),
        ("finance", "campaigns"),
    ],
)
def test_page_refuses_a_role_even_when_opened_directly(db, role, page):
    """The page itself checks the role: a URL typed by hand does not get past it."""
    at = AppTest.from_file(str(REPO / "dashboard" / "views" / f"{page}.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["campaign"] = "jiujiang-2023"
    at.session_state["user"] = {"username": "x", "role": role, "towns": [], "areas": []}
    at.run()
    assert any("may not open this page" in e.value for e in at.error)
    assert not at.title


def test_published_period_is_public(db):
    con = connect(db)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, "jiujiang-2023"), "2023Q1", step, actor(step))
    con.close()
    _users(db)
    at = open_app("zh")
    assert [t.value for t in at.title] == ["公示结果"]
    assert any("2023Q1" in s.value for s in at.subheader)
    # a board per category, every unit of the district on them
    boards = [m.value for m in at.markdown if not m.value.startswith("<style>")]  # not the CSS
    assert boards == ["**城市社区**", "**涉农社区**", "**农村（村）**"]
    assert sum(len(d.value) for d in at.dataframe) == 109
    assert len(at.get("download_button")) == 1  # the printable notice


def test_a_disabled_user_s_open_session_ends_at_once(db):
    _users(db)
    at = _login(open_app("en"), "boss", "admin-pass-1")
    assert [t.value for t in at.title] == ["Leaderboard"]
    con = connect(db)
    from scoring.accounts.access import set_disabled

    set_disabled(con, "boss", by="leader")
    con.close()
    at.run()
    assert "user" not in at.session_state
    assert any("you have been signed out" in w.value for w in at.warning)
    # the page stays at its address and shows nothing of itself: it asks for a sign-in, in place
    assert [t.value for t in at.title] == ["Sign in"] and "login_user" in [i.key for i in at.text_input]
    assert not at.dataframe


def test_a_password_change_ends_the_open_sessions(db):
    """The session opened with the old password ends at its next page view, and the browser's
    kept token signs nobody in any more; signing in with the new password works."""
    from scoring.accounts import sessions
    from scoring.accounts.signin import authenticate
    from scoring.accounts.users import set_password

    _users(db)
    at = _login(open_app("en"), "boss", "admin-pass-1")
    assert [t.value for t in at.title] == ["Leaderboard"]
    con = connect(db)
    found = authenticate(con, "boss", "admin-pass-1")
    assert found is not None
    token = sessions.open_session(con, found)
    set_password(con, "boss", "a-new-pass-77", by="boss")
    assert sessions.resume(con, token) is None
    con.close()
    at.run()
    assert "user" not in at.session_state
    assert any("you have been signed out" in w.value for w in at.warning)
    at = _login(open_app("en"), "boss", "a-new-pass-77")
    assert [t.value for t in at.title] == ["Leaderboard"]


def test_every_user_disabled_locks_the_dashboard(db):
    _users(db)
    con = connect(db)
    from scoring.accounts.access import set_disabled

    set_disabled(con, "boss")
    set_disabled(con, "leader")
    con.close()
    at = open_app("en")
    assert at.session_state["open_mode"] is False
    assert any("Every user is disabled" in w.value for w in at.warning)
    assert [t.value for t in at.title] == ["Published results"]


def test_repeated_failures_lock_the_name(db):
    _users(db)
    at = open_app("en")
    for _ in range(5):
        at = _login(at, "leader", "nope")
    at = _login(at, "leader", "leader-pass-1")
    assert "user" not in at.session_state
    assert any("locked for 15 minutes" in e.value for e in at.error)
