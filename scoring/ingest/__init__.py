"""Reading a campaign folder and checking every row: units, secretaries and values from CSV,
Excel or Parquet (``load``, ``xlsx``), the checks as SQL over all-text tables (``checks``), the
one-pass route for large value files (``fastcheck``) and the checked campaign ready to store
(``validate``). Nothing here writes the database. It may import ``scoring.core`` and
``scoring.rules``.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.rules",)
