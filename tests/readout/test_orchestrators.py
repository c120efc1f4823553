"""The Airflow DAG and the Prefect flow of docs/readouts.md, run with neither installed.

The Prefect flow runs with its decorators stood in for. For the Airflow DAG:
Airflow is not a dependency: stand-ins for the few names the DAG file imports record the tasks
it defines and their order, as Airflow's parser would. The tasks then run as a worker would run
them: the TaskFlow callables with their templated arguments rendered, and the operator's
notebook through papermill, which is what PapermillOperator calls.
"""

from __future__ import annotations

import shutil
import sys
import types
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import papermill
import pytest

from tests.doc_blocks import python_block_after
from tests.paths import SAMPLES
from vsm_widgets.readout.html_page import external_references, live_markup

DS = date(2026, 1, 12)


@dataclass
class Task:
    """One task of the DAG as the parser saw it: a callable with its arguments, or an operator."""

    task_id: str
    run: Any = None
    args: tuple = ()
    operator: dict | None = None
    downstream: list[Task] = field(default_factory=list)

    def __rshift__(self, other: Task) -> Task:
        self.downstream.append(other)
        return other


@dataclass
class Parsed:
    dag_ids: list[str] = field(default_factory=list)
    tasks: dict[str, Task] = field(default_factory=dict)

    def add(self, task: Task) -> Task:
        assert task.task_id not in self.tasks, f"two tasks named {task.task_id}"
        self.tasks[task.task_id] = task
        return task


def _airflow_stand_ins(parsed: Parsed) -> dict[str, types.ModuleType]:
    class DAG:
        def __init__(self, dag_id: str, **options: Any) -> None:
            parsed.dag_ids.append(dag_id)

        def __enter__(self) -> DAG:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def task(function):
        def call(*args: Any, task_id: str | None = None) -> Task:
            return parsed.add(Task(task_id or function.__name__, function, args))

        call.override = lambda task_id: lambda *args: call(*args, task_id=task_id)
        return call

    class PapermillOperator(Task):
        def __init__(self, task_id: str, **options: Any) -> None:
            super().__init__(task_id, operator=options)
            parsed.add(self)

    sdk = types.ModuleType("airflow.sdk")
    sdk.DAG, sdk.task = DAG, task
    operators = types.ModuleType("airflow.providers.papermill.operators.papermill")
    operators.PapermillOperator = PapermillOperator
    names = ["airflow", "airflow.providers", "airflow.providers.papermill", "airflow.providers.papermill.operators"]
    modules = {name: types.ModuleType(name) for name in names}
    return modules | {"airflow.sdk": sdk, operators.__name__: operators}


def _rendered(value: Any) -> Any:
    """Airflow renders templated arguments before a task runs; the DAG uses only {{ ds }}."""
    return value.replace("{{ ds }}", DS.isoformat()) if isinstance(value, str) else value


@pytest.fixture
def dag(tmp_path, monkeypatch) -> tuple[Parsed, Path]:
    exports, readouts = tmp_path / "exports", tmp_path / "readouts"
    exports.mkdir()
    for name in ("payments_team.csv", "payments_team.mapping.yaml", "mobile_team.csv", "mobile_team.mapping.yaml"):
        shutil.copy(SAMPLES / name, exports / name)
    source = python_block_after("readouts.md", "## Running the notebooks from Airflow")
    # The DAG file as written, with its two folders pointed at the test's.
    for written, here in (('Path("/data/exports")', f"Path({str(exports)!r})"), ("/data/readouts", str(readouts))):
        assert written in source
        source = source.replace(written, here)
    parsed = Parsed()
    for name, module in _airflow_stand_ins(parsed).items():
        monkeypatch.setitem(sys.modules, name, module)
    exec(compile(source, "vsm_weekly_readouts.py", "exec"), {"__name__": "vsm_weekly_readouts"})
    return parsed, readouts


def test_the_dag_file_parses_into_a_folder_then_a_run_and_a_page_per_team(dag):
    parsed, _ = dag
    assert parsed.dag_ids == ["vsm_weekly_readouts"]
    folder = parsed.tasks["make_folder"]
    assert [t.task_id for t in folder.downstream] == ["run_payments_team", "run_mobile_team"]
    for team in ("payments_team", "mobile_team"):
        run = parsed.tasks[f"run_{team}"]
        assert Path(run.operator["input_nb"]).is_file()
        assert [t.task_id for t in run.downstream] == [f"html_{team}"]
        assert Path(run.operator["parameters"]["input_path"]).is_file()


@pytest.mark.slow
def test_the_tasks_run_in_order_write_the_offline_page_on_a_first_run(dag):
    parsed, readouts = dag
    folder = parsed.tasks["make_folder"]
    assert not readouts.exists()  # the first run: nothing made the dated folder before
    folder.run(*map(_rendered, folder.args))
    run = parsed.tasks["run_payments_team"]
    options = {key: _rendered(value) for key, value in run.operator.items()}
    papermill.execute_notebook(
        options["input_nb"], options["output_nb"], parameters=options["parameters"], kernel_name=options["kernel_name"]
    )
    html_task = parsed.tasks["html_payments_team"]
    page = Path(html_task.run(*map(_rendered, html_task.args)))
    assert page == readouts / DS.isoformat() / "payments_team.html"
    html = page.read_text(encoding="utf-8")
    assert "payments_team" in html
    assert external_references(html) == [] and live_markup(html) == []


def _prefect_stand_in() -> types.ModuleType:
    """Prefect's decorators, taking their options and leaving the function as it is."""
    prefect = types.ModuleType("prefect")
    prefect.flow = prefect.task = lambda **options: lambda function: function
    return prefect


@pytest.mark.slow
def test_the_prefect_flow_renders_the_batch_and_fails_loudly_on_a_bad_input(tmp_path, monkeypatch):
    from vsm_widgets.readout.batch import BatchFailedError

    monkeypatch.setitem(sys.modules, "prefect", _prefect_stand_in())
    source = python_block_after("readouts.md", "## Running a batch from Prefect")
    namespace: dict[str, Any] = {"__name__": "vsm_flow"}  # imported by a worker, not run as a script
    exec(compile(source, "vsm_flow.py", "exec"), namespace)
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(SAMPLES / "onboarding.csv", exports / "onboarding.csv")
    index = Path(namespace["weekly_readouts"](export_dir=str(exports), out_root=str(tmp_path / "readouts")))
    assert index.name == "index.html" and (index.parent / "onboarding.html").is_file()
    (exports / "empty.csv").write_text("item,step,start,end\n")
    with pytest.raises(BatchFailedError, match="1 of 2 readouts failed"):
        namespace["weekly_readouts"](export_dir=str(exports), out_root=str(tmp_path / "again"))
