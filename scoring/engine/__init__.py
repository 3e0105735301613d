"""The spec's computation, one module per group of steps, named after them: ``points``
(steps 1-3: points, period scores, missing values), ``ranking`` (steps 4-8: period ranks,
flags, annual scores and ranks, stars), ``awards`` (step 9, money, and the secretaries' tenure
it is shared by) and ``run`` (the steps in order, kept as one run keyed by the rules and data
hashes). It may import ``scoring.core``, ``scoring.rules`` and ``scoring.store``.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.store",)
