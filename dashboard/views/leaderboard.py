"""排行榜 Leaderboard: rank, unit, town, score, stars, flags, change; charts; downloads."""

from __future__ import annotations

import io

import polars as pl
import streamlit as st

from dashboard import charts, common, data
from dashboard.i18n import L
from scoring.service import window

user = common.require_page("leaderboard")
cid, rules, run = common.context()
assert run is not None
st.title(L("lb.title"))

c1, c2, c3 = st.columns([2, 2, 3])
with c1:
    category = common.pick_category(rules, "lb_category")
with c2:
    period = common.pick_period(rules, "lb_period")
assert category is not None
board: pl.DataFrame = data.cached("leaderboard", run.run_id, category, period)
with c3:
    views = {"all": L("lb.view_all"), "window": L("lb.view_window")}
    view = st.radio(L("lb.view"), list(views), key="lb_view", horizontal=True, format_func=views.__getitem__)
focus = None
if view == "window":
    names = dict(zip(board["unit_id"].to_list(), board["unit_name"].to_list(), strict=True))
    focus = st.selectbox(
        L("lb.focus"), list(names), key="lb_focus", format_func=lambda u: f"{names[u]} ({u})"
    )
    shown = window(board, focus)
else:
    shown = board

ranked = board.filter(pl.col("rank").is_not_null()).height
st.caption(L("lb.count", ranked=ranked, vetoed=board.height - ranked))

table = shown.with_columns(
    pl.col("stars").map_elements(common.stars_text, return_dtype=pl.String),
    pl.col("flags").map_elements(common.flags_text, return_dtype=pl.String),
    pl.col("change").map_elements(common.change_text, return_dtype=pl.String).fill_null(""),
    pl.col("score").cast(pl.Float64),
    pl.when(pl.col("vetoed")).then(pl.lit("❌ " + L("veto_mark"))).otherwise(pl.lit("")).alias("vetoed"),
)
display = common.to_display(
    table,
    {
        "rank": "rank",
        "unit_name": "unit",
        "unit_id": "unit_id",
        "town": "town",
        "score": "score",
        "stars": "stars",
        "flags": "flags",
        "change": "change",
        "vetoed": "vetoed",
    },
)
st.dataframe(
    display,
    hide_index=True,
    width="stretch",
    key="lb_table",
    column_config={L("score"): st.column_config.NumberColumn(format="%.2f")},
)

csv_bytes = ("\ufeff" + display.write_csv()).encode("utf-8")
xlsx = io.BytesIO()
display.write_excel(xlsx, worksheet="leaderboard", autofit=True)
d1, d2, _ = st.columns([1, 1, 4])
suffix = f"{cid}-{category}-{period or 'year'}"
d1.download_button(L("download_csv"), csv_bytes, f"leaderboard-{suffix}.csv", "text/csv")
d2.download_button(
    L("download_xlsx"),
    xlsx.getvalue(),
    f"leaderboard-{suffix}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

thresholds = (
    [(s.stars, float(s.min_score)) for s in rules.stars_by_level() if s.min_score is not None]
    if period is None
    else []
)
st.plotly_chart(
    charts.score_bars(shown, thresholds, L("lb.chart"), L("lb.threshold", stars="{stars}", score="{score}")),
    width="stretch",
    key="lb_bars",
)
annual = data.cached("leaderboard_all", run.run_id)
st.plotly_chart(
    charts.score_distribution(annual, common.category_names(rules), L("lb.distribution")),
    width="stretch",
    key="lb_dist",
)
