"""``childplan methods``: every target's status by the official reference methods side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from childplan_analysis.cli.common import fail
from childplan_analysis.cli.inputs import DataArg, PlanArg, load_plan_and_data
from childplan_analysis.core.errors import ChildplanError


def register(app: typer.Typer) -> None:
    """Add the engine's commands to ``app``."""
    app.command("methods")(methods)


def methods(
    plan: PlanArg = None,
    data: DataArg = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="Use data up to this year only.")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Region(s) to assess (default: all).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the table (.csv, .xlsx, .parquet, .json).")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Status of every target of PLAN by the probabilistic method and by the NBS, UNICEF, ESCAP,
    UNSD and Eurostat methods, side by side; rows where they disagree come first."""
    from childplan_analysis.engine.assess import METHOD_LABELS, STATUS_LABELS, compare_methods
    from childplan_analysis.engine.methods import METHODS
    from childplan_analysis.report.build import write_results

    plan_obj, obs = load_plan_and_data(plan, data, region)
    try:
        table = compare_methods(obs, plan_obj, as_of, regions=region or None)
    except (ChildplanError, ValueError) as exc:
        fail(exc)
    table = table.sort_values(["agree", "region", "target_id"], kind="stable")
    if out:
        write_results(table, out)
        Console().print(f"{len(table)} rows written to {out}")
        return
    view = Table(title=plan_obj.title)
    view.add_column("region" if lang == "en" else "地区")
    view.add_column("target" if lang == "en" else "目标")
    for m in METHODS:
        view.add_column(METHOD_LABELS[m][lang], overflow="fold")
    for row in table.itertuples(index=False):
        cells = [STATUS_LABELS[getattr(row, f"status_{m}")][lang] for m in METHODS]
        view.add_row(str(row.region), str(row.target_id), *cells)
    Console().print(view)
