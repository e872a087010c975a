"""Report building blocks: localized tables, notebook execution, HTML export, index page."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import config
from .assess import LEVEL_LABELS, STATUS_LABELS, STATUSES, WARNINGS
from .fileio import atomic_write, atomic_write_text
from .indicators import DOMAIN_LABELS, IndicatorDictionary, load_indicators
from .labels import t
from .plans import Plan

_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)
REPORT_NOTEBOOK = config.NOTEBOOKS_DIR / "region_report.ipynb"
SCORECARD_COLUMNS = [
    "domain", "indicator", "target", "last_year", "last_value", "projected", "p_meet", "status",
    "warning_level", "warnings", "responsible",
]


def warning_text(codes: str, lang: str = "zh") -> str:
    """Warning codes (``off_track;volatile``) as words."""
    return "；".join(WARNINGS[c][lang] for c in str(codes).split(";") if c in WARNINGS)


def scorecard(
    results: pd.DataFrame,
    plan: Plan,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """The assessment as a readable table with localized headings and labels."""
    indicators = indicators or load_indicators()
    targets = {tg.id: tg for tg in plan.targets}
    frame = pd.DataFrame(
        {
            "region": results["region"],
            "domain": results["domain"].map(lambda d: DOMAIN_LABELS.get(d, {}).get(lang, d)),
            "indicator": results["indicator"].map(lambda i: indicators.by_id[i].name(lang)),
            "target": results["target_id"].map(lambda i: targets[i].describe(lang)),
            "last_year": results["last_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "last_value": results["last_value"].map(_num),
            "projected": results["projected"].map(_num),
            "p_meet": results["p_meet"].map(lambda p: "" if pd.isna(p) else f"{p:.0%}"),
            "status": results["status"].map(lambda s: STATUS_LABELS[s][lang]),
            "warning_level": results["warning_level"].map(lambda s: LEVEL_LABELS[s][lang]),
            "warnings": results["warnings"].map(lambda w: warning_text(w, lang)),
            "responsible": results["responsible"],
            "reason": results["reason"],
        }
    )
    return frame.rename(columns={c: t(c, lang) for c in frame.columns})


def status_counts(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Number of targets per status."""
    counts = results["status"].value_counts().reindex(STATUSES, fill_value=0)
    return pd.DataFrame({t("status", lang): [STATUS_LABELS[s][lang] for s in STATUSES],
                         "n": counts.to_numpy()})


def _num(x: float) -> str:
    return "" if pd.isna(x) else f"{x:.4g}"


# ------------------------------------------------------------------ notebook → HTML


@dataclass
class ReportPaths:
    """Where one report's files are."""

    folder: Path
    notebook: Path
    html: Path
    title: str = ""
    region: str = ""
    counts: dict | None = None


def run_report(
    plan_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path = config.REPORTS_DIR,
    *,
    region: str | None = None,
    as_of: int | None = None,
    lang: str = "zh",
    notebook: str | Path = REPORT_NOTEBOOK,
    name: str | None = None,
) -> ReportPaths:
    """Execute the report notebook with papermill and export it to self-contained HTML.

    Parameters are passed to papermill as data (never as code). Outputs are written
    atomically to ``out_dir/<name or plan id>/report.ipynb`` and ``report.html``.
    """
    import papermill as pm

    from .plans import load_plan

    plan = load_plan(plan_path)
    folder = Path(out_dir) / (name or plan.id)
    folder.mkdir(parents=True, exist_ok=True)
    params = {"plan_path": str(Path(plan_path).resolve()), "data_path": str(Path(data_path).resolve()),
              "region": region, "as_of": as_of, "lang": lang}
    nb_path = folder / "report.ipynb"

    def execute(tmp: str) -> None:
        pm.execute_notebook(str(notebook), tmp, parameters=params, cwd=str(Path(notebook).parent),
                            progress_bar=False, log_output=False, kernel_name="python3")

    atomic_write(nb_path, execute)
    html_path = folder / "report.html"
    atomic_write_text(html_path, notebook_to_html(nb_path, title=plan.title))
    from .assess import assess
    from .loaders import load_observations

    obs = load_observations(data_path, errors="report")
    regions = report_regions(obs, plan, region)
    results = assess(obs, plan, as_of=as_of, regions=regions)
    counts = results["status"].value_counts().to_dict()
    return ReportPaths(folder, nb_path, html_path, plan.title, "、".join(regions), counts)


def report_regions(obs: pd.DataFrame, plan: Plan, region: str | None = None) -> list[str]:
    """Regions a report covers: ``region`` if given, else the plan's own region when the data
    have it, else every region in the data."""
    if region:
        return [region]
    present = sorted(obs["region"].unique())
    return [plan.region] if plan.region in present or not present else present


def notebook_to_html(nb_path: str | Path, title: str | None = None) -> str:
    """Self-contained HTML of an executed notebook, without code cells or prompts."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    # Offline and self-contained: plotly.js is embedded by the notebook; drop CDN scripts
    # (require.js, MathJax) that the template would fetch and the report does not need.
    body = _EXTERNAL_SCRIPT.sub("", body)
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    return body.replace("<head>", "<head>\n" + viewport, 1)


def write_index(out_dir: str | Path, entries: list[dict], title: str = "儿童/妇女发展规划监测报告") -> Path:
    """``index.html`` linking each report, with its status counts. Every label is escaped."""
    out_dir = Path(out_dir)
    rows = []
    for e in entries:
        link = html.escape(str(e["href"]), quote=True)
        counts = " ".join(
            f'<span class="s {html.escape(s)}">{html.escape(STATUS_LABELS[s]["zh"])} {int(e.get("counts", {}).get(s, 0))}</span>'
            for s in STATUSES
        )
        note = html.escape(str(e.get("note", "")))
        rows.append(
            f"<tr><td><a href=\"{link}\">{html.escape(str(e['title']))}</a></td>"
            f"<td>{html.escape(str(e.get('region', '')))}</td><td>{counts}</td><td>{note}</td></tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;}}
table{{border-collapse:collapse;width:100%;}} td,th{{border-bottom:1px solid #ddd;padding:.4em;text-align:left;}}
.s{{display:inline-block;margin-right:.6em;}} .achieved{{color:#1a9850}} .on_track{{color:#4d9221}}
.acceleration_needed{{color:#d46b08}} .regressing{{color:#d73027}} .insufficient_data{{color:#777}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<table><thead><tr><th>规划 Plan</th><th>地区 Region</th><th>状态 Status</th><th>说明 Note</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    return atomic_write_text(out_dir / "index.html", page)


def write_results(results: pd.DataFrame, path: str | Path) -> Path:
    """Write an assessment table as CSV, Excel or Parquet (by suffix), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return atomic_write_text(path, results.to_csv(index=False))
    if suffix == ".xlsx":
        return atomic_write(path, lambda tmp: results.to_excel(tmp, index=False, engine="openpyxl"))
    if suffix == ".parquet":
        return atomic_write(path, lambda tmp: results.to_parquet(tmp, index=False))
    if suffix == ".json":
        return atomic_write_text(path, json.dumps(results.to_dict(orient="records"), ensure_ascii=False, default=str))
    raise ValueError(f"{path}: unsupported output type {suffix!r} (use .csv, .xlsx, .parquet or .json)")
