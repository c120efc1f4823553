"""An executed notebook becomes one offline HTML page: no external reference, no live script, code hidden."""

from __future__ import annotations

import base64
import logging
import re

import altair as alt
import nbformat
import pandas as pd
import pytest
import vl_convert
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from vsm_widgets.readout.headline_numbers import SUMMARY_MIMETYPE
from vsm_widgets.readout.html_page import TEMPLATES, chart_alt, external_references, live_markup, render_html

STEP = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def chart_svg() -> str:
    frame = pd.DataFrame({"step": [STEP, "Deploy"], "hours": [3.0, 1.5]})
    chart = alt.Chart(frame, title="Hours per step").mark_bar().encode(x="hours:Q", y="step:N")
    return vl_convert.vegalite_to_svg(chart.to_dict())


def _notebook(*outputs, source: str = "secret_source_code = 42", tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Payments team\n\nWhere the time goes."),
            new_code_cell(source, outputs=list(outputs), execution_count=1, metadata={"tags": list(tags)}),
        ]
    )
    nb.metadata["papermill"] = {"parameters": {"input_path": "/data/payments.csv", "name": "payments"}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    return nb


def _embedded_svgs(page: str) -> list[str]:
    return [base64.b64decode(b).decode() for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]


@pytest.fixture(scope="module")
def page(chart_svg: str) -> str:
    frame = pd.DataFrame({"step": [STEP], "hours": [3.0]})
    nb = _notebook(
        new_output("stream", name="stdout", text=f"largest wait before {STEP}\n"),
        new_output("display_data", data={"text/html": frame.to_html(), "text/plain": str(frame)}),
        new_output("execute_result", data={"image/svg+xml": chart_svg, "text/plain": "Chart"}, execution_count=1),
    )
    return render_html(nb, name="payments", notebook="readout.ipynb", conventions={"calendar": "calendar time"})


def test_user_text_shows_as_text_in_printed_output_tables_and_charts(page):
    assert page.count(ESCAPED) >= 2  # the printed line and the table cell
    (svg,) = _embedded_svgs(page)
    assert ESCAPED in svg and STEP not in svg
    assert "<script" not in page.lower()
    assert live_markup(page) == []


def test_page_refers_to_nothing_outside_itself(page):
    assert external_references(page) == []
    assert "<link" not in page
    assert "cdn" not in page.lower()


def test_code_is_hidden_and_text_is_shown(page):
    assert "secret_source_code" not in page
    assert "Where the time goes." in page


def test_charts_are_images_with_their_title_as_alternative_text(page):
    assert 'alt="Chart: Hours per step"' in page


def test_footer_states_parameters_versions_and_conventions(page):
    footer = page[page.index('<footer class="vsm-footer">') :]
    for text in ("input_path", "/data/payments.csv", "calendar time", "readout.ipynb", "3.11.7"):
        assert text in footer
    for package in ("vsm-widgets", "pandas", "altair", "papermill", "python"):
        assert f'<th scope="row">{package}</th>' in footer


def test_footer_escapes_what_it_states():
    nb = _notebook()
    nb.metadata["papermill"]["parameters"]["name"] = STEP
    page = render_html(nb, name=STEP, conventions={"note": "<b>bold</b>"})
    assert live_markup(page) == []
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert f"<title>{ESCAPED}</title>" in page


def test_summary_payload_is_not_shown_and_not_warned_about(caplog):
    nb = _notebook(new_output("display_data", data={SUMMARY_MIMETYPE: {"name": "unique-headline-marker"}}))
    with caplog.at_level(logging.WARNING):
        page = render_html(nb, name="x")
    assert "unique-headline-marker" not in page
    assert not [r for r in caplog.records if "not able to be represented" in r.getMessage()]


def test_script_and_widget_outputs_fall_back_to_their_text():
    nb = _notebook(
        new_output("display_data", data={"application/javascript": "alert(2)", "text/plain": "<Javascript object>"}),
        new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
                "text/plain": "IntSlider(value=3)",
            },
        ),
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    page = render_html(nb, name="x")
    assert "alert(2)" not in page
    assert "&lt;Javascript object&gt;" in page and "IntSlider(value=3)" in page
    assert "<script" not in page.lower()


def test_cells_tagged_for_removal_are_left_out():
    nb = _notebook(new_output("stream", name="stdout", text="hidden output\n"), tags=("remove_output",))
    nb.cells.append(new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text="gone\n")]))
    nb.cells[-1].metadata["tags"] = ["injected-parameters"]
    page = render_html(nb, name="x")
    assert "hidden output" not in page and "gone" not in page


def test_template_ships_in_the_package():
    for name in ("conf.json", "index.html.j2", "static/readout.css"):
        assert (TEMPLATES / "readout" / name).is_file()


def test_the_stock_lab_template_would_fail_the_check():
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(_notebook())
    assert any("require" in reference for reference in external_references(body))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="https://cdn.example/require.js"></script>', ["https://cdn.example/require.js"]),
        ('<link rel="stylesheet" href="http://fonts.example/css">', ["http://fonts.example/css"]),
        ('<img src="//images.example/logo.png">', ["//images.example/logo.png"]),
        ('<img srcset="data:image/png;base64,AA 1x, https://x.example/a.png 2x">', ["https://x.example/a.png"]),
        ("<style>@import url('https://fonts.example/a.css');</style>", ["https://fonts.example/a.css"]),
        ('<style>@import "//fonts.example/b.css";</style>', ["//fonts.example/b.css"]),
        ("<style>body { background: url(https://x.example/bg.png) }</style>", ["https://x.example/bg.png"]),
        ('<div style="background-image: url(&quot;//x.example/c.png&quot;)"></div>', ["//x.example/c.png"]),
        ('<svg><image xlink:href="https://x.example/d.png"/></svg>', ["https://x.example/d.png"]),
        ('<a href="https://docs.example/readouts">docs</a>', ["https://docs.example/readouts"]),
    ],
)
def test_external_references_are_found(html, expected):
    assert external_references(html) == expected


def test_external_references_inside_an_embedded_svg_are_found():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://fonts.example/f.css);</style></svg>'
    page = f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    assert external_references(page) == ["https://fonts.example/f.css"]


@pytest.mark.parametrize(
    "html",
    [
        '<img src="data:image/png;base64,AAAA">',
        '<a href="#lead-time">lead time</a>',
        '<a href="mailto:coach@example.org">coach</a>',
        '<a href="payments_team.html">a readout beside this one</a>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"></svg>',
        "<p>See https://example.org for details, written as text.</p>",
        "<pre>src=&quot;https://example.org/x.js&quot;</pre>",
    ],
)
def test_what_a_page_may_contain(html):
    assert external_references(html) == []
    assert live_markup(html) == []


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ("<script>alert(1)</script>", "<script> element"),
        ('<img src="data:," onerror="alert(1)">', "onerror attribute on <img>"),
        ('<a href="javascript:alert(1)">x</a>', "javascript: URL in href of <a>"),
        ('<a href=" java&#9;script:alert(1)">x</a>', "javascript: URL in href of <a>"),
        ('<iframe src="data:text/html,hi"></iframe>', "<iframe> element"),
        ('<svg onload="alert(1)"></svg>', "onload attribute on <svg>"),
    ],
)
def test_live_markup_is_found(html, finding):
    assert live_markup(html) == [finding]


def test_chart_alt_without_a_title():
    assert chart_alt('<svg xmlns="http://www.w3.org/2000/svg"></svg>') == "Chart"


def test_a_title_wrapped_onto_lines_reads_as_one_sentence():
    # vl-convert draws each line of a wrapped title as a tspan of one text element.
    svg = (
        '<svg><g class="mark-text role-title-text"><text><tspan>93 % of lead time is waiting;</tspan>'
        '<tspan x="0" dy="15">the largest wait is between A &amp; B (10 days)</tspan></text></g></svg>'
    )
    assert chart_alt(svg) == "Chart: 93 % of lead time is waiting; the largest wait is between A & B (10 days)"


def test_a_page_with_its_own_conventions_section_does_not_restate_them_in_other_words():
    # The section words "whole days" one way, the recorded conventions another: one list per page.
    section = new_output("display_data", data={"text/markdown": "## Conventions", "text/plain": "<Markdown>"})
    recorded = {"whole days": "not counted: exact elapsed time only"}
    with_section = render_html(_notebook(section), name="payments", conventions=recorded)
    without = render_html(_notebook(), name="payments", conventions=recorded)
    footer = with_section[with_section.index('<footer class="vsm-footer">') :]
    assert "Stated in the Conventions section above." in footer
    assert "exact elapsed time only" not in footer
    assert "exact elapsed time only" in without[without.index('<footer class="vsm-footer">') :]
