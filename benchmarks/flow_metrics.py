"""Time the flow metrics in-process on a seeded interval export, apart from reading it.

Reads the export of `make_data.py` once with `read_export`, then times
`flow.summary` (what `vsm metrics` computes) and each table of `vsm_widgets.metrics.flow`
several times, on calendar time and on a working calendar, and prints the median
and the fastest run (on a shared, noisy machine the fastest is closest to the cost
of the code itself).
The whole-process budget of DESIGN section 5 is measured by `run.py`; this shows
how much of it the metrics take.

Usage::

    python benchmarks/flow_metrics.py [ROWS] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402

from vsm_widgets import flow  # noqa: E402
from vsm_widgets.calendar import Calendar  # noqa: E402
from vsm_widgets.io.exports import read_export  # noqa: E402

WORKING = "working:mon-fri,09:00-17:00,tz=Europe/Berlin,holidays=2025-12-25;2025-12-26;2026-01-01"
TABLES = {
    "summary": flow.summary,
    "item_metrics": flow.item_metrics,
    "step_metrics": flow.step_metrics,
    "handoff_metrics": flow.handoff_metrics,
    "wip_series": flow.wip_series,
    "throughput": flow.throughput,
    "cumulative_flow": flow.cumulative_flow,
    "aging_wip": flow.aging_wip,
    "littles_law": flow.littles_law,
}


def timed(function, runs: int) -> list[float]:
    """Wall-clock seconds of `runs` calls of `function`."""
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - began)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    path = make_data.write(args.rows)
    began = time.perf_counter()
    log = read_export(path)
    read = time.perf_counter() - began
    print(f"{path.name}: {len(log.visits):,} visits, {len(log.items):,} items, {len(log.steps)} steps")
    print(f"read_export: {read:.2f} s (once)")
    print("| metric | calendar time: median s | fastest s | working time: median s | fastest s |")
    print("|---|---:|---:|---:|---:|")
    working = log.replace(calendar=Calendar.parse(WORKING))
    for name, function in TABLES.items():
        on_calendar = timed(lambda f=function: f(log), args.runs)
        on_working = timed(lambda f=function: f(working), args.runs)
        cells = [statistics.median(on_calendar), min(on_calendar), statistics.median(on_working), min(on_working)]
        print(f"| {name} | " + " | ".join(f"{cell:.2f}" for cell in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
