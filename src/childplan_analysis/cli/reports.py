"""``childplan report``: annual monitoring reports, mid-term/final evaluations, dashboards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from childplan_analysis.cli.common import IndicatorsOption, word


def report(
    plan: Annotated[list[Path] | None, typer.Option(
        "--plan", help="Plan catalog(s) (default: the one in the current folder).", exists=True, dir_okay=False)] = None,
    data: Annotated[Path | None, typer.Option(help="Observation file or folder (default: ./data).", exists=True)] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: ./reports).")] = None,
    region: Annotated[str | None, typer.Option(help="Region to report (default: the plan's region).")] = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="Use data up to this year only.")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
    stage: Annotated[str, typer.Option(
        help="annual (monitoring report), midterm or final (evaluation as of 2025 / 2030).")] = "annual",
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print each report to PDF (needs Chromium).")] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write the results workbook (.xlsx).")] = False,
    docx: Annotated[bool, typer.Option("--docx", help="Also write a Word report (.docx, chart images need Chromium).")] = False,
    dashboard: Annotated[bool, typer.Option(
        "--dashboard", help="Also write a cross-region dashboard over every region in DATA.")] = False,
    title: Annotated[str, typer.Option(help="Heading of the index page.")] = "儿童/妇女发展规划监测报告",
    previous: Annotated[Path | None, typer.Option(
        help="Last year's results (results_<year>.parquet or a results CSV) to list what changed "
             "(default: the latest earlier results in the report folder).", exists=True, dir_okay=False)] = None,
    indicators: IndicatorsOption = None,
) -> None:
    """Run the report notebook for each PLAN: self-contained HTML (plus PDF / Excel on request)
    and an index page."""
    from childplan_analysis.cli.workspace import default_data, default_reports, find_plan
    from childplan_analysis.report.build import run_report, write_index

    plan, data, out = plan or [find_plan()], data or default_data(), out or default_reports()
    out_, err = Console(), Console(stderr=True)
    if lang not in ("zh", "en"):
        err.print(f"[bold red]{word('错误：', 'error: ')}[/]" + word(f"--lang 须为 zh 或 en，不是 {lang!r}",
                                                                      f"--lang must be zh or en, not {lang!r}"))
        raise typer.Exit(code=2)
    if stage not in ("annual", "midterm", "final"):
        err.print(f"[bold red]{word('错误：', 'error: ')}[/]" + word(
            f"--stage 须为 annual（年度监测）、midterm（中期评估）或 final（终期评估），不是 {stage!r}",
            f"--stage must be annual, midterm or final, not {stage!r}"))
        raise typer.Exit(code=2)
    entries, failed = [], 0
    if not dashboard:
        _check_data(plan, data, region)
    for p in plan:
        jobs = [dict(stage=stage, pdf=pdf, xlsx=xlsx, docx=docx, region=region, previous=previous)]
        if dashboard:
            jobs.append(dict(dashboard=True, pdf=pdf))
        for job in jobs:
            try:
                paths = run_report(p, data, out, as_of=as_of, lang=lang, **job)
            except Exception as exc:  # one failing plan must not stop the others
                failed += 1
                err.print(f"[red]{escape(str(p))}: {word('报告生成失败', 'report failed')}: {escape(str(exc))}[/]",
                          markup=True, highlight=False)
                entries.append({"title": str(p), "href": "#", "note": f"failed: {exc}"})
                continue
            if not job.get("dashboard") and paths.counts and set(paths.counts) == {"insufficient_data"}:
                failed += 1
                err.print(word(f"{p}：没有任何目标可以监测，报告中全部为“数据不足”。请用 `childplan validate` "
                               "检查数据：填报表是否已填写、指标名称和地区是否与规划一致。",
                               f"{p}: no target can be monitored: every target has insufficient data; "
                               "check the data with `childplan validate`"),
                          markup=False, highlight=False)
            entries.append(_entry(paths, out))
            out_.print(f"[green]{word('报告', 'report')}[/] {escape(str(paths.html))}", highlight=False)
    index = write_index(out, entries, title=title, lang=lang)
    out_.print(f"{word('目录页', 'index')}: {escape(str(index))}", highlight=False)
    if failed:
        raise typer.Exit(code=1)


def _check_data(plans: list[Path], data: Path, region: str | None) -> None:
    """Exit 1 before any report is run when the data lack a plan's region (or load no rows);
    otherwise print, once, what the reports will not use: rejected rows, values superseded by
    another file, rows of other regions, and values that look typed on the wrong scale."""
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.cli.checks import print_checks
    from childplan_analysis.cli.data import data_fail, print_load_notes
    from childplan_analysis.core.errors import ChildplanError
    from childplan_analysis.io.sources import is_database, load_observations

    try:
        loaded = [(load_plan(p), load_observations(data, errors="report", region=region, plan=load_plan(p)))
                  for p in plans]
    except ChildplanError as exc:
        data_fail(exc)
    if not loaded or is_database(data):
        return
    plan_obj, obs = loaded[0]
    print_load_notes(obs)
    print_checks(obs, region or plan_obj.region)


def _entry(paths, out: Path) -> dict:
    rel = lambda p: str(Path(p).relative_to(out)) if p else None  # noqa: E731
    return {
        "title": paths.title,
        "region": paths.region,
        "href": rel(paths.html),
        "pdf": rel(paths.pdf),
        "xlsx": rel(paths.xlsx),
        "docx": rel(getattr(paths, "docx", None)),
        "counts": paths.counts or {},
        **(paths.levels or {}),
    }


def register(app: typer.Typer) -> None:
    """Add the report command to the ``childplan`` app."""
    app.command("report")(report)
