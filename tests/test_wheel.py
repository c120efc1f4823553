"""The wheel and the sdist as built for users: what each must carry, and what the sdist must not."""

from __future__ import annotations

import ast
import posixpath
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.paths import NOTEBOOKS, ROOT, SAMPLES
from vsm_widgets.io.samples import SAMPLE_SUFFIXES

TEMPLATES = ROOT / "vsm_widgets" / "readout" / "templates"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-d", str(out)], cwd=ROOT, check=True)
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> set[str]:
    (path,) = dist.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


@pytest.fixture(scope="module")
def site(dist, tmp_path_factory) -> Path:
    """The wheel unpacked, as an installer lays it out in site-packages."""
    (path,) = dist.glob("*.whl")
    folder = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="module")
def sdist(dist) -> set[str]:
    (path,) = dist.glob("*.tar.gz")
    with tarfile.open(path) as archive:
        prefix = f"vsm_widgets-{VERSION}/"
        return {name.removeprefix(prefix) for name in archive.getnames()}


def _notebooks() -> list[Path]:
    found = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert found
    return found


def _samples() -> list[str]:
    found = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.suffix in SAMPLE_SUFFIXES)
    assert found
    return found


def test_the_wheel_carries_the_notebooks_templates_samples_and_type_marker(wheel):
    for notebook in _notebooks():
        assert f"vsm_widgets/notebooks/{notebook.relative_to(NOTEBOOKS).as_posix()}" in wheel
    templates = [p for p in TEMPLATES.rglob("*") if p.is_file()]
    assert templates
    for template in templates:
        assert template.relative_to(ROOT).as_posix() in wheel
    for sample in _samples():
        assert f"vsm_widgets/data/samples/{sample}" in wheel, f"list {sample} in pyproject's force-include"
    assert "vsm_widgets/py.typed" in wheel
    assert "vsm_widgets/__main__.py" in wheel


def test_the_wheel_carries_no_generator_scripts_checkpoints_or_tests(wheel):
    assert not [n for n in wheel if n.startswith("vsm_widgets/data/") and n.endswith(".py")]
    assert not [n for n in wheel if ".ipynb_checkpoints" in n or n.startswith("tests/")]


def test_both_carry_the_licence(wheel, sdist):
    assert f"vsm_widgets-{VERSION}.dist-info/licenses/LICENSE" in wheel
    assert "LICENSE" in sdist


def test_the_sdist_has_the_notebooks_and_samples_but_no_tests(sdist):
    for notebook in _notebooks():
        assert notebook.relative_to(ROOT).as_posix() in sdist
    for sample in _samples():
        assert f"data/samples/{sample}" in sdist
    assert not [name for name in sdist if name.startswith("tests")]


def _default_paths(source: str) -> list[str]:
    """The string defaults of a parameters cell that are relative paths."""
    values = [node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)]
    return [value for value in values if isinstance(value, str) and value.startswith("../")]


def test_every_notebook_default_path_is_a_file_in_the_wheel(wheel):
    checked = 0
    for notebook in _notebooks():
        cells = nbformat.read(notebook, as_version=4).cells
        (parameters,) = [cell for cell in cells if "parameters" in cell.metadata.get("tags", [])]
        folder = posixpath.dirname(f"vsm_widgets/notebooks/{notebook.relative_to(NOTEBOOKS).as_posix()}")
        for default in _default_paths(parameters.source):
            assert posixpath.normpath(posixpath.join(folder, default)) in wheel, f"{notebook.name}: {default}"
            checked += 1
    assert checked


def test_an_installed_wheel_finds_its_own_notebooks_and_samples(site, tmp_path):
    script = (
        "from vsm_widgets.readout.notebook_paths import find_notebook\n"
        "from vsm_widgets.io.samples import samples_dir\n"
        "print(find_notebook('readout')); print(samples_dir())\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    notebook, samples = map(Path, found.stdout.split())
    assert notebook == site / "vsm_widgets" / "notebooks" / "readout.ipynb"
    assert samples == site / "vsm_widgets" / "data" / "samples"
