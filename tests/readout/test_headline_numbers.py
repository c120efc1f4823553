"""The headline payload a readout notebook displays for the batch index."""

from __future__ import annotations

import json
from unittest import mock

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tests.paths import MAPS
from vsm_widgets.io.map_file import load_map
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.readout import headline_numbers
from vsm_widgets.readout.headline_numbers import (
    SUMMARY_MIMETYPE,
    display_summary,
    summary_from_notebook,
    summary_payload,
)

SAMPLE_MAPS = MAPS
T0 = pd.Timestamp("2026-03-02 09:00", tz="UTC")


def _hours(h: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=h)


@pytest.fixture(scope="module")
def software_change() -> EventLog:
    """DOMAIN's software change: 12 h + 30 h + 6 h of work delivered 648 h (27 days) after it started."""
    visits = pd.DataFrame(
        {
            "item": ["CHG-1"] * 3,
            "step": ["Analysis", "Development", "Release"],
            "start": [_hours(0), _hours(212), _hours(642)],
            "end": [_hours(12), _hours(242), _hours(648)],
        }
    )
    return EventLog.from_visits(visits, source="exports/software_change.csv")


def test_export_payload(software_change):
    payload = summary_payload(software_change)
    assert payload["name"] == "software_change"
    assert payload["source"] == "export"
    assert payload["unit"] == "hours"
    assert payload["lead_time"] == pytest.approx(648)
    assert payload["flow_efficiency"] == pytest.approx(48 / 648)
    assert payload["largest_wait"]["from"] == "Development"
    assert payload["largest_wait"]["to"] == "Release"
    assert payload["largest_wait"]["wait"] == pytest.approx(400)
    assert payload["largest_wait"]["place"] == "between Development and Release"
    # The batch index shows whether two readouts were counted the same way.
    assert payload["conventions"]["calendar"] == "calendar time (24 h a day, every day)"
    assert payload["conventions"]["clock starts at"] == "first active step"
    assert payload["conventions"]["percentiles"].startswith("linear interpolation")
    json.dumps(payload)


def test_map_payload():
    payload = summary_payload(load_map(SAMPLE_MAPS / "four_functions.yaml"), name="quote")
    assert payload["name"] == "quote"
    assert payload["source"] == "map"
    assert payload["unit"] == "days"
    assert payload["lead_time"] == pytest.approx(44)
    assert payload["flow_efficiency"] == pytest.approx(29 / 44)
    assert payload["largest_wait"] == {
        "from": "ops",
        "to": "delivery",
        "place": "between Ops and Delivery",
        "wait": pytest.approx(7),
        "unit": "days",
        "statistic": "the largest wait on the critical path, on an arrow or inside a block",
    }
    json.dumps(payload)


def test_a_map_whose_largest_wait_is_inside_a_block():
    payload = summary_payload(load_map(SAMPLE_MAPS / "parallel.yaml"))
    # 6 days of block lead time less 2 h of work, on 8-hour days: 5.75 days inside Laptop and accounts.
    assert payload["largest_wait"]["place"] == "inside Laptop and accounts"
    assert payload["largest_wait"]["wait"] == pytest.approx(5.75)


def test_other_objects_are_refused():
    with pytest.raises(TypeError, match="EventLog or a ValueStream"):
        summary_payload({"lead_time": 3})


def test_display_summary_displays_the_payload_raw(software_change):
    with mock.patch.object(headline_numbers, "display") as display:
        display_summary(software_change, name="payments")
    (bundle,), options = display.call_args
    assert list(bundle) == [SUMMARY_MIMETYPE]
    assert bundle[SUMMARY_MIMETYPE]["name"] == "payments"
    assert options == {"raw": True}


def test_summary_from_notebook_takes_the_last_payload():
    nb = new_notebook(
        cells=[
            new_code_cell("a", outputs=[new_output("display_data", data={SUMMARY_MIMETYPE: {"name": "first"}})]),
            new_code_cell("b", outputs=[new_output("stream", name="stdout", text="hi")]),
            new_code_cell("c", outputs=[new_output("display_data", data={SUMMARY_MIMETYPE: {"name": "last"}})]),
        ]
    )
    assert summary_from_notebook(nb) == {"name": "last"}


def test_summary_from_notebook_without_payload():
    assert summary_from_notebook(new_notebook(cells=[new_code_cell("x = 1")])) is None


def test_export_payload_carries_what_the_readout_cannot_show(software_change):
    assert summary_payload(software_change)["cannot_show"] == []
    said = ["Only one item has finished, so ..."]
    assert summary_payload(software_change, limits=said)["cannot_show"] == said
    assert "cannot_show" not in summary_payload(load_map(MAPS / "four_functions.yaml"))
