"""What a reader says about YAML it cannot use: the syntax error's line, a value its tag refuses, nesting too deep.

PyYAML's messages name its own internals, and a value it refuses while building the
data (``!!bool maybe``, the date 2027-02-30) arrives as a bare KeyError or ValueError
with no line; these find the line and say what to write instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from vsm_widgets.exceptions import VsmInputError

TIMESTAMP = "tag:yaml.org,2002:timestamp"


def described(text: str, problem: yaml.YAMLError) -> yaml.YAMLError | None:
    """The same problem as PyYAML's own parser words it ("expected <block end>, but found ..."); None if too deep."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as worded:
        return worded
    except RecursionError:
        return None
    return problem


def bad_value(
    loader: yaml.SafeLoader,
    root: yaml.Node | None,
    constructors: dict[str, Callable[[yaml.SafeLoader, yaml.ScalarNode], Any]],
    source: str | None,
    error: type[VsmInputError],
) -> VsmInputError:
    """The first scalar, in document order, that its tag's constructor (in `constructors`) refuses, and its line."""
    stack, seen = [root] if root is not None else [], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif node.tag in constructors:
            try:
                constructors[node.tag](loader, node)
            except (ValueError, KeyError, AttributeError, TypeError, OverflowError) as problem:
                line = node.start_mark.line + 1
                if node.tag == TIMESTAMP and isinstance(problem, ValueError):
                    return error(
                        f"{node.value} is not a date that exists ({problem})",
                        "Write a real date, such as 2027-02-28",
                        file=source,
                        line=line,
                    )
                name = node.tag.rsplit(":", 1)[-1]
                what, example = _TAG_WORDS[name]
                return error(
                    f"{node.value!r} is tagged !!{name} but is not {what}",
                    f"Write {example}, or leave out the !!{name} tag",
                    file=source,
                    line=line,
                )
    return error("a value cannot be read", "Check the dates and numbers in the file", file=source)


# What each tag's value must be, and an example of one: (null, bool, int, float, timestamp).
_TAG_WORDS = dict(
    null=("empty", "null or ~"),
    bool=("true or false", "true or false"),
    int=("a whole number", "a whole number such as 12"),
    float=("a number", "a number such as 2.5"),
    timestamp=("a date", "a date such as 2027-02-28"),
)


def too_deep(source: str | None, error: type[VsmInputError]) -> VsmInputError:
    """Nesting past Python's recursion limit: no line to name, since PyYAML stops before one."""
    return error(
        "the document is nested too deeply to read", "Write lists and mappings at most a few levels deep", file=source
    )


def syntax_error(problem: yaml.YAMLError, source: str | None, error: type[VsmInputError]) -> VsmInputError:
    """Text that is not YAML, at the line PyYAML's parser stopped on."""
    mark = getattr(problem, "problem_mark", None)
    what = getattr(problem, "problem", None) or str(problem)
    return error(
        f"not valid YAML: {what}",
        "Check the indentation and quoting on this line and the one before",
        file=source,
        line=mark.line + 1 if mark is not None else None,
    )
