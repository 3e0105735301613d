"""A department's file row by row, as the dry run shows it: each row's cells with the value
they make (old → new), still waiting for months, passed over, or rejected with the problem's
words; for a survey export, how many answered for the row's cell."""

from __future__ import annotations

import polars as pl

from scoring.core.errors import Problem
from scoring.core.frames import each
from scoring.core.i18n import t
from scoring.ingest.sources import ROW_COLUMNS
from scoring.rules.model import Rules

NO_PENDING = pl.DataFrame(
    schema={"unit_id": pl.String, "period": pl.String, "indicator_id": pl.String, "missing": pl.String}
)


def respondents(table: pl.DataFrame, made: pl.DataFrame, rules: Rules, lang: str) -> pl.DataFrame:
    """A survey export's rows say how many answered for their cell, and when too few did, that
    the cell has no value this period."""
    need = {s.indicator: s.min_responses for s in rules.surveys}
    said = [
        t("src.respondents" if enough else "src.respondents_few", lang, n=n, need=need[ind])
        for n, enough, ind in made.select("respondents", "enough", "indicator_id").iter_rows()
    ]
    notes = made.select("unit_id", "period", "indicator_id").with_columns(
        pl.Series("_note", said, dtype=pl.String)
    )
    return (
        table.join(notes, on=["unit_id", "period", "indicator_id"], how="left")
        .with_columns(
            pl.when(pl.col("detail") == "").then(pl.col("_note")).otherwise(pl.col("detail")).alias("detail")
        )
        .drop("_note")
    )


def row_table(
    rows: pl.DataFrame,
    values: pl.DataFrame,
    pending: pl.DataFrame,
    skipped: list[tuple[int, str, str]],
    problems: list[Problem],
    lang: str,
    repeats: dict[int, tuple[int, int | None]] | None = None,
) -> pl.DataFrame:
    """Every row of the file with what it does: a row's cells with the value they make (old →
    new), still waiting for months, passed over, or rejected with the problem's words; a survey
    sheet that may repeat another (``repeats``) says so."""
    keys = ["unit_id", "period", "indicator_id"]
    made = values.select(*keys, pl.col("old"), pl.col("value").alias("new"))
    waiting = pending.select(
        *keys,
        each(
            pending, "missing", lambda m: t("src.pending", lang, months=m) if m else t("src.no_figure", lang)
        ),
        (pl.col("missing") == "").alias("_empty"),
    )
    table = rows.join(made, on=keys, how="left").join(waiting, on=keys, how="left")
    table = table.with_columns(
        pl.when(pl.col("_empty"))
        .then(pl.lit("empty"))
        .when(pl.col("missing").is_not_null())
        .then(pl.lit("pending"))
        .when(pl.col("new").is_null())
        .then(pl.lit("same"))
        .when(pl.col("old") == "")
        .then(pl.lit("add"))
        .when(pl.col("old") == pl.col("new"))
        .then(pl.lit("same"))
        .otherwise(pl.lit("change"))
        .alias("outcome"),
        pl.col("missing").fill_null("").alias("detail"),
    ).drop("missing", "_empty")
    if repeats:
        said = pl.DataFrame(
            [
                {
                    "_row": r,
                    "_repeat": t("src.repeat", lang, row=first)
                    + ("" if gap is None else t("src.repeat_gap", lang, minutes=gap)),
                }
                for r, (first, gap) in repeats.items()
            ],
            schema={"_row": pl.Int64, "_repeat": pl.String},
        )
        table = (
            table.join(said, on="_row", how="left")
            .with_columns(
                pl.when(pl.col("_repeat").is_null())
                .then(pl.col("detail"))
                .when(pl.col("detail") == "")
                .then(pl.col("_repeat"))
                .otherwise(pl.concat_str("detail", pl.lit("；"), "_repeat"))
                .alias("detail")
            )
            .drop("_repeat")
        )
    bad: dict[int, str] = {}  # a row's first problem, in words
    named: dict[int, str] = {}  # the unit as the row writes it, for a row refused before its cells
    for p in problems:
        if p.row is not None:
            bad.setdefault(p.row, p.message(lang))
            named.setdefault(p.row, str(p.params.get("unit", "")))
    reject = pl.DataFrame(
        [{"_row": r, "detail": m} for r, m in bad.items()],
        schema={"_row": pl.Int64, "detail": pl.String},
    )
    table = (
        table.join(reject.rename({"detail": "_why"}), on="_row", how="left")
        .with_columns(
            pl.when(pl.col("_why").is_not_null())
            .then(pl.lit("rejected"))
            .otherwise(pl.col("outcome"))
            .alias("outcome"),
            pl.coalesce(pl.col("_why"), pl.col("detail")).alias("detail"),
        )
        .drop("_why")
    )
    # rows refused before they made a cell (an unknown unit, a period that is none) and rows
    # passed over (a total row, a unit outside the campaign when the source says skip)
    seen = set(table["_row"].to_list())
    extra = [
        {"_row": r, "unit_text": named[r], "outcome": "rejected", "detail": m}
        for r, m in bad.items()
        if r not in seen
    ]
    extra += [
        {"_row": r, "unit_text": u, "outcome": "skipped", "detail": t(f"src.skipped_{why}", lang)}
        for r, u, why in skipped
    ]
    if extra:
        table = pl.concat(
            [
                table,
                pl.DataFrame(extra).with_columns(
                    *(
                        pl.lit(None, dtype=d).alias(c)
                        for c, d in ROW_COLUMNS.items()
                        if c not in ("_row", "unit_text")
                    ),
                ),
            ],
            how="diagonal_relaxed",
        )
    return table.select(*ROW_COLUMNS, "outcome", "old", "new", "detail").sort("_row", nulls_last=True)
