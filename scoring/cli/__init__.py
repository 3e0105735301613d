"""The ``starscore`` command: its parser and the campaign commands (``main``), the admin
commands for users, workflow, audit, backups and explanations (``admin``) and the helpers they
share for output, progress and opening the database (``support``). It may import every
``scoring`` layer and the read and write models (``scoring.app.service``, ``scoring.app.entry``), never
the dashboard.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.app",)
