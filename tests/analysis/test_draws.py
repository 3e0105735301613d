"""The robustness draws scored as matrices agree with the same steps written as a join of every
cell with every draw's weight, ranked by SQL's rank() (the analysis's first formulation)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from scoring.analysis import draws
from scoring.analysis.robustness import Settings, _period_scores, robustness
from scoring.core.frames import to_polars
from scoring.engine.points import install_macros
from scoring.engine.run import latest_run
from scoring.store.campaign import load_rules_from_db, open_campaign
from scoring.store.db import connect

CID = "jiujiang-2023"

# every draw's (unit, period) score as Σ points × weight over a join of the cells with the
# weights turned into rows, then ranked, flagged and summed per year in SQL
REFERENCE = """
WITH wl AS (UNPIVOT r_weights ON COLUMNS('^w[0-9]+$') INTO NAME name VALUE w),
per AS (
  SELECT wl.d, c.u, c.c, c.p, bool_or(c.vetoed) AS vetoed,
         sum(CAST(CASE WHEN wl.tier THEN c.tt ELSE c.pt END AS HUGEINT) * wl.w) AS score
  FROM r_cells c JOIN wl ON c.k = CAST(substr(wl.name, 2) AS INTEGER) GROUP BY ALL),
ranked AS (
  SELECT *, CASE WHEN NOT vetoed THEN rank() OVER (PARTITION BY d, c, p, vetoed ORDER BY score DESC)
            END AS rank FROM per),
flags AS (
  SELECT d, u, count(*) FILTER (WHERE NOT vetoed AND rank <= $top AND score >= $least) AS flags
  FROM ranked GROUP BY d, u),
annual AS (SELECT d, u, c, sum(score) AS annual, bool_or(vetoed) AS vetoed FROM per GROUP BY ALL)
SELECT d, u, vetoed, annual,
       CASE WHEN NOT vetoed THEN rank() OVER (PARTITION BY d, c, vetoed ORDER BY annual DESC) END AS rank,
       count(*) FILTER (WHERE NOT vetoed) OVER (PARTITION BY d, c) AS n, flags
FROM annual JOIN flags USING (d, u)
"""


def _reference(cur, rules) -> pl.DataFrame:
    least = int(rules.flags.min_score * draws.SCALE)
    frame = to_polars(cur.sql(REFERENCE, params={"top": rules.flags.top_n, "least": least}))
    per = len(rules.periods)  # the demo's annual score is the periods' mean
    stars = pl.lit(0)
    for level in reversed(rules.stars_by_level()):  # the first level that fits wins
        fits = ~pl.col("vetoed")
        if level.min_score is not None:
            fits &= pl.col("annual").cast(pl.Float64) >= float(level.min_score * per * draws.SCALE)
        if level.max_share is not None:
            fits &= pl.col("rank") <= (pl.col("n") * float(level.max_share)).floor()
        stars = pl.when(fits).then(level.stars).otherwise(stars)
    return frame.with_columns(stars.alias("stars")).select("d", "u", "vetoed", "rank", "n", "flags", "stars")


@pytest.mark.parametrize(
    ("settings", "flags"),
    [
        (Settings(draws=60), None),
        (Settings(draws=40, spread=0.4, seed=5, linear_as_tiers=3), None),
        (Settings(draws=40, spread=0.2), {"top_n": 6, "min_score": Decimal("95")}),  # the floor binds
    ],
)
def test_matrix_draws_match_the_join(demo_copy, settings, flags):
    con = connect(demo_copy)
    run = latest_run(con, CID)
    rules = load_rules_from_db(con, CID)
    if flags is not None:
        assert rules.flags is not None
        rules = rules.model_copy(update={"flags": rules.flags.model_copy(update=flags)})
    cur = con.cursor()
    install_macros(cur)
    _period_scores(cur, run, settings)
    n = int(cur.execute("SELECT count(*) FROM r_ind").fetchall()[0][0])
    cells = cur.execute("SELECT u, c, p, vetoed, k, pt, tt FROM r_cells ORDER BY u, p").fetchnumpy()
    weights = cur.execute("SELECT * FROM r_weights ORDER BY d").fetchnumpy()
    got = draws.scored(cells, weights, n, rules)
    want = _reference(cur, rules)
    con.close()
    key = ["d", "u"]
    got, want = got.sort(key), want.sort(key).cast(got.schema)
    assert got.height == settings.draws * 109
    assert got.equals(want)
    assert got["rank"].null_count() > 0 and got["flags"].sum() > 0 and got["stars"].n_unique() >= 4


def test_ranks_are_sql_ranks():
    rng = np.random.default_rng(7)
    x = rng.integers(0, 6, size=(40, 25))  # many ties
    want = pl.DataFrame(x).select(pl.all().rank("min", descending=True)).to_numpy()
    assert (draws._ranks(x) == want).all()


def test_beyond_64_bits_the_draws_are_exact_integers_still(demo_copy, monkeypatch):
    con = connect(demo_copy)
    run = latest_run(con, CID)
    settings = Settings(draws=50, spread=0.2, linear_as_tiers=4)
    fast = robustness(open_campaign(con, run.campaign_id), run, settings)
    monkeypatch.setattr(draws, "_SAFE", 0.0)  # as if a unit's year could pass 2⁶³
    exact = robustness(open_campaign(con, run.campaign_id), run, settings)
    con.close()
    assert fast.equals(exact)
    assert draws._at_least(Decimal("80")) == 80 * draws.SCALE
