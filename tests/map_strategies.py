"""Hypothesis strategies for random valid value streams, linear or branching."""

from hypothesis import strategies as st

from vsm_widgets.model.stream import CUSTOMER, SUPPLIER, Handoff, Step, ValueStream
from vsm_widgets.model.waste import VALUE_KEYS, WASTE_KEYS
from vsm_widgets.units import UNITS, Duration

identifiers = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=8).filter(
    lambda s: s not in (SUPPLIER, CUSTOMER)
)
texts = st.text(st.characters(categories=("L", "N", "P", "Zs", "S")), max_size=16)
seconds = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
shares = st.floats(min_value=0, max_value=1, exclude_min=True, allow_nan=False)
scalars = st.one_of(st.integers(-1000, 1000), texts, st.booleans(), st.none())
extras = st.dictionaries(
    st.text("xyz", min_size=1, max_size=4).map(lambda k: f"x_{k}"), scalars | st.lists(scalars, max_size=3), max_size=2
)


@st.composite
def steps_for(draw, step_id):
    process = draw(seconds)
    lead = draw(st.none() | seconds.map(lambda extra: process + extra))
    return Step(
        step_id,
        name=draw(texts),
        owner=draw(st.none() | texts.filter(bool)),
        process_time=Duration(process),
        lead_time=None if lead is None else Duration(lead),
        pct_ca=draw(shares),
        value=draw(st.sampled_from(VALUE_KEYS)),
        wastes=tuple(draw(st.lists(st.sampled_from(WASTE_KEYS), unique=True, max_size=3))),
        staff=draw(st.sampled_from([1, 2, 0.5, 3])),
        uptime=draw(shares),
        batch_size=draw(st.none() | st.integers(1, 500)),
        changeover=draw(st.none() | seconds.map(Duration)),
        notes=draw(texts),
        extra=draw(extras),
    )


@st.composite
def handoffs_for(draw, source, target, demand):
    inventory = draw(st.none() | st.integers(0, 10000)) if demand else None
    wait = draw(st.none() | seconds.map(Duration)) if inventory is not None else Duration(draw(seconds))
    return Handoff(
        source,
        target,
        wait=wait,
        inventory=inventory,
        owner=draw(st.none() | texts.filter(bool)),
        kind=draw(st.sampled_from(["push", "pull", "fifo"])),
        extra=draw(extras),
    )


@st.composite
def streams(draw, branching: bool):
    ids = draw(st.lists(identifiers, min_size=1, max_size=6, unique=True))
    demand = draw(st.none() | st.floats(min_value=0.5, max_value=5000))
    pairs = []
    for index, step_id in enumerate(ids):
        if branching:  # any non-empty set of earlier nodes feeds the step: acyclic by construction
            sources = draw(st.lists(st.sampled_from([SUPPLIER, *ids[:index]]), min_size=1, max_size=3, unique=True))
        else:
            sources = [ids[index - 1] if index else SUPPLIER]
        pairs += [(source, step_id) for source in sources]
    has_successor = {source for source, _ in pairs}
    pairs += [(step_id, CUSTOMER) for step_id in ids if step_id not in has_successor]
    return ValueStream(
        draw(texts),
        [draw(steps_for(step_id)) for step_id in ids],
        [draw(handoffs_for(source, target, demand)) for source, target in pairs],
        unit=draw(st.sampled_from(UNITS)),
        hours_per_day=draw(st.sampled_from([24, 8, 7.5])),
        supplier=draw(texts),
        customer=draw(texts),
        demand_per_day=demand,
        available_time_per_day=draw(st.none() | st.floats(min_value=1, max_value=86400).map(Duration)),
        extra=draw(extras),
    )
