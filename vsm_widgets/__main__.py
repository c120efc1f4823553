"""``python -m vsm_widgets``: the ``vsm`` command, where the console script is not on the PATH."""

import sys

from vsm_widgets.cli import main

sys.exit(main(prog="python -m vsm_widgets"))
