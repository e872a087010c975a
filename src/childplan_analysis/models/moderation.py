"""Residual variances moderated toward their group's (empirical Bayes, Smyth's moment method).

Each series i has a residual variance sᵢ² on dᵢ degrees of freedom, sᵢ² | σᵢ² ~ σᵢ² χ²_dᵢ / dᵢ,
and the σᵢ² of one group are drawn from a scaled inverse χ² with d₀ degrees of freedom around
s₀². Both are estimated from the group's log variances by moments (G. K. Smyth, "Linear models
and empirical Bayes methods for assessing differential expression", *Stat. Appl. Genet. Mol.
Biol.* 3 (2004), §6.2; limma's ``fitFDist``):

    eᵢ = log sᵢ² − ψ(dᵢ/2) + log(dᵢ/2)
    ψ′(d₀/2) = Var(e) − mean ψ′(dᵢ/2)        (no solution: d₀ = ∞, the variances do not differ)
    s₀²  = exp(mean e + ψ(d₀/2) − log(d₀/2))

and the moderated variance is σ̃ᵢ² = (d₀ s₀² + dᵢ sᵢ²)/(d₀ + dᵢ) on d₀ + dᵢ degrees of freedom.
d₀ is at most Σ dⱼ over the group's series: the prior is estimated from their residuals and
weighs no more than they do together (d₀ = ∞ only says their variances did not differ beyond
chance, which a handful of series often do not).
Groups whose noise differs a lot (a city's small-count rates beside national totals) get a
small d₀ and lend little; groups of alike series lend much. Vectorised over groups with
``np.bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

#: d₀ is capped here (a group whose variances agree exactly would otherwise give ∞).
MAX_PRIOR_DF = 100.0
#: A group needs this many series with residual degrees of freedom to estimate d₀.
MIN_SERIES = 3


@dataclass(frozen=True)
class NoisePrior:
    """Per group: prior variance s₀², prior degrees of freedom d₀, series that informed them."""

    s2: np.ndarray
    df: np.ndarray
    count: np.ndarray


def trigamma_inverse(x: np.ndarray) -> np.ndarray:
    """y with ψ′(y) = x for x > 0 (Newton's method on 1/ψ′, as limma's ``trigammaInverse``)."""
    x = np.asarray(x, dtype=float)
    y = 0.5 + 1 / np.maximum(x, 1e-300)
    for _ in range(50):
        tri = special.polygamma(1, y)
        dif = tri * (1 - tri / x) / special.polygamma(2, y)
        y = y + dif
        if np.all(-dif / y < 1e-8):
            break
    y = np.where(x > 1e7, 1 / np.sqrt(np.maximum(x, 1e-300)), y)
    return np.where(x < 1e-6, 1 / np.maximum(x, 1e-300), y)


def noise_prior(s2: np.ndarray, d: np.ndarray, groups: np.ndarray, n_groups: int,
                fallback_df: float) -> NoisePrior:
    """s₀² and d₀ of every group from its series' residual variances ``s2`` on ``d`` df.

    Series with d = 0 do not count. A group with fewer than :data:`MIN_SERIES` informative
    series keeps ``fallback_df`` as d₀ and its df-weighted mean variance as s₀².
    """
    use = (d > 0) & (s2 > 0) & (groups >= 0)
    g = np.where(use, groups, 0)
    w = use.astype(float)

    def total(v: np.ndarray) -> np.ndarray:
        return np.bincount(g, weights=np.where(use, v, 0.0), minlength=n_groups)

    half = np.where(use, d / 2, 1.0)
    e = np.where(use, np.log(np.where(use, s2, 1.0)) - special.digamma(half) + np.log(half), 0.0)
    m = total(w)
    e_mean = total(e) / np.maximum(m, 1)
    e_var = total((e - e_mean[g]) ** 2) / np.maximum(m - 1, 1) - total(special.polygamma(1, half)) / np.maximum(m, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        d0 = np.where(e_var > 0, 2 * trigamma_inverse(np.where(e_var > 0, e_var, 1.0)), np.inf)
    d0 = np.minimum(d0, MAX_PRIOR_DF)
    s0 = np.exp(e_mean + special.digamma(d0 / 2) - np.log(d0 / 2))
    df_total = total(d)
    plain = total(d * s2) / np.maximum(df_total, 1e-300)
    enough = m >= MIN_SERIES
    # the prior is estimated from the group's own residuals: it weighs no more than their
    # degrees of freedom together (d₀ = ∞ only says the variances did not differ beyond chance)
    df = np.minimum(np.where(enough, d0, fallback_df), np.where(df_total > 0, df_total, fallback_df))
    return NoisePrior(s2=np.where(enough, s0, plain), df=df, count=m)


def moderate(s2: np.ndarray, d: np.ndarray, prior_s2: np.ndarray, prior_df: np.ndarray) -> np.ndarray:
    """σ̃² = (d₀ s₀² + d s²)/(d₀ + d) per series (prior values already taken per series)."""
    return (prior_df * prior_s2 + d * s2) / np.maximum(prior_df + d, 1e-300)


def noise_prior_excluding(s2: np.ndarray, d: np.ndarray, kin: np.ndarray, n_kin: int, groups: np.ndarray,
                          n_groups: int, fallback_df: float) -> NoisePrior:
    """Per series, :func:`noise_prior` over the series of its ``kin`` (indicators whose noise is
    comparable: the same relative scale, or the same unit on the linear scale) with the series
    of its own group (its indicator) left out: the noise the call's other indicators lend it.

    Each group lies within one kin, so the sums of the kin less those of the series' group are
    the sums over the others. A series without kin (code −1) gets count 0.
    """
    use = (d > 0) & (s2 > 0) & (kin >= 0) & (groups >= 0)
    half = np.where(use, d / 2, 1.0)
    e = np.where(use, np.log(np.where(use, s2, 1.0)) - special.digamma(half) + np.log(half), 0.0)
    parts = (use.astype(float), e, e * e, special.polygamma(1, half), d, d * s2)

    def others(x: np.ndarray) -> np.ndarray:
        x = np.where(use, x, 0.0)
        by_kin = np.bincount(np.where(use, kin, 0), weights=x, minlength=max(n_kin, 1))
        by_group = np.bincount(np.where(use, groups, 0), weights=x, minlength=max(n_groups, 1))
        return by_kin[np.maximum(kin, 0)] - by_group[np.maximum(groups, 0)]

    m, se, se2, psi1, df_total, ds2 = (others(x) for x in parts)
    m = np.where(kin >= 0, np.round(m), 0.0)
    df_total = np.maximum(df_total, 0.0)
    e_mean = se / np.maximum(m, 1)
    e_var = np.maximum(se2 - m * e_mean**2, 0.0) / np.maximum(m - 1, 1) - psi1 / np.maximum(m, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        d0 = np.where(e_var > 0, 2 * trigamma_inverse(np.where(e_var > 0, e_var, 1.0)), np.inf)
    d0 = np.minimum(d0, MAX_PRIOR_DF)
    s0 = np.exp(e_mean + special.digamma(d0 / 2) - np.log(d0 / 2))
    plain = ds2 / np.maximum(df_total, 1e-300)
    enough = m >= MIN_SERIES
    df = np.minimum(np.where(enough, d0, fallback_df), np.where(df_total > 0, df_total, fallback_df))
    return NoisePrior(s2=np.where(enough, s0, plain), df=np.where(m > 0, df, 0.0), count=m)
