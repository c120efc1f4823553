"""Building charts quickly: Altair's specification is checked once, when it is written out.

In its default debug mode Altair validates each scale, axis, title and mark
against the Vega-Lite schema as it is created, and `to_dict` validates the
whole specification again. The chart builders switch the first round off
while they run, which roughly halves the time to build a chart; the check
that matters, the one in `to_dict` (and so in every render and save), stays.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from altair.utils.schemapi import debug_mode

Params = ParamSpec("Params")
Built = TypeVar("Built")


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
