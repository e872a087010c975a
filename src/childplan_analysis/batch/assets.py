"""Assets shared by every report of a batch folder, written once in ``OUT/assets/``.

A region's page references ``../../assets/plotly-basic-<plotly.js version>.min.js`` — the
smallest official plotly.js bundle that draws its figures (:mod:`~childplan_analysis.report.bundles`;
``plotly-<plotly version>.min.js``, the full 4.8 MB library, when a page needs it) — and
``../../assets/report-<hash>.css`` (the notebook template's stylesheets), so a region's HTML is
its own content only. File names carry the version or a hash of the content, so reports of
different package versions never share a wrong asset, and each bundle is written once per folder.

The plotly part is a notebook renderer (plotly's own ``NotebookRenderer`` with the library
loaded from a path) installed in the batch kernel before the notebook runs; it references
:data:`PLOTLY_PENDING`, which the worker replaces by the chosen bundle once the page's figures
are known. The stylesheets are moved out of the exported page's ``<head>``.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from childplan_analysis.io.fileio import atomic_write_bytes

#: Where the shared assets are, seen from a region folder (``OUT/<plan id>/<region>/``).
ASSETS_DIR = "assets"
FROM_REGION = f"../../{ASSETS_DIR}/"
#: The plotly.js file the kernel's renderer references until the page's bundle is chosen.
PLOTLY_PENDING = "plotly-pending.min.js"
_HEAD_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S | re.I)


def plotly_asset_name(bundle: str = "full") -> str:
    """File name of a plotly.js bundle in ``assets/``: ``plotly-<plotly version>.min.js`` for the
    full library, ``plotly-<bundle>-<plotly.js version>.min.js`` for a partial bundle."""
    if bundle == "full":
        import plotly

        return f"plotly-{plotly.__version__}.min.js"
    from childplan_analysis.report.bundles import plotlyjs_version

    return f"plotly-{bundle}-{plotlyjs_version()}.min.js"


@cache
def plotly_bundle_asset(trace_types: frozenset[str] | None) -> tuple[str, bytes]:
    """File name and bytes of the smallest plotly.js bundle that draws ``trace_types`` (None:
    unknown trace types, so the full library)."""
    from childplan_analysis.report.bundles import bundle_for, bundle_source

    bundle = "full" if trace_types is None else bundle_for(trace_types)
    return plotly_asset_name(bundle), bundle_source(bundle).encode("utf-8")


_SETUP = """
def _childplan_shared_plotly(src):
    import plotly.io as pio
    from IPython.display import display_html
    from plotly.io._base_renderers import NotebookRenderer, _mathjax_config, _window_plotly_config

    class SharedPlotlyRenderer(NotebookRenderer):
        def activate(self):
            display_html("<script>\\n" + _window_plotly_config + "\\n" + _mathjax_config + "\\n</script>\\n"
                         + '<script src="' + src + '"></script>', raw=True)

    pio.renderers["notebook"] = SharedPlotlyRenderer()

_childplan_shared_plotly(%r)
del _childplan_shared_plotly
"""


def kernel_setup_code(src: str) -> str:
    """Code run in the batch kernel before a region's notebook: plotly's ``notebook`` renderer
    then loads plotly.js from ``src`` (once per page) instead of embedding it; figures render
    exactly as before. Self-contained, so it needs nothing but plotly in the kernel."""
    return _SETUP % src


def share_styles(page: str, prefix: str = FROM_REGION) -> tuple[str, dict[str, bytes]]:
    """Move the stylesheets of the page's ``<head>`` into one shared CSS file; the page links it.

    Styles in the body (each table's own colours) stay in the page. Returns the page and
    ``{file name: CSS}``.
    """
    end = page.find("</head>")
    if end < 0:
        return page, {}
    head = page[:end]
    css = "\n".join(re.sub(r"^<style[^>]*>|</style>\s*$", "", m.group(0).strip(), flags=re.I)
                    for m in _HEAD_STYLE.finditer(head))
    if not css:
        return page, {}
    data = css.encode("utf-8")
    name = f"report-{hashlib.sha256(data).hexdigest()[:12]}.css"
    first = _HEAD_STYLE.search(head).start()
    head = head[:first] + f'<link rel="stylesheet" href="{prefix}{name}">\n' + _HEAD_STYLE.sub("", head[first:])
    return head + page[end:], {name: data}


def write_assets(out: Path, assets: dict[str, bytes]) -> None:
    """Write each asset into ``out/assets/`` unless it is already there (names carry a version
    or a hash, so an existing file of the same name and size is the same file)."""
    folder = out / ASSETS_DIR
    for name, data in assets.items():
        f = folder / name
        if not (f.is_file() and f.stat().st_size == len(data)):
            atomic_write_bytes(f, data)


def missing_assets(out: Path, names: dict[str, int]) -> bool:
    """Whether any of the shared assets a region's page references is missing or changed."""
    return any(not (out / ASSETS_DIR / n).is_file() or (out / ASSETS_DIR / n).stat().st_size != size
               for n, size in names.items())
