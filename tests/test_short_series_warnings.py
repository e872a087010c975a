"""Warnings on the short series a county holds: a smooth decline of five values is neither
"fluctuating strongly" nor "broken", pooled or not; a real jump still is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.engine.assess import assess
from childplan_analysis.engine.rowstats import mad_factor
from childplan_analysis.engine.warnings import series_breaks
from childplan_analysis.models import SeriesPanel

#: A county's maternal mortality, 2019–2024 without 2022: falling fast at first, then slower.
SMOOTH = {2019: 21.0, 2020: 18.2, 2021: 17.5, 2023: 16.1, 2024: 15.0}


def _panel(rows: list[dict[int, float]]) -> SeriesPanel:
    years = np.arange(2015, 2025)
    values = np.array([[r.get(int(y), np.nan) for y in years] for r in rows], dtype=float)
    return SeriesPanel(years=years, values=values, keys=pd.DataFrame({"series": range(len(rows))}))


def test_a_smooth_decline_of_five_values_is_no_break_and_a_level_shift_is() -> None:
    shifted = {2019: 21.0, 2020: 20.1, 2021: 19.0, 2023: 11.2, 2024: 10.3}  # 2023 counted on a new base
    assert series_breaks(_panel([SMOOTH, shifted])).tolist() == [False, True]


def test_the_robust_sd_of_few_changes_takes_the_small_sample_factor() -> None:
    assert mad_factor(np.array([4, 5, 9, 20])) == pytest.approx(1.4826 * np.array([1.363, 1.206, 1.107, 20 / 19.2]))


def _county_call() -> pd.DataFrame:
    """Nine sibling counties with ten noisy, nearly flat years each, and one county with the smooth
    five values: its pooled line leans toward their flat slope."""
    rng = np.random.default_rng(5)
    frames = []
    for k in range(9):
        years = np.arange(2015, 2025)
        values = 18 - 0.1 * (years - 2015) * rng.uniform(0.5, 1.5) + rng.normal(0, 1.5, len(years))
        frames.append(pd.DataFrame({"region": f"兄弟县{k}", "year": years, "value": values}))
    frames.append(pd.DataFrame({"region": "澄水县", "year": list(SMOOTH), "value": list(SMOOTH.values())}))
    obs = pd.concat(frames, ignore_index=True).assign(indicator="maternal_mortality")
    return obs


def test_a_pooled_short_series_is_judged_for_scatter_about_its_own_line() -> None:
    plan = plan_from_dict({"id": "c", "title": "澄水县儿童发展规划", "region": "澄水县", "level": "county",
                           "period": [2021, 2030], "targets": [
                               {"id": "mmr", "indicator": "maternal_mortality", "comparator": "<=", "value": 14.0,
                                "year": 2030}]})
    row = assess(_county_call(), plan).set_index("region").loc["澄水县"]
    assert row["model_choice"] == "pooled"  # five values borrow from the siblings
    assert "volatile" not in str(row["warnings"]) and "series_break" not in str(row["warnings"])
