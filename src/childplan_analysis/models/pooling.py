"""Partial pooling of trends across the series of one indicator (empirical Bayes, vectorised).

A short series says little about its own slope or noise. :func:`pooled_trend` lets every series
borrow both from the other series of its group (the same indicator in other regions, and the
same indicator's longer series), in proportion to how thin its own evidence is. On each series'
fitting scale, with OLS slope bᵢ, residual variance sᵢ² on dᵢ = nᵢ − 2 degrees of freedom and
Sxxᵢ = Σ(t − t̄ᵢ)²:

noise   σ̃ᵢ² = (ν₀ s̄² + dᵢ sᵢ²) / (ν₀ + dᵢ),  s̄² = Σ dⱼ sⱼ² / Σ dⱼ over the group
        (a scaled-inverse-χ² prior of weight ν₀ = ``POOL_NOISE_DF`` centred on the group's
        pooled residual variance); predictive degrees of freedom ν₀ + dᵢ.
slopes  bᵢ ~ N(βᵢ, vᵢ), vᵢ = σ̃ᵢ²/Sxxᵢ;  βᵢ ~ N(μ, τ²). μ and τ² are estimated from the
        group's series with ≥ 3 values by DerSimonian–Laird: w = 1/v, Q = Σ w(b − μ_FE)²,
        τ² = max(0, (Q − (m − 1)) / (Σw − Σw²/Σw)), μ = Σ w*b / Σ w*, w* = 1/(v + τ²),
        Var μ = 1/Σ w*.
posterior  Bᵢ = vᵢ / (vᵢ + τ² + Var μ)  (the shrinkage: 0 = own slope, 1 = the group's),
        β̃ᵢ = Bᵢ μ + (1 − Bᵢ) bᵢ,  Var β̃ᵢ = (1 − Bᵢ) vᵢ; a one-value series has Bᵢ = 1,
        β̃ᵢ = μ, Var β̃ᵢ = τ² + Var μ.
forecast  m(T) = z̄ᵢ + β̃ᵢ (T − t̄ᵢ),  s(T)² = σ̃ᵢ² (1 + 1/nᵢ) + (T − t̄ᵢ)² Var β̃ᵢ, Student-t.

Everything is sums per group (``np.bincount``), so a whole panel costs a few array passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from childplan_analysis.core import config
from childplan_analysis.models.fit import REGRESSION, TrendFit, _bounds, _prepare, weighted_ols
from childplan_analysis.models.panel import SeriesPanel, observed_span

_EPS = 1e-12


@dataclass(frozen=True)
class PooledTrend:
    """The pooled fit of every series, and how much each borrowed."""

    fit: TrendFit
    shrinkage: np.ndarray  # Bᵢ (NaN where the group gives no prior)
    has_prior: np.ndarray  # the group had enough series to estimate μ and τ²
    own_slope: np.ndarray  # bᵢ (NaN with fewer than 2 values)
    prior_mean: np.ndarray  # μ of the series' group
    prior_sd: np.ndarray  # τ of the series' group


def pooled_trend(panel: SeriesPanel, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray,
                 groups: np.ndarray, *, noise_df: float | None = None,
                 min_series: int | None = None) -> PooledTrend:
    """Pool every series' OLS trend with its group's (see the module docstring).

    ``scale`` is each series' fitting scale (one per group, so that slopes are comparable),
    ``groups`` integer codes, ``upper``/``lower`` natural bounds (NaN: none).
    """
    nu0 = config.POOL_NOISE_DF if noise_df is None else noise_df
    min_series = config.POOL_MIN_SERIES if min_series is None else min_series
    k = panel.n_series
    scale = np.asarray(scale).astype(str)
    groups = np.asarray(groups, dtype=int)
    G = int(groups.max()) + 1 if k else 0
    up, lo = _bounds(panel, upper, lower)
    z, mask = _prepare(panel, scale, up, lo)
    x = np.broadcast_to(panel.years.astype(float), z.shape)
    ols = weighted_ols(x, z, mask, np.ones_like(z))
    n, first, last, last_value = observed_span(panel)
    n = n.astype(float)
    d = np.maximum(n - 2, 0)
    s2 = np.where(d > 0, ols["sd"] ** 2, 0.0)

    def per_group(w: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=w, minlength=G)

    d_sum = per_group(d)
    s2_group = per_group(d * s2) / np.maximum(d_sum, _EPS)
    scale_floor = 1e-9 * np.maximum(np.abs(ols["level"]), 1.0)
    sigma2 = np.maximum((nu0 * s2_group[groups] + d * s2) / np.maximum(nu0 + d, _EPS), scale_floor**2)
    v = np.where(n >= 2, sigma2 / np.maximum(ols["sxx"], _EPS), np.inf)
    informative = n >= 3
    w = np.where(informative, 1 / np.maximum(v, _EPS), 0.0)
    b = np.where(n >= 2, ols["slope"], 0.0)
    m = per_group(informative.astype(float))
    sw, sw2 = per_group(w), per_group(w**2)
    mu_fe = per_group(w * b) / np.maximum(sw, _EPS)
    q = per_group(w * (b - mu_fe[groups]) ** 2)
    c = sw - sw2 / np.maximum(sw, _EPS)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau2 = np.where((m >= 2) & (c > _EPS), np.maximum(0.0, (q - (m - 1)) / np.maximum(c, _EPS)), np.nan)
    w_star = np.where(informative, 1 / (np.maximum(v, _EPS) + np.nan_to_num(tau2)[groups]), 0.0)
    sws = per_group(w_star)
    mu = per_group(w_star * b) / np.maximum(sws, _EPS)
    var_mu = 1 / np.maximum(sws, _EPS)
    has_prior = (m[groups] >= min_series) & np.isfinite(tau2[groups]) & (n >= 1)
    prior_var = np.nan_to_num(tau2)[groups] + var_mu[groups]
    with np.errstate(invalid="ignore", divide="ignore"):
        shrink = np.where(n >= 2, v / (v + prior_var), 1.0)
    shrink = np.where(np.isfinite(v), shrink, 1.0)
    slope = shrink * mu[groups] + (1 - shrink) * b
    var_slope = np.where(n >= 2, (1 - shrink) * np.where(np.isfinite(v), v, 0.0), prior_var)
    var_slope = np.maximum(var_slope, _EPS * sigma2)
    sd = np.sqrt(sigma2)
    df = nu0 + d
    xbar = np.where(n > 0, ols["xbar"], np.nan)
    nan = np.full(k, np.nan)
    fit = TrendFit(
        model=scale.copy(), family=scale, kind=np.full(k, REGRESSION), upper=up, lower_bound=lo,
        n=n, df=df, first_year=first, last_year=last, last_value=last_value, anchor=xbar,
        level=ols["level"], slope=slope, resid_sd=sd, inflate=np.ones(k), xbar=xbar,
        sxx=sigma2 / var_slope, sw=np.maximum(n, 1.0), w0=np.ones(k), alpha=nan, beta=nan, phi=nan,
        trend_xbar=xbar, trend_level=ols["level"], trend_slope=slope, trend_se=np.sqrt(var_slope), trend_df=df,
    )
    return PooledTrend(fit=fit, shrinkage=np.where(has_prior, shrink, np.nan), has_prior=has_prior,
                       own_slope=np.where(n >= 2, ols["slope"], np.nan), prior_mean=np.where(has_prior, mu[groups], np.nan),
                       prior_sd=np.where(has_prior, np.sqrt(np.nan_to_num(tau2)[groups]), np.nan))
