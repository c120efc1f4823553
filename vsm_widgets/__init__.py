"""vsm-widgets: value stream mapping in Jupyter.

The public API, re-exported from the modules that define it.
"""

from vsm_widgets.events import EventLog, QualityIssue, QualityReport
from vsm_widgets.exceptions import (
    CalendarError,
    ExportReadError,
    MapFileError,
    MappingError,
    MissingColumnError,
    ReadoutError,
    ScenarioError,
    StreamError,
    VsmError,
    VsmInputError,
)
from vsm_widgets.units import Calendar, Duration, parse_duration, parse_percent

__version__ = "0.1.0"

__all__ = [
    "Calendar",
    "CalendarError",
    "Duration",
    "EventLog",
    "ExportReadError",
    "MapFileError",
    "MappingError",
    "MissingColumnError",
    "QualityIssue",
    "QualityReport",
    "ReadoutError",
    "ScenarioError",
    "StreamError",
    "VsmError",
    "VsmInputError",
    "parse_duration",
    "parse_percent",
]
