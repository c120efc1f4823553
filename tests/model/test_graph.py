import pytest

from vsm_widgets.model.graph import find_cycle, longest_path, reachable, topological_order


def test_topological_order_keeps_the_given_order_where_the_flow_allows():
    # b and a are both free after s: b is listed first, so it comes first.
    edges = [("s", "a"), ("s", "b"), ("a", "c"), ("b", "c")]
    assert topological_order(["s", "b", "a", "c"], edges) == ["s", "b", "a", "c"]
    # c is listed first but must wait for a and b.
    assert topological_order(["c", "s", "a", "b"], edges) == ["s", "a", "b", "c"]


def test_topological_order_refuses_a_cycle():
    with pytest.raises(ValueError, match="cycle"):
        topological_order(["a", "b"], [("a", "b"), ("b", "a")])


def test_find_cycle_names_the_loop():
    assert find_cycle(["s", "a", "b"], [("s", "a"), ("a", "b"), ("b", "a")]) == ["a", "b", "a"]
    assert find_cycle(["s", "a", "b"], [("s", "a"), ("a", "b")]) is None


def test_reachable_both_ways():
    edges = [("s", "a"), ("a", "c"), ("x", "c")]
    assert reachable("s", edges) == {"s", "a", "c"}
    assert reachable("c", edges, reverse=True) == {"c", "a", "s", "x"}


def test_longest_path_scores_and_ties():
    # s -> a -> t scores 5 + 1 = 6; s -> b -> t scores 2 + 4 = 6: a tie on the first score.
    edges = [("s", "a"), ("s", "b"), ("a", "t"), ("b", "t")]
    weights = {"s": (0.0, 0.0), "a": (5.0, 1.0), "b": (2.0, 3.0), "t": (0.0, 0.0)}
    edge_score = {("s", "a"): (1.0, 0.0), ("s", "b"): (4.0, 0.0), ("a", "t"): (0.0, 0.0), ("b", "t"): (0.0, 0.0)}
    rank = {"s": 0, "a": 1, "b": 2, "t": 3}
    order = ["s", "a", "b", "t"]
    # the second score decides: b has 3 against a's 1
    assert longest_path(order, edges, weights.get, edge_score, rank) == ["s", "b", "t"]
    # equal on both scores: the earlier node by rank wins
    weights["b"] = (2.0, 1.0)
    assert longest_path(order, edges, weights.get, edge_score, rank) == ["s", "a", "t"]
    # floats that differ only by rounding are a tie too: 0.1 + 0.2 != 0.3 in binary
    edge_score[("s", "a")] = (0.1 + 0.2, 0.0)
    edge_score[("s", "b")] = (0.3, 0.0)
    weights["a"] = weights["b"] = (0.0, 0.0)
    assert longest_path(order, edges, weights.get, edge_score, rank) == ["s", "a", "t"]
