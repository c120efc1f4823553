"""The layer contract of DESIGN section 1: a module imports only from its own layer or below.

Every ``import`` and ``from ... import`` in the package is read with `ast`, the deferred ones inside
functions included, and each module is placed in its layer by its path. A module that imports a
higher layer fails the test, naming the line; so does a cycle of module-level imports. The one
declared exception is `ValueStream.from_events`, which builds the measured map of the metrics layer.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "vsm_widgets"

# Lowest first. A bottom module is named by its file; every other layer is a subpackage.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("allocator", "exceptions", "units", "calendar", "serial_times", "timestamp_formats", "timestamps", "wording"),
    ("model",),
    ("io",),
    ("metrics",),
    ("future",),
    ("charts",),
    ("widgets",),
    ("readout",),
    ("cli", "cli_arguments", "__main__", "__init__"),
)

# (importing module, enclosing function, imported module): allowed upward imports, each with its reason.
DECLARED = {
    # A map measured from a log is a ValueStream; its constructor lives on the class, its logic in metrics.
    ("vsm_widgets.model.stream", "from_events", "vsm_widgets.metrics.measured_map"),
}


@dataclass(frozen=True)
class Import:
    module: str
    imported: str
    line: int
    function: str | None
    deferred: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    parts = module.split(".")
    room = parts[1] if len(parts) > 1 else "__init__"
    for rank, rooms in enumerate(LAYERS):
        if room in rooms:
            return rank
    raise AssertionError(f"{module} is in no layer of DESIGN section 1; add its room to LAYERS")


def _resolve(node: ast.ImportFrom | ast.Import, module: str, is_package: bool, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "vsm_widgets"]
    base = node.module or ""
    if node.level:
        parent = module.split(".") if is_package else module.split(".")[:-1]
        parent = parent[: len(parent) - (node.level - 1)]
        base = ".".join([*parent, *([node.module] if node.module else [])])
    if base.split(".")[0] != "vsm_widgets":
        return []
    # `from vsm_widgets.metrics import flow` imports the module vsm_widgets.metrics.flow
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]


def package_imports() -> list[Import]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(path) for path in paths}
    found = []
    for path in paths:
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

        def visit(node: ast.AST, function: str | None, deferred: bool, module=module, path=path) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    for imported in _resolve(child, module, path.name == "__init__.py", known):
                        found.append(Import(module, imported, child.lineno, function, deferred))
                elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    visit(child, child.name, True)
                elif isinstance(child, ast.If) and _is_type_checking(child):
                    continue  # annotations only: nothing is imported at run time
                else:
                    visit(child, function, deferred)

        visit(tree, None, False)
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


IMPORTS = package_imports()


def test_the_package_is_read():
    assert len({i.module for i in IMPORTS}) > 50
    assert any(i.deferred for i in IMPORTS)


def test_every_module_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


def test_no_module_imports_a_higher_layer():
    upward = [
        f"{i.module} (line {i.line}{', in ' + i.function if i.function else ''}) imports {i.imported}"
        for i in IMPORTS
        if layer_of(i.imported) > layer_of(i.module) and (i.module, i.function, i.imported) not in DECLARED
    ]
    assert upward == [], "imports against the layer order of DESIGN section 1:\n" + "\n".join(upward)


def test_the_declared_exceptions_are_still_needed():
    used = {(i.module, i.function, i.imported) for i in IMPORTS}
    assert DECLARED <= used, f"declared exceptions no longer used: {DECLARED - used}"


def test_module_level_imports_have_no_cycle():
    graph: dict[str, set[str]] = {}
    for i in IMPORTS:
        if not i.deferred and i.imported != i.module:
            graph.setdefault(i.module, set()).add(i.imported)
    # a package's __init__ importing its own modules is how re-exports work, not a cycle
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not t.startswith(module + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("module-level import cycle: " + " -> ".join(cycle))
            if target not in state:
                walk(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)


def test_wording_loads_no_pandas():
    """Formatting a number must not start pandas or the flow layer."""
    import subprocess
    import sys

    code = "import sys, vsm_widgets.wording; print(sorted({'pandas', 'altair', 'ipywidgets'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("module", "heavy"),
    [("vsm_widgets.readout.lesson", "ipywidgets"), ("vsm_widgets.io.exports", "altair")],
)
def test_lower_layers_do_not_load_higher_libraries(module, heavy):
    import subprocess
    import sys

    code = f"import sys, {module}; print({heavy!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "False"
