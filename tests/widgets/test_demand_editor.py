"""DemandEditor: the customer's demand and the working day give the takt time the explorer shows."""

from __future__ import annotations

from vsm_widgets.units import Duration
from vsm_widgets.widgets import DemandEditor, MapExplorer


def test_demand_gives_a_takt_time_on_one_working_day_unless_the_available_time_is_typed(four_functions):
    editor = DemandEditor(four_functions)
    assert editor.stream.takt_time() is None
    assert "needs the customer's demand" in editor.takt.value
    editor.fields["demand_per_day"].input.value = "12"
    assert editor.stream.demand_per_day == 12
    assert editor.stream.takt_time() == Duration.of(2, "hours"), "a 24-hour day over 12 items"
    assert "2 h" in editor.takt.value
    editor.fields["available_time_per_day"].input.value = "7.5 h"
    assert editor.stream.takt_time() == Duration.of(37.5, "minutes")
    assert editor.fields["available_time_per_day"].input.value == "7.5 h"


def test_a_demand_that_is_no_number_is_a_message_and_changes_nothing(four_functions):
    editor = DemandEditor(four_functions)
    editor.fields["demand_per_day"].input.value = "lots"
    assert "'lots' is not a number" in editor.fields["demand_per_day"].message
    assert "Customer demand per day: " in editor.messages.children[0].value
    assert editor.stream == four_functions
    editor.fields["demand_per_day"].input.value = "0"
    assert "above 0" in editor.fields["demand_per_day"].message
    editor.fields["demand_per_day"].input.value = "20"
    assert editor.messages.children == ()


def test_the_explorers_takt_card_follows_the_demand(software_file):
    explorer = MapExplorer.from_file(software_file)
    assert explorer.cards.texts["takt_time"] == "n/a"
    explorer.demand_editor.fields["demand_per_day"].input.value = "4"
    assert explorer.stream.demand_per_day == 4
    assert explorer.cards.texts["takt_time"] != "n/a" and "6" in explorer.cards.texts["takt_time"]


def test_inventory_typed_on_an_arrow_and_its_kind_show_on_the_map_at_once(software_file):
    explorer = MapExplorer.from_file(software_file)
    explorer.demand_editor.fields["demand_per_day"].input.value = "4"
    row = explorer.handoff_editor.rows[("analysis", "build")]
    row.fields["inventory"].input.value = "24"
    row.fields["wait"].input.value = ""
    row.fields["kind"].input.value = "fifo"
    texts = [r["text"] for data in explorer.map_chart.spec["datasets"].values() for r in data if "text" in r]
    assert "24" in texts, "the inventory triangle's count"
    assert "FIFO" in texts, "the FIFO lane symbol's word"
    assert "6 days" in texts, "24 pieces at 4 a day wait 6 days (144 hours)"
