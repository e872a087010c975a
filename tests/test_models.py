import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from childplan_analysis.models import (
    MODELS,
    SeriesPanel,
    default_family,
    fit_model,
    fit_trend,
    forecast_path,
    pack_series,
    select_models,
)
from childplan_analysis.models.fit import _prepare, damped_pass, t_cdf, t_sf
from childplan_analysis.models.select import calibration_factor


def _panel(rows: list[list[float]], start: int = 2011) -> SeriesPanel:
    values = np.array(rows, dtype=float)
    years = np.arange(start, start + values.shape[1])
    return SeriesPanel(pd.DataFrame({"k": range(len(rows))}), years, values)


def _select(rows, natural="linear", low=0.0, high=np.nan, start=2011):
    panel = _panel(rows, start)
    k = panel.n_series
    return select_models(panel, np.full(k, natural), np.full(k, high), np.full(k, low))


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


def test_escap_time_weighted_regression_matches_statsmodels_wls():
    rng = np.random.default_rng(3)
    years = np.arange(2012, 2024)
    y = 30 - 0.8 * (years - 2012) + rng.normal(0, 0.6, len(years))
    fit = fit_trend(_panel([y], 2012), "escap")
    w = years - 2012 + 1.0
    wls = sm.WLS(y, sm.add_constant(years.astype(float)), weights=w).fit()
    pred = wls.get_prediction(np.array([[1.0, 2030.0]]), weights=np.array([w[-1]])).summary_frame(alpha=0.2)
    assert fit.slope[0] == pytest.approx(wls.params[1], rel=1e-10)
    assert fit.fitted(2030.0)[0] == pytest.approx(pred["mean"].iloc[0], rel=1e-10)
    assert fit.quantile(2030.0, 0.1)[0] == pytest.approx(pred["obs_ci_lower"].iloc[0], rel=1e-8)
    # recent years weigh more than in plain OLS: a late drop pulls the projection down further
    bent = y.copy()
    bent[-3:] -= 3
    escap = fit_trend(_panel([bent], 2012), "escap").fitted(2030.0)[0]
    ols = fit_trend(_panel([bent], 2012), "linear").fitted(2030.0)[0]
    assert escap < ols


def test_damped_recursion_matches_statsmodels_holt():
    rng = np.random.default_rng(4)
    years = np.arange(2010, 2022).astype(float)
    for _ in range(5):
        y = 40 + np.cumsum(rng.normal(0.7, 1.0, len(years)))
        alpha, beta_star, phi = 0.6, 0.3, 0.9
        z, mask = _prepare(_panel([y], 2010), np.array(["linear"]), np.array([np.inf]), np.array([-np.inf]))
        level, trend, *_ = damped_pass(z, mask, years, np.array([alpha]), np.array([alpha * beta_star]),
                                       np.array([phi]))
        ours = level[0, 0] + trend[0, 0] * sum(phi**i for i in range(1, 4))
        ref = ExponentialSmoothing(y[2:], trend="add", damped_trend=True, initialization_method="known",
                                   initial_level=y[1], initial_trend=y[1] - y[0]).fit(
            smoothing_level=alpha, smoothing_trend=beta_star, damping_trend=phi, optimized=False)
        assert ours == pytest.approx(ref.forecast(3)[-1], abs=1e-9)


def test_exact_exponential_decline_chooses_loglinear():
    # conventional scale deliberately linear: the data, not the default, must pick the log scale
    y = 30 * 0.92 ** np.arange(12)
    sel = _select([y], natural="linear", low=0.0, high=1000.0)
    assert sel.method[0] == "backtest"
    assert sel.fit.model[0] == "loglinear"
    assert sel.fit.fitted(2030.0)[0] == pytest.approx(30 * 0.92 ** (2030 - 2011), rel=1e-6)


def test_short_series_are_chosen_by_likelihood_or_keep_the_default():
    y = 30 * 0.8 ** np.arange(3)
    sel = _select([y], natural="linear", low=0.0, high=1000.0)
    assert sel.method[0] == "likelihood"
    assert sel.fit.model[0] == "loglinear"
    five = _select([30 * 0.8 ** np.arange(5)], natural="linear", low=0.0, high=1000.0)
    assert five.method[0] == "default" and five.fit.model[0] == "damped"


def test_flat_noisy_series_claims_no_trend():
    rng = np.random.default_rng(5)
    y = 50 + rng.normal(0, 4, 12)
    sel = _select([y], natural="linear", low=0.0, high=100.0)
    p_up = sel.fit.prob_slope_sign(1)[0]
    assert 0.05 < p_up < 0.95
    lo, hi = sel.fit.quantile(2030.0, 0.1)[0], sel.fit.quantile(2030.0, 0.9)[0]
    assert lo < 50 < hi


@pytest.mark.parametrize("model", MODELS)
def test_bounded_share_near_100_never_projected_above_bound(model):
    y = np.array([90, 93, 95, 96.5, 97.5, 98.2, 98.8, 99.3, 99.6, 99.9])
    panel = _panel([y])
    fit = fit_model(panel, model, "logit", 100.0, 0.0)
    for year in (2025.0, 2030.0, 2050.0):
        assert fit.quantile(year, 0.995)[0] <= 100
        assert fit.fitted(year)[0] <= 100
    assert fit.prob_between(2030.0, np.array([100.0]), np.array([np.inf]))[0] <= 1


def test_auto_choice_respects_bounds_too():
    y = np.array([90, 93, 95, 96.5, 97.5, 98.2, 98.8, 99.3, 99.6, 99.9])
    sel = _select([y], natural="logit", low=0.0, high=100.0)
    assert sel.fit.quantile(2040.0, 0.999)[0] <= 100


def test_loglinear_recovers_constant_rate_and_stays_positive():
    y = 10 * 0.9 ** np.arange(10)
    fit = fit_trend(_panel([y]), "loglinear")
    assert np.exp(fit.slope[0]) == pytest.approx(0.9)
    assert fit.quantile(2060.0, 0.01)[0] > 0


def test_missing_years_and_many_series_at_once():
    rows = [[1, 2, np.nan, 4, 5], [5, np.nan, np.nan, 2, 1], [np.nan] * 5]
    fit = fit_trend(_panel(rows), "linear")
    assert fit.n.tolist() == [4, 3, 0]
    assert fit.slope[0] == pytest.approx(1.0)
    assert fit.last_year[1] == 2015 and np.isnan(fit.last_year[2])


def test_selection_is_per_series():
    t = np.arange(12)
    rows = [30 * 0.9**t, 20 + 1.5 * t, np.r_[np.full(6, 50.0), np.full(6, 50.0)] + 0.01 * (t % 2)]
    sel = _select(rows, natural="linear", low=0.0, high=1000.0)
    assert sel.fit.model[0] == "loglinear"
    assert sel.fit.model[1] in ("linear", "escap")  # both exact for a straight line
    assert sel.fit.fitted(2030.0)[1] == pytest.approx(20 + 1.5 * 19, rel=1e-6)


def test_calibration_factor_widens_only_when_errors_are_too_large():
    assert calibration_factor(np.array([0.0]), np.array([0.0]))[0] == 1.0
    assert calibration_factor(np.array([10.0]), np.array([10.0]))[0] == pytest.approx(1.0)
    assert calibration_factor(np.array([40.0]), np.array([10.0]))[0] > 1.5
    assert calibration_factor(np.array([1.0]), np.array([10.0]))[0] == 1.0


def test_pack_series_round_trip():
    obs = pd.DataFrame({"region": ["a", "a", "b"], "indicator": ["x", "x", "x"], "year": [2020, 2022, 2021],
                        "value": [1.0, 3.0, 2.0]})
    panel = pack_series(obs, ["region", "indicator"])
    assert panel.years.tolist() == [2020, 2021, 2022]
    assert panel.keys["region"].tolist() == ["a", "b"]
    assert np.isnan(panel.values[0, 1]) and panel.values[1, 1] == 2.0


def test_prob_between_is_monotone_in_the_bound():
    y = 10 * 0.95 ** np.arange(8) * np.exp(np.random.default_rng(0).normal(0, 0.02, 8))
    fit = fit_trend(_panel([y]), "loglinear")
    ps = [fit.prob_between(2030.0, np.array([-np.inf]), np.array([b]))[0] for b in (3, 4, 5, 6, 8)]
    assert ps == sorted(ps)
    assert 0 <= ps[0] <= ps[-1] <= 1


def test_forecast_path_for_figures():
    y = 10 * 0.93 ** np.arange(9)
    frame = forecast_path(np.arange(2015, 2024), y, 2030, natural_scale="loglinear", bounds=(0, 1000))
    assert frame["year"].tolist() == list(range(2015, 2031))
    future = frame[frame["year"] > 2023]
    assert (future["lower"] <= future["fitted"]).all() and (future["fitted"] <= future["upper"]).all()
    assert frame.attrs["model"] in MODELS


def test_default_family():
    assert default_family("‰", "lower", (0, 1000)) == "loglinear"
    assert default_family("%", "higher", (0, 100)) == "logit"
    assert default_family("%", "higher", (0, 150)) == "linear"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(1, 99), min_size=3, max_size=12), st.sampled_from(MODELS))
def test_quantiles_ordered_and_inside_bounds(values, model):
    fit = fit_model(_panel([values]), model, "logit", 100.0, 0.0)
    qs = [fit.quantile(2030.0, q)[0] for q in (0.05, 0.5, 0.95)]
    assert 0 <= qs[0] <= qs[1] <= qs[2] <= 100


def test_a_registered_family_is_fitted_and_competes_in_model_choice():
    from childplan_analysis.models import ModelFamily, families, get_family, register
    from childplan_analysis.models.registry import unregister

    persistence = get_family("persistence")
    # the same random walk under a new name, eligible only for series bounded below by 0
    register(ModelFamily(name="walk", description="random walk", fit=persistence.fit,
                         expanding=persistence.expanding,
                         eligible=lambda lower, upper: np.isfinite(lower) & (lower >= 0)))
    try:
        assert families()[-1].name == "walk"
        rng = np.random.default_rng(4)
        walk = 50 + np.cumsum(rng.normal(0, 2, 14))
        sel = _select([walk, walk], low=0.0)
        assert "walk" in sel.candidates and sel.scores.shape[1] == len(sel.candidates)
        c = sel.candidates.index("walk")
        assert np.isfinite(sel.scores[:, c]).all()
        panel = _panel([walk])
        fit = fit_model(panel, "walk", "linear")
        assert fit.fitted(2030.0)[0] == pytest.approx(walk[-1])
        unbounded = select_models(panel, np.array(["linear"]), np.array([np.nan]), np.array([np.nan]))
        assert np.isnan(unbounded.scores[0, c])  # not eligible without a lower bound
    finally:
        unregister("walk")
    with pytest.raises(ValueError, match="unknown model"):
        fit_model(_panel([walk]), "walk", "linear")


def test_intervals_widen_when_the_recent_slope_departs_from_the_long_one():
    from childplan_analysis.models.departure import slope_departure

    rng = np.random.default_rng(4)
    t = np.arange(15, dtype=float)
    noise = rng.normal(0, 0.3, 15)
    straight = 80 + 1.0 * t + noise
    bent = 80 + np.where(t < 10, 1.0 * t, 10 + 0.1 * (t - 10)) + noise  # slows down in the last 5 years
    panel = _panel([list(straight), list(bent)], start=2010)
    fit = fit_model(panel, "linear", np.array(["linear", "linear"]), np.array([np.nan, np.nan]),
                    np.array([np.nan, np.nan]))
    d = slope_departure(panel, fit)
    assert d[1] > 0.2 and d[0] < 0.2 * d[1]
    widened = fit.with_drift(d)
    width = lambda f, year: f.quantile(year, 0.9) - f.quantile(year, 0.1)  # noqa: E731
    ratio = width(widened, 2030.0) / width(fit, 2030.0)
    assert ratio[1] > 1.5 and ratio[0] < 1.3
    # the widening grows with the horizon and leaves the point forecast alone
    assert widened.fitted(2030.0) == pytest.approx(fit.fitted(2030.0))
    gain = lambda year: width(widened, year)[1] / width(fit, year)[1]  # noqa: E731
    assert 1 <= gain(2025.0) < gain(2030.0)
    # too short to tell a recent slope from the long one: no widening
    short = _panel([list(bent[-6:])], start=2018)
    short_fit = fit_model(short, "linear", np.array(["linear"]), np.array([np.nan]), np.array([np.nan]))
    assert slope_departure(short, short_fit)[0] == 0
    # model choice applies it when it calibrates
    chosen = select_models(panel, np.array(["linear", "linear"]), np.array([np.nan, np.nan]),
                           np.array([np.nan, np.nan]))
    assert chosen.fit.drift[1] > 0
    assert (select_models(panel, np.array(["linear", "linear"]), np.array([np.nan, np.nan]),
                          np.array([np.nan, np.nan]), calibrate=False).fit.drift == 0).all()


def test_t_cdf_is_scipys_including_edges():
    from scipy import stats

    rng = np.random.default_rng(7)
    x = np.concatenate([rng.normal(0, 3, 500), [np.inf, -np.inf, np.nan, 0.0, 1.5, -2.0, 3.0, np.inf]])
    df = np.concatenate([rng.uniform(0.5, 40, 500), [3.0, 3.0, 3.0, 0.0, -1.0, np.nan, np.inf, np.nan]])
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(t_cdf(x, df), stats.t.cdf(x, df))
        np.testing.assert_array_equal(t_sf(x, df), stats.t.sf(x, df))
        np.testing.assert_array_equal(t_cdf(x, 4.0), stats.t.cdf(x, 4.0))


def test_t_quantiles_are_scipys():
    from scipy import stats

    from childplan_analysis.models.fit import _t_ppf

    df = np.array([1.0, 2.5, 3.0, 3.0, 40.0, np.inf, 0.0, -2.0, np.nan])
    for q in (0.05, 0.1, 0.5, 0.9, 0.975):
        with np.errstate(invalid="ignore"):
            np.testing.assert_array_equal(_t_ppf(q, df), stats.t.ppf(q, df))


def _ets(alpha: float, beta: float, phi: float, y: np.ndarray, level: float, trend: float):
    """statsmodels' ETS(A,Ad,N) with known parameters and initial state, smoothed over ``y``."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = pd.Series(y, index=pd.period_range("2000", periods=len(y), freq="Y"))
    model = ETSModel(series, error="add", trend="add", damped_trend=True, initialization_method="known",
                     initial_level=level, initial_trend=trend)
    return model.smooth(np.array([alpha, beta, phi]))


@pytest.mark.parametrize(("alpha", "beta", "phi"), [(0.4, 0.04, 0.98), (0.8, 0.32, 0.85), (0.6, 0.3, 0.9)])
def test_damped_h_step_variance_is_statsmodels_ets_analytic_variance(alpha, beta, phi):
    from childplan_analysis.models.damped_state import damped_var

    y = 40 + np.cumsum(np.random.default_rng(0).normal(0.7, 1.0, 12))
    res = _ets(alpha, beta, phi, y, y[0], 0.5)
    theirs = res.get_prediction(start=12, end=19).forecast_variance
    ours = res.mse * damped_var(alpha, beta, phi, np.arange(1.0, 9.0))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize("missing", [[], [1], [4, 5, 6]])
def test_damped_state_error_and_noise_estimate_match_ets_simulation(missing):
    """Series simulated by statsmodels from ETS(A,Ad,N) (σ = 1), some years missing: the damped
    trend started from the first two values forecasts h years ahead with error variance
    V(h) + w′Pw (not V(h) alone), and SSE / Σ(V(gap) + w′Pw) estimates σ² without bias."""
    from childplan_analysis.models.damped_state import (
        damped_sum,
        damped_var,
        state_terms,
        state_uncertainty,
    )

    alpha, beta, phi, fitted, ahead, reps = 0.4, 0.04, 0.98, 9, 5, 20_000
    res = _ets(alpha, beta, phi, np.zeros(fitted + ahead), 10.0, 0.5)
    sims = res.simulate(fitted + ahead, anchor="start", repetitions=reps,
                        rng=np.random.default_rng(11)).to_numpy().T  # (reps × years), σ² = mse of zeros
    sigma2 = res.mse
    mask = np.ones((reps, fitted), dtype=bool)
    mask[:, missing] = False
    years = np.arange(fitted, dtype=float)
    a, b, p = np.array([alpha]), np.array([beta]), np.array([phi])
    level, trend, sse, *_ = damped_pass(np.where(mask, sims[:, :fitted], 0.0), mask, years, a, b, p)
    p11, p12, p22, norm = state_uncertainty(mask, years, a, b, p, np.zeros(reps, dtype=int))
    assert np.mean(sse[0] / norm) == pytest.approx(sigma2, rel=0.03)
    for h in range(1, ahead + 1):
        growth = damped_sum(phi, np.float64(h))
        err = sims[:, fitted - 1 + h] - (level[0] + trend[0] * growth)
        state = state_terms((p11[0], p12[0], p22[0]), growth)
        assert state > 0.05 * damped_var(alpha, beta, phi, np.float64(h))  # the start's error matters
        assert err.var() == pytest.approx(sigma2 * (damped_var(alpha, beta, phi, np.float64(h)) + state), rel=0.04)


def test_damped_intervals_widen_monotonically_with_the_horizon():
    rng = np.random.default_rng(12)
    rows = [(40 + np.cumsum(rng.normal(0.8, 1.0, n))).tolist() + [np.nan] * (14 - n) for n in (4, 6, 9, 14)]
    panel = _panel(rows)
    years = np.arange(2025.0, 2041.0)
    for fit in (fit_model(panel, "damped", "linear"),
                select_models(panel, np.full(4, "linear"), np.full(4, np.nan), np.full(4, np.nan)).fit):
        width = fit.quantile(years[None, :], 0.9) - fit.quantile(years[None, :], 0.1)
        assert (np.diff(width, axis=1) > 0).all()
    # with the same parameters, the start's error weighs most on the shortest series and fades
    # as values accumulate (not always monotonically: the discount matrix may rotate)
    from childplan_analysis.models.damped_state import state_uncertainty
    from childplan_analysis.models.fit import damped_grid

    grid = damped_grid()
    p_trend = np.array([state_uncertainty(~np.isnan(panel.values), panel.years, *grid, np.full(4, c))[2]
                        for c in range(len(grid[0]))])
    assert (p_trend.argmax(axis=1) == 0).all() and (p_trend[:, 0] > 10 * p_trend[:, -1]).all()


def test_calibration_by_horizon_widens_where_the_backtest_errors_outgrow_the_model():
    from childplan_analysis.models.select import calibration_by_horizon

    # errors right one year ahead, four times the model's variance two and three years ahead
    sums, counts = np.array([[6.0, 20.0, 24.0, 0.0, 0.0]]), np.array([[6.0, 5.0, 6.0, 0.0, 0.0]])
    factor = calibration_by_horizon(sums, counts)[0]
    overall = calibration_factor(sums.sum(axis=1), counts.sum(axis=1))[0]
    assert factor[0] == 1.0  # the later errors do not widen the one-year interval
    assert 1.0 < factor[1] < factor[2] < 2.0  # each horizon shrunk toward the one before
    assert factor[2] > overall
    assert factor[3] == factor[4] == factor[2]  # no errors there: the horizon before
    # errors four times too large one year ahead widen every later year too
    early = calibration_by_horizon(np.array([[24.0, 0.0, 0.0, 0.0, 0.0]]), np.array([[6.0, 0, 0, 0, 0]]))[0]
    assert early[0] == pytest.approx(np.sqrt((4 + 24) / (4 + 6))) and (early[1:] == early[0]).all()
    assert (calibration_by_horizon(np.zeros((1, 5)), np.zeros((1, 5))) == 1).all()
    # right again three years ahead after errors too large two years ahead: never narrower further ahead
    dip = calibration_by_horizon(np.array([[6.0, 20.0, 6.0, 6.0, 6.0]]), np.array([[6.0, 5.0, 6.0, 6.0, 6.0]]))[0]
    assert dip[1] > 1.0 and (dip[2:] == dip[1]).all()
    # errors a quarter of the model's variance one year ahead narrow that year only; small errors
    # further ahead (where bends are rare and large) narrow nothing
    small = calibration_by_horizon(np.array([[1.5, 1.0, 1.0, 0.0, 0.0]]), np.array([[6.0, 5.0, 4.0, 0.0, 0.0]]))[0]
    assert small[0] == pytest.approx(np.sqrt((4 + 1.5) / (4 + 6))) and (small[1:] == 1.0).all()
    # model choice applies it per year ahead: a random walk fitted by OLS errs more the further ahead
    rng = np.random.default_rng(13)
    walks = 50 + np.cumsum(rng.normal(0, 1.0, (40, 16)), axis=1)
    sel = select_models(_panel(walks.tolist(), 2009), np.full(40, "linear"), np.full(40, np.nan),
                        np.full(40, np.nan), allowed=np.isin(np.array(MODELS), ["linear"])[None, :].repeat(40, 0))
    h = sel.fit.horizon_inflate
    assert h.shape == (40, 5) and (h[:, 1:] >= 1).all() and (h[:, 0] >= 1 / 3).all()
    assert min(h[:, 2].mean(), h[:, 4].mean()) > h[:, 0].mean() + 0.05
    widths = sel.fit.quantile(np.array([[2025.0, 2027.0, 2029.0]]), 0.9) - sel.fit.quantile(
        np.array([[2025.0, 2027.0, 2029.0]]), 0.1)
    assert (np.diff(widths, axis=1) > 0).all()


def test_an_empty_panel_and_series_without_values_predict_without_error():
    empty = SeriesPanel(pd.DataFrame({"k": []}), np.arange(2010, 2015), np.empty((0, 5)))
    for model in MODELS:
        assert fit_model(empty, model, "linear").quantile(2030.0, 0.9).shape == (0,)
    blank = _panel([[np.nan] * 5, [1.0, np.nan, np.nan, np.nan, 2.0]])
    fit = fit_model(blank, "damped", "linear")
    assert np.isnan(fit.quantile(2030.0, 0.9)[0]) and np.isfinite(fit.quantile(2030.0, 0.9)[1])


@pytest.mark.parametrize("nu", [1.0, 2.0, 3.0, 4.0, 8.0, 30.0])
def test_squared_scores_have_mean_one_under_the_forecast_for_every_df(nu):
    """Errors drawn from the forecast's own t distribution give squared scores of mean 1 for every
    ν, so the forecasts of series with few one-step errors count too (with ν ≤ 4 the normal
    scores, of variance 2, where u²(ν − 2)/ν has none); errors twice too large give more."""
    from scipy import stats

    from childplan_analysis.models.select import HEAVY_TAIL_DF, squared_score

    rng = np.random.default_rng(int(nu))
    u = stats.t.rvs(nu, size=200_000, random_state=rng)
    score = squared_score(u, np.zeros_like(u), np.ones_like(u), np.full_like(u, nu))
    assert np.isfinite(score).all()
    assert score.mean() == pytest.approx(1.0, abs=0.03)
    if nu <= HEAVY_TAIL_DF:
        assert score.var() == pytest.approx(2.0, rel=0.05)  # w standard normal: Var w² = 2
        w = stats.norm.ppf(stats.t.cdf(-np.abs(u[:50]), nu))
        np.testing.assert_allclose(score[:50], w**2, rtol=1e-9)
    else:
        np.testing.assert_allclose(score, u**2 * (nu - 2) / nu, rtol=1e-12)
    wide = squared_score(2 * u, np.zeros_like(u), np.ones_like(u), np.full_like(u, nu)).mean()
    assert wide > 1.5


def test_gain_evidence_is_the_one_sided_t_test_of_the_paired_gains_over_origins():
    from scipy import stats

    from childplan_analysis.models.select import SELECT_LEVEL, gain_evidence

    rng = np.random.default_rng(31)
    rows = []
    for _ in range(300):
        m = int(rng.integers(3, 20))
        origins = int(rng.integers(1, 7))
        d = rng.normal(rng.normal(0.3, 0.5), rng.uniform(0.1, 2), m)
        rows.append((d.sum(), (d * d).sum(), m, origins, d))
    gain_sum, gain_sq, count, origins = (np.array([r[i] for r in rows], dtype=float) for i in range(4))
    got = gain_evidence(gain_sum[:, None], gain_sq[:, None], count, origins)[:, 0]
    want = [o >= 2 and d.mean() > 0 and d.mean() / (d.std(ddof=1) / np.sqrt(o)) > stats.t.ppf(1 - SELECT_LEVEL, o - 1)
            for *_, o, d in rows]
    assert got.tolist() == want
    assert 0 < got.sum() < len(rows)


def test_a_candidate_must_beat_the_default_beyond_the_noise_of_the_backtest():
    """Series of one process (a damped trend's rise with noise): no family is truly better than
    the default, so a 10 % lower backtest MAE is mostly chance; the choice needs the gain to
    stand out across the origins and switches far less often than by the margin alone, while a
    consistently better family (an exact exponential decline) is still chosen."""
    from childplan_analysis.models.select import _pick, candidates_for

    rng = np.random.default_rng(32)
    t = np.arange(10)
    rows = 40 + 8 * (1 - 0.8 ** t)[None, :] + rng.normal(0, 0.6, (300, 10))
    panel = _panel(rows.tolist())
    k = panel.n_series
    natural, high, low = np.full(k, "linear"), np.full(k, 100.0), np.zeros(k)
    sel = select_models(panel, natural, high, low)
    assert (sel.method == "backtest").all()
    damped = list(MODELS).index("damped")
    by_margin = _pick(sel.scores, candidates_for(low, high), np.full(k, damped), np.full(k, 0), sel.n_forecasts)
    switched = (sel.fit.model != "damped").mean()
    assert (by_margin != damped).mean() > 0.2
    assert switched < 0.5 * (by_margin != damped).mean()
    exact = _select([30 * 0.92 ** np.arange(12)], natural="linear", low=0.0, high=1000.0)
    assert exact.fit.model[0] == "loglinear"
