"""The flow graph of a map: supplier, steps and customer joined by handoffs.

Plain graph algorithms on node names and ``(source, target)`` edges, shared by
the model's validation (cycles, reachability) and the lean metrics (flow order,
critical path). Maps are small (tens of steps), so clarity wins over cleverness,
but every function is linear or near-linear in nodes plus edges.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence

SUPPLIER = "supplier"
"""The node where every stream starts; handoffs name it as their source."""

CUSTOMER = "customer"
"""The node where every stream ends; handoffs name it as their target."""

ENDPOINTS = (SUPPLIER, CUSTOMER)

Edge = tuple[str, str]


def successors(edges: Iterable[Edge]) -> dict[str, list[str]]:
    """Map each node to the targets of its edges, in edge order.

    Parameters
    ----------
    edges : iterable of (str, str)
        ``(source, target)`` pairs.

    Returns
    -------
    dict of str to list of str
    """
    table: dict[str, list[str]] = {}
    for source, target in edges:
        table.setdefault(source, []).append(target)
    return table


def reachable(start: str, edges: Iterable[Edge], *, reverse: bool = False) -> set[str]:
    """Every node reachable from `start` along the edges (or against them).

    Parameters
    ----------
    start : str
        The node to start from; it is part of the result.
    edges : iterable of (str, str)
        ``(source, target)`` pairs.
    reverse : bool
        Walk against the edges: the nodes from which `start` can be reached.

    Returns
    -------
    set of str
    """
    pairs = [(t, s) for s, t in edges] if reverse else list(edges)
    table = successors(pairs)
    seen = {start}
    stack = [start]
    while stack:
        for node in table.get(stack.pop(), ()):
            if node not in seen:
                seen.add(node)
                stack.append(node)
    return seen


def find_cycle(nodes: Sequence[str], edges: Sequence[Edge]) -> list[str] | None:
    """A cycle in the graph, or None when it has none.

    Parameters
    ----------
    nodes : sequence of str
        Every node; the search starts from them in this order.
    edges : sequence of (str, str)
        ``(source, target)`` pairs.

    Returns
    -------
    list of str or None
        The nodes of the first cycle found, closing with the first node again,
        such as ``["a", "b", "a"]``.
    """
    table = successors(edges)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in nodes:
        if state.get(root):
            continue
        path = [root]
        state[root] = 1
        iterators = [iter(table.get(root, ()))]
        while iterators:
            node = next(iterators[-1], None)
            if node is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(node) == 1:
                return [*path[path.index(node) :], node]
            elif not state.get(node):
                state[node] = 1
                path.append(node)
                iterators.append(iter(table.get(node, ())))
    return None


def topological_order(nodes: Sequence[str], edges: Sequence[Edge]) -> list[str]:
    """Order the nodes so that every edge points forward.

    Among nodes that are free to come next, the one listed first in `nodes`
    goes first, so a linear map keeps its file order and parallel branches
    come out in a stable, predictable order.

    Parameters
    ----------
    nodes : sequence of str
        Every node, in preference order.
    edges : sequence of (str, str)
        ``(source, target)`` pairs of an acyclic graph.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If the graph has a cycle.
    """
    rank = {node: index for index, node in enumerate(nodes)}
    indegree = dict.fromkeys(nodes, 0)
    for _, target in edges:
        indegree[target] += 1
    table = successors(edges)
    ready = [rank[node] for node in nodes if indegree[node] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        node = nodes[heapq.heappop(ready)]
        order.append(node)
        for target in table.get(node, ()):
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, rank[target])
    if len(order) != len(nodes):
        raise ValueError("the graph has a cycle")
    return order


def longest_path(
    order: Sequence[str],
    edges: Sequence[Edge],
    node_score: Callable[[str], tuple[float, ...]],
    edge_score: Mapping[Edge, tuple[float, ...]],
    rank: Mapping[str, int],
    digits: int = 6,
) -> list[str]:
    """The highest-scoring path from the first node of `order` to the last.

    Scores are tuples added element by element and compared in order, so
    ``(elapsed, process)`` means "longest elapsed time, then most process
    time". Scores that agree to `digits` decimal places are ties, so sums of
    floats that differ only by rounding do not decide anything. Remaining ties
    go to the path whose nodes come earliest by `rank`, compared node by node
    from the start.

    Parameters
    ----------
    order : sequence of str
        A topological order; its first node is the source, its last the sink.
    edges : sequence of (str, str)
        ``(source, target)`` pairs.
    node_score : callable
        The score of passing through a node.
    edge_score : mapping of (str, str) to tuple of float
        The score of following each edge.
    rank : mapping of str to int
        Tie-break rank of each node: lower comes first.
    digits : int
        Decimal places of a score that count.

    Returns
    -------
    list of str
        The nodes of the path, source and sink included; empty when the sink
        cannot be reached.
    """
    incoming: dict[str, list[str]] = {}
    for source, target in edges:
        incoming.setdefault(target, []).append(source)
    source = order[0]
    # Each node keeps its best score and the node before it: copying whole paths, or comparing them
    # on every step, made a chain of 10,000 steps quadratic. Paths are walked back only to break ties.
    best: dict[str, tuple[tuple[float, ...], str | None]] = {source: (node_score(source), None)}

    def path_to(node: str) -> list[str]:
        path = [node]
        while (node := best[node][1]) is not None:
            path.append(node)
        return path[::-1]

    def rounded(score: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(round(x, digits) for x in score)

    for node in order[1:]:
        candidates = []
        for previous in incoming.get(node, ()):
            if previous not in best:
                continue
            steps = zip(best[previous][0], edge_score[(previous, node)], node_score(node), strict=True)
            candidates.append((tuple(a + b + c for a, b, c in steps), previous))
        if len(candidates) < 2:  # one way in (a chain's every node) needs no tie broken
            if candidates:
                best[node] = candidates[0]
            continue
        top = max(rounded(score) for score, _ in candidates)
        tied = [c for c in candidates if rounded(c[0]) == top]
        best[node] = tied[0] if len(tied) == 1 else max(tied, key=lambda c: [-rank[n] for n in path_to(c[1])])
    return path_to(order[-1]) if order[-1] in best else []
