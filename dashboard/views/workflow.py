"""审核发布 Approval: each period's status, the next step, the log, verification."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data
from dashboard.i18n import L
from scoring.core.errors import CampaignError
from scoring.integrity import workflow
from scoring.integrity.verify import verify

user = common.require_page("workflow")
assert user is not None
cid, rules, run = common.context(need_run=False)
st.title(L("wf.title"))
st.caption(L("wf.help"))

with data.db() as con:
    status = workflow.statuses(con, cid)
states = {s: L(f"wf.status.{s}") for s in workflow.STATES}
common.table(status.with_columns(pl.col("status").replace_strict(states)), key="wf_table")

c1, c2, c3 = st.columns([2, 2, 4])
with c1:
    period = st.selectbox(L("period"), rules.periods, key="wf_period")
acts = {a: L(f"wf.act.{a}") for a in workflow.MOVES}
with c2:
    action = st.selectbox(
        L("wf.action"), list(acts), key=common.localized("wf_action"), format_func=acts.__getitem__
    )
with c3:
    reason = st.text_input(L("wf.reason"), key="wf_reason")
if st.button(L("wf.do"), key="wf_do", type="primary"):
    try:
        with data.db() as con:
            new = workflow.move(con, cid, period, action, user, reason or None)
    except CampaignError as exc:
        common.show_problems(exc)
    else:
        st.success(L("wf.done", period=period, status=L(f"wf.status.{new}")))

if st.button(L("wf.verify"), key="wf_verify"):
    with data.db() as con:
        checks = verify(con, cid)
    for check in checks:
        if check.ok:
            st.success(L("wf.verify_ok", period=check.scope))
        else:
            st.error(L("wf.verify_bad", period=check.scope, n=check.differences))

st.subheader(L("wf.log"))
with data.db() as con:
    log = workflow.log(con, cid)
common.table(log.with_columns(pl.col("from_status", "to_status").replace_strict(states)), key="wf_log")
