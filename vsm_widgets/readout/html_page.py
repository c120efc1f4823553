"""An executed readout notebook as one self-contained, offline HTML file.

The nbconvert template ``vsm_widgets/readout/templates/readout`` extends JupyterLab's
``lab`` template with everything that would reach the network taken out: no
require.js, MathJax, Mermaid or widget scripts, no fonts, and a small inline
stylesheet instead of JupyterLab's. Code cells are hidden; a footer states the
parameters, the package versions and the conventions the numbers were computed
with (DOMAIN section 4: every readout states its conventions).

Two checkers guard every readout before it is written: `external_references`
(anything the page would fetch from a network) and `live_markup` (script or
event-handler markup, which can only come from an output that put user data
into HTML unescaped). Readouts are static, so neither may ever be non-empty.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import html as html_lib
import platform
import re
import urllib.parse
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

from vsm_widgets.readout.headline_numbers import SUMMARY_MIMETYPE

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "readout"
# The heading of a readout's own Conventions section; a page that shows it needs no second list in its footer.
CONVENTIONS_SECTION = "Conventions"

# What a readout may show, best first. No JavaScript, widget views, LaTeX (needs MathJax) or
# Mermaid (needs mermaid.js): an output offering only those falls back to its text/plain form.
DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]

# Cells dropped from the readout: the parameters cells (the footer lists the parameters) and
# cells the author tagged with the usual nbconvert tags.
REMOVED_CELL_TAGS = {"parameters", "injected-parameters", "remove_cell", "remove-cell"}
REMOVED_OUTPUT_TAGS = {"remove_output", "remove-output"}

VERSIONED_PACKAGES = ("vsm-widgets", "pandas", "altair", "papermill")

LOCAL_SCHEMES = {"data", "mailto", "about"}
URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "formaction", "background"}
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "applet"}
_CSS_REFERENCE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*([^'")\s]+)""", re.IGNORECASE)
_SVG_TITLE = re.compile(r"role-title-text.*?<text[^>]*>(.*?)</text>", re.DOTALL)


def render_html(nb: nbformat.NotebookNode, *, name: str, notebook: str = "", conventions: dict | None = None) -> str:
    """Turn an executed readout notebook into one self-contained HTML page.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook. Its papermill metadata supplies the parameters of the footer.
    name : str
        The readout's name: the page title.
    notebook : str, optional
        Name of the notebook that produced it, printed in the footer.
    conventions : dict, optional
        The conventions the numbers were computed with (from the readout's summary), printed in
        the footer.

    Returns
    -------
    str
        The HTML document. Code cells are hidden and nothing in it refers to a file or server
        outside it.
    """
    exporter = HTMLExporter(
        config=_exporter_config(),
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE_NAME,
        filters={"chart_alt": chart_alt},
    )
    resources = {
        "metadata": {"name": name},
        "vsm_footer": footer_fields(nb, notebook=notebook, conventions=conventions),
    }
    body, _ = exporter.from_notebook_node(_presentable(nb), resources=resources)
    return body


def footer_fields(nb: nbformat.NotebookNode, *, notebook: str = "", conventions: dict | None = None) -> dict:
    """The facts the footer of a readout states, as rows of (label, value) strings.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook.
    notebook : str, optional
        Name of the notebook that produced the readout.
    conventions : dict, optional
        The conventions of the readout's numbers.

    Returns
    -------
    dict
        ``parameters``, ``versions`` and ``conventions`` (lists of pairs), ``notebook``,
        ``generated`` (date and time in UTC) and ``conventions_on_page``: whether the notebook
        showed a Conventions section, which the footer then points to rather than restating the
        same conventions in other words.
    """
    parameters = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    kernel_python = nb.metadata.get("language_info", {}).get("version") or platform.python_version()
    versions = [(package, _version(package)) for package in VERSIONED_PACKAGES]
    versions.append(("python", kernel_python))
    return {
        "parameters": [(str(key), _plain(value)) for key, value in parameters.items()],
        "versions": versions,
        "conventions": [(str(key), _plain(value)) for key, value in (conventions or {}).items()],
        "notebook": notebook,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "conventions_on_page": _shows_conventions(nb),
    }


def _shows_conventions(nb: nbformat.NotebookNode) -> bool:
    """Whether a cell displayed the Conventions heading (`vsm_widgets.readout.sections.heading`)."""
    return any(
        output.get("data", {}).get("text/markdown", "").strip() == f"## {CONVENTIONS_SECTION}"
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


def chart_alt(svg: str) -> str:
    """Alternative text for an SVG chart: its title when vega drew one.

    Parameters
    ----------
    svg : str
        An SVG document as vl-convert writes it.

    Returns
    -------
    str
        ``"Chart: <title>"`` or ``"Chart"``, unescaped (the template escapes it).
    """
    match = _SVG_TITLE.search(svg)
    if not match:
        return "Chart"
    # A title wrapped onto lines is one tspan per line: its words run on with a space between.
    title = re.sub(r"<[^>]+>", "", re.sub(r"</tspan>\s*<tspan[^>]*>", " ", match.group(1)))
    return f"Chart: {html_lib.unescape(title)}"


def external_references(html: str) -> list[str]:
    """Every reference in a page to something on a network: what an offline room cannot load.

    Reported are ``http(s)://`` and protocol-relative ``//`` addresses (and any other URL
    scheme but ``data:``, ``mailto:`` and ``about:``) in ``src``, ``href`` (also
    ``xlink:href``), ``srcset`` and similar attributes, and in CSS ``url()`` and ``@import``
    (in ``<style>`` blocks and ``style`` attributes). SVG images embedded as ``data:`` URIs
    are decoded and searched too. Fragments (``#id``) and relative links to files beside the
    page (the index's links to its readouts) are not reported.

    Parameters
    ----------
    html : str
        An HTML (or SVG) document.

    Returns
    -------
    list of str
        The offending references in document order, empty when the page stands alone.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example/require.js"></script><a href="#top">top</a>')
    ['https://cdn.example/require.js']
    >>> external_references("<style>@import url(//fonts.example/css);</style>")
    ['//fonts.example/css']
    """
    scanner = _ReferenceScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.external


def live_markup(html: str) -> list[str]:
    """Markup that would run code or load content: what user data must never become.

    Reports script, iframe, object and embed elements, ``on...`` event-handler
    attributes and ``javascript:`` URLs. Inert elements that merely look alike are fine:
    ``&lt;script&gt;`` shown as text is not markup.

    Parameters
    ----------
    html : str
        An HTML document.

    Returns
    -------
    list of str
        A short description of each finding, empty when the page is static.

    Examples
    --------
    >>> live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    []
    >>> live_markup('<img src="data:," onerror="alert(1)"><script>alert(1)</script>')
    ['onerror attribute on <img>', '<script> element']
    """
    scanner = _ReferenceScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.live


def _exporter_config() -> Config:
    return Config(
        {
            "NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY},
            "TemplateExporter": {
                "exclude_input": True,
                "exclude_input_prompt": True,
                "exclude_output_prompt": True,
            },
            "HTMLExporter": {"exclude_anchor_links": True, "embed_images": True},
            # Highlighting styles serve code cells only, and a readout shows none.
            "CSSHTMLHeaderPreprocessor": {"enabled": False},
            "TagRemovePreprocessor": {
                "enabled": True,
                "remove_cell_tags": REMOVED_CELL_TAGS,
                "remove_all_outputs_tags": REMOVED_OUTPUT_TAGS,
            },
        }
    )


def _presentable(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without what the page must not show: the summary payload and widget state."""
    shown = copy.deepcopy(nb)
    shown.metadata.pop("widgets", None)
    for cell in shown.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not _only_summary(o)]
    return shown


def _only_summary(output: nbformat.NotebookNode) -> bool:
    # nbconvert would warn that it cannot show such an output, once per readout.
    return "data" in output and set(output["data"]) <= {SUMMARY_MIMETYPE}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _plain(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return "none" if value is None else str(value)


def _is_external(reference: str) -> bool:
    reference = reference.strip()
    if reference.startswith("//"):
        return True
    scheme = urllib.parse.urlsplit(reference).scheme.lower()
    return bool(scheme) and scheme not in LOCAL_SCHEMES


class _ReferenceScanner(HTMLParser):
    """Collects external references and live markup while parsing a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.external: list[str] = []
        self.live: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_ELEMENTS:
            self.live.append(f"<{tag}> element")
        self._in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.live.append(f"{name} attribute on <{tag}>")
            if name == "style":
                self._css(value)
            if name not in URL_ATTRIBUTES:
                continue
            # srcset lists "URL width" candidates separated by commas and spaces; data: URIs hold bare commas.
            references = [c.split()[0] for c in re.split(r",\s+", value) if c.strip()] if name == "srcset" else [value]
            for reference in references:
                # Browsers ignore spaces and control characters inside a URL's scheme.
                if re.sub(r"[\x00-\x20]", "", reference).lower().startswith("javascript:"):
                    self.live.append(f"javascript: URL in {name} of <{tag}>")
                elif _is_external(reference):
                    self.external.append(reference.strip())
                else:
                    self._embedded_svg(reference)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        self.external.extend(ref for ref in _CSS_REFERENCE.findall(css) if _is_external(ref))

    def _embedded_svg(self, reference: str) -> None:
        """Search an SVG carried in a data: URI, where a chart could hide a link to a font or image."""
        head, _, payload = reference.strip().partition(",")
        if not head.lower().startswith("data:image/svg+xml"):
            return
        try:
            svg = (
                base64.b64decode(payload).decode("utf-8") if head.endswith(";base64") else urllib.parse.unquote(payload)
            )
        except (binascii.Error, UnicodeDecodeError):
            return
        self.external.extend(external_references(svg))
