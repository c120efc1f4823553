"""The bad-input corpus: every file in tests/data/bad/ with the error message it must produce."""

import pytest
import yaml

import vsm_widgets.exceptions as exceptions
from tests.paths import BAD
from vsm_widgets.cli import main
from vsm_widgets.io.exports import read_export

EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_complete_and_every_file_is_listed():
    listed = set(EXPECTED) | {entry["export"] for entry in EXPECTED.values() if "export" in entry}
    on_disk = {p.name for p in BAD.iterdir() if p.name != "expected.yaml"}
    assert on_disk == listed
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gives_its_message(name):
    entry = EXPECTED[name]
    if "export" in entry:
        export, mapping = BAD / entry["export"], BAD / name
    else:
        export, mapping = BAD / name, None
    before = export.read_bytes()
    with pytest.raises(getattr(exceptions, entry["error"])) as caught:
        read_export(export, mapping)
    message = str(caught.value)
    for piece in entry["messages"]:
        assert piece in message, f"{piece!r} not in {message!r}"
    assert export.read_bytes() == before


def test_a_missing_file_names_the_path(tmp_path):
    with pytest.raises(exceptions.ExportReadError, match=r"nowhere\.csv: the file does not exist. Check the path"):
        read_export(tmp_path / "nowhere.csv")


def test_a_folder_is_not_an_export(tmp_path):
    with pytest.raises(exceptions.ExportReadError, match="this is a folder, not a file"):
        read_export(tmp_path)


def test_a_missing_xlsx_sheet_lists_the_sheets(tmp_path):
    import pandas as pd

    path = tmp_path / "book.xlsx"
    pd.DataFrame({"item": ["A"], "step": ["B"], "start": ["2026-01-01"], "end": ["2026-01-02"]}).to_excel(
        path, sheet_name="Visits", index=False
    )
    with pytest.raises(exceptions.ExportReadError, match="the workbook has no sheet 'Log'. Its sheets are: Visits"):
        read_export(path, {"sheet": "Log"})


def test_the_command_line_prints_the_message_without_a_traceback(capsys):
    code = main(["metrics", str(BAD / "unknown_columns.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert "the columns needed were not found" in err
    assert "Traceback" not in err
