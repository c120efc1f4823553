"""Keep freed memory in the process, for the commands that read a whole export and exit.

glibc's malloc hands a block over 128 KB to the kernel on free (``munmap``) and
asks for it again on the next allocation (``mmap``), which the kernel zeroes page
by page. A million-row export makes hundreds of column-long numpy arrays, each
freed when the next stage has used it, so `vsm metrics` spent about a third of
its time in the kernel, faulting in pages it had just given back. Serving blocks
up to 32 MB from the heap, and never trimming it, lets each array reuse the pages
of the one before: the peak is the same, the page faults far fewer (measured in
docs/benchmarks.md, "vsm metrics"). Arrow's buffers are then taken from the same
heap too: its own allocator (mimalloc) hands freed pages back to the kernel as well,
and sharing one heap with numpy also lowers the peak.

This is for a short command-line process only: a notebook kernel lives for hours
and should give memory back, so only the ``vsm`` console script calls it
(`vsm_widgets.cli.run`), never the library, nor `vsm_widgets.cli.main` run in-process.
"""

from __future__ import annotations

import ctypes

# mallopt's parameter numbers, from glibc's malloc.h.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_LARGEST_INT = 2**31 - 1
# The largest mmap threshold glibc accepts (half its 64 MB heap size). A column of a million rows
# (8 MB) stays in the heap; one of five million (40 MB) is still mapped apart and handed back,
# which keeps the peak of very large exports down, where the heap would fragment.
_MMAP_THRESHOLD = 32 * 2**20


def keep_freed_memory() -> bool:
    """Make glibc's malloc reuse freed memory instead of returning it to the kernel.

    Allocations up to 32 MB come from the heap instead of ``mmap``, and the heap is never
    trimmed, until the process exits; Arrow allocates through malloc as well.

    Returns
    -------
    bool
        Whether the allocator was tuned: False off glibc (macOS, Windows, musl), where
        nothing is changed.
    """
    try:
        libc = ctypes.CDLL(None)  # the C library this interpreter runs on
    except OSError:
        return False
    if not hasattr(libc, "gnu_get_libc_version"):
        return False
    # mallopt returns 1 on success; setting either parameter also stops glibc's own adjustment
    # of its mmap threshold, which only grows it after a block has already been returned.
    if not (libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) and libc.mallopt(_M_TRIM_THRESHOLD, _LARGEST_INT)):
        return False
    import pyarrow as pa  # here: the bottom layer imports nothing heavy at import time

    pa.set_memory_pool(pa.system_memory_pool())
    return True
