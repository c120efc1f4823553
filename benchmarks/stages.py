"""Where the time of one ``vsm metrics FILE --json`` goes, stage by stage, in one process.

The imports are timed first, in this fresh process (`import pandas`, which the
baseline pays too, then the modules the command adds). The command itself then
runs in-process through ``vsm_widgets.cli.main`` with timers wrapped around the
functions that make up its stages; the rest of the run (parsing the arguments,
quality report, JSON) is shown as "everything else". Each stage is the median of
``--runs`` runs of the command, in this one process. The whole-process budget is
measured by `run.py`; this shows where its time goes.

Usage::

    python benchmarks/stages.py [ROWS] [--runs 5] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import time

_BEGAN = time.perf_counter()
import pandas  # noqa: E402, F401  (timed: the baseline pays for it too)

_PANDAS = time.perf_counter() - _BEGAN

import vsm_widgets.cli  # noqa: E402
import vsm_widgets.io.exports  # noqa: E402
import vsm_widgets.metrics.flow  # noqa: E402
import vsm_widgets.metrics.partition  # noqa: E402

_IMPORTS = time.perf_counter() - _BEGAN - _PANDAS

from vsm_widgets.allocator import keep_freed_memory  # noqa: E402

keep_freed_memory()  # as the `vsm` console script does for `vsm metrics`

import argparse  # noqa: E402
import contextlib  # noqa: E402
import functools  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402
from report import load_average, replace_section  # noqa: E402

from vsm_widgets.io import tables  # noqa: E402

SECTION = "## vsm metrics: where the time goes"
# (object holding the function, its name, the stage it is timed as); the stages do not nest.
STAGES = (
    (tables.TableFile, "read", "read the CSV (pyarrow) into pandas"),
    (vsm_widgets.io.exports, "normalise_names", "names normalised; item and step hashed into codes once"),
    (vsm_widgets.io.exports, "_parse_times", "timestamps parsed to UTC"),
    (vsm_widgets.io.exports, "interval_visits", "quality checks, overlap flags and the sort of the visits"),
    (vsm_widgets.io.exports, "interval_items", "item table: first and last visits"),
    (vsm_widgets.io.exports, "inferred_flow_order", "flow order inferred"),
    (vsm_widgets.io.exports, "item_table", "item table: start points and done"),
    (vsm_widgets.metrics.flow, "summary", "`flow.summary`: items, steps, handoffs, WIP, throughput"),
    (vsm_widgets.metrics.partition, "partition", "the time partition (DESIGN 4.5), for `largest_wait`"),
)


def _timed(function, label: str, spent: dict[str, float]):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - began

    return wrapper


def profile(path: Path, runs: int) -> tuple[dict[str, list[float]], list[float]]:
    """Seconds per stage and for the whole command, one entry per run."""
    per_run: dict[str, list[float]] = defaultdict(list)
    totals = []
    for _ in range(runs):
        spent: dict[str, float] = defaultdict(float)
        originals = [(owner, name, getattr(owner, name)) for owner, name, _ in STAGES]
        for owner, name, label in STAGES:
            setattr(owner, name, _timed(getattr(owner, name), label, spent))
        began = time.perf_counter()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                code = vsm_widgets.cli.main(["metrics", str(path), "--json"])
        finally:
            for owner, name, original in originals:
                setattr(owner, name, original)
        if code != 0:
            raise SystemExit(f"vsm metrics failed with exit code {code}")
        totals.append(time.perf_counter() - began)
        for _, _, label in STAGES:
            per_run[label].append(spent[label])
        per_run["everything else"].append(totals[-1] - sum(spent.values()))
    return per_run, totals


def report(rows: int, per_run: dict[str, list[float]], totals: list[float], invocation: str, loads) -> str:
    lines = [
        SECTION,
        "",
        f"Profiled {time.strftime('%Y-%m-%d')} on the same machine, {rows:,} rows, with "
        f"`{invocation}`: timers around each stage of `vsm metrics --json`, run {len(totals)} times in one",
        f"process after the imports (medians; load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}).",
        "",
        "| stage | seconds |",
        "|---|---:|",
        f"| imports: `import pandas` (the baseline pays it too) | {_PANDAS:.2f} |",
        f"| imports: the modules `vsm metrics` adds | {_IMPORTS:.2f} |",
    ]
    for label, seconds in per_run.items():
        lines.append(f"| {label} | {statistics.median(seconds):.2f} |")
    lines.append(f"| **the command after its imports** | **{statistics.median(totals):.2f}** |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=make_data.DEFAULT_OUT, help="folder of the generated exports")
    parser.add_argument("--write", type=Path, metavar="FILE", help=f"update the '{SECTION}' section of FILE")
    args = parser.parse_args(argv)
    path = make_data.write(args.rows, args.data.resolve())
    invocation = "python benchmarks/stages.py " + " ".join(sys.argv[1:] if argv is None else argv)
    before = load_average()
    per_run, totals = profile(path, args.runs)
    section = report(args.rows, per_run, totals, invocation.strip(), (before, load_average()))
    print(section)
    if args.write:
        replace_section(args.write, SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
