"""Interactive editors for value stream maps in Jupyter: thin ipywidgets views over the model.

Each widget holds the map it shows on a ``stream`` traitlet (an immutable
`ValueStream`); every valid edit replaces it, so other widgets can observe it
and undo needs no more than the list of earlier streams. `ScenarioPanel` holds
its future state the same way, on ``scenario``.
"""

from vsm_widgets.widgets.demand_editor import DemandEditor
from vsm_widgets.widgets.handoff_editor import HandoffEditor
from vsm_widgets.widgets.headline_cards import HeadlineCards
from vsm_widgets.widgets.map_explorer import MapExplorer
from vsm_widgets.widgets.scenario_panel import ScenarioPanel
from vsm_widgets.widgets.step_editor import StepEditor
from vsm_widgets.widgets.waste_tagger import WasteTagger
from vsm_widgets.widgets.waste_tags import WasteTags

__all__ = [
    "DemandEditor",
    "HandoffEditor",
    "HeadlineCards",
    "MapExplorer",
    "ScenarioPanel",
    "StepEditor",
    "WasteTagger",
    "WasteTags",
]
