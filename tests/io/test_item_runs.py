"""The running latest end within each item, with its shortcut for ends that already rise."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_widgets.io.item_runs import running_max


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=6), max_size=8), st.booleans())
def test_running_max_restarts_with_each_item_whether_or_not_ends_rise(items, rising):
    if rising:
        items = [sorted(ends) for ends in items]
    groups = np.array([g for g, ends in enumerate(items) for _ in ends], dtype=np.int64)
    values = np.array([v for ends in items for v in ends], dtype=np.int64)
    # By hand: the largest end so far, item by item.
    expected = [v for ends in items for v in itertools.accumulate(ends, max)]
    assert running_max(values, groups).tolist() == expected


def test_running_max_leaves_its_input_alone():
    values = np.array([3, 1, 2])
    running_max(values, np.zeros(3, dtype=np.int64))
    assert values.tolist() == [3, 1, 2]
