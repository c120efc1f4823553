"""Make an XES event log of N traces for the streaming benchmark of the XES reader.

Each trace is one loan application with four events in the layout of IEEE 1849:
an atomic ``Submit`` complete, a ``Review`` start and complete, and an atomic
``Decide`` complete, each with its activity, transition, time (with a UTC
offset) and resource. 250,000 traces make a file of about 275 MB holding a
million events.

Usage::

    python benchmarks/make_xes.py 250000 [--out benchmarks/data]

The same size gives the same bytes. Files go to ``benchmarks/data/``, which git ignores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVENTS = (("Submit", "complete", 8), ("Review", "start", 9), ("Review", "complete", 11), ("Decide", "complete", 13))


def write_log(traces: int, path: Path) -> None:
    """Write `traces` traces of four events each to `path`.

    Parameters
    ----------
    traces : int
        How many cases.
    path : Path
        The ``.xes`` file to write.
    """
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n')
        out.write('<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">\n')
        for trace in range(traces):
            out.write(f'  <trace>\n    <string key="concept:name" value="case{trace}"/>\n')
            day, minute = 1 + trace % 27, trace % 60
            for activity, transition, hour in EVENTS:
                stamp = f"2026-03-{day:02d}T{hour:02d}:{minute:02d}:00.000+01:00"
                out.write(
                    "    <event>\n"
                    f'      <string key="concept:name" value="{activity}"/>\n'
                    f'      <string key="lifecycle:transition" value="{transition}"/>\n'
                    f'      <date key="time:timestamp" value="{stamp}"/>\n'
                    f'      <string key="org:resource" value="user{trace % 50}"/>\n'
                    "    </event>\n"
                )
            out.write("  </trace>\n")
        out.write("</log>\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``python benchmarks/make_xes.py TRACES [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("traces", type=int)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"loans_{args.traces}.xes"
    write_log(args.traces, path)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
