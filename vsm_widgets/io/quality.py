"""Accounting for every input row while an export is read.

Readers count each dropped, corrected or flagged row here under one reason;
`QualityTally.report` checks that the rows used and the rows dropped add up to
the rows read, so no row can vanish without a reason.
"""

from __future__ import annotations

import numpy as np

from vsm_widgets.model.event_log import QualityIssue, QualityReport

EXAMPLE_ROWS = 10


class QualityTally:
    """Reasons and example rows collected while reading one export.

    Parameters
    ----------
    rows_read : int
        Data rows in the input (header excluded).
    """

    def __init__(self, rows_read: int) -> None:
        self.rows_read = rows_read
        self._issues: dict[tuple[str, str], QualityIssue] = {}
        self._decisions: list[str] = []

    def count(self, reason: str, rows: np.ndarray, action: str = "dropped", detail: str = "") -> None:
        """Record `rows` (spreadsheet rows) under `reason`; an empty selection records nothing.

        Parameters
        ----------
        reason : str
            One of the stable reasons documented in docs/exports.md.
        rows : array of int
            The spreadsheet rows concerned.
        action : str
            ``"dropped"``, ``"corrected"`` or ``"kept"``.
        detail : str
            What was done and what the user may want to do.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        examples = tuple(int(r) for r in np.sort(rows)[:EXAMPLE_ROWS])
        key = (reason, action)
        before = self._issues.get(key)
        if before is not None:
            examples = tuple(sorted(set(before.rows) | set(examples)))[:EXAMPLE_ROWS]
            self._issues[key] = QualityIssue(reason, before.count + int(rows.size), action, examples, before.detail)
        else:
            self._issues[key] = QualityIssue(reason, int(rows.size), action, examples, detail)

    def decide(self, decision: str) -> None:
        """Record a choice made while reading (a column recognised, a zone assumed ...)."""
        if decision not in self._decisions:
            self._decisions.append(decision)

    @property
    def dropped(self) -> int:
        """Rows dropped so far."""
        return sum(issue.count for issue in self._issues.values() if issue.action == "dropped")

    def report(self, rows_used: int) -> QualityReport:
        """The finished report.

        Parameters
        ----------
        rows_used : int
            Input rows that became part of the log, as the reader counted them.

        Raises
        ------
        RuntimeError
            If used and dropped rows do not add up to the rows read: a reader
            lost a row without a reason, which is a bug in vsm-widgets.
        """
        if rows_used + self.dropped != self.rows_read:
            raise RuntimeError(
                f"{self.rows_read} rows read but {rows_used} used and {self.dropped} dropped; please report this bug"
            )
        return QualityReport(
            rows_read=self.rows_read,
            rows_used=rows_used,
            issues=tuple(self._issues.values()),
            decisions=tuple(self._decisions),
        )
