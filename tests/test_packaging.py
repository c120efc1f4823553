"""pyproject.toml is the single source of truth; environment.yml must mirror it."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.paths import ROOT

# Extras that conda users get from environment.yml; browser tests and dask stay pip extras.
MIRRORED_EXTRAS = ("lab", "test")
# PyPI and conda-forge spell a few packages differently.
CONDA_NAMES = {"pyyaml": "pyyaml", "dask[distributed]": "dask"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", requirement)
    assert match, requirement
    name = match.group(1).lower().replace("_", "-")
    return CONDA_NAMES.get(name, name), match.group(2).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in MIRRORED_EXTRAS:
        requirements += project["optional-dependencies"][extra]
    return dict(_split(r) for r in requirements)


def _conda_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    entries = [d for d in environment["dependencies"] if isinstance(d, str)]
    return dict(_split(d) for d in entries if not d.startswith(("python", "pip")))


def test_environment_yml_pins_the_same_versions_as_pyproject():
    assert _conda_requirements() == _pyproject_requirements()


def test_environment_yml_installs_the_project_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert ["-e ."] in pip_sections


def test_python_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert conda_python.removeprefix("python") == project["requires-python"]


def test_console_script_points_at_the_cli():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["vsm"] == "vsm_widgets.cli:run"
