"""Seeded campaign builders: the demo district (109 villages and communities, the dashboard's
and the tests' starting point) and the benchmark's synthetic campaigns of any size. They write
campaign folders and may import nothing else of ``scoring``.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.core",)
