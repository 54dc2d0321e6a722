"""`ombudsman-kg build` with `DataSet.locate` (the file:line lookup) replaced by a stub.

Measurement aid for bench/results/issue10/build-sources.md, not a fix: `locate` rescans a
file's text per call, and the build calls it for every disagreement side
(statements._check_disagreements) and for every raw union result, even those it then drops.
For data that conforms nothing is reported, so the output (dist/) is the same; only the
locations in reports of failing data would be lost.

    .venv/bin/python bench/results/issue10/build_nolocate.py build --data D --dist OUT [--shapes S]
"""

import sys

from ombudsman_kg.build import sources
from ombudsman_kg.cli import main

sources.DataSet.locate = lambda self, subject, predicate=None, graph=None: None  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(main())
