"""What a run is published as: the spec's result files (``results``), finance's reports
(``reports``), the public notice, 公示 (``notice``) and the Excel entry template
(``template``). It may import every layer up to ``scoring.analysis``.
"""

MAY_IMPORT: tuple[str, ...] = ("scoring.analysis",)
