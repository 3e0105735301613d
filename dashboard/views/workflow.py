"""审核发布 Approval: periods and towns (period × town matrix), town and period steps, the
year's publication, lock exceptions and deadlines, the log, verification."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app.accounts import User
from scoring.app.campaigns import open_campaign
from scoring.app.names import unit_choices, unit_towns
from scoring.app.office import (
    exceptions_view,
    locks,
    matrix_view,
    move_year,
    periods,
    periods_view,
    town_matrix,
    town_name,
    towns,
    verify,
    year_line,
)
from scoring.app.selfscore import side_by_side
from scoring.app.unit_self import approval_counts
from scoring.core.errors import MAX_REASON
from scoring.core.localtime import label, local_columns, show_deadline

user = session.require_page("workflow")
assert user is not None
cid, rules, run = common.context(need_run=False)
tz = rules.campaign.timezone
st.title(L("wf.title"))
st.caption(L("wf.help"))


def attempt(step, said: str | None = None) -> None:
    common.attempt("wf", step, said=said)


common.show_outcome("wf")

with data.db() as con:
    camp = open_campaign(con, cid)
    period_rows, matrix, year = periods_view(camp, lang()), matrix_view(camp, lang()), year_line(camp, lang())
    town_list = sorted(set(town_matrix(con, cid)["town"].to_list()))
common.table(period_rows, key="wf_table")
st.subheader(L("wf.towns"))
st.caption(L("wf.help_towns"))
common.table(matrix, key="wf_matrix")

st.subheader(L("wf.town_step"))
t1, t2, t3 = st.columns([2, 2, 2])
mine = [t for t in town_list if not user.towns or t in user.towns]
with t1:
    t_period = common.pick_period(rules, "wf_t_period", with_year=False)
with t2:
    t_town = st.selectbox(
        L("wf.town"), mine or town_list, key="wf_t_town", format_func=lambda x: town_name(x, lang())
    )
town_acts = [a for a in towns.TOWN_MOVES if user.may(towns.TOWN_ACTION[a])]
with t3:
    t_action = st.selectbox(
        L("wf.action"),
        town_acts,
        key=common.localized("wf_t_action"),
        format_func=lambda a: L(f"wf.act.{a}"),
    )
with data.db() as con:  # what the approver weighs: 考评 against 自评, proof the rules require, replies
    counts = approval_counts(open_campaign(con, cid), t_period).filter(pl.col("town") == t_town)
    replies = side_by_side(con, cid, t_period).filter(pl.col("reply").is_not_null())
    in_town = unit_towns(con, cid)
if counts.height:
    st.caption(L("wf.self_counts", differing=counts["differing"][0], unproved=counts["unproved"][0]))
replies = replies.filter(pl.col("unit_id").replace_strict(in_town, default="") == t_town)
if replies.height:
    st.write(L("wf.replies", n=replies.height))
    common.table(replies.select("unit_id", "indicator_id", "self_score", "assessed", "reason", "reply"))
t_message = st.text_input(L("wf.message"), key="wf_t_message", max_chars=MAX_REASON)
if st.button(L("wf.do"), key="wf_t_do", disabled=not town_acts):

    def town_step(con):
        new = towns.move_town(con, cid, t_period, t_town, t_action, user, t_message or None)
        status = periods.statuses(con, cid).filter(pl.col("period") == t_period)["status"][0]
        return L(
            "wf.town_done",
            period=t_period,
            town=town_name(t_town, lang()),
            status=L(f"state.{new}"),
            period_status=L(f"state.{status}"),
        )

    attempt(town_step)

st.subheader(L("wf.period_step"))
c1, c2, c3 = st.columns([2, 2, 4])
with c1:
    common.pick_period(rules, "wf_period", with_year=False)  # read by the step, at the click
acts = [a for a in periods.MOVES if user.may(a)]
with c2:
    st.selectbox(
        L("wf.action"), acts, key=common.localized("wf_action"), format_func=lambda a: L(f"wf.act.{a}")
    )
with c3:
    st.text_input(L("wf.reason"), key="wf_reason", max_chars=MAX_REASON)


def period_step(con: Any, who: User) -> str:  # the period, action and reason as sent with the click
    chosen, act = st.session_state["wf_period"], st.session_state["wf_action"]
    said = st.session_state.get("wf_reason") or None
    return L(
        "wf.done",
        period=chosen,
        status=L(f"state.{periods.move(open_campaign(con, cid), chosen, act, who, said)}"),
    )


st.button(
    L("wf.do"), key="wf_do", type="primary", disabled=not acts, on_click=common.on_click("wf", period_step)
)

st.subheader(L("wf.year"))
st.write(common.md(year))  # who changed it, as text
y1, y2, _ = st.columns([1, 1, 3])
if user.may("publish_year"):
    if y1.button(L("wf.year_publish"), key="wf_year_publish"):
        attempt(
            lambda con: L(
                "wf.year_done", status=L(f"state.{move_year(open_campaign(con, cid), 'publish', user)}")
            )
        )
    if y2.button(L("wf.year_finalize"), key="wf_year_finalize"):
        attempt(
            lambda con: L(
                "wf.year_done", status=L(f"state.{move_year(open_campaign(con, cid), 'finalize', user)}")
            )
        )

if user.may("grant_exception"):
    st.subheader(L("wf.exceptions"))
    st.caption(L("wf.exc_help"))
    with data.db() as con:
        units = unit_choices(con, cid)
        shown = exceptions_view(open_campaign(con, cid), lang())
        open_nos = locks.exceptions(con, cid)["exception_no"].to_list()
    with st.form("wf_exc_form"):
        e1, e2, e3, e4 = st.columns(4)
        with e1:
            e_period = common.pick_period(rules, "wf_e_period", with_year=False)
        e_unit = e2.selectbox(
            L("wf.exc_unit"), [None, *units], key="wf_e_unit",
            format_func=lambda u: L("any") if u is None else f"{units[u]}（{u}）",
        )  # fmt: skip
        e_ind = e3.selectbox(
            L("wf.exc_indicator"), [None, *(i.id for i in rules.indicators)], key="wf_e_ind",
            format_func=lambda i: L("any") if i is None else rules.indicator(i).name,
        )  # fmt: skip
        e_town = e4.selectbox(
            L("wf.exc_town"), [None, *town_list], key="wf_e_town",
            format_func=lambda x: L("any") if x is None else town_name(x, lang()),
        )  # fmt: skip
        e_reason = st.text_input(L("wf.exc_reason"), key="wf_e_reason", max_chars=MAX_REASON)
        if st.form_submit_button(L("wf.exc_grant")):
            attempt(
                lambda con: L(
                    "wf.exc_granted",
                    no=locks.grant_exception(
                        open_campaign(con, cid), e_period, user, e_reason, e_unit, e_ind, e_town
                    ),
                )
            )
    if shown.height:
        common.table(shown, key="wf_exc_table")
    if open_nos:
        x1, x2, _ = st.columns([1, 1, 3])
        no = x1.selectbox(L("wf.exc_no"), open_nos, key="wf_x_no", format_func=lambda n: f"#{n}")
        if x2.button(L("wf.exc_close"), key="wf_x_close"):
            attempt(lambda con: locks.close_exception(con, cid, int(no), user), L("wf.exc_closed", no=no))
    d1, d2, d3 = st.columns([1, 2, 1])
    with d1:
        d_period = common.pick_period(rules, "wf_d_period", with_year=False)
    d_text = d2.text_input(L("wf.deadline"), key="wf_d_text", max_chars=100)
    if d3.button(L("wf.deadline_set"), key="wf_d_set"):

        def set_deadline(con):
            stored = locks.set_deadline(open_campaign(con, cid), d_period, d_text or None, user)
            return L(
                "wf.deadline_done",
                period=d_period,
                deadline=show_deadline(stored, tz, lang()) or L("wf.none"),
            )

        attempt(set_deadline)

if st.button(L("wf.verify"), key="wf_verify"):
    with data.db() as con:
        checks = verify(con, cid)
    for check in checks:
        if check.ok:
            st.success(L("wf.verify_ok", period=check.scope_text(lang())))
        else:
            st.error(L("wf.verify_bad", period=check.scope_text(lang()), n=check.differences))

st.subheader(L("wf.log"))
with data.db() as con:
    log = periods.log(con, cid)
    tlog = towns.town_log(con, cid)
states = {s: L(f"state.{s}") for s in (*periods.STATES, "returned")}
words = pl.col("from_status", "to_status").replace(states)
when = {"logged_at": L("wcol.when", zone=label(tz, lang()))}  # local times, the zone named
common.table(
    local_columns(log, tz).with_columns(words, pl.col("period").fill_null(L("year.label"))).rename(when),
    key="wf_log",
)
if tlog.height:
    common.table(local_columns(tlog, tz).with_columns(words).rename(when), key="wf_town_log")
