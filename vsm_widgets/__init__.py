"""vsm-widgets: value stream mapping in Jupyter.

The public API, re-exported from the modules that define it. Each name is
imported on first use (PEP 562), so ``import vsm_widgets`` or formatting a
number with `vsm_widgets.wording` starts neither pandas nor Altair. Charts live
in `vsm_widgets.charts` and the editors in `vsm_widgets.widgets`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> the module that defines it ("flow" is the module itself)
_PUBLIC = {
    "Calendar": "vsm_widgets.calendar",
    "CalendarError": "vsm_widgets.exceptions",
    "Change": "vsm_widgets.future.change",
    "compare": "vsm_widgets.future.compare",
    "Comparison": "vsm_widgets.future.compare",
    "dumps_map": "vsm_widgets.io.map_file",
    "Duration": "vsm_widgets.units",
    "estimate_gaps": "vsm_widgets.metrics.estimates",
    "EventLog": "vsm_widgets.model.event_log",
    "ExportReadError": "vsm_widgets.exceptions",
    "flow": "vsm_widgets.metrics.flow",
    "Handoff": "vsm_widgets.model.stream",
    "how_many": "vsm_widgets.future.forecast",
    "lead_time_forecast": "vsm_widgets.future.forecast",
    "load_map": "vsm_widgets.io.map_file",
    "load_mapping": "vsm_widgets.io.export_mapping",
    "load_scenario": "vsm_widgets.future.scenario",
    "loads_map": "vsm_widgets.io.map_file",
    "loads_scenario": "vsm_widgets.future.scenario",
    "MapFileError": "vsm_widgets.exceptions",
    "MapNotMeasurable": "vsm_widgets.exceptions",
    "Mapping": "vsm_widgets.io.export_mapping",
    "MappingError": "vsm_widgets.exceptions",
    "measured_gaps": "vsm_widgets.metrics.estimates",
    "measured_map": "vsm_widgets.metrics.measured_map",
    "MissingColumnError": "vsm_widgets.exceptions",
    "parse_duration": "vsm_widgets.units",
    "parse_percent": "vsm_widgets.units",
    "QualityIssue": "vsm_widgets.model.event_log",
    "QualityReport": "vsm_widgets.model.event_log",
    "read_export": "vsm_widgets.io.exports",
    "ReadoutError": "vsm_widgets.exceptions",
    "Review": "vsm_widgets.future.review",
    "review": "vsm_widgets.future.review",
    "save_map": "vsm_widgets.io.map_file",
    "save_scenario": "vsm_widgets.future.scenario",
    "Scenario": "vsm_widgets.future.scenario",
    "ScenarioError": "vsm_widgets.exceptions",
    "Step": "vsm_widgets.model.stream",
    "StreamError": "vsm_widgets.exceptions",
    "ValueStream": "vsm_widgets.model.stream",
    "VsmError": "vsm_widgets.exceptions",
    "VsmInputError": "vsm_widgets.exceptions",
    "when_done": "vsm_widgets.future.forecast",
    "with_measurements": "vsm_widgets.metrics.estimates",
}

if TYPE_CHECKING:  # for type checkers and editors; at run time `__getattr__` imports on demand
    from vsm_widgets.calendar import Calendar
    from vsm_widgets.exceptions import (
        CalendarError,
        ExportReadError,
        MapFileError,
        MapNotMeasurable,
        MappingError,
        MissingColumnError,
        ReadoutError,
        ScenarioError,
        StreamError,
        VsmError,
        VsmInputError,
    )
    from vsm_widgets.future.change import Change
    from vsm_widgets.future.compare import Comparison, compare
    from vsm_widgets.future.forecast import how_many, lead_time_forecast, when_done
    from vsm_widgets.future.review import Review, review
    from vsm_widgets.future.scenario import Scenario, load_scenario, loads_scenario, save_scenario
    from vsm_widgets.io.export_mapping import Mapping, load_mapping
    from vsm_widgets.io.exports import read_export
    from vsm_widgets.io.map_file import dumps_map, load_map, loads_map, save_map
    from vsm_widgets.metrics import flow
    from vsm_widgets.metrics.estimates import estimate_gaps, measured_gaps, with_measurements
    from vsm_widgets.metrics.measured_map import measured_map
    from vsm_widgets.model.event_log import EventLog, QualityIssue, QualityReport
    from vsm_widgets.model.stream import Handoff, Step, ValueStream
    from vsm_widgets.units import Duration, parse_duration, parse_percent


def __getattr__(name: str) -> Any:
    """Import a public name on first use.

    Parameters
    ----------
    name : str
        A name of `__all__`.

    Returns
    -------
    object
    """
    if name == "__version__":
        globals()[name] = _installed_version()
        return globals()[name]
    if name not in _PUBLIC:
        raise AttributeError(f"module 'vsm_widgets' has no attribute {name!r}")
    module = importlib.import_module(_PUBLIC[name])
    value = module if name == "flow" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


def _installed_version() -> str:
    """The version pyproject.toml declares, from the package metadata; read on first use of ``__version__``.

    Importing ``importlib.metadata`` costs about 80 ms, which every `vsm metrics` run would pay
    for a number it prints only with ``--version``. A checkout used without installing has none.
    """
    from importlib import metadata

    try:
        return metadata.version("vsm-widgets")
    except metadata.PackageNotFoundError:
        return "0+unknown"


__all__ = [
    "CalendarError",
    "Calendar",
    "Change",
    "Comparison",
    "Duration",
    "EventLog",
    "ExportReadError",
    "Handoff",
    "MapFileError",
    "MapNotMeasurable",
    "Mapping",
    "MappingError",
    "MissingColumnError",
    "QualityIssue",
    "QualityReport",
    "ReadoutError",
    "Review",
    "Scenario",
    "ScenarioError",
    "Step",
    "StreamError",
    "ValueStream",
    "VsmError",
    "VsmInputError",
    "compare",
    "dumps_map",
    "estimate_gaps",
    "flow",
    "how_many",
    "lead_time_forecast",
    "load_map",
    "load_mapping",
    "load_scenario",
    "loads_map",
    "loads_scenario",
    "measured_gaps",
    "measured_map",
    "read_export",
    "review",
    "save_map",
    "save_scenario",
    "parse_duration",
    "parse_percent",
    "when_done",
    "with_measurements",
]
