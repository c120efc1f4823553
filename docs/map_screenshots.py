"""Make the three screenshots of ``docs/map-chart.md`` from the samples, as the toolkit exports maps.

Each is the PNG that `vsm_widgets.charts.map_export.export_map` writes (twice
the chart's size, white background), rendered by vl-convert with no browser:

1. ``parallel``: the onboarding map with a parallel branch and the kaizen
   bursts of its scenario, numbered as in the implementation plan;
2. ``software_future``: the software delivery map's future state, its changed
   values marked;
3. ``measured_onboarding``: the map measured from the onboarding export at its
   natural width (as a readout's scrolling frame shows it), with skip arrows
   in lanes over the boxes they skip.

Usage::

    python docs/map_screenshots.py            # writes docs/images/map-*.png
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from vsm_widgets.charts.map_export import export_map
from vsm_widgets.future.scenario import load_scenario
from vsm_widgets.io.exports import read_export
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.stream import ValueStream

ROOT = Path(__file__).resolve().parents[1]
MAPS = ROOT / "data" / "samples" / "maps"
IMAGES = ROOT / "docs" / "images"


def main() -> None:
    """Write the three screenshots into ``docs/images``."""
    parallel = load_map(MAPS / "parallel.yaml")
    software = load_map(MAPS / "software_delivery.yaml")
    software_plan = load_scenario(MAPS / "software_delivery.scenario.yaml")
    measured = ValueStream.from_events(read_export(ROOT / "data" / "samples" / "onboarding.csv"))
    shots = {
        "map-parallel.png": (parallel, {"scenario": load_scenario(MAPS / "parallel.scenario.yaml")}),
        "map-software-future.png": (software_plan.apply(software), {"scenario": software_plan, "before": software}),
        "map-measured-onboarding.png": (measured, {"max_width": None}),
    }
    IMAGES.mkdir(exist_ok=True)
    for name, (stream, marks) in shots.items():
        with tempfile.TemporaryDirectory() as folder:
            _, png = export_map(stream, folder, **marks)
            png.replace(IMAGES / name)
        print(IMAGES / name)


if __name__ == "__main__":
    main()
