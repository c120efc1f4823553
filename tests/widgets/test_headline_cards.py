"""HeadlineCards: the six numbers a coach reads off a map, with the change against a baseline."""

from __future__ import annotations

import re

from vsm_widgets.units import Duration
from vsm_widgets.widgets import HeadlineCards
from vsm_widgets.widgets.headline_cards import CARD_TITLES


def card_text(cards: HeadlineCards, key: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", cards.cards[key].value).split())


def test_the_four_functions_example_of_the_domain(four_functions):
    cards = HeadlineCards(four_functions)
    assert list(cards.cards) == list(CARD_TITLES)
    assert cards.texts == {
        "lead_time": "44 days",
        "process_time": "29 days",
        "activity_ratio": "65.9 %",
        "rolled_pct_ca": "100 %",
        "takt_time": "n/a",
        "largest_wait": "7 days",
    }
    assert "15 days waiting" in card_text(cards, "lead_time")
    assert "between Ops and Delivery (no owner)" in card_text(cards, "largest_wait")
    assert "needs demand_per_day" in card_text(cards, "takt_time")


def test_hours_are_also_shown_in_days_of_the_maps_length(software, teaching):
    cards = HeadlineCards(software)
    assert cards.texts["lead_time"] == "27 days"
    assert cards.texts["activity_ratio"] == "7.4 %"
    cards.show(teaching)
    # 636 minutes on 8-hour days: 10.6 hours, under two days of 8 hours.
    assert cards.texts["lead_time"] == "10.6 hours"


def test_takt_and_the_constraint_against_it(teaching):
    cards = HeadlineCards(teaching)
    assert cards.texts["takt_time"] == "12 minutes"
    # Inspection: 7 minutes with half a person is 14 minutes a parcel against a 12-minute takt.
    assert "constraint Inspect parcel: 117 % of takt" in card_text(cards, "takt_time")
    assert cards.texts["largest_wait"] == "4 hours"
    assert "between Pack parcel and Inspect parcel (no owner)" in card_text(cards, "largest_wait")


def test_a_baseline_adds_what_each_number_was_and_the_change(four_functions):
    faster = four_functions.with_handoff(four_functions.handoff("ops", "delivery").replace(wait=Duration.of(2, "days")))
    cards = HeadlineCards()
    cards.show(faster, baseline=four_functions)
    assert cards.texts["lead_time"] == "39 days"
    # 39 / 44 - 1 = -11 %; the activity ratio 29 / 44 = 65.91 % -> 29 / 39 = 74.36 %: +8.45, shown as 8.4 pp.
    assert "was 44 days, \u221211 %" in card_text(cards, "lead_time")
    assert "unchanged" in card_text(cards, "process_time")
    assert "was 65.9 %, +8.4 pp" in card_text(cards, "activity_ratio")


def test_the_largest_wait_inside_a_block_names_the_step_and_its_owner(parallel_map):
    cards = HeadlineCards(parallel_map)
    # Laptop and accounts: 6 days of block lead time less 2 h of work on 8-hour days, owned by the IT service desk.
    assert cards.texts["largest_wait"] == "5.8 days"
    assert "inside Laptop and accounts (owner: IT service desk)" in card_text(cards, "largest_wait")


def test_an_owned_arrow_names_its_owner(four_functions):
    owned = four_functions.with_handoff(four_functions.handoff("ops", "delivery").replace(owner="Head of Ops"))
    assert "between Ops and Delivery (owner: Head of Ops)" in card_text(HeadlineCards(owned), "largest_wait")


def test_names_in_cards_are_text_not_markup(four_functions):
    named = four_functions.with_step(four_functions.step("ops").replace(name="<img src=x onerror=alert(1)>"))
    cards = HeadlineCards(named)
    assert "<img" not in cards.cards["largest_wait"].value
    assert "between &lt;img src=x onerror=alert(1)&gt; and Delivery" in cards.cards["largest_wait"].value
