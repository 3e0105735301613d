"""修改记录 Audit trail: who changed which value, when, from what to what, and why."""

from __future__ import annotations

import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app import reads
from scoring.app.campaigns import open_campaign
from scoring.app.office import audit_view, history

session.require_page("audit")
cid, rules, _ = common.context(need_run=False)
st.title(L("au.title"))
indicator_names = {i.id: i.name for i in rules.indicators}
c0, c1, c2, c3 = st.columns([2, 3, 2, 3])
with c0:  # a search, so that a province's units are never all sent to the browser
    text = st.text_input(L("lb.search"), key="au_search", max_chars=100)
found = data.read(reads.find_units, cid, text)
unit_names = dict(zip(found["unit_id"].to_list(), found["name"].to_list(), strict=True))
with c1:
    unit = st.selectbox(
        L("unit"),
        [None, *unit_names],
        key="au_unit",
        format_func=lambda u: "—" if u is None else f"{unit_names[u]} ({u})",
    )
with c2:
    period = st.selectbox(
        L("period"), [None, *rules.periods], key="au_period", format_func=lambda p: "—" if p is None else p
    )
with c3:
    indicator = st.selectbox(
        L("col.indicator_id"),
        [None, *indicator_names],
        key="au_indicator",
        format_func=lambda i: "—" if i is None else f"{indicator_names[i]} ({i})",
    )
with data.db() as con:
    rows = history(con, cid, unit, period, indicator)
if rows.height:
    with data.db() as con:
        shown = audit_view(open_campaign(con, cid), rows, lang())
    common.table(shown, key="au_table")
else:
    st.info(L("au.none"))
