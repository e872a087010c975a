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


def _plan(targets: list[dict]):
    return plan_from_dict({"id": "w", "title": "云岭区妇女发展规划", "region": "云岭区", "level": "county",
                           "period": [2021, 2030], "targets": targets})


def test_a_target_met_now_but_drifting_out_by_its_year_is_warned() -> None:
    years = list(range(2017, 2025))
    drifting = [44.0, 44.3, 44.2, 44.6, 44.9, 45.3, 45.6, 46.1]  # inside 45 % ± 5 % now, heading above it
    rising = [40.0, 40.8, 41.9, 42.5, 43.6, 44.4, 45.1, 46.0]  # ≥ 44 met now and moving further in
    obs = pd.concat([
        pd.DataFrame({"region": "云岭区", "indicator": "female_share_employment", "year": years, "value": drifting}),
        pd.DataFrame({"region": "云岭区", "indicator": "female_share_village_committee", "year": years, "value": rising}),
    ], ignore_index=True)
    rows = assess(obs, _plan([
        {"id": "around", "indicator": "female_share_employment", "comparator": "around", "value": 45.0, "year": 2030},
        {"id": "floor", "indicator": "female_share_village_committee", "comparator": ">=", "value": 44.0, "year": 2030},
    ])).set_index("target_id")
    assert rows.loc["around", "status"] == "achieved" and rows.loc["around", "p_meet"] < 0.5
    assert "may_not_hold" in str(rows.loc["around", "warnings"]) and rows.loc["around", "warning_level"] == "yellow"
    assert rows.loc["floor", "status"] == "achieved" and "may_not_hold" not in str(rows.loc["floor", "warnings"])


def test_a_noisy_share_about_a_line_inside_its_band_is_volatile_not_leaving_it() -> None:
    years = list(range(2015, 2025))
    noisy = [45.1, 42.9, 46.8, 43.2, 46.4, 43.6, 46.9, 43.0, 46.2, 44.8]  # flat at 45 %, ±2 points year to year
    obs = pd.DataFrame({"region": "云岭区", "indicator": "female_share_employment", "year": years, "value": noisy})
    row = assess(obs, _plan([{"id": "around", "indicator": "female_share_employment", "comparator": "around",
                              "value": 45.0, "year": 2030}])).set_index("target_id").loc["around"]
    assert row["status"] == "achieved" and row["p_meet"] < 0.5  # noise alone may carry it out of the band
    assert 42.75 <= row["projected"] <= 47.25  # the line itself stays inside
    assert "may_not_hold" not in str(row["warnings"]) and "volatile" in str(row["warnings"])


def test_the_warning_reads_as_a_sentence_in_both_languages() -> None:
    from childplan_analysis.report.labels import explain_warnings

    row = {"warnings": "may_not_hold", "unit": "%", "target_year": 2030, "p_meet": 0.16, "projected": 48.0}
    assert "目前已达标" in explain_warnings(row, "zh") and "16%" in explain_warnings(row, "zh")
    assert "met now" in explain_warnings(row, "en")


def test_the_pace_of_a_change_from_a_baseline_is_in_the_indicator_s_unit() -> None:
    from childplan_analysis.report.labels import explain_warnings, fmt_rate

    # 以2020年为基数下降20% for a rate per 100,000: the pace needed is per 100,000 a year, not %
    row = {"warnings": "off_track", "unit": "1/10万", "target_year": 2030, "p_meet": 0.17,
           "projected": 11.5, "comparator": "relative_decrease_pct", "required_rate": -0.30, "observed_rate": -0.32}
    text = explain_warnings(row, "zh")
    assert "-0.30/10万/年" in text and "%/年" not in text
    assert fmt_rate(-1.2, "‰", "annual_decrease_pct").endswith("%/年")  # a yearly rate of change stays in %


def test_a_slowing_projection_is_explained_by_its_own_pace_not_the_recent_slope() -> None:
    from childplan_analysis.report.labels import explain_warnings

    # a damped trend: rising 0.7 a year now, projected to slow to 82.0 by 2030 against the ≥ 83.4 needed
    row = {"warnings": "off_track", "unit": "%", "comparator": ">=", "target_year": 2030, "p_meet": 0.05,
           "last_year": 2024, "last_value": 80.0, "projected": 82.0, "required_rate": 0.57, "observed_rate": 0.70}
    zh, en = explain_warnings(row, "zh"), explain_warnings(row, "en")
    assert "需年均变化+0.57个百分点/年" in zh and "按趋势预计年均变化+0.33个百分点/年" in zh and "0.70" not in zh
    assert "projected +0.33 percentage points a year" in en
    # a target that is itself a yearly rate keeps the fitted rate
    rate = row | {"comparator": "annual_increase_pts", "required_rate": 1.0}
    assert "实际年均变化+0.70" in explain_warnings(rate, "zh")
