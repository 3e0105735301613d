"""The profile's category statistics, against the exported cell points summed in Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from scoring.analysis.profile import category_stats
from scoring.app.service import units
from scoring.engine.run import latest_run
from scoring.outputs.results import points_frame
from scoring.store.campaign import open_campaign
from scoring.store.db import connect

CID = "jiujiang-2023"


def expected(cells, category_of, category, period, n_periods):
    """indicator → (mean, best) of a category's per-unit points (the year's mean, or one period)."""
    per = 1 if period else n_periods
    members = [u for u, c in category_of.items() if c == category]
    sums: dict[str, dict[str, Decimal]] = {}
    for r in cells:
        if category_of[r["unit_id"]] != category or (period and r["period"] != period):
            continue
        sums.setdefault(r["indicator_id"], {}).setdefault(r["unit_id"], Decimal(0))
        sums[r["indicator_id"]][r["unit_id"]] += r["points"]
    out = {}
    for ind, per_unit in sums.items():
        values = [per_unit.get(u, Decimal(0)) for u in members]
        mean = (sum(values) / (len(members) * per)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        out[ind] = (float(mean), float(max(values) / per))
    return out


@pytest.mark.parametrize("period", [None, "2023Q3"])
def test_category_statistics_are_the_mean_and_best_of_its_units(demo_db, period):
    con = connect(demo_db, read_only=True)
    run = latest_run(con, CID)
    assert run is not None
    cells = points_frame(con, run).to_dicts()
    for r in cells:
        r["points"] = Decimal(r["points"])
    category_of = dict(units(con, CID).select("unit_id", "category").iter_rows())
    n_periods = len({r["period"] for r in cells})
    for category in sorted(set(category_of.values())):
        want = expected(cells, category_of, category, period, n_periods)
        got = {
            r["indicator_id"]: (r["category_avg"], r["category_best"])
            for r in category_stats(open_campaign(con, run.campaign_id), run, category, period).iter_rows(
                named=True
            )
        }
        assert set(got) == set(want)
        for ind, (mean, best) in want.items():
            assert got[ind][0] == pytest.approx(mean, abs=1e-9), (category, ind)
            assert got[ind][1] == pytest.approx(best, abs=1e-9), (category, ind)
    con.close()


def test_one_unit_s_tenure_is_its_rows_of_the_whole_table(demo_db):
    """Asked for one unit or one secretary, the query keeps only its rows (a national campaign
    has 2.8 M)."""
    import polars as pl

    from scoring.engine.awards import tenure_frame as tenure

    con = connect(demo_db, read_only=True)
    whole = tenure(con, CID)
    changed = whole.group_by("unit_id").agg(pl.col("secretary_id").n_unique() > 1).filter("secretary_id")
    assert changed.height > 0  # the demo has secretaries who changed within the year
    for unit in [*changed["unit_id"].to_list(), whole["unit_id"][0]]:
        assert tenure(con, CID, unit).equals(whole.filter(pl.col("unit_id") == unit))
    # or the posts one secretary held, in one unit or (having moved) in two
    held = whole.drop_nulls("secretary_id").group_by("secretary_id").agg(pl.col("unit_id").n_unique())
    moved = held.filter(pl.col("unit_id") > 1)["secretary_id"].to_list()
    assert moved
    for sid in [*moved, held["secretary_id"][0]]:
        assert tenure(con, CID, secretary_id=sid).equals(whole.filter(pl.col("secretary_id") == sid))
    con.close()
