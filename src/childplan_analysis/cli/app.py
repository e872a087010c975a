"""The ``childplan`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from childplan_analysis.cli.common import IndicatorsOption, fail, print_frame, stderr, stdout, word
from childplan_analysis.cli.inputs import DataArg, PlanArg
from childplan_analysis.cli.workspace import catalogs_folder
from childplan_analysis.core.errors import ChildplanError

app = typer.Typer(
    help="Monitor development plans for children and women: targets, trends, attainment, warnings.",
    no_args_is_help=True,
    add_completion=False,
)




@app.command()
def assess(
    plan: PlanArg = None,
    data: DataArg = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="Use data up to this year only.")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Region(s) to assess (default: all).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write results (.csv, .xlsx, .parquet).")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
    prefer: Annotated[list[Path] | None, typer.Option(
        "--prefer", help="File whose values win conflicts with other files (default: the file read last).")] = None,
    indicators: IndicatorsOption = None,
) -> None:
    """Assess every target of PLAN against the observations in DATA.

    Files that name no region take the plan's region (or the one ``--region`` names); exit 1
    when the data lack the plan's region or no target can be monitored."""
    from childplan_analysis.cli.checks import print_checks
    from childplan_analysis.cli.inputs import load_plan_and_data
    from childplan_analysis.engine.assess import assess as run_assess
    from childplan_analysis.report.build import scorecard, write_results
    from childplan_analysis.report.labels import t

    plan_obj, obs = load_plan_and_data(plan, data, region, prefer)
    print_checks(obs, None)  # every region of the data is assessed unless --region names some
    try:
        results = run_assess(obs, plan_obj, as_of=as_of, regions=region or None)
    except ChildplanError as exc:
        fail(exc)
    check_monitorable(results)
    if out:
        write_results(results, out)
        stdout().print(f"{len(results)} rows written to {out}")
        return
    card = scorecard(results, plan_obj, lang)
    keep = ["region", "indicator", "target", "last_year", "last_value", "projected", "p_meet", "status", "warnings"]
    if results["region"].nunique() == 1:
        keep.remove("region")
    print_frame(card[[t(c, lang) for c in keep]], plan_obj.title)


def check_monitorable(results) -> None:
    """Exit 1 with the reason when no target of the assessment has usable data."""
    from childplan_analysis.core.codes import Status

    if len(results) and not (results["status"] == Status.INSUFFICIENT_DATA).all():
        return
    stderr().print("[bold red]error:[/] 没有任何目标可以监测：所有目标都缺少足够的数据（no target can be "
                   "monitored: every target has insufficient data）。" + word(
                       "请用 `childplan validate` 检查数据：填报表是否已填写、指标名称和地区是否与规划一致。",
                       "Check the data with `childplan validate`."), highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


@app.command()
def plans(folder: Annotated[Path | None, typer.Argument(help="Default: the current folder.")] = None) -> None:
    """List the plan catalogs in FOLDER and check that they validate."""
    from childplan_analysis.catalog.plans import load_plan

    folder, bundled = catalogs_folder(folder)
    if bundled:
        stderr().print("no plan catalog in the current folder; listing the bundled catalogs")
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
            stderr().print(str(exc), markup=False)
            continue
        table.add_row(*(escape(x) for x in (p.id, p.title, p.level, p.region, str(len(p.targets)), p.parent or "")))
    stdout().print(table)
    if bad:
        raise typer.Exit(code=1)


# Commands of other modules register themselves here, one line each.
from childplan_analysis.cli.batch import register as _register_batch  # noqa: E402
from childplan_analysis.cli.data import register as _register_data  # noqa: E402
from childplan_analysis.cli.disparity import register as _register_disparity  # noqa: E402
from childplan_analysis.cli.engine import register as _register_engine  # noqa: E402
from childplan_analysis.cli.plans import register as _register_plans  # noqa: E402
from childplan_analysis.cli.reports import register as _register_reports  # noqa: E402
from childplan_analysis.cli.workspace import register as _register_workspace  # noqa: E402

_register_plans(app)
_register_disparity(app)
_register_engine(app)
_register_data(app)
_register_reports(app)
_register_batch(app)
_register_workspace(app)


if __name__ == "__main__":
    app()
