"""What every benchmark script shares: its section of docs/benchmarks.md and the machine's load."""

from __future__ import annotations

import os
from pathlib import Path

from vsm_widgets.io.atomic import write_atomically


def replace_section(document: Path, heading: str, text: str) -> None:
    """Replace the `heading` section of `document` with `text` (or add it), leaving other sections alone."""
    current = document.read_text(encoding="utf-8") if document.exists() else "# Benchmarks\n"
    lines = current.splitlines(keepends=True)
    begin = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if begin is None:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        updated = "".join(lines[:begin]) + text + ("\n" + tail if tail else "")
    write_atomically(document, updated)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record: a busy machine inflates wall times."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())
