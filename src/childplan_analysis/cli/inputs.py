"""The plan and the observations a command works on, read alike by every command.

Defaults are the analyst's working folder (its one plan catalog and ``./data``); files that name
no region take the plan's region (or the one ``--region`` names); a plan whose region is absent
from the data stops the command with the regions found (exit 1); the load's notes (rejections,
conflicts between files, values marked as not reported) are printed on standard error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from childplan_analysis.cli.common import fail
from childplan_analysis.cli.data import data_fail, print_load_notes
from childplan_analysis.cli.workspace import default_data, find_plan
from childplan_analysis.core.errors import ChildplanError

PlanArg = Annotated[
    Path | None,
    typer.Argument(help="Plan catalog (YAML; default: the one in the current folder).", exists=True, dir_okay=False),
]
DataArg = Annotated[Path | None, typer.Argument(help="Observation file or folder (default: ./data).", exists=True)]


def load_plan_and_data(
    plan: Path | None,
    data: Path | None,
    region: list[str] | None = None,
    prefer: Iterable[Path] | None = None,
) -> tuple[object, pd.DataFrame]:
    """The plan and the observations for it; exits with the reason when either cannot be read."""
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.io.sources import load_observations

    plan, data = plan or find_plan(), data or default_data()
    try:
        plan_obj = load_plan(plan)
    except ChildplanError as exc:
        fail(exc)
    try:
        fill = region[0] if region and len(region) == 1 else (region or None)
        obs = load_observations(data, errors="report", region=fill, plan=plan_obj, prefer=prefer)
    except ChildplanError as exc:
        data_fail(exc)
    print_load_notes(obs)
    return plan_obj, obs


__all__ = ["DataArg", "PlanArg", "load_plan_and_data"]
