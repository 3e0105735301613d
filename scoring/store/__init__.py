"""The DuckDB file: schema and opening it (``db``), values by integer keys (``cells``), the
data fingerprint that keys every run (``fingerprint``) and backups (``backup``). The store
replaces a campaign in one transaction but does not decide who may: the integrity layer hands it
that decision as a hook. It may import ``scoring.core``, ``scoring.rules`` and
``scoring.ingest``.
"""
