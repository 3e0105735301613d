"""我的待办 An evaluator's first page: their towns' periods, deadlines, missing values, returns."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app.campaigns import open_campaign
from scoring.app.office import town_name
from scoring.app.todo import todo
from scoring.core.frames import each
from scoring.core.localtime import label, show_deadline

user = session.require_page("todo")
assert user is not None
cid, rules, run = common.context(need_run=False)
tz = rules.campaign.timezone
st.title(L("td.title"))
st.caption(L("td.help"))

with data.db() as con:
    rows = todo(open_campaign(con, cid), user)
due = rows.filter(pl.col("period_status").is_in(["open", "submitted"]))
for r in due.filter(pl.col("status") == "returned").iter_rows(named=True):
    st.warning(
        L(
            "td.returned",
            period=r["period"],
            town=town_name(r["town"], lang()),
            who=r["changed_by"] or "",
            message=r["message"] or "",
        )
    )
if due.height == 0:
    st.success(L("td.nothing"))
shown = due if due.height else rows
st.dataframe(
    shown.select(
        pl.col("period").alias(L("wcol.period")),
        each(shown, "town", lambda x: town_name(x, lang())).alias(L("wcol.town")),
        each(shown, "status", lambda s: L(f"state.{s}")).alias(L("wcol.status")),
        each(shown, "deadline", lambda d: show_deadline(d, tz, lang()))
        .fill_null("")  # no deadline: an empty cell, not "None"
        .alias(L("wcol.deadline")),
        pl.when(pl.col("overdue")).then(pl.lit(L("td.overdue"))).otherwise(pl.lit("")).alias(" "),
        pl.col("missing").alias(L("wcol.missing")),
        pl.col("message").fill_null("").alias(L("wcol.message")),
    ),
    hide_index=True,
    width="stretch",
    key="td_table",
)
st.caption(label(tz, lang()))
