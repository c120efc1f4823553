"""The ``vsm`` command line's arguments: every command, its options and their help text.

`vsm_widgets.cli` runs what these describe.
"""

from __future__ import annotations

import argparse


def _count(text: str) -> int:
    """A whole number of 1 or more, for argparse (which turns the error into a usage message)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return number


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked (the lookup costs every run 80 ms)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        kwargs.setdefault("help", "show the version of vsm-widgets and exit")
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: object, values: object, option: object = None):
        import vsm_widgets

        print(f"vsm-widgets {vsm_widgets.__version__}")
        parser.exit()


def build_parser(prog: str) -> argparse.ArgumentParser:
    """The ``vsm`` command line: its commands, their options and help.

    Parameters
    ----------
    prog : str
        The program's name in usage and error messages.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Value stream mapping: flow metrics from timing exports, lean metrics of maps, readouts.",
    )
    parser.add_argument("--version", action=_Version)
    common = argparse.ArgumentParser(add_help=False)
    talk = common.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors on standard error")
    talk.add_argument("-v", "--verbose", action="store_true", help="also say how each input was read")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, **options: str) -> argparse.ArgumentParser:
        return subparsers.add_parser(name, parents=[common], **options)

    metrics = command(
        "metrics",
        help="flow metrics of a timing export (intervals or status history)",
        description="Read a timing export (CSV, TSV, XLSX, Parquet) and print its flow metrics.",
    )
    metrics.add_argument("export", help="the timing export file")
    metrics.add_argument(
        "--mapping",
        metavar="FILE",
        help="mapping YAML: columns, statuses, policies (default: NAME.mapping.yaml beside the export, if any)",
    )
    metrics.add_argument(
        "--calendar",
        metavar="SPEC",
        default=None,
        help="'calendar' (default) or 'working[:mon-fri,09:00-17:00,tz=Europe/Berlin,holidays=2026-12-25;...]'",
    )
    metrics.add_argument("--json", action="store_true", help="print the metrics as JSON (durations in hours)")

    map_command = command(
        "map",
        help="lean metrics of a value stream map file",
        description="Load a map file (YAML or JSON) and print its lean metrics.",
    )
    map_command.add_argument("map_file", help="the map file")
    map_command.add_argument("--scenario", metavar="FILE", help="apply this scenario and report the future map")
    output = map_command.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print summary() as JSON")
    output.add_argument("--mermaid", action="store_true", help="print a Mermaid flowchart of the map")
    output.add_argument("--markdown", action="store_true", help="print the map as a Markdown table")

    compare = command(
        "compare",
        help="compare two maps or two exports (current/future, before/after)",
        description="Compare two maps (YAML/JSON) or two timing exports and print each headline number's change.",
    )
    compare.add_argument("before", help="current state or baseline: a map file or an export")
    compare.add_argument("after", help="future state or later export of the same kind")
    compare.add_argument(
        "--mapping", metavar="FILE", help="mapping YAML for both exports (default: NAME.mapping.yaml beside each)"
    )
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")

    readout = command(
        "readout",
        help="render offline HTML workshop readouts from exports or maps",
        description="Run the readout notebook for each input and write one self-contained HTML file per input.",
    )
    readout.add_argument("inputs", nargs="+", help="timing exports or map files")
    readout.add_argument("--out", required=True, metavar="DIR", help="folder for the readouts and index.html")
    readout.add_argument(
        "--scenario",
        metavar="FILE",
        help="scenario YAML for every input (default: NAME.scenario.yaml beside each input, if there is one)",
    )
    readout.add_argument(
        "--mapping",
        metavar="FILE",
        help="mapping YAML for every export (default: NAME.mapping.yaml beside each export, if there is one)",
    )
    readout.add_argument("--notebook", default="readout", metavar="NAME", help="notebook to run (default: readout)")
    readout.add_argument("--workers", type=_count, default=None, metavar="N", help="parallel kernels (default: 2)")
    readout.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every input instead of one warm kernel per worker (slower)",
    )
    readout.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a parameter of the notebook, as papermill's -p (repeatable); typed as its parameters cell declares",
    )
    readout.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local worker processes (default), or dask.distributed: a local cluster, or --scheduler's",
    )
    readout.add_argument(
        "--scheduler", metavar="ADDRESS", help="a dask scheduler, e.g. tcp://scheduler:8786 (with --executor dask)"
    )

    samples = command(
        "samples",
        help="copy the sample exports, mappings, scenarios and maps into a folder",
        description="Copy the sample exports, mappings, scenarios and maps into DIR, to try every command on.",
    )
    samples.add_argument("folder", metavar="DIR", help="folder to copy them into (created; no file is overwritten)")
    return parser
