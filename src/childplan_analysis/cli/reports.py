"""``childplan report``: annual monitoring reports, mid-term/final evaluations, dashboards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from childplan_analysis.core import config


def report(
    plan: Annotated[list[Path], typer.Option("--plan", help="Plan catalog(s).", exists=True, dir_okay=False)],
    data: Annotated[Path, typer.Option(help="Observation file or folder.", exists=True)],
    out: Annotated[Path, typer.Option(help="Output folder.")] = config.REPORTS_DIR,
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
) -> None:
    """Run the report notebook for each PLAN: self-contained HTML (plus PDF / Excel on request)
    and an index page."""
    from childplan_analysis.report.build import run_report, write_index

    out_, err = Console(), Console(stderr=True)
    if lang not in ("zh", "en"):
        err.print(f"[bold red]error:[/] --lang must be zh or en, not {lang!r}")
        raise typer.Exit(code=2)
    if stage not in ("annual", "midterm", "final"):
        err.print(f"[bold red]error:[/] --stage must be annual, midterm or final, not {stage!r}")
        raise typer.Exit(code=2)
    entries, failed = [], 0
    for p in plan:
        jobs = [dict(stage=stage, pdf=pdf, xlsx=xlsx, docx=docx, region=region)]
        if dashboard:
            jobs.append(dict(dashboard=True, pdf=pdf))
        for job in jobs:
            try:
                paths = run_report(p, data, out, as_of=as_of, lang=lang, **job)
            except Exception as exc:  # one failing plan must not stop the others
                failed += 1
                err.print(f"[red]{p}: report failed: {exc}[/]", markup=True, highlight=False)
                entries.append({"title": str(p), "href": "#", "note": f"failed: {exc}"})
                continue
            entries.append(_entry(paths, out))
            out_.print(f"[green]report[/] {paths.html}")
    index = write_index(out, entries, title=title, lang=lang)
    out_.print(f"index: {index}")
    if failed:
        raise typer.Exit(code=1)


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
