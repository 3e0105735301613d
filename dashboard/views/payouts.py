"""奖金发放 Payouts: gross, capped, final; caps that bound; budget, scale factor; exports."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import polars as pl
import streamlit as st

from dashboard import charts, common, data, session
from dashboard.i18n import L, export_labels
from scoring.app import reads
from scoring.app.campaigns import open_campaign
from scoring.app.office import year_final
from scoring.app.results import payouts_csv, payouts_excel, year_complete
from scoring.app.service import explanations
from scoring.core.localtime import show

MAX_SHOWN = 1_000  # payees listed on the page, per type
MAX_EXCEL_PAYEES = 20_000  # beyond this the Excel workbook with derivations is CSV's job

user = session.require_page("payouts")
cid, rules, run = common.context()
assert run is not None
tz = rules.campaign.timezone
st.title(L("po.title"))
if not year_complete(run.summary):
    st.info(L("yr.no_payouts"))
    st.stop()
s = run.summary
pay: pl.DataFrame = data.cached(reads.payouts, run.run_id)

m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(L("po.budget"), L("po.no_budget") if s["budget"] is None else common.money(s["budget"]))
m2.metric(L("po.before"), common.money(s["total_before_scaling"]))
m3.metric(  # the factor as a number; the exact fraction the engine used on hover
    L("po.factor"),
    f"{Decimal(str(s['scale_factor'])):.6f}",
    help=L("po.factor_exact", f=s["scale_factor_fraction"]),
)
m4.metric(L("po.total"), common.money(s["total_final"]))
m5.metric(L("po.left"), "—" if s["unallocated"] is None else common.money(s["unallocated"]))
st.plotly_chart(
    charts.budget_gauge(
        float(s["total_final"]),
        None if s["budget"] is None else float(s["budget"]),
        L("po.gauge"),
        st.session_state.get("lang", "zh"),
    ),
    width="stretch",
    key="po_gauge",
)

totals = {}
for payee_type, title in (("community", "po.community"), ("secretary", "po.secretary")):
    rows = pay.filter(pl.col("payee_type") == payee_type)
    totals[payee_type] = sum(rows["final"].to_list(), Decimal(0))
    st.subheader(f"{L(title)} · {rows.height}")
    if rows.height > MAX_SHOWN:  # the browser gets the largest; the downloads have every payee
        st.caption(L("po.shown", shown=MAX_SHOWN, n=rows.height))
        rows = rows.sort("final", descending=True).head(MAX_SHOWN)
    st.dataframe(
        rows.select(
            pl.col("payee_id").alias(L("x.payee_id")),
            pl.col("payee_name").alias(L("x.payee_name")),
            pl.col("gross").alias(L("x.gross")),
            pl.col("capped").alias(L("x.capped")),
            pl.col("final").alias(L("x.final")),
            pl.when(pl.col("capped_bound")).then(pl.lit("✔")).otherwise(pl.lit("")).alias(L("po.cap_bound")),
        ),
        hide_index=True,
        width="stretch",
        key=f"po_{payee_type}",
        column_config={
            # the exact amounts, shown to the fen with thousands separators (190,000.00)
            L(f"x.{m}"): st.column_config.NumberColumn(format="accounting")
            for m in ("gross", "capped", "final")
        },
    )

st.info(
    L(
        "po.reconcile",
        c=common.money(totals["community"]),
        s=common.money(totals["secretary"]),
        t=common.money(totals["community"] + totals["secretary"]),
    )
)
with data.db() as con:
    draft = not year_final(con, cid)
if draft:
    st.warning(L("po.draft"))
# finance's files only from a run that recomputes the same: checked on every view (not cached,
# so a row changed in the file since is seen), a recomputation of the campaign
with st.spinner(L("po.verifying")):
    differing = data.read(reads.run_differences, run)
if differing:
    st.error(L("po.unverified", n=differing))
    st.stop()
d1, d2, _ = st.columns([1, 1, 4])
if pay.height <= MAX_EXCEL_PAYEES:
    labels, lang = export_labels(), st.session_state["lang"]

    def workbook() -> bytes:
        """Built when the download is asked for, not on every visit: deriving each payee's award
        takes about 2 ms, so 10,000 payees held the page up for 20 s. It runs outside the
        page's session, so it takes everything it needs from here."""
        with data.db(in_session=False) as con:
            derivations = explanations(open_campaign(con, run.campaign_id), run, lang)
        return payouts_excel(pay, run, labels, draft=draft, explanations=derivations, tz=tz)

    d1.download_button(
        L("download_xlsx"),
        workbook,
        f"payouts-{cid}{'-draft' if draft else ''}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="po_xlsx",
        on_click="ignore",
    )
else:
    d1.caption(L("po.no_excel", n=MAX_EXCEL_PAYEES))
d2.download_button(
    L("download_csv"),
    payouts_csv(pay, export_labels(), draft=draft),
    f"payouts-{cid}{'-draft' if draft else ''}.csv",
    "text/csv",
    key="po_csv",
    on_click="ignore",
)
scored_at = show(datetime.fromisoformat(s["computed_at"]), tz, st.session_state.get("lang", "zh"))
st.caption(f"{L('app.run')}: {run.run_id} · {scored_at}")
