"""Time readouts against the budgets of DESIGN section 5.

Two measurements:

1. One readout, kernel start to HTML on disk: `render_readout` and `write_readout` in
   this process on one sample export (one untimed warm-up run first, then ``--runs``
   timed runs; the median counts).
2. A batch of ``--batch`` inputs (the sample exports, cycled, each with its mapping
   file) as whole ``vsm readout`` processes, the way ``make readouts`` runs: one after
   another (``--workers 1``) and on 2 workers, alternating when repeated. The budget is
   the ratio: 2 workers in at most 0.65 x the time of 1. Beside it stands the mean time
   of one readout inside each batch (kernel start to rendered page, as ``vsm readout``
   reports it): when readouts take longer on 2 workers than on 1, they were short of
   cores (on a 2-core machine, often because other work was running).

Usage::

    python benchmarks/bench_readouts.py                                   # the "readout" notebook
    python benchmarks/bench_readouts.py --notebook tests/notebooks/ok.ipynb --batch 6
    python benchmarks/bench_readouts.py --write docs/benchmarks.md        # also update "## Readouts"

The exit code is 1 when a budget is missed or a readout fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from report import load_average, replace_section

from vsm_widgets.readout.batch_jobs import companion_file, plan_readouts
from vsm_widgets.readout.execute import render_readout, write_readout
from vsm_widgets.readout.notebook_paths import find_notebook

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
SECTION = "## Readouts"
ONE_READOUT_BUDGET_S = 10.0
BATCH_RATIO_BUDGET = 0.65
MAX_PAGE_BYTES = 1_500_000


@dataclass
class BatchRuns:
    """Whole-process runs of one batch mode."""

    workers: int
    seconds: list[float] = field(default_factory=list)
    readout_seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def readout_mean(self) -> float:
        return statistics.mean(self.readout_seconds)


@dataclass
class Measurements:
    """Every timed run."""

    single: list[float]
    sequential: BatchRuns
    parallel: BatchRuns
    largest_page: int
    batch: int

    @property
    def single_median(self) -> float:
        return statistics.median(self.single)

    @property
    def ratio(self) -> float:
        return self.parallel.median / self.sequential.median

    def verdicts(self) -> list[bool]:
        return [
            self.single_median < ONE_READOUT_BUDGET_S,
            self.ratio <= BATCH_RATIO_BUDGET,
            self.largest_page < MAX_PAGE_BYTES,
        ]


def sample_inputs(folder: Path, count: int) -> list[Path]:
    """`count` copies of the sample exports, cycled, each with its mapping file beside it."""
    exports = sorted(SAMPLES.glob("*.csv"))
    inputs = []
    for number in range(count):
        source = exports[number % len(exports)]
        target = folder / f"{source.stem}_{number + 1:02d}.csv"
        shutil.copy(source, target)
        mapping = companion_file(source, "mapping")
        if mapping:
            shutil.copy(mapping, target.with_name(f"{target.stem}.mapping{mapping.suffix}"))
        inputs.append(target)
    return inputs


def time_single(notebook: Path, export: Path, out: Path, runs: int) -> list[float]:
    """Kernel start to HTML on disk, in this process."""
    (job,) = plan_readouts([export], notebook)
    seconds = []
    for run in range(runs + 1):
        began = time.perf_counter()
        write_readout(render_readout(job), out)
        if run:  # the first run warms the page cache
            seconds.append(time.perf_counter() - began)
    return seconds


def time_batch(notebook: Path, inputs: list[Path], out: Path, runs: BatchRuns) -> int:
    """Run ``vsm readout`` once with ``runs.workers`` workers; record its times, return its largest page."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "vsm_widgets.cli", "readout", *map(str, inputs), "--out", str(out)]
    command += ["--notebook", str(notebook), "--workers", str(runs.workers)]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"`{shlex.join(command)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    runs.seconds.append(seconds)
    # Batch.format() ends the line of each produced readout with its time, e.g. "(6.3 s)".
    runs.readout_seconds += [float(s) for s in re.findall(r"^  ok .*\((\d+\.\d+) s\)$", done.stdout, re.MULTILINE)]
    return max(page.stat().st_size for page in out.glob("*.html") if page.name != "index.html")


def machine() -> str:
    """The machine in one line."""
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("papermill", "nbclient", "ipykernel", "altair"))
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} CPUs, {system}, {versions}"


def section(measured: Measurements, notebook: Path, invocation: str, loads: tuple[str, str]) -> str:
    """The Markdown section for docs/benchmarks.md."""
    one, ratio, size = ("yes" if ok else "no" for ok in measured.verdicts())
    seq, par = measured.sequential, measured.parallel
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        f"Produced by `{invocation}`.",
        f"Load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}.",
        f"Notebook `{_shown(notebook)}`; inputs are the sample exports in `data/samples/`, cycled, each with its "
        "mapping file. The single readout is timed in one process from kernel start to HTML on disk; the batches "
        "are whole `vsm readout` processes (interpreter start and imports included). Times are wall-clock medians; "
        "one readout in a batch is the mean time from kernel start to rendered page that `vsm readout` reports.",
        "",
        "| what | runs | median s | one readout in it, s | budget | met |",
        "|---|---:|---:|---:|---|---|",
        f"| one readout, kernel start to HTML on disk | {len(measured.single)} | {measured.single_median:.2f} | "
        f"| < {ONE_READOUT_BUDGET_S:g} s | {one} |",
        f"| batch of {measured.batch}, one after another (`--workers 1`) | {len(seq.seconds)} | {seq.median:.2f} "
        f"| {seq.readout_mean:.2f} | | |",
        f"| batch of {measured.batch} on 2 workers (`--workers 2`) | {len(par.seconds)} | {par.median:.2f} "
        f"| {par.readout_mean:.2f} | ≤ {BATCH_RATIO_BUDGET} × one after another "
        f"| {ratio} (ratio {measured.ratio:.2f}) |",
        f"| largest page | | {measured.largest_page / 1e6:.3f} MB | | < {MAX_PAGE_BYTES / 1e6:g} MB | {size} |",
        "",
        "Every run in seconds:",
        "",
        f"- one readout: {', '.join(f'{s:.2f}' for s in measured.single)}",
    ]
    for runs in (seq, par):
        lines.append(f"- batch, `--workers {runs.workers}`: {', '.join(f'{s:.1f}' for s in runs.seconds)}")
    return "\n".join([*lines, ""])


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="readout", help="notebook name or .ipynb path (default: readout)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the single readout (default: 5)")
    parser.add_argument("--batch", type=int, default=20, help="inputs in the batch (default: 20)")
    parser.add_argument("--batch-runs", type=int, default=1, help="runs of each batch mode (default: 1)")
    parser.add_argument("--write", type=Path, metavar="FILE", help="replace the '## Readouts' section of FILE")
    args = parser.parse_args(argv)

    notebook = find_notebook(args.notebook)
    load_before = load_average()
    sequential, parallel = BatchRuns(workers=1), BatchRuns(workers=2)
    with tempfile.TemporaryDirectory(prefix="vsm-bench-") as scratch:
        folder = Path(scratch)
        (folder / "inputs").mkdir()
        inputs = sample_inputs(folder / "inputs", args.batch)
        single = time_single(notebook, inputs[0], folder, args.runs)
        largest = 0
        # Alternate the two modes, so that drift on a noisy machine hits both alike.
        for _ in range(args.batch_runs):
            for runs in (sequential, parallel):
                largest = max(largest, time_batch(notebook, inputs, folder / f"out{runs.workers}", runs))
    measured = Measurements(single, sequential, parallel, largest, args.batch)
    invocation = "python benchmarks/bench_readouts.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    text = section(measured, notebook, invocation.strip(), (load_before, load_average()))
    print(text)
    if args.write:
        replace_section(args.write, SECTION, text)
    return 0 if all(measured.verdicts()) else 1


if __name__ == "__main__":
    sys.exit(main())
