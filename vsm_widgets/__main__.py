"""``python -m vsm_widgets``: the ``vsm`` command, where the console script is not on the PATH."""

from vsm_widgets.cli import run

run(prog="python -m vsm_widgets")
