import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_widgets.io import text_codes
from vsm_widgets.io.text_codes import decode, encode_text, radix_order, stable_order


def by_hand(codes: list[int]) -> list[int]:
    """Positions sorted by code, the position breaking ties: what a stable sort gives."""
    return sorted(range(len(codes)), key=lambda p: (codes[p], p))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=5, max_size=80))
def test_dense_codes_are_put_in_stable_order(codes):
    # No code reaches twice the number of rows (9 < 2 x 5): these take the counting sort.
    assert stable_order(np.array(codes, dtype=np.int64)).tolist() == by_hand(codes)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**34), max_size=60))
def test_codes_of_any_spread_are_put_in_stable_order_and_the_radix_passes_agree(codes):
    # Codes up to 2**34 take three 16-bit passes; the few short dense lists drawn take the counting sort.
    array = np.array(codes, dtype=np.int64)
    assert stable_order(array).tolist() == by_hand(codes)
    if codes:
        assert radix_order(array, max(codes)).tolist() == by_hand(codes)


def test_without_the_counting_sort_dense_codes_take_the_radix_passes(monkeypatch):
    monkeypatch.setattr(text_codes, "_counting_sort", None)
    assert stable_order(np.array([2, 0, 2, 1, 0, 1])).tolist() == [1, 4, 3, 5, 0, 2]


def test_the_counting_sort_is_there_and_returns_positions_as_int64():
    # pandas keeps it private: if a release renames it, this says so before the slower path goes unnoticed.
    assert text_codes._counting_sort is not None
    order = stable_order(np.array([1, 0, 1], dtype=np.int64))
    assert order.dtype == np.int64 and order.tolist() == [1, 0, 2]


def test_codes_follow_text_order_and_decode_back_to_the_text():
    values = pd.Series(["Review", "Build", None, "Review", "Ärger", "build"])
    codes, dictionary = encode_text(values)
    # Text order is code point order: upper case before lower case, Ä after every ASCII letter.
    assert dictionary.to_pylist() == ["Build", "Review", "build", "Ärger"]
    assert codes.tolist() == [1, 0, -1, 1, 3, 2]
    assert decode(codes, dictionary).to_pylist() == ["Review", "Build", None, "Review", "Ärger", "build"]


@pytest.mark.parametrize("values", [pd.Series([], dtype=object), pd.Series([None, None], dtype=object)])
def test_a_column_with_no_text_gets_only_missing_codes(values):
    codes, dictionary = encode_text(values)
    assert codes.tolist() == [-1] * len(values) and len(dictionary) == 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["b", "a", "é", "", "a b", "Z"])), max_size=6), max_size=5)
)
def test_text_in_chunks_gets_codes_in_text_order_against_one_dictionary(chunks):
    # Text that pandas holds in chunks (joined frames, tables built in memory): each value must get
    # the code of its place among all the distinct values, whichever chunk it came from.
    column = pa.chunked_array(chunks, pa.large_string())
    codes, dictionary = encode_text(
        pd.Series(pd.arrays.ArrowStringArray(column)) if len(column) else pd.Series([], dtype=object)
    )
    values = [value for chunk in chunks for value in chunk]
    distinct = sorted({value for value in values if value is not None})
    assert dictionary.to_pylist() == distinct
    assert codes.tolist() == [-1 if value is None else distinct.index(value) for value in values]
