"""Time an edit in the map explorer against the budget of DESIGN section 5.

The budget: an edit in an editor to updated headline cards and charts, Python
side, on a 40-step map, under 50 ms median. One timed edit is what happens when
a user types a new process time into the step editor and presses Enter: the
entry is parsed, the model makes a new map, both editors show it, the cards
are recomputed, both live charts get their new specifications, and every
widget message is serialised to JSON as the kernel would send it (a comm that
encodes instead of the kernel's). Edits alternate between two values on a
step in the middle of the map so that every one changes the charts; a few
untimed edits warm up first. Each edit is timed by the wall clock and by the
CPU time of the process, which other processes on a shared machine do not
inflate.

A scenario edit is timed too, against the same budget: the share a change of
the future state cuts a wait by, typed into the explorer's scenario panel with
the future view shown. The change is built by the scenario file's reader and
checked on the map, the future map is made, and the cards (each with what it
was) and both charts show it.

An edit that keeps the layout redraws the charts by their data
(`vsm_widgets.charts.spec_cache.LiveSpec`); an edit that changes it draws them
in full. The second kind is timed too, for information: a step duplicated,
then the duplicate undone, each a timed edit.

Usage::

    python benchmarks/bench_widgets.py                               # 40 steps, 30 timed edits
    python benchmarks/bench_widgets.py --steps 10 --edits 10         # check the harness
    python benchmarks/bench_widgets.py --write docs/benchmarks.md    # also update the "## Editors" section

The exit code is 1 when the budget is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

import comm
from comm.base_comm import BaseComm
from report import replace_section

from vsm_widgets.charts import step_time_chart, value_stream_map
from vsm_widgets.charts.map import live_map, map_parts
from vsm_widgets.charts.timeline import live_step_times, step_time_parts
from vsm_widgets.future.scenario import Scenario, change_from_entry
from vsm_widgets.model.stream import Handoff, Step, ValueStream
from vsm_widgets.units import Duration
from vsm_widgets.widgets import MapExplorer
from vsm_widgets.widgets.map_explorer import build_charts, chart_spec

SECTION = "## Editors"
BUDGET_MS = 50.0
WARM_UP = 3


class EncodingComm(BaseComm):
    """A comm that serialises every message to JSON as the kernel would, and counts the bytes."""

    sent_bytes = 0

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys) -> None:
        EncodingComm.sent_bytes += len(json.dumps({"msg_type": msg_type, "data": data, "metadata": metadata}))


def workshop_map(steps: int) -> ValueStream:
    """A linear map of `steps` steps as a workshop draws one: owners, waits, %C&A, some block lead times."""
    boxes = [
        Step(
            f"s{i:02d}",
            f"Step {i}: {('Analysis', 'Build', 'Review', 'Test', 'Release')[i % 5]}",
            owner=f"Team {i % 4}",
            process_time=Duration.of(1 + i % 5, "hours"),
            lead_time=Duration.of(6 + i % 3, "hours") if i % 3 == 0 else None,
            pct_ca=0.9 + 0.01 * (i % 10),
            value=("va", "nnva", "nva")[i % 3],
            wastes=("waiting",) if i % 4 == 0 else (),
        )
        for i in range(steps)
    ]
    ends = ["supplier", *(b.id for b in boxes), "customer"]
    arrows = [
        Handoff(source, target, Duration.of(2 + i % 7, "hours"), owner="Flow lead" if i % 5 == 0 else None)
        for i, (source, target) in enumerate(zip(ends, ends[1:], strict=False))
    ]
    return ValueStream(f"{steps}-step workshop map", boxes, arrows, unit="hours", hours_per_day=8)


def _median_ms(function, runs: int) -> float:
    """The median CPU time of `runs` calls, in ms."""
    timings = []
    for _ in range(runs):
        began = time.process_time()
        function()
        timings.append((time.process_time() - began) * 1000)
    return statistics.median(timings)


def _timed(action) -> tuple[float, float]:
    """Wall-clock and CPU time of one call, in ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _summary(timings: list[tuple[float, float]]) -> dict:
    walls, cpus = [wall for wall, _ in timings], [cpu for _, cpu in timings]
    return {
        "edits": len(timings),
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "wall_p90": statistics.quantiles(walls, n=10)[-1] if len(walls) > 1 else walls[0],
    }


def _shows_its_map(explorer: MapExplorer) -> bool:
    """Whether both live charts are exactly the charts of the explorer's map, built and written out anew."""
    shown = explorer.stream
    return explorer.map_chart.spec == chart_spec(value_stream_map(shown)) and explorer.step_chart.spec == chart_spec(
        step_time_chart(shown)
    )


def measure(steps: int, edits: int) -> dict:
    """Time `edits` edits on a map of `steps` steps, and as many that change its layout; with a breakdown, in ms."""
    comm.create_comm = EncodingComm
    stream = workshop_map(steps)
    explorer = MapExplorer(stream)
    middle = stream.steps[steps // 2].id
    field = explorer.step_editor.rows[middle].fields["process_time"].input
    values = ["7", "9"]
    for index in range(WARM_UP):
        field.value = values[index % 2]
    EncodingComm.sent_bytes = 0
    timings = []
    for index in range(edits):
        value = values[(WARM_UP + index) % 2]
        timings.append(_timed(lambda value=value: setattr(field, "value", value)))
    sent_kb = EncodingComm.sent_bytes / edits / 1000
    expected = Duration.of(float(values[(WARM_UP + edits - 1) % 2]), "hours")
    if explorer.stream.step(middle).process_time != expected or not _shows_its_map(explorer):
        raise RuntimeError("the explorer did not show the last edit; the timings would mean nothing")
    shown = explorer.stream
    breakdown = _breakdown(explorer, shown, edits)
    relaid = []
    for index in range(edits):
        if index % 2 == 0:
            relaid.append(_timed(explorer.step_editor.rows[middle].duplicate.click))
        else:
            relaid.append(_timed(explorer.undo_button.click))
    if len(explorer.stream.steps) != steps + edits % 2 or not _shows_its_map(explorer):
        raise RuntimeError("the explorer did not show the new layout; the timings would mean nothing")
    return {
        "steps": steps,
        "edit": _summary(timings),
        "scenario": measure_scenario(steps, edits),
        "relaid": _summary(relaid),
        "sent_kb": sent_kb,
        "breakdown": breakdown,
    }


def workshop_scenario(stream: ValueStream) -> Scenario:
    """Five changes to a workshop map, as a workshop plans them: three waits cut, two steps retimed."""
    ids = stream.step_ids
    entries = [
        {"kind": "cut_wait", "handoff": [ids[i], ids[i + 1]], "by": "50%", "waste": "waiting"} for i in (3, 13, 23)
    ] + [{"kind": "set_process_time", "step": ids[i], "to": "1 h", "waste": "extra_processing"} for i in (7, 17)]
    return Scenario("Workshop future state", tuple(change_from_entry(e, i) for i, e in enumerate(entries)))


def measure_scenario(steps: int, edits: int) -> dict:
    """Time `edits` scenario edits (a wait's cut typed into the panel) with the future shown, in ms."""
    comm.create_comm = EncodingComm
    stream = workshop_map(steps)
    explorer = MapExplorer(stream, scenario=workshop_scenario(stream))
    explorer.tabs.selected_index = explorer.tabs.titles.index("Future state")
    explorer.view = "future"
    field = explorer.scenario_panel.rows[1].fields["amount"]
    values = ["40%", "60%"]
    for index in range(WARM_UP):
        field.value = values[index % 2]
    timings = []
    for index in range(edits):
        value = values[(WARM_UP + index) % 2]
        timings.append(_timed(lambda value=value: setattr(field, "value", value)))
    last = float(values[(WARM_UP + edits - 1) % 2].rstrip("%")) / 100
    future = explorer.scenario.apply(explorer.stream)
    shows_future = explorer.map_chart.spec == chart_spec(value_stream_map(future))
    if explorer.scenario.changes[1].by != last or not shows_future:
        raise RuntimeError("the explorer did not show the last scenario edit; the timings would mean nothing")
    return _summary(timings)


def _breakdown(explorer: MapExplorer, shown: ValueStream, runs: int) -> dict[str, float]:
    """CPU medians of the parts of an edit, timed alone on the edited map."""
    live = {"map": live_map(), "step": live_step_times()}
    parts = {"map": map_parts(shown), "step": step_time_parts(shown)}
    for kind in live:
        live[kind].spec_of(parts[kind])
    map_chart, step_chart = build_charts(shown)
    return {
        "cards (summary and six cards)": _median_ms(lambda: explorer.cards.show(shown), runs),
        "map chart: rows, title and canvas size computed": _median_ms(lambda: map_parts(shown), runs),
        "map chart: rows and title put into its specification": _median_ms(
            lambda: live["map"].spec_of(parts["map"]), runs
        ),
        "step chart: rows, title and order computed": _median_ms(lambda: step_time_parts(shown), runs),
        "step chart: rows and title put into its specification": _median_ms(
            lambda: live["step"].spec_of(parts["step"]), runs
        ),
        "for information, a new layout: both charts built": _median_ms(lambda: build_charts(shown), runs),
        "for information, a new layout: map chart written out": _median_ms(lambda: chart_spec(map_chart), runs),
        "for information, a new layout: step chart written out": _median_ms(lambda: chart_spec(step_chart), runs),
    }


def machine() -> str:
    """The CPUs, Python and the versions that matter here."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("altair", "ipywidgets", "pandas"))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{len(os.sched_getaffinity(0))} CPUs ({cpu}), Python {platform.python_version()}, {versions}; "
        f"load average before the run: {load}"
    )


def report(result: dict, invocation: str, host: str) -> str:
    """The ``## Editors`` section of docs/benchmarks.md."""
    edit, relaid, scenario = result["edit"], result["relaid"], result["scenario"]
    verdict = "within" if edit["wall"] < BUDGET_MS else "**over**"
    scenario_verdict = "within" if scenario["wall"] < BUDGET_MS else "**over**"
    rows = "\n".join(f"| {what} | {ms:.1f} ms |" for what, ms in result["breakdown"].items())
    return (
        f"{SECTION}\n\n"
        f"Measured {dt.date.today().isoformat()} on {host}.\n"
        f"Produced by `{invocation}`.\n\n"
        "An edit is a new process time typed into the step editor of a `MapExplorer` (Enter pressed), up to the "
        "updated headline cards and both live charts, Python side: the model's new map, both editors, the cards, "
        "both charts' new specifications set, and every widget message serialised to JSON as the kernel would send "
        f"it (about {result['sent_kb']:.0f} kB per edit). Such an edit keeps the layout of the map, so the charts "
        "are redrawn by their data: their rows and titles are computed and put into the specifications drawn "
        "before (`LiveSpec` in `vsm_widgets.charts.spec_cache`), which the harness checks against charts built "
        "and written out anew. An edit that changes the layout (a step duplicated, then the duplicate undone) "
        "draws both charts in full; it is timed for information. CPU time is the process's, which other "
        "processes on a shared machine do not inflate; the budget is checked on the wall clock. A scenario edit "
        "is a new share typed into a cut-wait change of the explorer's scenario panel (five changes, the future "
        "view shown): the change read by the scenario file's reader and checked on the map, the future map made, "
        "the cards with what each was, and both charts.\n\n"
        "| map | edit | timed edits | wall median | CPU median | wall 90th percentile | budget |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| {result['steps']} steps | process time | {edit['edits']} | {edit['wall']:.1f} ms | {edit['cpu']:.1f} ms | "
        f"{edit['wall_p90']:.1f} ms | under {BUDGET_MS:.0f} ms median: {verdict} |\n"
        f"| {result['steps']} steps | scenario change, future shown | {scenario['edits']} | "
        f"{scenario['wall']:.1f} ms | {scenario['cpu']:.1f} ms | {scenario['wall_p90']:.1f} ms | "
        f"under {BUDGET_MS:.0f} ms median: {scenario_verdict} |\n"
        f"| {result['steps']} steps | new layout (for information) | {relaid['edits']} | {relaid['wall']:.1f} ms | "
        f"{relaid['cpu']:.1f} ms | {relaid['wall_p90']:.1f} ms | |\n\n"
        "Where the time goes (CPU medians of the same parts timed alone, on the edited map):\n\n"
        "| part | CPU median |\n|---|---|\n"
        f"{rows}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=40, help="steps on the map (default 40)")
    parser.add_argument("--edits", type=int, default=30, help="timed edits (default 30)")
    parser.add_argument("--write", type=Path, help="update the '## Editors' section of this Markdown file")
    arguments = parser.parse_args(argv)
    host = machine()
    result = measure(arguments.steps, arguments.edits)
    invocation = shlex.join(["python", "benchmarks/bench_widgets.py", *(argv if argv is not None else sys.argv[1:])])
    section = report(result, invocation, host)
    print(section)
    if arguments.write:
        replace_section(arguments.write, SECTION, section)
    return 0 if max(result["edit"]["wall"], result["scenario"]["wall"]) < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
