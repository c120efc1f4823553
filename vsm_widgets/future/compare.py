"""Current against future (or before against after): one table of headline numbers and their change.

`compare` takes two maps (`ValueStream`) or two logs (`EventLog`). For maps the
headline numbers are the lean metrics of `vsm_widgets.model.lean_metrics`, in the
current map's unit; for logs they are the flow metrics of `vsm_widgets.metrics.flow`,
in hours. Every row gives the current and future value, the change (future
minus current; percentage points for shares) and the change in percent of the
current value. Per-step and per-handoff delta tables sit beside the headline,
and the conventions both sides were measured under are printed with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.metrics import flow
from vsm_widgets.metrics.distribution import PERCENTILE_METHOD, percentiles
from vsm_widgets.metrics.throughput import throughput_rate
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.model.stream import ValueStream
from vsm_widgets.units import Duration
from vsm_widgets.wording import SHARE

HEADLINE_COLUMNS = ("metric", "label", "current", "future", "change", "change_pct", "unit")


@dataclass(frozen=True)
class Comparison:
    """Two states side by side.

    Attributes
    ----------
    kind : str
        ``"maps"`` or ``"logs"``.
    headline : DataFrame
        One row per headline number: ``metric`` (key), ``label``, ``current``, ``future``,
        ``change`` (future - current), ``change_pct`` (the change in percent of the current value:
        -31.8 means 31.8 % lower; NaN when the
        current value is zero or missing) and ``unit`` (a time unit, ``"share"`` or a rate).
    steps : DataFrame
        Per-step deltas, with ``status`` ("same", "changed", "added" or "removed").
    handoffs : DataFrame
        Per-handoff deltas, with ``status``.
    conventions : dict of str to str
        How the numbers were measured; where the two sides differ, both are given.
    names : (str, str)
        What the two sides are called.
    """

    kind: str
    headline: pd.DataFrame
    steps: pd.DataFrame
    handoffs: pd.DataFrame
    conventions: dict[str, str] = field(default_factory=dict)
    names: tuple[str, str] = ("current", "future")

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain, JSON-serialisable values (NaN becomes None)."""
        return {
            "kind": self.kind,
            "names": list(self.names),
            "headline": _records(self.headline),
            "steps": _records(self.steps),
            "handoffs": _records(self.handoffs),
            "conventions": dict(self.conventions),
        }

    def format(self) -> str:
        """The comparison as text for a terminal: headline, then steps and handoffs that changed."""
        lines = [f"{self.names[0]}  ->  {self.names[1]}", ""]
        rows = [["", "current", "future", "change", "change %"]]
        for row in self.headline.itertuples(index=False):
            rows.append(
                [
                    row.label,
                    _show(row.current, row.unit),
                    _show(row.future, row.unit),
                    _show(row.change, row.unit, signed=True),
                    # A ratio changes by percentage points, never by a percentage of itself.
                    "" if _missing(row.change_pct) or row.unit == SHARE else f"{row.change_pct:+.1f} %",
                ]
            )
        lines += _table(rows)
        for title, frame in (("Steps", self.steps), ("Handoffs", self.handoffs)):
            changed = frame[frame["status"] != "same"]
            if changed.empty:
                continue
            lines += ["", f"{title} that changed:"]
            # People read step names; the ids stay in the JSON (`to_dict`) for programs.
            ids = [c for c in ("step", "from", "to") if c in changed and ({"name", f"{c}_name"} & set(changed))]
            shown = changed.drop(columns=ids).rename(columns={"from_name": "from", "to_name": "to"})
            shown = shown.astype(object).where(shown.notna(), "")
            rows = [list(shown.columns)] + [[_cell(v) for v in r] for r in shown.itertuples(index=False)]
            lines += _table(rows)
        lines += ["", "Conventions:"] + [f"  {key}: {value}" for key, value in self.conventions.items()]
        return "\n".join(lines)


def compare(current: ValueStream | EventLog, future: ValueStream | EventLog) -> Comparison:
    """Compare two maps, or two logs (current and future state, or before and after).

    Parameters
    ----------
    current, future : ValueStream or EventLog
        Both of the same kind.

    Returns
    -------
    Comparison

    Raises
    ------
    VsmInputError
        If one is a map and the other a log.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> days = lambda n: Duration.of(n, "days")
    >>> before = ValueStream("now", [Step("a", process_time=days(2)), Step("b", process_time=days(3))])
    >>> after = before.with_step(before.step("b").replace(process_time=days(1)))
    >>> row = compare(before, after).headline.set_index("metric").loc["lead_time"]
    >>> float(row["current"]), float(row["future"]), float(row["change_pct"])
    (5.0, 3.0, -40.0)
    """
    if isinstance(current, ValueStream) and isinstance(future, ValueStream):
        return _compare_maps(current, future)
    if isinstance(current, EventLog) and isinstance(future, EventLog):
        return _compare_logs(current, future)
    names = {ValueStream: "a map", EventLog: "an export"}
    raise VsmInputError(
        f"cannot compare {names.get(type(current), repr(current))} with {names.get(type(future), repr(future))}",
        "Compare two maps or two exports",
    )


def _rows(entries: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(entries, columns=["metric", "label", "current", "future", "unit"])
    frame[["current", "future"]] = frame[["current", "future"]].astype(float)
    frame["change"] = frame["future"] - frame["current"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["change_pct"] = np.where(frame["current"] != 0, 100.0 * frame["change"] / frame["current"], np.nan)
    return frame[list(HEADLINE_COLUMNS)]


def _capacity(stream: ValueStream) -> float:
    """Items a day the constraint can finish: one day of the map over its effective cycle time."""
    constraint = stream.constraint()
    if constraint is None:
        return math.nan
    return Duration.of(1, "days", stream.hours_per_day) / constraint.effective_cycle_time


def _compare_maps(current: ValueStream, future: ValueStream) -> Comparison:
    unit, hours = current.unit, current.hours_per_day

    def time(stream: ValueStream, metric: str) -> float:
        return getattr(stream, metric)().to(unit, hours)

    entries = [
        (key, label, time(current, key), time(future, key), unit)
        for key, label in (("lead_time", "Lead time"), ("process_time", "Process time"), ("wait_time", "Wait time"))
    ]
    entries += [
        ("activity_ratio", "Activity ratio", current.activity_ratio(), future.activity_ratio(), SHARE),
        ("pce", "Process cycle efficiency (PCE)", current.pce(), future.pce(), SHARE),
        ("rolled_pct_ca", "Rolled %C&A", current.rolled_pct_ca(), future.rolled_pct_ca(), SHARE),
        ("throughput", "Capacity of the constraint", _capacity(current), _capacity(future), "items/day"),
    ]
    conventions = _merged(current.conventions(), future.conventions())
    conventions["unit"] = f"times in {unit} of {hours:g} h; the future map is converted to them"
    conventions["throughput"] = "a map's throughput is what its constraint can finish: 1 day / effective cycle time"
    return Comparison(
        "maps",
        _rows(entries),
        _map_steps(current, future, unit, hours),
        _map_handoffs(current, future, unit, hours),
        conventions,
        (current.name or "current", future.name or "future"),
    )


def _map_steps(current: ValueStream, future: ValueStream, unit: str, hours: float) -> pd.DataFrame:
    def table(stream: ValueStream) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "step": list(stream.step_ids),
                "name": [s.name for s in stream.steps],
                "process_time": [s.process_time.to(unit, hours) for s in stream.steps],
                "elapsed": [s.elapsed.to(unit, hours) for s in stream.steps],
                "pct_ca": [s.pct_ca for s in stream.steps],
            }
        )

    return _deltas(table(current), table(future), ["step"], ["process_time", "elapsed", "pct_ca"], keep=["name"])


def _map_handoffs(current: ValueStream, future: ValueStream, unit: str, hours: float) -> pd.DataFrame:
    def table(stream: ValueStream) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "from": [h.source for h in stream.handoffs],
                "to": [h.target for h in stream.handoffs],
                "from_name": [stream.label(h.source) for h in stream.handoffs],
                "to_name": [stream.label(h.target) for h in stream.handoffs],
                "wait": [stream.wait_of(h).to(unit, hours) for h in stream.handoffs],
            }
        )

    return _deltas(table(current), table(future), ["from", "to"], ["wait"], keep=["from_name", "to_name"])


def _log_numbers(log: EventLog) -> dict[str, float]:
    items = flow.item_metrics(log)
    finished = items[items["finished"]]
    lead = finished["lead_time_hours"].to_numpy(dtype=float)
    efficiency = flow.flow_efficiency(log)
    steps = flow.step_metrics(log)

    lead_median, lead_p85 = _percentiles(lead, (50, 85))
    return {
        # The mean item's lead time: what the measured maps and their ladders add up to (DESIGN 4.5).
        "lead_time_mean": float(lead.mean()) if len(lead) else math.nan,
        "lead_time_median": lead_median,
        "lead_time_p85": lead_p85,
        "active_time_median": _percentiles(finished["active_time_hours"], (50,))[0],
        "wait_time_median": _percentiles(finished["wait_time_hours"], (50,))[0],
        "flow_efficiency": efficiency["portfolio"],
        "flow_efficiency_mean_of_items": efficiency["mean_of_items"],
        "rolled_pct_ca": float(np.prod(steps["pct_ca"].dropna())) if steps["pct_ca"].notna().any() else math.nan,
        "throughput": throughput_rate(log, "weeks"),
        "finished_items": float(len(finished)),
    }


def _percentiles(values: Any, ranks: tuple[int, ...]) -> list[float]:
    """`distribution.percentiles` as plain floats, NaN for each when there are no values."""
    return [float(v) for v in percentiles(values, ranks)]


_LOG_ROWS = (
    ("lead_time_mean", "Lead time, mean item", "hours"),
    ("lead_time_median", "Lead time, median", "hours"),
    ("lead_time_p85", "Lead time, 85th percentile", "hours"),
    ("active_time_median", "Active time, median", "hours"),
    ("wait_time_median", "Wait time, median", "hours"),
    ("flow_efficiency", "Flow efficiency (portfolio)", SHARE),
    ("flow_efficiency_mean_of_items", "Flow efficiency (mean of items, a different number)", SHARE),
    ("rolled_pct_ca", "Rolled %C&A (measured)", SHARE),
    ("throughput", "Throughput", "items/week"),
    ("finished_items", "Finished items", "items"),
)


def _compare_logs(current: EventLog, future: EventLog) -> Comparison:
    before, after = _log_numbers(current), _log_numbers(future)
    entries = [(key, label, before[key], after[key], unit) for key, label, unit in _LOG_ROWS]
    conventions = _merged(current.conventions(), future.conventions())
    conventions["percentiles"] = PERCENTILE_METHOD
    conventions["unit"] = "hours on each log's calendar"
    conventions["rolled %C&A"] = "product of each step's measured %C&A (1 - share of visits followed by a return)"
    steps = ["visits", "process_time_median_hours", "pct_ca"]
    waits = ["count", "wait_median_hours", "wait_p85_hours"]
    return Comparison(
        "logs",
        _rows(entries),
        _deltas(
            flow.step_metrics(current)[["step", *steps]], flow.step_metrics(future)[["step", *steps]], ["step"], steps
        ),
        _deltas(
            flow.handoff_metrics(current)[["from", "to", *waits]],
            flow.handoff_metrics(future)[["from", "to", *waits]],
            ["from", "to"],
            waits,
        ),
        conventions,
        (current.source or "current", future.source or "future"),
    )


def _deltas(
    current: pd.DataFrame, future: pd.DataFrame, keys: list[str], values: list[str], keep: list[str] | None = None
) -> pd.DataFrame:
    """Outer join on `keys`: each value column as ``_current``, ``_future`` and ``_change``, plus a status."""
    keep = keep or []
    # Rows keep the current state's order, with rows only the future has after them in its order.
    current = current.assign(_order=np.arange(len(current)))
    future = future.assign(_order=np.arange(len(current), len(current) + len(future)))
    joined = current.merge(future, on=keys, how="outer", suffixes=("_current", "_future"), indicator=True)
    joined = joined.assign(_order=joined["_order_current"].fillna(joined["_order_future"]))
    joined = joined.sort_values("_order", kind="stable").reset_index(drop=True)
    table = joined[keys].copy()
    for column in keep:
        table[column] = joined[f"{column}_future"].fillna(joined[f"{column}_current"])
    changed = np.zeros(len(joined), dtype=bool)
    for column in values:
        now, then = joined[f"{column}_current"].astype(float), joined[f"{column}_future"].astype(float)
        table[f"{column}_current"], table[f"{column}_future"], table[f"{column}_change"] = now, then, then - now
        changed |= ~np.isclose(now.fillna(0), then.fillna(0), rtol=1e-12, atol=1e-12)
    status = np.where(changed, "changed", "same")
    status = np.where(joined["_merge"] == "left_only", "removed", status)
    table["status"] = np.where(joined["_merge"] == "right_only", "added", status)
    return table


def _merged(current: dict[str, str], future: dict[str, str]) -> dict[str, str]:
    merged = {}
    for key in dict.fromkeys([*current, *future]):
        now, then = current.get(key, ""), future.get(key, "")
        merged[key] = now if now == then else f"current: {now or '-'}; future: {then or '-'}"
    return merged


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _show(value: float, unit: str, signed: bool = False) -> str:
    if _missing(value):
        return "-"
    if unit == SHARE:
        return f"{value * 100:+.1f} pp" if signed else f"{value * 100:.1f} %"
    text = f"{value:+,.4g}" if signed else f"{value:,.4g}"
    return f"{text} {unit}"


def _cell(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records = []
    for row in frame.to_dict("records"):
        records.append({key: _plain(value) for key, value in row.items()})
    return records


def _plain(value: object) -> object:
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if value is pd.NA or value is None:
        return None
    return value
