"""佐证材料 A unit's proof for a period: the files kept for it, by indicator (photos drawn in
place, PDFs and Office files to download), added with a short note by whoever enters the unit's
values, taken off with a reason while the period is open. Leaders read them; finance and the
public page never see them."""

from __future__ import annotations

import polars as pl
import streamlit as st
from duckdb import DuckDBPyConnection as Connection

from dashboard import common, data, proof, session
from dashboard.i18n import L
from scoring.app.campaigns import open_campaign
from scoring.app.evidence import (
    KINDS,
    MAX_FILE,
    add_evidence_files,
    list_evidence,
    remove_evidence,
)
from scoring.app.names import unit_choices, unit_towns
from scoring.app.selfscore import side_by_side
from scoring.core.errors import MAX_REASON
from scoring.core.localtime import show

MAX_UPLOAD_MB = MAX_FILE // 1024 // 1024

user = session.require_page("evidence")
cid, rules, _ = common.context(need_run=False)
tz = rules.campaign.timezone
st.title(L("ev.title"))
st.caption(L("ev.help", kinds="、".join(k.upper() for k in KINDS), mb=MAX_UPLOAD_MB))  # file formats by name
common.show_outcome("ev")

with data.db() as con:
    every = unit_choices(con, cid)
    towns = unit_towns(con, cid)
mine = {
    u: n for u, n in every.items() if user.role != "evaluator" or not user.towns or towns.get(u) in user.towns
}
if not mine:
    st.info(L("ev.no_units"))
    st.stop()
c1, c2, c3 = st.columns(3)
period = c1.selectbox(
    L("ev.period"), rules.periods, key="ev_period", index=common.due_index([*rules.periods], entry=True)
)
unit = c2.selectbox(L("ev.unit"), list(mine), key="ev_unit", format_func=lambda u: f"{mine[u]}（{u}）")
names = {i.id: i.name for i in rules.indicators}
indicator = c3.selectbox(L("ev.indicator"), list(names), key="ev_indicator", format_func=names.__getitem__)

with data.db() as con:
    files = list_evidence(con, cid, unit, period)
kept = files.filter(pl.col("removed_at").is_null())
st.subheader(L("ev.kept", n=kept.height))
if files.height:
    common.table(
        files.select(
            pl.col("evidence_no").alias(L("ev.no")),
            pl.col("indicator_id").replace(names).alias(L("ev.indicator")),
            pl.col("name").alias(L("ev.file")),
            pl.col("kind").str.to_uppercase().alias(L("ev.kind")),
            (pl.col("size") / 1024).round(1).alias(L("ev.kb")),
            pl.col("added_by").alias(L("ev.by")),
            pl.Series([show(x, tz) for x in files["added_at"].to_list()]).alias(L("ev.at")),
            pl.col("note").fill_null("").alias(L("ev.note")),
            pl.Series(
                [L("ev.removed", reason=r) if r else "" for r in files["removed_reason"].to_list()]
            ).alias(L("ev.state")),
        ),
        key="ev_table",
    )
if kept.height:  # the unit's 台账 of the period, as `starscore evidence export` writes it
    proof.unit_archive(cid, unit, period, kept.height, "ev_zip")
with data.db() as con:
    compared = side_by_side(con, cid, period, unit)
if compared.height:  # 自评 beside 考评: the assessor's reason, the unit's reply, the proof files
    st.subheader(L("ev.self"))
    common.table(
        compared.select(
            pl.col("indicator_id").replace(names).alias(L("ev.indicator")),
            pl.col("self_score").alias(L("ev.self_score")),
            pl.col("assessed").fill_null("").alias(L("ev.assessed")),
            pl.when(pl.col("differs")).then(pl.lit("≠")).otherwise(pl.lit("")).alias(L("ev.differs")),
            pl.col("reason").fill_null("").alias(L("ev.reason_given")),
            pl.col("reply").fill_null("").alias(L("ev.reply")),
            pl.col("files").alias(L("ev.files_n")),
        ),
        key="ev_self",
    )
for r in kept.filter(pl.col("indicator_id") == indicator).iter_rows(named=True):
    with st.expander(common.md(f"#{r['evidence_no']} {r['name']}")):
        proof.show(cid, r["evidence_no"], f"ev_get_{r['evidence_no']}")

if user.may("enter_values"):
    st.subheader(L("ev.add"))
    round_ = st.session_state.setdefault("ev_round", 0)  # a new uploader after each upload: files once
    chosen = st.file_uploader(
        L("ev.files"),
        type=["jpg", "jpeg", "png", "pdf", "docx", "xlsx"],
        accept_multiple_files=True,
        key=f"ev_files_{round_}",
    )
    note = st.text_input(L("ev.note"), key="ev_note", max_chars=MAX_REASON)
    if st.button(L("ev.upload"), key="ev_upload", disabled=not chosen):

        def upload(con: Connection) -> str:
            campaign = open_campaign(con, cid)
            given = [(f.name, f.getvalue()) for f in chosen or []]
            added = add_evidence_files(campaign, unit, period, indicator, given, user, note or None)
            st.session_state["ev_round"] = round_ + 1  # all or none were kept: the next upload starts empty
            return L("ev.added", n=len(added))

        common.attempt("ev", upload)
    if kept.height:
        st.subheader(L("ev.remove"))
        no = st.selectbox(L("ev.no"), kept["evidence_no"].to_list(), key="ev_remove_no")
        reason = st.text_input(L("ev.reason"), key="ev_reason", max_chars=MAX_REASON)
        if st.button(L("ev.remove"), key="ev_remove", disabled=not reason.strip()):

            def take(con: Connection) -> str:
                remove_evidence(con, cid, int(no), reason, user)
                return L("ev.taken")

            common.attempt("ev", take)
