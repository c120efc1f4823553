"""`keep_freed_memory`: a column-long array comes from the heap, stays for the next one, and Arrow shares it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# In a fresh interpreter (the tuning cannot be undone): where glibc put a 16 MB array, read from
# mallinfo2 while it lives (bytes in mmapped blocks) and after it is freed (free bytes kept in the heap).
_WHERE = textwrap.dedent(
    """
    import ctypes, sys
    import numpy as np
    import pyarrow as pa
    from vsm_widgets.allocator import keep_freed_memory

    class Info(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    if not hasattr(libc, "mallinfo2"):
        print("unknown 0 0")
        raise SystemExit
    libc.mallinfo2.restype = Info
    tuned = keep_freed_memory() if sys.argv[1] == "tuned" else False
    column = np.ones(2_000_000)
    mapped = libc.mallinfo2().hblkhd
    del column
    print(tuned, mapped, libc.mallinfo2().fordblks, pa.default_memory_pool().backend_name)
    """
)
COLUMN = 16_000_000  # bytes: a column of two million rows


def _where(mode: str) -> tuple[str, int, int, str]:
    done = subprocess.run([sys.executable, "-c", _WHERE, mode], capture_output=True, text=True, check=True)
    tuned, mapped, kept, arrow_pool = done.stdout.split()
    return tuned, int(mapped), int(kept), arrow_pool


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc is what is tuned")
def test_a_large_array_comes_from_the_heap_and_its_pages_are_kept_once_freed():
    tuned, mapped, kept, arrow_pool = _where("tuned")
    if tuned != "True":
        pytest.skip("not glibc 2.33 or later")
    _, untuned_mapped, untuned_kept, untuned_pool = _where("untuned")
    # Untuned, glibc maps the array apart and hands it back on free: nothing stays for the next array.
    assert untuned_mapped >= COLUMN and untuned_kept < COLUMN
    assert mapped < COLUMN and kept >= COLUMN
    # Arrow's buffers come from the same heap (malloc) instead of Arrow's own allocator.
    assert untuned_pool != "system" and arrow_pool == "system"
