from vsm_widgets.wording import number, p_value_text, percent, wait_place


def test_percent_never_rounds_a_partial_share_to_all_or_nothing():
    assert percent(0.7134) == "71 %"
    assert percent(0.9996) == "99.96 %"
    assert percent(0.0004) == "0.04 %"
    assert percent(1.0) == "100 %"
    assert number(-0.0) == "0"


def test_p_values_below_a_thousandth_read_as_such():
    assert p_value_text(4.65e-06) == "p < 0.001"
    assert p_value_text(0.0423) == "p = 0.042"


def test_a_wait_is_placed_on_an_arrow_or_inside_a_box():
    assert wait_place("Build", "Test") == "between Build and Test"
    assert wait_place("Build", "Build") == "inside Build"
    assert wait_place("supplier", "Build") == "before Build starts"
    assert wait_place("Test", "customer") == "after Test, before the item is done"
