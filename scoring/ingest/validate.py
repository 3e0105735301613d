"""Check a whole campaign folder before anything is written; collect every problem.

The checks are SQL over the all-text tables read by ``scoring.ingest.load``, run in a private
in-memory DuckDB, so they cost the same per row at any size. What passes comes out typed:
values as exact decimals (``DECIMAL(38,9)``), never binary floating point.

Decisions where the format leaves room (documented in docs/decisions.md):
- cells are trimmed of surrounding spaces (ids included);
- an empty value cell is a missing value, like an absent row;
- ``1,200`` and ``85%`` are refused with a message saying what to write instead;
- at most 9 decimal places and an absolute value below 10^12 are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from scoring.core.connection import checks_connection
from scoring.core.errors import CampaignError, Problem
from scoring.core.frames import register, to_polars
from scoring.core.money import plain
from scoring.ingest.checks import (
    BASELINE_CHECKS,
    SECRETARY_CHECKS,
    UNIT_CHECKS,
    VALUE_CHECKS,
    VALUES_TYPED,
)
from scoring.ingest.fastcheck import ValueRows, fast_parquet, fast_text, parquet_source, parquet_text_columns
from scoring.ingest.load import BASELINE_FILE, SURVEY_OPTIONAL, VALUE_OPTIONAL, RawFolder, read_folder
from scoring.ingest.surveys import (
    SURVEY_ANSWERS,
    SURVEY_CHECKS,
    SURVEY_SOURCE,
    SURVEYS_TYPED,
    CellSurvey,
    cell_surveys,
    cells_frame,
    survey_table,
)
from scoring.rules.check import rule_warnings
from scoring.rules.model import Rules
from scoring.rules.parse import parse_rules
from scoring.rules.tables import rule_tables

MAX_PROBLEMS_PER_CHECK = 2000


@dataclass
class CampaignData:
    """A checked campaign: rules plus typed tables, ready to store and score."""

    rules: Rules
    units: pl.DataFrame  # unit_id, name, category, town, households, secretary_id, secretary_name
    secretaries: pl.DataFrame | None  # unit_id, period, secretary_id, secretary_name
    values: ValueRows
    missing: pl.DataFrame  # unit_id, period, indicator_id: applicable but no value (the first
    # MAX_PROBLEMS_PER_CHECK by period, unit and indicator)
    missing_count: int  # all of them
    values_file: str
    warnings: list[Problem] = field(default_factory=list)  # allowed, probably not meant
    # residents' answers (unit_id, period, indicator_id, respondent_id, item, answer, status,
    # source_row), whose values are among ``values``; None without a survey file
    surveys: pl.DataFrame | None = None
    survey_cells: list[CellSurvey] = field(default_factory=list)
    # last year's results (unit_id, annual_score, annual_rank); None without baseline.csv
    baseline: pl.DataFrame | None = None


def _fmt(x: Any) -> Any:
    if isinstance(x, Decimal):
        return plain(x)
    return x if not isinstance(x, float) else repr(x)


def _run_checks(
    con: duckdb.DuckDBPyConnection, file: str, checks: list[tuple[str, str, str]]
) -> list[Problem]:
    problems: list[Problem] = []
    for code, column, sql in checks:
        rows = con.execute(f"SELECT * FROM ({sql}) LIMIT {MAX_PROBLEMS_PER_CHECK + 1}").fetchall()
        names = [d[0] for d in con.description or []]
        for row in rows[:MAX_PROBLEMS_PER_CHECK]:
            params = {n: _fmt(v) for n, v in zip(names[1:], row[1:], strict=True)}
            problems.append(Problem(file, int(row[0]), column, code, params))
        if len(rows) > MAX_PROBLEMS_PER_CHECK:
            total = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
            problems.append(
                Problem(
                    file, None, column, "more_of_same", {"code": code, "n": total - MAX_PROBLEMS_PER_CHECK}
                )
            )
    return problems


def _optional(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    return frame.with_columns(
        [pl.lit(None, dtype=pl.String).alias(c) for c in columns if c not in frame.columns]
    )


def _parquet_view(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """View ``v`` over a Parquet values file: the same text columns and row numbers."""
    columns = parquet_text_columns(pl.read_parquet_schema(path))
    source = parquet_source(path, "file_row_number = true")
    con.execute(f"CREATE TEMP VIEW v AS SELECT {columns}, file_row_number + 2 AS _row FROM {source}")


def _register_rules(con: duckdb.DuckDBPyConnection, rules: Rules) -> None:
    tables = rule_tables(rules)
    for name, frame in (
        ("r_periods", tables.periods),
        ("r_categories", tables.categories),
        ("r_indicators", tables.indicators),
        ("r_applies", tables.applies),
    ):
        register(con, name, frame)


def check_folder(raw: RawFolder, rules: Rules) -> CampaignData:
    """Check the tables against the rules; return them typed or raise every problem.

    A missing value is not a problem of the input (spec step 3: a year is entered period by
    period); what is missing is kept, counted and listed, and the engine decides per period.
    """
    with checks_connection() as con:  # closed, its tables dropped, whatever the outcome
        return _check_folder(con, raw, rules)


def _check_folder(con: duckdb.DuckDBPyConnection, raw: RawFolder, rules: Rules) -> CampaignData:
    units = _optional(raw.units, ("town", "households"))
    secretaries = raw.secretaries
    _register_rules(con, rules)
    register(con, "u", units)
    con.execute(
        "CREATE TEMP TABLE u1 AS SELECT DISTINCT ON (unit_id) * FROM u "
        "WHERE unit_id <> '' ORDER BY unit_id, _row"
    )
    if isinstance(raw.values, Path):
        fast = fast_parquet(con, raw.values)
    else:
        annotated = any(c in raw.values.columns for c in VALUE_OPTIONAL)
        text = _optional(raw.values, VALUE_OPTIONAL)
        register(con, "v", text)
        fast = fast_text(con, text, annotated)
    problems = _run_checks(con, "units.csv", UNIT_CHECKS)
    if secretaries is not None:
        register(con, "s", secretaries)
        problems += _run_checks(con, "secretaries.csv", SECRETARY_CHECKS)
    if raw.baseline is not None:
        register(con, "b", raw.baseline)
        problems += _run_checks(con, BASELINE_FILE, BASELINE_CHECKS)
    if fast is None:
        if isinstance(raw.values, Path):
            _parquet_view(con, raw.values)
        con.execute(VALUES_TYPED)
        problems += _run_checks(con, raw.values_file, VALUE_CHECKS)
        entered = "(SELECT unit_id, period, indicator_id FROM vt WHERE d9 IS NOT NULL)"
    else:
        entered = fast.relation(con, "v")  # the text table is already "v"; a file needs no name
    problems += _secretary_names(con, secretaries is not None)
    answers, cells, survey_problems = _surveys(con, raw, rules, entered)
    problems += survey_problems
    if cells:  # the values a survey supplies are entered values too
        entered = f"(SELECT unit_id, period, indicator_id FROM {entered} UNION ALL {_SURVEY_KEYS})"
    n_missing, missing = _missing(con, entered, None if cells else fast)
    if problems:
        raise CampaignError(problems)

    if fast is None:
        frame = to_polars(con.sql(_TYPED_VALUES))
        fast = ValueRows(frame.height, frame=frame)
    if cells:
        typed = to_polars(con.sql(f"SELECT {_VALUE_LIST} FROM {fast.relation(con, '_typed')}"))
        frame = pl.concat([typed, to_polars(con.sql(f"SELECT {_VALUE_LIST} FROM _survey_values"))])
        fast = ValueRows(frame.height, frame=frame)
    typed_units = to_polars(
        con.sql("""
        SELECT unit_id, name, category, nullif(town, '') AS town,
               TRY_CAST(households AS BIGINT) AS households,
               nullif(secretary_id, '') AS secretary_id,
               coalesce(nullif(secretary_name, ''), nullif(secretary_id, '')) AS secretary_name
        FROM u ORDER BY _row""")
    )
    typed_secretaries = None
    if secretaries is not None:
        typed_secretaries = to_polars(
            con.sql("""
            SELECT unit_id, period, nullif(secretary_id, '') AS secretary_id,
                   coalesce(nullif(secretary_name, ''), nullif(secretary_id, '')) AS secretary_name
            FROM s ORDER BY _row""")
        )
    typed_baseline = None
    if raw.baseline is not None:
        typed_baseline = to_polars(
            con.sql("""
            SELECT unit_id, CAST(nullif(annual_score, '') AS DECIMAL(38,9)) AS annual_score,
                   CAST(nullif(annual_rank, '') AS INTEGER) AS annual_rank
            FROM b ORDER BY _row""")
        )
    return CampaignData(
        rules,
        typed_units,
        typed_secretaries,
        fast,
        missing,
        n_missing,
        raw.values_file,
        rule_warnings(rules),
        answers,
        cells,
        typed_baseline,
    )


_VALUE_LIST = "unit_id, period, indicator_id, CAST(value AS DECIMAL(38,9)) AS value, entered_by, note"
_SURVEY_KEYS = "SELECT unit_id, period, indicator_id FROM _survey_values"


def _surveys(
    con: duckdb.DuckDBPyConnection, raw: RawFolder, rules: Rules, entered: str
) -> tuple[pl.DataFrame | None, list[CellSurvey], list[Problem]]:
    """The survey file checked row by row; its answers typed, each cell's survey, and the
    values they supply (registered as ``_survey_values``). A cell that values.csv fills as well
    is a problem, named at the survey's first row for that cell."""
    if raw.surveys is None:
        return None, [], []
    file = raw.surveys_file
    register(con, "sv", _optional(raw.surveys, SURVEY_OPTIONAL))
    register(con, "r_surveys", survey_table(rules))
    con.execute(SURVEYS_TYPED)
    problems = _run_checks(con, file, SURVEY_CHECKS)
    if problems:
        return None, [], problems
    answers = to_polars(con.sql(SURVEY_ANSWERS))
    cells = cell_surveys(answers, rules)
    supplied = cells_frame(cells).filter(pl.col("value").is_not_null())
    register(
        con,
        "_survey_values",
        supplied.select(
            "unit_id",
            "period",
            "indicator_id",
            "value",
            pl.lit(SURVEY_SOURCE).alias("entered_by"),
            pl.format("调查 {} 人", pl.col("respondents")).alias("note"),
        ),
    )
    both = con.execute(
        f"""SELECT min(s._row), s.unit_id, s.period, s.indicator_id FROM st s
            SEMI JOIN {entered} e ON e.unit_id = s.unit_id AND e.period = s.period
             AND e.indicator_id = s.indicator_id
            GROUP BY ALL ORDER BY 1 LIMIT {MAX_PROBLEMS_PER_CHECK}"""
    ).fetchall()
    problems = [
        Problem(
            file,
            int(row),
            "indicator_id",
            "survey_and_value",
            {"unit": unit, "period": period, "indicator": ind, "file": raw.values_file},
        )
        for row, unit, period, ind in both
    ]
    return answers, cells, problems


def _missing(
    con: duckdb.DuckDBPyConnection, entered: str, fast: ValueRows | None
) -> tuple[int, pl.DataFrame]:
    """How many applicable (unit, period, indicator) have no value, and the first
    MAX_PROBLEMS_PER_CHECK of them (by period, unit and indicator). Once the values are checked
    every entered row is a distinct applicable cell, so the count per (unit, period) tells what
    is missing; only the first incomplete (unit, period) are matched cell by cell."""
    if fast is not None:  # every value row a distinct applicable cell: equal counts, none missing
        expected = con.execute(
            "SELECT count(*) FROM u1 u JOIN r_applies a USING (category) CROSS JOIN r_periods"
        ).fetchall()[0][0]
        if expected == fast.height:
            return 0, pl.DataFrame(
                schema={"unit_id": pl.String, "period": pl.String, "indicator_id": pl.String}
            )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _short AS
        WITH entered AS (SELECT unit_id, period, count(*) AS n_values FROM {entered} GROUP BY ALL),
        n_applicable AS (SELECT category, count(*) AS n FROM r_applies GROUP BY category)
        SELECT u.unit_id, p.period, a.n - coalesce(g.n_values, 0) AS n_missing
        FROM u1 u JOIN n_applicable a USING (category) CROSS JOIN r_periods p
        LEFT JOIN entered g ON g.unit_id = u.unit_id AND g.period = p.period
        WHERE a.n > coalesce(g.n_values, 0)""")
    total = int(con.execute("SELECT coalesce(sum(n_missing), 0) FROM _short").fetchall()[0][0])
    listed = to_polars(
        con.sql(f"""
        WITH firsts AS (
          SELECT unit_id, period FROM (
            SELECT *, sum(n_missing) OVER (ORDER BY period, unit_id ROWS UNBOUNDED PRECEDING)
                      - n_missing AS before
            FROM _short)
          WHERE before < {MAX_PROBLEMS_PER_CHECK})
        SELECT u.unit_id, f.period, a.indicator_id
        FROM firsts f JOIN u1 u USING (unit_id) JOIN r_applies a USING (category)
        ANTI JOIN (SELECT x.unit_id, x.period, x.indicator_id FROM {entered} x
                   SEMI JOIN firsts f ON f.unit_id = x.unit_id AND f.period = x.period) x
          ON x.unit_id = u.unit_id AND x.period = f.period AND x.indicator_id = a.indicator_id
        ORDER BY f.period, u.unit_id, a.indicator_id
        LIMIT {MAX_PROBLEMS_PER_CHECK}""")
    )
    return total, listed


_TYPED_VALUES = """
    SELECT unit_id, period, indicator_id, d9 AS value, nullif(entered_by, '') AS entered_by,
           nullif(note, '') AS note
    FROM vt WHERE d9 IS NOT NULL ORDER BY _row"""


def check_values(
    rules: Rules, units: pl.DataFrame, values: pl.DataFrame, file: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Check value rows (text, with ``_row``) against stored units; the same checks as a folder.

    Returns (typed values to write, keys whose cell was emptied); raises every problem.
    """
    values = _optional(values, VALUE_OPTIONAL)
    with checks_connection() as con:
        _register_rules(con, rules)
        register(con, "u1", units.select("unit_id", "category"))
        register(con, "v", values)
        con.execute(VALUES_TYPED)
        problems = _run_checks(con, file, VALUE_CHECKS)
        if problems:
            raise CampaignError(problems)
        typed = to_polars(con.sql(_TYPED_VALUES))
        emptied = to_polars(
            con.sql("SELECT unit_id, period, indicator_id FROM vt WHERE value IS NULL OR value = ''")
        )
    return typed, emptied


def _secretary_names(con: duckdb.DuckDBPyConnection, with_file: bool) -> list[Problem]:
    """One person (secretary_id) must carry one name everywhere."""
    parts = ["SELECT 'units.csv' AS file, _row, secretary_id, secretary_name FROM u"]
    if with_file:
        parts.append("SELECT 'secretaries.csv', _row, secretary_id, secretary_name FROM s")
    rows = con.sql(f"""
        WITH all_rows AS ({" UNION ALL ".join(parts)}),
        named AS (SELECT * FROM all_rows WHERE coalesce(secretary_id, '') <> ''
                  AND coalesce(secretary_name, '') <> ''),
        firsts AS (SELECT secretary_id, arg_min(secretary_name, (file <> 'units.csv', _row))
                   AS first_name FROM named GROUP BY secretary_id)
        SELECT file, _row, secretary_id, secretary_name, first_name
        FROM named JOIN firsts USING (secretary_id) WHERE secretary_name <> first_name
        ORDER BY file, _row LIMIT {MAX_PROBLEMS_PER_CHECK}""").fetchall()
    return [
        Problem(
            file,
            int(row),
            "secretary_name",
            "secretary_name_conflict",
            {"id": sid, "name": name, "other": first},
        )
        for file, row, sid, name, first in rows
    ]


def read_campaign(folder: Path) -> CampaignData:
    """Read and check a campaign folder; every problem of every file in one CampaignError."""
    problems: list[Problem] = []
    raw = rules = None
    try:
        raw = read_folder(folder)
    except CampaignError as exc:
        problems += exc.problems
    yaml_text = raw.yaml_text if raw else None
    if yaml_text is None and (folder / "campaign.yaml").is_file():
        from scoring.core.text import decode_text

        try:
            yaml_text = decode_text((folder / "campaign.yaml").read_bytes(), "campaign.yaml")
        except CampaignError:
            yaml_text = None
    if yaml_text is not None:
        try:
            rules = parse_rules(yaml_text)
        except CampaignError as exc:
            problems += exc.problems
    if problems or raw is None or rules is None:
        raise CampaignError(problems)
    return check_folder(raw, rules)
