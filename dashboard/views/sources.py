"""部门报送 Departments' files (一套表): what each department has delivered per period (late,
missing, some months), and a department's own file uploaded as its source declares: tried
first, row by row (added, changed, unchanged, waiting for months, passed over, rejected and
why), then written."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app.campaigns import open_campaign
from scoring.app.deliveries import Delivery, confirm, preview, shown, sources_for, summary
from scoring.app.delivery_status import STATES, missing, status, status_view
from scoring.app.office import OutlierWarning
from scoring.app.rules import Source, period_months
from scoring.core.errors import MAX_REASON, CampaignError
from scoring.core.money import plain

MAX_UPLOAD_MB = 20
MAX_LISTED = 1_000  # missing cells listed

user = session.require_page("sources")
assert user is not None
cid, rules, _ = common.context(need_run=False)
st.title(L("so.title"))
if not rules.sources:
    st.info(L("so.none"))
    st.stop()

st.subheader(L("so.status"))
with data.db() as con:
    camp = open_campaign(con, cid)
    table, status_table = status(camp), status_view(camp, lang())
counts = {s: table.filter(pl.col("state") == s).height for s in STATES}
st.caption(
    L(
        "so.counts",
        done=counts["delivered"] + counts["late"],
        partial=counts["partial"],
        overdue=counts["overdue"],
        due=counts["due"],
    )
)
common.table(status_table.drop("source_id"), key="so_status")
st.caption(L("so.status_help"))
short = table.filter(pl.col("filled") < pl.col("cells"))
if short.height:
    with st.expander(L("so.missing")):
        pairs = list(zip(short["source_id"], short["period"], short["source"], strict=True))
        pick = st.selectbox(
            L("so.missing_of"), pairs, format_func=lambda x: f"{x[2]} · {x[1]}", key="so_missing_pick"
        )
        with data.db() as con:
            common.table(
                missing(open_campaign(con, cid), pick[0], pick[1]).head(MAX_LISTED), key="so_missing"
            )

if not user.may("enter_values"):
    st.stop()
st.subheader(L("so.deliver"))
mine = sources_for(rules, user)
if not mine:
    st.info(L("so.none_yours"))
    st.stop()
source: Source = st.selectbox(
    L("so.source"), mine, format_func=lambda s: f"{s.name}（{s.department}）", key="so_source"
)
with st.expander(L("so.mapping")):
    common.table(
        pl.DataFrame(
            [
                {
                    "column": c.column,
                    "indicator_id": rules.indicator(c.indicator).name,
                    "factor": str(c.factor),
                    "how": L(f"so.how.{source.how(c)}") if source.monthly else "",
                }
                for c in source.columns
            ]
        ),
        key="so_mapping",
    )
    if source.shape == "survey":  # an answer sheet a row: how its words score
        words = "，".join(f"{w} = {plain(x)}" for w, x in source.answers.items())
        st.caption(L("so.survey_help", words=words or "—"))
period = None
if source.period_column is None and not source.months_across:  # the file is one period's (or month's)
    if source.monthly:
        months = [m for ms in period_months(rules.periods, source.period_months).values() for m in ms or []]
        due = period_months(rules.periods, source.period_months)[
            rules.periods[common.due_index([*rules.periods], entry=True)]
        ]
        period = st.selectbox(
            L("so.month"), months, key=f"so_month_{source.id}", index=months.index(due[0]) if due else 0
        )
    else:
        period = common.pick_period(
            rules, f"so_period_{source.id}", with_year=False, label=L("so.period"), entry=True
        )
# .xls is taken only to be refused in words (saved as .xlsx, it is read as shown)
upload = st.file_uploader(L("so.upload"), type=["xlsx", "csv", "xls"], key=f"so_upload_{source.id}")
if upload is None:
    st.stop()
if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
    st.error(L("ca.too_big", mb=MAX_UPLOAD_MB))
    st.stop()
any_year = st.session_state.get("so_any_year") == upload.file_id  # ticked for this file
try:
    with st.spinner(L("so.reading")), data.db() as con:
        delivery = preview(
            open_campaign(con, cid), source.id, upload.name, upload.getvalue(), user, period, lang(), any_year
        )
except CampaignError as exc:
    common.show_problems(exc)
    if any(p.code == "source_other_year" for p in exc.problems) and st.checkbox(
        L("so.any_year"), key="so_any_year_box"
    ):
        st.session_state["so_any_year"] = upload.file_id
        st.rerun()
    st.stop()

said = summary(delivery, lang()).splitlines()
st.info(said[0])
for line in said[1:]:  # the units passed over, possible repeated sheets, how dashes are taken
    st.caption(line)
common.table(shown(delivery, lang()), key="so_rows")
if delivery.problems:
    st.error(L("so.refused", n=delivery.rejected))
    common.show_problems(CampaignError(delivery.problems))
    st.stop()
st.caption(L("so.dry_run"))
reason = st.text_input(L("so.reason"), key="so_reason", max_chars=MAX_REASON)


def write(d: Delivery, note: str | None) -> None:
    bar = st.progress(0, text=L("so.writing"))
    try:
        with data.db() as con:
            result = confirm(
                con,
                d,
                user,
                reason=reason or None,
                confirm_note=note,
                on_stage=common.stage_progress(bar, 20),
            )
    except OutlierWarning as warning:
        bar.empty()
        st.session_state["so_flagged"] = (d.sha256, warning.flagged)
        st.rerun()
    except CampaignError as exc:
        bar.empty()
        common.show_problems(exc)
        return
    bar.empty()
    st.session_state.pop("so_flagged", None)
    if result is None:
        st.success(L("so.nothing"))
    else:
        n = result.written + result.cleared
        st.success(L("so.done", file=d.file, periods="、".join(d.periods), n=n))


flagged = st.session_state.get("so_flagged")
if flagged is not None and flagged[0] == delivery.sha256:
    st.warning(L("so.outliers"))
    common.table(flagged[1], key="so_flagged_table")
    note = st.text_input(L("so.confirm_note"), key="so_confirm_note", max_chars=MAX_REASON)
    if st.button(L("so.confirm_outliers"), key="so_confirm_outliers", disabled=not note.strip()):
        write(delivery, note.strip())
elif st.button(L("so.confirm"), key="so_confirm", type="primary"):
    write(delivery, None)
