"""数据录入 Data entry: an editable grid, Excel template and upload, completeness."""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from dashboard import common, data, entry_state, proof, session
from dashboard.i18n import L
from scoring.app import entry, reads
from scoring.app.campaigns import open_campaign
from scoring.app.entry_checks import department_indicators
from scoring.app.evidence import list_evidence
from scoring.app.office import OutlierWarning
from scoring.app.results import wide_template
from scoring.app.rules import KINDS
from scoring.app.unit_self import self_cells
from scoring.core.errors import MAX_REASON, CampaignError

MAX_UPLOAD_MB = 20
MAX_TEMPLATE_UNITS = 5_000  # an Excel template of more units: narrow by category or town
MAX_LISTED = 1_000  # rows of the completeness and missing lists shown

user = session.require_page("entry")
assert user is not None
cid, rules, run = common.context(need_run=False)
st.title(L("en.title"))

c1, c2, c3, c4 = st.columns(4)
with c1:
    period = common.pick_period(rules, "en_period", with_year=False, entry=True)
with c2:
    category = common.pick_category(rules, "en_category")
towns = data.read(reads.towns, cid, category)
mine = [t for t in towns if t in user.towns] if user.towns else None  # an evaluator's own towns only
with c3:
    all_towns = L("all")
    town = st.selectbox(
        L("town"),
        mine if mine is not None else [None, *towns],
        key=common.localized("en_town"),
        format_func=lambda t: all_towns if t is None else t,
        placeholder=all_towns,
    )
with c4:
    st.text_input(L("en.evaluator"), value=user.username, key="en_evaluator", disabled=True)
if mine == []:  # none of the evaluator's towns has a unit of this category
    st.info(L("en.no_own_towns"))
    st.stop()
assert period is not None
locked = entry_state.period_state(cid, period, rules.campaign.timezone, user)

specs = entry.indicator_specs(rules, category).with_columns(  # kinds in words, not codes
    pl.col("kind").replace({k: L(f"kind.{k}") for k in KINDS})
)
with st.expander(L("en.indicators")):
    common.table(specs)
st.caption(L("en.help"))

in_scope = data.read(reads.unit_count, cid, category, town)
if in_scope > entry.MAX_GRID_UNITS:
    st.warning(L("en.too_many", n=in_scope, shown=entry.MAX_GRID_UNITS))
# the grid as it was shown when this scope's editing began: the stale-edit check compares a
# save with these values, so another user's change made meanwhile is refused, never overwritten;
# it is reloaded on a change of scope, after a save, or by the refresh button
scope = (cid, period, category, town)
base = st.session_state.get("en_base")
if st.button(L("en.refresh"), key="en_refresh") or base is None or base[0] != scope:
    with data.db() as con:
        base = (scope, entry.values_grid(open_campaign(con, cid), period, category, town))
    st.session_state["en_base"] = base
    st.session_state.pop("en_grid", None)
grid = base[1].with_columns(pl.col(pl.String).fill_null(""))  # an empty cell empty, not "None"
config = {
    "unit_id": st.column_config.TextColumn(L("unit_id"), disabled=True),
    "name": st.column_config.TextColumn(L("unit"), disabled=True),
    "town": st.column_config.TextColumn(L("town"), disabled=True),
}
own = department_indicators(rules, user)  # a department's evaluator: its sources' indicators
for spec in specs.iter_rows(named=True):
    unit = f" ({spec['unit']})" if spec["unit"] else ""
    if rules.indicator(spec["indicator_id"]).counted:  # a count: the header says so, with its rate
        unit = f"（{spec['range']}）"
    config[spec["indicator_id"]] = st.column_config.TextColumn(
        f"{spec['name']}{unit}",
        help=f"{spec['indicator_id']} · {spec['kind']} · {spec['range']}",
        disabled=own is not None and spec["indicator_id"] not in own,
    )
# the grid in a form: editing a cell does not rerun the page (1–2.5 s a cell before); the edits
# go to the server together, on Save
with st.form("en_form", border=False):
    edited = st.data_editor(
        grid,
        key="en_grid",
        hide_index=True,
        width="stretch",
        column_config=config,
        num_rows="fixed",
        disabled=locked,  # a locked period does not look editable until Save
    )
    reason = st.text_input(L("en.reason"), key="en_reason", max_chars=MAX_REASON)
    save = st.form_submit_button(L("en.save"), key="en_save", type="primary", disabled=locked)


with st.expander(L("en.self_title")):  # 自评 beside 考评: each cell's self-score and proof files
    st.caption(L("en.self_help"))
    with data.db() as con:
        cells = self_cells(open_campaign(con, cid), period, grid["unit_id"].to_list())
    if cells.height == 0:
        st.caption(L("en.self_none"))
    else:
        text = cells.select(
            "unit_id",
            "indicator_id",
            pl.concat_str(
                pl.when(pl.col("self_score").is_not_null()).then(
                    pl.lit(L("en.self_cell")) + pl.col("self_score")
                ),
                pl.when(pl.col("files") > 0).then(
                    pl.lit(L("en.proof_cell")) + pl.col("files").cast(pl.String)
                ),
                separator=" · ",
                ignore_nulls=True,
            ).alias("cell"),
        )
        wide = text.pivot(on="indicator_id", index="unit_id", values="cell")
        shown = grid.select("unit_id", "name", "town").join(
            wide, on="unit_id", how="inner", maintain_order="left"
        )
        columns = [c for c in grid.columns[3:] if c in shown.columns]
        st.dataframe(
            shown.select("unit_id", "name", "town", *columns).fill_null(""),
            hide_index=True,
            width="stretch",
            column_config={k: v for k, v in config.items() if k in shown.columns},
            key="en_self_grid",
        )
        proved = cells.filter(pl.col("files") > 0)
        if proved.height:
            unit_names = dict(grid.select("unit_id", "name").iter_rows())
            pairs = [(u, i) for u, i in proved.select("unit_id", "indicator_id").iter_rows()]
            indicator_names = {i.id: i.name for i in rules.indicators}
            u, i = st.selectbox(
                L("en.open_proof"),
                pairs,
                format_func=lambda p: f"{unit_names.get(p[0], p[0])} · {indicator_names.get(p[1], p[1])}",
                key="en_proof_cell",
            )
            with data.db() as con:
                files = list_evidence(con, cid, u, period).filter(
                    (pl.col("indicator_id") == i) & pl.col("removed_at").is_null()
                )
            for r in files.iter_rows(named=True):
                proof.show(cid, r["evidence_no"], f"en_proof_{r['evidence_no']}")


def saved(result: entry.SaveResult) -> str:
    return L("en.saved", written=result.written, cleared=result.cleared, changed=result.changed)


def do_save(changes: pl.DataFrame, note: str | None, file: str = "grid") -> None:
    """Save through the same checks whether the edits come from the grid or an upload: an
    outlier asks for a confirming comment either way."""
    bar = st.progress(0, text=L("en.saving"))
    scoring = common.stage_progress(bar, 20)

    try:
        with data.db() as con:
            result = entry.save_values(
                open_campaign(con, cid),
                changes,
                user,
                file=file,
                reason=reason or None,
                confirm_note=note,
                on_stage=scoring,
            )
    except OutlierWarning as warning:
        bar.empty()
        st.session_state["en_pending"] = (changes, file)
        st.session_state["en_flagged"] = warning.flagged
        if file != "grid":  # the upload is below the confirmation box: show it now
            st.rerun()
    except CampaignError as exc:
        bar.empty()
        st.session_state.pop("en_flagged", None)
        common.show_problems(exc)
    else:
        bar.empty()
        st.session_state.pop("en_flagged", None)
        st.session_state.pop("en_pending", None)
        said = [("success", saved(result))]
        for period_saved, here, everywhere in result.missing:  # what the saved periods still lack
            if result.scored(period_saved):
                said.append(("success", L("en.period_scored", period=period_saved)))
            elif here:
                said.append(
                    ("warning", L("en.saved_unscored", period=period_saved, here=here, all=everywhere))
                )
            else:
                said.append(("info", L("en.saved_others_missing", period=period_saved, all=everywhere)))
        # the grid is drawn again from the saved values (the next edit starts from them, not
        # from the grid as it was before this save) and the messages are said on that page
        st.session_state["en_said"] = said
        st.session_state.pop("en_base", None)
        st.session_state.pop("en_grid", None)
        st.rerun()


for kind, text in st.session_state.pop("en_said", []):  # what the last save did
    getattr(st, kind)(text)
if save:
    changes = entry.grid_changes(grid, pl.DataFrame(edited), period)
    if changes.height == 0:
        st.info(L("en.no_changes"))
    else:
        do_save(changes, None)
if "en_flagged" in st.session_state:
    st.warning(L("en.outliers"))
    flagged = st.session_state["en_flagged"].with_columns(  # against whom, in words
        pl.col("basis").replace({b: L(f"en.basis.{b}") for b in ("category", "history")})
    )
    common.table(flagged, key="en_flagged_table")
    note = st.text_input(L("en.confirm_note"), key="en_confirm_note", max_chars=MAX_REASON)
    if st.button(L("en.confirm_save"), key="en_confirm", disabled=not note.strip()):
        pending, source = st.session_state["en_pending"]
        do_save(pending, note.strip(), source)


def template_name(*parts: str) -> str:
    """A file name per scope that says what it holds (campaign, period, category, town), with
    the characters file systems refuse replaced."""
    return re.sub(r'[\\/:*?"<>|“”]', "_", "-".join([*parts, L("en.template_file")])) + ".xlsx"


st.divider()
t1, t2 = st.columns(2)
with t1:
    if in_scope > MAX_TEMPLATE_UNITS:
        st.caption(L("en.template_scope", n=in_scope, max=MAX_TEMPLATE_UNITS))
    else:
        template_lang = st.session_state.get("lang", "zh")

        def template() -> bytes:
            """Made when the download is asked for, not on each rerun of the page (every edit in
            the grid reruns it; 5,000 units are 150,000 cells). It runs outside the page's
            session, so it takes what it needs from here."""
            with data.db(in_session=False) as con:
                return wide_template(open_campaign(con, cid), period, category, town, template_lang)

        st.download_button(
            L("en.template"),
            template,
            template_name(
                rules.campaign.name, period, common.category_names(rules)[category], town or L("all")
            ),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="en_template",
            on_click="ignore",
        )
with t2:
    upload = st.file_uploader(L("en.upload"), type=["xlsx", "csv"], key="en_upload")
if upload is not None:
    payload = upload.getvalue()
    if len(payload) > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(L("ca.too_big", mb=MAX_UPLOAD_MB))
    else:
        try:
            with data.db() as con:
                diff = entry.preview_upload(open_campaign(con, cid), upload.name, payload)
        except CampaignError as exc:
            common.show_problems(exc)
        else:
            st.write(L("en.preview", n=diff.height))
            common.table(diff)
            if diff.height and st.button(L("en.apply"), key="en_apply"):
                try:
                    rows = entry.read_upload(upload.name, payload)
                except CampaignError as exc:
                    common.show_problems(exc)
                else:  # only what changes: an unchanged cell is nobody's edit, in any town
                    keys = ["unit_id", "period", "indicator_id"]
                    do_save(rows.join(diff.select(keys), on=keys, how="semi"), None, upload.name)

st.divider()
st.subheader(L("en.completeness"))
done = data.read(reads.completeness, cid, period)
common.table(done.sort("missing", descending=True).head(MAX_LISTED))
gaps = (
    int(done["missing"].sum()) if town is None else int(done.filter(pl.col("town") == town)["missing"].sum())
)
missing = data.read(reads.missing_cells, cid, period, town, MAX_LISTED) if gaps else done.head(0)
if gaps:
    st.write(L("en.missing_list"))
    common.table(missing)
else:
    st.success(L("en.all_complete"))
with st.expander(L("en.by_evaluator")):
    common.table(data.read(reads.entered_by, cid))
