"""Time readouts against the budgets of DESIGN section 5: one readout, and batches from warm kernels.

Three measurements:

1. One readout in a fresh kernel, kernel start to HTML on disk: `render_readout` and
   `write_readout` in this process on one sample export (one untimed run first, then
   ``--runs`` timed runs; the median counts). Budget: under 10 s.
2. Batches of each ``--sizes`` inputs (the sample exports, cycled, each with its mapping
   file) as whole ``vsm readout --workers 2`` processes, the way ``make readouts`` runs:
   with warm kernels (the default) and with ``--fresh-kernels``, alternating, ``--batch-runs``
   times each (one count per size). Budgets: 20 warm readouts in at most 30 s, 100 in at
   most 150 s.
3. Where one readout's time goes, in this process: a fresh kernel's start, the warm kernel's
   start and warm-up (once per worker), the reset before each warm readout, the notebook's
   cells (papermill's per-cell durations), the rest of papermill's run, and the HTML page.

Usage::

    python benchmarks/bench_readouts.py                                   # 20 and 100 inputs, one run each
    python benchmarks/bench_readouts.py --sizes 20 100 --batch-runs 3 1   # medians of 3 at 20
    python benchmarks/bench_readouts.py --write docs/benchmarks.md        # also update "## Readouts"

The exit code is 1 when a budget is missed or a readout fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
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

import nbformat
from report import load_average, replace_section

from vsm_widgets.readout.batch_jobs import companion_file, plan_readouts
from vsm_widgets.readout.execute import execute_notebook, render_page, render_readout, write_readout
from vsm_widgets.readout.notebook_paths import find_notebook
from vsm_widgets.readout.warm_kernel import WarmKernel, is_shipped

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
SECTION = "## Readouts"
ONE_READOUT_BUDGET_S = 10.0
BATCH_BUDGETS_S = {20: 30.0, 100: 150.0}
MAX_PAGE_BYTES = 1_500_000
PROFILE_READOUTS = 5


@dataclass
class BatchRuns:
    """Whole-process runs of one batch size in one kernel mode."""

    size: int
    warm: bool
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def budget(self) -> float | None:
        return BATCH_BUDGETS_S.get(self.size) if self.warm else None

    @property
    def met(self) -> bool:
        return self.budget is None or self.median <= self.budget


def sample_inputs(folder: Path, count: int) -> list[Path]:
    """`count` copies of the sample exports, cycled, each with its mapping file beside it."""
    exports = sorted(SAMPLES.glob("*.csv"))
    inputs = []
    for number in range(count):
        source = exports[number % len(exports)]
        target = folder / f"{source.stem}_{number + 1:03d}.csv"
        shutil.copy(source, target)
        mapping = companion_file(source, "mapping")
        if mapping:
            shutil.copy(mapping, target.with_name(f"{target.stem}.mapping{mapping.suffix}"))
        inputs.append(target)
    return inputs


def time_single(notebook: Path, export: Path, out: Path, runs: int) -> list[float]:
    """Kernel start to HTML on disk in a fresh kernel, in this process."""
    (job,) = plan_readouts([export], notebook)
    seconds = []
    for run in range(runs + 1):
        began = time.perf_counter()
        write_readout(render_readout(job), out)
        if run:  # the first run warms the page cache
            seconds.append(time.perf_counter() - began)
    return seconds


def time_batch(notebook: Path, inputs: list[Path], out: Path, runs: BatchRuns) -> int:
    """Run ``vsm readout`` once; record its time, return its largest page."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "vsm_widgets.cli", "readout", *map(str, inputs), "--out", str(out)]
    command += ["--notebook", str(notebook), "--workers", "2", *([] if runs.warm else ["--fresh-kernels"])]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"`{shlex.join(command)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    runs.seconds.append(seconds)
    return max(page.stat().st_size for page in out.glob("*.html") if page.name != "index.html")


def profile(notebook: Path, inputs: list[Path]) -> dict[str, list[float]]:
    """Seconds per stage of a readout, fresh and warm, in this process."""
    jobs = plan_readouts(inputs[:PROFILE_READOUTS], notebook)
    stages: dict[str, list[float]] = {}

    def add(stage: str, seconds: float) -> None:
        stages.setdefault(stage, []).append(seconds)

    for job in jobs[:3]:
        began = time.perf_counter()
        nb = execute_notebook(nbformat.reads(job.notebook, as_version=4), job.parameters)
        executed = time.perf_counter() - began
        cells = _cell_seconds(nb)
        add("fresh: kernel start (papermill's run less the cells)", executed - cells)
        add("fresh: notebook cells, the imports in the first included", cells)
    kernel = WarmKernel(jobs[0].kernel_name, 2, 120, jobs[0].notebook if is_shipped(jobs[0]) else "")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        kernel.prepare(workdir)
    add("warm: kernel start and warm-up, once per worker", time.perf_counter() - began)
    try:
        for job in jobs:
            with tempfile.TemporaryDirectory() as workdir:
                began = time.perf_counter()
                kernel.prepare(workdir)
                add("warm: reset before a readout", time.perf_counter() - began)
            began = time.perf_counter()
            nb = nbformat.reads(job.notebook, as_version=4)
            nb = kernel.execute(nb, job.parameters, source="", cell_timeout=None)
            executed = time.perf_counter() - began
            cells = _cell_seconds(nb)
            add("warm: notebook cells", cells)
            add("warm: papermill's run less the cells (a second reset included)", executed - cells)
            began = time.perf_counter()
            render_page(nb, name=job.name, notebook_name=job.notebook_name)
            add("HTML page (nbconvert, offline checks)", time.perf_counter() - began)
    finally:
        kernel.shutdown()
    return stages


def _cell_seconds(nb: nbformat.NotebookNode) -> float:
    return sum(cell.metadata.get("papermill", {}).get("duration") or 0.0 for cell in nb.cells)


def machine() -> str:
    """The machine in one line."""
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("papermill", "nbclient", "ipykernel", "altair"))
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} CPUs, {system}, {versions}"


def section(
    single: list[float],
    batches: list[BatchRuns],
    stages: dict[str, list[float]],
    largest: int,
    notebook: Path,
    invocation: str,
    loads: list[str],
) -> str:
    """The Markdown section for docs/benchmarks.md."""
    one = statistics.median(single)
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        f"Produced by `{invocation}`.",
        f"Load average (1, 5, 15 min) before, between the stages and after: {'; '.join(loads)}.",
        f"Notebook `{_shown(notebook)}`; inputs are the sample exports in `data/samples/`, cycled, each with its "
        "mapping file. The single readout is timed in one process from kernel start to HTML on disk; the batches "
        "are whole `vsm readout --workers 2` processes (interpreter start and imports included), with warm kernels "
        "(the default) and with `--fresh-kernels`, alternating. Times are wall-clock medians.",
        "",
        "| what | runs | median s | per readout, s | budget | met |",
        "|---|---:|---:|---:|---|---|",
        f"| one readout, fresh kernel, kernel start to HTML on disk | {len(single)} | {one:.2f} | "
        f"| < {ONE_READOUT_BUDGET_S:g} s | {'yes' if one < ONE_READOUT_BUDGET_S else 'no'} |",
    ]
    for runs in batches:
        kind = "warm kernels" if runs.warm else "fresh kernels"
        budget = f"≤ {runs.budget:g} s" if runs.budget else ""
        met = ("yes" if runs.met else "no") if runs.budget else ""
        lines.append(
            f"| batch of {runs.size}, 2 workers, {kind} | {len(runs.seconds)} | {runs.median:.1f} "
            f"| {runs.median / runs.size:.2f} | {budget} | {met} |"
        )
    lines += [
        f"| largest page | | {largest / 1e6:.3f} MB | | < {MAX_PAGE_BYTES / 1e6:g} MB "
        f"| {'yes' if largest < MAX_PAGE_BYTES else 'no'} |",
        "",
    ]
    for size in sorted({runs.size for runs in batches}):
        pair = {runs.warm: runs for runs in batches if runs.size == size}
        if len(pair) == 2:
            lines.append(
                f"At {size} inputs the warm batch takes {pair[True].median / pair[False].median:.2f} × the fresh one."
            )
    lines += [
        "",
        "Where one readout's time goes (in this process, one kernel at a time; median seconds):",
        "",
        "| stage | runs | median s |",
        "|---|---:|---:|",
        *(f"| {stage} | {len(seconds)} | {statistics.median(seconds):.2f} |" for stage, seconds in stages.items()),
        "",
        "Every run in seconds:",
        "",
        f"- one readout: {', '.join(f'{s:.2f}' for s in single)}",
        *(
            f"- batch of {runs.size}, {'warm' if runs.warm else 'fresh'}: {', '.join(f'{s:.1f}' for s in runs.seconds)}"
            for runs in batches
        ),
    ]
    return "\n".join([*lines, ""])


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="readout", help="notebook name or .ipynb path (default: readout)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the single readout (default: 3)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100], help="batch sizes (default: 20 100)")
    parser.add_argument("--batch-runs", type=int, nargs="+", default=[1], help="runs of each mode, per size")
    parser.add_argument("--write", type=Path, metavar="FILE", help="replace the '## Readouts' section of FILE")
    args = parser.parse_args(argv)
    counts = args.batch_runs + [args.batch_runs[-1]] * (len(args.sizes) - len(args.batch_runs))

    notebook = find_notebook(args.notebook)
    loads = [load_average()]
    batches: list[BatchRuns] = []
    with tempfile.TemporaryDirectory(prefix="vsm-bench-") as scratch:
        folder = Path(scratch)
        (folder / "inputs").mkdir()
        inputs = sample_inputs(folder / "inputs", max(args.sizes))
        single = time_single(notebook, inputs[0], folder, args.runs)
        stages = profile(notebook, inputs)
        loads.append(load_average())
        largest = 0
        for size, count in zip(args.sizes, counts, strict=True):
            pair = [BatchRuns(size, warm=False), BatchRuns(size, warm=True)]
            # Alternate the two modes, so that drift on a noisy machine hits both alike.
            for _ in range(count):
                for runs in pair:
                    largest = max(largest, time_batch(notebook, inputs[:size], folder / "out", runs))
            batches += pair
            loads.append(load_average())
    invocation = "python benchmarks/bench_readouts.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    text = section(single, batches, stages, largest, notebook, invocation.strip(), loads)
    print(text)
    if args.write:
        replace_section(args.write, SECTION, text)
    met = statistics.median(single) < ONE_READOUT_BUDGET_S and largest < MAX_PAGE_BYTES
    return 0 if met and all(runs.met for runs in batches) else 1


if __name__ == "__main__":
    sys.exit(main())
