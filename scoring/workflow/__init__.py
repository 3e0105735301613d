"""The year's workflow: the states of periods, towns and the year (``states``), the moves
between them with four eyes (``periods`` for a period, ``towns`` for a town's submission,
``year`` for the year's 公示 and its objections), lock exceptions and deadlines (``locks``) and
outlier confirmation (``outliers``). Every move is written with its log row in one transaction.
It may import ``core``, ``rules``, ``ingest``, ``store``, ``engine`` and ``accounts``.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.engine", "scoring.accounts")
