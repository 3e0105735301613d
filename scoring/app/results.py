"""Results as the pages use them: scoring, the run and its state, a unit's profile, the rank
stability check and the files finance and leaders take away (``scoring.engine``,
``scoring.analysis``, ``scoring.outputs``). The dashboard imports these from here, never from the
layers below."""

from __future__ import annotations

from scoring.analysis import profile
from scoring.analysis.profile import with_category
from scoring.analysis.robustness import Settings
from scoring.engine.run import Run, latest_run, score, scored_periods, year_complete
from scoring.engine.summary import RunSummary
from scoring.outputs.reports import payouts_csv, payouts_excel, safe_csv
from scoring.outputs.template import wide_template

__all__ = [
    "Run",
    "RunSummary",
    "Settings",
    "latest_run",
    "payouts_csv",
    "payouts_excel",
    "profile",
    "safe_csv",
    "score",
    "scored_periods",
    "wide_template",
    "with_category",
    "year_complete",
]
