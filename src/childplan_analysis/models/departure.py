"""Intervals that widen when a series' recent slope departs from its long one.

A trend fitted on fifteen years says how fast the series moved on average; if the last few
years moved at another pace, the future may follow either. For every series with at least
``DEPARTURE_MIN_POINTS`` values, on its fitting scale:

    Δ   = b_recent − b_long      (OLS slopes on the last ``DEPARTURE_RECENT`` values and on all)
    v_Δ = σ² (1/Sxx_recent − 1/Sxx_long)   (the variance of Δ if the series were one straight
                                             line with noise σ², the long fit's residual variance)
    d   = ``DEPARTURE_WEIGHT`` · √max(0, Δ² − z² v_Δ),  z = ``DEPARTURE_Z``

and the predictive variance h years after the last value gains (d·h)². With z = 1,
√max(0, Δ² − v_Δ) is the moment estimate of the true departure |δ| (E Δ² = δ² + v_Δ), and the
weight ½ is the spread of a slope equally likely to follow the long or the recent pace (a
two-point mixture half |δ| either side). No widening when the recent pace is within the noise
of the long one; widening that grows with the horizon when it is not.
"""

from __future__ import annotations

import numpy as np

from childplan_analysis.core import config
from childplan_analysis.models.fit import TrendFit, _prepare, weighted_ols
from childplan_analysis.models.panel import SeriesPanel

_EPS = 1e-12


def slope_departure(panel: SeriesPanel, fit: TrendFit, *, recent: int | None = None,
                    min_points: int | None = None, weight: float | None = None) -> np.ndarray:
    """``d`` of every series (see the module docstring), on the scale each series is fitted on."""
    recent = config.DEPARTURE_RECENT if recent is None else recent
    min_points = config.DEPARTURE_MIN_POINTS if min_points is None else min_points
    weight = config.DEPARTURE_WEIGHT if weight is None else weight
    z, mask = _prepare(panel, np.asarray(fit.family), fit.upper, fit.lower_bound)
    x = np.broadcast_to(panel.years.astype(float), z.shape)
    ones = np.ones_like(z)
    long = weighted_ols(x, z, mask, ones)
    from_end = np.cumsum(mask[:, ::-1], axis=1)[:, ::-1]
    late = weighted_ols(x, z, mask & (from_end <= recent), ones)
    delta = late["slope"] - long["slope"]
    with np.errstate(divide="ignore", invalid="ignore"):
        v = long["sd"] ** 2 * (1 / np.maximum(late["sxx"], _EPS) - 1 / np.maximum(long["sxx"], _EPS))
    excess = np.maximum(delta**2 - config.DEPARTURE_Z**2 * np.maximum(v, 0.0), 0.0)
    d = weight * np.sqrt(excess)
    return np.where((long["n"] >= min_points) & np.isfinite(d), d, 0.0)
