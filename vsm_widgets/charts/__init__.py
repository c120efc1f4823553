"""Altair charts of maps, flow and comparisons: computed tables or model objects in, a chart out.

Importing the package registers the ``"vsm"`` theme and enables it unless
another theme was chosen (`vsm_widgets.charts.theme.use_theme`).
"""

from vsm_widgets.charts.compare import headline_change_chart, paired_ladder_chart, paired_step_chart
from vsm_widgets.charts.flow import (
    aging_wip_chart,
    cumulative_flow_chart,
    flow_distribution_chart,
    throughput_chart,
    wip_run_chart,
)
from vsm_widgets.charts.lead_time import lead_time_histogram, lead_time_scatter
from vsm_widgets.charts.map import value_stream_map
from vsm_widgets.charts.spc import control_chart, xmr_chart
from vsm_widgets.charts.theme import MAX_DATA_ROWS, log_conventions, map_conventions, subtitle, use_theme
from vsm_widgets.charts.time_shares import time_share_chart, waste_pareto_chart
from vsm_widgets.charts.timeline import ladder_chart, step_time_chart

use_theme()

__all__ = [
    "MAX_DATA_ROWS",
    "aging_wip_chart",
    "control_chart",
    "cumulative_flow_chart",
    "flow_distribution_chart",
    "headline_change_chart",
    "ladder_chart",
    "lead_time_histogram",
    "lead_time_scatter",
    "log_conventions",
    "map_conventions",
    "paired_ladder_chart",
    "paired_step_chart",
    "step_time_chart",
    "subtitle",
    "throughput_chart",
    "time_share_chart",
    "use_theme",
    "value_stream_map",
    "waste_pareto_chart",
    "wip_run_chart",
    "xmr_chart",
]
