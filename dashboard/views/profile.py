"""社区档案 Community profile: points against the category, trend, stars, flags, awards."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, common, data
from dashboard.i18n import L
from scoring.money import ratio_decimal

user = common.require_page("profile")
cid, rules, run = common.context()
assert run is not None
st.title(L("pf.title"))

units = data.read("units", cid)
names = dict(zip(units["unit_id"].to_list(), units["name"].to_list(), strict=True))
c1, c2 = st.columns([3, 2])
with c1:
    unit_id = st.selectbox(L("unit"), list(names), key="pf_unit", format_func=lambda u: f"{names[u]} ({u})")
with c2:
    period = common.pick_period(rules, "pf_period")
assert unit_id is not None

s = data.cached("unit_summary", run.run_id, unit_id)
cat_names = common.category_names(rules)
st.subheader(f"{s['name']}  {common.stars_text(s['stars'])}")
st.markdown(
    L(
        "pf.summary",
        category=cat_names.get(s["category"], s["category"]),
        town=s["town"] or "—",
        score=common.plain_text(s["annual_score"]),
        rank=s["annual_rank"] or "—",
        stars=common.stars_text(s["stars"]) or "0★",
        flags=s["flags"],
    )
)
if s["vetoed"]:
    st.error(L("pf.vetoed"))

points: pl.DataFrame = data.cached("unit_points", run.run_id, unit_id, period)
labels = (L("pf.this_unit"), L("pf.cat_avg"), L("pf.cat_best"))
st.plotly_chart(charts.indicator_compare(points, labels, L("pf.points")), width="stretch", key="pf_points")
left, right = st.columns(2)
with left:
    st.plotly_chart(charts.area_compare(points, labels[:2], L("pf.areas")), width="stretch", key="pf_areas")
with right:
    trend = data.cached("unit_trend", run.run_id, unit_id)
    st.plotly_chart(
        charts.trend(trend, (L("score"), L("rank")), L("pf.trend")), width="stretch", key="pf_trend"
    )
    st.dataframe(
        common.to_display(
            trend.with_columns(
                pl.col("flag").map_elements(lambda f: "🚩" if f else "", return_dtype=pl.String),
                pl.col("score").cast(pl.Float64),
            ),
            {"period": "period", "score": "score", "rank": "rank", "flag": "flags", "vetoed": "vetoed"},
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader(L("pf.award"))
d = data.cached("award_derivation", run.run_id, unit_id)
if d["vetoed"]:
    st.write(L("pf.vetoed"))
else:
    cap = d["community_cap"]
    lines = [
        L("pf.step_stars", stars=d["stars"], amount=common.money(d["star_amount"])),
        L(
            "pf.step_flags",
            flags=d["flags"],
            each=common.money(d["flag_amount"]),
            amount=common.money(d["flag_total"]),
        ),
        L("pf.step_gross", amount=common.money(d["gross"])),
        L("pf.step_cap", cap=common.money(cap), amount=common.money(d["capped"])),
        L(
            "pf.step_scale",
            factor=f"{d['scale_factor'].numerator}/{d['scale_factor'].denominator}",
            rounding=common.money(d["rounding"]),
            amount=common.money(d["final"]),
        ),
    ]
    for share in d["shares"]:
        lines.append(
            L(
                "pf.step_share",
                name=share["secretary_name"],
                capped=common.money(d["capped"]),
                share=d["secretary_share"],
                held=share["held"],
                n=d["periods"],
                amount=common.money(ratio_decimal(share["share"].numerator, share["share"].denominator, 2)),
                gross=common.money(share["secretary_gross"]),
                sec_capped=common.money(share["secretary_capped"]),
                final=common.money(share["secretary_final"]),
            )
        )
    st.markdown("\n".join(f"{k}. {line}" for k, line in enumerate(lines, start=1)))

st.subheader(L("pf.secretaries"))
tenure = data.read("tenure", cid, unit_id)
common.table(tenure.select("period", "secretary_id", "secretary_name"))
