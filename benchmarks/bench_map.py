"""Time `vsm map` on a long map file, as a whole process (issue 15: under 2 s for 10,000 steps).

The map is written afresh from its size: a linear stream of N steps, each with a name, an owner
and a process time, joined by handoffs with a wait, in the YAML a coach writes. Every run is a
fresh `vsm map FILE` process, timed by the wall clock and by its CPU time (user + system from
`getrusage`), after one untimed warm-up run; the median of the runs is printed with the load
average before and after.

Usage::

    python benchmarks/bench_map.py                 # 10,000 steps, 5 runs
    python benchmarks/bench_map.py --steps 2000 --runs 3
    python benchmarks/bench_map.py --strict        # exit 1 when the median is 2 s or more
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VSM = [sys.executable, "-m", "vsm_widgets"]


def map_text(steps: int) -> str:
    """A linear map of `steps` steps in the map file's YAML.

    Parameters
    ----------
    steps : int
        How many steps.

    Returns
    -------
    str
    """
    lines = ["name: Long map", "unit: hours", "steps:"]
    for i in range(steps):
        lines += [f"  - id: s{i}", f"    name: Step {i}", "    process_time: 2", "    owner: Team"]
    lines.append("handoffs:")
    previous = "supplier"
    for i in range(steps):
        lines += [f"  - from: {previous}", f"    to: s{i}", "    wait: 3"]
        previous = f"s{i}"
    lines += [f"  - from: {previous}", "    to: customer", "    wait: 1"]
    return "\n".join(lines) + "\n"


def timed_run(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `vsm map` process.

    Parameters
    ----------
    path : Path
        The map file.

    Returns
    -------
    tuple of float
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([*VSM, "map", str(path)], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    """Write the map, time the runs and print the medians.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments.

    Returns
    -------
    int
        0; with ``--strict``, 1 when the median wall clock is 2 s or more.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the 2 s goal is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long_map.yaml"
        path.write_text(map_text(args.steps), encoding="utf-8")
        load_before = os.getloadavg()
        timed_run(path)
        runs = [timed_run(path) for _ in range(args.runs)]
        load_after = os.getloadavg()
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"vsm map on {args.steps:,} steps: median {statistics.median(walls):.2f} s wall, "
        f"{statistics.median(cpus):.2f} s CPU over {args.runs} runs"
    )
    print("wall: " + ", ".join(f"{w:.2f}" for w in walls) + "; CPU: " + ", ".join(f"{c:.2f}" for c in cpus))
    print(
        "load average before: "
        + ", ".join(f"{x:.1f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.1f}" for x in load_after)
    )
    return 1 if args.strict and statistics.median(walls) >= 2.0 else 0


if __name__ == "__main__":
    raise SystemExit(main())
