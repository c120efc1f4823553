"""The maps an editor has shown, for undo and redo: the list and the place in it.

Maps are immutable values, so a history is no more than the maps themselves;
an edit after an undo drops the maps undone, as in any editor.
"""

from __future__ import annotations

from vsm_widgets.model.stream import ValueStream

HISTORY_LIMIT = 200


class History:
    """Undo and redo over the maps shown, the oldest dropped past `limit`.

    Parameters
    ----------
    first : ValueStream
        The map shown first.
    limit : int
        How many maps are kept.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> a, b = ValueStream("A", [Step("a")]), ValueStream("B", [Step("b")])
    >>> history = History(a)
    >>> history.record(b)
    >>> history.back() is a, history.can_undo, history.forward() is b
    (True, False, True)
    """

    def __init__(self, first: ValueStream, limit: int = HISTORY_LIMIT) -> None:
        self._maps = [first]
        self._position = 0
        self._limit = limit

    def record(self, stream: ValueStream) -> None:
        """Note a map now shown; the one shown already (after an undo or redo) is not noted again."""
        if self._maps[self._position] is stream:
            return
        del self._maps[self._position + 1 :]
        self._maps.append(stream)
        del self._maps[: -self._limit]
        self._position = len(self._maps) - 1

    @property
    def can_undo(self) -> bool:
        """Whether there is a map before the one shown."""
        return self._position > 0

    @property
    def can_redo(self) -> bool:
        """Whether an undo can be taken back."""
        return self._position < len(self._maps) - 1

    def back(self) -> ValueStream | None:
        """Step back: the map before the one shown, or None at the start."""
        if not self.can_undo:
            return None
        self._position -= 1
        return self._maps[self._position]

    def forward(self) -> ValueStream | None:
        """Take an undo back: the map after the one shown, or None at the end."""
        if not self.can_redo:
            return None
        self._position += 1
        return self._maps[self._position]
