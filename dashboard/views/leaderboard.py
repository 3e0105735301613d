"""排行榜 Leaderboard: rank, unit, town, score, stars, flags, change; charts; downloads."""

from __future__ import annotations

import io

import polars as pl
import streamlit as st

from dashboard import charts, common, data, session
from dashboard.i18n import L
from scoring.app import reads
from scoring.app.campaigns import open_campaign
from scoring.app.results import safe_csv, year_complete
from scoring.app.service import leaderboard
from scoring.core.frames import each

PAGE = 100  # rows per page: the board is paged in the database
TOP, AROUND = 10, 5  # the window view: the top rows, and rows either side of the unit
MAX_EXCEL_ROWS = 20_000

user = session.require_page("leaderboard")
cid, rules, run = common.context(per_period=True)
assert run is not None
st.title(L("lb.title"))

c1, c2, c3 = st.columns([2, 2, 3])
with c1:
    category = common.pick_category(rules, "lb_category")
with c2:
    period = common.pick_period(rules, "lb_period", run=run)
assert category is not None
common.stale_note(run, period)  # only when the period shown changed after its scoring
ranked, vetoed = data.cached(reads.board_counts, run.run_id, category, period)
total = ranked + vetoed
with c3:
    views = {"all": L("lb.view_all"), "window": L("lb.view_window")}
    view = st.radio(
        L("lb.view"),
        list(views),
        key=common.localized("lb_view"),
        horizontal=True,
        format_func=views.__getitem__,
    )
if view == "window":
    # the top rows and the rows around one unit, found by a search (never a list of every unit)
    s1, s2 = st.columns([2, 3])
    text = s1.text_input(L("lb.search"), key="lb_search", max_chars=100)
    found = data.read(reads.find_units, cid, text, category)
    names = dict(zip(found["unit_id"].to_list(), found["name"].to_list(), strict=True))
    focus = s2.selectbox(
        L("lb.focus"), list(names), key="lb_focus", format_func=lambda u: f"{names[u]} ({u})"
    )
    shown = data.cached(reads.leaderboard, run.run_id, category, period, TOP, 0)
    pos = None if focus is None else data.cached(reads.board_position, run.run_id, category, period, focus)
    if pos is not None and pos >= TOP - AROUND:
        near = data.cached(
            reads.leaderboard, run.run_id, category, period, 2 * AROUND + 1, max(0, pos - AROUND)
        )
        shown = pl.concat([shown, near]).unique("unit_id", keep="first", maintain_order=True)
else:
    pages = max(1, -(-total // PAGE))
    page = 1
    if pages > 1:
        page = int(st.number_input(L("lb.page", pages=pages), 1, pages, 1, key="lb_page"))
    shown = data.cached(reads.leaderboard, run.run_id, category, period, PAGE, (page - 1) * PAGE)

st.caption(L("lb.count", ranked=ranked, vetoed=vetoed))

COLUMNS = {  # board column -> catalogue key of its header, in the order shown
    "rank": "rank",
    "unit_name": "unit",
    "unit_id": "unit_id",
    "town": "town",
    "score": "score",
    "stars": "stars",
    "flags": "flags",
    "change": "change",
    "vetoed": "vetoed",
    "progress": "lb.progress",
}


# in the reader's language; stars once the year exists (spec step 3)
year_shown = year_complete(run.summary)
progress_shown = year_shown and period is None and rules.awards.progress is not None
HEADERS = {
    column: L(key)
    for column, key in COLUMNS.items()
    if (column != "stars" or year_shown) and (column != "progress" or progress_shown)
}
PROGRESS_MARK = "▲ " + L("lb.progress")  # a glyph every CJK font has
VETO_MARK = "❌ " + L("veto_mark")


def board_table(board: pl.DataFrame, headers: dict[str, str], veto_mark: str) -> pl.DataFrame:
    """A board as shown and downloaded: stars, flags and change as marks, headers translated
    (given, so that a download made outside the page's session can use them)."""
    return board.with_columns(
        each(board, "stars", common.stars_text),
        each(board, "flags", common.flags_text),
        each(board, "change", common.change_text).fill_null(""),
        pl.col("score").cast(pl.Float64),
        pl.when(pl.col("vetoed")).then(pl.lit(veto_mark)).otherwise(pl.lit("")).alias("vetoed"),
        pl.when(pl.col("progress")).then(pl.lit(PROGRESS_MARK)).otherwise(pl.lit("")).alias("progress"),
    ).select([pl.col(c).alias(h) for c, h in headers.items()])


display = board_table(shown, HEADERS, VETO_MARK).with_columns(  # on screen, a vetoed unit's
    pl.col(HEADERS["rank"]).cast(pl.String).fill_null("—")  # place is a dash, never "None"
)
table: object = display
if view == "window" and focus is not None:  # the unit looked for: marked and highlighted
    display = display.with_columns(
        pl.when(pl.col(HEADERS["unit_id"]) == focus)
        .then(pl.concat_str([pl.lit("▶ "), pl.col(HEADERS["unit_name"])]))
        .otherwise(pl.col(HEADERS["unit_name"]))
        .alias(HEADERS["unit_name"])
    )
    table = display.to_pandas().style.apply(
        lambda row: ["background-color: #fff3bf" if row[HEADERS["unit_id"]] == focus else ""] * len(row),
        axis=1,
    )
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="lb_table",
    column_config={L("score"): st.column_config.NumberColumn(format="%.2f")},
)


def board_file(excel: bool) -> bytes:
    """The whole category board as CSV or Excel, made when its button is clicked (not on every
    view of the page). It runs outside the page's session, so it takes what it needs from here."""
    with data.db(in_session=False) as con:
        camp = open_campaign(con, run.campaign_id)
        full = board_table(leaderboard(camp, run, category, period), HEADERS, VETO_MARK)
    if not excel:
        return safe_csv(full)
    xlsx = io.BytesIO()
    full.write_excel(xlsx, worksheet="leaderboard", autofit=True)
    return xlsx.getvalue()


suffix = f"{cid}-{category}-{period or 'year'}"
d1, d2, _ = st.columns([1, 1, 4])
# a download needs no rerun of the page; a rerun would also re-register the deferred files
# under the other button, so a second click soon after the first could come to nothing
d1.download_button(
    L("download_csv"),
    lambda: board_file(False),
    f"leaderboard-{suffix}.csv",
    "text/csv",
    key="lb_csv",
    on_click="ignore",
)
if total <= MAX_EXCEL_ROWS:  # beyond it, the board is CSV's job
    d2.download_button(
        L("download_xlsx"),
        lambda: board_file(True),
        f"leaderboard-{suffix}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="lb_xlsx",
        on_click="ignore",
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
spread = data.cached(reads.score_spread, run.run_id, period)
st.plotly_chart(
    charts.score_distribution(spread, common.category_names(rules), L("lb.distribution")),
    width="stretch",
    key="lb_dist",
)
