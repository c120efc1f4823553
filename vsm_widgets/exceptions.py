"""The exception hierarchy of vsm-widgets.

Every error a user can cause by what they feed the toolkit is a `VsmError`, so
the command line and the notebooks can print its message without a traceback.
Input errors name the file, the row as a spreadsheet shows it, the column, what
is wrong and what to do about it.
"""

from __future__ import annotations

from pathlib import Path


class VsmError(Exception):
    """Base class of every error vsm-widgets raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        """How IPython and Jupyter show the error: one line, its type and message, no traceback.

        The message already names the file, row or parameter and what to do; a traceback through
        the package would only bury it. The cell still fails, so papermill and batch readouts stop.
        """
        return [f"{type(self).__name__}: {self}"]

    def __reduce__(self) -> tuple:
        # Errors cross process boundaries in batch readouts; keep their fields, not only their message.
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(kind: type[VsmError], args: tuple, state: dict) -> VsmError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class VsmInputError(VsmError, ValueError):
    """A file or value supplied by the user cannot be used.

    Parameters
    ----------
    problem : str
        What is wrong, in the user's terms.
    hint : str, optional
        What to do about it.
    file : str or Path, optional
        The file the problem is in.
    row : int, optional
        The row as a spreadsheet shows it (the header is row 1).
    column : str, optional
        The column, key or field concerned.
    line : int, optional
        The line of a text file (YAML maps and scenarios).
    """

    def __init__(
        self,
        problem: str,
        hint: str = "",
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.hint = hint
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.line = line
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        message = self.problem.rstrip(".") + "."
        if where:
            message = ", ".join(where) + ": " + message
        if self.hint:
            message += " " + self.hint.rstrip(".") + "."
        return message


class ExportReadError(VsmInputError):
    """A timing export cannot be read at all: unreadable, empty or not a table."""


class MissingColumnError(VsmInputError):
    """A timing export lacks a column the toolkit needs."""


class MappingError(VsmInputError):
    """A mapping file (column names, statuses, policies) is invalid."""


class MapNotMeasurable(VsmInputError):
    """A timing export that reads well but from which no map can be measured.

    Raised by `vsm_widgets.metrics.measured_map.measured_map` when no item has left an active
    step (all work still in progress, or no step marked active), or when no step is visited by
    the share of items a step of the map needs. The export's other numbers (counts, work in
    progress, aging, lead times) still hold; a readout says why the map is missing instead.

    Parameters
    ----------
    problem, hint
        As `VsmInputError`.
    reason : {"no finished visit", "no shared step"}
        Which of the two it is, so a readout can word it.
    """

    def __init__(self, problem: str, hint: str = "", *, reason: str, **where) -> None:
        self.reason = reason
        super().__init__(problem, hint, **where)


class CalendarError(VsmInputError):
    """A calendar specification (working days, hours, holidays) is invalid."""


class MapFileError(VsmInputError):
    """A value stream map file is invalid."""


class ScenarioError(VsmInputError):
    """A scenario file or change is invalid."""


class StreamError(VsmError, ValueError):
    """A value stream model is inconsistent (unknown step, cycle, bad value).

    Raised by the model itself, so editors can show the message beside the
    field and keep the last valid stream.

    Parameters
    ----------
    message : str
        What is wrong, naming the step or handoff.
    step : str, optional
        The id of the step concerned.
    handoff : tuple of (str, str), optional
        The ``(source, target)`` of the handoff concerned.
    key : str, optional
        The field concerned, such as ``"lead_time"``: where an editor shows the
        message and where a map file error points.
    """

    def __init__(
        self,
        message: str,
        *,
        step: str | None = None,
        handoff: tuple[str, str] | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.step = step
        self.handoff = handoff
        self.key = key


class ReadoutError(VsmError):
    """A readout could not be produced.

    When a notebook cell raised, the error carries the cell and the exception it raised, as
    papermill's and nbclient's execution errors do, so a caller can show or test each part.

    Parameters
    ----------
    message : str
        What went wrong and what to do, in one sentence a batch index can show.
    cell_index : int, optional
        The failing cell's position in the notebook, from 0.
    exec_count : int, optional
        Its execution count, the ``In [n]`` Jupyter shows.
    source : str, optional
        The failing cell's code.
    ename : str, optional
        The name of the exception the cell raised, such as ``"MissingColumnError"``.
    evalue : str, optional
        Its message.
    """

    def __init__(
        self,
        message: str,
        *,
        cell_index: int | None = None,
        exec_count: int | None = None,
        source: str | None = None,
        ename: str | None = None,
        evalue: str | None = None,
    ) -> None:
        super().__init__(message)
        self.cell_index = cell_index
        self.exec_count = exec_count
        self.source = source
        self.ename = ename
        self.evalue = evalue
