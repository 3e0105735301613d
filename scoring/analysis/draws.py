"""The robustness analysis's draws scored as matrices: every draw's period scores are one
matrix product of the cells' points (a row per unit and period, a column per indicator) and
the draws' weights (a row per draw), and its ranks, flags, annual scores and stars are
column-wise operations on that product — the same steps as the real run (spec steps 3–8),
without rounding or tie-breaks.

Points and weights are whole numbers of 10⁻⁶ and 10⁻⁹ (``_PT``, ``_W`` in ``robustness``), so
every product and sum is an exact integer: in 64 bits when the largest unit's year cannot
exceed them, else in Python's unbounded integers (slower, still exact). Equal scores are equal
integers, so ties rank alike on every machine.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np
import polars as pl

from scoring.rules.model import Rules

SCALE = 10**15  # a score is its integer ÷ this (points 10⁻⁶ × weights 10⁻⁹)
_SAFE = 2.0**62  # below 2⁶³ with room for the bound's own float rounding


def _at_least(x: Decimal) -> int:
    """The least score integer whose score is ≥ ``x``."""
    return int((x * SCALE).to_integral_value(rounding=ROUND_CEILING))


def _ranks(x: np.ndarray) -> np.ndarray:
    """Each column's ranks, highest first, equal values sharing the lowest (SQL's rank())."""
    m = x.shape[0]
    order = np.argsort(-x, axis=0, kind="stable")
    ordered = np.take_along_axis(x, order, axis=0)
    starts = np.zeros(ordered.shape, dtype=np.int64)
    starts[1:] = np.where(ordered[1:] != ordered[:-1], np.arange(1, m)[:, None], 0)
    np.maximum.accumulate(starts, axis=0, out=starts)
    ranks = np.empty(x.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, starts + 1, axis=0)
    return ranks


def _ranks_within(x: np.ndarray, groups: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Ranks of the ``eligible`` rows of ``x`` inside their group, per column; 0 elsewhere."""
    ranks = np.zeros(x.shape, dtype=np.int64)
    for g in np.unique(groups[eligible]):
        rows = np.flatnonzero(eligible & (groups == g))
        ranks[rows] = _ranks(x[rows])
    return ranks


def scored(
    cells: dict[str, np.ndarray], weights: dict[str, np.ndarray], n: int, rules: Rules
) -> pl.DataFrame:
    """Every draw's annual result of every unit: d, u, vetoed, rank (null when vetoed), n (the
    category's ranked units), flags, stars.

    ``cells``: a row per scored cell, ordered by unit and period: the unit's, category's and
    period's numbers u, c, p, the period's veto, the indicator's position k < ``n``, its points
    pt and tiered points tt; ``weights``: tier and w0…w{n-1} of each draw, ordered by draw."""
    u, p = np.asarray(cells["u"], dtype=np.int64), np.asarray(cells["p"], dtype=np.int64)
    new_row = np.r_[True, (u[1:] != u[:-1]) | (p[1:] != p[:-1])]  # a (unit, period)'s first cell
    first, row = np.flatnonzero(new_row), np.cumsum(new_row) - 1
    k = np.asarray(cells["k"], dtype=np.int64)
    plain = np.zeros((first.size, n), dtype=np.int64)
    tiered = np.zeros((first.size, n), dtype=np.int64)
    plain[row, k] = cells["pt"]
    tiered[row, k] = cells["tt"]
    w = np.column_stack([weights[f"w{j}"] for j in range(n)]).astype(np.int64)
    tier = np.asarray(weights["tier"], dtype=bool)
    unit = u[first]
    starts = np.flatnonzero(np.r_[True, unit[1:] != unit[:-1]])
    # the largest |score| a unit's year can reach: within 64 bits, or exact in Python integers
    per_row = np.maximum(np.abs(plain), np.abs(tiered)).astype(np.float64).sum(axis=1)
    bound = np.add.reduceat(per_row, starts).max(initial=0.0) * float(np.abs(w).max(initial=0))
    if bound >= _SAFE:
        plain, tiered, w = plain.astype(object), tiered.astype(object), w.astype(object)
    score = plain @ w.T  # (unit × period) × draw
    if tier.any():
        score[:, tier] = tiered @ w[tier].T

    vetoed = np.asarray(cells["vetoed"], dtype=bool)[first]
    category = np.asarray(cells["c"], dtype=np.int64)[first]
    groups = category * (int(p.max(initial=0)) + 1) + p[first]
    if rules.flags is None:
        flags = np.zeros((starts.size, w.shape[0]), dtype=np.int64)
    else:
        rank = _ranks_within(score, groups, ~vetoed)
        won = (rank >= 1) & (rank <= rules.flags.top_n) & (score >= _at_least(rules.flags.min_score))
        flags = np.add.reduceat(won.astype(np.int64), starts, axis=0)

    annual = np.add.reduceat(score, starts, axis=0)
    u_vetoed = np.logical_or.reduceat(vetoed, starts)
    u_category = category[starts]
    ranks = _ranks_within(annual, u_category, ~u_vetoed)
    n_ranked = np.bincount(u_category[~u_vetoed], minlength=int(u_category.max(initial=0)) + 1)[u_category]
    # thresholds on a mean are compared with the sum against threshold × periods (every unit
    # has every period: the year is complete)
    per = len(rules.periods) if rules.annual_score == "mean" else 1
    stars = np.zeros(annual.shape, dtype=np.int64)
    open_ = np.broadcast_to(~u_vetoed[:, None], annual.shape).copy()
    for level in rules.stars_by_level():
        meets = open_.copy()
        if level.min_score is not None:
            meets &= annual >= _at_least(level.min_score * per)
        if level.max_share is not None:
            share = Decimal(level.max_share).quantize(Decimal("1e-18"))
            sizes = np.unique(n_ranked)  # a category's ranked units: one floor per size
            floors = [int((share * int(k)).to_integral_value(rounding=ROUND_FLOOR)) for k in sizes]
            most = np.asarray(floors, dtype=np.int64)[np.searchsorted(sizes, n_ranked)]
            meets &= ranks <= most[:, None]
        stars[meets] = level.stars
        open_ &= ~meets

    units, draws = annual.shape
    return pl.DataFrame(
        {
            "d": np.tile(np.arange(draws, dtype=np.int64), units),
            "u": np.repeat(unit[starts].astype(np.int32), draws),
            "vetoed": np.repeat(u_vetoed, draws),
            "rank": ranks.ravel(),
            "n": np.repeat(n_ranked, draws),
            "flags": flags.ravel().astype(np.int64),
            "stars": stars.ravel().astype(np.int32),
        }
    ).with_columns(pl.when(pl.col("rank") > 0).then("rank").alias("rank"))
