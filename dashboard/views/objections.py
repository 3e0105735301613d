"""异议登记 Objections: the register of objections to published results, and their handling."""

from __future__ import annotations

from datetime import datetime, time

import polars as pl
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app.campaigns import now, open_campaign
from scoring.app.corrections import finish_corrections, uphold_with_correction
from scoring.app.evidence import list_evidence
from scoring.app.names import unit_choices
from scoring.app.office import (
    audit_view,
    handle_objection,
    history,
    objection_counts,
    objections,
    objections_view,
    record_objection,
)
from scoring.app.selfscore import side_by_side
from scoring.core.errors import MAX_TEXT
from scoring.core.localtime import to_local, to_utc

user = session.require_page("objections")
assert user is not None
cid, rules, run = common.context(need_run=False)
tz = rules.campaign.timezone
st.title(L("ob.title"))
st.caption(L("ob.help"))

common.show_outcome("ob")


def attempt(step) -> None:
    common.attempt("ob", step)


with data.db() as con:
    camp = open_campaign(con, cid)
    if user.may("handle_objection"):
        finish_corrections(camp)  # a correction killed on its way is finished before it is shown
    register = objections_view(camp, lang())
    counts = objection_counts(con, cid)
    pending = objections(con, cid).filter(pl.col("outcome") == "pending")
    units = unit_choices(con, cid)
st.write(L("ob.counts", **counts))
common.table(register, key="ob_table")

if user.may("record_objection"):
    st.subheader(L("ob.add"))
    with st.form("ob_add"):
        a1, a2, a3 = st.columns(3)
        unit = a1.selectbox(
            L("ob.unit"), list(units), format_func=lambda u: f"{units[u]}（{u}）", key="ob_unit"
        )
        period = a2.selectbox(
            L("ob.period"), [*rules.periods, None], key="ob_period",
            format_func=lambda p: L("ob.year") if p is None else p,
        )  # fmt: skip
        received = a3.date_input(L("ob.received"), value=to_local(now(), tz).date(), key="ob_received")
        raised_by = st.text_input(L("ob.by"), key="ob_by", max_chars=100)
        text = st.text_area(L("ob.text"), key="ob_text", max_chars=MAX_TEXT)
        if st.form_submit_button(L("ob.add")):
            # a date alone: received at noon local time that day (today: now)
            local = (
                to_local(now(), tz)
                if received == to_local(now(), tz).date()
                else datetime.combine(received, time(12))
            )
            at = to_utc(local, tz)
            attempt(
                lambda con: L(
                    "ob.recorded",
                    no=record_objection(open_campaign(con, cid), unit, raised_by, text, user, period, at),
                )
            )

if user.may("handle_objection"):
    st.subheader(L("ob.handle"))
    if pending.height == 0:
        st.caption(L("ob.none_pending"))
    else:
        labels = {
            r["objection_no"]: f"#{r['objection_no']} {r['unit_name']}：{r['text'][:30]}"
            for r in pending.iter_rows(named=True)
        }
        with st.expander(L("ob.evidence")):  # what the unit's numbers were based on
            seen = st.selectbox(L("ob.no"), list(labels), format_func=labels.__getitem__, key="ob_seen")
            row = pending.filter(pl.col("objection_no") == seen).row(0, named=True)
            with data.db() as con:
                proof = list_evidence(con, cid, row["unit_id"], row["period"])
                compared = side_by_side(con, cid, row["period"], row["unit_id"]) if row["period"] else None
            if proof.height:
                common.table(
                    proof.select(
                        "evidence_no", "period", "indicator_id", "name", "sha256", "added_by", "note"
                    ),
                    key="ob_proof",
                )
            else:
                st.caption(L("ob.no_evidence"))
            if compared is not None and compared.height:
                common.table(compared, key="ob_self")
            if row["period"]:  # one cell's story: 自评, 考评, reasons, the reply, proof added or removed
                names = {i.id: i.name for i in rules.indicators}
                cell = st.selectbox(L("ob.cell"), list(names), format_func=names.__getitem__, key="ob_cell")
                with data.db() as con:
                    story = history(con, cid, row["unit_id"], row["period"], cell).filter(
                        pl.col("unit_id").is_not_null()
                    )
                    shown = audit_view(open_campaign(con, cid), story, lang()) if story.height else None
                if shown is None:
                    st.caption(L("ob.no_history"))
                else:
                    common.table(shown, key="ob_history")
        with st.form("ob_handle"):
            h1, h2 = st.columns([3, 1])
            no = h1.selectbox(L("ob.no"), list(labels), format_func=labels.__getitem__, key="ob_no")
            outcome = h2.selectbox(
                L("ob.outcome"),
                ["upheld", "rejected"],
                format_func=lambda o: L(f"state.{o}"),
                key="ob_outcome",
            )
            response = st.text_input(L("ob.response"), key="ob_response", max_chars=MAX_TEXT)
            c0, c1, c2, c3 = st.columns(4)
            c_period = c0.selectbox(
                L("period"), [None, *rules.periods], key="ob_c_period",
                format_func=lambda p: L("any") if p is None else p,
            )  # fmt: skip
            indicator = c1.selectbox(
                L("ob.indicator"), [None, *(i.id for i in rules.indicators)], key="ob_indicator",
                format_func=lambda i: L("any") if i is None else rules.indicator(i).name,
            )  # fmt: skip
            value = c2.text_input(L("ob.value"), key="ob_value", max_chars=100)
            correction = c3.text_input(L("ob.correction"), key="ob_correction", max_chars=MAX_TEXT)
            if st.form_submit_button(L("ob.do")):

                def handle(con):
                    if outcome == "upheld" and indicator is not None:
                        uphold_with_correction(
                            open_campaign(con, cid), int(no), indicator, value, response, user, c_period
                        )
                    else:
                        handle_objection(con, cid, int(no), outcome, response, user, correction or None)
                    return L("ob.handled", no=no, outcome=L(f"state.{outcome}"))

                attempt(handle)
