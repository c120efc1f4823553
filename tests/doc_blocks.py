"""The code blocks of docs/, so that the tests run the examples exactly as a reader copies them."""

from __future__ import annotations

import re

from tests.paths import DOCS

FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def python_block_after(page: str, marker: str) -> str:
    """The first ```python block after `marker` in docs/`page`."""
    text = (DOCS / page).read_text(encoding="utf-8")
    assert marker in text, f"{marker!r} is not in docs/{page}"
    found = FENCE.search(text, text.index(marker))
    assert found, f"no python block after {marker!r} in docs/{page}"
    return found.group(1)
