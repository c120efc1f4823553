"""A readout opened in headless chromium with the network blocked: every chart renders, nothing errs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.paths import FIXTURE_NOTEBOOKS, SAMPLES
from vsm_widgets.readout.batch import render_readouts
from vsm_widgets.readout.batch_index import IndexRow, write_index
from vsm_widgets.readout.execute import ReadoutJob, render_readout, write_readout
from vsm_widgets.readout.notebook_paths import notebooks_dir

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FIXTURES = FIXTURE_NOTEBOOKS
SAMPLE = SAMPLES / "payments_team.csv"
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Visit:
    """What the browser did while showing one page."""

    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def readouts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("readouts")
    export = folder / "alpha.csv"
    export.write_text("item,step,start,end\nA,Build,2026-01-01,2026-01-02\n")
    rows = []
    for name, notebook in (("alpha", "ok.ipynb"), ("injection", "script_injection.ipynb")):
        job = ReadoutJob(
            name=name,
            source=str(export),
            notebook=(FIXTURES / notebook).read_text(encoding="utf-8"),
            notebook_name=notebook,
            parameters={"input_path": str(export), "name": name},
        )
        rendered = render_readout(job)
        html_path, _ = write_readout(rendered, folder)
        rows.append(IndexRow(name, str(export), html_path.name, rendered.summary, None))
    write_index(rows, folder, notebook="fixtures")
    return folder


@pytest.fixture
def visit(browser) -> Iterator:
    context = browser.new_context()
    visits = []

    def open_offline(path: Path) -> Visit:
        page = context.new_page()
        seen = Visit(page)

        def only_files(route) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                seen.blocked.append(url)
                route.abort()

        def on_dialog(dialog) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        page.route("**/*", only_files)
        page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        page.on("dialog", on_dialog)
        page.goto(path.as_uri(), wait_until="load")
        visits.append(seen)
        return seen

    yield open_offline
    context.close()


def _assert_every_chart_renders(page) -> int:
    images = page.eval_on_selector_all(
        "img", "images => images.map(i => [i.getAttribute('alt'), i.complete, i.naturalWidth, i.naturalHeight])"
    )
    assert images, "the readout shows no chart"
    for alt, complete, width, height in images:
        assert complete and width > 0 and height > 0, f"chart {alt!r} did not render"
    inline = page.eval_on_selector_all("main svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)")
    assert all(width > 0 for width in inline)
    return len(images)


def test_readout_renders_every_chart_offline_without_errors(readouts, visit):
    seen = visit(readouts / "alpha.html")
    assert _assert_every_chart_renders(seen.page) == 1
    assert seen.page.evaluate("document.scripts.length") == 0
    assert seen.blocked == []
    assert seen.errors == []
    assert "alpha: 1 rows, first step Build" in seen.page.inner_text("main")


def test_a_step_named_like_a_script_is_shown_as_text(readouts, visit):
    seen = visit(readouts / "injection.html")
    _assert_every_chart_renders(seen.page)
    assert seen.dialogs == []
    assert seen.page.evaluate("document.scripts.length") == 0
    assert SCRIPT in seen.page.inner_text("main")
    assert seen.errors == [] and seen.blocked == []


def test_index_links_readouts_that_exist_and_loads_offline(readouts, visit):
    seen = visit(readouts / "index.html")
    hrefs = seen.page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == ["alpha.html", "injection.html"]
    assert all((readouts / href).is_file() for href in hrefs)
    assert SCRIPT in seen.page.inner_text("main")
    assert seen.errors == [] and seen.blocked == [] and seen.dialogs == []


def test_the_workshop_readout_of_a_sample_renders_offline(tmp_path, visit):
    if not (notebooks_dir() / "readout.ipynb").is_file():
        pytest.skip("notebooks/readout.ipynb is not written yet")
    batch = render_readouts([SAMPLE], tmp_path, notebook="readout", workers=1)
    assert batch.ok, batch.format()
    seen = visit(batch.results[0].html_path)
    _assert_every_chart_renders(seen.page)
    assert seen.errors == [] and seen.blocked == []
