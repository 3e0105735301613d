"""我的自评 A village's or community's own page (role unit), made to work on a phone: what it
still has to do (self-scores, proof the rules require, replies to assessed values that differ),
its self-score form for a period, its proof files per item (a photo taken with the phone's
camera is a jpg), its one reply per differing item, and its period's files as a zip."""

from __future__ import annotations

import polars as pl
import streamlit as st
from duckdb import DuckDBPyConnection as Connection

from dashboard import common, data, proof, session
from dashboard.i18n import L, lang
from scoring.app.campaigns import open_campaign
from scoring.app.evidence import KINDS, MAX_FILE, add_evidence_files, list_evidence
from scoring.app.selfscore import reply
from scoring.app.unit_self import open_periods, own_units, save_self_form, self_form, unit_todo
from scoring.core.errors import MAX_REASON
from scoring.core.localtime import show_deadline

user = session.require_page("self")
cid: str = st.session_state.get("campaign") or ""
if not cid:
    st.info(L("app.no_campaign"))
    st.stop()
rules = data.current(cid).rules
tz = rules.campaign.timezone
st.title(L("sf.title"))
st.caption(L("sf.help"))
common.show_outcome("sf")

with data.db() as con:
    units = own_units(con, cid, user)
    if units.height == 0:
        st.info(L("sf.no_units"))
        st.stop()
    todo = unit_todo(open_campaign(con, cid), user)

st.subheader(L("sf.todo"))
if todo.height == 0:
    st.success(L("sf.nothing"))
MAX_TODO_LINES = 20  # an administrator's scope is every unit: the first lines, the rest counted
left = todo.filter((pl.col("unscored") + pl.col("unproved") + pl.col("to_reply")) > 0)
shown_todo = todo if todo.height <= MAX_TODO_LINES else left.head(MAX_TODO_LINES)
if shown_todo.height < todo.height:
    st.caption(L("sf.more", shown=shown_todo.height, n=todo.height))
for r in shown_todo.iter_rows(named=True):  # one line per unit and period: short enough for a phone
    done = not (r["unscored"] or r["unproved"] or r["to_reply"])
    due = (
        L("sf.deadline", at=show_deadline(r["deadline"], tz, lang()))
        if r["deadline"] is not None
        else L("sf.no_deadline")
    )
    line = L(
        "sf.todo_line",
        unit=r["name"],
        period=r["period"],
        deadline=due,
        unscored=r["unscored"],
        items=r["items"],
        unproved=r["unproved"],
        to_reply=r["to_reply"],
    )
    if done:
        st.success(L("sf.todo_done", unit=r["name"], period=r["period"], deadline=due))
    elif r["overdue"]:
        st.error(line)
    else:
        st.warning(line)

names = dict(units.select("unit_id", "name").iter_rows())
towns = dict(units.select("unit_id", "town").iter_rows())
unit = st.selectbox(L("sf.unit"), list(names), key="sf_unit", format_func=lambda u: f"{names[u]}（{u}）")
with data.db() as con:
    still_open = open_periods(con, cid, towns[unit])
periods = still_open or list(rules.periods)
# open on the period that waits for a reply, else on the first still open
waiting_for = todo.filter((pl.col("unit_id") == unit) & (pl.col("to_reply") > 0))["period"].to_list()
first = periods.index(waiting_for[0]) if waiting_for and waiting_for[0] in periods else 0
period = st.selectbox(L("sf.period"), periods, key="sf_period", index=first)
editable = period in still_open
if not editable:
    st.info(L("sf.closed", period=period))

with data.db() as con:
    form = self_form(open_campaign(con, cid), unit, period)

st.subheader(L("sf.form"))
with st.form("sf_form"):
    typed = {}
    for r in form.iter_rows(named=True):
        label = common.md(r["name"] + (f"（{r['unit']}）" if r["unit"] else ""))
        typed[r["indicator_id"]] = st.text_input(
            label,
            value=r["self_score"] or "",
            key=f"sf_v_{unit}_{period}_{r['indicator_id']}",
            max_chars=40,
            help=L("sf.range", range=r["range"]) if r["range"] else None,
            disabled=not editable,
        )
        said = []
        if r["assessed"] is not None:
            said.append(L("sf.assessed", value=r["assessed"]))
        said.append(L("sf.files", n=r["files"]) + (L("sf.required") if r["required"] else ""))
        st.caption(" · ".join(said))
    sent = st.form_submit_button(L("sf.save"), disabled=not editable, type="primary")
if sent:
    before = {r["indicator_id"]: r["self_score"] or "" for r in form.iter_rows(named=True)}
    changed = {k: v for k, v in typed.items() if v.strip() != before.get(k, "")}

    def save(con: Connection) -> str:
        if not changed:
            return L("sf.unchanged")
        n = save_self_form(open_campaign(con, cid), unit, period, changed, user)
        return L("sf.saved", n=n)

    common.attempt("sf", save)

waiting = form.filter(pl.col("differs") & pl.col("reason").is_not_null())
if waiting.height:  # the assessors' reasons, and the unit's one reply to each
    st.subheader(L("sf.replies"))
for r in waiting.iter_rows(named=True):
    with st.container(border=True):
        st.text(L("sf.differs", item=r["name"], own=r["self_score"], assessed=r["assessed"]))
        st.text(L("sf.reason", reason=r["reason"]))
        if r["reply"] is not None:
            st.text(L("sf.replied", reply=r["reply"]))
        elif editable:
            text = st.text_area(
                L("sf.reply"), key=f"sf_reply_{unit}_{period}_{r['indicator_id']}", max_chars=MAX_REASON
            )
            if st.button(
                L("sf.send_reply"),
                key=f"sf_send_{unit}_{period}_{r['indicator_id']}",
                disabled=not text.strip(),
            ):

                def answer(con: Connection, ind: str = r["indicator_id"], words: str = text) -> str:
                    reply(con, cid, unit, period, ind, words, user)
                    return L("sf.reply_sent")

                common.attempt("sf", answer)

st.subheader(L("sf.proof"))
st.caption(L("sf.proof_help", kinds="、".join(k.upper() for k in KINDS), mb=MAX_FILE // 1024 // 1024))
items = dict(form.select("indicator_id", "name").iter_rows())
item = st.selectbox(L("sf.item"), list(items), key="sf_item", format_func=items.__getitem__)
with data.db() as con:
    kept = list_evidence(con, cid, unit, period).filter(pl.col("removed_at").is_null())
for r in kept.filter(pl.col("indicator_id") == item).iter_rows(named=True):
    with st.expander(common.md(f"#{r['evidence_no']} {r['name']}")):
        if r["note"]:
            st.text(r["note"])
        proof.show(cid, r["evidence_no"], f"sf_get_{r['evidence_no']}")
if editable:
    round_ = st.session_state.setdefault("sf_round", 0)  # a new uploader after each upload
    chosen = st.file_uploader(
        L("ev.files"), type=["jpg", "jpeg", "png", "pdf", "docx", "xlsx"], accept_multiple_files=True,
        key=f"sf_files_{round_}",
    )  # fmt: skip
    note = st.text_input(L("ev.note"), key="sf_note", max_chars=MAX_REASON)
    if st.button(L("ev.upload"), key="sf_upload", disabled=not chosen):

        def upload(con: Connection) -> str:
            given = [(f.name, f.getvalue()) for f in chosen or []]
            added = add_evidence_files(open_campaign(con, cid), unit, period, item, given, user, note or None)
            st.session_state["sf_round"] = round_ + 1
            return L("ev.added", n=len(added))

        common.attempt("sf", upload)
if kept.height:
    proof.unit_archive(cid, unit, period, kept.height, "sf_zip")
