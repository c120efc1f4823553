"""The public API of `vsm_widgets`: every name it had before the layout moved, imported on first use."""

from __future__ import annotations

import subprocess
import sys

import vsm_widgets
from tests.paths import ROOT

# The names `vsm_widgets/__init__.py` re-exported when the modules were flat; none may go.
PUBLIC = {
    "CalendarError", "Calendar", "Change", "Comparison", "Duration", "EventLog", "ExportReadError", "Handoff",
    "MapFileError", "Mapping", "MappingError", "MissingColumnError", "QualityIssue", "QualityReport",
    "ReadoutError", "Review", "Scenario", "ScenarioError", "Step", "StreamError", "ValueStream", "VsmError",
    "VsmInputError", "compare", "dumps_map", "estimate_gaps", "flow", "how_many", "lead_time_forecast",
    "load_map", "load_mapping", "load_scenario", "loads_map", "loads_scenario", "measured_gaps", "measured_map",
    "read_export", "review", "save_map", "save_scenario", "parse_duration", "parse_percent", "when_done",
    "with_measurements",
}  # fmt: skip


def test_every_public_name_is_still_there():
    assert PUBLIC <= set(vsm_widgets.__all__)
    for name in vsm_widgets.__all__:
        assert getattr(vsm_widgets, name) is not None, name
    assert PUBLIC <= set(dir(vsm_widgets))


def test_flow_is_the_flow_metrics_module():
    from vsm_widgets.metrics import flow

    assert vsm_widgets.flow is flow and callable(vsm_widgets.flow.summary)


def test_an_unknown_name_is_an_attribute_error():
    try:
        vsm_widgets.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_importing_the_package_starts_no_pandas():
    code = "import sys, vsm_widgets; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "False"
