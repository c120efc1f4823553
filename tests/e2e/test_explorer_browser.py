"""The map explorer in a real JupyterLab, driven as a coach would: run the notebook, edit, save.

Each test starts JupyterLab over a temporary copy of ``notebooks/explore_map.ipynb`` and
the sample map it opens, so the map saved at the end is a copy and the checkout stays clean.
"""

from __future__ import annotations

import re

import pytest

from tests.paths import ROOT
from vsm_widgets.io.map_file import load_map

pytestmark = pytest.mark.e2e

NOTEBOOK = "notebooks/explore_map.ipynb"
MAP = "data/samples/maps/software_delivery.yaml"
SCENARIO = "data/samples/maps/software_delivery.scenario.yaml"
# The kernel imports Altair and bundles the offline chart code before the explorer shows.
WIDGET_TIMEOUT_MS = 120_000
STEP_TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def _patient_expect():
    """Give every expectation here the time a loaded two-core machine needs, and restore the default after."""
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


def _open_explorer(jupyter_lab, offline_page):
    from playwright.sync_api import expect

    lab = jupyter_lab({path: ROOT / path for path in (NOTEBOOK, MAP, SCENARIO)})
    page = offline_page.page
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(lab.open_url(NOTEBOOK))
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=WIDGET_TIMEOUT_MS)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    process_time = page.locator(".vsm-step-build-process_time input")
    # JupyterLab shows a traceback as standard error; a mere warning there is no failure.
    error = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").filter(
        has_text=re.compile(r"Traceback|\w+Error\b")
    )
    expect(process_time.or_(error)).to_be_visible(timeout=WIDGET_TIMEOUT_MS)
    if error.count():
        pytest.fail(f"the notebook failed in JupyterLab:\n{error.first.inner_text()}")
    expect(process_time).to_have_value("30 h")
    expect(page.locator(".vsm-map-chart svg").first).to_be_visible(timeout=WIDGET_TIMEOUT_MS)
    return lab, page, process_time


def _card(page, key: str):
    return page.locator(f".vsm-card-{key} .vsm-card-value")


def test_editing_a_process_time_moves_the_card_and_the_chart_and_saves_to_the_file(jupyter_lab, offline_page):
    from playwright.sync_api import expect

    lab, page, process_time = _open_explorer(jupyter_lab, offline_page)
    map_chart = page.locator(".vsm-map-chart svg").first
    # Cards word durations as the readouts do: 648 hours are 27 days, 638 hours 26.6 days.
    expect(_card(page, "lead_time")).to_contain_text("27 days")
    expect(map_chart).to_contain_text("PT 30 hours")

    process_time.fill("20")
    process_time.press("Enter")

    expect(_card(page, "lead_time")).to_contain_text("26.6 days")
    expect(_card(page, "process_time")).to_contain_text("38 hours")
    expect(map_chart).to_contain_text("PT 20 hours")
    expect(page.locator(".vsm-step-chart svg").first).to_contain_text("20 hours")
    expect(process_time).to_have_value("20 h")

    page.locator(".vsm-save").click()
    expect(page.locator(".vsm-explorer-message")).to_contain_text("Saved")
    saved = load_map(lab.root / MAP)
    assert saved.step("build").process_time.to("hours") == 20
    assert saved.lead_time().to("hours") == 638
    assert offline_page.blocked == [], "the explorer asked the network for something"


def test_an_invalid_entry_shows_a_message_and_changes_nothing(jupyter_lab, offline_page):
    from playwright.sync_api import expect

    lab, page, process_time = _open_explorer(jupyter_lab, offline_page)

    process_time.fill("next week")
    process_time.press("Enter")

    message = page.locator(".vsm-step-build .vsm-field-process_time .vsm-message")
    expect(message).to_contain_text("'next week' is not a duration")
    expect(process_time).to_have_value("next week")
    expect(_card(page, "lead_time")).to_contain_text("27 days")
    expect(page.locator(".vsm-map-chart svg").first).to_contain_text("PT 30 hours")

    page.locator(".vsm-save").click()
    expect(page.locator(".vsm-explorer-message")).to_contain_text("Saved")
    saved = load_map(lab.root / MAP)
    assert saved.step("build").process_time.to("hours") == 30
    assert saved == load_map(ROOT / MAP)
    assert offline_page.blocked == [], "the explorer asked the network for something"
