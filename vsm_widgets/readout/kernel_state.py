"""Inside a warm readout kernel: import once, then put the kernel back as it was between readouts.

This module runs in the kernel, not in the worker (`vsm_widgets.readout.warm_kernel` drives it).
`warm_up` does the imports every readout needs, renders one chart so vl-convert has started its
engine, and records the kernel's state. `reset` then runs before every readout and either puts
that state back or says what it cannot put back, in which case the worker restarts the kernel.

What a notebook can change, and what `reset` does about it:

- names, ``In``/``Out``, the execution counter: IPython's own ``reset(new_session=True)``, the
  ``%reset -f`` that also starts counting cells from 1, so error messages name the same cell;
- the working folder (a new empty one), ``sys.path``, ``sys.argv``, ``os.environ``, standard streams, warning
  filters and the root logger: put back from the record;
- pandas options, and Altair's theme, renderer and data transformer (active one, options and the
  set registered): put back from the record;
- the random state of ``random`` and ``numpy.random``: seeded again from the operating system,
  as a new kernel is, so no readout sees a seed set by the one before;
- IPython's display formatters and event callbacks: put back from the record;
- anything else at module level (a module imported, a module's attribute or a class's attribute
  of these packages rebound): found by comparing identities with the record and not undone, but
  reported, so the kernel is restarted. Mutating an object in place inside some other module is
  the one change this cannot see; a notebook that does that should run with fresh kernels.

The record is the state after the warm-up's imports, so what an import does once is part of it:
importing ``vsm_widgets.charts`` enables the ``vsm`` chart theme, and a readout finds that theme
enabled even before it imports the package itself. Every notebook of the package imports it
first; a notebook that relies on Altair's ``default`` theme without enabling it should run with
fresh kernels.
"""

from __future__ import annotations

import copy
import ctypes
import gc
import importlib
import logging
import os
import random
import signal
import sys
import warnings
from typing import Any

# What the package's readout notebooks import; importing them here is most of a kernel's start.
WARM_MODULES = (
    "numpy",
    "pandas",
    "pyarrow",
    "altair",
    "vl_convert",
    "IPython.display",
    "vsm_widgets.readout.notebook_setup",
    "vsm_widgets.readout.headline_numbers",
    "vsm_widgets.readout.workshop",
    "vsm_widgets.readout.review_readout",
)
# Packages whose module and class attributes are compared between readouts: those the readouts
# use. Comparing every module would take longer than it saves.
WATCHED_PACKAGES = ("vsm_widgets", "pandas", "numpy", "altair", "builtins", "IPython.display")
# Attributes rebound as code runs, which say nothing about a notebook: Python's registry of warnings
# shown, ipykernel's ``input`` for each request, and this module's own record.
UNWATCHED_NAMES = frozenset({"__warningregistry__", "__builtins__"})
UNWATCHED = frozenset({"builtins.input", f"{__name__}._record"})
PR_SET_PDEATHSIG = 1

_record: dict[str, Any] | None = None


def warm_up(parent_pid: int, notebook: str = "") -> None:
    """Import what readouts need, run a notebook on the samples, and record the kernel's state.

    Running the notebook on a shipped export imports what its code imports only when it runs,
    and fills the caches it fills, so a readout after it finds nothing new.
    Options, themes and the like are recorded before those runs, so no readout inherits what
    they set.

    Parameters
    ----------
    parent_pid : int
        The worker that started this kernel: the kernel ends if that process goes, even when it
        was killed with SIGKILL.
    notebook : str, optional
        The JSON text of one of the package's readout notebooks; without it only the imports
        are done. Never a user's notebook: that could write files or reach out while warming.
    """
    _die_with_parent(parent_pid)
    for name in WARM_MODULES:
        importlib.import_module(name)
    global _record
    _record = _capture()
    if notebook:
        for parameters in _sample_parameters():
            _run_quietly(notebook, parameters)
        _restore(_record)
    _record["modules"], _record["identities"] = set(sys.modules), _identities()
    # IPython's reset ends in a full garbage collection, which walks every object of pandas, Altair
    # and the package: a third of a second each time. Frozen, they are left out of it.
    gc.collect()
    gc.freeze()


def _sample_parameters() -> list[dict[str, Any]]:
    """Parameters for the shipped export, with its mapping and scenario.

    One export is enough: a map or a workbook read after it imports nothing new (measured on
    every sample; a readout that does import something only costs a restart).
    """
    from vsm_widgets.io.samples import samples_dir

    export = samples_dir() / "payments_team.csv"
    if not export.is_file():
        return []
    companions = {
        "mapping_path": export.with_suffix(".mapping.yaml"),
        "scenario_path": export.with_suffix(".scenario.yaml"),
    }
    return [
        {"input_path": str(export), "name": export.stem}
        | {key: str(path) if path.is_file() else None for key, path in companions.items()}
    ]


def _run_quietly(notebook: str, parameters: dict[str, Any]) -> None:
    """Run a notebook's code cells in a scratch namespace; what it shows goes to the warm-up's cell.

    The worker discards that cell's output, and a failure only means a colder kernel.
    """
    import json

    shell = _shell()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        for cell in json.loads(notebook)["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = shell.transform_cell("".join(cell["source"]))
            exec(compile(source, "<warm-up>", "exec"), namespace)  # noqa: S102 - the notebook the batch runs anyway
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                namespace.update(parameters)
    except Exception:  # noqa: BLE001, S110 - a notebook that cannot read the samples only warms less
        pass


def reset(workdir: str) -> list[str]:
    """Put the kernel back as `warm_up` recorded it, in `workdir`, ready for the next readout.

    Parameters
    ----------
    workdir : str
        The next readout's working folder.

    Returns
    -------
    list of str
        What could not be put back (empty when the kernel is as new); the worker restarts the
        kernel when there is anything.
    """
    if _record is None:
        return ["the kernel was not warmed up"]
    # First: the last readout's folder is gone, and IPython's reset asks for the working folder.
    os.chdir(workdir)
    _shell().reset(new_session=True)
    _restore(_record)
    # A new kernel's generators start from the operating system's entropy; so do these.
    random.seed()
    sys.modules["numpy"].random.seed()
    return _changes(_record)


def _capture() -> dict[str, Any]:
    """The state a readout may change, as `warm_up` leaves it."""
    import altair as alt
    import pandas as pd

    shell = _shell()
    return {
        "sys.path": list(sys.path),
        "sys.argv": list(sys.argv),
        "environ": dict(os.environ),
        "streams": (sys.stdout, sys.stderr, sys.stdin, sys.displayhook, sys.excepthook),
        "warnings": list(warnings.filters),
        "showwarning": warnings.showwarning,
        "root logger": (logging.root.level, list(logging.root.handlers)),
        "pandas": {key: pd.get_option(key) for key in _pandas_options()},
        "altair": {name: _registry_state(getattr(alt, name)) for name in ("renderers", "data_transformers")},
        "theme": (alt.theme.active, set(alt.theme.names())),
        "formatters": {
            mime: (dict(f.type_printers), dict(f.deferred_printers), f.enabled)
            for mime, f in shell.display_formatter.formatters.items()
        },
        "events": {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()},
        "modules": set(sys.modules),
        "identities": _identities(),
    }


def _restore(record: dict[str, Any]) -> None:
    """Put back everything in `record` that can be put back."""
    import altair as alt
    import pandas as pd

    shell = _shell()
    sys.path[:] = record["sys.path"]
    sys.argv[:] = record["sys.argv"]
    os.environ.clear()
    os.environ.update(record["environ"])
    sys.stdout, sys.stderr, sys.stdin, sys.displayhook, sys.excepthook = record["streams"]
    warnings.filters[:] = record["warnings"]
    warnings.showwarning = record["showwarning"]
    logging.root.setLevel(record["root logger"][0])
    logging.root.handlers[:] = record["root logger"][1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # setting a deprecated option back warns
        for key, value in record["pandas"].items():
            if _differs(pd.get_option(key), value):
                pd.set_option(key, value)
    for name, (active, options, names) in record["altair"].items():
        registry = getattr(alt, name)
        for extra in set(registry.names()) - names:
            registry.register(extra, None)
        registry.enable(active, **options)
    active, themes = record["theme"]
    for extra in set(alt.theme.names()) - themes:
        alt.theme.unregister(extra)
    alt.theme.enable(active)
    for mime, (type_printers, deferred_printers, enabled) in record["formatters"].items():
        formatter = shell.display_formatter.formatters[mime]
        formatter.type_printers.clear()
        formatter.type_printers.update(type_printers)
        formatter.deferred_printers.clear()
        formatter.deferred_printers.update(deferred_printers)
        formatter.enabled = enabled
    for name, callbacks in record["events"].items():
        shell.events.callbacks[name][:] = callbacks


def _changes(record: dict[str, Any]) -> list[str]:
    """What differs from `record` after `_restore`: the changes a reset cannot undo."""
    changes = [f"module {name} was imported" for name in sorted(set(sys.modules) - record["modules"])]
    now = _identities()
    for key, identity in record["identities"].items():
        if now.get(key) != identity:
            changes.append(f"{key} was {'deleted' if key not in now else 'rebound'}")
    changes += [f"{key} was added" for key in sorted(now.keys() - record["identities"].keys())]
    return changes


def _identities() -> dict[str, int]:
    """The identity of every module and class attribute of the watched packages."""
    found: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not any(name == p or name.startswith(p + ".") for p in WATCHED_PACKAGES):
            continue
        for attribute, value in list(vars(module).items()):
            if attribute in UNWATCHED_NAMES or f"{name}.{attribute}" in UNWATCHED:
                continue
            found[f"{name}.{attribute}"] = id(value)
            if isinstance(value, type) and value.__module__ == name:
                for member, inner in list(vars(value).items()):
                    found[f"{name}.{attribute}.{member}"] = id(inner)
    return found


def _registry_state(registry: Any) -> tuple[str, dict[str, Any], set[str]]:
    return registry.active, copy.copy(registry.options), set(registry.names())


def _pandas_options() -> list[str]:
    import pandas as pd

    # pandas has no public list of its options; describe_option only prints them.
    return sorted(pd._config.config._registered_options)


def _differs(now: Any, then: Any) -> bool:
    try:
        return bool(now != then)
    except (TypeError, ValueError):  # values without a plain truth of equality
        return now is not then


def _shell() -> Any:
    from IPython import get_ipython

    return get_ipython()


def _die_with_parent(parent_pid: int) -> None:
    """Have Linux end this kernel when the process that started it ends.

    ipykernel also polls for its parent each second; this makes it immediate. When a kernel
    spec starts the kernel through a wrapper, the wrapper is the parent, and the poll remains.
    """
    if sys.platform != "linux" or os.getppid() != parent_pid:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
