"""用户管理 Users: add, change (role, towns, areas, departments, a unit account's units), reset a
password, disable or enable, and import accounts from a sheet (admin only); towns, areas,
departments and units are picked from the campaigns'."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app.accounts import (
    ROLES,
    add_user,
    import_users,
    known_departments,
    list_users,
    read_users_sheet,
    set_disabled,
    set_password,
    set_role,
    users_view,
)
from scoring.app.names import scope_choices, scope_units

user = session.require_page("users")
assert user is not None
st.title(L("us.title"))
roles = {r: L(f"role.{r}") for r in ROLES}

common.show_outcome("us")


def attempt(step, said: str | None = None) -> None:
    common.attempt("us", step, "manage_users", said)


with data.db() as con:
    accounts = list_users(con)
    towns, areas = scope_choices(con)
    departments = sorted(known_departments(con))
    unit_names = scope_units(con)
    shown = users_view(con, lang())
common.table(shown, key="us_table")
names = accounts["username"].to_list()

ADD_FORM = ("us_name", "us_password", "us_role", "us_towns", "us_areas", "us_departments", "us_units")
with st.form("us_add"):
    st.subheader(L("us.add"))
    name = st.text_input(L("auth.username"), key="us_name", max_chars=100)
    password = st.text_input(L("auth.password"), type="password", key="us_password", max_chars=200)
    role = st.selectbox(
        L("us.role"), list(roles), format_func=roles.__getitem__, key=common.localized("us_role")
    )
    picked_towns = st.multiselect(L("us.towns"), towns, key="us_towns", placeholder=L("choose"))
    picked_areas = st.multiselect(L("us.areas"), areas, key="us_areas", placeholder=L("choose"))
    picked_departments = st.multiselect(
        L("us.departments"), departments, key="us_departments", placeholder=L("choose")
    )
    picked_units = st.multiselect(
        L("us.units"),
        list(unit_names),
        key="us_units",
        placeholder=L("choose"),
        format_func=lambda u: unit_names.get(u, u),
    )
    if st.form_submit_button(L("us.add")):

        def added(con):
            add_user(
                con, name, password, role, picked_towns, picked_areas, user.username, picked_departments,
                units=picked_units,
            )  # fmt: skip
            for key in ADD_FORM:  # the next user starts from an empty form, not this one's scope
                st.session_state.pop(key, None)
            return L("us.added", user=name)

        attempt(added)

if names:
    st.subheader(L("us.change"))
    target = st.selectbox(L("auth.username"), names, key="us_target")
    current = accounts.filter(pl.col("username") == target).row(0, named=True)
    with st.form("us_change"):
        new_role = st.selectbox(
            L("us.role"),
            list(roles),
            index=list(roles).index(current["role"]),
            format_func=roles.__getitem__,
            key=f"us_change_role_{target}",
        )
        new_towns = st.multiselect(
            L("us.towns"),
            towns,
            default=[x for x in current["towns"] or [] if x in towns],
            key=f"us_ct_{target}",
            placeholder=L("choose"),
        )
        new_areas = st.multiselect(
            L("us.areas"),
            areas,
            default=[x for x in current["areas"] or [] if x in areas],
            key=f"us_ca_{target}",
            placeholder=L("choose"),
        )
        new_departments = st.multiselect(
            L("us.departments"),
            departments,
            default=[x for x in current["departments"] or [] if x in departments],
            key=f"us_cd_{target}",
            placeholder=L("choose"),
        )
        new_units = st.multiselect(
            L("us.units"),
            list(unit_names),
            default=[x for x in current["units"] or [] if x in unit_names],
            key=f"us_cu_{target}",
            placeholder=L("choose"),
            format_func=lambda u: unit_names.get(u, u),
        )
        if st.form_submit_button(L("us.save_change")):
            attempt(
                lambda con: set_role(
                    con,
                    target,
                    new_role,
                    new_towns,
                    new_areas,
                    by=user.username,
                    departments=new_departments,
                    units=new_units,
                ),
                L("us.changed", user=target),
            )
    p1, p2 = st.columns([3, 2])
    new_password = p1.text_input(L("us.new_password"), type="password", key="us_new_password", max_chars=200)
    if p2.button(L("us.reset"), key="us_reset"):
        attempt(
            lambda con: set_password(con, target, new_password, by=user.username),
            L("us.reset_done", user=target),
        )
    disabled = bool(current["disabled"])
    switch = "enable" if disabled else "disable"
    if st.button(L(f"us.{switch}"), key=f"us_{switch}"):
        attempt(
            lambda con: set_disabled(con, target, not disabled, by=user.username),
            L(f"us.{switch}d", user=target),
        )

st.subheader(L("us.import"))
st.caption(L("us.import_help"))
sheet = st.file_uploader(L("us.import"), type=["xlsx", "csv"], key="us_sheet")
if sheet is not None and st.button(L("us.do_import"), key="us_do_import"):
    payload = sheet.getvalue()

    def imported(con):
        frame = read_users_sheet(payload, sheet.name)
        return L("us.imported", n=import_users(con, frame, sheet.name, by=user.username))

    attempt(imported)
