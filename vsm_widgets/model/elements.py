"""The elements of a value stream map: `Step` (a box) and `Handoff` (an arrow).

Both are frozen values that check their own fields on construction, so an
editor cannot even build a step whose lead time is shorter than its process
time. Problems are `StreamError` with ``step``/``handoff`` and ``key`` set, worded by
`vsm_widgets.model.field_checks`.
Whole-map checks (unique ids, cycles, reachability) live in
`vsm_widgets.model.stream`, which re-exports both classes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real
from types import MappingProxyType
from typing import Any

from vsm_widgets.exceptions import StreamError
from vsm_widgets.model.field_checks import check_duration, check_number, check_text
from vsm_widgets.model.graph import ENDPOINTS
from vsm_widgets.model.waste import normalise_step_value, normalise_waste
from vsm_widgets.units import ZERO, Duration

HANDOFF_KINDS = ("push", "pull", "fifo")
"""How work crosses a handoff: pushed on, pulled by the next step, or a first-in-first-out lane."""


def freeze_extra(value: Any) -> Any:
    """A read-only copy of unknown keys: mappings become read-only, lists tuples.

    Parameters
    ----------
    value : object
        A value read from a map file (mapping, list or scalar).

    Returns
    -------
    object
    """
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze_extra(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze_extra(v) for v in value)
    return value


def thaw_extra(value: Any) -> Any:
    """A plain copy of a frozen value (dicts and lists), ready to be written out.

    Parameters
    ----------
    value : object
        A value made by `freeze_extra`.

    Returns
    -------
    object
    """
    if isinstance(value, Mapping):
        return {k: thaw_extra(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw_extra(v) for v in value]
    return value


def _human(duration: Duration) -> str:
    # Steps do not know their map's unit or day length; hours are unambiguous.
    if duration.seconds < 60:
        return duration.format("seconds", digits=3)
    if duration.seconds < 3600:
        return duration.format("minutes", digits=3)
    return duration.format("hours", digits=3)


@dataclass(frozen=True)
class Step:
    """A process block (a box on the map).

    Parameters
    ----------
    id : str
        Unique key that handoffs use; not ``"supplier"`` or ``"customer"``.
    name : str
        Label for people; the id when empty.
    owner : str, optional
        Who runs the step.
    process_time : Duration
        Hands-on time for one item (touch time; cycle time C/T in a factory).
    lead_time : Duration, optional
        Block lead time: from work available to passed on, at least
        `process_time`. The step's elapsed time when given.
    pct_ca : float
        Percent complete and accurate as a share in (0, 1].
    value : str
        ``"va"``, ``"nnva"``, ``"nva"`` (any spelling `normalise_value` accepts), or
        ``"unclassified"`` for a step nobody has classified yet (not value-adding for PCE).
    wastes : tuple of str
        Waste keys (any spelling `normalise_waste` accepts), each once.
    staff : float
        People (or machines) working the step in parallel, more than 0.
    uptime : float
        Share of time the step can run, in (0, 1].
    batch_size : float, optional
        Items moved on together.
    changeover : Duration, optional
        Time to switch between kinds of work.
    notes : str
        Free text.
    extra : mapping
        Unknown keys from the map file, kept read-only and written back on save.
    written_as : mapping
        How quantities were spelled in the map file (key to value, such as
        ``{"process_time": "20 min"}``), so saving keeps the user's spelling.
        Ignored by comparisons; used only while it still reads back to the
        current value.

    Examples
    --------
    >>> from vsm_widgets.units import Duration
    >>> step = Step("review", "Review", process_time=Duration.of(2, "hours"), lead_time=Duration.of(1, "days"))
    >>> step.elapsed.to("hours")
    24.0
    """

    id: str
    name: str = ""
    owner: str | None = None
    process_time: Duration = ZERO
    lead_time: Duration | None = None
    pct_ca: float = 1.0
    value: str = "va"
    wastes: tuple[str, ...] = ()
    staff: float = 1
    uptime: float = 1.0
    batch_size: float | None = None
    changeover: Duration | None = None
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)
    written_as: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise StreamError(f"a step id must be non-empty text, not {self.id!r}", key="id")
        what = f"step '{self.id}'"
        where = {"step": self.id}
        if self.id in ENDPOINTS:
            raise StreamError(f"{what}: '{self.id}' names an end of the stream; choose another id", key="id", **where)
        check_text(self.name, what, "name", **where)
        check_text(self.owner, what, "owner", **where)
        check_text(self.notes, what, "notes", **where)
        check_duration(self.process_time, what, "process_time", **where)
        if self.lead_time is not None:
            check_duration(self.lead_time, what, "lead_time", **where)
            if self.lead_time.seconds < self.process_time.seconds:
                raise StreamError(
                    f"{what}: lead time ({_human(self.lead_time)}) is shorter than process time "
                    f"({_human(self.process_time)}); block lead time includes the process time",
                    key="lead_time",
                    **where,
                )
        if self.changeover is not None:
            check_duration(self.changeover, what, "changeover", **where)
        check_number(self.pct_ca, what, "pct_ca", 0, 1, **where)
        check_number(self.uptime, what, "uptime", 0, 1, **where)
        check_number(self.staff, what, "staff", 0, **where)
        if self.batch_size is not None:
            check_number(self.batch_size, what, "batch_size", 0, **where)
        try:
            value = normalise_step_value(self.value)
        except ValueError as error:
            raise StreamError(f"{what}: {error}", key="value", **where) from None
        wastes = (self.wastes,) if isinstance(self.wastes, str) else tuple(self.wastes)
        try:
            keys = tuple(normalise_waste(w) for w in wastes)
        except ValueError as error:
            raise StreamError(f"{what}: {error}", key="wastes", **where) from None
        if len(set(keys)) != len(keys):
            raise StreamError(
                f"{what}: a waste is listed twice in {list(wastes)}; list each once", key="wastes", **where
            )
        set_field = object.__setattr__  # frozen: normalise once, here
        set_field(self, "name", self.name or self.id)
        set_field(self, "owner", self.owner or None)
        set_field(self, "value", value)
        set_field(self, "wastes", keys)
        set_field(self, "extra", freeze_extra(self.extra))
        set_field(self, "written_as", freeze_extra(self.written_as))

    @property
    def elapsed(self) -> Duration:
        """Elapsed time through the step: the block lead time if given, else the process time."""
        return self.lead_time if self.lead_time is not None else self.process_time

    @property
    def effective_cycle_time(self) -> Duration:
        """Process time allowing for uptime and staff: ``process_time / uptime / staff``."""
        return self.process_time / self.uptime / self.staff

    def replace(self, **changes: Any) -> Step:
        """A copy with some fields changed (and validated).

        Parameters
        ----------
        **changes
            Field names and their new values.

        Returns
        -------
        Step
        """
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Handoff:
    """An arrow from one step (or the supplier) to the next (or the customer).

    Parameters
    ----------
    source, target : str
        Step ids, or ``"supplier"`` as a source and ``"customer"`` as a target.
    wait : Duration, optional
        Elapsed time work waits here. Left out with `inventory`, the wait is the
        inventory in days of demand (see `ValueStream.wait_of`); left out
        without it, zero.
    inventory : float, optional
        Pieces waiting here. With the stream's ``demand_per_day`` it gives the
        wait: pieces / daily demand days. Informational when `wait` is given.
    owner : str, optional
        Who owns this arrow; None when nobody does (the usual case).
    kind : str
        ``"push"``, ``"pull"`` or ``"fifo"``.
    extra : mapping
        Unknown keys from the map file, kept read-only.
    written_as : mapping
        How quantities were spelled in the map file (key to value, such as
        ``{"process_time": "20 min"}``), so saving keeps the user's spelling.
        Ignored by comparisons; used only while it still reads back to the
        current value.

    Examples
    --------
    >>> Handoff("sales", "ops", Duration.of(5, "days")).key
    ('sales', 'ops')
    """

    source: str
    target: str
    wait: Duration | None = None
    inventory: float | None = None
    owner: str | None = None
    kind: str = "push"
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)
    written_as: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        for key in ("source", "target"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                raise StreamError(
                    f"a handoff {key} must be a step id, not {value!r}; give a step's id, supplier or customer", key=key
                )
        what = f"handoff {self.source} -> {self.target}"
        where = {"handoff": self.key}
        if self.wait is not None:
            check_duration(self.wait, what, "wait", **where)
        if self.inventory is not None:
            ok = isinstance(self.inventory, Real) and not isinstance(self.inventory, bool)
            if not ok or not math.isfinite(self.inventory) or self.inventory < 0:
                raise StreamError(
                    f"{what}: inventory must be a count of pieces, not {self.inventory!r}; write a number such as 40",
                    key="inventory",
                    **where,
                )
        check_text(self.owner, what, "owner", **where)
        kind = str(self.kind).strip().lower()
        if kind not in HANDOFF_KINDS:
            raise StreamError(
                f"{what}: kind must be one of {', '.join(HANDOFF_KINDS)}, not {self.kind!r}", key="kind", **where
            )
        set_field = object.__setattr__
        if self.wait is None and self.inventory is None:
            set_field(self, "wait", ZERO)
        set_field(self, "owner", self.owner or None)
        set_field(self, "kind", kind)
        set_field(self, "extra", freeze_extra(self.extra))
        set_field(self, "written_as", freeze_extra(self.written_as))

    @property
    def key(self) -> tuple[str, str]:
        """``(source, target)``: unique within a stream."""
        return (self.source, self.target)

    def replace(self, **changes: Any) -> Handoff:
        """A copy with some fields changed (and validated).

        Parameters
        ----------
        **changes
            Field names and their new values.

        Returns
        -------
        Handoff
        """
        return dataclasses.replace(self, **changes)
