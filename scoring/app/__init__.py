"""The application: the use cases people start (saving values, a department's delivery, a
correction, last year's results taken as a baseline) and the read models the pages and the
command line show (boards, completeness, to-do, delivery status), one module each. It may import
every layer up to ``scoring.outputs``; the command line and the dashboard import it, never the
reverse.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.outputs", "scoring.samples")
