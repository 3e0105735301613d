"""The rules' vocabulary as the pages use it: a campaign's rules, indicators, tiers, sources and
the months of a period (``scoring.rules``). The dashboard imports these from here, never from the
layers below."""

from __future__ import annotations

from scoring.rules.model import KINDS, Indicator, Rules, Source, Tier
from scoring.rules.months import period_months

__all__ = ["KINDS", "Indicator", "Rules", "Source", "Tier", "period_months"]
