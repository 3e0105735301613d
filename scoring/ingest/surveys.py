"""Residents' surveys (群众满意度): surveys.csv or surveys.xlsx, checked row by row, and the
indicator values they supply, computed exactly as the format says.

One row is one answer: (unit, period, indicator, respondent, item, answer), optionally a
``status`` (``excluded``, or 剔除/无效, keeps the row but does not count it). A respondent's
score is the mean of their counted answers; the unit's value is, rounded to 2 decimals half
away from zero, ``100 × (mean score − low) / (high − low)`` (``mean``) or the percentage of
respondents whose score is at least ``satisfied_from`` (``share``). Fewer than
``min_responses`` counted respondents: no value (a missing value, reported with its count).
The arithmetic is on fractions, never binary floating point; only the 95 % interval shown
beside the value (Wilson for a share, Student's t for a mean) is approximate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import polars as pl

from scoring.ingest.checks import cell_id_checks
from scoring.rules.model import COUNTED_WORDS, EXCLUDED_WORDS, Rules, Survey

# a status that keeps the row but does not count it, and one that counts it: the same words a
# survey export's status column has by default (a source may declare its own)
EXCLUDED, COUNTED = EXCLUDED_WORDS, COUNTED_WORDS
SURVEY_SOURCE = "满意度调查"  # who entered a value a survey supplied (the audit's 录入人)
Z95 = 1.959963984540054  # the normal distribution's 97.5 % point


def survey_table(rules: Rules) -> pl.DataFrame:
    """The campaign's surveys as a small table (indicator_id, low, high) for the checks."""
    return pl.DataFrame(
        {
            "indicator_id": [s.indicator for s in rules.surveys],
            "low": [str(s.low) for s in rules.surveys],
            "high": [str(s.high) for s in rules.surveys],
        },
        schema={"indicator_id": pl.String, "low": pl.String, "high": pl.String},
    ).with_columns(pl.col("low", "high").cast(pl.Decimal(38, 9)))


_STATUS_WORDS = ", ".join(f"'{w}'" for w in (*EXCLUDED, *COUNTED))

# the answers typed (``sv``: the text rows; u1, r_* and r_surveys registered by the checks)
SURVEYS_TYPED = f"""
CREATE OR REPLACE TEMP TABLE st AS
SELECT s.*, TRY_CAST(s.answer AS DECIMAL(38,9)) AS a9, u.category, i.kind, r.low, r.high,
       lower(coalesce(s.status, '')) IN ({", ".join(f"'{w}'" for w in EXCLUDED)}) AS excluded
FROM sv s LEFT JOIN u1 u USING (unit_id) LEFT JOIN r_indicators i USING (indicator_id)
LEFT JOIN r_surveys r USING (indicator_id)"""

SURVEY_CHECKS: list[tuple[str, str, str]] = [
    *cell_id_checks("st"),
    (
        "survey_not_declared",
        "indicator_id",
        "SELECT _row, indicator_id AS indicator FROM st WHERE kind IS NOT NULL AND low IS NULL",
    ),
    (
        "not_applicable",
        "indicator_id",
        """
        SELECT _row, indicator_id AS indicator, unit_id AS unit, category FROM st
        WHERE kind IS NOT NULL AND category IS NOT NULL AND NOT EXISTS (SELECT 1 FROM r_applies a
          WHERE a.indicator_id = st.indicator_id AND a.category = st.category)""",
    ),
    ("respondent_empty", "respondent_id", "SELECT _row FROM st WHERE coalesce(respondent_id, '') = ''"),
    ("item_empty", "item", "SELECT _row FROM st WHERE coalesce(item, '') = ''"),
    (
        "not_a_number",
        "answer",
        "SELECT _row, coalesce(answer, '') AS value FROM st WHERE a9 IS NULL",
    ),
    (
        "survey_answer_scale",
        "answer",
        """
        SELECT _row, answer AS value, low, high FROM st
        WHERE a9 IS NOT NULL AND low IS NOT NULL AND (a9 < low OR a9 > high)""",
    ),
    (
        "survey_status",
        "status",
        f"""
        SELECT _row, status AS value FROM st
        WHERE lower(coalesce(status, '')) NOT IN ({_STATUS_WORDS})""",
    ),
    (
        "duplicate_survey_row",
        "item",
        """
        SELECT _row, first_row FROM (
          SELECT _row, min(_row) OVER (PARTITION BY unit_id, period, indicator_id, respondent_id,
                                       item) AS first_row FROM st)
        WHERE _row > first_row""",
    ),
]

# the counted answers, typed, for the values and for storing
SURVEY_ANSWERS = """
SELECT unit_id, period, indicator_id, respondent_id, item, a9 AS answer,
       CASE WHEN excluded THEN 'excluded' ELSE 'counted' END AS status, _row AS source_row
FROM st ORDER BY _row"""


@dataclass(frozen=True)
class CellSurvey:
    """One (unit, period, indicator)'s survey: respondents counted, their exact value
    (None below min_responses) and a 95 % interval on the same 0–100 scale."""

    unit_id: str
    period: str
    indicator_id: str
    respondents: int
    satisfied: int | None
    value: Decimal | None
    low95: float | None
    high95: float | None
    excluded_rows: int


def round2(x: Fraction) -> Decimal:
    """Half away from zero to 2 decimals, exactly."""
    q = math.floor(abs(x) * 100 + Fraction(1, 2))
    return Decimal(q if x >= 0 else -q).scaleb(-2)


def _t_cdf(x: float, df: int) -> float:
    """Student's t distribution function for x ≥ 0, by the regularized incomplete beta."""
    return 1.0 - 0.5 * _betai(df / 2.0, 0.5, df / (df + x * x))


def _betai(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1 - x) / b


def _betacf(a: float, b: float, x: float) -> float:
    """The incomplete beta function's continued fraction (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


@lru_cache(maxsize=512)
def t_quantile(p: float, df: int) -> float:
    """The p-quantile (p > 0.5) of Student's t with df degrees of freedom, by bisection."""
    lo, hi = 0.0, 1.0
    while _t_cdf(hi, df) < p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _t_cdf(mid, df) < p else (lo, mid)
    return (lo + hi) / 2


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The Wilson score 95 % interval of a share, as percentages."""
    p, z2 = successes / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def mean_interval(n: int, mean: float, sd: float | None, survey: Survey) -> tuple[float | None, float | None]:
    """Student's t 95 % interval of the mean score (n respondents, their scores' mean and
    standard deviation), on the 0–100 scale, clipped to it."""
    if n < 2 or sd is None:
        return None, None
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    low, span = float(survey.low), float(survey.high - survey.low)
    return max(0.0, 100 * (mean - half - low) / span), min(100.0, 100 * (mean + half - low) / span)


def survey_value(sums: list[tuple[Decimal, int, int]], survey: Survey) -> Decimal:
    """The format's value of one cell, exactly, from its respondents grouped by how many
    answers each counted: (sum of those respondents' totals, answers each, respondents)."""
    n = sum(count for _, _, count in sums)
    mean = sum((Fraction(total) / k for total, k, _ in sums), Fraction(0)) / n  # of the scores
    low, high = Fraction(survey.low), Fraction(survey.high)
    return round2(100 * (mean - low) / (high - low))


def respondent_scores(answers: pl.DataFrame) -> pl.DataFrame:
    """Per (unit, period, indicator, respondent): the sum and the number of counted answers
    (a respondent whose every answer is excluded is not a respondent)."""
    return (
        answers.filter(pl.col("status") != "excluded")
        .group_by("unit_id", "period", "indicator_id", "respondent_id", maintain_order=True)
        .agg(pl.col("answer").sum().alias("total"), pl.len().alias("k"))
    )


CELL = ("unit_id", "period", "indicator_id")


def cell_surveys(answers: pl.DataFrame, rules: Rules) -> list[CellSurvey]:
    """Every (unit, period, indicator) with survey answers: respondents, value, interval.

    Set-based: the respondents' totals are summed per cell and per number of answers counted
    (exact decimals), so the mean of the scores is a handful of exact fractions per cell; a
    respondent is satisfied when their total ≥ satisfied_from × their answers (exact too)."""
    sat = pl.DataFrame(
        {
            "indicator_id": [s.indicator for s in rules.surveys],
            "sat_from": [
                str(s.satisfied_from if s.satisfied_from is not None else s.high + 1) for s in rules.surveys
            ],
        }
    ).with_columns(pl.col("sat_from").cast(pl.Decimal(38, 9)))
    per = (
        respondent_scores(answers)
        .join(sat, on="indicator_id", how="left")
        .with_columns(
            (pl.col("total") >= pl.col("sat_from") * pl.col("k")).alias("satisfied"),
            (pl.col("total").cast(pl.Float64) / pl.col("k")).alias("score"),
        )
    )
    cells = per.group_by(*CELL).agg(
        pl.len().alias("n"),
        pl.col("satisfied").sum().alias("satisfied"),
        pl.col("score").mean().alias("mean"),
        pl.col("score").std().alias("sd"),
    )
    by_k = per.group_by(*CELL, "k").agg(pl.col("total").sum(), pl.len().alias("count"))
    sums: dict[tuple[str, str, str], list[tuple[Decimal, int, int]]] = {}
    for unit, period, ind, k, total, count in by_k.iter_rows():
        sums.setdefault((unit, period, ind), []).append((total, int(k), int(count)))
    stats = {(r[0], r[1], r[2]): r[3:] for r in cells.iter_rows()}
    excluded = answers.filter(pl.col("status") == "excluded").group_by(*CELL).len()
    dropped = {(r[0], r[1], r[2]): int(r[3]) for r in excluded.iter_rows()}
    out = []
    for unit, period, ind in answers.select(*CELL).unique(maintain_order=True).iter_rows():
        survey = rules.survey(ind)
        assert survey is not None
        n, satisfied, mean, sd = stats.get((unit, period, ind), (0, 0, None, None))
        share = survey.measure == "share"
        value = low95 = high95 = None
        if n >= survey.min_responses:
            value = (
                round2(Fraction(100 * satisfied, n))
                if share
                else survey_value(sums[(unit, period, ind)], survey)
            )
            low95, high95 = wilson(satisfied, n) if share else mean_interval(n, mean, sd, survey)
        out.append(
            CellSurvey(
                unit,
                period,
                ind,
                n,
                satisfied if share else None,
                value,
                low95,
                high95,
                dropped.get((unit, period, ind), 0),
            )
        )
    return out


def cells_frame(cells: list[CellSurvey]) -> pl.DataFrame:
    """The cells as a frame (value as exact decimal text, '' when missing)."""
    return pl.DataFrame(
        {
            "unit_id": [c.unit_id for c in cells],
            "period": [c.period for c in cells],
            "indicator_id": [c.indicator_id for c in cells],
            "respondents": [c.respondents for c in cells],
            "satisfied": [c.satisfied for c in cells],
            "value": [None if c.value is None else str(c.value) for c in cells],
            "low95": [c.low95 for c in cells],
            "high95": [c.high95 for c in cells],
            "excluded_rows": [c.excluded_rows for c in cells],
        },
        schema={
            "unit_id": pl.String,
            "period": pl.String,
            "indicator_id": pl.String,
            "respondents": pl.Int64,
            "satisfied": pl.Int64,
            "value": pl.String,
            "low95": pl.Float64,
            "high95": pl.Float64,
            "excluded_rows": pl.Int64,
        },
    ).with_columns(pl.col("value").cast(pl.Decimal(38, 9)))
