import altair as alt
import pandas as pd
import pytest
from altair.utils import schemapi

from vsm_widgets.charts.spec_cache import validated_once


@validated_once
def chart_with_a_bad_scale():
    return alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x=alt.X("x:Q", scale=alt.Scale(type="sideways")))


def test_a_chart_built_without_construction_checks_is_still_validated_when_written_out():
    chart = chart_with_a_bad_scale()
    with pytest.raises(schemapi.SchemaValidationError):
        chart.to_dict()


def test_altair_debug_mode_is_restored_after_building():
    before = schemapi.DEBUG_MODE
    chart_with_a_bad_scale()
    assert schemapi.DEBUG_MODE == before


def test_altair_debug_mode_is_restored_when_a_builder_raises():
    @validated_once
    def failing_builder():
        assert schemapi.DEBUG_MODE is False  # the checks are off while the builder runs
        raise ValueError("no rows to draw")

    before = schemapi.DEBUG_MODE
    with pytest.raises(ValueError, match="no rows to draw"):
        failing_builder()
    assert schemapi.DEBUG_MODE == before
