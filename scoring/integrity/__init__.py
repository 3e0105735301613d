"""Who may change what, and the record of it: roles and town scopes (``access``), the period
workflow and its locks (``workflow``), importing a folder under those locks (``imports``), the
audit log (``audit``), outlier confirmation (``outliers``) and the independent re-check of stored
results (``verify``). It may import the layers below it: ``core``, ``rules``, ``ingest``,
``store`` and ``engine``.
"""
