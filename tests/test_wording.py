from vsm_widgets.wording import number, percent


def test_percent_never_rounds_a_partial_share_to_all_or_nothing():
    assert percent(0.7134) == "71 %"
    assert percent(0.9996) == "99.96 %"
    assert percent(0.0004) == "0.04 %"
    assert percent(1.0) == "100 %"
    assert number(-0.0) == "0"
