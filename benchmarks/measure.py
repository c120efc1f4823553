"""Run one command and print its wall time and peak memory as JSON.

Usage::

    python benchmarks/measure.py -- COMMAND [ARGS...]

Start this wrapper afresh for every run: ``RUSAGE_CHILDREN`` reports the
largest resident set of any child this process has waited for, so one
wrapper per run gives the peak of that run alone. The command's output is
discarded; its exit code and the tail of its error output are reported.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def measure(command: list[str]) -> dict:
    """Run `command` and return ``{seconds, cpu_seconds, peak_bytes, returncode, stderr}``."""
    began = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": seconds,
        # CPU time moves less than wall time when other work shares the machine.
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        # ru_maxrss is in kibibytes on Linux.
        "peak_bytes": usage.ru_maxrss * 1024,
        "returncode": done.returncode,
        "stderr": done.stderr.decode(errors="replace")[-2000:],
    }


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    if not arguments:
        sys.exit("usage: measure.py -- COMMAND [ARGS...]")
    print(json.dumps(measure(arguments)))
