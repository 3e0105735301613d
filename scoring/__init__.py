"""starscore: the scoring engine for 争星夺旗 campaigns, in layers that import downward only.

``core`` → ``rules`` → ``ingest`` → ``store`` → ``engine`` → ``integrity`` → ``analysis`` →
``outputs`` → the read and write models for the pages (``service``, ``entry``) → ``cli``; the
dashboard (``dashboard/``) sits on top and the benchmark (``bench``) beside it all. ``samples``
(the seeded demo and synthetic campaigns) stands beside ``core``. Each package's docstring says
what it owns and what it may import; ``tests/test_layers.py`` keeps it so.
"""

__version__ = "0.1.0"
