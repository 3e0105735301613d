"""Reading a run's numbers: the derivation of every score, rank, star and payout and what it
would take to climb (``explain``), rank stability under perturbed weights (``robustness``) and
one unit's profile over periods and years (``profile``). It may import every layer up to
``scoring.audit``; nothing here writes results.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.audit",)
