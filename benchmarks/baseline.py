"""The bare baseline of DESIGN section 5: read the export with pyarrow and sort it once.

Usage::

    python benchmarks/baseline.py FILE

Run as a whole process (interpreter start and imports included), exactly as
``vsm metrics FILE --json`` is timed against it.
"""

from __future__ import annotations

import sys

import pandas as pd


def main(path: str) -> int:
    frame = pd.read_csv(path, engine="pyarrow")
    frame = frame.sort_values(["item", "start"])
    print(len(frame))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
