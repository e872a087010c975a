"""Expanding-origin states: every model's forecast from every origin year, in one pass per family.

The rolling-origin backtest (:mod:`.select`) asks each model family for an
:class:`ExpandingState`: a ``forecast(origins, target_year)`` giving the predictive mean, scale and
degrees of freedom (fitting scale) from the data up to each origin column. Regressions use
cumulative sums, the damped trend keeps its state at every year, so no family refits per origin.
An :class:`ExpandingContext` shares the prepared values and design sums between families.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from childplan_analysis.models.fit import (
    _damped_sum,
    _damped_var,
    _prepare,
    damped_grid,
    damped_pass,
    escap_weights,
)
from childplan_analysis.models.panel import SeriesPanel, observed_span

_EPS = 1e-12


@dataclass
class ExpandingState:
    """Forecasts of one family from origin columns, and the actual values on its fitting scale."""

    forecast: Callable[[slice, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]
    z: np.ndarray
    scale_name: np.ndarray
    logit_low: np.ndarray


@dataclass
class ExpandingContext:
    """The panel of a backtest with what families share: prepared scales and design sums."""

    panel: SeriesPanel
    natural_scale: np.ndarray
    upper: np.ndarray
    lower: np.ndarray
    _prepared: dict = field(default_factory=dict)
    _sums: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.years = self.panel.years.astype(float)
        self.logit_low = np.where(np.isfinite(self.lower), self.lower, 0.0)
        _, self.first, _, _ = observed_span(self.panel)

    def prepare(self, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values on ``scale`` (one per series) and their mask, computed once per scale vector."""
        key = np.asarray(scale).astype("U9").tobytes()
        if key not in self._prepared:
            self._prepared[key] = _prepare(self.panel, np.asarray(scale), self.upper, self.lower)
        return self._prepared[key]

    def design(self, mask: np.ndarray, time_weighted: bool) -> dict[str, np.ndarray]:
        key = (time_weighted, mask.tobytes())
        if key not in self._sums:
            w = escap_weights(self.years, np.nan_to_num(self.first)) if time_weighted else np.ones(mask.shape)
            self._sums[key] = _design_sums(mask, self.years, w)
        return self._sums[key]


def expanding_regression(ctx: ExpandingContext, scale: np.ndarray, time_weighted: bool) -> ExpandingState:
    """Expanding-window (weighted) least squares on ``scale`` from every origin."""
    z, mask = ctx.prepare(scale)
    return _expanding_regression(z, mask, ctx.years, ctx.design(mask, time_weighted), scale, ctx.logit_low)


def expanding_damped(ctx: ExpandingContext) -> ExpandingState:
    """Damped trend on the natural scale, parameters re-chosen at each origin."""
    z, mask = ctx.prepare(ctx.natural_scale)
    return _expanding_damped(z, mask, ctx.years, ctx.natural_scale, ctx.logit_low)


def expanding_persistence(ctx: ExpandingContext) -> ExpandingState:
    """Last value carried forward from each origin, on the natural scale."""
    z, mask = ctx.prepare(ctx.natural_scale)
    return _expanding_persistence(z, mask, ctx.years, ctx.natural_scale, ctx.logit_low)


def _design_sums(mask: np.ndarray, years: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
    """Cumulative sums that depend only on which years are observed and their weights."""
    w = np.where(mask, w, 0.0)
    x = years[None, :] - years.mean()
    return {"w_raw": w, "x_centered": x, "n": np.cumsum(mask, axis=1, dtype=float),
            "w": np.cumsum(w, axis=1), "x": np.cumsum(w * x, axis=1), "xx": np.cumsum(w * x * x, axis=1)}


def _expanding_regression(z, mask, years, design, scale, logit_low) -> ExpandingState:
    w, x = design["w_raw"], design["x_centered"]
    cs = dict(design)
    cs["z"] = np.cumsum(w * z, axis=1)
    cs["xz"] = np.cumsum(w * x * z, axis=1)
    cs["zz"] = np.cumsum(w * z * z, axis=1)
    sw = np.maximum(cs["w"], _EPS)
    xbar = cs["x"] / sw
    zbar = cs["z"] / sw
    sxx = np.maximum(cs["xx"] - sw * xbar**2, 0.0)
    sxz = cs["xz"] - sw * xbar * zbar
    szz = np.maximum(cs["zz"] - sw * zbar**2, 0.0)
    slope = np.where(sxx > _EPS, sxz / np.maximum(sxx, _EPS), 0.0)
    rss = np.maximum(szz - slope * sxz, 0.0)
    dof = np.maximum(cs["n"] - 2, 1)
    sd = np.sqrt(rss / dof)
    w0 = w  # the origin is an observed year: its own weight

    def forecast(origins: slice, target_year: np.ndarray):
        tx = target_year - years.mean()
        o = origins
        mean = zbar[:, o] + slope[:, o] * (tx - xbar[:, o])
        with np.errstate(divide="ignore", invalid="ignore"):
            var = 1 / np.maximum(w0[:, o], _EPS) + 1 / sw[:, o] + (tx - xbar[:, o]) ** 2 / np.maximum(sxx[:, o], _EPS)
        return mean, np.maximum(sd[:, o] * np.sqrt(var), _EPS), dof[:, o]

    return ExpandingState(forecast, np.where(mask, z, np.nan), scale, logit_low)


def _expanding_damped(z, mask, years, scale, logit_low) -> ExpandingState:
    alpha, beta, phi = damped_grid()
    level, trend, sse, m, last_t = damped_pass(z, mask, years, alpha, beta, phi, keep_history=True)
    # parameters chosen at each origin from the one-step errors up to it (no look-ahead)
    best = np.argmin(sse, axis=0)  # (S × J)
    S, J = best.shape
    ii, jj = np.meshgrid(np.arange(S), np.arange(J), indexing="ij")
    lv, tr = level[best, ii, jj], trend[best, ii, jj]
    sd = np.sqrt(sse[best, ii, jj] / np.maximum(m, 1))
    a, b, p = alpha[best], beta[best], phi[best]
    dof = np.maximum(m - 1, 1)

    def forecast(origins: slice, target_year: np.ndarray):
        o = origins
        h = target_year - last_t[:, o]
        mean = lv[:, o] + tr[:, o] * _damped_sum(p[:, o], h)
        var = _damped_var(a[:, o], b[:, o], p[:, o], h)
        return mean, np.maximum(sd[:, o] * np.sqrt(var), _EPS), dof[:, o]

    return ExpandingState(forecast, np.where(mask, z, np.nan), scale, logit_low)


def _expanding_persistence(z, mask, years, scale, logit_low) -> ExpandingState:
    k, J = z.shape
    prev_z = np.full(k, np.nan)
    prev_t = np.full(k, np.nan)
    ss = np.zeros(k)
    m = np.zeros(k)
    last_z = np.empty((k, J))
    last_t = np.empty((k, J))
    ss_hist = np.empty((k, J))
    m_hist = np.empty((k, J))
    for j, t in enumerate(years):
        obs = mask[:, j]
        has_prev = obs & ~np.isnan(prev_z)
        gap = np.where(has_prev, t - prev_t, 1.0)
        ss = ss + np.where(has_prev, (z[:, j] - np.nan_to_num(prev_z)) ** 2 / gap, 0.0)
        m = m + has_prev
        prev_z = np.where(obs, z[:, j], prev_z)
        prev_t = np.where(obs, t, prev_t)
        last_z[:, j], last_t[:, j], ss_hist[:, j], m_hist[:, j] = prev_z, prev_t, ss, m
    sd = np.sqrt(ss_hist / np.maximum(m_hist, 1))

    def forecast(origins: slice, target_year: np.ndarray):
        o = origins
        h = np.maximum(target_year - last_t[:, o], 1.0)
        return last_z[:, o], np.maximum(sd[:, o] * np.sqrt(h), _EPS), np.maximum(m_hist[:, o], 1)

    return ExpandingState(forecast, np.where(mask, z, np.nan), scale, logit_low)
