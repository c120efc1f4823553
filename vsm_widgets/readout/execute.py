"""Run one readout notebook for one input, and write what it produced atomically.

`render_readout` is the unit of work of a batch run with fresh kernels (a batch
keeps warm kernels by default, `vsm_widgets.readout.warm_kernel`, which renders
the same way): papermill executes the notebook in a fresh kernel with the
input's parameters, the executed notebook becomes one offline HTML page, and
both come back as text. It writes nothing, so it can run in any process of any
`concurrent.futures` executor (a local process pool, a dask cluster) and a
worker killed half-way leaves no file behind. The process that owns the output
folder then calls `write_readout`, which writes the page and the notebook both
or neither, each only once its new content is complete on disk.

Failures are `ReadoutError` with a message a user can act on: the exception a
cell raised and its message (not a traceback), a kernel that died, a kernel
that did not start. Kernels sometimes fail to start on a loaded machine (a
port taken between choosing it and binding it, a slow disk), so a start is
tried twice; a kernel that dies while running a cell is not retried, because
the same cell would most likely kill it again.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill
from jupyter_client.kernelspec import NoSuchKernel
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.io.atomic import write_together
from vsm_widgets.readout.headline_numbers import summary_from_notebook
from vsm_widgets.readout.html_page import external_references, live_markup, render_html

KERNEL_NAME = "python3"
START_ATTEMPTS = 2
START_TIMEOUT = 60.0
# A readout takes seconds; a cell still running after ten minutes is stuck, and would hold a
# worker of the batch for ever.
CELL_TIMEOUT = 600.0
# Quiet the kernel's own log, which would print for every readout of a batch: a warning at each
# start that TCP is unencrypted (kernels listen on localhost only), and an error when shutting down
# races the interrupt jupyter_client sends first. Cell output and errors travel over ZeroMQ as usual.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)


@dataclass(frozen=True)
class ReadoutJob:
    """Everything a worker needs to render one readout; picklable.

    Parameters
    ----------
    name : str
        The readout's name: its file names and its title.
    source : str
        The input as the user gave it, for messages and the index.
    notebook : str
        The notebook's JSON text. It travels with the job, so a worker on another machine
        needs no copy of the notebook (it still needs to read the input).
    notebook_name : str
        The notebook's name, for the footer and for messages.
    parameters : dict
        Parameters papermill injects.
    kernel_name : str
        Jupyter kernel to run it with.
    start_attempts : int
        How many times to try starting the kernel.
    start_timeout : float
        Seconds to wait for a kernel to start.
    cell_timeout : float or None
        Seconds a single cell may run; None for no limit.
    """

    name: str
    source: str
    notebook: str
    notebook_name: str
    parameters: dict[str, Any] = field(default_factory=dict)
    kernel_name: str = KERNEL_NAME
    start_attempts: int = START_ATTEMPTS
    start_timeout: float = START_TIMEOUT
    cell_timeout: float | None = CELL_TIMEOUT


@dataclass(frozen=True)
class RenderedReadout:
    """A readout rendered in memory, not yet written.

    Parameters
    ----------
    name : str
        The readout's name.
    html : str
        The self-contained HTML page.
    notebook : str
        The executed notebook as JSON text, kept beside the page for audit.
    summary : dict or None
        The headline payload the notebook displayed (`vsm_widgets.readout.headline_numbers`).
    seconds : float
        Wall time from kernel start to rendered HTML.
    """

    name: str
    html: str
    notebook: str
    summary: dict[str, Any] | None
    seconds: float


def render_readout(job: ReadoutJob) -> RenderedReadout:
    """Execute a job's notebook and render it as HTML, in memory.

    Parameters
    ----------
    job : ReadoutJob
        What to run.

    Returns
    -------
    RenderedReadout
        The page, the executed notebook and the headline.

    Raises
    ------
    ReadoutError
        If the notebook failed, its kernel died or did not start, or the page would refer
        to something outside itself or carry live script.
    """
    began = time.perf_counter()
    nb = execute_notebook(
        nbformat.reads(job.notebook, as_version=4),
        job.parameters,
        source=job.notebook_name,
        kernel_name=job.kernel_name,
        start_attempts=job.start_attempts,
        start_timeout=job.start_timeout,
        cell_timeout=job.cell_timeout,
    )
    html, summary = render_page(nb, name=job.name, notebook_name=job.notebook_name)
    return RenderedReadout(job.name, html, nbformat.writes(nb), summary, time.perf_counter() - began)


def render_page(nb: nbformat.NotebookNode, *, name: str, notebook_name: str = "") -> tuple[str, dict | None]:
    """The readout page of an executed notebook, checked to be self-contained and static.

    Use it on notebooks executed elsewhere, e.g. by Airflow's ``PapermillOperator``.

    Parameters
    ----------
    nb : NotebookNode
        An executed readout notebook.
    name : str
        The readout's name (the page title).
    notebook_name : str, optional
        The notebook it was executed from, for the footer.

    Returns
    -------
    tuple
        The HTML page, and the headline payload the notebook displayed (or None).

    Raises
    ------
    ReadoutError
        If the page would refer to something on a network or carry live script.
    """
    summary = summary_from_notebook(nb)
    conventions = summary.get("conventions") if summary else None
    html = render_html(nb, name=name, notebook=notebook_name, conventions=conventions)
    external, live = external_references(html), live_markup(html)
    if external or live:
        found = "; ".join([*(f"external reference {ref}" for ref in external[:5]), *live[:5]])
        raise ReadoutError(
            f"the readout would not be self-contained and static ({found}). Display charts as SVG "
            "(alt.renderers.enable('svg')) and show user text as text, not as HTML"
        )
    return html, summary


def execute_notebook(
    nb: nbformat.NotebookNode,
    parameters: dict[str, Any],
    *,
    source: str = "",
    kernel_name: str = KERNEL_NAME,
    start_attempts: int = START_ATTEMPTS,
    start_timeout: float = START_TIMEOUT,
    cell_timeout: float | None = CELL_TIMEOUT,
) -> nbformat.NotebookNode:
    """Execute a notebook with papermill in a fresh kernel.

    The kernel runs in a temporary working folder, removed afterwards, so notebooks running
    side by side cannot see each other's scratch files.

    Parameters
    ----------
    nb : NotebookNode
        The notebook, with a cell tagged ``parameters``. It is not modified.
    parameters : dict
        Values papermill injects after the parameters cell.
    source : str, optional
        Where the notebook came from, recorded as papermill's ``input_path``.
    kernel_name : str
        Jupyter kernel to use.
    start_attempts : int
        How many times to try starting the kernel.
    start_timeout : float
        Seconds to wait for the kernel to start.
    cell_timeout : float or None
        Seconds a single cell may run.

    Returns
    -------
    NotebookNode
        The executed notebook, with papermill's metadata (parameters, timings).

    Raises
    ------
    ReadoutError
        If a cell raised (the message names the exception and the cell), the kernel died,
        a cell ran past `cell_timeout`, or the kernel did not start in `start_attempts` tries.
    """
    failure: Exception | None = None
    for _ in range(start_attempts):
        progress = Progress()
        with tempfile.TemporaryDirectory(prefix="vsm-readout-") as workdir:
            try:
                with execution_failures(progress, kernel_name=kernel_name, cell_timeout=cell_timeout):
                    executed = papermill.execute_notebook(
                        copy.deepcopy(nb),
                        None,
                        parameters=parameters,
                        kernel_name=kernel_name,
                        progress_bar=False,
                        start_timeout=start_timeout,
                        execution_timeout=cell_timeout,
                        # nbclient starts the kernel in resources' metadata path.
                        resources={"metadata": {"path": workdir}},
                        extra_arguments=list(KERNEL_ARGUMENTS),
                        on_notebook_start=progress.kernel_ready,
                        on_cell_start=progress.cell_started,
                        # The notebook is done and its output captured: a graceful shutdown only adds a second.
                        shutdown_kernel="immediate",
                    )
            except RuntimeError as error:
                # jupyter_client raises RuntimeError when a kernel does not answer or dies while
                # starting; once it has answered, a RuntimeError is not ours to retry.
                if progress.ready:
                    raise
                failure = error
                continue
            # papermill records a notebook given as an object as the object itself.
            executed.metadata.papermill["input_path"] = source
            return executed
    raise ReadoutError(f"the {kernel_name!r} kernel did not start ({start_attempts} attempts): {failure}")


@contextlib.contextmanager
def execution_failures(progress: Progress, *, kernel_name: str, cell_timeout: float | None) -> Iterator[None]:
    """Turn what papermill and nbclient raise into a `ReadoutError` a user can act on.

    Parameters
    ----------
    progress : Progress
        How far the execution got, for the message.
    kernel_name : str
        The kernel, for the message when it is not installed.
    cell_timeout : float or None
        The limit a cell ran past, for the message.

    Yields
    ------
    None

    Raises
    ------
    ReadoutError
        For a cell that raised, a dead kernel, a cell past its time, a kernel not installed.
    """
    try:
        yield
    except PapermillExecutionError as error:
        raise ReadoutError(
            f"{error.ename}: {error.evalue} (notebook cell In [{error.exec_count}])",
            cell_index=error.cell_index,
            exec_count=error.exec_count,
            source=error.source,
            ename=error.ename,
            evalue=error.evalue,
        ) from None
    except CellExecutionError as error:  # a cell of our own, run without papermill
        raise ReadoutError(f"{error.ename}: {error.evalue} (while preparing the kernel)") from None
    except DeadKernelError:
        raise ReadoutError(
            f"the kernel died while running notebook cell {progress.cell_number}: it ran out of memory "
            "or the notebook ended its own process"
        ) from None
    except CellTimeoutError:
        raise ReadoutError(
            f"notebook cell {progress.cell_number} ran longer than {cell_timeout:g} s and was stopped"
        ) from None
    except NoSuchKernel:
        raise ReadoutError(
            f"no Jupyter kernel named {kernel_name!r} is installed. Install one with "
            f"`python -m ipykernel install --sys-prefix --name {kernel_name}`"
        ) from None


def write_readout(rendered: RenderedReadout, out_dir: str | Path) -> tuple[Path, Path]:
    """Write a rendered readout as ``NAME.html`` and ``NAME.ipynb`` in `out_dir`: both or neither.

    Parameters
    ----------
    rendered : RenderedReadout
        What `render_readout` returned.
    out_dir : str or Path
        An existing folder.

    Returns
    -------
    tuple of Path
        The HTML page and the executed notebook.

    Raises
    ------
    ReadoutError
        If either file could not be written (a full disk, a folder made read-only meanwhile);
        an older readout of the same name is then left as it was, and a new one leaves nothing.
    """
    folder = Path(out_dir)
    notebook_path = folder / f"{rendered.name}.ipynb"
    html_path = folder / f"{rendered.name}.html"
    try:
        # A page on disk always has its audit copy beside it, and a notebook its page.
        write_together({notebook_path: rendered.notebook, html_path: rendered.html})
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise ReadoutError(f"no space left on device writing {error.filename}; free space and rerun") from None
        raise ReadoutError(f"could not write {error.filename}: {error.strerror}. Check the folder and rerun") from None
    return html_path, notebook_path


class Progress:
    """How far an execution got, told by nbclient's hooks.

    Parameters
    ----------
    ready : bool, optional
        Whether the kernel has already answered.
    """

    def __init__(self, ready: bool = False) -> None:
        self.ready = ready
        self.cell_index: int | None = None

    def kernel_ready(self, notebook: nbformat.NotebookNode) -> None:
        """The kernel answered (nbclient's ``on_notebook_start`` hook).

        Parameters
        ----------
        notebook : NotebookNode
            The notebook about to run.
        """
        self.ready = True

    def cell_started(self, cell: nbformat.NotebookNode, cell_index: int) -> None:
        """A cell started (nbclient's ``on_cell_start`` hook).

        Parameters
        ----------
        cell : NotebookNode
            The cell.
        cell_index : int
            Its position in the notebook.
        """
        self.cell_index = cell_index

    @property
    def cell_number(self) -> str:
        """The running cell's number from 1, or ``?`` before the first."""
        return "?" if self.cell_index is None else str(self.cell_index + 1)
