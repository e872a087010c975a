"""Places a cross-region view should show though the data hold nothing for them: the regions of
the plans under the one reported (a city's county plans in the same folder), so a county that sent
no data is a row of 数据不足 and a sentence naming it, not a county that is simply not there."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core.errors import ChildplanError


def child_plans(plan: Plan, folder: str | Path) -> list[Plan]:
    """Readable catalogs in ``folder`` whose parent is ``plan`` (unreadable ones are passed over)."""
    out = []
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        try:
            other = load_plan(path)
        except ChildplanError:
            continue
        if other.parent == plan.id and other.id != plan.id:
            out.append(other)
    return out


def sub_region_plans(plan: Plan, folder: str | Path) -> list[Plan]:
    """``plan``'s child plans in ``folder`` of places named under its region (a city's county plans)."""
    return [c for c in child_plans(plan, folder) if c.region.startswith(plan.region) and c.region != plan.region]


def place_name(region: str, parent_region: str) -> str:
    """How the data name a sub-region's plan region: without the parent's name in front
    (``江屿市南屏县`` under ``江屿市`` → ``南屏县``)."""
    if region.startswith(parent_region) and len(region) > len(parent_region):
        return region[len(parent_region):]
    return region


def regions_without_data(plan: Plan, folder: str | Path, data_regions: Iterable[str]) -> list[str]:
    """The regions of ``plan``'s child plans in ``folder`` that no region of the data is: matched
    by the full name or by the name without the parent's in front. Only child plans of places
    named under the plan's region count (``江屿市南屏县`` under ``江屿市``): a county plan whose
    parent is the national outline is no region of a dashboard of provinces."""
    have = set(data_regions)
    missing = []
    for child in sub_region_plans(plan, folder):
        short = place_name(child.region, plan.region)
        if child.region in have or short in have:
            continue
        if short not in missing:
            missing.append(short)
    return missing
