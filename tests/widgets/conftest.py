"""Maps the widget tests edit: the samples, copied where a test saves, and small maps built here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.paths import MAPS
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.stream import ValueStream


@pytest.fixture
def software() -> ValueStream:
    """DOMAIN's software change: 48 h of work delivered after 648 h, on calendar time, counted in hours."""
    return load_map(MAPS / "software_delivery.yaml")


@pytest.fixture
def software_file(tmp_path: Path) -> Path:
    """A copy of the software delivery map that a test may save over."""
    return Path(shutil.copy(MAPS / "software_delivery.yaml", tmp_path / "software_delivery.yaml"))


@pytest.fixture
def teaching() -> ValueStream:
    """The web shop teaching map with its answer key."""
    return load_map(MAPS / "teaching.yaml")


@pytest.fixture
def four_functions() -> ValueStream:
    """DOMAIN's four functions: Marketing 5, Sales 8, Ops 12, Delivery 4 days, 15 days on the arrows."""
    return load_map(MAPS / "four_functions.yaml")


@pytest.fixture
def parallel_map() -> ValueStream:
    """Onboarding with a parallel branch, on 8-hour days; the largest wait is inside Laptop and accounts."""
    return load_map(MAPS / "parallel.yaml")
