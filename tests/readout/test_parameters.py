"""``vsm readout -p NAME VALUE``: checked against the notebook's parameters cell, typed as it declares them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import DOCS, NOTEBOOKS
from vsm_widgets import cli
from vsm_widgets.exceptions import ReadoutError
from vsm_widgets.readout.notebook_paths import find_notebook
from vsm_widgets.readout.parameters import declared_parameters, typed_parameters

REVIEW = find_notebook("review")


def test_values_take_the_type_the_cell_declares(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    typed = typed_parameters(REVIEW, [("since", "2026"), ("seed", "7"), ("baseline_path", "old.csv")])
    # since is Optional[str]: 2026 stays text, unlike papermill's -p, which would make it an int
    assert typed == {"since": "2026", "seed": 7, "baseline_path": str(tmp_path / "old.csv")}
    assert typed_parameters(REVIEW, [("since", "None"), ("seed", "None")]) == {"since": None, "seed": None}
    lesson = find_notebook("teaching/lean_waste_analysis")
    assert typed_parameters(lesson, [("reveal", "True")]) == {"reveal": True}
    assert typed_parameters(lesson, [("reveal", "no")]) == {"reveal": False}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([("baseline", "old.csv")], r"review.ipynb has no parameter baseline. Did you mean baseline_path\? Its "),
        ([("sede", "7")], r"has no parameter sede. Did you mean seed\?"),
        ([("colour", "red")], r"has no parameter colour. Its parameters: baseline_path, since, seed$"),
        ([("seed", "seven")], r"-p seed seven: review.ipynb declares seed as int, and 'seven' is not one"),
        ([("input_path", "x.csv")], r"-p input_path: the batch sets input_path for each input"),
    ],
)
def test_a_parameter_the_notebook_cannot_take_is_refused_clearly(given, message):
    with pytest.raises(ReadoutError, match=message):
        typed_parameters(REVIEW, given)


def test_the_cli_refuses_an_unknown_parameter_before_any_kernel_starts(tmp_path, capsys):
    export = tmp_path / "team.csv"
    export.write_text("item,step,start,end\nA,Build,2026-01-01,2026-01-02\n")
    arguments = ["readout", str(export), "--out", str(tmp_path / "out"), "--notebook", "review"]
    assert cli.main([*arguments, "-p", "baseline", str(export)]) == 2
    err = capsys.readouterr().err
    assert "vsm readout: -p baseline: review.ipynb has no parameter baseline. Did you mean baseline_path?" in err
    assert not (tmp_path / "out").exists()


def test_scheduler_needs_the_dask_executor(tmp_path, capsys):
    export = tmp_path / "team.csv"
    export.write_text("item,step,start,end\nA,Build,2026-01-01,2026-01-02\n")
    assert cli.main(["readout", str(export), "--out", str(tmp_path), "--scheduler", "tcp://localhost:8786"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err


def _notebooks() -> list[Path]:
    found = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert found
    return found


def test_every_parameter_is_typed_so_papermill_can_show_it():
    for notebook in _notebooks():
        for name, parameter in declared_parameters(notebook).items():
            assert parameter["inferred_type_name"] not in ("None", ""), f"{notebook.name}: {name} has no type"
            assert parameter["help"], f"{notebook.name}: {name} has no comment saying what it is"


def parameter_table(notebook: Path) -> str:
    """The table docs/notebooks.md shows for a notebook, from its parameters cell."""
    rows = ["| parameter | type | default | meaning |", "|---|---|---|---|"]
    for name, parameter in declared_parameters(notebook).items():
        rows.append(
            f"| `{name}` | {parameter['inferred_type_name']} | `{parameter['default']}` | {parameter['help']} |"
        )
    return "\n".join(rows)


def test_docs_list_each_notebooks_parameters_as_its_cell_declares_them():
    page = (DOCS / "notebooks.md").read_text(encoding="utf-8")
    for notebook in _notebooks():
        name = notebook.relative_to(NOTEBOOKS).with_suffix("").as_posix()
        heading = f"### `{name}`\n\n"
        assert heading in page, f"docs/notebooks.md has no section for {name}"
        table = parameter_table(notebook)
        assert page[page.index(heading) + len(heading) :].startswith(table), f"docs/notebooks.md: {name} differs"
