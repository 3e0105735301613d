"""活动管理 Campaigns: import a campaign folder (zip or files), switch campaigns."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L, lang
from scoring.app import reads
from scoring.app.accounts import require
from scoring.app.baseline import take_baseline
from scoring.app.campaigns import read_campaign, unpack
from scoring.app.imports import import_campaign, plan_text, preview_import, remove_campaign
from scoring.app.results import score, year_complete
from scoring.core.errors import CampaignError
from scoring.core.localtime import DEFAULT_ZONE, label, local_columns

user = session.require_page("campaigns")
assert user is not None
st.title(L("ca.title"))


st.subheader(L("ca.import_title"))
files = st.file_uploader(
    L("ca.import"), accept_multiple_files=True, key="ca_files", type=["zip", "yaml", "csv", "xlsx", "parquet"]
)
# an import over values entered since the last one is shown first and needs this box ticked
confirm = st.session_state.get("ca_needs_confirm") and st.checkbox(L("ca.confirm"), key="ca_confirm")
if files and st.button(L("ca.do_import"), key="ca_import", type="primary"):
    bar = st.progress(0, text=L("ca.step_read"))
    scoring = common.stage_progress(bar, 50)

    try:
        with tempfile.TemporaryDirectory() as tmp:  # a Parquet file is read while it is stored
            unpack(files, Path(tmp))
            campaign_data = read_campaign(Path(tmp))
            bar.progress(25, text=L("ca.step_store"))
            require(user, "import_campaign")
            with data.db() as con:
                plan = preview_import(con, campaign_data, who=user.username)
                if not plan.new_campaign:
                    st.info(plan_text(plan, lang()))
                if plan.needs_confirmation and not confirm:
                    assert plan.overwritten is not None
                    bar.empty()
                    st.warning(L("ca.needs_confirm", n=plan.overwritten.height))
                    common.table(plan.overwritten.head(1000), key="ca_overwritten")
                    st.session_state["ca_needs_confirm"] = True
                    st.stop()
                import_campaign(
                    con, campaign_data, source="dashboard upload", who=user.username, confirm=bool(confirm)
                )
                st.session_state.pop("ca_needs_confirm", None)
                cid = campaign_data.rules.id
                bar.progress(50, text=L("ca.step_score"))
                run = score(con, cid, on_stage=scoring)  # every complete period is scored
                st.success(L("ca.imported", id=cid))
                if not year_complete(run.summary):
                    st.info(common.year_in_progress(run.summary))
            for problem in campaign_data.warnings:
                st.warning(problem.render(lang()))
        bar.progress(100)
        st.session_state["ca_switch_to"] = cid
    except CampaignError as exc:
        bar.empty()
        common.show_problems(exc)

# the list after the import, so that it already shows what was just imported
st.subheader(L("ca.list"))
zone = label(DEFAULT_ZONE, lang())
common.table(
    local_columns(data.campaigns(), DEFAULT_ZONE).rename(
        {"imported_at": L("ca.imported_at", zone=zone), "scored_at": L("ca.scored_at", zone=zone)}
    )
)

target = st.session_state.get("ca_switch_to")
if (
    target
    and target != st.session_state.get("campaign")
    and st.button(L("ca.switch") + f": {target}", key="ca_switch")
):
    st.session_state["campaign_next"] = target  # applied by app.py before the selector exists
    st.rerun()

camps = data.campaigns()


def take(con: duckdb.DuckDBPyConnection, cid: str, source: str) -> str:
    """Take last year's results, score again (the progress award may move), and say what
    was matched and who matched nothing, in a sentence."""
    taken = take_baseline(con, cid, source, user)
    score(con, cid)
    said = L("ca.baseline_taken", by_id=taken.by_id, by_name=taken.by_name)
    if taken.unmatched_new:
        listed = L("sep.list").join(taken.unmatched_new[:30]) + (
            " …" if len(taken.unmatched_new) > 30 else ""
        )
        said += L("ca.baseline_unmatched", n=len(taken.unmatched_new), units=listed)
    return said


# last year's results (进步奖): another stored campaign's year as this campaign's baseline
current = st.session_state.get("campaign")
others = [c for c in camps["campaign_id"].to_list() if c != current]
if user.may("import_campaign") and current and others:
    st.subheader(L("ca.baseline_title"))
    common.show_outcome("cb")
    st.caption(L("ca.baseline_help", id=current, n=data.read(reads.baseline_count, current)))
    label_of = dict(zip(camps["campaign_id"].to_list(), camps["name"].to_list(), strict=True))
    with st.form("ca_baseline"):
        source = st.selectbox(
            L("ca.baseline_from"),
            others,
            key="ca_baseline_from",
            format_func=lambda c: f"{label_of[c]}（{c}）",
        )
        if st.form_submit_button(L("ca.baseline_take")):
            chosen = str(source)
            common.attempt("cb", lambda con: take(con, str(current), chosen), "import_campaign")


# removing a campaign: an admin, with a reason, only while nothing of it is published
if user.may("remove_campaign") and camps.height:
    st.subheader(L("ca.remove_title"))
    common.show_outcome("ca")
    names = dict(zip(camps["campaign_id"].to_list(), camps["name"].to_list(), strict=True))
    with st.form("ca_remove"):
        target = st.selectbox(
            L("app.campaign"), list(names), key="ca_remove_id", format_func=lambda c: f"{names[c]}（{c}）"
        )
        why = st.text_input(L("ca.remove_reason"), key="ca_remove_reason", max_chars=500)
        sure = st.checkbox(L("ca.remove_sure"), key="ca_remove_sure")
        if st.form_submit_button(L("ca.remove")):
            if not sure:
                st.warning(L("ca.remove_tick"))
            else:
                gone = str(target)

                def remove(con: duckdb.DuckDBPyConnection) -> str:
                    remove_campaign(con, gone, user, why)
                    return L("ca.removed", id=gone)

                common.attempt("ca", remove, "remove_campaign")
