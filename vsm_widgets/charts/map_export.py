"""A value stream map as files for a wall, a slide or an email: SVG and PNG, named after the map.

Both come from one call and are rendered by vl-convert, without a browser or
the network, from the same specification the notebook shows. The PNG is drawn
at twice the chart's pixel size on a white background, so it stays sharp on
a projector and readable when pasted on a dark slide. Files are written
atomically, so an interrupted export leaves no half image.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert as vlc

from vsm_widgets.charts.map import PAGE_WIDTH, value_stream_map
from vsm_widgets.future.carry_out import slug
from vsm_widgets.io.atomic import write_atomically
from vsm_widgets.model.stream import ValueStream

if TYPE_CHECKING:
    from vsm_widgets.future.scenario import Scenario

PNG_SCALE = 2
UNNAMED = "value_stream_map"


def map_file_stem(stream: ValueStream) -> str:
    """The file name an exported map gets, without its suffix: the map's name in lower-case words.

    Examples
    --------
    >>> from vsm_widgets.model.stream import Step
    >>> map_file_stem(ValueStream("Quote to delivered solution", [Step("a")]))
    'quote_to_delivered_solution'
    >>> map_file_stem(ValueStream("", [Step("a")]))
    'value_stream_map'
    """
    return slug(stream.name) or UNNAMED


def export_map(
    stream: ValueStream,
    folder: str | os.PathLike[str] = ".",
    *,
    scenario: Scenario | None = None,
    before: ValueStream | None = None,
    max_width: float | None = PAGE_WIDTH,
) -> tuple[Path, Path]:
    r"""Write the map as ``NAME.svg`` and ``NAME.png`` (twice the size, white background) into `folder`.

    Parameters
    ----------
    stream : ValueStream
        The map; the files are named after it (`map_file_stem`).
    folder : str or PathLike
        Where to write them; created if missing.
    scenario, before, max_width : optional
        Kaizen bursts, changed values and wrapping, as in `vsm_widgets.charts.map.value_stream_map`.

    Returns
    -------
    svg, png : pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> from vsm_widgets.io.map_file import load_map
    >>> svg, png = export_map(load_map("data/samples/maps/four_functions.yaml"), tempfile.mkdtemp())
    >>> svg.name, png.name, png.read_bytes().startswith(b"\x89PNG")
    ('quote_to_delivered_solution.svg', 'quote_to_delivered_solution.png', True)
    """
    spec = value_stream_map(stream, scenario, before, max_width).to_dict()
    spec["background"] = "white"
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    stem = map_file_stem(stream)
    svg = write_atomically(target / f"{stem}.svg", vlc.vegalite_to_svg(spec))
    png = write_atomically(target / f"{stem}.png", vlc.vegalite_to_png(spec, scale=PNG_SCALE))
    return svg, png
