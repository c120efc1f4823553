"""Prepare a notebook kernel for pages that must work offline, stay small and render quickly.

Every notebook of the package imports this module first and calls `prepare` in
its first code cell. Charts are then displayed as SVG rendered by vl-convert,
which a readout carries inline and a workshop room without network shows; never
the JavaScript renderers, which fetch from a CDN. (An input error needs no
set-up: a `VsmError` shows in a notebook as its one-line message, see
`VsmError._render_traceback_`.)
"""

from __future__ import annotations

import sys

# Importing altair imports jsonschema, which imports rfc3987_syntax when it is installed (JupyterLab's
# jupyter-events asks for it), and that module compiles a grammar at import: 1 to 4 s of a readout's
# 10-second budget. Readouts never check that a string is a well-formed IRI, so the kernel goes without;
# jsonschema treats the module as absent. It has to happen before the first import of altair.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

import altair as alt  # noqa: E402

from vsm_widgets.charts.theme import theme_config  # noqa: E402

READOUT_THEME = "vsm-readout"


def readout_theme() -> alt.theme.ThemeConfig:
    """The ``"vsm"`` chart theme without ARIA descriptions in the SVG.

    Vega writes an ``aria-label`` describing every mark into the SVG, about half of a
    scatter or control chart's size. Notebooks and readouts show an SVG chart as an image
    (the readout with the chart's title as its alternative text), which assistive technology
    reads as one picture, so the descriptions only make the page heavier.

    Returns
    -------
    altair.theme.ThemeConfig

    Examples
    --------
    >>> readout_theme()["config"]["aria"]
    False
    """
    theme = theme_config()
    theme["config"]["aria"] = False
    return theme


alt.theme.register(READOUT_THEME, enable=False)(readout_theme)


def prepare() -> None:
    """Display Altair charts as SVG rendered by vl-convert, in the readout theme."""
    alt.theme.enable(READOUT_THEME)
    alt.renderers.enable("svg")
