"""公示结果 Published results: what has been published, readable without signing in.

Each category's board is paged in the database (its first MAX_SHOWN places): the browser
never gets every unit of a province. The printable notice, with every unit, is made
when its button is clicked."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data
from dashboard.i18n import L
from scoring.app.campaigns import open_campaign
from scoring.app.office import notice_html, objections, statuses, year_status
from scoring.app.results import Run
from scoring.app.service import board_counts, leaderboard
from scoring.core.frames import each
from scoring.core.localtime import show

MAX_SHOWN = 1_000  # places listed per board; the notice has them all

cid, rules, _ = common.context(need_run=False)
st.title(L("pb.title"))
st.caption(rules.campaign.name)
with data.db() as con:
    status = statuses(con, cid)
published = status.filter(pl.col("status").is_in(["published", "final"]))
if published.height == 0:
    st.info(L("pb.none"))
    st.stop()
lang = st.session_state.get("lang", "zh")


def notice() -> bytes:
    """The printable notice, made on the click. It runs outside the page's session, so it
    takes what it needs from here."""
    with data.db(in_session=False) as con:
        return notice_html(open_campaign(con, cid), lang).encode("utf-8")


st.download_button(
    L("pb.notice"), notice, f"notice-{cid}.html", "text/html", key="pb_notice", on_click="ignore"
)
names = common.category_names(rules)


def board(run: Run, period: str | None, category: str) -> None:
    """One category's published board: its first MAX_SHOWN places."""
    with data.db() as con:
        camp = open_campaign(con, run.campaign_id)
        ranked, vetoed = board_counts(camp, run, category, period)
        rows = leaderboard(camp, run, category, period, MAX_SHOWN)
    shown: list[pl.Expr | pl.Series] = [
        pl.col("rank").cast(pl.String).fill_null("—").alias(L("rank")),  # a vetoed unit has no place
        pl.col("unit_name").alias(L("unit")),
        pl.col("town").alias(L("town")),
        pl.col("score").cast(pl.Float64).alias(L("score")),
    ]
    if period is None:
        shown.append(each(rows, "stars", common.stars_text).alias(L("stars")))
    else:
        shown.append(each(rows, "flags", common.flags_text).alias(L("flags")))
    st.markdown(f"**{common.md(names[category])}**")
    st.dataframe(rows.select(shown), hide_index=True, width="stretch")
    if ranked + vetoed > rows.height:
        st.caption(L("pb.shown", shown=rows.height, n=ranked + vetoed))


tz = rules.campaign.timezone
with data.db() as con:
    year = year_status(con, cid)
if year["status"] in ("published", "final"):  # the year's own 公示: stars, ranks for the year
    until = show(year["objection_ends"], tz, lang)
    st.subheader(common.md(L("pb.annual_status", status=L(f"state.{year['status']}"), until=until)))
    for category in names:
        board(Run.by_id(year["run_id"], cid), None, category)
for row in published.iter_rows(named=True):
    until = show(row["objection_ends"], tz, lang)
    st.subheader(
        common.md(L("pb.period", period=row["period"], status=L(f"wf.status.{row['status']}"), until=until))
    )
    for category in names:
        board(Run.by_id(row["run_id"], cid), row["period"], category)

# what the objections corrected, shown beside the corrected results (the public's own word on
# what changed while the 公示 was open)
with data.db() as con:
    upheld = objections(con, cid).filter(pl.col("outcome") == "upheld")
if upheld.height:
    st.subheader(L("pb.corrections"))
    st.dataframe(
        upheld.select(
            pl.col("period").fill_null(L("year")).alias(L("period")),
            pl.col("unit_name").alias(L("unit")),
            pl.col("correction").fill_null("").alias(L("pb.correction")),
            pl.col("response").fill_null("").alias(L("pb.response")),
        ),
        hide_index=True,
        width="stretch",
        key="pb_corrections",
    )
