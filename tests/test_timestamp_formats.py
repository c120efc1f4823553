"""The format suggested for numeric dates when none of the common forms is recognised."""

from __future__ import annotations

import pandas as pd
import pytest

from vsm_widgets.timestamp_formats import suggest_format


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1/5/2026 9:03:11 AM", "1/13/2026 4:05:59 PM"], "%m/%d/%Y %I:%M:%S %p"),
        (["1/5/2026 9:03 AM"], "%m/%d/%Y %I:%M %p"),  # undecided, 12-hour: the US form
        (["13/01/2026 9:03 PM"], "%d/%m/%Y %I:%M %p"),  # 13 is no month
        (["05-01-2026 16:05:00"], "%d-%m-%Y %H:%M:%S"),  # undecided, 24-hour: day first
        (["01-13-26 16:05"], "%m-%d-%y %H:%M"),
        (["2026.01.13"], "%Y.%m.%d"),
        (["13.01.2026"], "%d.%m.%Y"),
    ],
)
def test_the_suggested_format_follows_the_values(values, expected):
    assert suggest_format(pd.Series(values)) == expected
    assert pd.to_datetime(pd.Series(values), format=expected, errors="coerce").notna().all()


def test_no_format_is_suggested_for_what_is_not_a_numeric_date():
    assert suggest_format(pd.Series(["yesterday", "#VALUE!"])) is None
