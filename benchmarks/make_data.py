"""Make a seeded interval export of N rows for the speed benchmarks.

One row per visit: ``item, step, start, end, type, actor`` — column names the
reader recognises without a mapping. About ten visits per item across ten
steps (items with more than ten visits revisit steps: rework; items with fewer
skip some), ISO timestamps on Europe/Berlin wall-clock time with their UTC
offset (both +01:00 and +02:00 occur), rows in chronological order as an export
of a tracking system is, and about 2 % of items still open (last end empty).

Usage::

    python benchmarks/make_data.py 1000000 [--out benchmarks/data] [--seed 20261123]

The same size and seed give the same bytes. Files go to ``benchmarks/data/``,
which git ignores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data"
SEED = 20261123
STEPS = np.array(
    ["Intake", "Triage", "Analysis", "Design", "Build", "Code review", "Test", "Approval", "Release", "Verify"],
    dtype=object,
)
TYPES = np.array(["Feature", "Defect", "Risk", "Debt"], dtype=object)
TYPE_SHARES = [0.55, 0.25, 0.08, 0.12]
ACTORS = 250
OPEN_SHARE = 0.02
WINDOW_START = np.datetime64("2025-07-01T00:00:00", "s")
WINDOW_SECONDS = 365 * 86400


def data_path(rows: int, out: Path = DEFAULT_OUT) -> Path:
    """Where the export of `rows` rows is written."""
    return out / f"intervals_{rows}.csv"


def _visits_per_item(rng: np.random.Generator, rows: int) -> np.ndarray:
    # Draw enough items for `rows` visits (at least 7 each), then trim so the total is exact.
    counts = rng.integers(7, 14, size=rows // 7 + 1)
    ends = np.cumsum(counts)
    last = int(np.searchsorted(ends, rows))
    counts = counts[: last + 1].copy()
    counts[-1] -= int(ends[last] - rows)
    return counts[counts > 0]


def make_frame(rows: int, seed: int = SEED) -> pd.DataFrame:
    """The benchmark export as a frame of strings, rows in order of start.

    Parameters
    ----------
    rows : int
        Number of visits (rows) to make.
    seed : int
        Seed of the random generator.

    Returns
    -------
    DataFrame
        Columns ``item, step, start, end, type, actor`` (all str; `end` empty for open visits).
    """
    rng = np.random.default_rng(seed)
    counts = _visits_per_item(rng, rows)
    n_items = len(counts)
    item_of_visit = np.repeat(np.arange(n_items), counts)
    first_of_item = np.repeat(np.cumsum(counts) - counts, counts)
    position = np.arange(rows) - first_of_item
    # Spread an item's visits over the ten steps in order: more than ten visits repeat steps, fewer skip some.
    step_index = position * len(STEPS) // np.repeat(counts, counts)

    arrival = rng.integers(0, WINDOW_SECONDS, size=n_items)
    wait = rng.exponential(8 * 3600, size=rows).astype(np.int64)
    work = np.maximum(60, rng.lognormal(np.log(3 * 3600), 1.0, size=rows)).astype(np.int64)
    last_visit = np.cumsum(counts) - 1
    # One running sum over all visits; subtracting where the previous item ended restarts it per item.
    elapsed = np.cumsum(wait + work)
    previous_items = np.concatenate([[0], elapsed[last_visit[:-1]]])
    end_offset = elapsed - np.repeat(previous_items, counts)
    start_offset = end_offset - work
    base = WINDOW_START + np.repeat(arrival, counts).astype("timedelta64[s]")
    start = base + start_offset.astype("timedelta64[s]")
    end = base + end_offset.astype("timedelta64[s]")

    open_items = rng.random(n_items) < OPEN_SHARE
    end_open = np.zeros(rows, dtype=bool)
    end_open[last_visit[open_items]] = True

    order = np.argsort(start, kind="stable")
    item_labels = np.char.add("WI-", np.char.zfill(np.arange(n_items).astype(str), 7)).astype(object)
    actor_labels = np.char.add("person-", np.char.zfill(np.arange(ACTORS).astype(str), 3)).astype(object)
    frame = pd.DataFrame(
        {
            "item": item_labels[item_of_visit[order]],
            "step": STEPS[step_index[order]],
            "start": _berlin_iso(start[order]),
            "end": np.where(end_open[order], "", _berlin_iso(end[order])),
            "type": TYPES[rng.choice(len(TYPES), size=n_items, p=TYPE_SHARES)][item_of_visit[order]],
            "actor": actor_labels[rng.integers(0, ACTORS, size=rows)],
        }
    )
    return frame


def _berlin_iso(utc: np.ndarray) -> np.ndarray:
    """ISO 8601 strings of UTC instants on Berlin wall-clock time with their offset."""
    local = pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert("Europe/Berlin")
    wall = local.tz_localize(None).to_numpy().astype("datetime64[s]")
    offset_hours = (wall - utc.astype("datetime64[s]")).astype(np.int64) // 3600
    suffix = np.where(offset_hours == 2, "+02:00", "+01:00")
    return np.char.add(np.datetime_as_string(wall, unit="s"), suffix).astype(object)


def write(rows: int, out: Path = DEFAULT_OUT, seed: int = SEED) -> Path:
    """Write the export of `rows` rows (if not there already) and return its path."""
    path = data_path(rows, out)
    if path.exists():
        return path
    out.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(make_frame(rows, seed), preserve_index=False)
    partial = path.with_suffix(".csv.part")
    # pyarrow always quotes the header; spreadsheet and tracker exports do not, so write it by hand.
    with partial.open("wb") as sink:
        sink.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False, quoting_style="none"))
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="+", help="number of rows, e.g. 1000000 5000000")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder (default: benchmarks/data)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for rows in args.rows:
        print(write(rows, args.out, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
