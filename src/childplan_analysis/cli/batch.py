"""``childplan batch``: the report for every (plan, region), in parallel, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from childplan_analysis.core import config


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command to ``app``."""
    app.command("batch")(batch)


def batch(
    plans: Annotated[list[Path] | None, typer.Option(
        "--plans", "--plan", help="Plan catalog(s) or a folder of them (default: the national children's plan).")] = None,
    data: Annotated[str, typer.Option(
        help="Observations: a file, a folder (one file or sub-folder per region allowed) or a database URL.")]
    = str(config.NATIONAL_DATA_DIR),
    regions: Annotated[list[str] | None, typer.Option(
        "--regions", "--region", help="Regions to report: names, comma separated, or @FILE with one per line "
        "(default: every region in the data).")] = None,
    notebook: Annotated[Path, typer.Option(help="Report notebook (papermill parameters plan_path, data_path, "
                                                "region, as_of, lang, results_path).", exists=True, dir_okay=False)]
    = config.NOTEBOOKS_DIR / "region_report.ipynb",
    as_of: Annotated[int | None, typer.Option("--as-of", help="Use data up to this year only.")] = None,
    out: Annotated[Path, typer.Option(help="Output folder (default: ./reports).")] = Path("reports"),
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: one per CPU).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:8786), or 'local' to start a LocalCluster.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip regions whose outputs are complete and whose "
                                                          "inputs have not changed.")] = False,
    no_notebooks: Annotated[bool, typer.Option("--no-notebooks", help="Engine only: assess every region in one "
                                                                      "vectorised pass, no notebooks.")] = False,
    timeout: Annotated[float, typer.Option(min=0, help="Seconds one region may take (0: no limit).")] = 900.0,
    regions_per_kernel: Annotated[int, typer.Option(min=1, help="Regions run in one kernel before it is "
                                                                "replaced (1: a fresh kernel each).")] = 20,
    keep_notebooks: Annotated[bool, typer.Option("--keep-notebooks", help="Keep each region's executed "
                                                 "report.ipynb (a failed region always keeps report.failed.ipynb).")] = False,
    self_contained: Annotated[bool, typer.Option("--self-contained", help="Embed plotly.js and the styles in "
                                                 "every report instead of sharing them in OUT/assets/.")] = False,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run the report for every (plan, region); exit 1 if a region failed or a data file was unreadable."""
    from rich.console import Console
    from rich.markup import escape

    from childplan_analysis.batch.jobs import BatchOptions, parse_regions
    from childplan_analysis.batch.runner import run_batch
    from childplan_analysis.core.errors import ChildplanError

    err = Console(stderr=True)
    if lang not in ("zh", "en"):
        raise typer.BadParameter("lang must be zh or en", param_hint="--lang")
    try:
        options = BatchOptions(
            plans=tuple(plans or [config.NATIONAL_PLAN_FILE]), data=data, out=out,
            regions=parse_regions(regions), notebook=notebook, as_of=as_of, lang=lang, workers=workers,
            scheduler=scheduler, resume=resume, notebooks=not no_notebooks, timeout=timeout or None,
            regions_per_kernel=regions_per_kernel, progress=not quiet, keep_notebooks=keep_notebooks,
            shared_assets=not self_contained,
        )
        result = run_batch(options, console=err)
    except (ChildplanError, OSError) as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(code=2) from None
    ok = sum(r.status == "ok" for r in result.records)
    reused = sum(r.action == "reused" for r in result.records)
    failed = result.failed
    err.print(f"{len(result.records)} region report(s): {ok} ok ({reused} reused), {len(failed)} failed"
              + (" — interrupted" if result.interrupted else ""), highlight=False, soft_wrap=True)
    for r in failed[:20]:
        err.print(f"  [red]{r.status}[/] {r.plan_id} · {escape(r.region)}: {escape(r.reason)}", markup=True, highlight=False, soft_wrap=True)
    if len(failed) > 20:
        err.print(f"  … and {len(failed) - 20} more (summary.csv)", highlight=False, soft_wrap=True)
    code = result.exit_code
    if any(r.unreadable for r in result.records) and not result.interrupted:
        from childplan_analysis.cli.batch_problems import UnreadableFile, problem_lines

        lost = [UnreadableFile(r.region, file, reason) for r in result.records for file, reason in r.unreadable]
        lost = list(dict.fromkeys(lost))  # a region under several plans names its files once
        for line in problem_lines(lost):
            err.print(f"[yellow]{escape(line)}[/]", markup=True, highlight=False, soft_wrap=True)
        code = code or (1 if lost else 0)  # a report without a department's whole return is no success
    err.print(f"index: {result.out / 'index.html'}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=code)
