"""The ``vsm`` command line: orchestration only, the logic lives in the package.

Exit codes (DESIGN 4.4): 0 on success, 1 when some inputs failed (the others
still produced), 2 on a usage error or an input that cannot be used at all;
130 when interrupted, 141 when the reader of the output went away (``| head``).
Results go to standard output; messages go through `logging` to standard error,
so ``--json`` output stays clean, ``--quiet`` keeps only warnings and errors and
``--verbose`` adds how the input was read.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from vsm_widgets.cli_arguments import build_parser
from vsm_widgets.exceptions import VsmError

logger = logging.getLogger("vsm_widgets")
# How long a step of `vsm metrics` may run before the command says what it is doing.
SLOW_AFTER_SECONDS = 1.0
BROKEN_PIPE = 141  # as a shell reports a command that SIGPIPE ended


def _mapping_for(export: str, given: str | None) -> str | None:
    """The mapping given, else NAME.mapping.yaml beside the export (said on stderr, so --json stays clean)."""
    if given:
        return given
    from vsm_widgets.io.companions import companion_file

    found = companion_file(Path(export), "mapping")
    if found is not None:
        logger.info("using the mapping beside the export: %s", found)
    return str(found) if found else None


@contextlib.contextmanager
def _said_if_slow(message: str) -> Iterator[None]:
    """Log `message` if the block is still running after `SLOW_AFTER_SECONDS`; quick runs stay silent."""
    timer = threading.Timer(SLOW_AFTER_SECONDS, logger.info, args=(message,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _run_metrics(args: argparse.Namespace) -> int:
    from vsm_widgets.calendar import Calendar
    from vsm_widgets.io.exports import read_export
    from vsm_widgets.metrics import flow
    from vsm_widgets.metrics.guesses import headline_guesses
    from vsm_widgets.metrics.partition import largest_wait, partition
    from vsm_widgets.readout import metrics_report

    calendar = Calendar.parse(args.calendar)
    mapping = _mapping_for(args.export, args.mapping)
    size = Path(args.export).stat().st_size / 1e6 if Path(args.export).is_file() else 0.0
    with _said_if_slow(f"reading {args.export} ({size:,.0f} MB) ..."):
        log = read_export(args.export, mapping=mapping, calendar=calendar)
    for decision in log.quality.decisions:
        logger.debug("read: %s", decision)
    with _said_if_slow(f"computing the flow metrics of {log.quality.rows_used:,} rows ..."):
        summary = flow.summary(log)
        wait = largest_wait(partition(log))
        summary = {**summary, "largest_wait": wait.to_dict() if wait is not None else None}
    guesses = headline_guesses(log, summary)
    for guess in guesses:
        logger.warning("%s", guess.format())
    print(json.dumps(summary, indent=2) if args.json else metrics_report.format_summary(summary, log, guesses))
    return 0


def _run_map(args: argparse.Namespace) -> int:
    from vsm_widgets.io import map_text
    from vsm_widgets.io.map_file import load_map
    from vsm_widgets.readout import map_report

    stream = load_map(args.map_file)
    if args.scenario:
        from vsm_widgets.future.scenario import load_scenario

        stream = load_scenario(args.scenario).apply(stream)
    if args.json:
        print(json.dumps(stream.summary(), indent=2))
    elif args.mermaid:
        print(map_text.to_mermaid(stream))
    elif args.markdown:
        print(map_text.to_markdown(stream))
    else:
        print(map_report.format_summary(stream))
    return 0


def _run_compare(args: argparse.Namespace) -> int:
    from vsm_widgets.future.compare import compare
    from vsm_widgets.readout.inputs import is_map_file

    def load(path: str) -> object:
        if is_map_file(path):
            from vsm_widgets.io.map_file import load_map

            return load_map(path)
        from vsm_widgets.io.exports import read_export

        return read_export(path, mapping=_mapping_for(path, args.mapping))

    comparison = compare(load(args.before), load(args.after))
    print(json.dumps(comparison.to_dict(), indent=2) if args.json else comparison.format())
    return 0


def _run_readout(args: argparse.Namespace) -> int:
    from vsm_widgets.readout.batch import render_readouts
    from vsm_widgets.readout.notebook_paths import find_notebook
    from vsm_widgets.readout.parameters import typed_parameters

    if args.scheduler and args.executor != "dask":
        return _usage_error("--scheduler needs --executor dask")
    parameters = typed_parameters(find_notebook(args.notebook), args.parameter)
    with _executor(args) as executor:
        batch = render_readouts(
            args.inputs,
            args.out,
            scenario=args.scenario,
            mapping=args.mapping,
            notebook=args.notebook,
            workers=args.workers,
            executor=executor,
            progress=_progress_wanted(args),
            parameters=parameters,
            check=False,
            fresh_kernels=args.fresh_kernels,
        )
    print(batch.format())
    return 0 if batch.ok else 1


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[object | None]:
    """None for the local pool; a dask.distributed executor on the cluster asked for."""
    if args.executor == "local":
        yield None
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise VsmError("--executor dask needs dask.distributed: pip install 'vsm-widgets[dask]'") from None
    if args.scheduler:
        with Client(args.scheduler) as client:
            logger.info("readouts on the dask cluster at %s", args.scheduler)
            yield client.get_executor()
        return
    # One thread per worker: each task drives a kernel of its own (docs/readouts.md).
    workers = args.workers or 2
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        logger.info("readouts on a local dask cluster of %d workers", workers)
        yield client.get_executor()


def _progress_wanted(args: argparse.Namespace) -> bool:
    """A progress bar only for a person at a terminal: never in a CI log, a pipe or with --quiet."""
    disabled = os.environ.get("TQDM_DISABLE", "").strip().lower() not in ("", "0", "false", "no")
    return not args.quiet and not disabled and sys.stderr.isatty()


def _configure_logging(args: argparse.Namespace) -> None:
    """Messages to standard error as ``vsm: ...``; replaced on every call, so tests see their own stream."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("vsm: %(message)s"))
    logger.handlers = [handler]
    logger.propagate = False
    verbose, quiet = getattr(args, "verbose", False), getattr(args, "quiet", False)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)


def _run_samples(args: argparse.Namespace) -> int:
    from vsm_widgets.io.samples import copy_samples

    written = copy_samples(args.folder)
    print(f"{len(written)} sample files copied into {args.folder}")
    for path in written:
        print(f"  {path}")
    first = Path(args.folder) / "payments_team.csv"
    print(f"Try: vsm metrics {first}   or   vsm readout {Path(args.folder) / '*.csv'} --out readouts")
    return 0


def _usage_error(message: str) -> int:
    print(f"vsm: error: {message}", file=sys.stderr)
    return 2


# Commands that read files and print: once their output is flushed nothing of theirs needs tearing down.
_READ_ONLY = ("metrics", "map", "compare")
# Commands that read whole exports, for which the process keeps the memory it frees (`allocator`).
_READ_EXPORTS = ("metrics", "compare")

COMMANDS = {
    "metrics": _run_metrics,
    "map": _run_map,
    "compare": _run_compare,
    "readout": _run_readout,
    "samples": _run_samples,
}


def main(argv: list[str] | None = None, prog: str = "vsm") -> int:
    """Run the ``vsm`` command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.
    prog : str, optional
        The program's name in usage and error messages (``python -m vsm_widgets`` names itself).

    Returns
    -------
    int
        The exit code: 0 success, 1 some inputs failed, 2 usage or input error, 130 interrupted,
        141 the reader of standard output went away, 143 terminated (SIGTERM, ``vsm readout``).
    """
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    _configure_logging(args)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # here, so that a reader gone away is a BrokenPipeError caught below
        return code
    except VsmError as error:
        print(f"vsm {args.command}: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        return _usage_error(f"{error.filename}: no such file. Check the path")
    except BrokenPipeError:
        # Python would flush stdout again at exit and print a traceback: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE
    except KeyboardInterrupt as interrupt:
        # SIGTERM arrives as the batch's Terminated, a KeyboardInterrupt with its own exit code.
        how = "terminated" if hasattr(interrupt, "exit_code") else "interrupted"
        print(f"vsm: {how}; no partial file was kept", file=sys.stderr)
        return getattr(interrupt, "exit_code", 130)


def run(argv: list[str] | None = None, prog: str = "vsm") -> None:
    """The ``vsm`` console script: `main` in a process of its own, then the process's exit with its code.

    For `vsm metrics` and `vsm compare` the process first keeps the memory it frees
    (`vsm_widgets.allocator`), which only a process that ends when the command does should.
    After `vsm metrics`, `vsm map` and `vsm compare` it ends without Python's teardown, once
    standard output, standard error and the log are flushed: freeing a log of a million visits
    object by object took a tenth of a second, and those commands leave nothing to close.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.
    prog : str, optional
        The program's name in usage and error messages.
    """
    argv = sys.argv[1:] if argv is None else argv
    command = build_parser(prog).parse_known_args(argv)[0].command
    if command in _READ_EXPORTS:
        from vsm_widgets.allocator import keep_freed_memory

        keep_freed_memory()
    code = main(argv, prog)
    if command not in _READ_ONLY:
        sys.exit(code)
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # a reader gone away: main has already pointed standard output at nothing
    os._exit(code)


if __name__ == "__main__":
    run()
