"""The readout notebooks are found in an installed wheel and in a source checkout."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.paths import ROOT
from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.readout.notebook_paths import available_notebooks, find_notebook, notebooks_dir


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


@pytest.fixture
def installed(tmp_path) -> Path:
    """site-packages/vsm_widgets with the notebooks inside, as the wheel lays it out."""
    package = tmp_path / "site-packages" / "vsm_widgets"
    _touch(package / "notebooks" / "readout.ipynb")
    _touch(package / "notebooks" / "teaching" / "lean_waste_analysis.ipynb")
    _touch(package / "notebooks" / ".ipynb_checkpoints" / "readout-checkpoint.ipynb")
    return package


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A source checkout: the package beside the top-level notebooks folder."""
    package = tmp_path / "repo" / "vsm_widgets"
    package.mkdir(parents=True)
    _touch(tmp_path / "repo" / "notebooks" / "current_state.ipynb")
    return package


def test_an_installed_package_uses_its_own_copy(installed):
    assert notebooks_dir(installed) == installed / "notebooks"
    assert available_notebooks(installed) == ["readout", "teaching/lean_waste_analysis"]
    assert find_notebook("teaching/lean_waste_analysis", installed) == (
        installed / "notebooks" / "teaching" / "lean_waste_analysis.ipynb"
    )


def test_a_checkout_uses_the_repository_folder(checkout):
    assert notebooks_dir(checkout) == checkout.parent / "notebooks"
    assert find_notebook("current_state", checkout) == checkout.parent / "notebooks" / "current_state.ipynb"


def test_this_checkout_finds_its_notebooks_folder():
    assert notebooks_dir() == ROOT / "notebooks"


def test_no_notebooks_anywhere_is_an_error(tmp_path):
    with pytest.raises(ReadoutError, match="Reinstall vsm-widgets"):
        notebooks_dir(tmp_path / "lonely" / "vsm_widgets")


def test_an_unknown_name_lists_the_known_ones(installed):
    with pytest.raises(ReadoutError, match="no notebook named 'readuot'. Name one of: readout, teaching/"):
        find_notebook("readuot", installed)


def test_a_path_to_any_notebook_is_taken_as_it_is(tmp_path, installed):
    own = _touch(tmp_path / "mine" / "custom.ipynb")
    own.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    assert find_notebook(own, installed) == own.resolve()
    own.write_text("{}")
    with pytest.raises(ReadoutError, match="not a notebook: JSON without a 'cells' list"):
        find_notebook(own, installed)
    with pytest.raises(ReadoutError, match="no such notebook"):
        find_notebook(tmp_path / "absent.ipynb", installed)


def test_the_wheel_is_configured_to_carry_the_notebooks():
    # tests/test_wheel.py builds the wheel and checks that it finds them where this puts them
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"]["notebooks"] == "vsm_widgets/notebooks"
