"""The entry template read back: a filled-in wide sheet (units down, indicators across, the
hidden row 2 naming the period and the indicator ids) as value rows named by their sheet rows.
The sheet is written by ``scoring.outputs.template``."""

from __future__ import annotations

import polars as pl

MARKER = "#starscore"  # cell A2 of a wide template
FIRST_DATA_ROW = 5  # the sheet row of the first unit


def is_wide(cells: pl.DataFrame) -> bool:
    return cells.height > 1 and cells.width > 0 and str(cells.row(1)[0] or "").strip() == MARKER


def read_wide(cells: pl.DataFrame) -> pl.DataFrame:
    """A wide sheet (every cell as text, no header taken) as value rows: unit_id, period,
    indicator_id, value, _row (the sheet's row number). A closed cell (—) is no value."""
    ids = cells.row(1)
    period = str(ids[1] or "").strip()
    columns = [(k, str(v).strip()) for k, v in enumerate(ids) if k >= 3 and v is not None and str(v).strip()]
    rows = []
    for k in range(FIRST_DATA_ROW - 1, cells.height):
        row = cells.row(k)
        unit = str(row[0] or "").strip()
        if not unit:
            continue
        for c, indicator in columns:
            value = "" if c >= len(row) or row[c] is None else str(row[c]).strip()
            if value == "—":
                continue
            rows.append(
                {"unit_id": unit, "period": period, "indicator_id": indicator, "value": value, "_row": k + 1}
            )
    schema = {
        "unit_id": pl.String,
        "period": pl.String,
        "indicator_id": pl.String,
        "value": pl.String,
        "_row": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)
