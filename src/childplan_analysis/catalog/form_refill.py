"""Values already entered in a 填报表, carried into the workbook regenerated after the plan changed.

``childplan init --force`` regenerates the data-collection workbook from the (edited) plan. A
workbook the responsible units have already filled is not thrown away: its values are read with
the project's own loader, every value whose indicator has a row and whose year has a column in
the new workbook is written into it (:func:`carried_cells`), and the rest are kept as a long
table beside it (:func:`left_over_table`) so the data folder loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from childplan_analysis.catalog.forms import (
    collection_years,
    stated_baselines,
    units_and_indicators,
)
from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.columns import CENSOR_CODES, OBS_COLUMNS
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.io.sources import read_observations

#: How a bound is written back into a cell (the loaders read ``≥90`` as a bound of 90).
_BOUND_MARKS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
assert set(_BOUND_MARKS) == set(CENSOR_CODES) - {""}


@dataclass(frozen=True)
class Entered:
    """What an existing workbook holds: one value per (indicator, year) of the plan's region
    (the region's own totals), the rows of other regions, breakdowns or sub-regions, and the
    rows the loader rejected."""

    values: pd.DataFrame
    other_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected: int = 0


def entered_values(workbook: Path, plan: Plan, indicators: IndicatorDictionary | None = None) -> Entered:
    """The values entered in ``workbook`` (read as ``validate`` reads it, the plan's region
    filling a form that names none); the region's totals are returned under the plan's region."""
    result = read_observations([workbook], region=plan.region, indicators=indicators)
    obs = result.observations
    # a generated workbook names one region on every sheet: the plan's, even when the plan's
    # region was corrected since (a draft's 待填写地区)
    own = obs["region"] == plan.region if obs["region"].nunique() > 1 else pd.Series(True, index=obs.index)
    total = own & (obs["subregion"] == "")
    for col in ("sex", "area", "age_group"):
        total &= obs[col] == "total"
    values = obs[total].assign(region=plan.region).reset_index(drop=True)
    return Entered(values, obs[~total].reset_index(drop=True), len(result.rejected))


def _cell_value(value: float, censor: str) -> float | str:
    return f"{_BOUND_MARKS[censor]}{value:.15g}" if censor else value


def carried_cells(
    entered: pd.DataFrame, plan: Plan, current_year: int | None = None
) -> tuple[dict[tuple[str, int], float | str], dict[str, str], pd.DataFrame]:
    """(cell values by (indicator, year), 备注 by indicator, the entered rows not carried).

    A value equal to the base level the plan states for that year is not carried: the new
    workbook pre-fills it. A row's note is carried when all its carried values share it.
    """
    years = set(collection_years(plan, current_year))
    rows: set[str] = set()
    stated: dict[tuple[str, int], set[float]] = {}
    for indicators in units_and_indicators(plan).values():
        for ind, targets in indicators:
            rows.add(ind)
            for year, values in stated_baselines(targets).items():
                stated[(ind, year)] = {float(v) for v in values}
    fits = entered["indicator"].isin(rows) & entered["year"].isin(years)
    cells: dict[tuple[str, int], float | str] = {}
    notes: dict[str, set[str]] = {}
    for row in entered[fits].itertuples(index=False):
        key = (row.indicator, int(row.year))
        notes.setdefault(row.indicator, set()).add(row.note)
        if not row.censor and stated.get(key) == {float(row.value)}:
            continue  # the plan's own base level, pre-filled again
        cells[key] = _cell_value(float(row.value), row.censor)
    row_notes = {ind: next(iter(n)) for ind, n in notes.items() if len(n) == 1 and next(iter(n))}
    return cells, row_notes, entered[~fits].reset_index(drop=True)


def left_over_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Entered rows that have no cell in the new workbook, in the loaders' own long format
    (:data:`~childplan_analysis.core.columns.OBS_COLUMNS`, a bound written ``≥90``)."""
    table = rows.reindex(columns=OBS_COLUMNS).copy()
    table["value"] = [_cell_value(float(v), c) for v, c in zip(rows["value"], rows["censor"], strict=True)]
    return table


__all__ = ["Entered", "carried_cells", "entered_values", "left_over_table"]
