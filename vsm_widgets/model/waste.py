"""The eight wastes and the three value classes.

Every step of a map has a value class (value-adding, necessary but not
value-adding, or waste) and may be tagged with any of the eight wastes. The
descriptions and examples here are the single source for charts (legends,
tooltips), editors (choices and help text) and teaching material, so they are
written for a workshop audience and cover office, software and factory work.

Keys are stable identifiers used in map and scenario files; `normalise_waste`
and `normalise_value` also accept the spellings people type ("Extra
processing", "over-processing", "VA").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Waste:
    """One of the eight wastes.

    Parameters
    ----------
    key : str
        Identifier used in files, such as ``"extra_processing"``.
    label : str
        Name for people, such as ``"Extra processing"``.
    description : str
        One or two sentences: what the waste is.
    examples : tuple of str
        Short examples from office, software and factory work.
    aliases : tuple of str
        Other spellings accepted on input (already normalised).
    """

    key: str
    label: str
    description: str
    examples: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueClass:
    """A value class of a step: va, nnva or nva.

    Parameters
    ----------
    key : str
        ``"va"``, ``"nnva"`` or ``"nva"``.
    label : str
        Name for people.
    description : str
        What puts a step in this class and what to do about it.
    examples : tuple of str
        Short examples.
    aliases : tuple of str
        Other spellings accepted on input (already normalised).
    """

    key: str
    label: str
    description: str
    examples: tuple[str, ...]
    aliases: tuple[str, ...] = ()


# The order is the classic "DOWNTIME" order, which teaching material follows.
_WASTES = (
    Waste(
        "defects",
        "Defects",
        "Work that is wrong or incomplete and has to be corrected, clarified or redone further down the stream.",
        (
            "a ticket reopened after release",
            "an order entered with the wrong address",
            "a bracket scrapped at inspection",
        ),
        ("defect", "rework", "errors"),
    ),
    Waste(
        "overproduction",
        "Overproduction",
        "Making more, or making it sooner, than the next step or the customer needs.",
        (
            "features built that nobody asked for",
            "a report prepared for every meeting just in case",
            "parts stamped weeks ahead of demand",
        ),
        ("over_production",),
    ),
    Waste(
        "waiting",
        "Waiting",
        "Work or people idle because something is not ready: an approval, an answer, an environment, material.",
        (
            "a change waiting for the weekly approval board",
            "a claim waiting for a signature",
            "an operator waiting for parts",
        ),
        ("wait", "delay", "queue_time"),
    ),
    Waste(
        "non_utilised_talent",
        "Non-utilised talent",
        "Skills, ideas and judgement left unused: experts doing clerical work, improvement ideas nobody asks for.",
        (
            "senior engineers filling in forms",
            "front-line staff never asked how to fix the process",
            "an analyst copying numbers between spreadsheets",
        ),
        ("non_utilized_talent", "unused_talent", "talent", "skills", "unused_skills"),
    ),
    Waste(
        "transportation",
        "Transportation",
        "Moving work, information or material between people, teams or systems: every handoff costs time and detail.",
        (
            "a request re-keyed from email into a ticket system",
            "a file passed through three departments for sign-off",
            "parts trucked between two buildings",
        ),
        ("transport", "handoffs", "handoff"),
    ),
    Waste(
        "inventory",
        "Inventory",
        "Work started and not finished: queues, backlogs, partly done work and stock between steps.",
        (
            "a backlog of 200 unrefined stories",
            "applications piling up in a shared inbox",
            "2,000 parts between welding and assembly",
        ),
        ("inventories", "wip", "queues", "queue"),
    ),
    Waste(
        "motion",
        "Motion",
        "Needless movement of people, including searching for information and switching between tasks.",
        (
            "searching shared drives for the latest version",
            "switching between five projects in a day",
            "walking to a printer on another floor",
        ),
        ("context_switching", "searching"),
    ),
    Waste(
        "extra_processing",
        "Extra processing",
        "More work than the customer values: repeated reviews, reports nobody reads, precision nobody needs.",
        (
            "three sign-offs for a routine change",
            "a weekly status report nobody reads",
            "polishing an internal draft",
        ),
        ("over_processing", "overprocessing", "excess_processing"),
    ),
)

WASTES: Mapping[str, Waste] = MappingProxyType({w.key: w for w in _WASTES})
"""The eight wastes by key, in teaching order."""

WASTE_KEYS: tuple[str, ...] = tuple(WASTES)

_VALUE_CLASSES = (
    ValueClass(
        "va",
        "Value-adding",
        "Changes the work in a way the customer would pay for, done right the first time.",
        ("writing the code for a requested feature", "assessing the damage on a claim", "welding the bracket"),
        ("value_adding", "value_added"),
    ),
    ValueClass(
        "nnva",
        "Necessary, not value-adding",
        "Adds nothing the customer sees but is required today by law, contract or the current technology: reduce it.",
        ("a legal review of a contract", "checking that a payment cleared", "a regulatory inspection"),
        ("necessary", "necessary_non_value_adding", "business_value_adding", "bva"),
    ),
    ValueClass(
        "nva",
        "Non-value-adding (waste)",
        "Neither adds value nor is required: remove it.",
        ("re-entering data from one system into another", "waiting for an approval", "rework after a defect"),
        ("non_value_adding", "waste"),
    ),
)

VALUE_CLASSES: Mapping[str, ValueClass] = MappingProxyType({v.key: v for v in _VALUE_CLASSES})
"""The value classes by key: ``va``, ``nnva``, ``nva``."""

VALUE_KEYS: tuple[str, ...] = tuple(VALUE_CLASSES)

UNCLASSIFIED = ValueClass(
    "unclassified",
    "Not yet classified",
    "Nobody has said yet whether this step adds value; until then it counts as work, not as value-adding work.",
    ("a step just added in a workshop",),
    ("not_yet_classified", "not_classified", "unknown", "tbd"),
)
"""The value class of a step nobody has classified yet: counted in the activity ratio, never in PCE."""


def _spelling(text: object) -> str:
    return "_".join(str(text).strip().lower().replace("-", " ").replace("_", " ").split())


def _lookup(text: object, table: Mapping[str, Waste] | Mapping[str, ValueClass]) -> str | None:
    spelled = _spelling(text)
    for entry in table.values():
        if spelled == entry.key or spelled in entry.aliases:
            return entry.key
    return None


def normalise_waste(text: object) -> str:
    """Return the key of the waste `text` names.

    Parameters
    ----------
    text : str
        A key, label or common alias: ``"waiting"``, ``"Extra processing"``,
        ``"over-processing"``, ``"non-utilized talent"``.

    Returns
    -------
    str
        One of `WASTE_KEYS`.

    Raises
    ------
    ValueError
        If `text` names none of the eight wastes; the message lists them.

    Examples
    --------
    >>> normalise_waste("Over-processing")
    'extra_processing'
    """
    key = _lookup(text, WASTES)
    if key is None:
        raise ValueError(f"unknown waste {text!r}; use one of {', '.join(WASTE_KEYS)}")
    return key


def normalise_value(text: object) -> str:
    """Return the key of the value class `text` names.

    Parameters
    ----------
    text : str
        ``"va"``, ``"nnva"``, ``"nva"``, in any case, or a label such as
        ``"value-adding"``.

    Returns
    -------
    str
        One of `VALUE_KEYS`.

    Raises
    ------
    ValueError
        If `text` names no value class.

    Examples
    --------
    >>> normalise_value("NNVA")
    'nnva'
    """
    key = _lookup(text, VALUE_CLASSES)
    if key is None:
        raise ValueError(f"unknown value class {text!r}; use va (value-adding), nnva (necessary) or nva (waste)")
    return key


def normalise_step_value(text: object) -> str:
    """Return the value class key of a step: one of `VALUE_KEYS`, or ``"unclassified"``.

    A step may be left unclassified (a new box in a workshop); a teaching
    answer key may not, so it reads its classes with `normalise_value`.

    Parameters
    ----------
    text : str
        See `normalise_value`; also ``"unclassified"`` or ``"not yet classified"``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If `text` names no value class.

    Examples
    --------
    >>> normalise_step_value("Not yet classified")
    'unclassified'
    """
    spelled = _spelling(text)
    if spelled == UNCLASSIFIED.key or spelled in UNCLASSIFIED.aliases:
        return UNCLASSIFIED.key
    try:
        return normalise_value(text)
    except ValueError:
        raise ValueError(
            f"unknown value class {text!r}; use va (value-adding), nnva (necessary), nva (waste) or unclassified"
        ) from None


def waste(key: str) -> Waste:
    """The `Waste` for a key or any accepted spelling.

    Parameters
    ----------
    key : str
        See `normalise_waste`.

    Returns
    -------
    Waste

    Examples
    --------
    >>> waste("transport").label
    'Transportation'
    """
    return WASTES[normalise_waste(key)]


def value_class(key: str) -> ValueClass:
    """The `ValueClass` for a key or any accepted spelling.

    Parameters
    ----------
    key : str
        See `normalise_value`.

    Returns
    -------
    ValueClass

    Examples
    --------
    >>> value_class("nva").label
    'Non-value-adding (waste)'
    """
    return VALUE_CLASSES[normalise_value(key)]
