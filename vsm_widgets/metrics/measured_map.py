"""The measured map: a `ValueStream` derived from an `EventLog`.

A workshop map holds estimates; a timing export holds what happened. This
module turns the second into the first so the two can sit side by side.

How the map is drawn from the visits (``docs/metrics.md``, "The measured map"):

- **Steps** are the log's active steps in flow order that at least `min_share`
  of the items visit; the others are folded away and reported.
- **Arrows.** Each visit's predecessor is the visit of the same item that ended
  last at or before the visit started (none: the supplier). In a sequential
  stream that is simply the previous visit; where work runs in parallel
  (equipment provisioning beside paperwork) the branches come out as branches
  instead of one long chain. A visit that no later visit follows leaves to the
  customer. Moves back to an earlier step or the same step are rework, not
  arrows: they show in the step's %C&A.
- **Rare arrows** (taken by fewer than `min_share` of the items reaching the
  target) are folded away and reported, unless a step would be cut off without
  them.
- **Numbers.** A step's process time is the chosen statistic of its closed
  visits; an arrow's wait is the statistic of the waits observed on it (start of
  the visit minus end of its predecessor; from the item's clock start for the
  supplier arrow; to the item's done time for the customer arrow, finished
  items only). %C&A is measured from rework (`vsm_widgets.metrics.flow.step_metrics`).
  Value classes are not in the data: every measured step starts as value-adding
  until the team tags it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import MapNotMeasurable, VsmInputError
from vsm_widgets.metrics.distribution import percentiles
from vsm_widgets.metrics.flow import step_metrics
from vsm_widgets.metrics.mean_item import MEAN_ITEM, on_map
from vsm_widgets.metrics.visits import item_clock, measure_visits
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.graph import CUSTOMER, SUPPLIER
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Duration

STATISTICS = (MEAN_ITEM, "median", "mean", "p85")
# %C&A must stay above zero for the model; a step every visit of which was sent back gets this floor.
PCT_CA_FLOOR = 0.01
# Steps visited by fewer than this share of the items are folded away (the default `min_share`).
MIN_SHARE = 0.05


def measured_map(
    log: EventLog,
    *,
    statistic: str = MEAN_ITEM,
    min_share: float = MIN_SHARE,
    name: str | None = None,
    unit: str | None = None,
) -> ValueStream:
    """Derive a value stream map from a timing export.

    Parameters
    ----------
    log : EventLog
        The visits, read with `vsm_widgets.read_export`.
    statistic : {"mean item", "median", "mean", "p85"}
        How each step's process time and each arrow's wait are summarised: by default the
        mean item of the partition (`vsm_widgets.metrics.mean_item.on_map`), whose boxes and
        arrows add up to the mean lead time; or a statistic of the visits and passages.
    min_share : float
        Steps visited by fewer than this share of the items, and arrows taken by
        fewer than this share of the items reaching their target, are folded
        away (and listed in ``extra["measured_from"]``).
    name : str, optional
        Title of the map; by default from the log's source.
    unit : str, optional
        Unit of the map's numbers; hours when the median lead time is under
        three days, days otherwise. Days last ``log.calendar.hours_per_day``.

    Returns
    -------
    ValueStream
        With ``extra["measured_from"]``: source, items, statistic, threshold,
        folded steps and arrows, and the log's conventions.

    Raises
    ------
    VsmInputError
        If the statistic or `min_share` is out of range.
    MapNotMeasurable
        If the log has no finished visit to an active step (all work in progress), or no step is
        visited by `min_share` of the items (each item through steps of its own).

    Examples
    --------
    >>> import pandas as pd
    >>> from vsm_widgets.model.event_log import EventLog
    >>> log = EventLog.from_visits(pd.DataFrame({
    ...     "item": ["a", "a"], "step": ["Build", "Test"],
    ...     "start": ["2026-01-01 00:00", "2026-01-01 10:00"], "end": ["2026-01-01 04:00", "2026-01-01 12:00"]}))
    >>> stream = measured_map(log)
    >>> [h.key for h in stream.handoffs]
    [('supplier', 'build'), ('build', 'test'), ('test', 'customer')]
    >>> stream.lead_time().to("hours")
    12.0
    """
    if statistic not in STATISTICS:
        raise VsmInputError(f"unknown statistic {statistic!r}", f"Use one of {', '.join(STATISTICS)}")
    if not 0 <= min_share < 1:
        raise VsmInputError(
            f"min_share must be within [0, 1), not {min_share!r}",
            "Give the share of items below which a step or arrow is folded, such as 0.05",
        )
    visits = measure_visits(log)
    if not len(visits.item) or visits.open.all():
        raise MapNotMeasurable(
            "the log has no finished visit to an active step, so there is no step time to measure a map from",
            "Check that the mapping marks the working statuses as active (statuses: ... kind: active) "
            "and that at least one item has left one of them",
            reason="no finished visit",
        )
    clock = item_clock(log)
    arrows = _observed_arrows(visits, clock)
    items_per_step = np.bincount(
        visits.step[_first_of_item_and_step(visits.item, visits.step)], minlength=len(visits.steps)
    )
    kept_steps = [i for i, count in enumerate(items_per_step) if count and count >= min_share * len(log.items)]
    folded_steps = [visits.steps[i] for i in range(len(visits.steps)) if i not in kept_steps and items_per_step[i]]
    if not kept_steps:
        busiest = int(items_per_step.argmax())
        raise MapNotMeasurable(
            f"no step is visited by {100 * min_share:g} % of the {len(log.items):,} items, the share a step of the map "
            f"needs (the most visited, {visits.steps[busiest]!r}, by {int(items_per_step[busiest]):,}), so there "
            "is no common path to draw",
            "Give the export steps the items share (a coarser step column), or a lower min_share",
            reason="no shared step",
        )

    hours_per_day = log.calendar.hours_per_day
    finished_lead = clock.seconds[clock.finished]
    chosen_unit = unit or ("hours" if len(finished_lead) and np.median(finished_lead) < 3 * 86400 else "days")
    ids = _step_ids([visits.steps[i] for i in kept_steps])
    node_id = {0: SUPPLIER, len(visits.steps) + 1: CUSTOMER} | {i + 1: ids[k] for k, i in enumerate(kept_steps)}

    per_visit = "median" if statistic == MEAN_ITEM else statistic
    steps = _measured_steps(log, visits, kept_steps, ids, per_visit)
    handoffs, folded_arrows = _dominant_arrows(arrows, node_id, items_per_step, min_share, per_visit)
    origin = {
        "source": log.source,
        "items": int(len(log.items)),
        "finished_items": int(clock.finished.sum()),
        "statistic": statistic,
        "min_share": min_share,
        "folded_steps": folded_steps,
        "folded_handoffs": folded_arrows,
        "conventions": dict(log.conventions()),
    }
    stream = ValueStream(
        name or f"Measured map of {log.source or 'a timing export'}",
        tuple(steps),
        tuple(handoffs),
        unit=chosen_unit,
        hours_per_day=hours_per_day,
        extra={"measured_from": origin},
    )
    return on_map(stream, log) if statistic == MEAN_ITEM else stream


def _first_of_item_and_step(item: np.ndarray, step: np.ndarray) -> np.ndarray:
    keys = item.astype(np.int64) * (int(step.max()) + 1) + step
    _, first = np.unique(keys, return_index=True)
    return first


def _observed_arrows(visits, clock) -> pd.DataFrame:
    """Every observed forward arrow: from node, to node, item, wait in counted seconds.

    Two visits of an item are joined when one is the latest to end before the
    other starts, or the other is the first to start after the one ends. The
    union of both rules joins parallel branches where they meet.
    """
    n = len(visits.item)
    customer = len(visits.steps) + 1
    # Rank start and end instants together so (item, instant) fits one sortable int64 key.
    instants, inverse = np.unique(np.concatenate([visits.start_ns, visits.end_ns]), return_inverse=True)
    start_rank, end_rank = inverse[:n], inverse[n:]
    width = np.int64(len(instants) + 1)
    item = visits.item.astype(np.int64)
    by_end = np.lexsort((end_rank, item))
    latest = np.searchsorted(item[by_end] * width + end_rank[by_end], item * width + start_rank, side="right") - 1
    by_start = np.lexsort((start_rank, item))
    earliest = np.searchsorted(item[by_start] * width + start_rank[by_start], item * width + end_rank, side="left")
    before = by_end[np.clip(latest, 0, n - 1)]
    after = by_start[np.clip(earliest, 0, n - 1)]
    visit = np.arange(n)
    has_before = (latest >= 0) & (item[before] == item) & (before != visit)
    has_after = (earliest < n) & (item[after] == item) & (after != visit)
    source_visit = np.concatenate([before[has_before], visit[has_after]]).astype(np.int64)
    target_visit = np.concatenate([visit[has_before], after[has_after]]).astype(np.int64)
    # Both rules often find the same pair; one int64 key per pair makes the union a 1-D unique.
    pair_key = np.unique(source_visit * n + target_visit)
    pairs = np.stack([pair_key // n, pair_key % n])
    source_visit, target_visit = pairs
    forward = visits.step[source_visit] < visits.step[target_visit]
    source_visit, target_visit = source_visit[forward], target_visit[forward]
    # A visit followed by anything, a return for rework included, is not where a branch ends.
    followed = np.zeros(n, dtype=bool)
    followed[pairs[0]] = True
    preceded = np.zeros(n, dtype=bool)
    preceded[pairs[1]] = True
    starts = np.flatnonzero(~preceded)
    ends = np.flatnonzero(~followed & ~visits.open & clock.finished[visits.item])
    wait = np.concatenate(
        [
            visits.start[target_visit] - visits.end[source_visit],
            visits.start[starts] - clock.started[visits.item[starts]],
            clock.close[visits.item[ends]] - visits.end[ends],
        ]
    )
    return pd.DataFrame(
        {
            "source": np.concatenate(
                [visits.step[source_visit] + 1, np.zeros(len(starts), dtype=np.int64), visits.step[ends] + 1]
            ),
            "target": np.concatenate(
                [visits.step[target_visit] + 1, visits.step[starts] + 1, np.full(len(ends), customer)]
            ),
            "item": np.concatenate([visits.item[target_visit], visits.item[starts], visits.item[ends]]),
            "wait": np.maximum(wait, 0.0),
        }
    )


def _summarise(values: pd.Series, statistic: str) -> float:
    if statistic == "mean":
        return float(values.mean())
    return float(percentiles(values, (85 if statistic == "p85" else 50,))[0])


def _measured_steps(log, visits, kept_steps, ids, statistic) -> list[Step]:
    closed = ~visits.open
    # Sorted by step, each step's closed visits are one slice; pandas' get_group fails on a lone group.
    order = np.argsort(visits.step[closed], kind="stable")
    seconds = (visits.end - visits.start)[closed][order]
    bounds = np.searchsorted(visits.step[closed][order], [kept_steps, np.add(kept_steps, 1)])
    pct_ca = step_metrics(log).set_index("step")["pct_ca"]
    steps = []
    for k, position in enumerate(kept_steps):
        label = visits.steps[position]
        of_step = seconds[bounds[0][k] : bounds[1][k]]
        process = _summarise(pd.Series(of_step), statistic) if len(of_step) else 0.0
        share = float(pct_ca.get(label, 1.0))
        steps.append(
            Step(
                ids[k],
                label,
                process_time=Duration(max(process, 0.0)),
                pct_ca=min(max(share if np.isfinite(share) else 1.0, PCT_CA_FLOOR), 1.0),
            )
        )
    return steps


def _dominant_arrows(arrows, node_id, items_per_step, min_share, statistic) -> tuple[list[Handoff], list[dict]]:
    known = arrows["source"].isin(list(node_id)) & arrows["target"].isin(list(node_id))
    folded = []
    grouped = arrows[known].groupby(["source", "target"])
    taken = grouped["item"].nunique()
    reaching = pd.Series(
        {t: items_per_step[t - 1] for t in taken.index.get_level_values(1) if t - 1 < len(items_per_step)}
    )
    keep = []
    for (source, target), count in taken.items():
        base = reaching.get(target, taken.xs(target, level=1).sum())
        if count >= min_share * base:
            keep.append((source, target))
        else:
            folded.append({"from": node_id[source], "to": node_id[target], "items": int(count)})
    keep = _connect(keep, taken, node_id)
    folded = [f for f in folded if (_node_of(node_id, f["from"]), _node_of(node_id, f["to"])) not in keep]
    # An arrow added only to connect a step (one whose items are all still there) has no wait measured on it.
    observed = set(grouped.groups)
    handoffs = [
        Handoff(
            node_id[s],
            node_id[t],
            Duration(max(_summarise(grouped.get_group((s, t))["wait"], statistic), 0.0) if (s, t) in observed else 0.0),
        )
        for s, t in sorted(keep)
    ]
    return handoffs, folded


def _node_of(node_id: Mapping[int, str], step_id: str) -> int:
    return next(node for node, name in node_id.items() if name == step_id)


def _connect(keep: list[tuple[int, int]], taken: pd.Series, node_id: Mapping[int, str]) -> list[tuple[int, int]]:
    """Add back the most taken arrow into and out of any step the threshold left unconnected."""
    customer = max(node_id)
    kept = set(keep)
    for node in sorted(n for n in node_id if n not in (0, customer)):
        if not any(t == node for _, t in kept):
            incoming = taken[[t == node for _, t in taken.index]]
            kept.add(incoming.idxmax() if len(incoming) else (0, node))
        if not any(s == node for s, _ in kept):
            outgoing = taken[[s == node for s, _ in taken.index]]
            kept.add(outgoing.idxmax() if len(outgoing) else (node, customer))
    return sorted(kept)


def _step_ids(labels: list[str]) -> list[str]:
    ids, used = [], set()
    for label in labels:
        base = re.sub(r"[^0-9a-z]+", "_", label.lower()).strip("_") or "step"
        if base in (SUPPLIER, CUSTOMER):
            base = f"{base}_step"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate)
        ids.append(candidate)
    return ids
