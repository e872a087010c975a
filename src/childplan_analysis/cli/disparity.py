"""``childplan gaps`` and ``childplan accountability``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from childplan_analysis.cli.common import fail, print_frame
from childplan_analysis.cli.inputs import DataArg, PlanArg, load_plan_and_data
from childplan_analysis.cli.workspace import find_plan
from childplan_analysis.core.errors import ChildplanError

AsOf = Annotated[int | None, typer.Option("--as-of", help="Use data up to this year only.")]
Lang = Annotated[str, typer.Option(help="zh or en")]


def gaps(
    plan: PlanArg = None,
    data: DataArg = None,
    as_of: AsOf = None,
    region: Annotated[list[str] | None, typer.Option(help="Region(s) (default: the plan's region, else all).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write gap trends (.csv, .xlsx, .parquet, .json).")] = None,
    widening_only: Annotated[bool, typer.Option("--widening", help="Show widening gaps only.")] = False,
    lang: Lang = "zh",
) -> None:
    """Gaps by sex, urban/rural, age group and sub-region for PLAN's indicators: trend and verdict,
    plus sub-regions below the target where the region meets it (hidden laggards)."""
    from childplan_analysis.engine.disparity import (
        disparities,
        gap_table,
        hidden_laggards,
        subregion_coverage,
        subregions_ahead,
    )
    from childplan_analysis.report.build import write_results
    from childplan_analysis.report.subregion_tables import (
        ahead_table,
        coverage_table,
        laggard_table,
    )

    plan = plan or find_plan()
    plan_obj, obs = load_plan_and_data(plan, data, region)
    try:
        regions = region or ([plan_obj.region] if (obs["region"] == plan_obj.region).any() else None)
        trends = disparities(obs, plan_obj, as_of=as_of, regions=regions)
        others = [p for p in _sibling_plans(plan.parent) if p.id != plan_obj.id]
        laggards = hidden_laggards(obs, plan_obj, plans=others, as_of=as_of, regions=regions)
        ahead = subregions_ahead(obs, plan_obj, as_of=as_of, regions=regions)
        coverage = subregion_coverage(obs, plan_obj, plans=others, regions=regions)
    except ChildplanError as exc:
        fail(exc)
    if out:
        write_results(trends, out)
        Console().print(f"{len(trends)} gap series written to {out}")
        return
    shown = trends[trends["verdict"] == "widening"] if widening_only else trends
    title = ("差距分析" if lang != "en" else "Gaps") + f" · {plan_obj.title}"
    if shown.empty:
        Console().print("没有分组数据（性别、城乡、年龄组或下辖地区）。" if lang != "en" else
                        "No breakdowns (sex, urban/rural, age group or sub-region) in the data.")
    else:
        table = gap_table(shown, lang)
        keep = [1, 2, 3, 6, 13, 7, 10, 14] if shown["region"].nunique() == 1 else [0, 1, 2, 3, 6, 13, 10, 14]
        print_frame(table.iloc[:, keep], title)
    if len(laggards):
        print_frame(laggard_table(laggards, lang, [plan_obj, *others]),
                    "全域达标、但未达到目标的下辖地区" if lang != "en" else
                    "Sub-regions below the target the region as a whole meets")
    if len(ahead):
        print_frame(ahead_table(ahead, lang, [plan_obj]),
                    "全域未达标、但已达到目标的下辖地区" if lang != "en" else
                    "Sub-regions meeting a target the region as a whole does not")
    if len(coverage):
        print_frame(coverage_table(coverage, lang),
                    "缺少数据的下辖地区（未计入差距）" if lang != "en" else
                    "Sub-regions without data (left out of the gaps)")


def _sibling_plans(folder: Path) -> list:
    """Catalogs next to the plan (for sub-regions' own targets); unreadable ones are skipped."""
    from childplan_analysis.catalog.plans import load_plan

    plans = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        try:
            plans.append(load_plan(path))
        except ChildplanError:
            continue
    return plans


def accountability(
    plan: PlanArg = None,
    data: DataArg = None,
    more: Annotated[list[Path] | None, typer.Option("--plan", help="Further plan catalog(s) in the same lists.",
                                                    exists=True, dir_okay=False)] = None,
    out: Annotated[Path | None, typer.Option(help="Write the workbook (.xlsx), one sheet per unit.")] = None,
    as_of: AsOf = None,
    region: Annotated[list[str] | None, typer.Option(help="Region(s) (default: each plan's region, else all).")] = None,
    summary: Annotated[bool, typer.Option(help="Add a first sheet with counts per unit.")] = False,
    lang: Lang = "zh",
) -> None:
    """Responsibility lists (责任清单): each responsible unit's targets, status, warning and why."""
    import pandas as pd

    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.engine.accountability import summary_table, write_unit_workbook
    from childplan_analysis.engine.assess import assess

    first, obs = load_plan_and_data(plan, data, region if not more else None)
    try:
        plans = [first, *(load_plan(p) for p in more or [])]
        results = []
        for p in plans:
            regions = region or ([p.region] if (obs["region"] == p.region).any() else None)
            results.append(assess(obs, p, as_of=as_of, regions=regions))
        results = pd.concat(results, ignore_index=True)
        if out:
            write_unit_workbook(results, out, plans, lang=lang, summary=summary)
    except (ChildplanError, ValueError) as exc:
        fail(exc)
    table = summary_table(results, lang)
    if out:
        Console().print(f"{len(table)} 个责任单位、{len(results)} 项目标已写入 {out}" if lang != "en" else
                        f"{_count(len(table), 'responsible unit')}, {_count(len(results), 'target')} written to {out}")
    print_frame(table, "责任单位" if lang != "en" else "Responsible units")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def register(app: typer.Typer) -> None:
    """Add the disparity and accountability commands to ``app``."""
    app.command()(gaps)
    app.command()(accountability)
