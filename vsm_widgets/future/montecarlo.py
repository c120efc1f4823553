"""Monte Carlo machinery shared by the forecasts: seeds, reruns and the `Forecast` result.

A forecast runs once with its recorded seed and again with `RERUNS` child
seeds (`numpy.random.SeedSequence.spawn`); the range of each percentile over
those runs is printed beside it, so a reader can see how many digits mean
something. `vsm_widgets.future.forecast` builds the forecasts themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

RUNS = 10_000
RERUNS = 5


@dataclass(frozen=True)
class Forecast:
    """A forecast: its percentiles, how far they moved between reruns, and how to reproduce it.

    Attributes
    ----------
    what : str
        ``"lead time"``, ``"completion date"`` or ``"items finished"``.
    table : DataFrame
        One row per percentile or probability, with ``moved``: the range of that row's
        value over the first run and `reruns` reruns with other seeds.
    unit : str
        Unit of the values (a time unit, ``"days"`` or ``"items"``).
    seed, runs, reruns : int
        The first run's seed (pass it back to get the same table), runs per simulation,
        and the number of reruns with child seeds.
    samples : numpy.ndarray
        The first run's outcomes (in `unit`), for distribution charts.
    notes : dict of str to str
        What the forecast assumed.
    """

    what: str
    table: pd.DataFrame
    unit: str
    seed: int
    runs: int
    reruns: int
    samples: np.ndarray = field(repr=False, compare=False)
    notes: dict[str, str] = field(default_factory=dict)

    def format(self) -> str:
        """The forecast as text, with what it assumed and how much it moves between reruns."""
        lines = [f"Forecast of {self.what} ({self.runs:,} runs, seed {self.seed}):"]
        for row in self.table.to_dict("records"):
            lines.append("  " + ", ".join(f"{key} {_text(value)}" for key, value in row.items()))
        lines.append(f"  'moved' is the range over {self.reruns + 1} runs with different seeds, in {self.unit}")
        lines += [f"  {key}: {value}" for key, value in self.notes.items()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable values (dates as ISO text)."""
        rows = [{key: _plain(value) for key, value in row.items()} for row in self.table.to_dict("records")]
        return {
            "what": self.what,
            "unit": self.unit,
            "table": rows,
            "seed": self.seed,
            "runs": self.runs,
            "reruns": self.reruns,
            "notes": dict(self.notes),
        }


def generators(seed: int | None, reruns: int) -> tuple[int, list[np.random.Generator]]:
    """The seed to record and a generator for the first run and for each rerun.

    Parameters
    ----------
    seed : int, optional
        The first run's seed; fresh entropy when left out (and then recorded).
    reruns : int
        How many reruns with child seeds.

    Returns
    -------
    (int, list of numpy.random.Generator)
    """
    sequence = np.random.SeedSequence(seed)
    recorded = int(sequence.entropy) if seed is None else int(seed)
    sequence = np.random.SeedSequence(recorded)
    return recorded, [np.random.default_rng(sequence)] + [np.random.default_rng(s) for s in sequence.spawn(reruns)]


def moved(values: list[np.ndarray]) -> np.ndarray:
    """The range of each position over the runs' results: how far a percentile moved between reruns."""
    stacked = np.vstack(values).astype(float)
    return stacked.max(axis=0) - stacked.min(axis=0)


def _text(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _plain(value: object) -> object:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
