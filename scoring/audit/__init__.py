"""The evidence of record checked: ``verify`` recomputes every published result from the stored
rules and values, compares the current states and the sealed states of the data and the
accounts with the hash-chained logs, and checks the chain itself. The trail's rows are written
by the store (``scoring.store.trail`` and ``scoring.store.seal``), inside each step's own
transaction. It may import every layer up to ``workflow``; it writes nothing.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.workflow",)
