"""Inputs a hostile or careless user hands the readers (issue 15): a message or a counted decision each."""

import os
import pathlib

import pytest

from vsm_widgets.cli import main
from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.exports import read_export

ROWS = "A,Build,2026-01-01 09:00,2026-01-02 09:00\nB,Build,2026-01-01 09:00,2026-01-03 09:00\n"


def test_header_names_with_spaces_are_trimmed_and_the_decision_says_so(tmp_path):
    path = tmp_path / "padded.csv"
    path.write_text(" item , step ,start, end\n" + ROWS, encoding="utf-8")
    log = read_export(path)
    assert log.quality.rows_used == 2
    assert (
        "header names with spaces around them read trimmed: ' item ' as 'item', ' step ' as 'step', "
        "' end' as 'end'" in log.quality.decisions
    )
    assert sorted(log.visits["item"]) == ["A", "B"]


def test_an_unreadable_file_is_a_message_and_exit_2(tmp_path, monkeypatch, capsys):
    path = tmp_path / "locked.csv"
    path.write_text("item,step,start,end\n" + ROWS, encoding="utf-8")
    opener = pathlib.Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return opener(self, *args, **kwargs)

    # The tests may run as root, whom chmod 000 does not stop; refuse the open itself.
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    with pytest.raises(ExportReadError, match=r"locked\.csv: the file cannot be opened \(Permission denied\). Check"):
        read_export(path)
    assert main(["metrics", str(path)]) == 2
    err = capsys.readouterr().err
    assert "the file cannot be opened (Permission denied)" in err
    assert "Traceback" not in err


def test_a_symlink_loop_is_not_called_missing(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    with pytest.raises(ExportReadError, match=r"a\.csv: the path is a symbolic link that leads nowhere"):
        read_export(tmp_path / "a.csv")


def test_a_fifo_is_not_called_a_folder_and_is_not_opened(tmp_path):
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    with pytest.raises(
        ExportReadError, match=r"pipe\.csv: this is not a regular file \(a pipe, a socket or a device\)"
    ):
        read_export(path)
