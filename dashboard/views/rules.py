"""规则 Rules: the campaign's rules in plain words."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import common, data, session
from dashboard.i18n import L
from scoring.app import reads
from scoring.app.rules import Indicator, Tier
from scoring.core.money import plain

user = session.require_page("rules")
cid, rules, _ = common.context(need_run=False)
st.title(L("ru.title"))
c = rules.campaign
st.markdown(  # the campaign's name and periods as written: as text
    common.md(
        L(
            "ru.basics",
            name=c.name,
            periods=L("sep.list").join(c.periods),
            n=len(c.periods),
            how=L(f"ru.{rules.annual_score}"),
            missing=L(f"ru.missing_{rules.missing}"),
        )
    )
)

st.subheader(L("ru.categories"))
st.dataframe(
    pl.DataFrame(
        {L("ru.id"): [x.id for x in rules.categories], L("category"): [x.name for x in rules.categories]}
    ),
    hide_index=True,
)


def how(ind: Indicator) -> str:
    """How the indicator scores, in words; and that a unit may enter 不涉及, where it may."""
    return _how(ind) + (L("ru.may_not_apply") if ind.may_not_apply else "")


def _how(ind: Indicator) -> str:
    if ind.counted:
        return L(f"ru.kind.{ind.kind}_each", each=plain(ind.each), points=plain(ind.points))
    if ind.kind in ("score", "bonus", "penalty"):
        return L(f"ru.kind.{ind.kind}", points=plain(ind.points))
    if ind.kind == "veto":
        return L("ru.kind.veto")
    if ind.kind == "relative":
        key = (
            "ru.kind.relative_"
            + ("ratio" if ind.ratio else "minmax")
            + ("_low" if ind.lower_is_better else "")
        )
        return L(key, points=plain(ind.points))
    if ind.kind == "rank_points":
        places = L("sep.list").join(
            L("ru.place", n=n, p=plain(p)) for n, p in enumerate(ind.points_by_rank or [], start=1)
        )
        better = L("ru.better_lower" if ind.lower_is_better else "ru.better_higher")
        return L("ru.kind.rank_points", better=better, places=places, rest=plain(ind.rest or 0))
    if ind.kind == "linear":
        assert ind.floor is not None and ind.target is not None
        key = "ru.kind.linear" if ind.target > ind.floor else "ru.kind.linear_low"
        return L(key, floor=plain(ind.floor), target=plain(ind.target), points=plain(ind.points))

    def tier_text(t: Tier) -> str:
        if t.min is not None and t.max is not None:
            return L("ru.tier_range", lo=plain(t.min), hi=plain(t.max), p=plain(t.points))
        if t.min is not None:
            return L("ru.tier_min", v=plain(t.min), p=plain(t.points))
        return L("ru.tier_max", v=plain(t.max), p=plain(t.points))

    tiers = L("sep.clause").join(tier_text(t) for t in ind.tiers or [])
    return L("ru.kind.tiers", tiers=tiers)


names = common.category_names(rules)
st.subheader(L("ru.indicators"))
st.dataframe(
    pl.DataFrame(
        {
            L("ru.id"): [i.id for i in rules.indicators],
            L("ru.indicators"): [i.name + (f"（{i.unit}）" if i.unit else "") for i in rules.indicators],
            L("col.area"): [i.area or "" for i in rules.indicators],
            L("ru.how"): [how(i) for i in rules.indicators],
            L("ru.applies"): [
                L("sep.list").join(names[x] for x in i.categories) if i.categories else L("ru.every")
                for i in rules.indicators
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
if any(i.may_not_apply for i in rules.indicators):
    st.subheader(L("ru.na_title"))
    st.write(L("ru.na_text"))
if rules.ranking.tie_break:
    st.caption(L("ru.tie_break", inds=" → ".join(rules.indicator(t).name for t in rules.ranking.tie_break)))

if rules.surveys:  # indicators whose values residents' answers supply
    st.subheader(L("ru.surveys"))
    for survey in rules.surveys:
        measure = (
            L("ru.survey_share", sat=plain(survey.satisfied_from))
            if survey.measure == "share"
            else L("ru.survey_mean")
        )
        st.markdown(
            "- "
            + common.md(
                L(
                    "ru.survey",
                    name=rules.indicator(survey.indicator).name,
                    low=plain(survey.low),
                    high=plain(survey.high),
                    measure=measure,
                    min=survey.min_responses,
                )
            )
        )

st.subheader(L("ru.stars"))
for level in rules.stars_by_level():
    quota = "" if level.max_share is None else L("ru.quota", share=f"{level.max_share:.0%}")
    st.markdown(
        "- "
        + common.md(
            L(
                "ru.level",
                stars=level.stars,
                min="—" if level.min_score is None else plain(level.min_score),
                quota=quota,
                amount=common.money(rules.awards.stars.get(level.stars, 0)),
            )
        )
    )

st.subheader(L("ru.flags"))
if rules.flags is None:
    st.write(L("ru.no_flags"))
else:
    st.write(L("ru.flags_text", n=rules.flags.top_n, min=plain(rules.flags.min_score)))

st.subheader(L("ru.awards"))
aw = rules.awards
st.write(
    L(
        "ru.awards_text",
        flag=common.money(aw.flag),
        cap=common.money(aw.community_cap),
        share=f"{aw.secretary_share:.0%}",
        scap=common.money(aw.secretary_cap),
        budget=common.money(aw.budget),
        rounding=common.money(aw.rounding),
    )
)
if aw.progress is not None:
    st.write(
        L(
            f"ru.progress_{aw.progress.by}",
            n=aw.progress.top_n,
            amount=common.money(aw.progress.amount),
            with_baseline=data.read(reads.baseline_count, cid),
        )
    )
