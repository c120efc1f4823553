"""Stage-date CSVs: one row per item, one date column per workflow stage, read as a status history.

ActionableAgile loads, and jira-agile-metrics writes, a table whose stage
columns hold the date (or time) each item entered that stage, left empty for a
stage it has not reached or skipped. Each filled cell becomes one status
change (the item entered the stage at that time), so the rest of the reading
is the status history's: each stage lasts until the next one entered. The
stage columns are ``stages:`` from the mapping, or else every other column that
holds dates, in file order; that order is the workflow. Without ``statuses:``
the last stage is done, a stage whose name reads as a queue (``Ready for``,
``Waiting``, ``Backlog`` ... or ``Done`` before the last stage, such as
``Dev Done``) is waiting, and the rest are active steps in workflow order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from vsm_widgets.exceptions import ExportReadError
from vsm_widgets.io.columns import ColumnPlan
from vsm_widgets.io.export_mapping import Mapping
from vsm_widgets.io.mapping_keys import StatusRule
from vsm_widgets.io.status_history import DONE_NAMES, WAITING_NAMES
from vsm_widgets.io.tables import RawTable, TableFile
from vsm_widgets.timestamps import parse_timestamps

_QUEUE_NAMES = re.compile(f"{WAITING_NAMES.pattern}|{DONE_NAMES.pattern}", re.IGNORECASE)


@dataclass(frozen=True)
class StageDates:
    """A stage-date table turned into status-history rows.

    Parameters
    ----------
    raw : RawTable
        One row per filled stage cell (or per item with none): ``item, status,
        timestamp, row`` and ``type``, ``created`` where present; ``rows_read``
        counts those rows and the malformed lines.
    columns : dict
        Canonical name -> file column, for messages (``status`` and ``timestamp`` name the stage columns).
    mapping : Mapping
        The mapping, with the stages as its statuses when it gave none.
    decisions : tuple of str
    """

    raw: RawTable
    columns: dict[str, str]
    mapping: Mapping
    decisions: tuple[str, ...]


def read_stage_dates(table: TableFile, plan: ColumnPlan, mapping: Mapping) -> StageDates:
    """Read the item, its attributes and the stage columns, and melt the stages into status changes.

    Parameters
    ----------
    table : TableFile
        The opened export.
    plan : ColumnPlan
        Its ``stage_dates`` plan: the item column and any type or created column.
    mapping : Mapping

    Returns
    -------
    StageDates

    Raises
    ------
    MappingError
        A stage in ``stages:`` is not a column of the file.
    ExportReadError
        No column holds dates.
    """
    used = set(plan.columns.values())
    for stage in mapping.stages:
        if stage not in table.columns:
            raise mapping.error(
                f"column '{stage}' is not in {Path(table.path).name}",
                f"Its columns are: {', '.join(table.columns)}. Correct the name (it is case-sensitive)",
                key="stages",
            )
    candidates = list(mapping.stages) or [c for c in table.columns if c not in used]
    raw = table.read([*plan.columns.values(), *candidates], set(candidates), mapping.timestamp_format)
    decisions: list[str] = []
    stages = candidates
    if not mapping.stages:
        stages = [c for c in candidates if _holds_dates(raw.frame[c], c, mapping)]
        skipped = [c for c in candidates if c not in stages]
        if skipped:
            decisions.append(f"columns without dates are not stages: {', '.join(skipped)}")
    if not stages:
        raise ExportReadError(
            "no column holds stage dates",
            "Give shape: stage_dates and stages: [...] in a mapping, naming the date columns in workflow order",
            file=table.path,
            row=1,
        )
    decisions.append(f"stages, in workflow order (file order): {' → '.join(stages)}")
    frame = _melt(raw.frame.rename(columns={v: k for k, v in plan.columns.items()}), raw.rows, stages)
    mapping, rule_decisions = _stage_rules(stages, mapping)
    melted = RawTable(
        frame.drop(columns="row"), frame["row"].to_numpy(), len(frame) + len(raw.malformed), raw.malformed
    )
    columns = {**plan.columns, "status": "stage columns", "timestamp": "stage dates"}
    return StageDates(melted, columns, mapping, tuple(decisions + rule_decisions))


def _holds_dates(values: pd.Series, column: str, mapping: Mapping) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return bool(values.notna().any())
    parsed = parse_timestamps(values, column=column, timestamp_format=mapping.timestamp_format, timezone="UTC")
    return bool((~parsed.missing & ~parsed.unparseable).any())


def _melt(frame: pd.DataFrame, rows: np.ndarray, stages: list[str]) -> pd.DataFrame:
    """One row per filled stage cell, stages in workflow order within an item; an item with none keeps one row."""
    extras = [c for c in ("item", "type", "created") if c in frame]
    pieces = []
    for position, stage in enumerate(stages):
        values = frame[stage]
        filled = values.notna().to_numpy()
        if values.dtype == object:
            filled &= values.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
        part = frame.loc[filled, extras].assign(status=stage, timestamp=values[filled], row=rows[filled])
        pieces.append(part.assign(_order=position))
    filled_any = np.zeros(len(frame), bool)
    for part in pieces:
        filled_any[frame.index.get_indexer(part.index)] = True
    # An item with no date at all is still a row, so that it is counted (as a missing timestamp).
    empty = frame.loc[~filled_any, extras].assign(status=stages[0], timestamp=pd.NaT, row=rows[~filled_any])
    pieces.append(empty.assign(_order=-1))
    long = pd.concat(_one_time_unit(pieces))
    long["_position"] = frame.index.get_indexer(long.index)
    long = long.sort_values(["_position", "_order"], kind="stable")
    return long.drop(columns=["_position", "_order"]).reset_index(drop=True)


def _one_time_unit(pieces: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """The pieces' timestamps in the coarsest unit any of them has, so none overflows when they are joined.

    A column of dates reads in seconds and may hold a year such as 1500, which nanoseconds cannot hold;
    joined to a column in nanoseconds (or to the NaT of items without a date), pandas would cast it to
    nanoseconds and fail, where the timestamp checks count such a row with its reason.
    """
    units = {
        np.datetime_data(part["timestamp"].dtype)[0]
        for part in pieces
        if isinstance(part["timestamp"].dtype, np.dtype) and part["timestamp"].dtype.kind == "M"
    }
    if len(units) < 2:
        return pieces
    coarsest = next(unit for unit in ("s", "ms", "us", "ns") if unit in units)
    return [
        part.assign(timestamp=part["timestamp"].astype(f"datetime64[{coarsest}]"))
        if isinstance(part["timestamp"].dtype, np.dtype) and part["timestamp"].dtype.kind == "M"
        else part
        for part in pieces
    ]


def _stage_rules(stages: list[str], mapping: Mapping) -> tuple[Mapping, list[str]]:
    """The stages as statuses, when the mapping gives none: the last is done, queues wait, the rest are steps."""
    decisions = []
    if not mapping.done:
        done = (stages[-1],)
        decisions.append(f"the last stage is done: {stages[-1]} (give done: in a mapping to change)")
    else:
        done = mapping.done
    if mapping.statuses:
        return replace(mapping, done=done), decisions
    rules = {
        stage: StatusRule(stage, "waiting" if _QUEUE_NAMES.search(stage) else "active")
        for stage in stages
        if stage not in done
    }
    waiting = [s for s, r in rules.items() if r.kind == "waiting"]
    active = [s for s, r in rules.items() if r.kind == "active"]
    decisions.append(f"stages read as waiting from their names: {', '.join(waiting) or 'none'}")
    decisions.append(f"stages read as active steps, in workflow order: {', '.join(active) or 'none'}")
    return replace(mapping, statuses=rules, done=done), decisions
