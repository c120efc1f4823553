"""Building charts quickly: Altair's specification is checked once, and an edited map costs its data.

In its default debug mode Altair validates each scale, axis, title and mark
against the Vega-Lite schema as it is created, and `to_dict` validates the
whole specification again. The chart builders switch the first round off
while they run, which roughly halves the time to build a chart; the check
that matters, the one in `to_dict` (and so in every render and save), stays.

A live chart redrawn on every keystroke (`vsm_widgets.widgets.MapExplorer`)
needs only the specification, and between two edits of a map most of it stays
the same: an edited process time changes the rows of data and the title, not
the marks, encodings and scales. Such charts are built in two halves: a
*parts* function computes a `ChartParts` (the rows of each dataset, the title,
and the few settings the drawing reads, such as the canvas size), and a
*draw* function turns parts into an Altair chart. `LiveSpec` draws once and
afterwards, while the settings and the theme stay the same, only puts the new
rows and title into a copy of the specification it keeps; anything else
draws the chart again. Either way the specification is the one
``draw(parts).to_dict(validate=False)`` gives.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

import altair as alt
from altair.utils.schemapi import debug_mode

Params = ParamSpec("Params")
Built = TypeVar("Built")

Record = dict[str, Any]


def validated_once(build: Callable[Params, Built]) -> Callable[Params, Built]:
    """Run a chart builder with Altair's construction-time validation off.

    Parameters
    ----------
    build : callable
        A function returning an Altair chart.

    Returns
    -------
    callable
        The same function; the chart it returns validates in full on `to_dict`.

    Examples
    --------
    >>> import altair as alt
    >>> @validated_once
    ... def empty() -> alt.Chart:
    ...     return alt.Chart().mark_point()
    >>> empty().to_dict()["mark"]
    {'type': 'point'}
    """

    @functools.wraps(build)
    def without_repeated_checks(*args: Params.args, **kwargs: Params.kwargs) -> Built:
        with debug_mode(False):
            return build(*args, **kwargs)

    return without_repeated_checks


def json_rows(rows: Iterable[Record]) -> list[Record]:
    """Rows of plain values as a Vega-Lite dataset: a missing or infinite number becomes ``None`` (null).

    Altair cleans a DataFrame this way before writing it out, and leaves rows
    given as lists of dicts alone; JSON has no NaN.

    Examples
    --------
    >>> json_rows([{"a": 1.5, "b": float("nan"), "c": "x"}])
    [{'a': 1.5, 'b': None, 'c': 'x'}]
    """
    return [
        {key: None if isinstance(value, float) and not math.isfinite(value) else value for key, value in row.items()}
        for row in rows
    ]


class SharedRows(alt.InlineData):
    """Inline rows that copies of a chart share, as they share a DataFrame, instead of copying row by row.

    Altair copies a chart's layers deeply several times while it lays them
    out and writes them out; for rows given as lists of dicts that is most of
    the time the specification takes. The rows of a chart are never changed
    once it is drawn, so sharing them is safe, as it is for a DataFrame.

    Examples
    --------
    >>> rows = SharedRows(values=[{"a": 1}])
    >>> alt.Chart(rows).mark_point().copy().data is rows
    True
    """

    def __deepcopy__(self, memo: Any = None) -> SharedRows:
        return self


@dataclass(frozen=True)
class ChartParts:
    """What a chart shows, apart from how it is drawn.

    Parameters
    ----------
    datasets : dict of str to list of dict
        The rows of each dataset by its role in the chart (``"steps"``,
        ``"arrows"``), as plain JSON values (see `json_rows`).
    title : altair.Title
        The chart's title, which states its finding.
    frame : dict
        Every other value the drawing reads: sizes, scale domains, axis
        titles, sort orders. Two parts with equal frames draw to
        specifications that differ only in their rows and title.
    """

    datasets: dict[str, list[Record]]
    title: alt.Title
    frame: dict[str, Any] = field(default_factory=dict)

    def data(self, role: str) -> SharedRows:
        """The rows of `role` as inline data; Altair moves them to the top-level ``datasets`` when writing out.

        Layers given the same role share one dataset in the specification.
        """
        return SharedRows(values=self.datasets[role])


try:  # Altair's own naming, so that the names stay Altair's whatever version draws the chart
    from altair.vegalite.v6.api import _dataset_name as _altair_dataset_name
except ImportError:  # pragma: no cover - `dataset_name` does the same
    _altair_dataset_name = None


def dataset_name(rows: list[Record]) -> str:
    """The name Altair gives inline rows when it moves them to the top-level ``datasets``.

    Examples
    --------
    >>> chart = alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point()
    >>> dataset_name([{"a": 1}]) == chart.to_dict()["data"]["name"]
    True
    """
    if _altair_dataset_name is not None:
        return _altair_dataset_name(rows)
    if rows == [{}]:  # pragma: no cover
        return "empty"
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()  # pragma: no cover
    return "data-" + digest[:32]  # pragma: no cover


Source = TypeVar("Source")


@dataclass
class _Template:
    key: tuple
    spec: dict[str, Any]
    roles: dict[str, str]  # dataset name in `spec` -> role


def _substitute(node: Any, names: dict[str, str]) -> Any:
    """A copy of a specification's dicts and lists, with each data reference renamed through `names`."""
    if isinstance(node, dict):
        copied = {key: _substitute(value, names) for key, value in node.items()}
        reference = node.get("data")
        if isinstance(reference, dict) and reference.get("name") in names:
            copied["data"] = {**reference, "name": names[reference["name"]]}
        return copied
    if isinstance(node, list):
        return [_substitute(value, names) for value in node]
    return node


def _references(node: Any) -> list[dict]:
    """Every ``data`` property in a specification."""
    found = []
    if isinstance(node, dict):
        if "data" in node:
            found.append(node["data"])
        for value in node.values():
            found += _references(value)
    elif isinstance(node, list):
        for value in node:
            found += _references(value)
    return found


class LiveSpec(Generic[Source]):
    """The Vega-Lite specification of a chart that is redrawn as its source changes, drawn in full only when needed.

    Parameters
    ----------
    parts : callable
        Computes the `ChartParts` of a source (a map).
    draw : callable
        Turns parts into an Altair chart.

    Attributes
    ----------
    drawn : int
        How many times the chart was drawn in full (the rest were data and title only).

    Notes
    -----
    Called with a source, it returns ``draw(parts(source)).to_dict(validate=False)``.
    The first call draws the chart and keeps its specification as a template. A
    later call whose parts have the same ``frame``, under the same Altair theme
    and data settings, copies the template and puts in the new rows (under the
    names Altair would give them) and the new title; any other call draws again
    and keeps the new template. Apart from the rows, which are the parts' own,
    the specification returned shares no dict or list with the template or
    with earlier results, so changing it leaves later ones alone.

    Examples
    --------
    >>> parts = lambda n: ChartParts({"bars": [{"n": n}]}, alt.Title(f"n = {n}"), {"width": 100})
    >>> draw = lambda made: alt.Chart(made.data("bars"), title=made.title, width=made.frame["width"]).mark_bar()
    >>> live = LiveSpec(parts, draw)
    >>> live(1)["title"], live(2)["title"], live.drawn
    ({'text': 'n = 1'}, {'text': 'n = 2'}, 1)
    >>> live(2) == draw(parts(2)).to_dict(validate=False)
    True
    """

    def __init__(self, parts: Callable[[Source], ChartParts], draw: Callable[[ChartParts], alt.TopLevelMixin]) -> None:
        self._parts = parts
        self._draw = draw
        self._template: _Template | None = None
        self.drawn = 0

    def __call__(self, source: Source) -> dict[str, Any]:
        return self.spec_of(self._parts(source))

    @staticmethod
    def _key(parts: ChartParts) -> tuple:
        transformers = alt.data_transformers
        return (alt.theme.active, alt.theme.get(), transformers.active, transformers.consolidate_datasets, parts.frame)

    def spec_of(self, parts: ChartParts) -> dict[str, Any]:
        """The specification of a chart drawn from `parts`.

        Parameters
        ----------
        parts : ChartParts

        Returns
        -------
        dict
            Equal to ``draw(parts).to_dict(validate=False)``.
        """
        key = self._key(parts)
        names = {role: dataset_name(rows) for role, rows in parts.datasets.items()}
        template = self._template
        if template is not None and template.key == key:
            renamed = {old: names[role] for old, role in template.roles.items()}
            spec = _substitute(template.spec, renamed)
            if "datasets" in spec:
                spec["datasets"] = {renamed[old]: parts.datasets[role] for old, role in template.roles.items()}
            spec["title"] = parts.title.to_dict(validate=False)
            return spec
        spec = self._draw(parts).to_dict(validate=False)
        self.drawn += 1
        self._template = self._as_template(key, spec, names)
        return spec

    @staticmethod
    def _as_template(key: tuple, spec: dict[str, Any], names: dict[str, str]) -> _Template | None:
        """The specification as a template, or None when its datasets cannot be told apart by name.

        Two roles with the same rows share a name, and a later edit may part them; a
        dataset that did not come from the parts, or data left inline, is not known
        to the template either. Such a chart is drawn in full every time.
        """
        roles = {name: role for role, name in names.items()}
        datasets = spec.get("datasets", {})
        if len(roles) < len(names) or "title" not in spec or not set(datasets) <= set(roles):
            return None
        # The rows and the title are put in afresh each time; their places keep the order of the keys.
        fresh = ("datasets", "title")
        skeleton = _substitute({key: None if key in fresh else value for key, value in spec.items()}, {})
        for reference in _references(skeleton):
            if not (isinstance(reference, dict) and set(reference) == {"name"} and reference["name"] in datasets):
                return None
        return _Template(key, skeleton, {name: roles[name] for name in datasets})
