from vsm_widgets.wording import number, p_value_text, pair_text, percent, wait_place


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


def test_two_values_of_one_quantity_share_a_unit():
    # 48 h is 2 days, so 43 h beside it reads 1.8 days, never "2 days -> 43 hours".
    assert pair_text(48.0, 43.0, "hours") == ("2 days", "1.8 days")
    assert pair_text(10.0, 0.0, "hours") == ("10 hours", "0")
