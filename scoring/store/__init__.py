"""The DuckDB file: schema, opening it and transactions (``db``), replacing a campaign
(``replace``), values by integer keys (``cells``), the data fingerprint that keys every run
(``fingerprint``), backups (``backup``) and the audit trail's rows and their hash chain
(``trail``, ``seal``), written inside each step's own transaction. The store replaces a
campaign in one transaction but does not decide who may: the application hands it that
decision as a hook. It may import ``scoring.core``, ``scoring.rules`` and ``scoring.ingest``.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.ingest",)
