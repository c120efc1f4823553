"""The local pool of a batch: worker processes that start warm, leave signals to the batch, and end with it.

The workers are forked from a fork server that has imported the readout machinery once.
SIGINT is left to the batch, which stops the workers; SIGTERM is turned into `Terminated`
while the batch runs, so it stops the same way. A worker's parent is the fork server, not
the batch, and it waits on a queue a dead batch never closes, so each worker also watches
the batch's process and ends the moment it goes, even after a SIGKILL; a warm kernel ends
with its worker (`vsm_widgets.readout.kernel_state`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Iterator

from vsm_widgets.readout.warm_kernel import render_readout_warm


class Terminated(KeyboardInterrupt):
    """The batch was sent SIGTERM; it stopped as on Ctrl-C.

    A `KeyboardInterrupt`, so code that handles an interrupt handles this too.
    """

    exit_code = 143  # 128 + SIGTERM, as a shell reports a process ended by it


def local_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A process pool whose workers start with the readout machinery already imported.

    Parameters
    ----------
    workers : int
        How many processes.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor

    A fork server imports it once (nbformat and nbconvert take seconds to import) and forks
    each worker from that clean, single-threaded process, which lives as long as the caller, so
    a second batch starts at once. A plain fork would copy the caller's threads and ZeroMQ
    state (a notebook, or a test that ran a kernel) into the workers. Where there is no fork
    server (Windows), workers are spawned and import it themselves.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([render_readout_warm.__module__])
    else:
        context = multiprocessing.get_context("spawn")
    return cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )


def _start_worker(batch_pid: int) -> None:
    """Leave Ctrl-C to the batch, which stops the workers, and end when the batch's process goes.

    A worker's parent is the fork server, not the batch, and it waits on a queue that a dead
    batch never closes: without the watch, SIGKILL of the batch would leave it running.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(batch_pid,), name="vsm-batch-watch", daemon=True).start()


def _end_with(pid: int) -> None:
    """Return never; end this process as soon as process `pid` has ended."""
    try:
        handle = os.pidfd_open(pid)  # Linux: readable once the process has ended
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            while True:
                os.kill(pid, 0)
                time.sleep(0.5)
    # Ending now, not by SystemExit: the main thread may be waiting on a kernel. The kernel ends
    # with this process (ipykernel watches its parent, `kernel_state.warm_up` asks Linux too).
    os._exit(1)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Raise `Terminated` on SIGTERM while the batch runs, so it stops as on Ctrl-C.

    Only the main thread can handle signals; elsewhere SIGTERM keeps its usual meaning.

    Yields
    ------
    None
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def terminate(pool: cf.ProcessPoolExecutor) -> None:
    """Stop a local pool now; shutdown() alone would wait for each running readout to finish.

    The kernels follow their worker: ipykernel exits when its parent process goes, and a warm
    kernel has asked Linux to end it then.

    Parameters
    ----------
    pool : concurrent.futures.ProcessPoolExecutor
        A pool made by `local_pool`.
    """
    if hasattr(pool, "terminate_workers"):  # Python 3.14 and later
        pool.terminate_workers()
        return
    for process in list((pool._processes or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
