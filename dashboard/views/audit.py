"""修改记录 Audit trail: who changed which value, when, from what to what, and why."""

from __future__ import annotations

import streamlit as st

from dashboard import common, data
from dashboard.i18n import L
from scoring.audit import history

common.require_page("audit")
cid, rules, _ = common.context(need_run=False)
st.title(L("au.title"))
units = data.read("units", cid)
c1, c2, c3 = st.columns(3)
with c1:
    unit = st.selectbox(
        L("unit"),
        [None, *units["unit_id"].to_list()],
        key="au_unit",
        format_func=lambda u: "—" if u is None else u,
    )
with c2:
    period = st.selectbox(
        L("period"), [None, *rules.periods], key="au_period", format_func=lambda p: "—" if p is None else p
    )
with c3:
    indicator = st.selectbox(
        "indicator",
        [None, *(i.id for i in rules.indicators)],
        key="au_indicator",
        format_func=lambda i: "—" if i is None else i,
    )
with data.db() as con:
    rows = history(con, cid, unit, period, indicator)
if rows.height:
    common.table(rows, key="au_table")
else:
    st.info(L("au.none"))
