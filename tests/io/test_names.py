"""Name normalisation: the Arrow scan for names that may change misses none that do."""

import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_widgets.io.names import _distinct, _encoded, _maybe_changed, normalise_names
from vsm_widgets.io.quality import QualityTally
from vsm_widgets.io.text_codes import encode_text

# Names built from ASCII letters, every character str.strip() removes, combining marks and a NUL.
NAME_CHARACTERS = st.sampled_from(list("ab Z\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u2003\u0308\u00fc\x00\uff22"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(NAME_CHARACTERS, max_size=6), min_size=1, max_size=20, unique=True))
def test_every_name_that_stripping_nfc_or_a_nul_changes_is_looked_at(names):
    # The distinct names as the reader finds them: pandas 2.2's unique() takes "" and "\x00" for one.
    values = pd.Series(names, dtype="str")
    # Item and step names are found among the values of their codes, the other name columns by a unique().
    for distinct in (_distinct(values), _encoded(values)[1]):
        scanned = set(_maybe_changed(distinct))
        for name in names:
            if unicodedata.normalize("NFC", name.strip()) != name or "\x00" in name:
                assert name in scanned


def test_the_codes_of_unchanged_item_and_step_columns_are_handed_back_and_no_others():
    frame = pd.DataFrame(
        {"item": ["B-2", "A-1", "B-2"], "step": ["Build ", "Test", "Build"], "status": ["x", "y", "x"]}
    ).astype("str")
    frame["row"] = [2, 3, 4]
    encoded = {}
    normal = normalise_names(frame, QualityTally(3), "x.csv", {}, encoded)
    # The step column changed ("Build " became "Build"), so its codes as read would be wrong: only the item's are kept.
    assert list(encoded) == ["item"]
    codes, values = encoded["item"]
    assert codes.tolist() == [1, 0, 1] and values.to_pylist() == ["A-1", "B-2"]
    assert normal["step"].tolist() == ["Build", "Test", "Build"]
    assert codes.tolist() == encode_text(normal["item"])[0].tolist()


def test_item_keys_with_a_space_at_either_end_or_in_nfd_are_normalised():
    frame = pd.DataFrame({"item": ["A-1", " A-1", "Bu\u0308ro", "C-2\t", "D"], "row": [2, 3, 4, 5, 6]}).astype(
        {"item": "str"}
    )
    tally = QualityTally(5)
    normal = normalise_names(frame, tally, "x.csv", {"item": "Key"})
    assert normal["item"].tolist() == ["A-1", "A-1", "B\u00fcro", "C-2", "D"]
    (issue,) = tally.report(5).issues
    assert (issue.reason, issue.count, issue.rows) == ("name normalised", 3, (3, 4, 5))
