"""Fitting words into boxes: estimated text widths, names wrapped onto lines, and a cut only as a last resort.

Vega places text but does not wrap it, and the chart is drawn before any
browser measures a glyph, so widths are estimated from the font size and each
character's usual advance in Helvetica or Arial (its metrics, to within a few
per cent). The estimate errs wide, so text that fits by it fits on the page.
"""

from __future__ import annotations

ELLIPSIS = "…"
# Advance widths in ems of Helvetica/Arial, grouped; anything not listed counts as a wide letter.
_NARROW = set("iljI.,;:'!|()[]{} ")
_SLIGHT = set('frt-/"*')
_WIDE = set("mwMW@%")
_CAPITAL = 0.7
_DEFAULT = 0.58
BOLD_FACTOR = 1.08


def _advance(char: str) -> float:
    if char in _NARROW:
        return 0.3
    if char in _SLIGHT:
        return 0.36
    if char in _WIDE:
        return 0.9
    if char.isupper():
        return _CAPITAL
    return _DEFAULT


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated width of `text` in pixels at font `size`.

    Examples
    --------
    >>> round(text_width("Sales", 14))
    38
    >>> text_width("Sales", 14, bold=True) > text_width("Sales", 14)
    True
    """
    width = sum(_advance(char) for char in text) * size
    return width * BOLD_FACTOR if bold else width


def cut(text: str, width: float, size: float, bold: bool = False) -> str:
    """`text` as it fits in `width` pixels: whole, or cut with an ellipsis.

    Examples
    --------
    >>> cut("Head of Marketing", 80, 12)
    'Head of Mar…'
    >>> cut("Sales", 80, 12)
    'Sales'
    """
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + ELLIPSIS, size, bold) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text: str, width: float, size: float, bold: bool = False, lines: int = 3) -> list[str]:
    """`text` broken between words onto at most `lines` lines of `width` pixels; only what still does not fit is cut.

    A word longer than a line is broken inside it. The last line ends in an
    ellipsis when words are left over.

    Examples
    --------
    >>> wrap("Equipment provisioning", 138, 14, bold=True)
    ['Equipment', 'provisioning']
    >>> wrap("Analysis and refinement of the request with the customer and legal", 138, 14, bold=True)
    ['Analysis and', 'refinement of the', 'request with the…']
    """
    words = text.split()
    made: list[str] = []
    current = ""
    while words:
        word = words[0]
        trial = f"{current} {word}" if current else word
        if text_width(trial, size, bold) <= width:
            current = trial
            words.pop(0)
            continue
        if not current:  # a word wider than a line: break it where it stops fitting
            fits = 1
            while fits < len(word) and text_width(word[: fits + 1], size, bold) <= width:
                fits += 1
            made.append(word[:fits])
            words[0] = word[fits:]
        else:
            made.append(current)
            current = ""
        if len(made) == lines:
            break
    if current and len(made) < lines:
        made.append(current)
        current = ""
    if words or current:
        made.append(cut(" ".join([made.pop(), *filter(None, [current]), *words]), width, size, bold))
    return made or [""]


def text_row(x: float, y: float, text: str, colour: str, size: float, weight: str = "plain") -> dict:
    """A line of text placed on a map: the row the map's text layers draw (`vsm_widgets.charts.map_drawing`).

    Parameters
    ----------
    x, y : float
        Where its anchor sits, in canvas pixels.
    text : str
        What it says, already fitted (`cut`, `wrap`).
    colour : str
        Its colour.
    size : float
        Font size in pixels.
    weight : str
        ``"plain"``, ``"bold"`` or ``"left"`` (plain, anchored at its left end): the text layer it goes to.

    Returns
    -------
    dict

    Examples
    --------
    >>> text_row(10, 20, "FIFO", "#1A1A1A", 11, "bold")["weight"]
    'bold'
    """
    return {"x": x, "y": y, "text": text, "colour": colour, "size": size, "weight": weight}
