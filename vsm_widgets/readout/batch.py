"""Batch readouts: one notebook run per input, in parallel, into one folder with an index.

`render_readouts` is what ``vsm readout`` and ``make readouts`` call. For every
input (a timing export or a map file) it runs a readout notebook with papermill
(`vsm_widgets.readout.execute`), writes ``NAME.html`` and the executed ``NAME.ipynb``
into the output folder, and finally ``index.html`` (`vsm_widgets.readout.batch_index`). What
each input's notebook is given is decided in `vsm_widgets.readout.batch_jobs`.

Any `concurrent.futures.Executor` runs the batch. By default it is a local
process pool with ``workers`` processes (2), each keeping one warm kernel for
readout after readout (`vsm_widgets.readout.warm_kernel`; ``fresh_kernels`` starts
a new kernel for each input instead);
``Client(LocalCluster(...)).get_executor()`` from dask.distributed runs it on a
cluster. The workers only compute: every file is written here, by the process
that owns the folder, so a failed or interrupted input leaves nothing behind
and an input that fails does not stop the others.

SIGTERM stops a batch as Ctrl-C does, and the workers end with the batch's
process even when it is killed with SIGKILL (`vsm_widgets.readout.batch_workers`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.readout.batch_index import IndexRow, write_index
from vsm_widgets.readout.batch_jobs import output_folder, plan_readouts
from vsm_widgets.readout.batch_workers import local_pool, sigterm_as_interrupt, terminate
from vsm_widgets.readout.execute import ReadoutJob, RenderedReadout, render_readout, write_readout
from vsm_widgets.readout.notebook_paths import find_notebook
from vsm_widgets.readout.warm_kernel import render_readout_warm

DEFAULT_WORKERS = 2
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadoutResult:
    """What became of one input.

    Parameters
    ----------
    name : str
        The readout's name (the input's file name without suffix, made unique).
    input : Path
        The input file.
    error : str or None
        Why it failed; None when it was produced.
    html_path, notebook_path : Path or None
        The page and the executed notebook; None when it failed.
    summary : dict or None
        The headline numbers the notebook displayed.
    seconds : float
        Time from kernel start to rendered page (0 when it never ran).
    """

    name: str
    input: Path
    error: str | None = None
    html_path: Path | None = None
    notebook_path: Path | None = None
    summary: dict[str, Any] | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the readout was produced."""
        return self.error is None


@dataclass(frozen=True)
class Batch:
    """The outcome of `render_readouts`.

    Parameters
    ----------
    results : tuple of ReadoutResult
        One per input, in the order given.
    out_dir : Path
        The output folder.
    index_path : Path
        The batch's ``index.html``.
    notebook : str
        The notebook that was run.
    runner : str
        What ran the batch, e.g. ``"2 worker processes"``.
    seconds : float
        Wall time of the whole batch.
    """

    results: tuple[ReadoutResult, ...]
    out_dir: Path
    index_path: Path
    notebook: str
    runner: str
    seconds: float

    @property
    def ok(self) -> bool:
        """True when every input produced its readout."""
        return all(result.ok for result in self.results)

    @property
    def failed(self) -> tuple[ReadoutResult, ...]:
        """The inputs that failed."""
        return tuple(result for result in self.results if not result.ok)

    def format(self) -> str:
        """A report for the terminal: one line per input, then where the index is.

        Returns
        -------
        str
        """
        produced = len(self.results) - len(self.failed)
        lines = [
            f"{produced} of {len(self.results)} readouts produced in {self.seconds:.1f} s "
            f"(notebook {self.notebook}, {self.runner})"
        ]
        width = max(len(result.name) for result in self.results)
        for result in self.results:
            if result.ok:
                lines.append(f"  ok      {result.name:<{width}}  {result.html_path}  ({result.seconds:.1f} s)")
            else:
                lines.append(f"  FAILED  {result.name:<{width}}  {result.input}: {result.error}")
        lines.append(f"Index: {self.index_path}")
        return "\n".join(lines)


class BatchFailedError(ReadoutError):
    """Some inputs of a batch failed; the others were still written, and so was the index.

    Parameters
    ----------
    batch : Batch
        The whole outcome, for a caller that wants the readouts that were produced.
    """

    def __init__(self, batch: Batch) -> None:
        super().__init__(f"{len(batch.failed)} of {len(batch.results)} readouts failed\n{batch.format()}")
        self.batch = batch


def render_readouts(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    scenario: str | Path | None = None,
    mapping: str | Path | None = None,
    notebook: str | Path = "readout",
    workers: int | None = None,
    executor: cf.Executor | None = None,
    progress: bool = False,
    parameters: Mapping[str, Any] | None = None,
    check: bool = True,
    fresh_kernels: bool = False,
) -> Batch:
    """Render one readout per input into `out_dir`, with an ``index.html`` across them.

    Parameters
    ----------
    inputs : iterable of str or Path
        Timing exports or map files, one readout each.
    out_dir : str or Path
        Folder for ``NAME.html``, ``NAME.ipynb`` and ``index.html``; created if missing.
    scenario : str or Path, optional
        Scenario file for every input. By default ``NAME.scenario.yaml`` beside each input,
        if there is one.
    mapping : str or Path, optional
        Mapping file for every export. By default ``NAME.mapping.yaml`` beside each input,
        if there is one.
    notebook : str or Path, optional
        A notebook name in the package (``"readout"``, ``"current_state"`` ...) or the path of
        an ``.ipynb`` file. Its parameters cell must declare ``input_path``.
    workers : int, optional
        Processes of the default local pool (2). Ignored when `executor` is given.
    executor : concurrent.futures.Executor, optional
        Runs the readouts instead of the local pool, e.g. a dask.distributed
        ``Client.get_executor()``. It is not shut down; its workers must be able to read the
        inputs at the same paths.
    progress : bool, optional
        Show a progress bar on standard error, unless the environment sets ``TQDM_DISABLE``.
        Failures are logged (logger ``vsm_widgets.readout.batch``) either way.
    parameters : mapping, optional
        More parameters for the notebook, the same for every input.
    check : bool, optional
        Raise `BatchFailedError` when any input failed (the default), so a script that does not
        look at ``Batch.ok`` still ends in an error. With False the failures are only in the
        returned `Batch`.
    fresh_kernels : bool, optional
        Start a new kernel for every input instead of keeping one warm kernel per worker
        (slower: each readout then pays the kernel's start and imports).

    Returns
    -------
    Batch
        Per input: produced or failed with its error. ``Batch.ok`` is False when any failed.

    Raises
    ------
    BatchFailedError
        With `check`, after the batch, when any input failed; its ``batch`` holds the outcome.
    ReadoutError
        Before anything runs, when the batch cannot be run at all: no inputs, a missing input,
        mapping or scenario file, an unknown notebook, parameters the notebook does not
        declare, or fewer than one worker.
    KeyboardInterrupt
        When interrupted (`vsm_widgets.readout.batch_workers.Terminated` on SIGTERM);
        readouts finished so far stay, nothing partial is left.
    """
    began = time.perf_counter()
    _refuse_inside_a_worker()
    if workers is not None and workers < 1:
        raise ReadoutError(f"workers must be 1 or more, not {workers}")
    notebook_path = find_notebook(notebook)
    jobs = plan_readouts(inputs, notebook_path, scenario=scenario, mapping=mapping, parameters=parameters)
    folder = output_folder(out_dir)
    render = render_readout if fresh_kernels else render_readout_warm
    if executor is None:
        count = min(workers or DEFAULT_WORKERS, len(jobs))
        runner = f"{count} worker process{'es' if count > 1 else ''}"
        with sigterm_as_interrupt(), local_pool(count) as pool:
            results = _run(jobs, pool, folder, render, progress=progress, owned=True)
    else:
        runner = type(executor).__name__
        with sigterm_as_interrupt():
            results = _run(jobs, executor, folder, render, progress=progress, owned=False)
    rows = [
        IndexRow(
            name=r.name,
            input=str(r.input),
            href=urllib.parse.quote(r.html_path.name) if r.html_path else None,
            summary=r.summary,
            error=r.error,
        )
        for r in results
    ]
    index_path = write_index(rows, folder, notebook=notebook_path.stem)
    batch = Batch(tuple(results), folder, index_path, notebook_path.stem, runner, time.perf_counter() - began)
    if check and not batch.ok:
        raise BatchFailedError(batch)
    return batch


MAIN_GUARD_HINT = (
    'a script that calls render_readouts must do so under `if __name__ == "__main__":`, '
    "because every worker process imports the script again"
)


def _refuse_inside_a_worker() -> None:
    """Refuse a batch started while a worker process imports the caller's script (no main guard).

    Without the guard each worker would start a batch of its own; failing here ends that worker
    at once, and the caller's batch reports `MAIN_GUARD_HINT`.
    """
    if getattr(sys.modules.get("__main__"), "__name__", None) == "__mp_main__":
        raise ReadoutError(MAIN_GUARD_HINT[0].upper() + MAIN_GUARD_HINT[1:])


def _run(
    jobs: list[ReadoutJob],
    executor: cf.Executor,
    folder: Path,
    render: Callable[[ReadoutJob], RenderedReadout],
    *,
    progress: bool,
    owned: bool,
) -> list[ReadoutResult]:
    """Run the jobs, writing each readout as it arrives; results in input order."""
    futures = {executor.submit(render, job): index for index, job in enumerate(jobs)}
    results: list[ReadoutResult | None] = [None] * len(jobs)
    # Not passing `disable` when a bar is wanted leaves tqdm's TQDM_DISABLE in charge.
    shown = {} if progress else {"disable": True}
    bar = tqdm(total=len(jobs), desc="readouts", unit="readout", file=sys.stderr, **shown)
    redirect = logging_redirect_tqdm([logging.getLogger("vsm_widgets")]) if progress else contextlib.nullcontext()
    try:
        with redirect:
            for future in cf.as_completed(futures):
                index = futures[future]
                results[index] = _collect(future, jobs[index], folder)
                if not results[index].ok:
                    logger.warning("%s: failed: %s", jobs[index].name, results[index].error)
                bar.set_postfix_str(jobs[index].name, refresh=False)
                bar.update()
    except BaseException:
        for future in futures:
            future.cancel()
        if owned:
            terminate(executor)
        raise
    finally:
        bar.close()
    return results


def _collect(future: cf.Future, job: ReadoutJob, folder: Path) -> ReadoutResult:
    """Write one finished readout, or record why it failed."""
    try:
        rendered: RenderedReadout = future.result()
        html_path, notebook_path = write_readout(rendered, folder)
    except ReadoutError as error:
        return ReadoutResult(job.name, Path(job.source), error=str(error))
    # Anything else one input hits (a worker that died, a full disk) is that input's failure:
    # the others go on.
    except BrokenProcessPool as error:
        hint = f"A worker process died; if this runs from a script, note that {MAIN_GUARD_HINT}"
        return ReadoutResult(job.name, Path(job.source), error=f"BrokenProcessPool: {error} {hint}")
    except Exception as error:
        return ReadoutResult(job.name, Path(job.source), error=f"{type(error).__name__}: {error}")
    return ReadoutResult(job.name, Path(job.source), None, html_path, notebook_path, rendered.summary, rendered.seconds)
