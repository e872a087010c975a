"""Probabilities of a fit's t distributions with the CDF evaluated only where it must be.

:func:`p_between` is :meth:`~childplan_analysis.models.TrendFit.prob_between` given the
prediction of the year (worked out once for every series), evaluating the CDF at finite
arguments only: a one-sided target's open side (±∞) has probability 0 or 1 without it.

:func:`slope_sign_at_least` tells whether P(slope has a sign) reaches a probability by comparing
the t statistic with the t quantile of that probability, worked out once per distinct degrees of
freedom (``scipy.special.stdtrit``). Only rows whose statistic lies within a hair of the quantile
are decided by the CDF itself (:meth:`~childplan_analysis.models.TrendFit.prob_slope_sign`), so
the answer is the one the CDF gives at every row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from childplan_analysis.models import TrendFit
from childplan_analysis.models.fit import _EPS as SE_FLOOR
from childplan_analysis.models.fit import t_cdf
from childplan_analysis.models.scales import transform

# SE_FLOOR is the floor prob_slope_sign puts under the standard error, so the statistics agree.
#: Relative distance to the quantile within which a row is decided by the CDF itself.
MARGIN = 1e-6


def slope_quantiles(fit: TrendFit, prob: float) -> np.ndarray:
    """Per series, the ``prob`` quantile of its slope statistic's t distribution (NaN for df ≤ 0),
    worked out once per distinct degrees of freedom."""
    codes, uniq = pd.factorize(np.asarray(fit.trend_df, dtype=float), use_na_sentinel=False)
    uniq = np.asarray(uniq, dtype=float)
    with np.errstate(invalid="ignore"):
        valid = uniq > 0
        return np.where(valid, special.stdtrit(np.where(valid, uniq, 1.0), prob), np.nan)[codes]


def slope_sign_at_least(fit: TrendFit, sign: np.ndarray, prob: float, rows: np.ndarray,
                        quantile: np.ndarray | None = None) -> np.ndarray:
    """Per series: ``rows`` and P(the OLS trend slope has ``sign``) ≥ ``prob`` (``fit.prob_slope_sign``);
    False outside ``rows``. ``quantile``: :func:`slope_quantiles` of ``fit`` when already worked out."""
    rows = np.asarray(rows, dtype=bool)
    if not 0 < prob < 1:
        return rows & (fit.prob_slope_sign(sign) >= prob)
    with np.errstate(invalid="ignore", divide="ignore"):
        stat = np.sign(sign) * (fit.trend_slope / np.maximum(fit.slope_se(), SE_FLOOR))
    if quantile is None:
        quantile = slope_quantiles(fit, prob)
    with np.errstate(invalid="ignore"):
        margin = MARGIN * np.maximum(np.abs(quantile), 1.0)
        above = stat > quantile + margin
        near = rows & ~above & (stat >= quantile - margin)  # NaN statistic or df: below, never near
    out = rows & above
    if near.any():
        out[near] = fit.prob_slope_sign(sign)[near] >= prob
    return out


def finite_t_cdf(x: np.ndarray, df: np.ndarray) -> np.ndarray:
    """:func:`~childplan_analysis.models.fit.t_cdf` (0 at −∞, 1 at +∞, NaN for a NaN argument or
    df ≤ 0), the CDF itself evaluated at the finite arguments only."""
    x, df = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    finite = np.isfinite(x)
    if finite.all():
        return t_cdf(x, df)
    with np.errstate(invalid="ignore"):
        out = np.where((df > 0) & ~np.isnan(x), np.where(x > 0, 1.0, 0.0), np.nan)
    if finite.any():
        out[finite] = t_cdf(x[finite], df[finite])
    return out


def p_between(fit: TrendFit, low: np.ndarray, high: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``fit.prob_between(year, low, high)`` from ``fit.predict(year)`` = (``mean``, ``scale``):
    P(low ≤ value ≤ high), mass beyond a natural bound sitting on the bound."""
    low = np.where(np.asarray(low, dtype=float) <= fit.lower_bound, -np.inf, low)
    high = np.where(np.asarray(high, dtype=float) >= fit.upper, np.inf, high)
    logit_low = np.where(np.isfinite(fit.lower_bound), fit.lower_bound, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        zl, zh = (_on_scale(bound, side, fit, logit_low) for bound, side in ((low, -np.inf), (high, np.inf)))
        cdf_h = finite_t_cdf((zh - mean) / scale, fit.df)
        cdf_l = finite_t_cdf((zl - mean) / scale, fit.df)
    return np.clip(np.nan_to_num(cdf_h - cdf_l, nan=0.0), 0.0, 1.0)


def _on_scale(bound: np.ndarray, open_side: float, fit: TrendFit, logit_low: np.ndarray) -> np.ndarray:
    """``bound`` on each series' fitting scale, ``open_side`` (±∞) where it is open; a bound open
    in every row (one side of a one-sided target) is not transformed."""
    is_open = bound == open_side
    if is_open.all():
        return np.full(np.shape(bound), open_side)
    return np.where(is_open, open_side, transform(bound, fit.family, fit.upper, logit_low))
