"""The command line in a pipe, a CI log and a terminal: quiet endings, progress, messages, guesses."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import threading

import pytest

from tests.paths import EXPORTS, ROOT, SAMPLES
from vsm_widgets import cli
from vsm_widgets.cli import main

AZURE = EXPORTS / "azure_devops_revisions.csv"
PAYMENTS = SAMPLES / "payments_team.csv"


def test_a_reader_that_goes_away_ends_the_command_quietly():
    command = [sys.executable, "-m", "vsm_widgets", "metrics", str(PAYMENTS)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # as `| head` does once it has its lines: every write now fails
    stderr = process.stderr.read().decode()
    process.wait(timeout=300)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert process.returncode == cli.BROKEN_PIPE


def test_a_guessed_headline_figure_is_said_on_stderr_and_in_the_report(capsys):
    assert main(["metrics", str(AZURE)]) == 0
    captured = capsys.readouterr()
    assert "vsm: Flow efficiency 100 % is a guess: without a mapping every status (New, Active)" in captured.err
    assert "      New: {kind: waiting}" in captured.err
    report = captured.out
    assert report.index("GUESSED: Flow efficiency 100 %") < report.index("Steps in flow order")


def test_json_output_stays_clean_when_a_guess_is_said(capsys):
    assert main(["metrics", str(AZURE), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.out.lstrip().startswith("{") and "GUESSED" not in captured.out
    assert "is a guess" in captured.err


def test_quiet_keeps_warnings_only_and_verbose_says_how_the_export_was_read(capsys):
    mapping = SAMPLES / "payments_team.mapping.yaml"
    assert main(["metrics", str(PAYMENTS), "--json", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["metrics", str(PAYMENTS), "--json"]) == 0
    assert f"vsm: using the mapping beside the export: {mapping}" in capsys.readouterr().err
    assert main(["metrics", str(PAYMENTS), "--json", "-v"]) == 0
    assert "vsm: read: column 'Issue key' read as item (mapping)" in capsys.readouterr().err
    assert main(["metrics", str(AZURE), "--json", "-q"]) == 0
    assert "is a guess" in capsys.readouterr().err


def test_quiet_and_verbose_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["metrics", str(PAYMENTS), "-q", "-v"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_slow_read_says_what_it_is_doing(capsys, monkeypatch):
    said = threading.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("reading "):
                said.set()

    from vsm_widgets.io import exports

    real = exports.read_export

    def slow_read(*args, **kwargs):
        # Slow until the command has said what it is doing: no clock in the assertion.
        assert said.wait(timeout=60), "nothing was said while the read was running"
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "SLOW_AFTER_SECONDS", 0.01)
    monkeypatch.setattr(exports, "read_export", slow_read)
    watch = Watch()
    cli.logger.addHandler(watch)
    monkeypatch.setattr(cli, "_configure_logging", lambda args: cli.logger.setLevel(logging.INFO))
    try:
        assert main(["metrics", str(PAYMENTS), "--json"]) == 0
    finally:
        cli.logger.removeHandler(watch)
    assert said.is_set()


def _arguments(quiet: bool = False) -> argparse.Namespace:
    return argparse.Namespace(quiet=quiet)


@pytest.mark.parametrize(
    ("terminal", "quiet", "environment", "wanted"),
    [
        (True, False, None, True),
        (False, False, None, False),  # a CI log or a pipe
        (True, True, None, False),
        (True, False, "1", False),
        (True, False, "true", False),
        (True, False, "0", True),
    ],
)
def test_progress_is_shown_only_to_a_person_at_a_terminal(monkeypatch, terminal, quiet, environment, wanted):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal, raising=False)
    if environment is None:
        monkeypatch.delenv("TQDM_DISABLE", raising=False)
    else:
        monkeypatch.setenv("TQDM_DISABLE", environment)
    assert cli._progress_wanted(_arguments(quiet)) is wanted


def _readout_notebook(path, cells):
    from nbformat import write
    from nbformat.v4 import new_code_cell, new_notebook

    kernelspec = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    write(new_notebook(cells=[new_code_cell(source) for source in cells], metadata=kernelspec), path)
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "{path}: not a notebook: not JSON (line 1, column 1: Expecting value). Give a notebook"),
        ('{"a": 1}\n', "{path}: not a notebook: JSON without a 'cells' list and an 'nbformat' version. Give a"),
        ("[1, 2]\n", "{path}: not a notebook: JSON without a 'cells' list and an 'nbformat' version. Give a"),
        (None, "{path}: no cell is tagged `parameters`, so no input can be given to it. Tag the cell that"),
        ("missing", "{path}: no such notebook. Check the path"),
    ],
    ids=["not-json", "json-not-a-notebook", "json-list", "no-parameters-cell", "missing"],
)
def test_readout_refuses_a_notebook_that_is_not_one_in_one_line(tmp_path, capsys, content, message):
    notebook = tmp_path / "custom.ipynb"
    if content is None:
        _readout_notebook(notebook, ["input_path = None"])
    elif content != "missing":
        notebook.write_text(content)
    out = tmp_path / "readouts"
    assert main(["readout", str(PAYMENTS), "--out", str(out), "--notebook", str(notebook)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vsm readout: {message.format(path=notebook)}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists(), "nothing is written"


def test_readout_refuses_an_out_that_is_a_file(tmp_path, capsys):
    taken = tmp_path / "readouts"
    taken.write_text("a file")
    assert main(["readout", str(PAYMENTS), "--out", str(taken)]) == 2
    assert capsys.readouterr().err == (
        f"vsm readout: {taken}: is a file, not a folder. Give --out a folder (it is created if missing)\n"
    )
    assert taken.read_text() == "a file"


def test_readout_refuses_an_out_that_cannot_be_created(tmp_path, capsys):
    under_a_file = tmp_path / "a-file" / "readouts"
    under_a_file.parent.write_text("a file")
    assert main(["readout", str(PAYMENTS), "--out", str(under_a_file)]) == 2
    assert capsys.readouterr().err == (
        f"vsm readout: {under_a_file}: the output folder cannot be created (Not a directory). "
        "Give --out a folder you can write in\n"
    )


def test_readout_refuses_a_read_only_out_before_any_kernel_starts(tmp_path, capsys, monkeypatch):
    read_only = tmp_path / "readouts"
    read_only.mkdir()
    read_only.chmod(0o555)
    if os.geteuid() == 0:  # permission bits do not bind root: refuse the write as a read-only mount would
        from vsm_widgets.readout import batch_jobs

        def refused(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(batch_jobs.tempfile, "TemporaryFile", refused)
    try:
        assert main(["readout", str(PAYMENTS), "--out", str(read_only)]) == 2
    finally:
        read_only.chmod(0o755)
    assert capsys.readouterr().err == (
        f"vsm readout: {read_only}: files cannot be written in this folder (Permission denied). "
        "Give --out a folder you can write in, or change its permissions\n"
    )
    assert list(read_only.iterdir()) == []


def test_readout_refuses_a_folder_as_an_input_and_says_how_to_name_its_files(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    out = tmp_path / "readouts"
    assert main(["readout", str(folder), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"vsm readout: {folder} is a folder, not a file. Name the exports and maps in it, such as {folder}/*.csv\n"
    )
    assert not out.exists(), "nothing is written"


@pytest.mark.parametrize(
    "arguments",
    [
        ["metrics", str(PAYMENTS), "--json"],
        ["metrics", str(AZURE)],  # a guess, written to stderr through the log
        ["map", str(SAMPLES / "maps" / "software_delivery.yaml"), "--markdown"],
        ["metrics", str(EXPORTS / "no_such_export.csv")],  # an error: exit 2 and its message
    ],
)
def test_the_process_ends_with_every_line_main_printed_and_its_exit_code(arguments, capsys):
    # The read-only commands end without Python's teardown: nothing buffered may be lost on the way out.
    code = main(list(arguments), prog="python -m vsm_widgets")
    expected = capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "vsm_widgets", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert (done.returncode, done.stdout) == (code, expected.out)
    assert [line for line in done.stderr.splitlines() if "reading" not in line] == [
        line for line in expected.err.splitlines() if "reading" not in line
    ]


def test_a_command_that_writes_files_ends_through_python_teardown(tmp_path):
    # `vsm samples` copies files: run() leaves it the normal exit (atexit handlers, flushed files).
    with pytest.raises(SystemExit) as ended:
        cli.run(["samples", str(tmp_path / "copied")])
    assert ended.value.code == 0
    assert (tmp_path / "copied" / "payments_team.csv").is_file()


@pytest.mark.skipif(os.environ.get("ARROW_DEFAULT_MEMORY_POOL") == "system", reason="the pool is chosen outside")
def test_main_run_in_process_leaves_the_allocator_as_it_was(capsys):
    # Only the console script, a process that ends with the command, keeps the memory it frees.
    import pyarrow as pa

    assert main(["metrics", str(PAYMENTS), "--json"]) == 0
    assert pa.default_memory_pool().backend_name != "system"
