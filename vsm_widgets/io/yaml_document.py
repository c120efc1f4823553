"""One YAML loader for maps, scenarios and export mappings: the data, the line of every key, no duplicates.

The text is parsed once into YAML's node tree. Walking the tree records the
line of every key and list entry (by its key path, such as
``("changes", 0, "by")``) and refuses a key written twice in one mapping, which
YAML itself would silently resolve to the last value (a scenario with ``by:
50%`` and then ``by: 10%`` would use 10 %). The same walk builds the plain
Python values with PyYAML's safe constructors for each scalar, or leaves a
document with aliases, merge keys or tags of its own to PyYAML's safe
constructor whole, so every reader gets the same data ``yaml.safe_load`` gives,
plus the lines to point its errors at.

An alias is walked once, where its anchor stands, so a few hundred bytes of
nested aliases (the "billion laughs") cannot make the walk exponential; a
document with more aliases than any map needs is refused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml

from vsm_widgets.exceptions import VsmInputError
from vsm_widgets.io.yaml_errors import bad_value, described, syntax_error, too_deep

KeyPath = tuple[Any, ...]
# libyaml's parser is about ten times faster than PyYAML's own on a map of thousands of steps; its
# error messages are terser, so a document that fails is parsed again by PyYAML's for the message.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FAST_LOADER(_BASE_LOADER):  # noqa: N801 (the loader class, named as PyYAML names its own)
    """The loader, remembering the tag of each plain scalar it has resolved.

    libyaml calls back into PyYAML's Python resolver for every scalar, to try its implicit types by
    regular expression; a map repeats its keys and many values thousands of times, so most of those
    calls can be answered from what the same document already resolved.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or not isinstance(value, str):
            return super().resolve(kind, value, implicit)
        key = (value, tuple(implicit))
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a document is read, and put it back as it was.

    A map of 10,000 steps composes into about a million tracked objects (nodes, two marks each, then
    the data, then the steps), none of them garbage until the read ends; the collector would
    traverse them all again and again as they pile up, half the time of `vsm map` on such a map.
    Nothing is lost: what the read drops is freed as usual, and a cycle (a recursive alias) waits for
    the next collection. Reads nest: only the outermost puts the collector back.

    Yields
    ------
    None
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


MAX_ALIASES = 20
"""More aliases than this in one document are refused: maps, scenarios and mappings need none."""

# YAML types with no JSON counterpart: unknown keys are kept and saved, so these cannot come back whole.
_UNKEPT = {
    "tag:yaml.org,2002:set": "a YAML set (!!set)",
    "tag:yaml.org,2002:binary": "binary data (!!binary)",
    "tag:yaml.org,2002:omap": "an ordered map (!!omap)",
    "tag:yaml.org,2002:pairs": "a list of pairs (!!pairs)",
}
_MAP, _SEQ, _STR = (f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str"))
# The scalars the walk builds itself, each with the constructor `yaml.safe_load` uses for its tag.
_SCALARS = {
    tag: _BASE_LOADER.yaml_constructors[tag]
    for tag in (f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))
}


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document with the line of every key.

    Parameters
    ----------
    data : object
        The document as ``yaml.safe_load`` reads it; None for an empty document.
    lines : dict
        Key path (keys and list indexes from the top) -> 1-based line.
    raw_keys : dict
        Key path of a mapping -> its keys as written, before YAML reads ``On`` or ``No`` as booleans.
    source : str or None
        The file name errors should name.
    """

    data: object
    lines: dict[KeyPath, int] = field(default_factory=dict)
    raw_keys: dict[KeyPath, list[str]] = field(default_factory=dict)
    source: str | None = None

    def line_of(self, path: KeyPath) -> int | None:
        r"""The line of `path`, or of the nearest entry above it that has one.

        Parameters
        ----------
        path : tuple
            Keys and list indexes from the top of the document.

        Returns
        -------
        int or None

        Examples
        --------
        >>> doc = load_yaml("name: Demo\nsteps:\n  - id: a\n    process_time: 2\n")
        >>> doc.line_of(("steps", 0, "process_time")), doc.line_of(("steps", 0, "staff"))
        (4, 3)
        """
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def load_yaml(text: str, source: str | None = None, error: type[VsmInputError] = VsmInputError) -> YamlDocument:
    r"""Parse YAML text into its data and the line of every key, refusing duplicate keys.

    Parameters
    ----------
    text : str
        The document.
    source : str, optional
        The file name errors should name.
    error : type of VsmInputError, optional
        The error to raise: `MapFileError`, `ScenarioError` or `MappingError`, so each
        reader's errors keep their type.

    Returns
    -------
    YamlDocument

    Raises
    ------
    VsmInputError
        Of type `error`, naming the file and line: for text that is not YAML, a key written
        twice in one mapping, nesting too deep to read, or too many aliases.

    Examples
    --------
    >>> load_yaml("changes:\n  - by: 50%\n    by: 10%\n", "plan.yaml")
    Traceback (most recent call last):
    ...
    vsm_widgets.exceptions.VsmInputError: plan.yaml, line 3, column 'by': key 'by' appears twice. Keep one of them.
    """
    loader = _FAST_LOADER(text)
    walk = _Walk(source, error, loader)
    root = None
    try:
        try:
            with collector_paused():
                root = loader.get_single_node()
                data = walk.visit(root, ()) if root is not None else None
                if root is not None and not walk.built:
                    data = loader.construct_document(root)
                # Freed while the collector is held off, so the first collection after it sees only the data.
                root = None
        except RecursionError:
            raise too_deep(source, error) from None
        except VsmInputError:
            raise
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
            # a date that does not exist (2027-02-30), or a value its tag refuses (!!bool maybe)
            raise bad_value(loader, root, _SCALARS, source, error) from None
        except yaml.YAMLError as problem:
            worded = described(text, problem)
            raise (too_deep(source, error) if worded is None else syntax_error(worded, source, error)) from None
    finally:
        loader.dispose()
    return YamlDocument(data, walk.lines, walk.raw_keys, source)


def document_of(
    text: str, data: object, source: str | None = None, error: type[VsmInputError] = VsmInputError
) -> YamlDocument:
    """Data already parsed another way (a JSON map) with the lines of its text, where YAML can read it.

    Parameters
    ----------
    text : str
        The text `data` was parsed from.
    data : object
        The parsed document.
    source : str, optional
        The file name errors should name.
    error : type of VsmInputError, optional
        The error to raise.

    Returns
    -------
    YamlDocument
        With no lines when YAML cannot read the text.

    Raises
    ------
    VsmInputError
        Of type `error`, for a key written twice, which JSON readers silently resolve to the last value.
    """
    loader = _FAST_LOADER(text)
    walk = _Walk(source, error, None)  # the data is `data`: the walk only records lines and refuses duplicates
    with collector_paused():
        try:
            root = loader.get_single_node()
        except (yaml.YAMLError, RecursionError):
            return YamlDocument(data, source=source)
        finally:
            loader.dispose()
        if root is not None:
            walk.visit(root, ())
    return YamlDocument(data, walk.lines, walk.raw_keys, source)


class _Walk:
    """Records key lines and raw keys, refusing duplicates, and builds the data on the way.

    Each node is visited once, however often it is aliased. The data is built as ``yaml.safe_load``
    builds it while the document holds only plain mappings, lists and scalars; at the first alias,
    merge key, tag of the file's own or value the constructor refuses, `built` turns False and
    PyYAML's constructor builds the data after the walk instead, raising what it raises.
    """

    def __init__(self, source: str | None, error: type[VsmInputError], loader: yaml.SafeLoader | None) -> None:
        self.source, self.error, self.loader = source, error, loader
        self.lines: dict[KeyPath, int] = {}
        self.raw_keys: dict[KeyPath, list[str]] = {}
        self.seen: set[int] = set()
        self.aliases = 0
        self.built = loader is not None

    def visit(self, node: yaml.Node, path: KeyPath) -> Any:
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.error(
                    f"the document uses more than {MAX_ALIASES} aliases (*name)",
                    "Write the values out; these files need no anchors or aliases",
                    file=self.source,
                    line=node.start_mark.line + 1,
                )
            self.built = False  # the alias shares its anchor's value, as PyYAML's constructor keeps it
            return None
        self.seen.add(id(node))
        tag = node.tag
        kind = _UNKEPT.get(tag)
        if kind is not None:
            where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
            raise self.error(
                f"key '{where or '(top)'}' holds {kind}, which a map saved as JSON could not write back",
                "Write a list ([a, b]) or plain text instead",
                file=self.source,
                line=node.start_mark.line + 1,
                column=str(path[-1]) if path else None,
            )
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR:
                return node.value
            return self.scalar(node) if self.built else None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if tag != _SEQ:
            self.built = False
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            self.lines[child] = item.start_mark.line + 1
            items.append(self.visit(item, child))
        return items

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        if node.tag != _MAP:
            self.built = False
        keys: list[str] = []
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                key, self.built = str(key_node.start_mark), False
            line = key_node.start_mark.line + 1
            if key in keys:
                raise self.error(
                    f"key '{key}' appears twice", "Keep one of them", file=self.source, line=line, column=str(key)
                )
            keys.append(key)
            child = (*path, key)
            self.lines[child] = line
            value = self.visit(value_node, child)
            if self.built:
                # As PyYAML does: keys that read the same (1 and 01, On and yes) keep the first place, the last value.
                data[key if key_node.tag == _STR else self.scalar(key_node)] = value
        self.raw_keys[path] = keys
        return data

    def scalar(self, node: yaml.ScalarNode) -> Any:
        construct = _SCALARS.get(node.tag)
        if construct is None:  # a merge key (<<), a value key (=) or a tag of the file's own
            self.built = False
            return None
        try:
            return construct(self.loader, node)
        except Exception:  # refused again, with PyYAML's own error, when its constructor builds the document
            self.built = False
            return None
