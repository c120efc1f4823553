"""A test that reads the page: every sample readout states each of its numbers one way (DESIGN 4.5).

Every sample (the exports and the maps) is rendered as `vsm readout` renders it, and each page is
read as a person reads it: its text, the titles of its charts (their alt texts), the text inside
the charts' SVG, and its row of the index. Lead time, waiting share, largest wait, future lead time
and flow efficiency (the activity ratio for a map) must read the same wherever they appear. The
explorer's cards are read the same way against the explorer's charts.
"""

import base64
import html
import re

import pytest

from tests.paths import MAPS, SAMPLES
from vsm_widgets.io.map_file import load_map
from vsm_widgets.readout.batch import render_readouts
from vsm_widgets.widgets import MapExplorer

pytestmark = pytest.mark.slow

DURATION = r"[\d.,]+ (?:seconds?|minutes?|hours?|days?)"


def sample_inputs():
    exports = sorted(SAMPLES.glob("*.csv"))
    maps = sorted(path for path in MAPS.glob("*.yaml") if not path.name.endswith(".scenario.yaml"))
    assert exports and maps
    return [*exports, *maps]


class Page:
    """One readout as a person reads it: its text, its charts' titles and the text drawn inside them."""

    def __init__(self, markup: str) -> None:
        images = re.findall(r'<img alt="Chart: ([^"]*)"[^>]*src="data:image/svg\+xml;base64,([^"]+)"', markup)
        self.titles = [html.unescape(alt) for alt, _ in images]
        self.drawn = [
            [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", base64.b64decode(data).decode())]
            for _, data in images
        ]
        text = re.sub(r"<img[^>]*>", " ", markup)
        text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
        self.text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))

    def section(self, start: str, end: str) -> str:
        return self.text[self.text.index(start) : self.text.index(end, self.text.index(start))]

    def chart(self, starts: str) -> tuple[str, list[str]]:
        found = [(t, drawn) for t, drawn in zip(self.titles, self.drawn, strict=True) if t.startswith(starts)]
        assert len(found) == 1, (starts, self.titles)
        return found[0]

    def one(self, pattern: str, where: str | None = None) -> tuple[str, ...]:
        found = re.findall(pattern, where if where is not None else self.text)
        assert found, pattern
        return found[0]


def index_rows(markup: str) -> dict[str, list[str]]:
    """Each readout's row of the index: its name, then the cells as shown."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", markup, flags=re.S):
        name = re.search(r'<a href="[^"]*">([^<]*)</a>', row)
        if name:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            rows[html.unescape(name.group(1))] = [html.unescape(" ".join(cell.split())) for cell in cells]
    return rows


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("readouts")
    inputs = sample_inputs()
    batch = render_readouts(inputs, out, workers=2)
    assert batch.ok, batch.format()
    # Two inputs may share a stem (the onboarding export and the onboarding map): the batch names them apart.
    pages = {result.name: Page(result.html_path.read_text()) for result in batch.results}
    assert len(pages) == len(inputs)
    exports = {result.name for result in batch.results if result.input.suffix == ".csv"}
    assert len(exports) == len([path for path in inputs if path.suffix == ".csv"])
    return pages, exports, index_rows((out / "index.html").read_text())


def test_every_page_states_its_numbers_one_way(rendered):
    pages, exports, index = rendered
    for name, page in pages.items():
        first = page.section("In one minute", "Findings")
        findings = page.section("Findings", "The current state")
        row = index[name]
        # The map is the chart whose title states the waiting share.
        map_title, map_drawn = next(
            (t, d) for t, d in zip(page.titles, page.drawn, strict=True) if "of lead time is waiting" in t
        )

        # Lead time: the first page, the map's ladder, the index.
        lead = page.one(rf"Lead time: ({DURATION})\.", first)
        assert f"Lead time {lead}" in map_drawn, (name, lead)
        assert lead in row, (name, lead, row)

        # Waiting share: the first page, the findings, the map's title.
        waiting = page.one(r"Waiting: ([\d.]+ %) of lead time", first)
        assert findings.startswith(f"Findings {waiting} of lead time is waiting"), (name, waiting)
        assert map_title.startswith(f"{waiting} of lead time is waiting"), (name, map_title)

        # The largest wait: the first page, the findings, the map's title, the index.
        length, pieces, place = page.one(rf"Largest delay: ({DURATION})( \([\d,]+ pieces\))? (.+?)\.", first)
        assert f"the largest delay is {length}{pieces} {place}" in findings, (name, place)
        assert f"the largest wait is {place} ({length})" in map_title, (name, map_title)
        assert f"{place}: {length}" in row, (name, row)
        if name in exports:
            # Its share of all waiting is stated once, and the partition's table gives the same place
            # the same time and (share of lead time / waiting share) the same share of waiting.
            quoted = set(re.findall(r"[Tt]he mean item's wait(?: there)?; ([\d.]+) % of all waiting", page.text))
            assert len(quoted) == 1, (name, quoted)
            of_lead = page.one(rf"{re.escape(place)} waiting {re.escape(length)} ([\d.]+) %")
            of_waiting = 100 * float(of_lead) / float(waiting.split()[0])
            assert abs(of_waiting - float(quoted.pop())) <= 1.5, (name, of_lead, waiting)

        # Flow efficiency (an export) or activity ratio (a map): the table, the index, the future state.
        if name in exports:
            ratio = page.one(r"Flow efficiency \(portfolio: total active / total lead time\) ([\d.]+ %)")
            label = "flow efficiency"
            compared = r"Flow efficiency \(portfolio\) ([\d.]+ %) ([\d.]+ %)"
        else:
            ratio = page.one(r"Activity ratio \(process time / lead time\) ([\d.]+ %)")
            label = "the activity ratio"
            compared = r"Activity ratio ([\d.]+ %) ([\d.]+ %)"
        assert ratio in row, (name, ratio, row)

        if "Future state: none given" in first:
            continue
        # The future lead time: the first page and the future ladder's title say the same statistic.
        now, then = page.one(rf"Future state: [^.]*?({DURATION}) \u2192 ({DURATION})", first)
        assert now == lead, (name, now, lead)
        ladder_title, ladder_drawn = page.chart("Lead time ")
        assert ladder_title == f"Lead time {now} in the current state, {then} in the future state", name
        current_ratio, future_ratio = page.one(compared)
        assert current_ratio == ratio, name
        assert f"raises {label} from {current_ratio} to {future_ratio}" in first or current_ratio == future_ratio
        # The ladders' waiting shares are 1 - the ratios of the table, as the map's is.
        shares = [re.search(r"\(([\d.]+) %\)", t).group(1) for t in ladder_drawn if t.startswith("waiting ")]
        assert f"{shares[0]} %" == waiting, (name, shares, waiting)
        assert abs(float(shares[1]) - (100 - float(future_ratio.split()[0]))) <= 0.55, (name, shares, future_ratio)


def test_the_explorers_cards_say_what_its_charts_say():
    maps = sorted(path for path in MAPS.glob("*.yaml") if not path.name.endswith(".scenario.yaml"))
    assert maps
    for path in maps:
        explorer = MapExplorer(load_map(path))
        text = explorer.map_chart.spec["title"]["text"]
        # A long finding is wrapped onto lines; read it as the sentence it is.
        title = " ".join(text) if isinstance(text, list) else text
        steps_title = explorer.step_chart.spec["title"]["text"]
        wait = explorer.cards.texts["largest_wait"]
        place = re.sub(r"<[^>]+>", " ", explorer.cards.cards["largest_wait"].value)
        where = re.search(r"the largest wait is (.+) \(" + re.escape(wait) + r"\)", title)
        assert where, (path.name, title, wait)
        assert html.unescape(where.group(1)) in html.unescape(place), (path.name, place)
        assert steps_title.startswith(f"The largest wait is {where.group(1)} ({wait})"), (path.name, steps_title)
        lead = explorer.cards.texts["lead_time"]
        assert f"Lead time {lead}" in str(explorer.map_chart.spec), (path.name, lead)
