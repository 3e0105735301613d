"""稳健性 Robustness: how safe ranks, stars, flags and awards are when the weights move."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, common, data, session
from dashboard.i18n import L
from scoring.app import reads
from scoring.app.results import Settings, year_complete

MIN_DRAWS = 100

session.require_page("robustness")
cid, rules, run = common.context()
assert run is not None
st.title(L("rb.title"))
st.caption(L("rb.help"))
c1, c2, c3, c4 = st.columns(4)
most = min(5000, data.read(reads.max_draws, cid))
if most < MIN_DRAWS:  # a province or more: the analysis needs a bigger machine than this
    st.info(L("rb.too_large", most=most, min=MIN_DRAWS))
    st.stop()
# the first view computes about a second's worth of draws (all 1,000 at district size); more
# on request
opening = min(data.read(reads.first_draws, cid), most)
draws = c1.number_input(L("rb.draws"), MIN_DRAWS, most, opening, step=MIN_DRAWS, key="rb_draws")
spread = c2.slider(L("rb.spread"), 0.0, 0.5, 0.10, step=0.01, key="rb_spread")
seed = c3.number_input(L("rb.seed"), 0, 10**6, 1, key="rb_seed")
tiers = c4.number_input(L("rb.tiers"), 0, 10, 0, key="rb_tiers")
category = common.pick_category(rules, "rb_category")
if not year_complete(run.summary):  # no annual rank, star or award yet: nothing to draw again
    st.info(L("problem.robustness_year_incomplete"))
else:
    with st.spinner(L("rb.running")):
        result: pl.DataFrame = data.cached(
            reads.robustness, run.run_id, Settings(int(draws), float(spread), int(seed), int(tiers) or None)
        )
    shown = result.filter(pl.col("category") == category)
    st.plotly_chart(
        charts.rank_intervals(shown, (L("rank"), L("rank")), L("rb.intervals")),
        width="stretch",
        key="rb_intervals",
    )
    st.plotly_chart(
        charts.star_stability(shown, (L("rb.keep_stars"), L("rb.keep_flags")), L("rb.stability")),
        width="stretch",
        key="rb_stability",
    )
    common.table(
        shown.with_columns(pl.col("category").replace_strict(common.category_names(rules))), key="rb_table"
    )

if rules.surveys:  # a close race decided by a handful of residents' answers
    st.subheader(L("rb.survey"))
    st.caption(L("rb.survey_help"))
    if st.toggle(L("rb.survey_run"), key="rb_survey"):
        with st.spinner(L("rb.running")):
            drawn: pl.DataFrame = data.cached(reads.survey_bootstrap, run.run_id, 200, int(seed))
        if drawn.height:
            names = data.read(reads.units, cid).select(
                "unit_id", pl.col("name").alias("unit_name"), "category"
            )
            shown = drawn.join(names, on="unit_id").filter(pl.col("category") == category)
            moved = shown.filter(pl.col("rank_p05") != pl.col("rank_p95"))
            st.markdown(L("rb.survey_moved", n=moved.height, total=shown.height))
            common.table(
                shown.drop("category").select(
                    "period", "unit_id", "unit_name", pl.exclude("period", "unit_id", "unit_name")
                ),
                key="rb_survey_table",
            )
        else:
            st.info(L("rb.survey_none"))
