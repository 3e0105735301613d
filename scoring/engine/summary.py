"""A run's summary as it is stored (``runs.summary_json``) and read back: every key a run
writes, typed. Amounts are JSON numbers written from exact decimals (``scoring.core.money``);
code that adds or compares them reads them back exactly with ``Fraction(str(x))``."""

from __future__ import annotations

from typing import NotRequired, TypedDict

Number = int | float


class PeriodState(TypedDict):
    """One period of the year as the run found it: scored, or what it still lacks."""

    period: str
    status: str  # scored, incomplete or empty (scoring.engine.points)
    values: int
    missing: int


class MissingCell(TypedDict):
    unit_id: str
    period: str
    indicator_id: str


class RunSummary(TypedDict):
    """The totals and the state of one run (``summary.json`` of the result files too)."""

    campaign_id: str
    campaign_name: str
    run_id: str
    budget: Number | None
    total_before_scaling: Number
    scale_factor: Number
    scale_factor_fraction: str  # "numerator/denominator", exact
    scaled: bool
    total_final: Number
    community_total_final: Number
    secretary_total_final: Number
    unallocated: Number | None
    rounding: Number
    missing_rule: str
    missing_values: int
    missing: list[MissingCell]  # the first 1,000 missing cells
    # written by every run since the year in progress could be scored; a run from before had
    # its whole year complete
    year_complete: NotRequired[bool]
    periods: NotRequired[list[PeriodState]]
    rules_hash: str
    data_hash: str
    engine_version: str
    computed_at: str
