"""The benchmark, beside the product: ``python -m scoring.bench`` times the command line's
stages on seeded synthetic campaigns of each size against a floor (``timing``), and
``scoring.bench.pages`` opens every dashboard page in its own process. It may import everything,
the dashboard included; nothing in the product imports it.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.cli", "dashboard")
