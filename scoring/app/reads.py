"""The read models the pages show, each a function of a connection (and, for a run's
numbers, the run) that the dashboard calls through its cache (``dashboard.data.cached`` keyed
by the run, ``dashboard.data.read`` for the campaign's own data)."""

from __future__ import annotations

from scoring.analysis.profile import (
    category_stats,
    derivation,
    own_points,
    takes,
    trends,
    unit_explanations,
    unit_summary,
    unit_trend,
)
from scoring.analysis.robustness import first_draws, max_draws
from scoring.app.service import (
    answer_distribution,
    baseline_count,
    board_counts,
    board_position,
    completeness,
    entered_by,
    find_units,
    leaderboard,
    missing_cells,
    payouts,
    robustness,
    run_differences,
    score_spread,
    survey_bootstrap,
    survey_results,
    tenure,
    towns,
    unit_count,
    units,
)

__all__ = [
    "answer_distribution",
    "baseline_count",
    "board_counts",
    "board_position",
    "category_stats",
    "completeness",
    "derivation",
    "entered_by",
    "find_units",
    "first_draws",
    "leaderboard",
    "max_draws",
    "missing_cells",
    "own_points",
    "payouts",
    "robustness",
    "run_differences",
    "score_spread",
    "survey_bootstrap",
    "survey_results",
    "takes",
    "tenure",
    "towns",
    "trends",
    "unit_count",
    "unit_explanations",
    "unit_summary",
    "unit_trend",
    "units",
]
