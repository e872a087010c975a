"""Reference methods on small published-style examples with answers worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from childplan_analysis.core.targets import Comparator
from childplan_analysis.engine.methods import (
    TargetSeries,
    aarr_regression,
    aarr_required,
    anticipated_gap,
    cagr,
    category_label,
    escap,
    escap_projection,
    eurostat,
    nbs,
    unicef,
    unsd,
)


def _ts(values: dict[int, float], comparator=Comparator.LE, target=5.0, year=2030, desired=-1, base_year=None,
        unit="‰", lo=None, hi=None):
    years = np.array(sorted(values))
    vals = np.array([[values[y] for y in years]], dtype=float)
    if lo is None and hi is None:
        lo, hi = (-np.inf, target) if desired < 0 else (target, np.inf)
    last_year = float(years[-1])
    last = vals[0, -1]
    base_year = base_year or int(years[0])
    met = (lo <= last <= hi) if comparator not in (Comparator.DECREASE, Comparator.INCREASE) else False
    return TargetSeries(comparator=comparator, target_value=target, target_year=year, years=years, values=vals,
                        lo=np.array([lo], float), hi=np.array([hi], float), desired=np.array([float(desired)]),
                        base_year=np.array([float(base_year)]), base_value=np.array([values[base_year]]),
                        last_year=np.array([last_year]), last_value=np.array([last]), met_now=np.array([met]),
                        unit=unit)


def test_aarr_two_point_and_regression_agree_on_exact_decline():
    # under-five mortality 90 → 43 per 1,000 over 2000–2015: AARR 4.8 %
    years = np.array([2000, 2015])
    aarr = aarr_regression(years, np.array([[90.0, 43.0]]))[0]
    assert aarr == pytest.approx((1 - (43 / 90) ** (1 / 15)) * 100)
    assert aarr == pytest.approx(4.80, abs=0.01)
    exact = 90 * (43 / 90) ** ((np.arange(2000, 2016) - 2000) / 15)
    assert aarr_regression(np.arange(2000, 2016), exact[None, :])[0] == pytest.approx(aarr)
    # reaching 25 by 2030 from 43 in 2015 needs 3.55 % a year
    assert aarr_required(np.array([43.0]), np.array([25.0]), np.array([15.0]))[0] == pytest.approx(3.55, abs=0.01)


def test_unicef_categories():
    on = _ts({y: 90 * 0.952 ** (y - 2000) for y in range(2000, 2016)}, target=25.0)
    assert unicef(on).category[0] == "unicef_on_track"
    slow = _ts({y: 90 * 0.99 ** (y - 2000) for y in range(2000, 2016)}, target=25.0)
    res = unicef(slow)
    assert res.category[0] == "unicef_acceleration_needed" and res.status[0] == "acceleration_needed"
    assert res.value[0] == pytest.approx(1.0, abs=1e-9)
    met = _ts({2014: 20.0, 2015: 19.0}, target=25.0)
    assert unicef(met).category[0] == "unicef_target_met"
    one = _ts({2015: 40.0}, target=25.0)
    assert unicef(one).category[0] == "unicef_insufficient_trend_data"


def test_escap_projection_weights_and_categories():
    years = np.arange(2015, 2021)
    proj, slope = escap_projection(years, (100 - 2.0 * (years - 2015))[None, :].astype(float), 2030)
    assert proj[0] == pytest.approx(70.0) and slope[0] == pytest.approx(-2.0)
    # gap relative to the progress required since the base year: (50 − 70)/(50 − 100) = 0.4
    assert anticipated_gap(np.array([50.0]), np.array([70.0]), np.array([100.0]))[0] == pytest.approx(0.4)
    short = _ts({y: 100 - 2.0 * (y - 2015) for y in range(2015, 2021)}, target=50.0, base_year=2015)
    res = escap(short)
    assert res.category[0] == "escap_accelerate_progress"
    assert res.value[0] == pytest.approx(0.4)
    meets = _ts({y: 100 - 4.0 * (y - 2015) for y in range(2015, 2021)}, target=50.0)
    assert escap(meets).category[0] == "escap_maintain_progress"
    away = _ts({y: 100 + 1.0 * (y - 2015) for y in range(2015, 2021)}, target=50.0)
    assert escap(away).category[0] == "escap_reverse_trend" and escap(away).status[0] == "regressing"
    assert escap(_ts({2020: 80.0}, target=50.0)).category[0] == "insufficient_data"


def test_unsd_progress_chart_ratio():
    # share rising 60 → 70 (2015 → 2022), target 100 by 2030: projected 83.5, ratio 0.587
    ts = _ts({2015: 60.0, 2018: 64.0, 2022: 70.0}, target=100.0, desired=1, unit="%")
    res = unsd(ts)
    assert res.value[0] == pytest.approx(0.587, abs=0.001)
    assert res.category[0] == "unsd_moderate_progress"
    fast = _ts({2015: 60.0, 2022: 90.0}, target=100.0, desired=1, unit="%")
    assert unsd(fast).category[0] == "unsd_on_track"
    worse = _ts({2015: 60.0, 2022: 55.0}, target=100.0, desired=1, unit="%")
    assert unsd(worse).category[0] == "unsd_regression"
    near = _ts({2015: 95.0, 2022: 99.2}, target=100.0, desired=1, unit="%")
    assert unsd(near).category[0] == "unsd_target_met"


def test_eurostat_cagr_ratio():
    # 20 → 18 over 2015–2020, target 10 by 2030: R = −2.085 % / −4.516 % = 0.46 → limited progress
    ts = _ts({2015: 20.0, 2020: 18.0}, target=10.0, unit="%")
    res = eurostat(ts)
    assert cagr(np.array([20.0]), np.array([18.0]), np.array([5.0]))[0] == pytest.approx(-0.02085, abs=1e-5)
    assert res.value[0] == pytest.approx(0.4617, abs=1e-3)
    assert res.category[0] == "eurostat_limited_progress"
    on = _ts({2015: 20.0, 2020: 15.0}, target=10.0, unit="%")
    assert eurostat(on).category[0] == "eurostat_on_track"
    worse = _ts({2015: 20.0, 2020: 21.0}, target=10.0, unit="%")
    assert eurostat(worse).category[0] == "eurostat_deterioration"
    # no numerical target: CAGR in the desired direction, 1.5 % / 0.5 % thresholds
    up = _ts({2015: 50.0, 2020: 50 * 1.01**5}, comparator=Comparator.INCREASE, target=np.nan, desired=1,
             lo=np.nan, hi=np.nan)
    assert eurostat(up).category[0] == "eurostat_acceleration_needed"


def test_nbs_point_test_and_attainment_rate():
    met = _ts({2019: 6.0, 2020: 5.4, 2021: 5.0}, target=5.4)
    assert nbs(met).category[0] == "nbs_met" and nbs(met).status[0] == "achieved"
    assert nbs(met).value[0] == pytest.approx(-0.4)
    missed = _ts({2020: 6.1, 2021: 5.8}, target=5.4)
    assert nbs(missed).category[0] == "nbs_not_met"
    assert nbs(_ts({2021: np.nan}, target=5.4)).category[0] == "no_data"
    # 达标率 as in the 2016 mid-term report: 31 of 33 monitorable indicators met → 93.9 %
    from childplan_analysis.engine.assess import attainment_rate

    res = pd.DataFrame({"target_id": range(35),
                        "status": ["achieved"] * 31 + ["on_track"] * 2 + ["insufficient_data"] * 2})
    assert attainment_rate(res)["attainment_rate"].item() == pytest.approx(0.939, abs=1e-3)


def test_category_labels():
    assert category_label("escap_reverse_trend") == "扭转趋势"
    assert category_label("unsd_regression", "en") == "Regression"
