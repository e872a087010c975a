import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from childplan_analysis.models import SeriesPanel, default_family, fit_trend, pack_series


def _panel(rows: list[list[float]], start: int = 2011) -> SeriesPanel:
    values = np.array(rows, dtype=float)
    years = np.arange(start, start + values.shape[1])
    return SeriesPanel(pd.DataFrame({"k": range(len(rows))}), years, values)


def test_linear_fit_and_interval_match_statsmodels():
    rng = np.random.default_rng(1)
    years = np.arange(2010, 2022)
    y = 50 + 1.5 * (years - 2010) + rng.normal(0, 1, len(years))
    fit = fit_trend(_panel([y], 2010), "linear")
    X = sm.add_constant(years.astype(float))
    ols = sm.OLS(y, X).fit()
    pred = ols.get_prediction(np.array([[1.0, 2030.0]])).summary_frame(alpha=0.2)
    assert fit.slope[0] == pytest.approx(ols.params[1], rel=1e-10)
    assert fit.fitted(2030.0)[0] == pytest.approx(pred["mean"].iloc[0], rel=1e-10)
    assert fit.quantile(2030.0, 0.1)[0] == pytest.approx(pred["obs_ci_lower"].iloc[0], rel=1e-8)
    assert fit.quantile(2030.0, 0.9)[0] == pytest.approx(pred["obs_ci_upper"].iloc[0], rel=1e-8)


def test_loglinear_recovers_constant_rate_and_stays_positive():
    y = 10 * 0.9 ** np.arange(10)
    fit = fit_trend(_panel([y]), "loglinear")
    assert np.exp(fit.slope[0]) == pytest.approx(0.9)
    assert fit.quantile(2060.0, 0.01)[0] > 0


def test_logit_never_projects_above_bound():
    y = np.array([90, 93, 95, 96.5, 97.5, 98.2, 98.8])
    fit = fit_trend(_panel([y]), "logit", 100.0)
    for year in (2025.0, 2030.0, 2050.0):
        assert fit.quantile(year, 0.99)[0] < 100


def test_missing_years_and_many_series_at_once():
    rows = [[1, 2, np.nan, 4, 5], [5, np.nan, np.nan, 2, 1], [np.nan] * 5]
    fit = fit_trend(_panel(rows), "linear")
    assert fit.n.tolist() == [4, 3, 0]
    assert fit.slope[0] == pytest.approx(1.0)
    assert fit.last_year[1] == 2015 and np.isnan(fit.last_year[2])


def test_pack_series_round_trip():
    obs = pd.DataFrame({"region": ["a", "a", "b"], "indicator": ["x", "x", "x"], "year": [2020, 2022, 2021],
                        "value": [1.0, 3.0, 2.0]})
    panel = pack_series(obs, ["region", "indicator"])
    assert panel.years.tolist() == [2020, 2021, 2022]
    assert np.isnan(panel.values[0, 1]) and panel.values[1, 1] == 2.0


def test_prob_between_is_monotone_in_the_bound():
    y = 10 * 0.95 ** np.arange(8) * np.exp(np.random.default_rng(0).normal(0, 0.02, 8))
    fit = fit_trend(_panel([y]), "loglinear")
    ps = [fit.prob_between(2030.0, np.array([-np.inf]), np.array([b]))[0] for b in (3, 4, 5, 6, 8)]
    assert ps == sorted(ps)
    assert 0 <= ps[0] <= ps[-1] <= 1


def test_default_family():
    assert default_family("‰", "lower", (0, 1000)) == "loglinear"
    assert default_family("%", "higher", (0, 100)) == "logit"
    assert default_family("%", "higher", (0, 150)) == "linear"
