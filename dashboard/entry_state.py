"""The entry page's word on the chosen period before anyone edits: locked (and which units are
open for correction), each of the user's towns' state with a return's message, the deadline."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data
from dashboard.i18n import L, lang
from scoring.app.accounts import User
from scoring.app.campaigns import now, open_campaign
from scoring.app.office import LOCKED, deadlines, exceptions, statuses, town_matrix, town_name
from scoring.core.localtime import show_deadline


def period_state(cid: str, period: str, tz: str, user: User) -> bool:
    """Say the period's state; returns whether its values are locked for this user."""
    with data.db() as con:
        status = statuses(con, cid).filter(pl.col("period") == period).row(0, named=True)["status"]
        towns = town_matrix(con, cid).filter(pl.col("period") == period)
        open_exc = exceptions(con, cid).filter(pl.col("period") == period)
        due = deadlines(open_campaign(con, cid)).get(period)
    if status in LOCKED:
        units = "、".join(u for u in open_exc["unit_id"].drop_nulls().to_list())
        extra = L("en.open_exceptions", units=units) if units else ""
        st.info(L("en.locked", period=period, status=L(f"state.{status}"), exceptions=extra))
        return not units
    mine = towns.filter(pl.col("town").is_in(list(user.towns))) if user.towns else towns
    for r in mine.filter(pl.col("status") == "returned").iter_rows(named=True):
        st.warning(
            L(
                "td.returned",
                period=period,
                town=town_name(r["town"], lang()),
                who=r["changed_by"] or "",
                message=r["message"] or "",
            )
        )
    states = "；".join(
        f"{town_name(r['town'], lang())} {L('state.' + r['status'])}" for r in mine.iter_rows(named=True)
    )
    if states:
        st.caption(L("en.town_state", states=states))
    if due is not None:
        when = show_deadline(due, tz, lang())
        if now() >= due and user.role != "admin" and open_exc.height == 0:
            st.warning(L("en.deadline_passed", period=period, deadline=when))
            return True
        st.caption(L("en.deadline", deadline=when))
    return False
