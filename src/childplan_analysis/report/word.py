"""Word output: the summary, warnings, status table and chart images as a .docx file."""


import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.io.fileio import atomic_write
from childplan_analysis.report.export import CHROMIUM_FLAGS, chromium_path
from childplan_analysis.report.labels import (
    t,
)
from childplan_analysis.report.tables import overview, scorecard, warnings_by_responsible


def chart_images(figures: list, *, chromium: str | None = None, width: int = 900, height: int = 480,
                 timeout: float = 60) -> list[bytes]:
    """PNG images of plotly figures, drawn offline by headless Chromium (plotly.js written once
    beside the pages)."""
    exe = chromium or chromium_path()
    if not exe:
        raise RuntimeError("chart images need Chromium: install it (Debian: apt-get install chromium "
                           "fonts-noto-cjk) or set CHILDPLAN_CHROMIUM to its path")
    images = []
    with tempfile.TemporaryDirectory(prefix="childplan-png-") as tmp:
        for i, fig in enumerate(figures):
            page, png = Path(tmp) / f"chart{i}.html", Path(tmp) / f"chart{i}.png"
            h = int(fig.layout.height or height)  # the figure's own height, so no blank band below
            fig.write_html(page, include_plotlyjs="directory", full_html=True,
                           default_width=width, default_height=h, config={"staticPlot": True})
            cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", "--hide-scrollbars",
                   f"--window-size={width + 16},{h + 16}", "--virtual-time-budget=10000",
                   f"--screenshot={png}", page.as_uri()]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
            if not png.is_file():
                raise RuntimeError(f"Chromium did not draw chart {i + 1} (exit {proc.returncode}): "
                                   f"{proc.stderr.strip()[-300:]}")
            images.append(png.read_bytes())
    return images


def export_docx(results: pd.DataFrame, plan: Plan, path: str | Path, lang: str = "zh", *,
                figures: list | None = None, indicators: IndicatorDictionary | None = None,
                chromium: str | None = None) -> Path:
    """A Word report (python-docx): title, the summary paragraph (:func:`overview`), the warning
    table grouped by 责任单位, a status table and one image per chart (``figures``; default the
    status and scorecard charts), written atomically."""
    import io

    from docx import Document
    from docx.shared import Cm

    from childplan_analysis.report.figures import scorecard_chart, status_bar

    indicators = indicators or load_indicators()
    figures = figures if figures is not None else [status_bar(results, lang), scorecard_chart(results, lang)]
    images = chart_images(figures, chromium=chromium)
    doc = Document()
    doc.add_heading(f"{plan.title} · {t('annual', lang)}", level=0)
    regions = "、".join(dict.fromkeys(results["region"].astype(str)))
    latest = results["last_year"].max()
    doc.add_paragraph(f"{t('region', lang)}：{regions}" + (
        f" · {'数据截至' if lang != 'en' else 'data up to'} {int(latest)}" if pd.notna(latest) else ""))
    doc.add_heading(t("summary_title", lang), level=1)
    doc.add_paragraph(("" if lang != "en" else " ").join(overview(results, plan, lang, indicators)))
    doc.add_heading(t("warnings_title", lang), level=1)
    _docx_table(doc, warnings_by_responsible(results, plan, lang, indicators))
    doc.add_heading(t("scorecard_title", lang), level=1)
    card = scorecard(results, plan, lang, indicators)
    keep = [t(c, lang) for c in ("domain", "indicator", "target", "last_value", "p_meet", "status", "warning_level")]
    _docx_table(doc, card[keep])
    doc.add_heading(t("charts_title", lang), level=1)
    for png in images:
        doc.add_picture(io.BytesIO(png), width=Cm(16))

    def build(tmp: str) -> None:
        doc.save(tmp)

    return atomic_write(path, build)


def _docx_table(doc, frame: pd.DataFrame) -> None:
    if frame.empty:
        doc.add_paragraph("—")
        return
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
    for values in frame.itertuples(index=False):
        for cell, v in zip(table.add_row().cells, values, strict=True):
            cell.text = "" if pd.isna(v) else str(v)
