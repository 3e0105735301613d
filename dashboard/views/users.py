"""用户管理 Users: add, list and disable accounts (admin only)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data
from dashboard.i18n import L
from scoring.core.errors import CampaignError
from scoring.integrity.access import ROLES, add_user, list_users, require, set_disabled

user = common.require_page("users")
assert user is not None
st.title(L("us.title"))
roles = {r: L(f"role.{r}") for r in ROLES}
with data.db() as con:
    common.table(list_users(con).with_columns(pl.col("role").replace_strict(roles)), key="us_table")

with st.form("us_add"):
    st.subheader(L("us.add"))
    name = st.text_input(L("auth.username"), key="us_name")
    password = st.text_input(L("auth.password"), type="password", key="us_password")
    role = st.selectbox(
        L("us.role"), list(roles), format_func=roles.__getitem__, key=common.localized("us_role")
    )
    towns = st.text_input(L("us.towns"), key="us_towns")
    areas = st.text_input(L("us.areas"), key="us_areas")
    if st.form_submit_button(L("us.add")):
        try:
            require(user, "manage_users")
            with data.db() as con:
                add_user(
                    con,
                    name,
                    password,
                    role,
                    [t.strip() for t in towns.split(",") if t.strip()],
                    [a.strip() for a in areas.split(",") if a.strip()],
                    by=user.username,
                )
        except CampaignError as exc:
            common.show_problems(exc)
        else:
            st.success(L("us.added", user=name))

with st.form("us_disable"):
    st.subheader(L("us.disable"))
    target = st.text_input(L("auth.username"), key="us_disable_name")
    if st.form_submit_button(L("us.disable")):
        try:
            require(user, "manage_users")
            with data.db() as con:
                set_disabled(con, target, by=user.username)
        except CampaignError as exc:
            common.show_problems(exc)
        else:
            st.success(L("us.disabled", user=target))
