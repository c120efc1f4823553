"""Time ``vsm metrics FILE --json`` against the bare baseline (DESIGN section 5).

Both are timed as whole processes on the same seeded interval export
(`make_data.py`): the baseline is ``pandas.read_csv(engine="pyarrow")`` plus
one sort by item and start (`baseline.py`). Runs alternate between the two so
that drift on a noisy machine hits both alike; one untimed run of each warms
the page cache first. Each timed run is wrapped in a fresh `measure.py`
process, whose ``RUSAGE_CHILDREN`` gives the peak memory of that run alone.

Usage::

    python benchmarks/run.py                                  # 1M rows x 5 runs, 5M rows x 2 runs
    python benchmarks/run.py --rows 100000:3 --baseline-only  # check the harness
    python benchmarks/run.py --write docs/benchmarks.md       # also update the "## vsm metrics" section

The exit code is 1 when a command fails, or with ``--strict`` when a budget is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402
from report import load_average, replace_section  # noqa: E402

SECTION = "## vsm metrics"
MB = 1_000_000
# rows -> (largest time ratio to the baseline, largest peak memory ratio to the baseline's, largest peak
# memory in MB): DESIGN section 5 at 1M rows and its 6 GB at 5M, with issue 17's ratios held at 5M too.
BUDGETS = {1_000_000: (1.5, 1.3, None), 5_000_000: (1.5, 1.3, 6000.0)}


@dataclass
class Timings:
    """The timed runs of one command."""

    command: list[str]
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    failure: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else float("nan")

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else float("nan")


@dataclass
class Result:
    """Baseline and vsm timings at one export size."""

    rows: int
    path: Path
    size_mb: float
    baseline: Timings
    vsm: Timings | None

    @property
    def ratio(self) -> float:
        return self.vsm.median / self.baseline.median if self.vsm else float("nan")

    @property
    def cpu_ratio(self) -> float:
        return self.vsm.cpu_median / self.baseline.cpu_median if self.vsm else float("nan")

    def verdict(self) -> tuple[str, bool]:
        """The budget in words and whether it was met (True when there is none)."""
        if self.vsm is None:
            return "", True
        if self.vsm.failure:
            return "command failed", False
        ratio_limit, peak_ratio_limit, peak_limit = BUDGETS.get(self.rows, (None, None, None))
        parts, met = [], True
        if ratio_limit is not None:
            parts.append(f"≤ {ratio_limit:g} × baseline")
            met &= self.ratio <= ratio_limit
        if peak_ratio_limit is not None:
            parts.append(f"peak ≤ {peak_ratio_limit:g} × baseline's")
            met &= self.vsm.peak <= peak_ratio_limit * self.baseline.peak
        if peak_limit is not None:
            parts.append(f"< {peak_limit / 1000:g} GB")
            met &= self.vsm.peak < peak_limit
        return " and ".join(parts) or "none", met


def vsm_command() -> list[str]:
    """The ``vsm`` console script beside this interpreter, else ``python -m vsm_widgets.cli``."""
    script = Path(sys.executable).with_name("vsm")
    return [str(script)] if script.exists() else [sys.executable, "-m", "vsm_widgets.cli"]


def run_once(command: list[str]) -> dict:
    wrapper = [sys.executable, str(HERE / "measure.py"), "--", *command]
    done = subprocess.run(wrapper, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def record(timings: Timings, command: list[str]) -> None:
    outcome = run_once(command)
    if outcome["returncode"] != 0:
        last_line = (outcome["stderr"].strip().splitlines() or [""])[-1]
        timings.failure = f"exit code {outcome['returncode']}: {last_line[:300]}"
        return
    timings.seconds.append(outcome["seconds"])
    timings.cpu_seconds.append(outcome["cpu_seconds"])
    timings.peak_mb.append(outcome["peak_bytes"] / MB)


def bench(rows: int, runs: int, data: Path, with_vsm: bool) -> Result:
    path = make_data.write(rows, data.resolve())
    shown = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
    baseline = Timings([sys.executable, str(HERE / "baseline.py"), shown])
    vsm = Timings([*vsm_command(), "metrics", shown, "--json"]) if with_vsm else None
    commands = [t for t in (baseline, vsm) if t is not None]
    for timings in commands:
        run_once(timings.command)  # warm the page cache and the bytecode cache, untimed
    for number in range(runs):
        for timings in commands:
            if not timings.failure:
                record(timings, timings.command)
        print(f"  {rows:,} rows: run {number + 1}/{runs} done", file=sys.stderr)
    return Result(rows, path, path.stat().st_size / MB, baseline, vsm)


def machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f", {total_kib * 1024 / 1e9:.1f} GB memory"
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("pandas", "pyarrow", "numpy"))
    return (
        f"{len(os.sched_getaffinity(0))} CPUs ({cpu}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {versions}"
    )


def _display(command: list[str]) -> str:
    shown = [
        os.path.relpath(part, ROOT) if os.path.isabs(part) and Path(part).is_relative_to(ROOT) else part
        for part in command
    ]
    shown[0] = Path(shown[0]).name if shown[0].endswith(("python", "python3", "vsm")) else shown[0]
    return shlex.join(shown)


def report(results: list[Result], invocation: str, loads: tuple[str, str]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        f"Produced by `{invocation}` (data from `benchmarks/make_data.py`, seed {make_data.SEED}).",
        f"Load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}.",
        "Times are medians of whole processes: wall clock (the budget) and CPU time (user + system, which",
        "moves less when other work shares the machine); peak is the largest resident set of any run.",
        "",
        "| rows | file MB | runs | baseline s | vsm metrics s | ratio | CPU s: baseline / vsm | CPU ratio "
        "| peak MB: baseline / vsm | budget | met |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for result in results:
        vsm = result.vsm
        budget, met = result.verdict()
        base = result.baseline
        wall = f"{vsm.median:.2f} | {result.ratio:.2f}" if vsm else "— | —"
        cpu = f"{base.cpu_median:.2f}" + (f" / {vsm.cpu_median:.2f} | {result.cpu_ratio:.2f}" if vsm else " | —")
        peak = f"{base.peak:.0f} / {vsm.peak:.0f}" if vsm else f"{base.peak:.0f}"
        lines.append(
            f"| {result.rows:,} | {result.size_mb:.0f} | {len(base.seconds)} | {base.median:.2f} | {wall} | {cpu} "
            f"| {peak} | {budget or '—'} | {('yes' if met else 'no') if vsm else '—'} |"
        )
    lines += ["", "Commands timed, and every run in seconds:", ""]
    for result in results:
        for timings in (result.baseline, result.vsm):
            if timings is None:
                continue
            runs = ", ".join(f"{s:.2f}" for s in timings.seconds)
            failure = f" — failed: {timings.failure}" if timings.failure else ""
            lines.append(f"- `{_display(timings.command)}`: {runs}{failure}")
    return "\n".join(lines) + "\n"


def _size(spec: str) -> tuple[int, int]:
    rows, _, runs = spec.partition(":")
    return int(rows.replace("_", "")), int(runs or 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `vsm metrics --json` against the bare pandas baseline.")
    parser.add_argument(
        "--rows",
        nargs="+",
        type=_size,
        default=[(1_000_000, 5), (5_000_000, 2)],
        metavar="ROWS[:RUNS]",
        help="export sizes and timed runs of each (default: 1000000:5 5000000:2)",
    )
    parser.add_argument("--data", type=Path, default=make_data.DEFAULT_OUT, help="folder of the generated exports")
    parser.add_argument("--baseline-only", action="store_true", help="time only the baseline (checks the harness)")
    parser.add_argument("--write", type=Path, metavar="FILE", help="update the '## vsm metrics' section of FILE")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a budget is missed")
    args = parser.parse_args(argv)

    invocation = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    before = load_average()
    results = [bench(rows, runs, args.data, not args.baseline_only) for rows, runs in args.rows]
    section = report(results, invocation.strip(), (before, load_average()))
    print(section)
    if args.write:
        replace_section(args.write, SECTION, section)
    failed = any(t is not None and t.failure for result in results for t in (result.baseline, result.vsm))
    missed = not all(result.verdict()[1] for result in results)
    return 1 if failed or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
