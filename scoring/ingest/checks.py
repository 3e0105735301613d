"""The checks of a campaign folder, as SQL over its all-text tables (``scoring.ingest.validate`` runs
them): each a problem code, the column it names, and a SELECT of the offending rows' ``_row``
with the message's parameters.

The tables: ``u`` (units.csv; ``u1`` its first row per unit id), ``s`` (secretaries.csv),
``vt`` (values typed by ``VALUES_TYPED``: ``d9`` the value as DECIMAL(38,9), with its unit's
category and its indicator's rule), and the rule tables ``r_periods``, ``r_categories``,
``r_indicators``, ``r_applies``.
"""

from __future__ import annotations

from scoring.core.na import NA_SQL, NA_WORDS_SQL

# (check name, file alias, column, SQL selecting _row and the message's parameters)
UNIT_CHECKS: list[tuple[str, str, str]] = [
    ("id_empty", "unit_id", "SELECT _row FROM u WHERE unit_id IS NULL OR unit_id = ''"),
    (
        "duplicate_unit",
        "unit_id",
        """
        SELECT _row, unit_id AS id, first_row FROM (
          SELECT _row, unit_id, min(_row) OVER (PARTITION BY unit_id) AS first_row FROM u
          WHERE unit_id <> '') WHERE _row > first_row""",
    ),
    ("name_empty", "name", "SELECT _row FROM u WHERE name IS NULL OR name = ''"),
    (
        "unknown_category",
        "category",
        """
        SELECT _row, coalesce(category, '') AS category, (SELECT string_agg(category, ', '
          ORDER BY category_no) FROM r_categories) AS expected
        FROM u WHERE category IS NULL OR category NOT IN (SELECT category FROM r_categories)""",
    ),
    (
        "bad_households",
        "households",
        """
        SELECT _row, households AS value FROM u WHERE households IS NOT NULL
          AND households <> '' AND coalesce(TRY_CAST(households AS BIGINT) < 0, true)""",
    ),
    (
        "secretary_name_without_id",
        "secretary_id",
        """
        SELECT _row FROM u WHERE coalesce(secretary_id, '') = ''
          AND coalesce(secretary_name, '') <> ''""",
    ),
]

# control characters (NUL, ESC, line breaks, tab…) and the bidirectional overrides that make a
# name read differently on a screen (U+202A-202E, U+2066-2069): refused in every name and id
CONTROL = "[\\x00-\\x1f\\x7f\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]"


def _control_checks(table: str, columns: tuple[str, ...]) -> list[tuple[str, str, str]]:
    return [
        (
            "control_chars",
            col,
            f"SELECT _row, printf('U+%04X', unicode(regexp_extract({col}, '{CONTROL}'))) AS char "
            f"FROM {table} WHERE regexp_matches({col}, '{CONTROL}')",
        )
        for col in columns
    ]


UNIT_CHECKS += _control_checks("u", ("unit_id", "name", "town", "secretary_id", "secretary_name"))

SECRETARY_CHECKS: list[tuple[str, str, str]] = [
    (
        "unknown_unit",
        "unit_id",
        "SELECT _row, coalesce(unit_id, '') AS unit FROM s WHERE unit_id NOT IN "
        "(SELECT unit_id FROM u WHERE unit_id IS NOT NULL) OR unit_id IS NULL",
    ),
    (
        "unknown_period",
        "period",
        """
        SELECT _row, coalesce(period, '') AS period, (SELECT string_agg(period, ', '
          ORDER BY period_no) FROM r_periods) AS expected
        FROM s WHERE period IS NULL OR period NOT IN (SELECT period FROM r_periods)""",
    ),
    (
        "duplicate_secretary_row",
        "period",
        """
        SELECT _row, unit_id AS unit, period, first_row FROM (
          SELECT _row, unit_id, period,
                 min(_row) OVER (PARTITION BY unit_id, period) AS first_row FROM s)
        WHERE _row > first_row""",
    ),
    (
        "secretary_name_without_id",
        "secretary_id",
        """
        SELECT _row FROM s WHERE coalesce(secretary_id, '') = ''
          AND coalesce(secretary_name, '') <> ''""",
    ),
]
SECRETARY_CHECKS += _control_checks("s", ("secretary_id", "secretary_name"))

# values: a typed view first, then checks over it
# a cell saying 不涉及 (or NA) is typed as the reserved value, ``na`` true; whether its
# indicator allows it is a check of its own (na_not_allowed)
VALUES_TYPED = f"""
CREATE TEMP TABLE vt AS
SELECT v.*, CASE WHEN na THEN {NA_SQL} ELSE TRY_CAST(v.value AS DECIMAL(38,9)) END AS d9,
       u.category, i.kind, i.points, i.min_value, i.max_value, i.method, i.each,
       coalesce(i.na_allowed, false) AS na_allowed
FROM (SELECT *, coalesce(upper(trim(value)) IN {NA_WORDS_SQL}, false) AS na FROM v) v
LEFT JOIN u1 u USING (unit_id) LEFT JOIN r_indicators i USING (indicator_id)
"""

# a value typed with a Chinese input method's full-width digits, point or sign (１２．５,
# 12。5), written with the ASCII ones: the suggestion of the value_fullwidth problem
HALFWIDTH = "translate(value, '０１２３４５６７８９．。－＋', '0123456789..-+')"


def cell_id_checks(table: str) -> list[tuple[str, str, str]]:
    """The checks of a row's unit, period and indicator ids, on a typed table (``vt`` of the
    values, ``st`` of the survey answers) that has the unit's category and the indicator's kind."""
    return [
        (
            "unknown_unit",
            "unit_id",
            f"SELECT _row, coalesce(unit_id, '') AS unit FROM {table} WHERE category IS NULL",
        ),
        (
            "unknown_period",
            "period",
            f"""
            SELECT _row, coalesce(period, '') AS period, (SELECT string_agg(period, ', '
              ORDER BY period_no) FROM r_periods) AS expected
            FROM {table} WHERE period IS NULL OR period NOT IN (SELECT period FROM r_periods)""",
        ),
        (
            "unknown_indicator",
            "indicator_id",
            f"SELECT _row, coalesce(indicator_id, '') AS indicator FROM {table} WHERE kind IS NULL",
        ),
    ]


VALUE_CHECKS: list[tuple[str, str, str]] = [
    *cell_id_checks("vt"),
    (
        "not_applicable",
        "indicator_id",
        """
        SELECT _row, indicator_id AS indicator, unit_id AS unit, category FROM vt
        WHERE kind IS NOT NULL AND category IS NOT NULL AND NOT EXISTS (SELECT 1 FROM r_applies a
          WHERE a.indicator_id = vt.indicator_id AND a.category = vt.category)
          -- a unit whose category is unknown is reported once, in units.csv, not once per value
          AND category IN (SELECT category FROM r_categories)""",
    ),
    (
        "duplicate_value",
        "indicator_id",
        """
        WITH dup AS (SELECT unit_id, period, indicator_id FROM vt GROUP BY ALL
                     HAVING count(*) > 1)
        SELECT _row, unit_id AS unit, period, indicator_id AS indicator, first_row FROM (
          SELECT _row, unit_id, period, indicator_id,
                 min(_row) OVER (PARTITION BY unit_id, period, indicator_id) AS first_row
          FROM vt SEMI JOIN dup USING (unit_id, period, indicator_id)) WHERE _row > first_row""",
    ),
    (
        "value_thousands",
        "value",
        """
        SELECT _row, value, replace(value, ',', '') AS suggestion FROM vt WHERE d9 IS NULL
          AND regexp_full_match(value, '[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?')""",
    ),
    (
        "value_percent",
        "value",
        """
        SELECT _row, value, regexp_replace(value, '\\s*[%％]$', '') AS suggestion FROM vt
        WHERE d9 IS NULL AND regexp_full_match(value, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)\\s*[%％]')""",
    ),
    (
        "value_fullwidth",
        "value",
        f"""
        SELECT _row, value, {HALFWIDTH} AS suggestion FROM vt WHERE d9 IS NULL
          AND value <> {HALFWIDTH} AND TRY_CAST({HALFWIDTH} AS DECIMAL(38,9)) IS NOT NULL""",
    ),
    (
        "not_finite",
        "value",
        """
        SELECT _row, value FROM vt WHERE d9 IS NULL AND value <> ''
          AND TRY_CAST(value AS DOUBLE) IS NOT NULL AND NOT isfinite(TRY_CAST(value AS DOUBLE))""",
    ),
    (
        "number_too_large",
        "value",
        """
        SELECT _row, value, '1000000000000' AS limit FROM vt WHERE value <> '' AND NOT na AND (
          (d9 IS NULL AND isfinite(TRY_CAST(value AS DOUBLE))) OR abs(d9) >= 1000000000000)""",
    ),
    (
        "not_a_number",
        "value",
        f"""
        SELECT _row, value FROM vt WHERE d9 IS NULL AND value <> ''
          AND TRY_CAST(value AS DOUBLE) IS NULL
          AND NOT regexp_full_match(value, '[+-]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?')
          AND NOT regexp_full_match(value, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)\\s*[%％]')
          AND TRY_CAST({HALFWIDTH} AS DECIMAL(38,9)) IS NULL""",
    ),
    (
        "too_many_decimals",
        "value",
        """
        SELECT _row, value, 9 AS places FROM vt
        WHERE CASE WHEN d9 IS NOT NULL AND NOT na AND abs(d9) < 1000000000000
                   THEN TRY_CAST(value AS DECIMAL(38,18)) IS DISTINCT FROM d9 ELSE false END""",
    ),
    (
        "out_of_points",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator, kind, points
        FROM vt WHERE kind IN ('score', 'bonus', 'penalty') AND each IS NULL AND NOT na
          AND (d9 < 0 OR d9 > points)""",
    ),
    (
        "count_negative",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator FROM vt
        WHERE each IS NOT NULL AND NOT na AND d9 < 0""",
    ),
    (
        "na_not_allowed",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator FROM vt
        WHERE na AND kind IS NOT NULL AND NOT na_allowed""",
    ),
    (
        "ratio_negative",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator FROM vt
        WHERE kind = 'relative' AND method = 'ratio' AND d9 < 0 AND NOT na""",
    ),
    (
        "veto_value",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator FROM vt
        WHERE kind = 'veto' AND d9 NOT IN (0, 1) AND NOT na""",
    ),
    (
        "below_min_value",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator, min_value AS bound
        FROM vt WHERE d9 < min_value AND NOT na""",
    ),
    (
        "above_max_value",
        "value",
        """
        SELECT _row, value, indicator_id AS indicator, max_value AS bound
        FROM vt WHERE d9 > max_value AND NOT na""",
    ),
]

# last year's results (baseline.csv, all text in ``b``): known units, one row each, a number
# and a whole rank above 0 where given (either may be empty: a unit vetoed last year has no rank)
BASELINE_CHECKS: list[tuple[str, str, str]] = [
    (
        "baseline_unknown_unit",
        "unit_id",
        "SELECT _row, coalesce(unit_id, '') AS unit FROM b WHERE unit_id IS NULL OR unit_id NOT IN "
        "(SELECT unit_id FROM u WHERE unit_id IS NOT NULL)",
    ),
    (
        "baseline_duplicate",
        "unit_id",
        """
        SELECT _row, unit_id AS unit, first_row FROM (
          SELECT _row, unit_id, min(_row) OVER (PARTITION BY unit_id) AS first_row FROM b
          WHERE unit_id <> '') WHERE _row > first_row""",
    ),
    (
        "baseline_score",
        "annual_score",
        """
        SELECT _row, annual_score AS value FROM b WHERE coalesce(annual_score, '') <> ''
          AND (TRY_CAST(annual_score AS DECIMAL(38,9)) IS NULL
               OR abs(TRY_CAST(annual_score AS DECIMAL(38,9))) >= 1000000000000)""",
    ),
    (
        "baseline_rank",
        "annual_rank",
        """
        SELECT _row, annual_rank AS value FROM b WHERE coalesce(annual_rank, '') <> ''
          AND (NOT regexp_full_match(annual_rank, '[0-9]{1,9}') OR TRY_CAST(annual_rank AS INTEGER) < 1)""",
    ),
]
