"""What a report covers: its regions and, for an evaluation, its year."""



import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan


def stage_year(plan: Plan, stage: str) -> int:
    """Year an evaluation stage looks at: the period's middle (2025 for 2021–2030) or its end."""
    start, end = plan.period
    if stage == "final":
        return end
    if stage == "midterm":
        return start + (end - start) // 2
    raise ValueError(f"stage must be midterm or final, not {stage!r}")


def evaluation_year(plan: Plan, stage: str, observations: pd.DataFrame, as_of: int | None = None) -> int:
    """The as-of year of an evaluation: ``as_of`` if given, else the stage year, or the latest
    year in the data when the data do not reach it yet (an early look at the stage)."""
    if as_of is not None:
        return int(as_of)
    year = stage_year(plan, stage)
    latest = observations["year"].max() if len(observations) else np.nan
    return int(min(year, latest)) if pd.notna(latest) else year


def report_regions(obs: pd.DataFrame, plan: Plan, region: str | None = None) -> list[str]:
    """Regions a report covers: ``region`` if given, else the plan's own region when the data
    have it, else every region in the data."""
    if region:
        return [region]
    present = sorted(obs["region"].unique())
    return [plan.region] if plan.region in present or not present else present
