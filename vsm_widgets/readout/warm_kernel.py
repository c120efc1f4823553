"""Readouts from a warm kernel: one kernel per worker, imports done once, reset between readouts.

Starting a kernel and importing pandas, Altair, vl-convert and the package takes most of a
readout's time, and a batch pays it for every input. Here each worker process (or thread, under
dask) keeps one kernel. It is started once and warmed up (`vsm_widgets.readout.kernel_state.warm_up`);
before each readout it is reset (`kernel_state.reset`) and moved to a new empty working folder.
Papermill still parameterises and runs the notebook, through an engine (`WarmKernelEngine`) that
hands nbclient the running kernel's manager instead of letting it start one.

Why a reset and not a new kernel forked from a warm one: jupyter_client starts kernels as new
processes with their own sockets, and a fork of a running kernel would share the template's
ZeroMQ state. The reset is made complete by refusing what it cannot undo: it puts back the
state a notebook can change through public means (names, options, themes, random state, the
working folder, the environment, display formatters) and compares the identity of every module
and class attribute of the packages the readouts use. When anything differs, or a module was
imported, the kernel is restarted before the next readout; so is it after any failure, a dead
kernel or a cell that ran too long. A readout therefore sees either a kernel as `warm_up` left it
or a new one. `vsm readout --fresh-kernels` runs every readout in a new kernel instead.
"""

from __future__ import annotations

import copy
import logging
import multiprocessing.util
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.readout.execute import (
    KERNEL_ARGUMENTS,
    Progress,
    ReadoutJob,
    RenderedReadout,
    execution_failures,
    render_page,
)
from vsm_widgets.readout.notebook_paths import find_notebook

ENGINE_NAME = "vsm-warm-kernel"
# As nbclient starts a fresh kernel: IPython's history in memory, not in a SQLite file that the
# kernels of a batch would share and write on every reset.
IN_MEMORY_HISTORY = "--HistoryManager.hist_file=:memory:"
logger = logging.getLogger(__name__)
_local = threading.local()


class WarmKernelEngine(NBClientEngine):
    """Papermill's nbclient engine, run in a kernel that is already running and stays so."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: float = 60,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """Execute the notebook in ``kwargs["kernel_manager"]``'s kernel, leaving it running.

        Parameters
        ----------
        nb_man : NotebookExecutionManager
            Papermill's wrapper of the notebook being executed.
        kernel_name : str
            The kernel's name, for the notebook's metadata.
        log_output, stdout_file, stderr_file, start_timeout, execution_timeout
            As for papermill's nbclient engine.
        **kwargs
            ``kernel_manager`` (required), then options of nbclient's client.

        Returns
        -------
        NotebookNode
            The executed notebook.
        """
        kwargs.pop("input_path", None)
        client = PapermillNotebookClient(
            nb_man,
            km=kwargs.pop("kernel_manager"),
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logging.getLogger("papermill"),
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        try:
            return client.execute()
        finally:
            # nbclient leaves the channels of a kernel it does not own open.
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


class WarmKernel:
    """One kernel kept warm for readout after readout.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel to run.
    start_attempts : int
        How many times to try starting it.
    start_timeout : float
        Seconds to wait for it to start and for the warm-up.
    notebook : str, optional
        A notebook's JSON text to warm the kernel with (`kernel_state.warm_up`).
    """

    def __init__(self, kernel_name: str, start_attempts: int, start_timeout: float, notebook: str = "") -> None:
        self.kernel_name = kernel_name
        self.notebook = notebook
        self.start_attempts = start_attempts
        self.start_timeout = start_timeout
        self.manager: AsyncKernelManager | None = None
        self.starts = 0

    def execute(
        self, nb: nbformat.NotebookNode, parameters: dict[str, Any], *, source: str, cell_timeout: float | None
    ) -> nbformat.NotebookNode:
        """Execute a notebook in the warm kernel, reset first; restart the kernel after any failure.

        Parameters
        ----------
        nb : NotebookNode
            The notebook; not modified.
        parameters : dict
            What papermill injects.
        source : str
            The notebook's name, recorded as papermill's ``input_path``.
        cell_timeout : float or None
            Seconds a cell may run.

        Returns
        -------
        NotebookNode
            The executed notebook.

        Raises
        ------
        ReadoutError
            As `vsm_widgets.readout.execute.execute_notebook`.
        """
        with tempfile.TemporaryDirectory(prefix="vsm-readout-") as workdir:
            self.prepare(workdir)
            progress = Progress(ready=True)
            try:
                with execution_failures(progress, kernel_name=self.kernel_name, cell_timeout=cell_timeout):
                    executed = papermill.execute_notebook(
                        copy.deepcopy(nb),
                        None,
                        parameters=parameters,
                        engine_name=ENGINE_NAME,
                        kernel_manager=self.manager,
                        kernel_name=self.kernel_name,
                        progress_bar=False,
                        start_timeout=self.start_timeout,
                        execution_timeout=cell_timeout,
                        on_cell_start=progress.cell_started,
                    )
            except BaseException:
                self.shutdown()
                raise
        executed.metadata.papermill["input_path"] = source
        return executed

    def prepare(self, workdir: str) -> None:
        """Make the kernel as `warm_up` left it, in `workdir`: reset, or restarted if the reset is not enough.

        `execute` calls it first; a benchmark calls it alone to time the reset.

        Parameters
        ----------
        workdir : str
            The next readout's working folder.

        Raises
        ------
        ReadoutError
            If no kernel starts, or a new kernel does not come back to its warm state.
        """
        if self.manager is not None:
            changes = self._reset(workdir)
            if not changes:
                return
            logger.debug("restarting the kernel: %s", "; ".join(changes[:5]))
            self.shutdown()
        self._start()
        changes = self._reset(workdir)
        if changes:
            self.shutdown()
            raise ReadoutError(f"a new kernel did not come back to its warm state: {'; '.join(changes[:5])}")

    def _start(self) -> None:
        failure: Exception | None = None
        for _ in range(self.start_attempts):
            manager = AsyncKernelManager(kernel_name=self.kernel_name)
            progress = Progress()
            try:
                with execution_failures(progress, kernel_name=self.kernel_name, cell_timeout=self.start_timeout):
                    run_sync(manager.start_kernel)(
                        extra_arguments=[*KERNEL_ARGUMENTS, IN_MEMORY_HISTORY], cwd=tempfile.gettempdir()
                    )
                    self.manager = manager
                    progress.ready = True
                    self._run(
                        "from vsm_widgets.readout import kernel_state\n"
                        f"kernel_state.warm_up({os.getpid()}, {self.notebook!r})"
                    )
                self.starts += 1
                return
            except RuntimeError as error:  # jupyter_client's word for a kernel that did not answer
                self.shutdown(manager)
                failure = error
            except BaseException:
                self.shutdown(manager)
                raise
        raise ReadoutError(f"the {self.kernel_name!r} kernel did not start ({self.start_attempts} attempts): {failure}")

    def _reset(self, workdir: str) -> list[str]:
        """What the reset could not put back; a reset that fails is itself such a thing."""
        code = f"from vsm_widgets.readout import kernel_state\nprint(kernel_state.reset({workdir!r}))"
        try:
            outputs = self._run(code)
        except (ReadoutError, CellExecutionError, RuntimeError) as error:
            return [f"the reset failed: {error}"]
        text = "".join(output.get("text", "") for output in outputs).strip()
        return [] if text == "[]" else [text]

    def _run(self, code: str) -> list[nbformat.NotebookNode]:
        """Run one cell of our own in the kernel; its outputs."""
        nb = new_notebook(cells=[new_code_cell(code)])
        client = NotebookClient(nb, km=self.manager, timeout=self.start_timeout, startup_timeout=self.start_timeout)
        try:
            client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
        return nb.cells[0].outputs

    def shutdown(self, manager: AsyncKernelManager | None = None) -> None:
        """Stop the kernel now; the next readout starts another.

        Parameters
        ----------
        manager : AsyncKernelManager, optional
            A kernel being started; the warm one by default.
        """
        manager = manager or self.manager
        if manager is self.manager:
            self.manager = None
        if manager is None:
            return
        try:
            if manager.has_kernel:
                run_sync(manager.shutdown_kernel)(now=True)
        except Exception as error:  # a kernel already gone is what we wanted
            logger.debug("stopping a kernel: %s", error)
        finally:
            run_sync(manager.cleanup_resources)()


def render_readout_warm(job: ReadoutJob) -> RenderedReadout:
    """`vsm_widgets.readout.execute.render_readout`, in this worker's warm kernel.

    Parameters
    ----------
    job : ReadoutJob
        What to run.

    Returns
    -------
    RenderedReadout

    Raises
    ------
    ReadoutError
        If the notebook failed, its kernel died or did not start, or the page is not static.
    """
    began = time.perf_counter()
    kernel = worker_kernel(job)
    nb = kernel.execute(
        nbformat.reads(job.notebook, as_version=4),
        job.parameters,
        source=job.notebook_name,
        cell_timeout=job.cell_timeout,
    )
    html, summary = render_page(nb, name=job.name, notebook_name=job.notebook_name)
    return RenderedReadout(job.name, html, nbformat.writes(nb), summary, time.perf_counter() - began)


def worker_kernel(job: ReadoutJob) -> WarmKernel:
    """The warm kernel of the calling thread for the job's kernel name, made on first use.

    Parameters
    ----------
    job : ReadoutJob
        Says which kernel, and how to start it.

    Returns
    -------
    WarmKernel
        Warmed with the job's notebook when `is_shipped`.
    """
    kernels: dict[tuple[str, str], WarmKernel] = _local.__dict__.setdefault("kernels", {})
    key = (job.kernel_name, job.notebook)
    if key not in kernels:
        # One warm kernel per thread: a kernel warmed for another notebook goes.
        for other in kernels.values():
            other.shutdown()
        kernels.clear()
        warm_with = job.notebook if is_shipped(job) else ""
        kernel = WarmKernel(job.kernel_name, job.start_attempts, job.start_timeout, warm_with)
        kernels[key] = kernel
        # A worker process ends without running atexit; multiprocessing's finalizers do run.
        multiprocessing.util.Finalize(kernel, kernel.shutdown, exitpriority=10)
    return kernels[key]


def is_shipped(job: ReadoutJob) -> bool:
    """Whether the job runs one of the package's notebooks, unchanged.

    Only those warm a kernel on the samples: any other notebook may write files, sleep or reach
    out, and it runs only for the inputs it was given.

    Parameters
    ----------
    job : ReadoutJob
        The job.

    Returns
    -------
    bool
    """
    try:
        shipped = find_notebook(Path(job.notebook_name).stem)
    except ReadoutError:
        return False
    return shipped.name == job.notebook_name and shipped.read_text(encoding="utf-8") == job.notebook
