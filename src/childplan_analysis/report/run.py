"""Running a report: execute the notebook with papermill, export HTML (and PDF, Excel, Word)."""


import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.io.fileio import atomic_write, atomic_write_text
from childplan_analysis.io.safety import safe_join
from childplan_analysis.report.changes import keep_results, previous_results
from childplan_analysis.report.excel import write_workbook
from childplan_analysis.report.export import html_to_pdf, notebook_to_html
from childplan_analysis.report.labels import (
    t,
)
from childplan_analysis.report.scope import evaluation_year, report_regions
from childplan_analysis.report.tables import data_quality_notes
from childplan_analysis.report.word import export_docx

REPORT_NOTEBOOK = config.NOTEBOOKS_DIR / "region_report.ipynb"
EVALUATION_NOTEBOOK = config.NOTEBOOKS_DIR / "evaluation.ipynb"
DASHBOARD_NOTEBOOK = config.NOTEBOOKS_DIR / "dashboard.ipynb"


@dataclass
class ReportPaths:
    """Where one report's files are."""

    folder: Path
    notebook: Path
    html: Path
    title: str = ""
    region: str = ""
    counts: dict | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    extra: dict = field(default_factory=dict)
    #: Targets with a red and a yellow warning level (``{"red": 2, "yellow": 5}``).
    levels: dict = field(default_factory=dict)
    docx: Path | None = None


def run_notebook(notebook: str | Path, out_nb: str | Path, params: dict) -> Path:
    """Execute ``notebook`` with papermill (parameters passed as data), written atomically."""
    import papermill as pm

    notebook = Path(notebook)

    def execute(tmp: str) -> None:
        with tempfile.TemporaryDirectory(prefix="childplan-kernel-") as sockets:
            pm.execute_notebook(str(notebook), tmp, parameters=params, cwd=str(notebook.parent),
                                progress_bar=False, log_output=False, kernel_name="python3",
                                kernel_manager_class=ipc_kernel_manager(sockets))

    return atomic_write(out_nb, execute)


def ipc_kernel_manager(folder: str) -> type:
    """A kernel manager class whose kernels talk over Unix sockets in ``folder``, not TCP ports
    (no unencrypted ports on the machine, and no warning about them in every run)."""
    from jupyter_client.manager import AsyncKernelManager

    if os.name != "posix":
        return AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)

    return IPCKernelManager


def notebook_parameters(notebook: str | Path) -> set[str]:
    """Names of the parameters a notebook declares (its ``parameters``-tagged cell)."""
    import papermill as pm

    return set(pm.inspect_notebook(str(notebook)))


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
    stage: str = "annual",
    pdf: bool = False,
    xlsx: bool = False,
    dashboard: bool = False,
    docx: bool = False,
    previous: str | Path | None = None,
) -> ReportPaths:
    """Execute a report notebook with papermill and export it to self-contained HTML.

    ``stage`` is ``annual`` (the monitoring report, ``region_report.ipynb``) or ``midterm`` /
    ``final`` (the evaluation notebook, assessed as of :func:`evaluation_year`). ``pdf`` prints the HTML with headless Chromium; ``xlsx`` writes the
    results workbook. Outputs go atomically to ``out_dir/<name or plan id>/``.

    An annual report keeps its results in the folder as ``results_<as-of year>.parquet``; the
    summary of a later report lists what changed since the latest earlier one there, or since
    ``previous`` (such a file, or a results CSV) when given.
    """
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.engine.assess import assess
    from childplan_analysis.io.sources import load_observations

    if stage not in ("annual", "midterm", "final"):
        raise ValueError(f"stage must be annual, midterm or final, not {stage!r}")
    plan = load_plan(plan_path)
    suffix = "_dashboard" if dashboard else "" if stage == "annual" else f"_{stage}"
    folder = safe_join(out_dir, name or f"{plan.id}{suffix}")
    folder.mkdir(parents=True, exist_ok=True)
    params = {"plan_path": str(Path(plan_path).resolve()), "data_path": str(Path(data_path).resolve()),
              "as_of": as_of, "lang": lang}
    if dashboard:
        notebook = DASHBOARD_NOTEBOOK if notebook == REPORT_NOTEBOOK else notebook
        stage = "annual"
    else:
        params["region"] = region
    if stage != "annual":
        if notebook == REPORT_NOTEBOOK:
            notebook = EVALUATION_NOTEBOOK
        params.update(stage=stage, params_dir=str(Path(plan_path).resolve().parent))
    obs = load_observations(data_path, errors="report", plan=plan)
    regions = sorted(obs["region"].unique()) if dashboard else report_regions(obs, plan, region)
    year = as_of if stage == "annual" else evaluation_year(plan, stage, obs, as_of)
    results = assess(obs, plan, as_of=year, regions=regions)
    annual = stage == "annual" and not dashboard
    as_of_year = year if year is not None else _latest_year(obs, results)
    if annual and previous is None and as_of_year is not None:
        previous = previous_results(folder, as_of_year)
    declared = notebook_parameters(notebook)
    if previous is not None and "previous_path" in declared:
        params["previous_path"] = str(Path(previous).resolve())
    with tempfile.TemporaryDirectory(prefix="childplan-report-") as tmp:
        if "results_path" in declared:
            params["results_path"] = str(Path(tmp) / "results.parquet")
            results.to_parquet(params["results_path"], index=False)
        nb_path = run_notebook(notebook, folder / "report.ipynb", params)
    kind = "dashboard" if dashboard else stage
    title = f"{plan.title} · {t(kind, lang)}"
    html_path = atomic_write_text(folder / "report.html", notebook_to_html(nb_path, title=title, lang=lang))
    counts = results["status"].value_counts().to_dict()
    paths = ReportPaths(folder, nb_path, html_path, title, "、".join(regions), counts)
    paths.levels = {lv: int(results["warning_level"].eq(lv).sum()) for lv in ("red", "yellow")}
    if annual and as_of_year is not None:
        paths.extra["results"] = keep_results(results, folder, as_of_year)
    if xlsx:
        paths.xlsx = write_workbook(results, folder / "results.xlsx", plan, lang,
                                    notes=data_quality_notes(obs, results, lang))
    if pdf:
        paths.pdf = html_to_pdf(html_path, folder / "report.pdf")
    if docx and not dashboard:
        paths.docx = export_docx(results, plan, folder / "report.docx", lang)
    return paths


def _latest_year(obs: pd.DataFrame, results: pd.DataFrame) -> int | None:
    """The as-of year of a report run without one: the latest year in its data."""
    latest = results["last_year"].max() if "last_year" in results and len(results) else np.nan
    if pd.isna(latest) and len(obs):
        latest = obs["year"].max()
    return None if pd.isna(latest) else int(latest)
