"""starscore dashboard: ``streamlit run dashboard/app.py`` (or ``starscore dashboard``)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that `streamlit run dashboard/app.py` finds the packages
    sys.path.insert(0, str(ROOT))

from dashboard import (  # noqa: E402
    common,
    data,
    session,
    upload_guard,
)
from dashboard.chrome import localize_chrome, messages_as_text  # noqa: E402
from dashboard.i18n import L  # noqa: E402
from dashboard.pages import PAGES  # noqa: E402
from scoring.app.accounts import (  # noqa: E402  # noqa: E402
    LOCKOUT,
    address_locked,
    authenticate,
    close_session,
    enabled_users,
    has_users,
    locked_until,
    open_session,
)
from scoring.core.errors import CampaignError  # noqa: E402

VIEWS = ROOT / "dashboard" / "views"

st.set_page_config(page_title="starscore", page_icon="⭐", layout="wide")


def sign_in_form() -> None:
    """The sign-in form, checked against the database; a success opens the user's first page."""
    with st.form("login"):
        st.text_input(L("auth.username"), key="login_user", max_chars=100)
        st.text_input(L("auth.password"), type="password", key="login_password", max_chars=200)
        if st.form_submit_button(L("auth.login")):
            try:
                address = session.client_address()
                with data.db() as con:
                    found = authenticate(
                        con,
                        st.session_state["login_user"],
                        st.session_state["login_password"],
                        address=address,
                    )
                    locked = locked_until(con, st.session_state["login_user"])
                    crowded = address_locked(con, address)
            except (duckdb.IOException, duckdb.OutOfMemoryException) as exc:  # a full disk
                st.error(L("app.db_io_error", detail=str(exc).splitlines()[0][:300]))
                st.stop()
            except CampaignError as exc:  # the sign-in's audit row could not be written
                common.show_problems(exc)
                st.stop()
            if found is None and locked is not None:
                st.error(L("auth.locked", minutes=int(LOCKOUT.total_seconds() // 60)))
            elif found is None and crowded:
                st.error(L("auth.address_locked", minutes=int(LOCKOUT.total_seconds() // 60)))
            elif found is None:
                st.error(L("auth.failed"))
            else:
                st.session_state["go_home"] = True
                st.session_state.pop("signed_out", None)
                with data.db() as con:
                    st.session_state["remember"] = open_session(con, found)
                session.sign_in(found)
                st.rerun()


def main() -> None:
    """One script run of the dashboard: the sidebar (language, campaign, sign-in), the menu of
    the pages the user may open, and the page itself."""
    if "lang" not in st.session_state:  # Chinese, unless the address asks for English (?lang=en)
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "zh"
    messages_as_text()  # names, ids and typed text in messages are shown as text
    localize_chrome(st.session_state["lang"])

    with st.spinner(L("app.building_demo")):
        data.ensure_demo()
    with data.db() as con:
        st.session_state["open_mode"] = not has_users(con)  # only a database that never had a user
        nobody_enabled = not st.session_state["open_mode"] and enabled_users(con) == 0
    session.resume_session()
    session.refresh_user()
    upload_guard.install()  # a file is taken only from a session whose user has an uploader
    upload_guard.allow(getattr(session.current_user(), "role", None))

    with st.sidebar:
        st.radio(
            L("app.language"),
            ["zh", "en"],
            key="lang",
            on_change=common.relabel,
            horizontal=True,
            format_func=lambda v: "中文" if v == "zh" else "English",
        )
        camps = data.campaigns()
        ids = camps["campaign_id"].to_list()
        names = dict(zip(ids, camps["name"].to_list(), strict=True))
        if ids:
            if st.session_state.get("campaign_next") in ids:
                st.session_state["campaign"] = st.session_state.pop("campaign_next")
            if st.session_state.get("campaign") not in ids:
                st.session_state["campaign"] = ids[0]
            st.selectbox(
                L("app.campaign"), ids, key="campaign", format_func=lambda c: f"{names.get(c, c)} ({c})"
            )
        st.divider()
        user = session.current_user()
        if st.session_state["open_mode"]:
            st.caption(L("auth.open_mode"))
        elif user is None:
            if nobody_enabled:
                st.warning(L("auth.all_disabled"))
        else:
            st.caption(L("auth.signed_in", user=user.username, role=L(f"role.{user.role}")))
            # after a sign-in, once on the page it leads to: the browser keeps the session's token
            if "remember" in st.session_state and "go_home" not in st.session_state:
                st.session_state["session_token"] = st.session_state.pop("remember")
                session.remember(st.session_state["session_token"])
            if st.button(L("auth.logout"), key="logout"):
                with data.db() as con:
                    close_session(
                        con,
                        st.session_state.pop("session_token", None) or st.context.cookies.get(session.COOKIE),
                    )
                st.session_state.pop("user", None)
                st.session_state["signed_out"] = True  # this page's old cookie signs nobody in
                st.session_state["forget"] = True
                st.rerun()
        if st.session_state.pop("forget", False):
            session.remember(None)

    user = session.current_user()
    allowed = {p[0] for p in PAGES if p[0] == "public" or (user is not None and user.can_see(p[0]))}
    # every page keeps its address (a bookmark of /entry opens, says to sign in, and after the sign-in
    # is the page); the menu lists those the user may open
    every = {
        name: st.Page(
            VIEWS / file,
            title=L(label),
            icon=icon,
            url_path=name,
            visibility="visible" if name in allowed else "hidden",
        )
        for name, file, label, icon in PAGES
    }
    pages = [every[name] for name, *_ in PAGES if name in allowed]

    def home() -> None:
        """The address without a page (/) shows the user's first page; every page keeps its own
        address (/leaderboard), which a default page would lose (Streamlit gives it none)."""
        st.switch_page(pages[0])

    # expanded: the whole menu, always (collapsed, Streamlit adds an English "View more" button)
    navigation = st.navigation(
        [st.Page(home, title=pages[0].title, default=True, visibility="hidden"), *every.values()],
        expanded=True,
    )
    if navigation.url_path and st.session_state.pop("session_ended", False):  # not on the way to a page
        st.sidebar.warning(L("auth.session_ended"))
    if st.session_state.pop("go_home", False):
        st.switch_page(pages[0])
    if user is None and not st.session_state["open_mode"]:
        # signed out: on the public page the form waits in the sidebar; any other page asks for the
        # sign-in in its own place (on a phone the sidebar is folded away) and shows after it
        if navigation.url_path in ("", "public"):
            with st.sidebar:
                sign_in_form()
        else:
            st.title(L("auth.sign_in_title"))
            sign_in_form()
            st.stop()
    try:
        navigation.run()
    except (duckdb.IOException, duckdb.OutOfMemoryException) as exc:  # a full disk, a failing one
        st.error(L("app.db_io_error", detail=str(exc).splitlines()[0][:300]))


with data.one_connection():  # one connection for the whole run, closed when it ends
    main()
