"""社区档案 Community profile: points against the category, trend, stars, flags, awards; one tab
drawn at a time."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, common, data, session
from dashboard.i18n import L
from scoring.app import reads
from scoring.app.results import with_category
from scoring.core.frames import each

user = session.require_page("profile")
cid, rules, run = common.context(per_period=True)
assert run is not None
st.title(L("pf.title"))

c0, c1, c2 = st.columns([2, 3, 2])
with c0:  # a search, so that a province's units are never all sent to the browser
    text = st.text_input(L("lb.search"), key="pf_search", max_chars=100)
found = data.read(reads.find_units, cid, text)
names = dict(zip(found["unit_id"].to_list(), found["name"].to_list(), strict=True))
with c1:
    unit_id = st.selectbox(L("unit"), list(names), key="pf_unit", format_func=lambda u: f"{names[u]} ({u})")
if unit_id is None:
    st.info(L("pf.none_found"))
    st.stop()
with c2:
    period = common.pick_period(rules, "pf_period", run=run)
assert unit_id is not None
common.stale_note(run, period)  # only when the period shown changed after its scoring

s = data.cached(reads.unit_summary, run.run_id, unit_id)
cat_names = common.category_names(rules)
st.subheader(f"{common.md(s['name'])}  {common.stars_text(s['stars'])}")
st.markdown(
    L(
        "pf.summary",
        category=common.md(cat_names.get(s["category"], s["category"])),
        town=common.md(s["town"] or "—"),
        score=common.plain_text(s["annual_score"]) or "—",  # before the year exists: a dash
        rank=s["annual_rank"] or "—",
        stars=common.stars_text(s["stars"]) or "0★",
        flags=s["flags"],
    )
)
if s["vetoed"]:
    st.error(L("pf.vetoed"))

# one tab drawn at a time: the unit's points, its trend, its survey, what it takes and its award
keys = ["pf.tab_points", "pf.tab_trend", *(["pf.survey"] if rules.surveys else []), "pf.tab_award"]
tabs = dict(zip(keys, common.lazy_tabs(keys, "pf_tab"), strict=True))
lang = st.session_state.get("lang", "zh")
labels = (L("pf.this_unit"), L("pf.cat_avg"), L("pf.cat_best"))

if tabs["pf.tab_points"].open:
    with tabs["pf.tab_points"]:
        own: pl.DataFrame = data.cached(reads.own_points, run.run_id, unit_id, period)
        with st.spinner(L("pf.computing")):  # a province's category statistics take seconds, once per run
            stats = data.cached(reads.category_stats, run.run_id, s["category"], period)
        points = with_category(own, stats)
        chart = charts.indicator_compare(points, labels, L("pf.points"))
        st.plotly_chart(chart, width="stretch", key="pf_points")
        if period is not None:  # how the period score was made: every item, counts and 不涉及 in words
            with st.expander(L("pf.derivation", period=period)):
                made = data.cached(reads.derivation, run.run_id, unit_id, period, lang)
                common.table(made.items)
                for line in made.lines:
                    st.text(line)
        st.plotly_chart(charts.area_compare(points, labels, L("pf.areas")), width="stretch", key="pf_areas")

if tabs["pf.tab_trend"].open:
    with tabs["pf.tab_trend"]:
        trend = data.cached(reads.unit_trend, run.run_id, unit_id)
        left, right = st.columns(2)
        with left:
            st.plotly_chart(
                charts.trend(trend, (L("score"), L("rank")), L("pf.trend")), width="stretch", key="pf_trend"
            )
        with right:
            st.dataframe(
                common.to_display(
                    trend.with_columns(
                        each(trend, "flag", lambda f: "⚑" if f else ""),
                        pl.col("score").cast(pl.Float64),
                    ),
                    {"period": "period", "score": "score", "rank": "rank"}
                    | {"flag": "flags", "vetoed": "vetoed"},
                ),
                hide_index=True,
                width="stretch",
            )
        history = data.read(reads.trends, unit_id)
        if history.height > 1:
            st.subheader(L("pf.years"))
            st.plotly_chart(
                charts.trend_across(history, (L("stars"), L("rank")), L("pf.years")),
                width="stretch",
                key="pf_years",
            )
            common.table(history, key="pf_years_table")

if rules.surveys and tabs["pf.survey"].open:  # residents' satisfaction: respondents, value and interval
    with tabs["pf.survey"]:
        surveyed = data.read_campaign(reads.survey_results, cid, unit_id).with_columns(
            pl.when(pl.col("enough"))
            .then(pl.lit(L("survey.enough")))
            .otherwise(pl.lit(L("survey.short")))
            .alias("enough"),
            pl.col("value").cast(pl.Float64),
        )
        if surveyed.height == 0:
            st.info(L("pf.survey_none"))
        else:
            common.table(surveyed.drop("unit_id", "unit_name", "town"), key="pf_survey")
            answers = data.read(reads.answer_distribution, cid, unit_id, period)
            for (ind,), rows in answers.group_by("indicator_id", maintain_order=True):  # answers by item
                st.plotly_chart(
                    charts.answer_distribution(
                        rows,
                        (L("col.count"), L("col.answer")),
                        L("pf.survey_items", name=rules.indicator(ind).name, period=period or L("year")),
                    ),
                    width="stretch",
                    key=f"pf_answers_{ind}",
                )

if tabs["pf.tab_award"].open:
    with tabs["pf.tab_award"]:
        st.subheader(L("pf.takes"))
        for sentence in data.cached(reads.takes, run.run_id, unit_id, lang)["sentences"]:
            st.markdown(f"- {common.md(sentence)}")  # indicator names inside: as text

        st.subheader(L("pf.award"))
        tenure = data.read(reads.tenure, cid, unit_id)
        mine = {unit_id, *(x for x in tenure["secretary_id"].to_list() if x)}
        for e in data.cached(reads.unit_explanations, run.run_id, unit_id, sorted(mine), lang):
            if e.payee_id in mine and (e.payee_type == "secretary" or e.payee_id == unit_id):
                who = L("pf.community") if e.payee_type == "community" else L("pf.secretary")
                st.markdown(f"**{who} · {common.md(e.payee_name)} ({common.md(e.payee_id)})**")
                st.markdown("\n".join(f"{k}. {common.md(line)}" for k, line in enumerate(e.lines, start=1)))

        st.subheader(L("pf.secretaries"))
        common.table(tenure.select("period", "secretary_id", "secretary_name"))
