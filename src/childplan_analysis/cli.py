"""The ``childplan`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import config
from .errors import ChildplanError

app = typer.Typer(
    help="Monitor development plans for children and women: targets, trends, attainment, warnings.",
    no_args_is_help=True,
    add_completion=False,
)


def _out() -> Console:
    return Console()


def _err() -> Console:
    return Console(stderr=True)


PlanArg = Annotated[Path, typer.Argument(help="Plan catalog (YAML).", exists=True, dir_okay=False)]
DataArg = Annotated[Path, typer.Argument(help="Observation file or folder.", exists=True)]


def _fail(exc: Exception) -> None:
    _err().print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    raise typer.Exit(code=2)


@app.command()
def assess(
    plan: PlanArg,
    data: DataArg,
    as_of: Annotated[int | None, typer.Option("--as-of", help="Use data up to this year only.")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Region(s) to assess (default: all).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write results (.csv, .xlsx, .parquet).")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Assess every target of PLAN against the observations in DATA."""
    from .assess import assess as run_assess
    from .labels import t
    from .loaders import load_observations
    from .plans import load_plan
    from .report import scorecard, write_results

    try:
        plan_obj = load_plan(plan)
        obs = load_observations(data, errors="report")
        rejected = obs.attrs.get("rejected")
        if rejected is not None and len(rejected):
            _err().print(f"[yellow]{len(rejected)} input row(s) rejected; run `childplan validate` for details[/]")
        results = run_assess(obs, plan_obj, as_of=as_of, regions=region or None)
    except ChildplanError as exc:
        _fail(exc)
    if out:
        write_results(results, out)
        _out().print(f"{len(results)} rows written to {out}")
        return
    table = Table(title=plan_obj.title, show_lines=False)
    card = scorecard(results, plan_obj, lang)
    keep = ["region", "indicator", "target", "last_year", "last_value", "projected", "p_meet", "status", "warnings"]
    if results["region"].nunique() == 1:
        keep.remove("region")
    card = card[[t(c, lang) for c in keep]]
    for col in card.columns:
        table.add_column(str(col), overflow="fold")
    for row in card.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    _out().print(table)


@app.command()
def validate(
    data: Annotated[list[Path], typer.Argument(help="Observation files or folders.", exists=True)],
) -> None:
    """Check observation files: every row is loaded or rejected with its reason. Exit 1 on rejects."""
    from .loaders import read_observations

    try:
        result = read_observations(list(data))
    except ChildplanError as exc:
        _fail(exc)
    _out().print(result.summary())
    if not result.ok:
        table = Table(title="rejected rows / 被拒绝的行")
        for col in ("file", "sheet", "row", "column", "value", "reason"):
            table.add_column(col, overflow="fold")
        for r in result.rejected.itertuples(index=False):
            table.add_row(str(r.file), str(r.sheet), str(r.row), str(r.column), str(r.value), str(r.reason))
        _out().print(table)
        raise typer.Exit(code=1)


@app.command()
def report(
    plan: Annotated[list[Path], typer.Option("--plan", help="Plan catalog(s).", exists=True)],
    data: Annotated[Path, typer.Option(help="Observation file or folder.", exists=True)],
    out: Annotated[Path, typer.Option(help="Output folder.")] = config.REPORTS_DIR,
    region: Annotated[str | None, typer.Option(help="Region to report (default: the plan's region).")] = None,
    as_of: Annotated[int | None, typer.Option("--as-of")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Run the region report notebook for each PLAN and write HTML plus an index page."""
    from .report import run_report, write_index

    entries = []
    failed = 0
    for p in plan:
        try:
            paths = run_report(p, data, out, region=region, as_of=as_of, lang=lang)
        except Exception as exc:  # one failing plan must not stop the others
            failed += 1
            _err().print(f"[red]{p}: report failed: {exc}[/]")
            entries.append({"title": str(p), "href": "#", "note": f"failed: {exc}"})
            continue
        entries.append(_entry(paths, out))
        _out().print(f"[green]report[/] {paths.html}")
    index = write_index(out, entries)
    _out().print(f"index: {index}")
    if failed:
        raise typer.Exit(code=1)


def _entry(paths, out: Path) -> dict:
    return {
        "title": paths.title,
        "region": paths.region,
        "href": str(paths.html.relative_to(out)),
        "counts": paths.counts or {},
    }


@app.command()
def plans(folder: Annotated[Path, typer.Argument()] = config.PARAMS_DIR) -> None:
    """List the plan catalogs in FOLDER and check that they validate."""
    from .plans import load_plan

    table = Table(title=f"plan catalogs in {folder}")
    for col in ("id", "title", "level", "region", "targets", "parent"):
        table.add_column(col)
    bad = 0
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        try:
            p = load_plan(path)
        except ChildplanError as exc:
            bad += 1
            _err().print(str(exc))
            continue
        table.add_row(p.id, p.title, p.level, p.region, str(len(p.targets)), p.parent or "")
    _out().print(table)
    if bad:
        raise typer.Exit(code=1)


# Commands of other modules register themselves here, one line each.
from . import cli_batch  # noqa: E402

cli_batch.register(app)


if __name__ == "__main__":
    app()
