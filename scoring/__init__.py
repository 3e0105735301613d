"""starscore: the scoring engine for 争星夺旗 campaigns, in layers that import downward only.

``core`` → ``rules`` → ``ingest`` → ``store`` → ``engine`` → ``accounts`` → ``workflow`` →
``audit`` → ``analysis`` → ``outputs`` → ``app`` (the use cases and the pages' read models) →
``cli``; the dashboard (``dashboard/``) sits on top and the benchmark (``bench``) beside it all. ``samples``
(the seeded demo and synthetic campaigns) stands beside ``core``. Each package's docstring says
what it owns; its ``MAY_IMPORT`` names the packages just below it (it may import them and what
they may import), and ``tests/test_layers.py`` checks every import against those claims.
"""

__version__ = "0.1.0"
