"""plotly.js for offline pages: the smallest official bundle that draws every figure of a page.

A report's figures are scatter and bar traces, which plotly.js's ``basic`` partial bundle
(about 1.2 MB) draws; the full library plotly ships is about 4.8 MB. The partial bundles in
``plotlyjs/`` are the minified files of the npm packages ``plotly.js-basic-dist-min`` and
``plotly.js-cartesian-dist-min`` (MIT, ``plotlyjs/LICENSE``), at the plotly.js version the
installed plotly package draws with. A page with a trace type no partial bundle has, or a
plotly package of another plotly.js version, gets the full library.

In a notebook, :func:`install_renderer` makes plotly's ``notebook`` renderer put a placeholder
where it would embed the library; :func:`embed_plotlyjs` replaces it, once the whole page is
known, by the bundle :func:`bundle_for` chooses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BUNDLE_DIR = Path(__file__).with_name("plotlyjs")
#: Written by the notebook renderer where plotly.js belongs; replaced at export.
PLACEHOLDER = '<script type="text/x-childplan-plotlyjs"></script>'
PLOTLY_MIME = "application/vnd.plotly.v1+json"
_VERSION = re.compile(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Bundle:
    """One official plotly.js partial bundle and the trace types it draws."""

    name: str
    traces: frozenset[str]

    def path(self, version: str) -> Path:
        return BUNDLE_DIR / f"plotly-{self.name}-{version}.min.js"


#: Smallest first. Trace lists as published with each npm package.
PARTIAL_BUNDLES = (
    Bundle("basic", frozenset({"bar", "pie", "scatter"})),
    Bundle("cartesian", frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                                   "histogram2dcontour", "image", "pie", "scatter", "scatterternary",
                                   "violin"})),
)


@cache
def plotlyjs_version() -> str:
    """Version of the plotly.js the installed plotly package embeds (``4.1.1``)."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def bundle_for(trace_types: Iterable[str]) -> str:
    """Name of the smallest bundle that draws every trace type (``basic``, ``cartesian``), or
    ``full`` when none does or none is shipped for the installed plotly.js version."""
    wanted = set(trace_types)
    for bundle in PARTIAL_BUNDLES:
        if wanted <= bundle.traces and bundle.path(plotlyjs_version()).is_file():
            return bundle.name
    return "full"


@cache
def bundle_source(name: str) -> str:
    """The minified JavaScript of bundle ``name`` (``full``: plotly's own ``plotly.min.js``)."""
    if name == "full":
        from plotly.offline import get_plotlyjs

        return get_plotlyjs()
    bundle = next(b for b in PARTIAL_BUNDLES if b.name == name)
    text = bundle.path(plotlyjs_version()).read_text(encoding="utf-8")
    found = _VERSION.search(text[:300])
    if not found or found.group(1) != plotlyjs_version():
        raise RuntimeError(f"{bundle.path(plotlyjs_version())}: not plotly.js {plotlyjs_version()}")
    return text


def figure_trace_types(figure: dict) -> set[str]:
    """Trace types of a figure dict (``{"data": [...]}``); a trace without a type is a scatter."""
    return {str(tr.get("type") or "scatter") for tr in figure.get("data") or [] if isinstance(tr, dict)}


def notebook_trace_types(nb) -> set[str] | None:
    """Trace types of every plotly figure in a notebook's outputs, or None when a figure's
    HTML comes without its plotly JSON (its trace types are unknown)."""
    types: set[str] = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                fig = data[PLOTLY_MIME]
                types |= figure_trace_types(json.loads(fig) if isinstance(fig, str) else fig)
            elif "Plotly.newPlot" in str(data.get("text/html", "")):
                return None
    return types


def embed_plotlyjs(page: str, trace_types: Iterable[str] | None) -> str:
    """The page with its first placeholder replaced by the chosen bundle (others removed) and
    its repeated chart templates defined once (:func:`share_templates`); ``trace_types`` None
    means unknown, so the full library."""
    if PLACEHOLDER not in page:
        return page
    name = "full" if trace_types is None else bundle_for(trace_types)
    page, templates = share_templates(page)
    script = f'<script data-plotlyjs="{name}">{bundle_source(name)}</script>'
    if templates:
        script += f"<script>{templates}</script>"
    first = page.index(PLACEHOLDER)
    rest = page[first + len(PLACEHOLDER):].replace(PLACEHOLDER, "")
    return page[:first] + script + rest


_FIGURE_SCRIPT = re.compile(r"(<script[^>]*>)(.*?)(</script>)", re.S)
_TEMPLATE_KEY = '"template":'


def share_templates(page: str) -> tuple[str, str]:
    """Each chart template written out by two or more figures, defined once instead.

    Every figure's layout carries its template (a few KB); within the figure scripts of the
    page, each repeated template's JSON is replaced by ``window.childplanTemplates[i]``. Returns
    the page and the script text defining those (empty when nothing repeats)."""
    decoder = json.JSONDecoder()
    found: dict[str, int] = {}
    scripts = [m for m in _FIGURE_SCRIPT.finditer(page) if "Plotly.newPlot" in m.group(2)]
    for m in scripts:
        body, at = m.group(2), 0
        while (at := body.find(_TEMPLATE_KEY, at)) >= 0:
            start = at + len(_TEMPLATE_KEY)
            try:
                _, end = decoder.raw_decode(body, start)
            except ValueError:
                break
            text = body[start:end]
            found[text] = found.get(text, 0) + 1
            at = end
    shared = [text for text, n in found.items() if n > 1 and len(text) > 40]
    names = {text: f"window.childplanTemplates[{i}]" for i, text in enumerate(shared)}

    def replace(m: re.Match) -> str:
        body = m.group(2)
        if "Plotly.newPlot" in body:
            for text, name in names.items():
                body = body.replace(_TEMPLATE_KEY + text, _TEMPLATE_KEY + name)
            body = unescape_cjk(body)
        return m.group(1) + body + m.group(3)

    page = _FIGURE_SCRIPT.sub(replace, page)
    return page, f"window.childplanTemplates=[{','.join(shared)}];" if shared else ""


#: ``\uXXXX`` escapes of CJK and full-width characters (U+3000–U+FFEF), not preceded by an
#: escaping backslash; written as UTF-8 they take 3 bytes instead of 6.
_CJK_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u(3[0-9a-f]{3}|[4-9][0-9a-f]{3}|[a-c][0-9a-f]{3}|d[0-7][0-9a-f]{2}"
                         r"|f[0-9a-e][0-9a-f]{2}|ff[0-9a-e][0-9a-f])", re.I)


def unescape_cjk(script: str) -> str:
    """A figure script with its escaped CJK characters written out (same JavaScript value)."""
    return _CJK_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), script)


def install_renderer() -> None:
    """Make plotly's ``notebook`` renderer write :data:`PLACEHOLDER` instead of the library and
    render figures as plotly JSON plus HTML. A ``notebook`` renderer already replaced (e.g. by a
    batch run that loads plotly.js from a shared file) is left as it is."""
    import plotly.io as pio
    from plotly.io._base_renderers import NotebookRenderer, _mathjax_config, _window_plotly_config

    class DeferredPlotlyRenderer(NotebookRenderer):
        def activate(self) -> None:
            from IPython.display import display_html

            display_html(f"<script>\n{_window_plotly_config}\n{_mathjax_config}\n</script>\n{PLACEHOLDER}",
                         raw=True)

        def to_mimebundle(self, fig_dict: dict) -> dict:
            """The figure's HTML for a static page (no MathJax, no live-notebook clean-up script)."""
            from plotly.io import to_html

            return {"text/html": to_html(fig_dict, config=self.config, include_plotlyjs=False,
                                         include_mathjax=False, full_html=False, default_width="100%",
                                         default_height=525, validate=False)}

    if type(pio.renderers["notebook"]) is NotebookRenderer:
        pio.renderers["notebook"] = DeferredPlotlyRenderer()
    pio.renderers.default = "plotly_mimetype+notebook"
