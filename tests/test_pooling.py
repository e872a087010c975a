"""Partial pooling on relative scales: siblings, the indicator's family, moderated noise, and the
short-series backtest's split (no look-ahead)."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import special

from childplan_analysis.core import config
from childplan_analysis.models import SeriesPanel
from childplan_analysis.models.moderation import moderate, noise_prior, trigamma_inverse
from childplan_analysis.models.pooling import (
    kin_codes,
    pooled_trend,
    random_effects,
    scale_families,
)
from childplan_analysis.models.wander import wander_sums

YEARS = np.arange(2010, 2025)


def _panel(rows: list[np.ndarray]) -> SeriesPanel:
    return SeriesPanel(pd.DataFrame({"k": range(len(rows))}), YEARS, np.vstack(rows))


def _falling(level: float, rate: float, rng, noise: float = 0.02) -> np.ndarray:
    """A rate falling ``rate`` a year (relative), with multiplicative noise."""
    return level * np.exp(np.log(1 - rate) * (YEARS - 2010) + rng.normal(0, noise, len(YEARS)))


def test_a_short_county_borrows_a_relative_slope_from_siblings_at_other_levels():
    """Siblings fall 5 %/yr from very different levels (10 to 80 per 1000): on the log scale their
    slopes agree, so a 3-point county that rose gets a slope between its own and theirs."""
    rng = np.random.default_rng(1)
    siblings = [_falling(level, 0.05, rng) for level in (10, 20, 40, 80, 15, 30)]
    short = np.full(len(YEARS), np.nan)
    short[-3:] = [12.0, 12.3, 12.5]
    k = len(siblings) + 1
    res = pooled_trend(_panel([*siblings, short]), np.full(k, "loglinear"), np.full(k, np.nan), np.zeros(k),
                       np.zeros(k, dtype=int))
    own, pooled, prior = res.own_slope[-1], res.fit.slope[-1], res.prior_mean[-1]
    assert prior == pytest.approx(np.log(0.95), abs=0.01)
    assert prior < pooled < own and res.shrinkage[-1] > 0.5
    # the long siblings keep their own slopes
    assert np.abs(res.fit.slope[:-1] - res.own_slope[:-1]).max() < 0.01 * abs(prior)
    # on the linear scale the same siblings' slopes (−0.5 to −4 a year) disagree and lend less
    lin = pooled_trend(_panel([*siblings, short]), np.full(k, "linear"), np.full(k, np.nan), np.full(k, np.nan),
                       np.zeros(k, dtype=int))
    assert lin.shrinkage[-1] < res.shrinkage[-1]


def test_an_indicator_without_siblings_borrows_from_its_family():
    """A 3-point rate with no other region borrows from the other falling rates of the call."""
    rng = np.random.default_rng(2)
    family = [_falling(lv, r, rng) for lv, r in ((6.0, 0.06), (15.0, 0.05), (8.0, 0.07), (20.0, 0.04))]
    short = np.full(len(YEARS), np.nan)
    short[-3:] = [3.0, 3.1, 3.05]
    k = len(family) + 1
    scale = np.full(k, "loglinear")
    groups = np.arange(k)  # every series its own indicator: no siblings
    alone = pooled_trend(_panel([*family, short]), scale, np.full(k, np.nan), np.zeros(k), groups)
    assert not alone.has_prior[-1]
    res = pooled_trend(_panel([*family, short]), scale, np.full(k, np.nan), np.zeros(k), groups,
                       families=scale_families(scale))
    assert res.has_prior[-1] and res.fit.slope[-1] < res.own_slope[-1]
    assert np.log(0.93) < res.prior_mean[-1] < np.log(0.96)
    # linear indicators have no family: slopes in different units are not compared
    assert (scale_families(np.array(["linear", "loglinear", "logit"])) == [-1, 0, 1]).all()


def test_group_means_are_shrunk_toward_the_family_mean():
    """Two indicators of one family: a group whose mean is poorly known moves toward the family."""
    b = np.array([-0.05, -0.06, -0.055, 0.02, 0.10])
    v = np.array([1e-5, 1e-5, 1e-5, 0.01, 0.01])
    groups = np.array([0, 0, 0, 1, 1])
    re = random_effects(b, v, np.ones(5, dtype=bool), groups, 2)
    assert re.mu[0] == pytest.approx(-0.055, abs=0.003)
    assert re.var_mu[1] > 100 * re.var_mu[0]
    # the spread of group 1 is within its noise: DerSimonian–Laird gives 0, two estimates are no
    # evidence of none, and the boundary-avoiding mode is of the order of their own variances
    assert 0 < re.tau2[1] <= v[3] * 2


def test_noise_prior_weight_follows_how_alike_the_variances_are():
    assert trigamma_inverse(special.polygamma(1, np.array([0.7, 3.0, 40.0]))) == pytest.approx([0.7, 3.0, 40.0],
                                                                                              rel=1e-6)
    rng = np.random.default_rng(5)
    d = np.full(200, 4.0)
    alike = rng.chisquare(4, 200) / 4 * 0.5  # one σ² = 0.5 for all
    prior = noise_prior(alike, d, np.zeros(200, dtype=int), 1, fallback_df=4.0)
    assert prior.df[0] > 30 and prior.s2[0] == pytest.approx(0.5, rel=0.15)
    sigma2 = np.exp(rng.normal(0, 1.5, 200))  # variances that differ a lot
    unalike = noise_prior(sigma2 * rng.chisquare(4, 200) / 4, d, np.zeros(200, dtype=int), 1, 4.0)
    assert unalike.df[0] < 3
    assert moderate(np.array([2.0]), np.array([1.0]), unalike.s2, unalike.df)[0] == pytest.approx(
        (unalike.df[0] * unalike.s2[0] + 2.0) / (unalike.df[0] + 1))
    # too few series to tell: the fixed prior weight
    few = noise_prior(np.array([1.0, 2.0]), np.array([3.0, 3.0]), np.zeros(2, dtype=int), 1, fallback_df=4.0)
    assert few.df[0] == 4.0 and few.s2[0] == pytest.approx(1.5)


def test_a_short_series_borrows_the_slope_wander_of_its_familys_long_series():
    """Long series whose pace keeps changing widen a short series' interval, more the further ahead;
    long series on straight trends do not."""
    rng = np.random.default_rng(6)
    t = YEARS - 2010
    bending = [np.exp(np.log(lv) + np.cumsum(np.cumsum(rng.normal(0, 0.02, 15))) + rng.normal(0, 0.005, 15))
               for lv in (10, 20, 30, 15, 25)]
    straight = [np.exp(np.log(lv) - 0.05 * t + rng.normal(0, 0.005, 15)) for lv in (10, 20, 30, 15, 25)]
    short = np.full(len(YEARS), np.nan)
    short[-4:] = [5.0, 4.8, 4.5, 4.4]
    k = 6
    scale = np.full(k, "loglinear")
    fam = scale_families(scale)
    groups = np.arange(k)

    def fit(rows):
        return pooled_trend(_panel([*rows, short]), scale, np.full(k, np.nan), np.zeros(k), groups, families=fam).fit

    wandering, steady = fit(bending), fit(straight)
    assert wandering.drift[-1] > 0.01 and steady.drift[-1] < 0.2 * wandering.drift[-1]
    assert (wandering.drift[:-1] == 0).all()  # long series keep their own intervals
    width = lambda f, year: (f.quantile(year, 0.9) - f.quantile(year, 0.1))[-1]  # noqa: E731
    assert width(wandering, 2029.0) / width(steady, 2029.0) > width(wandering, 2025.0) / width(steady, 2025.0) > 1


def test_wander_is_the_excess_of_window_errors_over_noise():
    """Straight trends with noise: the windows' errors are noise alone, q ≈ 0; a random-walk slope
    gives q near its variance per year² (errors grow like h²)."""
    rng = np.random.default_rng(9)
    years = np.arange(2000, 2025).astype(float)
    k = 400
    straight = 1.0 - 0.05 * (years - 2000) + rng.normal(0, 0.02, (k, len(years)))
    mask = np.ones_like(straight, dtype=bool)
    num, den = wander_sums(straight, mask, years, 4, 5)
    assert abs(num.sum() / den.sum()) < 5e-6
    slopes = -0.05 + np.cumsum(rng.normal(0, 0.01, (k, len(years))), axis=1)
    walk = np.cumsum(slopes, axis=1) + rng.normal(0, 0.005, (k, len(years)))
    num, den = wander_sums(walk, mask, years, 4, 5)
    assert 2e-5 < num.sum() / den.sum() < 5e-4  # slope steps of SD 0.01 a year: q of order 1e-4


def _backtest_module():
    path = config.PROJECT_ROOT / "benchmarks" / "backtest.py"
    spec = importlib.util.spec_from_file_location("backtest_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_short_series_backtest_never_sees_a_cut_series_own_past_or_the_future():
    bt = _backtest_module()
    rng = np.random.default_rng(7)
    rows = [_falling(lv, r, rng) for lv, r in ((10, 0.05), (20, 0.06), (30, 0.04), (12, 0.05))]
    panel = _panel(rows)
    natural = np.full(4, "loglinear")
    high, low = np.full(4, np.nan), np.zeros(4)
    groups = np.array([0, 0, 1, 1])
    origin = 2019
    past = panel.up_to(origin)
    assert np.isnan(past.values[:, YEARS > origin]).all()
    cut = bt.cut_to_last(past, 3)
    unpooled = bt.select_models(cut, natural, high, low).fit
    kin = kin_codes(natural, np.full(4, "‰"))
    fit, use, _ = bt.pooled_short(past, cut, natural, high, low, groups, unpooled, kin)
    assert use.all()
    # series 0's own values before the cut do not move its pooled forecast; a sibling's do
    changed = past.values.copy()
    changed[0, :5] *= 3
    fit2, *_ = bt.pooled_short(SeriesPanel(past.keys, YEARS, changed), cut, natural, high, low, groups, unpooled,
                               kin)
    assert fit2.fitted(2022.0)[0] == pytest.approx(fit.fitted(2022.0)[0], rel=1e-12)
    changed[1, :5] *= 3
    fit3, *_ = bt.pooled_short(SeriesPanel(past.keys, YEARS, changed), cut, natural, high, low, groups, unpooled,
                               kin)
    assert fit3.fitted(2022.0)[0] != pytest.approx(fit.fitted(2022.0)[0], rel=1e-9)


def test_a_short_series_borrows_its_siblings_noise_about_a_line_not_the_bends_of_their_long_trends():
    """Siblings whose 15-year decline bends (faster, then slower) with little noise: their
    residuals about one straight line are mostly the bend. A 4-value county borrows the noise
    about a line through their last values, near the true noise."""
    rng = np.random.default_rng(14)
    t = (YEARS - 2010).astype(float)
    noise = 0.01
    siblings = [level * np.exp(-0.12 * t + 0.005 * t**2 + rng.normal(0, noise, len(t)))
                for level in (10, 20, 40, 80, 15, 30)]
    short = np.full(len(YEARS), np.nan)
    short[-4:] = 6.0 * np.exp(-0.03 * np.arange(4) + rng.normal(0, noise, 4))
    k = len(siblings) + 1
    res = pooled_trend(_panel([*siblings, short]), np.full(k, "loglinear"), np.full(k, np.nan), np.zeros(k),
                       np.zeros(k, dtype=int))
    long_sd = np.array([np.polyfit(t, np.log(s), 1, full=True)[1][0] / (len(t) - 2) for s in siblings]) ** 0.5
    assert long_sd.min() > 5 * noise  # one line through 15 years: the bend dominates
    assert res.fit.resid_sd[-1] < 2 * noise


def test_a_noise_prior_weighs_no_more_than_the_residuals_it_is_estimated_from():
    """Three series whose variances agree exactly: Smyth's d₀ is unbounded, but the prior rests on
    their 3 × 3 degrees of freedom, and a short series moderated toward it keeps its own share."""
    s2, d = np.array([0.04, 0.04, 0.04]), np.array([3.0, 3.0, 3.0])
    prior = noise_prior(s2, d, np.zeros(3, dtype=int), 1, config.POOL_NOISE_DF)
    many = noise_prior(np.full(60, 0.04), np.full(60, 3.0), np.zeros(60, dtype=int), 1, config.POOL_NOISE_DF)
    assert prior.df[0] == 9.0 and many.df[0] == 100.0  # enough residuals: the cap of the moment estimate
    assert prior.s2[0] == pytest.approx(many.s2[0])  # the weight is capped, not the estimate
    # a 3-value series (1 df) of four times the noise keeps 1/10 of its own variance, not 1/101
    assert moderate(np.array([0.16]), np.array([1.0]), prior.s2, prior.df)[0] == pytest.approx(
        (9 * prior.s2[0] + 0.16) / 10)


def test_a_pooled_three_value_series_widens_at_least_as_fast_as_its_slope_uncertainty():
    """h years after the last of three values, the pooled scale is at least (h + 1)·sd(slope)
    (the distance from their mean year) and grows with h, and p_meet rests on the same scale."""
    rng = np.random.default_rng(21)
    siblings = [_falling(lv, r, rng) for lv, r in ((10, 0.05), (20, 0.03), (40, 0.07), (15, 0.04), (30, 0.06))]
    short = np.full(len(YEARS), np.nan)
    short[-3:] = [8.0, 7.7, 7.5]
    k = len(siblings) + 1
    res = pooled_trend(_panel([*siblings, short]), np.full(k, "loglinear"), np.full(k, np.nan), np.zeros(k),
                       np.zeros(k, dtype=int))
    fit = res.fit
    assert res.has_prior[-1] and 0 < res.shrinkage[-1] < 1
    sd_slope = fit.trend_se[-1]
    ahead = np.arange(1, 8, dtype=float)
    mean, scale = fit.predict(YEARS[-1] + ahead[None, :].repeat(k, 0))
    assert (scale[-1] >= (ahead + 1) * sd_slope).all()
    assert (np.diff(scale[-1]) > 0).all() and (np.diff(scale[-1] / (ahead + 1)) < 0).all()
    # p_meet of "at most the median" is ½, of "at most one predictive scale above it" the t's
    year = float(YEARS[-1] + 5)
    med = fit.fitted(year)[-1]
    p_half = fit.prob_between(year, np.full(k, -np.inf), np.full(k, med))[-1]
    assert p_half == pytest.approx(0.5, abs=1e-9)
    one_up = np.exp(mean[-1, 4] + scale[-1, 4])
    p_up = fit.prob_between(year, np.full(k, -np.inf), np.full(k, one_up))[-1]
    assert p_up == pytest.approx(special.stdtr(fit.df[-1], 1.0), abs=1e-9)


def test_without_windows_of_its_length_a_short_series_takes_the_wander_of_shorter_ones():
    """The family's long series hold runs of three consecutive years only (a survey every year for
    three years, then a gap): a four-value series has no four-year window to learn from and takes
    the wander of the three-year windows, not none; with four-year runs it takes those."""
    rng = np.random.default_rng(23)
    t = (YEARS - 2010).astype(float)

    def bending(level: float) -> np.ndarray:
        return np.exp(np.log(level) + np.cumsum(np.cumsum(rng.normal(0, 0.02, 15))) + rng.normal(0, 0.005, 15))

    long = [bending(lv) for lv in (10, 20, 30, 15, 25)]
    runs_of_three = [np.where(t % 4 == 3, np.nan, s) for s in long]
    short = np.full(len(YEARS), np.nan)
    short[-4:] = [5.0, 4.8, 4.5, 4.4]
    k = 6
    scale = np.full(k, "loglinear")

    def drift(rows):
        return pooled_trend(_panel([*rows, short]), scale, np.full(k, np.nan), np.zeros(k), np.arange(k),
                            families=scale_families(scale)).fit.drift[-1]

    def sums(rows, length):  # the family's windows, the short series' own included
        z = np.log(np.vstack([*rows, short]))
        num, den = wander_sums(np.nan_to_num(z), ~np.isnan(z), YEARS, length, config.BACKTEST_HORIZON)
        return num.sum(), den.sum()

    num3, den3 = sums(runs_of_three, 3)
    assert sums(runs_of_three, 4)[1] == 0 and den3 > 0
    assert drift(runs_of_three) == pytest.approx(np.sqrt(max(num3 / den3, 0.0)))
    assert drift(runs_of_three) > 0.005
    num4, den4 = sums(long, 4)
    assert drift(long) == pytest.approx(np.sqrt(max(num4 / den4, 0.0)))


def test_a_noise_prior_without_the_series_own_indicator_is_the_prior_of_the_other_indicators():
    """Per series, the kin's noise prior less its own group equals Smyth's prior over exactly the
    kin's other indicators' series."""
    from childplan_analysis.models.moderation import noise_prior_excluding

    rng = np.random.default_rng(21)
    k = 40
    groups = rng.integers(0, 8, k)
    kin = np.array([0, 0, 0, 1, 1, 2, 2, 2])[groups]  # each indicator within one kin
    s2 = rng.lognormal(-4, 1, k)
    d = rng.integers(0, 6, k).astype(float)
    lent = noise_prior_excluding(s2, d, kin, 3, groups, 8, 4.0)
    for i in range(k):
        others = (kin == kin[i]) & (groups != groups[i])
        direct = noise_prior(s2[others], d[others], np.zeros(others.sum(), dtype=int), 1, 4.0)
        assert lent.count[i] == direct.count[0]
        if direct.count[0]:
            assert lent.s2[i] == pytest.approx(direct.s2[0], rel=1e-9)
            assert lent.df[i] == pytest.approx(direct.df[0], rel=1e-9)


def _enrolment_call(extra_unit: str = "个") -> tuple[SeriesPanel, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray, np.ndarray]:
    """A 4-value enrolment rate (its first value years before the rest, a smooth run since), two
    longer linear-scale rates in points of a share whose pace wanders, and a count."""
    rng = np.random.default_rng(22)
    short = np.full(len(YEARS), np.nan)
    short[[1, 6, 7, 8]] = [67.6, 75.1, 76.65, 78.1]
    # their pace wanders (a random walk of ±0.3 points a year), their values scatter by 0.5
    others = [50 + np.cumsum(1.2 + np.cumsum(rng.normal(0, 0.3, len(YEARS)))) + rng.normal(0, 0.5, len(YEARS))
              for _ in range(2)]
    count = 3000 + 40 * (YEARS - 2010) + rng.normal(0, 60, len(YEARS))
    panel = _panel([short, *others, count])
    panel = panel.up_to(2018)
    scale = np.full(4, "linear")
    unit = np.array(["%", "%", "%", extra_unit])
    return panel, scale, np.full(4, 150.0), np.zeros(4), np.arange(4), kin_codes(scale, unit), unit


def test_a_short_series_that_can_neither_backtest_nor_borrow_takes_its_kins_noise_and_wander():
    from childplan_analysis.models import select_models
    from childplan_analysis.models.fit import DAMPED
    from childplan_analysis.models.kin import kin_noise

    panel, scale, up, lo, groups, kin, _ = _enrolment_call()
    chosen = select_models(panel, scale, up, lo).fit
    assert chosen.kind[0] == DAMPED and chosen.n[0] == 4
    fit, borrowed = kin_noise(chosen, np.array([True, False, False, False]), panel, scale, up, lo, groups, kin,
                              np.arange(4))
    assert borrowed.tolist() == [True, False, False, False]
    # the smooth run's own σ is far below the others' 0.5 points; the moderated σ lies between
    assert chosen.resid_sd[0] < 0.2 < fit.resid_sd[0] < 0.6
    assert fit.df[0] == chosen.df[0] + config.POOL_NOISE_DF  # two lenders: the fixed prior weight
    assert fit.drift[0] > 0 and (chosen.drift[0] == 0)
    # the point forecast is its own; the interval widens
    assert fit.fitted(2021.0)[0] == chosen.fitted(2021.0)[0]
    width = fit.quantile(2021.0, 0.9) - fit.quantile(2021.0, 0.1)
    before = chosen.quantile(2021.0, 0.9) - chosen.quantile(2021.0, 0.1)
    assert width[0] > before[0]
    # the other series keep their fits
    assert (fit.resid_sd[1:] == chosen.resid_sd[1:]).all()


def test_only_the_kin_lends_noise_a_count_and_the_series_own_indicator_do_not():
    from childplan_analysis.models import select_models
    from childplan_analysis.models.kin import kin_noise

    panel, scale, up, lo, groups, kin, _ = _enrolment_call()
    chosen = select_models(panel, scale, up, lo).fit
    asks = np.array([True, False, False, False])
    fit, _ = kin_noise(chosen, asks, panel, scale, up, lo, groups, kin, np.arange(4))
    # a count in another unit changes nothing
    noisy = panel.values.copy()
    noisy[3] *= np.random.default_rng(3).uniform(0.5, 1.5, noisy.shape[1])
    fit2, _ = kin_noise(chosen, asks, SeriesPanel(panel.keys, panel.years, noisy), scale, up, lo, groups, kin,
                        np.arange(4))
    assert fit2.resid_sd[0] == fit.resid_sd[0] and fit2.df[0] == fit.df[0]
    # with the count alone in its kin (other unit), nothing is lent
    alone_kin = kin_codes(scale, np.array(["%", "个", "个", "个"]))
    fit3, borrowed = kin_noise(chosen, asks, panel, scale, up, lo, groups, alone_kin, np.arange(4))
    assert not borrowed.any() and fit3.resid_sd[0] == chosen.resid_sd[0]
    # the other rates as series of its own indicator (siblings) are left out of the noise prior
    same = np.zeros(4, dtype=int)
    same[3] = 1
    fit4, borrowed = kin_noise(chosen, asks, panel, scale, up, lo, same, kin, np.arange(4))
    assert not borrowed.any()


def test_assess_gives_a_lone_short_rate_the_noise_of_the_other_rates_in_its_unit():
    """In ``assess``: a 4-value gross enrolment rate alone in its indicator keeps the damped trend
    (``default``) and its point forecast, and takes a wider, less certain distribution from the
    other gross enrolment rates of the call (linear scale, points of a share; the reference lends
    nothing here, its windows are of the call's own)."""
    from conftest import make_plan, series_frame

    from childplan_analysis.engine.assess import assess

    panel, *_ = _enrolment_call()
    short = {int(y): float(v) for y, v in zip(panel.years, panel.values[0], strict=True) if np.isfinite(v)}
    lone = series_frame(short, "preschool_gross_enrolment")
    others = pd.concat([series_frame({int(y): float(v) for y, v in zip(panel.years, panel.values[i], strict=True)
                                      if np.isfinite(v)}, ind)
                        for i, ind in ((1, "senior_secondary_gross_enrolment"), (2, "tertiary_gross_enrolment"))])
    plan = make_plan([{"indicator": ind, "comparator": ">=", "value": 86.0, "year": 2022}
                      for ind in ("preschool_gross_enrolment", "senior_secondary_gross_enrolment",
                                  "tertiary_gross_enrolment")])  # the call reads the plan's indicators
    alone = assess(lone, plan).iloc[0]
    with_kin = assess(pd.concat([lone, others], ignore_index=True), plan).iloc[0]
    assert alone["model_choice"] == with_kin["model_choice"] == "default"
    assert with_kin["projected"] == pytest.approx(alone["projected"], rel=1e-12)
    assert with_kin["upper"] - with_kin["lower"] > alone["upper"] - alone["lower"]
    assert abs(with_kin["p_meet"] - 0.5) < abs(alone["p_meet"] - 0.5)
