"""What a run is published as: the spec's result files (``results``), finance's reports
(``reports``) and the public notice, 公示 (``notice``). It may import every layer up to
``scoring.analysis``.
"""
