"""Who is signed in: the session's user, checked against the database on every run, the
browser's token that resumes a session after a reload, and the pages a user may see."""

from __future__ import annotations

from typing import Any

import duckdb
import streamlit as st

from dashboard import data
from dashboard.i18n import L
from scoring.app.accounts import User, access, sessions


def client_address() -> str | None:
    """The browser's address, as the office's web server passes it on (X-Forwarded-For, X-Real-IP:
    the dashboard listens on 127.0.0.1 behind it, so no one else can set them), else the
    connection's own."""
    headers = st.context.headers
    forwarded = headers.get("X-Forwarded-For") or headers.get("X-Real-Ip") or ""
    first = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else ""
    own = st.context.ip_address
    return first or (own if isinstance(own, str) else None)  # none known outside a server


OPEN_MODE_USER = User("local", "admin")


def current_user() -> User | None:
    """The signed-in user; in open mode (no users in the database) the local operator."""
    if st.session_state.get("open_mode"):
        return OPEN_MODE_USER
    raw = st.session_state.get("user")
    if not raw:
        return None
    departments = tuple(raw.get("departments") or ())
    units = tuple(raw.get("units") or ())
    return User(
        raw["username"], raw["role"], tuple(raw["towns"]), tuple(raw["areas"]), departments, units=units
    )


def refresh_user() -> None:
    """Once per rerun, before any page: the signed-in user as the database has them now. A
    disabled account's open session, or one opened with a password since changed, ends at once;
    a changed role or town applies now."""
    raw = st.session_state.get("user")
    if not raw or st.session_state.get("open_mode"):
        return
    with data.db() as con:
        user = as_stored(con, raw)
    if user is None:
        st.session_state.pop("user", None)
        st.session_state["session_ended"] = True
    else:
        sign_in(user)


def as_stored(con: duckdb.DuckDBPyConnection, raw: dict[str, Any]) -> User | None:
    """The session's user as the database has them now; None when the account was disabled or
    its password changed since the session began."""
    user = access.current(con, raw["username"])
    return None if user is None or user.credential != raw.get("credential") else user


COOKIE = "starscore_session"


def remember(token: str | None) -> None:
    """Keep the session's token in the browser (a reload then signs the user in again), or with
    None forget it. The token is only letters, digits, - and _ (``secrets.token_urlsafe``)."""
    assert token is None or token.replace("-", "").replace("_", "").isalnum()
    value = f"{COOKIE}={token}; max-age=43200" if token else f"{COOKIE}=; max-age=0"
    st.html(
        f"<script>document.cookie = '{value}; path=/; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def resume_session() -> None:
    """A reload (a new Streamlit session) signs in again the user whose browser holds a live
    session's token."""
    if (
        st.session_state.get("user")
        or st.session_state.get("open_mode")
        or st.session_state.get("signed_out")
    ):
        return
    token = st.context.cookies.get(COOKIE)
    if not token:
        return
    with data.db() as con:
        user = sessions.resume(con, token)
    if user is not None:
        st.session_state["session_token"] = token
        sign_in(user)


def sign_in(user: User) -> None:
    st.session_state["user"] = {
        "username": user.username,
        "role": user.role,
        "towns": list(user.towns),
        "areas": list(user.areas),
        "departments": list(user.departments),
        "credential": user.credential,
        "units": list(user.units),
    }


def require_page(page: str) -> User:
    """The signed-in user; stops a page they may not see (the check does not rely on the menu).
    The public page needs nobody signed in and does not ask."""
    user = current_user()
    if user is None or not user.can_see(page):
        st.error(L("auth.forbidden_page"))
        st.stop()
    return user
