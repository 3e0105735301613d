"""The Streamlit dashboard, the top of the house: ``app`` builds the sidebar and the navigation,
one file per page under ``views/``, chart builders (``charts``, pure functions of polars frames),
short-lived connections and cached reads (``data``), who is signed in (``session``), the pages'
shared widgets (``common``) and labels (``i18n``, the catalogue's lookup). Pages are thin:
widgets, then a use case or a read model of ``scoring.app`` (called as a function, cached by run
in ``data.cached``), then a chart.
It may import ``scoring.app`` and ``scoring.core`` only; no file here runs SQL (both checked by
``tests/test_layers.py``).
"""

MAY_IMPORT_ONLY: tuple[str, ...] = ("scoring.app", "scoring.core")
