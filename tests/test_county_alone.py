"""A county assessed alone: two or three years of every indicator, nothing else in the call.

Its short series borrow the slope wander the call cannot show from the national data's long
series (``models/reference.py``), truncated to the call's last observed year.
"""

import numpy as np
import pandas as pd
import pytest
from conftest import make_plan, series_frame

from childplan_analysis.core import config
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import default_family, pack_series
from childplan_analysis.models.pooling import (
    RELATIVE_SCALES,
    pooled_trend,
    random_effects,
    scale_families,
)
from childplan_analysis.models.reference import REFERENCE_KEYS, build_reference, national_reference

#: A county whose monitoring began with its 2021 plan (infant and under-5 mortality ‰, three
#: years; maternal mortality per 100,000, two).
COUNTY = {"infant_mortality": {2021: 5.1, 2022: 4.8, 2023: 4.6},
          "under5_mortality": {2021: 7.0, 2022: 6.6, 2023: 6.2},
          "maternal_mortality": {2021: 14.2, 2023: 11.8}}


def _frame(series: dict[str, dict[int, float]], region: str = "柳溪县") -> pd.DataFrame:
    return pd.concat([series_frame(v, ind, region=region) for ind, v in series.items()], ignore_index=True)


def _pooled(obs: pd.DataFrame, reference):
    """The engine's pooled fit of every series of ``obs`` (indicator groups, scale families)."""
    from childplan_analysis.core.indicators import load_indicators

    ind = load_indicators()
    panel = pack_series(obs, REFERENCE_KEYS)
    info = [ind.by_id[i] for i in panel.keys["indicator"]]
    scale = np.array([default_family(i.unit, i.polarity, i.bounds) for i in info])
    up = np.array([np.nan if i.bounds[1] is None else i.bounds[1] for i in info], dtype=float)
    lo = np.array([np.nan if i.bounds[0] is None else i.bounds[0] for i in info], dtype=float)
    indicator = panel.keys["indicator"].to_numpy()
    pooled = pooled_trend(panel, scale, up, lo, pd.factorize(indicator)[0], families=scale_families(scale),
                          reference=reference, indicator=indicator)
    return panel, scale, pooled


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return load_observations(config.NATIONAL_DATA_DIR)


def test_a_county_alone_widens_with_the_references_wander():
    reference = national_reference()
    panel, scale, pooled = _pooled(_frame(COUNTY), reference)
    n = (~np.isnan(panel.values)).sum(axis=1)
    assert set(n) == {2, 3} and pooled.has_prior.all()
    q = reference.wander(panel.keys["indicator"].to_numpy(), scale, np.clip(n, 3, 5), 2023, RELATIVE_SCALES)
    assert np.isfinite(q).all() and (q > 0).all()
    np.testing.assert_allclose(pooled.fit.drift, q)
    widths = []
    for h in range(1, 8):
        mean, s = pooled.fit.predict(2023.0 + h)
        assert (s >= q * h).all()
        widths.append(pooled.fit.quantile(2023.0 + h, 0.9) - pooled.fit.quantile(2023.0 + h, 0.1))
    assert (np.diff(np.array(widths), axis=0) > 0).all()
    # off: the call alone, no wander (the behaviour before the reference)
    _, _, bare = _pooled(_frame(COUNTY), None)
    assert (bare.fit.drift == 0).all()


def test_a_county_alone_gets_no_near_certain_p_meet(monkeypatch):
    bounds = [4.0, 6.0, 8.0, 10.0, 12.0]
    plan = make_plan([{"id": f"{ind}_{b}", "indicator": ind, "comparator": "<=", "value": b * scale}
                      for ind, scale in (("maternal_mortality", 1.0), ("infant_mortality", 0.4),
                                         ("under5_mortality", 0.55)) for b in bounds], region="柳溪县")
    rows = assess(_frame(COUNTY), plan)
    assert (rows["model_choice"] == "pooled").all()
    inside = rows["target_value"].between(rows["lower"], rows["upper"])
    assert inside.sum() >= 3
    # a target inside the 80 % interval is met with probability between 0.1 and 0.9
    assert rows.loc[inside, "p_meet"].between(0.1, 0.9).all()
    maternal = rows.set_index("target_id").loc["maternal_mortality_10.0"]
    assert maternal["p_meet"] < 0.98  # two values seven years ahead
    monkeypatch.setattr(config, "POOL_REFERENCE", False)
    before = assess(_frame(COUNTY), plan).set_index("target_id")
    assert before.loc["maternal_mortality_10.0", "p_meet"] > 0.98
    after = rows.set_index("target_id")
    assert (after["upper"] - after["lower"] > before["upper"] - before["lower"]).all()


def test_long_siblings_in_the_call_lend_their_own_windows_and_not_the_reference(national):
    totals = national[(national["region"] == "全国") & (national["area"] == "total")
                      & national["indicator"].isin(list(COUNTY)) & (national["year"] <= 2023)]
    obs = pd.concat([_frame(COUNTY), totals[[*REFERENCE_KEYS, "year", "value"]]], ignore_index=True)
    panel, _, with_ref = _pooled(obs, national_reference())
    _, _, without = _pooled(obs, None)
    county = (panel.keys["region"] == "柳溪县").to_numpy()
    assert (with_ref.fit.drift[county] > 0).all()
    np.testing.assert_array_equal(with_ref.fit.drift, without.fit.drift)
    np.testing.assert_array_equal(with_ref.fit.quantile(2030.0, 0.9), without.fit.quantile(2030.0, 0.9))


def test_the_reference_never_sees_past_the_calls_last_year(national):
    reference = build_reference(national)
    early = build_reference(national[national["year"] <= 2015])
    indicator = np.array(["maternal_mortality", "infant_mortality", "compulsory_education_retention"])
    scale = np.array(["loglinear", "loglinear", "logit"])
    window = np.array([3, 4, 3])
    for last in (2015, 2016):
        got = reference.wander(indicator, scale, window, last, RELATIVE_SCALES)
        np.testing.assert_array_equal(got, reference.wander(indicator, scale, window, last, RELATIVE_SCALES))
        if last == 2015:
            np.testing.assert_allclose(got, early.wander(indicator, scale, window, last, RELATIVE_SCALES))
    later = reference.wander(indicator, scale, window, 2024, RELATIVE_SCALES)
    assert not np.allclose(later, reference.wander(indicator, scale, window, 2015, RELATIVE_SCALES),
                           equal_nan=True)
    # a county whose data end in 2015 borrows what the national data held up to 2015
    county = {k: {y - 8: v for y, v in series.items()} for k, series in COUNTY.items()}
    panel, scale, pooled = _pooled(_frame(county), reference)
    n = (~np.isnan(panel.values)).sum(axis=1)
    np.testing.assert_allclose(pooled.fit.drift, early.wander(panel.keys["indicator"].to_numpy(), scale,
                                                              np.clip(n, 3, 5), 2015, RELATIVE_SCALES))


def test_a_four_value_county_takes_windows_of_its_own_length_from_the_reference():
    four = {k: {2020: v[2021] * 1.04, **v, 2022: v.get(2022, v[2021] * 0.91)} for k, v in COUNTY.items()}
    reference = national_reference()
    panel, scale, pooled = _pooled(_frame(four), reference)
    n = (~np.isnan(panel.values)).sum(axis=1)
    assert (n == 4).all()
    expected = reference.wander(panel.keys["indicator"].to_numpy(), scale, n, 2023, RELATIVE_SCALES)
    np.testing.assert_allclose(pooled.fit.drift, expected)
    # without the reference the call's own windows of three (one year ahead each) are all it has
    _, _, bare = _pooled(_frame(four), None)
    assert not np.allclose(bare.fit.drift, expected)


def test_few_agreeing_slopes_get_a_between_series_variance_of_the_likelihoods_mode():
    """DerSimonian–Laird's τ² = 0 is replaced by the mode of the likelihood times a density ∝ τ."""
    for m in (2, 3, 8):  # m agreeing estimates of variance v: ∑ τ²/(v + τ²) = 1, τ² = v/(m − 1)
        re = random_effects(np.full(m, -0.05), np.full(m, 0.01), np.ones(m, dtype=bool), np.zeros(m, dtype=int), 1)
        assert re.tau2[0] == pytest.approx(0.01 / (m - 1), rel=1e-6)
    b, v = np.array([-0.05, -0.052, -0.047]), np.array([4e-4, 1e-4, 9e-4])
    group = np.zeros(3, dtype=int)
    re = random_effects(b, v, np.ones(3, dtype=bool), group, 1)

    def objective(t: float) -> float:  # the penalised log-likelihood, μ at its weighted mean
        w = 1 / (v + t)
        mu = (w * b).sum() / w.sum()
        return -0.5 * np.log(v + t).sum() - 0.5 * (w * (b - mu) ** 2).sum() + 0.5 * np.log(t)

    grid = np.geomspace(1e-8, 1e-1, 20001)
    best = grid[np.argmax([objective(t) for t in grid])]
    assert re.tau2[0] == pytest.approx(best, rel=2e-3)
    # heterogeneity DerSimonian–Laird sees is kept as it is
    spread = random_effects(np.array([-0.1, 0.0, 0.1]), np.full(3, 1e-4), np.ones(3, dtype=bool), group, 1)
    w = np.full(3, 1e4)
    q = (w * np.array([-0.1, 0.0, 0.1]) ** 2).sum()
    assert spread.tau2[0] == pytest.approx((q - 2) / (w.sum() - (w**2).sum() / w.sum()))
