"""The Streamlit dashboard, the top of the house: ``app`` builds the sidebar and the navigation,
one file per page under ``views/``, chart builders (``charts``, pure functions of polars frames)
and the dashboard's own label catalogue (``i18n``). Pages are thin: widgets, then a function of
the read and write models (``scoring.app.service``, ``scoring.app.entry``) or of the layers below, then
a chart. It may import any of ``scoring`` but the benchmark; no page writes SQL.
"""
