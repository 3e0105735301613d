"""What a campaign's rules are: ``campaign.yaml`` parsed into frozen pydantic models
(``model``), the checks across rules that a model alone cannot state (``check``), the parser that
names every problem by line (``parse``), and the rules as small relational tables (``tables``).
The models never touch DuckDB. It may import ``scoring.core`` only.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.core",)
