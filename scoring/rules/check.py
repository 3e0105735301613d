"""Checks on campaign.yaml that go beyond field types: rules that cannot be applied."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from scoring.core.errors import Problem
from scoring.core.localtime import known_zone, parse_deadline
from scoring.rules.model import (
    BASE_KINDS,
    FORMAT,
    MAX_ABS_VALUE,
    MAX_POINTS,
    MONEY_SCALE,
    SHARE_SCALE,
    VALUE_SCALE,
    Rules,
)
from scoring.rules.months import period_months

Locate = Callable[[tuple[Any, ...]], int | None]

# which optional fields each kind needs, and which it may have; any other one given is a mistake
_KIND_FIELDS = {
    "score": {"points"},
    "bonus": {"points"},
    "penalty": {"points"},
    "linear": {"points", "floor", "target"},
    "tiers": {"tiers"},
    "veto": set(),
    "relative": {"points"},
    "rank_points": {"points_by_rank"},
}
_KIND_MAY = {"relative": {"method", "better"}, "rank_points": {"better", "rest", "points"}}
_KIND_OPTIONAL = ("points", "floor", "target", "tiers", "method", "better", "points_by_rank", "rest")


def decimals(x: Decimal) -> int:
    exponent = x.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_rules(rules: Rules, file: str, locate: Locate) -> list[Problem]:
    problems: list[Problem] = []

    def add(loc: tuple[Any, ...], code: str, **params: Any) -> None:
        column = ".".join(str(k) for k in loc) if loc else None
        problems.append(Problem(file, locate(loc), column, code, params))

    def number(loc: tuple[Any, ...], x: Decimal | None, scale: int, limit: Decimal) -> None:
        if x is None:
            return
        if not x.is_finite():
            add(loc, "not_finite", value=str(x))
        elif decimals(x) > scale:
            add(loc, "too_many_decimals", value=str(x), places=scale)
        elif abs(x) >= limit:
            add(loc, "number_too_large", value=str(x), limit=str(limit))

    if rules.format != FORMAT:
        add(("format",), "bad_format", got=rules.format, expected=FORMAT)

    for name, ids, base in (
        ("period", rules.periods, ("campaign", "periods")),
        ("category", [c.id for c in rules.categories], ("categories",)),
        ("indicator", [i.id for i in rules.indicators], ("indicators",)),
        ("star level", [str(s.stars) for s in rules.stars], ("stars",)),
    ):
        for k, item in enumerate(ids):
            if item != item.strip() or not item.strip():
                add((*base, k), "id_spaces", id=item)
        for item, count in Counter(ids).items():
            if count > 1:
                add((*base, ids.index(item)), "duplicate_id", kind=name, id=item)

    info = rules.campaign
    if not known_zone(info.timezone):
        add(("campaign", "timezone"), "unknown_timezone", zone=info.timezone)
    for period, text in info.deadlines.items():
        if period not in rules.periods:
            add(
                ("campaign", "deadlines", period),
                "deadline_period",
                period=period,
                expected="、".join(rules.periods),
            )
        elif known_zone(info.timezone):
            try:
                parse_deadline(text, info.timezone)
            except ValueError:
                add(("campaign", "deadlines", period), "deadline_format", period=period, value=text)

    category_ids = {c.id for c in rules.categories}
    for k, ind in enumerate(rules.indicators):
        loc = ("indicators", k)
        for cat in ind.categories or []:
            if cat not in category_ids:
                add((*loc, "categories"), "unknown_category", category=cat)
        if ind.categories is not None and not ind.categories:
            add((*loc, "categories"), "empty_categories", indicator=ind.id)
        needed = _KIND_FIELDS[ind.kind]
        may = _KIND_MAY.get(ind.kind, set())
        for fld in _KIND_OPTIONAL:
            given = getattr(ind, fld) is not None
            if fld in needed and not given:
                add((*loc, fld), "kind_needs", indicator=ind.id, kind=ind.kind, field=fld)
            elif fld not in needed | may and given:
                add((*loc, fld), "kind_forbids", indicator=ind.id, kind=ind.kind, field=fld)
        if ind.points is not None:
            number((*loc, "points"), ind.points, VALUE_SCALE, MAX_POINTS + 1)
            if ind.points <= 0:
                add((*loc, "points"), "points_positive", indicator=ind.id)
        for fld in ("floor", "target", "min_value", "max_value"):
            number((*loc, fld), getattr(ind, fld), VALUE_SCALE, MAX_ABS_VALUE)
        if ind.kind == "linear" and ind.floor is not None and ind.floor == ind.target:
            add((*loc, "target"), "floor_equals_target", indicator=ind.id, value=str(ind.floor))
        if ind.kind == "tiers":
            if ind.tiers is not None and not ind.tiers:
                add((*loc, "tiers"), "tiers_empty", indicator=ind.id)
            for j, tier in enumerate(ind.tiers or []):
                tloc = (*loc, "tiers", j)
                if tier.min is None and tier.max is None:
                    add(tloc, "tier_bound", indicator=ind.id, n=j + 1)
                number((*tloc, "min"), tier.min, VALUE_SCALE, MAX_ABS_VALUE)
                number((*tloc, "max"), tier.max, VALUE_SCALE, MAX_ABS_VALUE)
                number((*tloc, "points"), tier.points, VALUE_SCALE, MAX_POINTS + 1)
        if ind.kind == "rank_points" and ind.points_by_rank is not None:
            _check_rank_points(ind, loc, add, number)
        if ind.each is not None:
            if ind.kind not in ("bonus", "penalty"):
                add((*loc, "each"), "each_kind", indicator=ind.id, kind=ind.kind)
            number((*loc, "each"), ind.each, VALUE_SCALE, MAX_POINTS + 1)
            if ind.each <= 0:
                add((*loc, "each"), "each_positive", indicator=ind.id, value=str(ind.each))
        if ind.may_not_apply:
            if ind.kind not in BASE_KINDS:
                add((*loc, "not_applicable"), "na_kind", indicator=ind.id, kind=ind.kind)
            elif rules.survey(ind.id) is not None:
                add((*loc, "not_applicable"), "na_surveyed", indicator=ind.id)
        if ind.min_value is not None and ind.max_value is not None and ind.min_value > ind.max_value:
            add((*loc, "max_value"), "min_above_max", indicator=ind.id)

    kinds = {i.id: i.kind for i in rules.indicators}
    for k, tb in enumerate(rules.ranking.tie_break):
        if tb not in kinds:
            add(("ranking", "tie_break", k), "unknown_tie_break", indicator=tb)
        elif kinds[tb] == "veto":
            add(("ranking", "tie_break", k), "tie_break_veto", indicator=tb)

    for k, level in enumerate(rules.stars):
        if level.min_score is not None:
            number(("stars", k, "min_score"), level.min_score, VALUE_SCALE, MAX_ABS_VALUE)
        if level.max_share is not None:
            number(("stars", k, "max_share"), level.max_share, 18, Decimal(2))
        if level.max_share is not None and not (0 < level.max_share <= 1):
            add(("stars", k, "max_share"), "share_range", value=str(level.max_share))
        if level.min_score is None and level.max_share is None:
            add(("stars", k), "star_level_empty", stars=level.stars)

    _check_surveys(rules, add, number)
    _check_sources(rules, add, number)

    if rules.flags is not None:
        number(("flags", "min_score"), rules.flags.min_score, VALUE_SCALE, MAX_ABS_VALUE)

    aw = rules.awards
    money_limit = Decimal(10) ** 13
    for stars_n, amount in aw.stars.items():
        number(("awards", "stars", stars_n), amount, MONEY_SCALE, money_limit)
        if amount < 0:
            add(("awards", "stars", stars_n), "money_negative", field=f"stars.{stars_n}")
    for fld in ("flag", "community_cap", "secretary_cap", "budget", "rounding"):
        amount = getattr(aw, fld)
        number(("awards", fld), amount, MONEY_SCALE, money_limit)
        if amount is not None and amount < 0:
            add(("awards", fld), "money_negative", field=fld)
    if aw.progress is not None:
        number(("awards", "progress", "amount"), aw.progress.amount, MONEY_SCALE, money_limit)
        if aw.progress.amount < 0:
            add(("awards", "progress", "amount"), "money_negative", field="progress.amount")
    if aw.rounding <= 0:
        add(("awards", "rounding"), "rounding_positive", value=str(aw.rounding))
    if not (0 <= aw.secretary_share <= 1):
        add(("awards", "secretary_share"), "share_range", value=str(aw.secretary_share))
    number(("awards", "secretary_share"), aw.secretary_share, SHARE_SCALE, Decimal(2))
    return problems


def _check_surveys(rules: Rules, add: Callable[..., None], number: Callable[..., None]) -> None:
    """Each survey supplies one indicator of the campaign (not a veto), once; its scale runs
    from a lower to a higher answer; ``share`` needs ``satisfied_from`` inside the scale."""
    kinds = {i.id: i.kind for i in rules.indicators}
    seen: set[str] = set()
    for k, survey in enumerate(rules.surveys):
        loc = ("surveys", k)
        if survey.indicator not in kinds:
            add((*loc, "indicator"), "survey_indicator", indicator=survey.indicator)
        elif kinds[survey.indicator] == "veto":
            add((*loc, "indicator"), "survey_veto", indicator=survey.indicator)
        if survey.indicator in seen:
            add((*loc, "indicator"), "survey_twice", indicator=survey.indicator)
        seen.add(survey.indicator)
        for j, bound in enumerate(survey.scale):
            number((*loc, "scale", j), bound, VALUE_SCALE, MAX_ABS_VALUE)
        if survey.low >= survey.high:
            add((*loc, "scale"), "survey_scale", low=str(survey.low), high=str(survey.high))
        if survey.measure == "share" and survey.satisfied_from is None:
            add((*loc, "satisfied_from"), "survey_needs_satisfied", indicator=survey.indicator)
        elif survey.measure == "mean" and survey.satisfied_from is not None:
            add((*loc, "satisfied_from"), "survey_mean_satisfied", indicator=survey.indicator)
        elif survey.satisfied_from is not None:
            number((*loc, "satisfied_from"), survey.satisfied_from, VALUE_SCALE, MAX_ABS_VALUE)
            if not (survey.low <= survey.satisfied_from <= survey.high):
                add(
                    (*loc, "satisfied_from"),
                    "survey_satisfied_range",
                    value=str(survey.satisfied_from),
                    low=str(survey.low),
                    high=str(survey.high),
                )


def _check_sources(rules: Rules, add: Callable[..., None], number: Callable[..., None]) -> None:
    """Each source has its own id; it supplies indicators of the campaign that no survey
    supplies, each once, by columns named once, with a positive factor; a long file names its
    indicator and value columns; months across columns are a wide source's every column, with
    no period column; monthly rows need every period's months (from its label or
    ``period_months``), and a month belongs to one period."""
    kinds = {i.id: i.kind for i in rules.indicators}
    surveyed = {s.indicator for s in rules.surveys}
    seen: set[str] = set()
    for k, src in enumerate(rules.sources):
        loc = ("sources", k)
        if src.id in seen:
            add((*loc, "id"), "source_twice", source=src.id)
        seen.add(src.id)
        if src.shape == "long" and not (src.indicator_column and src.value_column):
            add((*loc, "shape"), "source_long_columns", source=src.id)
        if src.months_across and (
            src.shape == "long" or src.period_column or not all(c.by_month for c in src.columns)
        ):
            # a row's month is its column's: the rows carry no period, and every column is a month's
            add((*loc, "columns"), "source_month_columns", source=src.id)
        indicators: set[str] = set()
        columns: set[str] = set()
        for j, col in enumerate(src.columns):
            cloc = (*loc, "columns", j)
            survey = src.shape == "survey"  # its columns are items: several per surveyed indicator
            if col.indicator not in kinds:
                add((*cloc, "indicator"), "source_indicator", source=src.id, indicator=col.indicator)
            elif (col.indicator in surveyed) != survey:
                code = "source_not_surveyed" if survey else "source_surveyed"
                add((*cloc, "indicator"), code, source=src.id, indicator=col.indicator)
            elif survey and col.indicator not in indicators:
                _check_answer_words(rules, src, col.indicator, loc, add)
            if col.indicator in indicators and not survey:
                add((*cloc, "indicator"), "source_indicator_twice", source=src.id, indicator=col.indicator)
            if col.column in columns:
                add((*cloc, "column"), "source_column_twice", source=src.id, column=col.column)
            indicators.add(col.indicator)
            columns.add(col.column)
            number((*cloc, "factor"), col.factor, VALUE_SCALE, MAX_ABS_VALUE)
            if col.factor <= 0:
                add((*cloc, "factor"), "source_factor", source=src.id, value=str(col.factor))
        for period in src.period_months:
            if period not in rules.periods:
                add((*loc, "period_months", period), "source_months_period", source=src.id, period=period)
        if src.monthly:
            _check_months(rules, src, loc, add)
        if src.shape == "survey" and src.monthly:
            add((*loc, "months"), "source_survey_months", source=src.id)
        both = {w.strip().lower() for w in src.excluded} & {w.strip().lower() for w in src.counted}
        if both:  # a sheet cannot be both counted and not
            add((*loc, "excluded"), "source_status_both", source=src.id, words="、".join(sorted(both)))


def _check_answer_words(
    rules: Rules, src: Any, indicator: str, loc: tuple[Any, ...], add: Callable[..., None]
) -> None:
    """A survey source's answer words score within the scale of the survey they answer."""
    survey = rules.survey(indicator)
    assert survey is not None
    for word, score in src.answers.items():
        if not survey.low <= score <= survey.high:
            add(
                (*loc, "answers", word),
                "source_answer_scale",
                source=src.id,
                word=word,
                value=str(score),
                low=str(survey.low),
                high=str(survey.high),
            )


def _check_months(rules: Rules, src: Any, loc: tuple[Any, ...], add: Callable[..., None]) -> None:
    owner: dict[str, str] = {}
    for period, months in period_months(rules.periods, src.period_months).items():
        if months is None:
            add((*loc, "period_months"), "source_months_unknown", source=src.id, period=period)
            continue
        for month in months:
            if month in owner:
                add(
                    (*loc, "period_months"),
                    "source_month_twice",
                    source=src.id,
                    month=month,
                    first=owner[month],
                    period=period,
                )
            owner.setdefault(month, period)


def _check_rank_points(
    ind: Any, loc: tuple[Any, ...], add: Callable[..., None], number: Callable[..., None]
) -> None:
    """按排名赋分: a non-empty list of places' points, each 0..the first (and 0..points when
    points is given), never increasing; rest (every later place) 0..the last place's points,
    so a better place never earns fewer points."""
    places = ind.points_by_rank
    if not places:
        add((*loc, "points_by_rank"), "rank_points_empty", indicator=ind.id)
        return
    for j, pts in enumerate(places):
        number((*loc, "points_by_rank", j), pts, VALUE_SCALE, MAX_POINTS + 1)
        if pts < 0:
            add((*loc, "points_by_rank", j), "rank_points_negative", indicator=ind.id, place=j + 1)
        elif ind.points is not None and pts > ind.points:
            add(
                (*loc, "points_by_rank", j),
                "rank_points_above",
                indicator=ind.id,
                place=j + 1,
                value=str(pts),
                points=str(ind.points),
            )
        if j and pts > places[j - 1]:
            add(
                (*loc, "points_by_rank", j),
                "rank_points_increase",
                indicator=ind.id,
                place=j + 1,
                value=str(pts),
                before=str(places[j - 1]),
            )
    if ind.rest is not None:
        number((*loc, "rest"), ind.rest, VALUE_SCALE, MAX_POINTS + 1)
        if not (0 <= ind.rest <= places[-1]):
            add(
                (*loc, "rest"), "rank_rest_range", indicator=ind.id, value=str(ind.rest), last=str(places[-1])
            )


def rule_warnings(rules: Rules, file: str = "campaign.yaml", locate: Locate | None = None) -> list[Problem]:
    """What is allowed but probably not meant: an award amount for a star level the campaign
    does not define is never paid (the spec makes it a warning, not an error)."""
    levels = {s.stars for s in rules.stars}
    return [
        Problem(
            file,
            None if locate is None else locate(("awards", "stars", stars_n)),
            f"awards.stars.{stars_n}",
            "award_unknown_level",
            {"stars": stars_n},
        )
        for stars_n in sorted(rules.awards.stars)
        if stars_n not in levels
    ]
