"""The vocabulary every layer shares: one error type (``CampaignError``, a list of
(file, row, column, problem) named by catalogue code), the message catalogue (Chinese first,
English complete), exact money (integer fen, ``Decimal`` and ``Fraction``, never float), text
read from users' files, polars frames in and out of DuckDB, and the settings every DuckDB
connection gets. It may import nothing else of ``scoring``.
"""

MAY_IMPORT: tuple[str, ...] = ()
