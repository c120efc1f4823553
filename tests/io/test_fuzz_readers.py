"""Any input to the CSV reader and the YAML loaders: a VsmInputError naming the file, or a result that adds up.

Issue 15: a careless or hostile file must never give a traceback, a hang or a row lost without a reason.
"""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.future.scenario import loads_scenario
from vsm_widgets.io.export_mapping import load_mapping
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import loads_map

FUZZ = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = ["item", "step", "start", "end", "status", "timestamp", " item ", "Issue key", "Changed", "x"]
CELLS = st.one_of(
    st.sampled_from(
        [
            "A",
            "Build",
            "Prüfung",
            "Pru\u0308fung",
            "2026-01-01 09:00",
            "2026-01-02T10:00:00Z",
            "05/01/2026 09:00",
            "13/01/2026",
            "1500-01-01",
            "9999-12-31",
            "2262-04-11 23:47:16.854775807",
            "#VALUE!",
            "",
            '"',
            '"a,b"',
            "Done",
            "\t",
            "=cmd()",
        ]
    ),
    st.text(max_size=8),
)
DELIMITER = st.sampled_from([",", ";", "\t", "|"])


@st.composite
def delimited_files(draw: st.DrawFn) -> bytes:
    delimiter = draw(DELIMITER)
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=5))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width + 1), max_size=8))
    text = "\n".join(delimiter.join(line) for line in [header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    return data


def _located(error: VsmInputError, name: str) -> None:
    assert error.file is not None and Path(error.file).name == name, str(error)
    assert str(error).startswith(error.file), str(error)


@FUZZ
@given(data=st.one_of(delimited_files(), st.binary(max_size=200)))
def test_any_delimited_file_gives_a_located_error_or_a_report_that_adds_up(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        try:
            log = read_export(path)
        except VsmInputError as error:
            _located(error, "fuzz.csv")
            return
        quality = log.quality
        dropped = sum(issue.count for issue in quality.issues if issue.action == "dropped")
        assert quality.rows_used + dropped == quality.rows_read
        assert quality.rows_read >= 1
        assert path.read_bytes() == data


MAP_KEYS = ["name", "unit", "hours_per_day", "steps", "handoffs", "id", "process_time", "lead_time", "pct_ca", "wait"]
SCALARS = st.sampled_from(["1", "-1", "1e1", "1e308", ".nan", "2027-02-30", "95%", "10 min", "null", "[", "&a", "*a"])
YAML_WORDS = st.one_of(st.sampled_from(MAP_KEYS), SCALARS, st.text(max_size=6))


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        indent = "  " * draw(st.integers(0, 3))
        dash = draw(st.sampled_from(["", "- "]))
        lines.append(f"{indent}{dash}{draw(YAML_WORDS)}: {draw(YAML_WORDS)}")
    return "\n".join(lines)


@FUZZ
@given(text=st.one_of(yaml_texts(), st.text(max_size=60)))
def test_any_yaml_map_gives_a_located_error_or_a_map(text):
    try:
        stream = loads_map(text, "yaml", source="fuzz.yaml")
    except VsmInputError as error:
        _located(error, "fuzz.yaml")
        return
    assert stream.summary()["unit"]


@FUZZ
@given(text=st.one_of(yaml_texts(), st.text(max_size=60)))
def test_any_yaml_scenario_gives_a_located_error_or_a_scenario(text):
    try:
        loads_scenario(text, source="fuzz.yaml")
    except VsmInputError as error:
        _located(error, "fuzz.yaml")


@FUZZ
@given(text=st.one_of(yaml_texts(), st.text(max_size=60)))
def test_any_yaml_mapping_gives_a_located_error_or_a_mapping(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_mapping(path)
        except VsmInputError as error:
            _located(error, "fuzz.yaml")
