"""The applicable cells without a value, found by counting values per (unit, period) and
matching only the incomplete ones, are exactly those that every applicable cell matched against
the stored values leaves without one, under every filter the product uses."""

from __future__ import annotations

import itertools
import random

from scoring.app.imports import import_campaign
from scoring.ingest.validate import read_campaign
from scoring.store.cells import applicable_cells_sql, cell_params, missing_cells_sql
from scoring.store.db import connect
from tests.ingest.test_validation import YAML, folder

COLS = "period, period_no, unit_id, unit_no, unit_name, town, indicator_id, indicator_no"


def test_missing_cells_match_every_applicable_cell(tmp_path):
    rng = random.Random(11)
    units = [(f"u{k:03d}", "urban" if k % 3 else "rural", f"t{k % 4}") for k in range(60)]
    applies = {"urban": ("pb", "area", "veto"), "rural": ("pb", "inc", "area", "veto")}
    every = [(u, p, i) for u, cat, _ in units for p in ("Q1", "Q2") for i in applies[cat]]
    gone = set(rng.sample(every, 40))  # scattered gaps
    gone |= {c for c in every if c[0] == "u007"}  # a unit with no values at all
    gone |= {c for c in every if c[0] == "u010" and c[1] == "Q2"}  # one period of a unit
    text = "unit_id,period,indicator_id,value\n" + "".join(
        f"{u},{p},{i},0\n" for u, p, i in every if (u, p, i) not in gone
    )
    unit_rows = "unit_id,name,category,secretary_id,secretary_name,town\n" + "".join(
        f"{u},名{u},{c},s{u},书记,{t}\n" for u, c, t in units
    )
    path = folder(
        tmp_path,
        campaign_yaml=YAML.replace("missing: error", "missing: zero"),
        units_csv=unit_rows,
        values_csv=text,
    )
    con = connect(tmp_path / "m.duckdb")
    import_campaign(con, read_campaign(path))
    filters = {"unit_id": [None, "u007", "u010", "u011"], "period": [None, "Q2"], "category": [None, "rural"]}
    filters["town"] = [None, "t3"]
    for unit_id, period, category, town in itertools.product(*filters.values()):
        args = (unit_id, period, category, town)
        params = cell_params("v1", *args)
        found = con.execute(f"SELECT {COLS} FROM {missing_cells_sql(*args)} ORDER BY ALL", params).fetchall()
        every_cell = con.execute(
            f"SELECT {COLS} FROM {applicable_cells_sql(*args)} WHERE value IS NULL ORDER BY ALL", params
        ).fetchall()
        assert found == every_cell, args
        if (unit_id, period, category, town) == (None,) * 4:
            assert {(r[2], r[0], r[6]) for r in found} == gone
        order = "ORDER BY period_no, unit_id, indicator_no"
        for first in (1, 5, 37, 1000):  # only the (unit, period) holding the first ones matched
            head = con.execute(
                f"SELECT {COLS} FROM {missing_cells_sql(*args, first=first)} {order} LIMIT {first}", params
            ).fetchall()
            every_head = con.execute(
                f"SELECT {COLS} FROM {applicable_cells_sql(*args)} WHERE value IS NULL {order} LIMIT {first}",
                params,
            ).fetchall()
            assert head == every_head, (args, first)
    con.close()
