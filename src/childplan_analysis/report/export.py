"""HTML and PDF: an executed notebook as a self-contained page, printed by headless Chromium."""


import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from childplan_analysis.io.fileio import atomic_write_bytes
from childplan_analysis.report.bundles import embed_plotlyjs, notebook_trace_types
from childplan_analysis.report.css import prune_page_styles

_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)
#: A page of a batch folder loads plotly.js from a shared file (and keeps its styles whole).
_SHARED_PLOTLY = re.compile(r"<script src=\"[^\"]*plotly[^\"]*\.js\"", re.I)
_EXTERNAL_LINK = re.compile(r"<link[^>]*\shref=\"https?://[^\"]*\"[^>]*>", re.I)
REPORT_CSS = """
<style>
html{-webkit-text-size-adjust:100%;}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;}
.jp-Notebook{max-width:1100px;margin:0 auto;padding:0 .5em;}
.jp-RenderedHTMLCommon table{display:block;max-width:100%;overflow-x:auto;font-size:13px;}
.jp-RenderedHTMLCommon table td,.jp-RenderedHTMLCommon table th{white-space:normal;min-width:3em;text-align:left !important;}
.plotly-graph-div{max-width:100%;}
table.sortable th{cursor:pointer;}
table.sortable th[aria-sort=ascending]::after{content:" ▲";}
table.sortable th[aria-sort=descending]::after{content:" ▼";}
@media (max-width:600px){.jp-Notebook{padding:0;} .jp-RenderedHTMLCommon h1{font-size:1.5em;} .jp-RenderedHTMLCommon h2{font-size:1.25em;} .jp-RenderedHTMLCommon h3{font-size:1.1em;}}
@page{size:A4;margin:14mm 12mm 16mm 12mm;}
@media print{html{font-size:10pt;} .jp-Notebook{max-width:none;padding:0;}
 .plotly-graph-div,tr,h2,h3,li{break-inside:avoid;} h2,h3{break-after:avoid;}
 .page-break{break-before:page;} .jp-Cell,.jp-OutputArea-output{overflow:visible !important;}
 .jp-RenderedHTMLCommon table{display:table;table-layout:auto;width:100%;overflow:visible;font-size:8pt;}
 .jp-RenderedHTMLCommon thead{display:table-header-group;}
 .jp-RenderedHTMLCommon table td,.jp-RenderedHTMLCommon table th{padding:2px 4px;}
 table.sortable th::after{content:none !important;} .modebar-container{display:none !important;}
 body{-webkit-print-color-adjust:exact;print-color-adjust:exact;}}
</style>
"""
#: Click a column heading of a ``sortable`` table to sort by it (numbers numerically).
SORT_SCRIPT = """
<script>
document.querySelectorAll("table.sortable").forEach(function(table){
  var head=table.tHead; if(!head) return;
  var cells=head.rows[head.rows.length-1].cells;
  Array.prototype.forEach.call(cells,function(th,i){
    th.addEventListener("click",function(){
      var asc=th.getAttribute("aria-sort")!=="ascending";
      Array.prototype.forEach.call(cells,function(c){c.removeAttribute("aria-sort");});
      th.setAttribute("aria-sort",asc?"ascending":"descending");
      var body=table.tBodies[0], rows=Array.prototype.slice.call(body.rows);
      function key(r){var c=r.cells[i]; var s=c?c.textContent.trim():""; var n=parseFloat(s.replace(/[%,]/g,""));
        return isNaN(n)?s:n;}
      rows.sort(function(a,b){var x=key(a),y=key(b);
        var d=(typeof x==="number"&&typeof y==="number")?x-y:String(x).localeCompare(String(y),"zh");
        return asc?d:-d;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
});
</script>
"""


def notebook_to_html(nb_path: str | Path, title: str | None = None, lang: str = "zh") -> str:
    """Self-contained HTML of an executed notebook: no code cells or prompts, no network fetch,
    readable on a phone, printable, and with sortable tables."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    if title:
        nb.metadata["title"] = title
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"}), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    if not _SHARED_PLOTLY.search(body):  # a single-file page: only the styles it uses
        body = prune_page_styles(body)
    body = embed_plotlyjs(body, notebook_trace_types(nb))
    # Offline: plotly.js is embedded above; drop CDN scripts and stylesheets
    # (require.js, MathJax, web fonts) that the template would fetch and the report does not need.
    body = _EXTERNAL_SCRIPT.sub("", body)
    body = _EXTERNAL_LINK.sub("", body)
    body = re.sub(r"<html([^>]*)>", f'<html lang="{"en" if lang == "en" else "zh-CN"}">', body, count=1)
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    body = body.replace("<head>", "<head>\n" + viewport, 1)
    body = body.replace("</head>", REPORT_CSS + "</head>", 1)
    return body.replace("</body>", SORT_SCRIPT + "</body>", 1)


def chromium_path() -> str | None:
    """The headless Chromium used for PDF output: ``$CHILDPLAN_CHROMIUM`` or the first on PATH."""

    env = os.environ.get("CHILDPLAN_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


#: CSS pixels across an A4 page inside the @page margins of REPORT_CSS (210 − 24 mm).
PRINT_WIDTH_PX = round((210 - 24) / 25.4 * 96)
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, *, chromium: str | None = None,
                timeout: float = 120) -> Path:
    """Print a report's HTML to PDF with headless Chromium (A4, backgrounds kept), atomically."""
    exe = chromium or chromium_path()
    if not exe:
        raise RuntimeError("PDF output needs Chromium: install it (Debian: apt-get install chromium "
                           "fonts-noto-cjk) or set CHILDPLAN_CHROMIUM to its path")
    html_path = Path(html_path).resolve()
    with tempfile.TemporaryDirectory(prefix="childplan-pdf-") as tmp:
        out = Path(tmp) / "out.pdf"
        # laid out at the printed width (A4 less the @page margins), so charts are drawn to fit
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               f"--window-size={PRINT_WIDTH_PX},1100",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=20000",
               f"--print-to-pdf={out}", html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if not out.is_file() or out.stat().st_size == 0:
            raise RuntimeError(f"{html_path}: Chromium did not write a PDF (exit {proc.returncode}): "
                               f"{proc.stderr.strip()[-500:]}")
        return atomic_write_bytes(pdf_path, out.read_bytes())
