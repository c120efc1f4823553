"""Messages of the editors: an HTML label whose text is always escaped, coloured by whether it is a problem."""

from __future__ import annotations

import html

import ipywidgets as widgets

from vsm_widgets.charts.theme import ALERT, INK


def message_html(text: str, error: bool = True) -> str:
    """The markup of a message; what the user typed is escaped, never markup.

    Parameters
    ----------
    text : str
        The message; empty gives no markup.
    error : bool
        Errors are vermillion, other news (such as "saved") plain.

    Examples
    --------
    >>> message_html("'<b>' is not a duration")
    '<span class="vsm-message-text" style="color:#D55E00">&#x27;&lt;b&gt;&#x27; is not a duration</span>'
    """
    if not text:
        return ""
    return f'<span class="vsm-message-text" style="color:{ALERT if error else INK}">{html.escape(text)}</span>'


def message_label() -> widgets.HTML:
    """An empty label for messages; fill it with `show_message`.

    Returns
    -------
    ipywidgets.HTML
    """
    label = widgets.HTML("")
    label.add_class("vsm-message")
    return label


def show_message(label: widgets.HTML, text: str, error: bool = True) -> None:
    """Show `text` (escaped) in a message label, or clear it when `text` is empty.

    Parameters
    ----------
    label : ipywidgets.HTML
        From `message_label`.
    text : str
        The message; empty clears the label.
    error : bool
        False for news that is not a problem, such as "saved".
    """
    label.value = message_html(text, error)
