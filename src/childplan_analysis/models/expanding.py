"""Expanding-origin states: every model's forecast from every origin year, in one pass per family.

The rolling-origin backtest (:mod:`.select`) asks each model family for an
:class:`ExpandingState`: a ``forecast(slots, target_year)`` giving the predictive mean, scale and
degrees of freedom (fitting scale) from the data up to each origin. Every series has its own
origins (its own observed years, :attr:`ExpandingContext.origins`, one row of panel columns per
series); ``slots`` picks some of them, the same for every series. Regressions use cumulative
sums, the damped trend keeps its state at every year, so no family refits per origin: each
state is worked out from the first column any series' origin is in (``first_origin``) to the
last but one (the last column is never an origin), and taken at each series' origins once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from childplan_analysis.models.damped_state import state_terms, state_uncertainty
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
    #: (series × origins) panel columns of every series' origins, −1 where it has none there.
    origins: np.ndarray
    _prepared: dict = field(default_factory=dict)
    _sums: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.years = self.panel.years.astype(float)
        self.logit_low = np.where(np.isfinite(self.lower), self.lower, 0.0)
        _, self.first, _, _ = observed_span(self.panel)
        J = len(self.years)
        origins = np.asarray(self.origins, dtype=np.intp)
        width = origins.shape[1]
        # every series' origins the same last columns but one (a full grid): states are sliced
        shared = np.arange(J - 1 - width, J - 1)
        self._shared = J > width and bool(np.all((origins == shared) | (origins < 0)))
        used = origins[origins >= 0]
        start = int(shared[0]) if self._shared else int(used.min()) if len(used) else max(J - 2, 0)
        #: The first column any series' origin is in.
        self.first_origin = min(max(start, 0), max(J - 1, 0))
        #: The columns the states hold.
        self.kept = slice(self.first_origin, max(J - 1, self.first_origin))
        held = max(self.kept.stop - self.kept.start, 1)
        # an origin that is none reads the first column: its forecast is not used
        local = np.clip(origins - self.first_origin, 0, held - 1)
        rows = np.arange(len(origins))[:, None]
        self._flat = {"C": rows * held + local, "F": local * len(origins) + rows}

    def at_origins(self, a: np.ndarray) -> np.ndarray:
        """(series × origins) values of a state array held at the :attr:`kept` columns, at every
        series' own origins."""
        if self._shared:
            return a
        return take_columns(a, self._flat)

    def prepare(self, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values on ``scale`` (one per series) and their mask: each series' row is that of its
        scale, worked out once per scale for every series (each row depends on its own series only)."""
        scale = np.asarray(scale)
        names = list(dict.fromkeys(scale.tolist()))
        if len(names) == 1:
            return self._one_scale(str(names[0]))
        z = np.empty(self.panel.values.shape, order="F")
        mask = np.empty(self.panel.values.shape, dtype=bool, order="F")
        for name in names:
            rows = scale == name
            zs, ms = self._one_scale(str(name))
            np.copyto(z, zs, where=rows[:, None])
            np.copyto(mask, ms, where=rows[:, None])
        return z, mask

    def _one_scale(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._prepared:
            self._prepared[name] = _prepare(self.panel, np.full(self.panel.n_series, name), self.upper, self.lower)
        return self._prepared[name]

    def design(self, mask: np.ndarray, time_weighted: bool) -> dict[str, np.ndarray]:
        key = (time_weighted, mask.tobytes())
        if key not in self._sums:
            w = escap_weights(self.years, np.nan_to_num(self.first)) if time_weighted else np.ones(mask.shape)
            self._sums[key] = _design_sums(mask, self.years, w, self.kept)
        return self._sums[key]


def take_columns(a: np.ndarray, flat: dict[str, np.ndarray]) -> np.ndarray:
    """Entries of a (series × columns) array at the flat positions ``flat`` gives for its memory
    order ("C": row-major, "F": column-major), as ``np.take_along_axis`` gives them."""
    if a.flags.c_contiguous:
        return np.take(a.ravel(order="C"), flat["C"])
    if a.flags.f_contiguous:
        return np.take(a.ravel(order="F"), flat["F"])
    return np.take(np.ascontiguousarray(a).ravel(), flat["C"])


def expanding_regression(ctx: ExpandingContext, scale: np.ndarray, time_weighted: bool) -> ExpandingState:
    """Expanding-window (weighted) least squares on ``scale`` from every origin."""
    z, mask = ctx.prepare(scale)
    return _expanding_regression(z, mask, ctx.years, ctx.design(mask, time_weighted), scale, ctx.logit_low, ctx)


def expanding_damped(ctx: ExpandingContext) -> ExpandingState:
    """Damped trend on the natural scale, parameters re-chosen at each origin."""
    z, mask = ctx.prepare(ctx.natural_scale)
    return _expanding_damped(z, mask, ctx.years, ctx.natural_scale, ctx.logit_low, ctx)


def expanding_persistence(ctx: ExpandingContext) -> ExpandingState:
    """Last value carried forward from each origin, on the natural scale."""
    z, mask = ctx.prepare(ctx.natural_scale)
    return _expanding_persistence(z, mask, ctx.years, ctx.natural_scale, ctx.logit_low, ctx)


def _design_sums(mask: np.ndarray, years: np.ndarray, w: np.ndarray, kept: slice) -> dict[str, np.ndarray]:
    """Cumulative sums that depend only on which years are observed and their weights: the
    weights and centred years of every column up to the last origin, the sums at the ``kept``
    origin columns."""
    stop = kept.stop
    w = np.where(mask[:, :stop], w[:, :stop], 0.0)
    x = years[None, :stop] - years.mean()
    return {"w_raw": w, "x_centered": x, "n": np.cumsum(mask[:, :stop], axis=1, dtype=float)[:, kept],
            "w": np.cumsum(w, axis=1)[:, kept], "x": np.cumsum(w * x, axis=1)[:, kept],
            "xx": np.cumsum(w * x * x, axis=1)[:, kept]}


def _expanding_regression(z, mask, years, design, scale, logit_low, ctx: ExpandingContext) -> ExpandingState:
    w, x = design["w_raw"], design["x_centered"]
    kept = ctx.kept
    zs = z[:, :kept.stop]
    wz = w * zs
    cs = dict(design)
    cs["z"] = np.cumsum(wz, axis=1)[:, kept]
    cs["xz"] = np.cumsum(w * x * zs, axis=1)[:, kept]
    cs["zz"] = np.cumsum(wz * zs, axis=1)[:, kept]
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
    inv_w0 = 1 / np.maximum(w[:, kept], _EPS)  # the origin is an observed year: its own weight
    base = inv_w0 + 1 / sw
    sxx_safe = np.maximum(sxx, _EPS)
    mean_year = years.mean()
    xbar, zbar, slope, base, sxx_safe, sd, dof = (ctx.at_origins(a) for a in (xbar, zbar, slope, base, sxx_safe,
                                                                              sd, dof))

    def forecast(o: slice, target_year: np.ndarray):
        tx = target_year - mean_year
        dx = tx - xbar[:, o]
        mean = zbar[:, o] + slope[:, o] * dx
        with np.errstate(divide="ignore", invalid="ignore"):
            var = base[:, o] + dx**2 / sxx_safe[:, o]
        return mean, np.maximum(sd[:, o] * np.sqrt(var), _EPS), dof[:, o]

    return ExpandingState(forecast, np.where(mask, z, np.nan), scale, logit_low)


def _expanding_damped(z, mask, years, scale, logit_low, ctx: ExpandingContext) -> ExpandingState:
    alpha, beta, phi = damped_grid()
    kept = ctx.kept
    level, trend, sse, m, last_t = damped_pass(z[:, :kept.stop], mask[:, :kept.stop], years[:kept.stop],
                                               alpha, beta, phi, keep_history=True, history_from=kept.start)
    # parameters chosen at each origin from the one-step errors up to it (no look-ahead)
    best = np.argmin(sse, axis=1)[:, None, :]  # (J′ × 1 × S)

    def at_best(a: np.ndarray) -> np.ndarray:  # (J′ × C × S) → (S × J′) of each origin's choice
        return np.take_along_axis(a, best, axis=1)[:, 0].T

    lv, tr = at_best(level), at_best(trend)
    p11, p12, p22, norm = (a.T for a in state_uncertainty(
        mask[:, :kept.stop], years[:kept.stop], alpha, beta, phi, best[:, 0, :], keep_history=True,
        history_from=kept.start))
    sd = np.sqrt(at_best(sse) / np.maximum(norm, 1))
    best = best[:, 0].T
    last_t, dof = last_t.T, np.maximum(m.T - 1, 1)
    lv, tr, best, p11, p12, p22, sd, last_t, dof = (ctx.at_origins(a) for a in (lv, tr, best, p11, p12, p22, sd,
                                                                                last_t, dof))

    def forecast(o: slice, target_year: np.ndarray):
        h = target_year - last_t[:, o]
        growth, mult = damped_terms(alpha, beta, phi, best[:, o], h)
        mult = mult + np.where(h > 0, state_terms((p11[:, o], p12[:, o], p22[:, o]), growth), 0.0)
        mean = lv[:, o] + tr[:, o] * growth
        return mean, np.maximum(sd[:, o] * np.sqrt(mult), _EPS), dof[:, o]

    return ExpandingState(forecast, np.where(mask, z, np.nan), scale, logit_low)


def damped_terms(alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray, combo: np.ndarray, h: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """φ + … + φʰ and the variance multiplier of every entry, its parameters ``combo`` of the grid.

    Whole-year horizons (the usual case) are looked up in a table of every (combination × h)
    worked out once; others are computed entry by entry. Both give the same numbers.
    """
    finite = np.isfinite(h)
    hmax = int(np.max(h, where=finite, initial=0))
    whole = finite & (h >= 0) & (h == np.floor(np.where(finite, h, 0)))
    if whole.all() and hmax <= 1000:
        grid = np.arange(hmax + 1, dtype=float)[None, :]
        a, b, p = alpha[:, None], beta[:, None], phi[:, None]
        sums = _damped_sum(p, np.broadcast_to(grid, (len(phi), hmax + 1)))
        mults = _damped_var(a, b, p, grid)
        hi = h.astype(int)
        return sums[combo, hi], mults[combo, hi]
    p = phi[combo]
    return _damped_sum(p, h), _damped_var(alpha[combo], beta[combo], p, h)


def _expanding_persistence(z, mask, years, scale, logit_low, ctx: ExpandingContext) -> ExpandingState:
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
    kept = ctx.kept
    last_z, last_t, m_hist = last_z[:, kept], last_t[:, kept], m_hist[:, kept]
    sd = np.sqrt(ss_hist[:, kept] / np.maximum(m_hist, 1))
    last_z, last_t, m_hist, sd = (ctx.at_origins(a) for a in (last_z, last_t, m_hist, sd))

    def forecast(o: slice, target_year: np.ndarray):
        h = np.maximum(target_year - last_t[:, o], 1.0)
        return last_z[:, o], np.maximum(sd[:, o] * np.sqrt(h), _EPS), np.maximum(m_hist[:, o], 1)

    return ExpandingState(forecast, np.where(mask, z, np.nan), scale, logit_low)
