"""Values by integer keys: how they are written, found and read back by their ids.

A value is stored in ``value_cells`` under its campaign's import key (``campaigns.key_no``) and
the unit's, period's and indicator's numbers in that campaign; who entered it, its note and when
are in ``value_entries``, once per import or save and (who, note) pair. The helpers here build
the SQL that finds a campaign's cells by those keys (so DuckDB filters on small integers and
skips what it need not read) and turn ids into keys and back.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

# One BIGINT per cell (unit, period, indicator numbers): DuckDB 2.0 joins on one such key much
# faster than on the three columns (national re-import diff: 22 s against 16 s).
CELL_KEY = "((unit_no::BIGINT << 24) | (period_no::BIGINT << 12) | indicator_no::BIGINT)"


# The SQL fragments below name the campaign and their filters as parameters, never as text:
# $cid, and $cell_unit, $cell_period, $cell_category, $cell_town for the filters given. A query
# built from them is run with ``cell_params`` of the same arguments.
_PARAM = {"unit_id": "cell_unit", "period": "cell_period", "category": "cell_category", "town": "cell_town"}


def cell_params(
    cid: str,
    unit_id: str | None = None,
    period: str | None = None,
    category: str | None = None,
    town: str | None = None,
) -> dict[str, str]:
    """The parameters of a query built from the fragments below with these arguments."""
    given = {"unit_id": unit_id, "period": period, "category": category, "town": town}
    return {"cid": cid} | {_PARAM[col]: v for col, v in given.items() if v is not None}


# The values as their ids and who entered them, read through the integer keys they are stored
# with: the import's key (campaigns.key_no, from a sequence), and the unit's, period's and
# indicator's numbers in that campaign (units.unit_no: 1, 2, … in the units file's order).
# Rules, units and values are replaced together, so the numbers always match.
VALUES_VIEW = """
CREATE VIEW IF NOT EXISTS indicator_values AS
SELECT u.campaign_id, u.unit_id, p.period, i.indicator_id, c.value, e.entered_by, e.note,
       e.entered_at
FROM value_cells c
JOIN campaigns k ON k.key_no = c.campaign_key
JOIN units u ON u.campaign_id = k.campaign_id AND u.unit_no = c.unit_no
JOIN periods p ON p.campaign_id = u.campaign_id AND p.period_no = c.period_no
JOIN indicators i ON i.campaign_id = u.campaign_id AND i.indicator_no = c.indicator_no
LEFT JOIN value_entries e ON e.entry_no = c.entry_no"""

# a database written before values were kept by integer keys: its values table, moved over
MIGRATE_VALUES = """
UPDATE campaigns SET key_no = nextval('campaign_key_seq') WHERE key_no IS NULL;
UPDATE units SET unit_no = n.unit_no FROM (
  SELECT rowid AS r, row_number() OVER (PARTITION BY campaign_id ORDER BY rowid) AS unit_no
  FROM units) n
WHERE units.rowid = n.r;
CREATE TEMP TABLE _old_entries AS
  SELECT nextval('entry_seq') AS entry_no, * FROM (
    SELECT DISTINCT campaign_id, entered_by, note, entered_at FROM indicator_values);
INSERT INTO value_entries SELECT entry_no, campaign_id, entered_by, note, entered_at FROM _old_entries;
INSERT INTO value_cells
  SELECT k.key_no, u.unit_no, p.period_no, i.indicator_no, v.value, e.entry_no
  FROM indicator_values v
  JOIN campaigns k ON k.campaign_id = v.campaign_id
  JOIN units u ON u.campaign_id = v.campaign_id AND u.unit_id = v.unit_id
  JOIN periods p ON p.campaign_id = v.campaign_id AND p.period = v.period
  JOIN indicators i ON i.campaign_id = v.campaign_id AND i.indicator_id = v.indicator_id
  JOIN _old_entries e ON e.campaign_id = v.campaign_id
   AND e.entered_by IS NOT DISTINCT FROM v.entered_by AND e.note IS NOT DISTINCT FROM v.note
   AND e.entered_at IS NOT DISTINCT FROM v.entered_at;
DROP TABLE _old_entries;
DROP TABLE indicator_values"""


def numbered(units: pl.DataFrame) -> pl.DataFrame:
    """The units with their numbers: 1, 2, … in the units file's order."""
    return units.with_columns(pl.int_range(1, units.height + 1, dtype=pl.Int32).alias("unit_no"))


# SQL: the key the campaign $cid's cells are stored under
CAMPAIGN_KEY = "(SELECT key_no FROM campaigns WHERE campaign_id = $cid)"
# SQL condition on ``value_cells c``: the cell is one of campaign $cid's
CAMPAIGN_CELLS = f"c.campaign_key = {CAMPAIGN_KEY}"


def delete_values(con: duckdb.DuckDBPyConnection, cid: str, keys: str | None = None) -> None:
    """Delete the campaign's values; with ``keys`` (a FROM item of unit_id, period,
    indicator_id) only those cells."""
    if keys is None:
        con.execute(f"DELETE FROM value_cells c WHERE {CAMPAIGN_CELLS}", {"cid": cid})
        con.execute("DELETE FROM value_entries WHERE campaign_id = ?", [cid])
        return
    con.execute(
        f"""DELETE FROM value_cells c USING (
              SELECT u.unit_no, p.period_no, i.indicator_no FROM {keys} k
              JOIN units u ON u.campaign_id = $cid AND u.unit_id = k.unit_id
              JOIN periods p ON p.campaign_id = $cid AND p.period = k.period
              JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = k.indicator_id) k
            WHERE {CAMPAIGN_CELLS} AND c.unit_no = k.unit_no AND c.period_no = k.period_no
              AND c.indicator_no = k.indicator_no""",
        {"cid": cid},
    )


def insert_values(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    src: str,
    stamp: datetime,
    expected: int,
    annotated: bool = True,
) -> None:
    """Store checked value rows (a FROM item: unit_id, period, indicator_id, value,
    entered_by, note) entered at ``stamp``, under their integer keys. Who entered them and
    their notes are kept once per distinct pair (``annotated`` False: the rows carry none)."""
    pairs = (
        f"(SELECT DISTINCT entered_by, note FROM {src})"
        if annotated
        else "(SELECT NULL::VARCHAR AS entered_by, NULL::VARCHAR AS note)"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _entries AS SELECT nextval('entry_seq') AS entry_no, * FROM {pairs}"
    )
    try:
        con.execute(
            "INSERT INTO value_entries SELECT entry_no, ?, entered_by, note, ? FROM _entries", [cid, stamp]
        )
        entry, join = (
            "e.entry_no",
            (
                "JOIN _entries e ON e.entered_by IS NOT DISTINCT FROM v.entered_by "
                "AND e.note IS NOT DISTINCT FROM v.note"
            ),
        )
        if not annotated:  # one entry for every row: a constant, no join over millions of rows
            entry, join = str(con.execute("SELECT entry_no FROM _entries").fetchall()[0][0]), ""
        stored = con.execute(
            f"""INSERT INTO value_cells
                SELECT {CAMPAIGN_KEY}, u.unit_no, p.period_no, i.indicator_no, v.value, {entry}
                FROM {src} v
                JOIN units u ON u.campaign_id = $cid AND u.unit_id = v.unit_id
                JOIN periods p ON p.campaign_id = $cid AND p.period = v.period
                JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = v.indicator_id
                {join}""",
            {"cid": cid},
        ).fetchall()[0][0]
    finally:
        con.execute("DROP TABLE IF EXISTS _entries")
    if stored != expected:  # every row was checked against these units and rules
        raise RuntimeError(f"stored {stored} of {expected} values of campaign {cid}")


def cells_sql(
    unit_id: str | None = None,
    period: str | None = None,
    category: str | None = None,
    town: str | None = None,
) -> str:
    """The campaign's stored values by their integer keys (a FROM item: unit_no, period_no,
    indicator_no, value, entry_no), optionally one unit's, one period's, one category's
    and/or one town's. Filters on the keys themselves, so DuckDB skips what it need not read."""
    where = CAMPAIGN_CELLS
    wanted = (("unit_id", unit_id), ("category", category), ("town", town))
    unit_filters = [f"{col} = ${_PARAM[col]}" for col, v in wanted if v is not None]
    if unit_filters:
        units = "SELECT unit_no FROM units WHERE campaign_id = $cid AND " + " AND ".join(unit_filters)
        where += f" AND c.unit_no IN ({units})"
    if period is not None:
        where += (
            " AND c.period_no = (SELECT period_no FROM periods WHERE campaign_id = $cid"
            " AND period = $cell_period)"
        )
    return (
        f"(SELECT c.unit_no, c.period_no, c.indicator_no, c.value, c.entry_no FROM value_cells c "
        f"WHERE {where})"
    )


def stored_at_sql(keys: str) -> str:
    """The stored value, who entered it and when, of each (unit_id, period, indicator_id) of
    ``keys`` (a FROM item) that has one: a FROM item of those six columns, found by the keys."""
    return f"""(
  SELECT k.unit_id, k.period, k.indicator_id, v.value, e.entered_by, e.entered_at
  FROM (SELECT DISTINCT unit_id, period, indicator_id FROM {keys}) k
  JOIN units u ON u.campaign_id = $cid AND u.unit_id = k.unit_id
  JOIN periods p ON p.campaign_id = $cid AND p.period = k.period
  JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = k.indicator_id
  JOIN {cells_sql()} v ON v.unit_no = u.unit_no AND v.period_no = p.period_no
   AND v.indicator_no = i.indicator_no
  LEFT JOIN value_entries e ON e.entry_no = v.entry_no)"""


def _cell_filters(unit_id: str | None, period: str | None, category: str | None, town: str | None) -> str:
    """SQL conditions (each after AND) on units ``u`` and periods ``p``: the filters given."""
    wanted = (
        ("u", "unit_id", unit_id),
        ("p", "period", period),
        ("u", "category", category),
        ("u", "town", town),
    )
    return "".join(f" AND {t}.{col} = ${_PARAM[col]}" for t, col, v in wanted if v is not None)


def applicable_cells_sql(
    unit_id: str | None = None,
    period: str | None = None,
    category: str | None = None,
    town: str | None = None,
) -> str:
    """Every applicable cell with its value (NULL when missing), optionally filtered as
    ``cells_sql`` (a FROM item: period, period_no, unit_id, unit_no, unit_name, town,
    indicator_id, indicator_no, value)."""
    filters = _cell_filters(unit_id, period, category, town)
    return f"""
(
  SELECT p.period, p.period_no, u.unit_id, u.unit_no, u.name AS unit_name, u.town, i.indicator_id,
         i.indicator_no, v.value
  FROM units u
  JOIN applies a ON a.campaign_id = u.campaign_id AND a.category = u.category
  JOIN indicators i ON i.campaign_id = a.campaign_id AND i.indicator_id = a.indicator_id
  JOIN periods p ON p.campaign_id = u.campaign_id
  LEFT JOIN {cells_sql(unit_id, period, category, town)} v ON v.unit_no = u.unit_no
       AND v.period_no = p.period_no AND v.indicator_no = i.indicator_no
  WHERE u.campaign_id = $cid{filters}) v"""


def missing_cells_sql(
    unit_id: str | None = None,
    period: str | None = None,
    category: str | None = None,
    town: str | None = None,
    first: int | None = None,
    period_nos: list[int] | None = None,
) -> str:
    """The applicable cells without a value, filtered as ``applicable_cells_sql`` (a FROM item:
    period, period_no, unit_id, unit_no, unit_name, town, indicator_id, indicator_no). Values
    are counted per (unit, period) on their integer keys; only the (unit, period) with fewer
    values than applicable indicators are matched cell by cell. With ``first``, only as many
    of those (unit, period), by period and unit, as hold the first ``first`` missing cells.
    With ``period_nos``, only the periods of these numbers."""
    cells = cells_sql(unit_id, period, category, town)
    filters = _cell_filters(unit_id, period, category, town)
    if period_nos is not None:
        filters += f" AND p.period_no IN ({', '.join(str(int(n)) for n in period_nos) or 'NULL'})"
    firsts = ""
    if first is not None:
        firsts = f"""
    QUALIFY sum(n_missing) OVER (ORDER BY p.period_no, u.unit_id ROWS UNBOUNDED PRECEDING)
            - n_missing < {int(first)}"""
    return f"""
(
  WITH counts AS (SELECT unit_no, period_no, count(*) AS n FROM {cells} GROUP BY ALL),
  n_applicable AS (
    SELECT category, count(*) AS n FROM applies WHERE campaign_id = $cid GROUP BY category),
  short AS (
    SELECT p.period, p.period_no, u.unit_id, u.unit_no, u.name AS unit_name, u.town, u.category,
           a.n - coalesce(g.n, 0) AS n_missing
    FROM units u
    JOIN n_applicable a ON a.category = u.category
    JOIN periods p ON p.campaign_id = u.campaign_id
    LEFT JOIN counts g ON g.unit_no = u.unit_no AND g.period_no = p.period_no
    WHERE u.campaign_id = $cid{filters} AND n_missing > 0{firsts})
  SELECT s.period, s.period_no, s.unit_id, s.unit_no, s.unit_name, s.town, i.indicator_id,
         i.indicator_no
  FROM short s
  JOIN applies a ON a.campaign_id = $cid AND a.category = s.category
  JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = a.indicator_id
  ANTI JOIN (SELECT v.* FROM {cells} v
             SEMI JOIN short s ON s.unit_no = v.unit_no AND s.period_no = v.period_no) v
    ON v.unit_no = s.unit_no AND v.period_no = s.period_no AND v.indicator_no = i.indicator_no) m"""
