"""Time building every chart of a 40-step map (DESIGN section 5: under 100 ms, median of repeated runs).

"Building" is the call that returns the Altair chart: the map with its ladder,
the ladder alone, per-step times, time shares, the waste Pareto, and the three
comparison charts against a future state. The budget is checked on the CPU time
of the building thread, which other processes on a shared machine do not
inflate; wall-clock time is reported beside it. Writing the chart out
(``to_dict``, which validates the whole specification) is timed for
information; renderers and widgets pay it once per chart they show.

Usage::

    python benchmarks/bench_charts.py                               # 30 runs, print a Markdown section
    python benchmarks/bench_charts.py --runs 50 --write docs/benchmarks.md

With ``--write`` the ``## Charts`` section of the file is replaced (or added),
leaving every other section alone. The exit code is 1 when the budget is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from report import load_average, replace_section

from vsm_widgets import charts
from vsm_widgets.future.compare import compare
from vsm_widgets.metrics import mean_item
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Duration

SECTION = "## Charts"
BUDGET_MS = 100.0
STEPS = 40
WASTES = (("waiting",), ("defects",), (), ("motion", "inventory"), ("extra_processing",))


def days(n: float) -> Duration:
    return Duration.of(n, "days")


def forty_step_map() -> ValueStream:
    """A 40-step map with two parallel branches, block lead times, owned and unowned arrows, tagged wastes."""
    steps = [
        Step(
            f"s{i}",
            f"Step {i:02d} of the stream",
            f"Team {i % 7}" if i % 3 else None,
            days(0.5 + i % 5),
            lead_time=days(1 + i % 5) if i % 4 == 0 else None,
            pct_ca=0.9 + 0.0025 * i,
            value=("va", "nnva", "nva")[i % 3],
            wastes=WASTES[i % len(WASTES)],
        )
        for i in range(STEPS)
    ]
    forks = {(8, 10): 9, (23, 25): 24}  # s9 and s24 run beside s8 -> s10 and s23 -> s25
    handoffs = [Handoff("supplier", "s0", days(1))]
    for i in range(STEPS - 1):
        if i + 1 in forks.values() or i in forks.values():
            continue
        handoffs.append(Handoff(f"s{i}", f"s{i + 1}", days(1 + i % 4), owner="Flow lead" if i % 5 == 0 else None))
    for (before, after), branch in forks.items():
        handoffs += [Handoff(f"s{before}", f"s{branch}", days(2)), Handoff(f"s{branch}", f"s{after}", days(1))]
        handoffs.append(Handoff(f"s{before}", f"s{after}", days(1)))
    handoffs.append(Handoff(f"s{STEPS - 1}", "customer", days(0)))
    return ValueStream("Forty steps", steps, handoffs)


def future_of(stream: ValueStream) -> ValueStream:
    """Waits on three arrows halved and one step removed."""
    future = stream
    for source, target in (("s2", "s3"), ("s14", "s15"), ("s30", "s31")):
        handoff = future.handoff(source, target)
        future = future.with_handoff(handoff.replace(wait=handoff.wait * 0.5))
    return future.remove_step("s35")


def builders() -> dict[str, Callable[[], object]]:
    current = forty_step_map()
    future = future_of(current)
    headline = compare(current, future).headline
    conventions = charts.map_conventions(current)
    return {
        "map with ladder": lambda: charts.value_stream_map(current),
        "ladder": lambda: charts.ladder_chart(current),
        "step times": lambda: charts.step_time_chart(current),
        "time shares": lambda: charts.time_share_chart(current),
        "waste Pareto": lambda: charts.waste_pareto_chart(current),
        "paired ladders": lambda: charts.paired_ladder_chart(current, future),
        "paired step bars": lambda: charts.paired_step_chart(current, future),
        "headline changes": lambda: charts.headline_change_chart(headline, conventions),
    }


def measure(runs: int, warmup: int = 3) -> dict[str, dict[str, list[float]]]:
    """Per chart: build times in CPU ms and wall ms, and write-out times in CPU ms (every third run)."""
    build = builders()
    for _ in range(warmup):
        for make in build.values():
            make()
    times: dict[str, dict[str, list[float]]] = {name: {"cpu": [], "wall": [], "written": []} for name in build}
    for run in range(runs):
        # Each run stands for a newly edited map: its totals are computed afresh, once, for all its charts.
        mean_item._hand_built.cache_clear()
        for name, make in build.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            chart = make()
            times[name]["cpu"].append((time.thread_time() - cpu) * 1000)
            times[name]["wall"].append((time.perf_counter() - wall) * 1000)
            if run % 3 == 0:
                cpu = time.thread_time()
                chart.to_dict()
                times[name]["written"].append((time.thread_time() - cpu) * 1000)
    return times


def per_run(times: dict[str, dict[str, list[float]]], clock: str) -> list[float]:
    """The total of every chart in each run."""
    return [sum(run) for run in zip(*(chart[clock] for chart in times.values()), strict=True)]


def section(runs: int, times: dict[str, dict[str, list[float]]]) -> str:
    cpu, wall = per_run(times, "cpu"), per_run(times, "wall")
    median = statistics.median(cpu)
    met = "yes" if median < BUDGET_MS else "no"
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("altair", "pandas", "vl-convert-python"))
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {versions}; load average before the run: {load_average()}.",
        f"Produced by `python benchmarks/bench_charts.py --runs {runs} --write docs/benchmarks.md`: a {STEPS}-step "
        "map with two parallel branches and its future state (`forty_step_map` and `future_of` in the script).",
        "Build is the call that returns the Altair chart. It runs on one thread, so its CPU time is what it costs on "
        "an idle machine; wall-clock time is given beside it, and on a shared machine it also counts the time other "
        "processes held the CPU. Write-out is `to_dict()` with Altair's full schema validation (CPU time, every "
        "third run), for information: renderers and widgets pay it once per chart they show.",
        "",
        f"**Every chart of the map, built: median {median:.1f} ms of CPU per run** (budget under {BUDGET_MS:.0f} ms: "
        f"{met}); fastest run {min(cpu):.1f} ms. Wall clock: median {statistics.median(wall):.1f} ms, fastest "
        f"{min(wall):.1f} ms.",
        "",
        "| chart | build CPU median ms | build wall median ms | write-out CPU median ms |",
        "|---|---:|---:|---:|",
    ]
    for name, chart in times.items():
        lines.append(
            f"| {name} | {statistics.median(chart['cpu']):.1f} | {statistics.median(chart['wall']):.1f} "
            f"| {statistics.median(chart['written']):.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of every chart (default 30)")
    parser.add_argument("--write", type=Path, help="replace the '## Charts' section of this Markdown file")
    args = parser.parse_args(argv)
    times = measure(args.runs)
    text = section(args.runs, times)
    print(text)
    if args.write:
        replace_section(args.write, SECTION, text)
    return 0 if statistics.median(per_run(times, "cpu")) < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
