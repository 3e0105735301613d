"""``python -m scoring.bench``: the benchmark (see scoring.bench.timing)."""

import sys

from scoring.bench.timing import main

sys.exit(main())
