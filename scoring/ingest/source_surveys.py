"""A survey tool's export delivered as a source (``shape: survey``): each answer sheet a row,
each item a column, read by ``scoring.ingest.sources`` like any department's table. Here its
answers are checked against their survey's scale and made into the values they supply,
exactly as surveys.csv's answers are (``scoring.ingest.surveys``): a cell's respondents, its
value (none below ``min_responses``) and a note saying how many answered."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from scoring.core.errors import Problem
from scoring.core.money import plain
from scoring.ingest.surveys import cell_surveys, survey_table
from scoring.rules.model import Rules

CELL = ["unit_id", "period", "indicator_id"]
QUESTION_NUMBER = r"^\s*(?:[QqTt第]?\d+[题]?[、.．:：)）\s]+)"  # 2、 Q2. 第2题： 3) before an item


@dataclass
class SurveyDelivery:
    """What an export's answers make: the answers as stored, the cells' values ('' below
    min_responses) and a note per cell."""

    answers: pl.DataFrame  # unit_id, period, indicator_id, respondent_id, item, answer, status, source_row
    values: pl.DataFrame  # unit_id, period, indicator_id, value, _row, respondents, enough
    problems: list[Problem]


def survey_values(rules: Rules, rows: pl.DataFrame, file: str) -> SurveyDelivery:
    """The answers of an export's rows (``ROW_COLUMNS`` of ``read_source``), each within its
    survey's scale (else a problem naming the row and the item's column), and the values of the
    cells they answer."""
    scales = survey_table(rules)  # the rules' checks make a survey source's items surveyed
    outside = (
        rows.join(scales, on="indicator_id")
        .with_columns(pl.col("value").cast(pl.Decimal(38, 9)).alias("_answer"))
        .filter((pl.col("_answer") < pl.col("low")) | (pl.col("_answer") > pl.col("high")))
    )
    problems = [
        Problem(
            file,
            r["_row"],
            r["column"],
            "survey_answer_scale",
            {"value": r["raw"], "low": plain(r["low"]), "high": plain(r["high"])},
        )
        for r in outside.iter_rows(named=True)
    ]
    answers = rows.select(
        *CELL,
        pl.col("respondent").alias("respondent_id"),
        # the item as the survey names it: 2、服务态度 → 服务态度 (a tool numbers its questions)
        pl.col("column").str.replace(QUESTION_NUMBER, "").alias("item"),
        pl.col("value").cast(pl.Decimal(38, 9)).alias("answer"),
        "status",
        pl.col("_row").alias("source_row"),
    )
    made = pl.DataFrame(
        [
            {
                "unit_id": c.unit_id,
                "period": c.period,
                "indicator_id": c.indicator_id,
                "value": "" if c.value is None else plain(c.value),
                "respondents": c.respondents,
                "enough": c.value is not None,
            }
            for c in cell_surveys(answers, rules)
        ],
        schema={
            "unit_id": pl.String,
            "period": pl.String,
            "indicator_id": pl.String,
            "value": pl.String,
            "respondents": pl.Int64,
            "enough": pl.Boolean,
        },
    )
    last = rows.group_by(CELL).agg(pl.col("_row").max())
    return SurveyDelivery(answers, made.join(last, on=CELL, how="left"), problems)
