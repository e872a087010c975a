"""A county's rare-event rates: maternal deaths one in several years, newborn deaths in single
figures. Zeros have no logarithm and a lone death is no break in the series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.engine.assess import assess
from childplan_analysis.engine.quality import find_breaks
from childplan_analysis.engine.warnings import series_breaks
from childplan_analysis.models import SeriesPanel
from childplan_analysis.models.scales import carried_scales

YEARS = list(range(2016, 2025))


def _plan():
    return plan_from_dict({"id": "q", "title": "青岚县儿童发展规划", "region": "青岚县", "level": "county",
                           "period": [2021, 2030], "targets": [
                               {"id": "mmr", "indicator": "maternal_mortality", "comparator": "<=", "value": 15.0,
                                "year": 2030},
                               {"id": "imr", "indicator": "infant_mortality", "comparator": "<=", "value": 4.5,
                                "year": 2030}]})


def _obs(mmr: list[float], imr: list[float]) -> pd.DataFrame:
    return pd.concat([
        pd.DataFrame({"region": "青岚县", "indicator": "maternal_mortality", "year": YEARS, "value": mmr}),
        pd.DataFrame({"region": "青岚县", "indicator": "infant_mortality", "year": YEARS, "value": imr}),
    ], ignore_index=True)


def test_a_rate_with_zeros_is_not_projected_from_stand_ins_for_log_zero() -> None:
    mmr = [0.0, 0.0, 0.0, 0.0, 87.5, 0.0, 0.0, 0.0, 0.0]  # one maternal death in nine years
    imr = [5.1, 4.8, 0.0, 4.2, 3.9, 4.1, 3.6, 3.4, 3.5]  # a year with no infant death reported
    rows = assess(_obs(mmr, imr), _plan()).set_index("target_id")
    # on a log scale the zeros became 43.75 and 2030 was projected near 45 with a tight band
    assert rows.loc["mmr", "projected"] < np.mean(mmr) + 5
    assert rows.loc["mmr", "lower"] <= 1.0 and 0.2 < rows.loc["mmr", "p_meet"] < 0.9
    assert "may_not_hold" not in str(rows.loc["mmr", "warnings"])
    assert rows.loc["imr", "projected"] < 4.5  # the falling line, not a log line bent by a stand-in


def test_only_a_log_scale_meets_the_zero() -> None:
    values = np.array([[0.0, 3.0, 2.0], [1.0, 2.0, 3.0], [0.0, 50.0, 80.0]])
    natural = np.array(["loglinear", "loglinear", "logit"], dtype=object)
    assert carried_scales(natural, values).tolist() == ["linear", "loglinear", "logit"]


def test_a_lone_death_is_no_break_but_a_typing_slip_is() -> None:
    lone = [0.0, 0.0, 0.0, 0.0, 87.5, 0.0, 0.0, 0.0, 0.0]
    slip = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 35.0, 350.0, 330.0]  # a new level that stays
    panel = SeriesPanel(pd.DataFrame({"region": ["a", "b"], "indicator": ["x", "x"]}), np.array(YEARS),
                        np.array([lone, slip]))
    assert series_breaks(panel).tolist() == [False, True]
    obs = pd.DataFrame({"region": "a", "indicator": "maternal_mortality", "sex": "", "area": "", "age_group": "",
                        "subregion": "", "year": YEARS, "value": lone})
    assert find_breaks(obs).empty
    assert len(find_breaks(obs.assign(region="b", value=slip))) == 1


def test_a_share_levelling_off_toward_its_ceiling_does_not_fluctuate_but_a_zigzag_does() -> None:
    from childplan_analysis.engine.rowstats import Observed
    from childplan_analysis.engine.warnings import local_noise_sd

    years = np.arange(2016, 2025)
    smooth = [62.0, 71.0, 79.0, 85.5, 90.5, 94.0, 96.5, 98.0, 98.8]  # 3岁以下儿童系统管理率 levelling off
    zigzag = [80.0, 84.0, 81.0, 86.0, 83.0, 88.0, 85.0, 90.0, 87.0]
    gappy = [62.0, np.nan, 79.0, 85.5, np.nan, 94.0, 96.5, 98.0, np.nan]  # the same path, years missing
    panel = SeriesPanel(pd.DataFrame({"region": list("abc"), "indicator": "x"}), years,
                        np.array([smooth, zigzag, gappy]))
    sd = local_noise_sd(panel, Observed(panel.values))
    assert sd[0] < 1.0 and sd[2] < 1.0 < 2.0 < sd[1]
    plan = plan_from_dict({"id": "q", "title": "青岚县儿童发展规划", "region": "青岚县", "level": "county",
                           "period": [2021, 2030], "targets": [
                               {"id": "m", "indicator": "child_systematic_management_under3", "comparator": ">=",
                                "value": 90.0, "year": 2030}]})
    obs = pd.DataFrame({"region": "青岚县", "indicator": "child_systematic_management_under3", "year": years,
                        "value": smooth})
    row = assess(obs, plan).iloc[0]
    assert row["status"] == "achieved" and "volatile" not in str(row["warnings"])
    assert "volatile" in str(assess(obs.assign(value=zigzag), plan).iloc[0]["warnings"])
