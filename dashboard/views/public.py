"""公示结果 Published results: what has been published, readable without signing in."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data
from dashboard.i18n import L
from scoring.engine import Run
from scoring.errors import CampaignError
from scoring.notice import notice_html
from scoring.results import annual_results, period_results
from scoring.workflow import statuses

cid, rules, _ = common.context(need_run=False)
st.title(L("pb.title"))
st.caption(rules.campaign.name)
with data.db() as con:
    try:
        notice = notice_html(con, cid, st.session_state.get("lang", "zh"))
    except CampaignError:
        notice = None
if notice is not None:
    st.download_button(
        L("pb.notice"), notice.encode("utf-8"), f"notice-{cid}.html", "text/html", key="pb_notice"
    )
with data.db() as con:
    status = statuses(con, cid)
    published = status.filter(pl.col("status").is_in(["published", "final"]))
    if published.height == 0:
        st.info(L("pb.none"))
        st.stop()
    names = common.category_names(rules)
    for row in published.iter_rows(named=True):
        run = Run(row["run_id"], cid, {})
        until = "" if row["objection_ends"] is None else row["objection_ends"].strftime("%Y-%m-%d")
        st.subheader(
            L("pb.period", period=row["period"], status=L(f"wf.status.{row['status']}"), until=until)
        )
        frame = period_results(con, run).filter(pl.col("period") == row["period"])
        st.dataframe(
            frame.select(
                pl.col("category").replace_strict(names).alias(L("category")),
                pl.col("rank").alias(L("rank")),
                pl.col("unit_name").alias(L("unit")),
                pl.col("town").alias(L("town")),
                pl.col("score").cast(pl.Float64).alias(L("score")),
                pl.col("flag")
                .map_elements(lambda f: "🚩" if f else "", return_dtype=pl.String)
                .alias(L("flags")),
            ),
            hide_index=True,
            width="stretch",
        )
    if published.height == status.height and bool((status["status"] == "final").all()):
        st.subheader(L("pb.annual"))
        run = Run(published["run_id"].to_list()[-1], cid, {})
        frame = annual_results(con, run)
        st.dataframe(
            frame.select(
                pl.col("category").replace_strict(names).alias(L("category")),
                pl.col("annual_rank").alias(L("rank")),
                pl.col("unit_name").alias(L("unit")),
                pl.col("annual_score").cast(pl.Float64).alias(L("score")),
                pl.col("stars").map_elements(common.stars_text, return_dtype=pl.String).alias(L("stars")),
            ),
            hide_index=True,
            width="stretch",
        )
