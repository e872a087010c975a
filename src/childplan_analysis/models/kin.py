"""Noise and slope wander for a short series that can neither backtest nor borrow a slope.

A series of 4 to ``POOL_BELOW`` − 1 values without siblings or a family to lend it a slope prior
(:mod:`.pooling`) keeps the default model, the damped trend, whose noise rests on one to three
one-step errors of its own: a smooth run gives a tiny σ on one or two degrees of freedom, and
nothing adds how far its pace may wander. The call's other indicators of its *kin*
(:func:`.pooling.kin_codes`: the same relative scale, or the linear scale in the same unit)
hold that evidence. With the series' own indicator left out, and nothing after the call's last
year (the call holds nothing later):

noise   the damped trend fitted to every other series of the kin gives one-step variances sⱼ²
        on dⱼ = one-step errors − 1 degrees of freedom; s₀² and d₀ by Smyth's moments
        (:func:`.moderation.noise_prior_excluding`), and the series' variance is moderated toward
        them, σ̃² = (d₀ s₀² + d s²)/(d₀ + d) on d₀ + d degrees of freedom — a proper prior on σ,
        as in the pooling model;
wander  q of windows as long as the series (:mod:`.wander`): in its group or family first, then in
        the kin's other indicators, then the reference (:mod:`.reference`), then the longest
        shorter windows; the predictive variance gains q h², h years after the last value.

The point forecast is the series' own. Three-value series (the likelihood choice among the OLS
scales) are left as they are: an OLS line's residuals about so few values are not the noise the
other series' windows show (see ``docs/methodology.md``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from childplan_analysis.core import config
from childplan_analysis.models.families import fit_model
from childplan_analysis.models.fit import DAMPED, TrendFit, _bounds, _prepare
from childplan_analysis.models.moderation import moderate, noise_prior_excluding
from childplan_analysis.models.panel import SeriesPanel, observed_span
from childplan_analysis.models.pooling import RELATIVE_SCALES, borrowed_wander, scale_families
from childplan_analysis.models.wander import wander_sums

if TYPE_CHECKING:
    from childplan_analysis.models.reference import WanderReference


def kin_wander(z: np.ndarray, mask: np.ndarray, years: np.ndarray, n: np.ndarray, groups: np.ndarray,
               n_groups: int, kin: np.ndarray, n_kin: int, rows: np.ndarray, *, shorter: bool) -> np.ndarray:
    """√q of the ``rows`` from the windows as long as each series (3 to ``POOL_BELOW`` − 1 values)
    in the long series of its kin with its own group left out; with ``shorter``, the longest
    shorter windows there are when there is none of its length (NaN where there is no window)."""
    out = np.full(len(n), np.nan)
    rows = rows & (kin >= 0)
    if not rows.any():
        return out
    window = np.clip(n, 3, max(config.POOL_BELOW - 1, 3)).astype(int)
    kk = np.maximum(kin, 0)
    need = np.zeros(max(n_kin, 1), dtype=bool)
    need[kin[rows]] = True
    scan = np.flatnonzero((kin >= 0) & need[kk])
    for length in range(3, int(window[rows].max()) + 1):
        num, den = wander_sums(z[scan], mask[scan], years, length, config.BACKTEST_HORIZON)

        def others(x: np.ndarray) -> np.ndarray:
            by_kin = np.bincount(kin[scan], weights=x, minlength=max(n_kin, 1))
            by_group = np.bincount(groups[scan], weights=x, minlength=max(n_groups, 1))
            return by_kin[kk] - by_group[groups]

        o_num, o_den = others(num), others(den)
        sel = rows & ((window >= length) if shorter else (window == length)) & (o_den > 0.5)
        out[sel] = np.sqrt(np.maximum(o_num[sel] / o_den[sel], 0.0))
    return out


def kin_drift(z: np.ndarray, mask: np.ndarray, years: np.ndarray, n: np.ndarray, groups: np.ndarray,
              kin: np.ndarray, rows: np.ndarray, scale: np.ndarray, last_year: float,
              reference: WanderReference | None, indicator: np.ndarray | None) -> np.ndarray:
    """√q of the ``rows``, in order of evidence: windows of the series' length in its group or
    family, then in the other indicators of its kin, then in ``reference``, then the longest
    shorter windows (group or family, then kin); 0 where there is none."""
    fam = scale_families(scale)
    n_groups, n_fam, n_kin = (int(c.max()) + 1 if len(c) and c.max() >= 0 else 1 for c in (groups, fam, kin))
    out = borrowed_wander(z, mask, years, n, groups, n_groups, fam, n_fam, missing=np.nan, shorter=False)
    out = np.where(rows, out, 0.0)
    gap = np.isnan(out)
    if gap.any():
        out[gap] = kin_wander(z, mask, years, n, groups, n_groups, kin, n_kin, gap, shorter=False)[gap]
    gap = np.isnan(out)
    if gap.any() and reference is not None and indicator is not None:
        window = np.clip(n[gap], 3, max(config.POOL_BELOW - 1, 3)).astype(int)
        out[gap] = reference.wander(np.asarray(indicator)[gap], scale[gap], window, last_year, RELATIVE_SCALES)
    gap = np.isnan(out)
    if gap.any():
        out[gap] = borrowed_wander(z, mask, years, n, groups, n_groups, fam, n_fam, missing=np.nan)[gap]
    gap = np.isnan(out)
    if gap.any():
        out[gap] = kin_wander(z, mask, years, n, groups, n_groups, kin, n_kin, gap, shorter=True)[gap]
    return np.nan_to_num(out)


def _noise_df(fit: TrendFit) -> np.ndarray:
    """Degrees of freedom of each damped fit's one-step variance: one-step errors (from the third
    value on) − 1; 0 where there are none."""
    return np.maximum(fit.n - 3, 0.0)


def kin_noise(fit: TrendFit, asks: np.ndarray, population: SeriesPanel, scale: np.ndarray, upper: np.ndarray,
              lower: np.ndarray, groups: np.ndarray, kin: np.ndarray, where: np.ndarray, *,
              reference: WanderReference | None = None, indicator: np.ndarray | None = None
              ) -> tuple[TrendFit, np.ndarray]:
    """``fit`` with the noise and wander of its kin for the series that ``asks`` (see the module
    docstring), and which borrowed.

    ``fit`` holds the chosen fits of some series, ``where`` each one's row in ``population`` (every
    series of the call; ``scale``, ``upper``, ``lower``, ``groups`` (indicator codes), ``kin``
    (:func:`.pooling.kin_codes`) and ``indicator`` (ids, for the reference) are per population
    series). Only damped fits of 4 or more values borrow, when their kin holds another
    indicator's series with one-step degrees of freedom.
    """
    where = np.asarray(where, dtype=int)
    asks = np.asarray(asks, dtype=bool) & (where >= 0) & (fit.kind == DAMPED) & (fit.n >= 4)
    borrowed = np.zeros(len(asks), dtype=bool)
    if not asks.any():
        return fit, borrowed
    scale = np.asarray(scale).astype(str)
    groups = np.asarray(groups, dtype=int)
    kin = np.asarray(kin, dtype=int)
    sigma2 = fit.resid_sd.astype(float) ** 2
    df = fit.df.astype(float).copy()
    drift = np.asarray(fit.drift, dtype=float).copy()
    k = population.n_series
    n_pop, *_ = observed_span(population)
    last_year = float(np.nanmax(population.years[(~np.isnan(population.values)).any(axis=0)])) if k else np.nan
    need = np.zeros(int(kin.max()) + 1 if k and kin.max() >= 0 else 1, dtype=bool)
    need[kin[where[asks]][kin[where[asks]] >= 0]] = True
    lenders = np.flatnonzero((kin >= 0) & need[np.maximum(kin, 0)])
    for name in np.unique(fit.model[asks]):
        mine = np.flatnonzero(asks & (fit.model == name))
        own = where[mine]
        lent = fit_model(population.take(lenders), str(name), scale[lenders], upper[lenders], lower[lenders])
        s2 = np.zeros(k)
        d = np.zeros(k)
        s2[lenders] = lent.resid_sd**2
        d[lenders] = _noise_df(lent)
        prior = noise_prior_excluding(s2, d, kin, len(need), groups, int(groups.max()) + 1, config.POOL_NOISE_DF)
        ok = (prior.count[own] > 0) & np.isfinite(prior.s2[own]) & (prior.s2[own] > 0)
        rows, own = mine[ok], own[ok]
        if not len(rows):
            continue
        d_own = _noise_df(fit)[rows]
        sigma2[rows] = moderate(sigma2[rows], d_own, prior.s2[own], prior.df[own])
        df[rows] = np.minimum(prior.df[own] + d_own, 1e6)
        # the wander on the scale the series is fitted on
        fam_scale = np.asarray(fit.family)[rows]
        for s in np.unique(fam_scale):
            at = rows[fam_scale == s]
            on = np.full(k, str(s))
            up, lo = _bounds(population, upper, lower)
            z, mask = _prepare(population, on, up, lo)
            asked = np.zeros(k, dtype=bool)
            asked[where[at]] = True
            q = kin_drift(np.ascontiguousarray(z), np.ascontiguousarray(mask), population.years, n_pop.astype(float),
                          groups, kin, asked, on, last_year, reference, indicator)
            drift[at] = q[where[at]]
        borrowed[rows] = True
    if not borrowed.any():
        return fit, borrowed
    return replace(fit, resid_sd=np.sqrt(sigma2), df=df, drift=drift), borrowed
