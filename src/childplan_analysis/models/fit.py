"""Trend models fitted to every series of a panel at once, with predictive distributions.

Every model gives, for a year T, a Student-t predictive distribution on the series' fitting
scale (identity, log or logit; see :mod:`.scales`): mean ``m(T)``, scale ``s(T)`` and degrees of
freedom. Back-transformed and clipped to the natural bounds, its quantiles are the forecast
interval and its mass inside the target's interval is ``p_meet``. Three kinds of model share
one array layout (:class:`TrendFit`), so that a different model can be chosen per series:

regression  ``linear`` / ``loglinear`` / ``logit`` (OLS on the scale) and ``escap``
            (time-weighted least squares, identity scale):
            m = a + b·(T − x̄_w),  s² = σ²·(1/w₀ + 1/Σw + (T − x̄_w)²/S_xx,w)
damped      additive damped trend, ETS(A,Ad,N) (Gardner & McKenzie 1985; Hyndman et al. 2008):
            m = ℓ + b·(φ + … + φʰ),  s² = σ²·(1 + Σ_{j<h} (α + β(φ + … + φʲ))² + w′_h P w_h),
            P the error of the state started from the first two values, w_h = (1, φ + … + φʰ),
            σ² = SSE / Σ E(one-step error²)/σ² (:mod:`.damped_state`)
persistence last value (random walk): m = z_last,  s² = σ²·h with σ² from yearly changes

Direction-of-change inference (``prob_slope_sign``, ``annual_change``) always uses the OLS
trend on the same scale, whatever model forecasts the level.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
from scipy import special, stats

from childplan_analysis.core import config
from childplan_analysis.models.damped_state import damped_sum as _damped_sum
from childplan_analysis.models.damped_state import damped_var as _damped_var
from childplan_analysis.models.damped_state import state_terms, state_uncertainty
from childplan_analysis.models.panel import SeriesPanel, observed_span
from childplan_analysis.models.scales import (
    inverse_transform,
    nudge_into_domain,
    per_series,
    transform,
)

REGRESSION, DAMPED, PERSISTENCE = 0, 1, 2
#: The damped trend's state error covariance, per series (see :mod:`.damped_state`).
STATE_FIELDS = ("p_level", "p_cross", "p_trend")
_EPS = 1e-12

#: Grid of damped-trend parameters searched per series: level smoothing α, trend smoothing β*
#: (error-correction β = α·β*) and damping φ.
DAMPED_ALPHA = (0.4, 0.8)
DAMPED_BETA = (0.1, 0.4)
DAMPED_PHI = (0.85, 0.98)


@dataclass(frozen=True)
class TrendFit:
    """Fitted models, one per series, on each series' fitting scale (see the module docstring)."""

    model: np.ndarray  # model name per series
    family: np.ndarray  # fitting scale per series: linear | loglinear | logit
    kind: np.ndarray  # REGRESSION | DAMPED | PERSISTENCE
    upper: np.ndarray  # natural upper bound (inf if none)
    lower_bound: np.ndarray  # natural lower bound (-inf if none)
    n: np.ndarray
    df: np.ndarray
    first_year: np.ndarray
    last_year: np.ndarray
    last_value: np.ndarray
    anchor: np.ndarray  # year at which ``level`` applies
    level: np.ndarray
    slope: np.ndarray
    resid_sd: np.ndarray
    inflate: np.ndarray  # interval calibration factor (1 = the model's own intervals)
    xbar: np.ndarray
    sxx: np.ndarray
    sw: np.ndarray
    w0: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    phi: np.ndarray
    trend_xbar: np.ndarray  # OLS trend on the same scale, for direction inference
    trend_level: np.ndarray
    trend_slope: np.ndarray
    trend_se: np.ndarray
    trend_df: np.ndarray
    #: Extra spread per year ahead of the last value (fitting scale) when the recent slope departs
    #: from the long one (:mod:`.departure`); None means 0 for every series.
    drift: np.ndarray | None = None
    #: Damped trend: covariance of its state's estimation error in units of σ² (level, level ×
    #: trend, trend; :mod:`.damped_state`); None means 0 for every series.
    p_level: np.ndarray | None = None
    p_cross: np.ndarray | None = None
    p_trend: np.ndarray | None = None
    #: Interval calibration per whole year ahead of the last value, (series × ``BACKTEST_HORIZON``),
    #: on top of ``inflate``; years further ahead use the last column. None means 1 throughout.
    horizon_inflate: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("drift", *STATE_FIELDS):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(len(self.n)))
        if self.horizon_inflate is None:
            object.__setattr__(self, "horizon_inflate", np.ones((len(self.n), config.BACKTEST_HORIZON)))
        # predictive mean and scale of the years asked for as one number (read-only arrays):
        # a point, its interval bounds and p_meet in the same year share one prediction
        object.__setattr__(self, "_predicted", {})

    @property
    def n_series(self) -> int:
        return len(self.n)

    @property
    def intercept(self) -> np.ndarray:
        """Fitted value at ``anchor`` on the fitting scale."""
        return self.level

    # ------------------------------------------------------------------ predictive distribution
    def predict(self, year: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Predictive mean and scale (fitting scale) of the value in ``year``.

        ``year`` is a scalar, one year per series, or a (series × k) grid. The fit's arrays are
        not to be changed after its first prediction (predictions of one year are kept).
        """
        year = np.asarray(year, dtype=float)
        if year.ndim == 0:
            key = float(year)
            if key not in self._predicted:
                mean, scale = self._predict(year)
                mean.flags.writeable = scale.flags.writeable = False
                self._predicted[key] = (mean, scale)
            return self._predicted[key]
        return self._predict(year)

    def _predict(self, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = lambda a: per_series(a, year)  # noqa: E731
        h = year - p(self.anchor)
        kind = p(self.kind)
        growth = np.where(kind == PERSISTENCE, 0.0, h)
        with np.errstate(divide="ignore", invalid="ignore"):
            reg = 1 / p(self.w0) + 1 / np.maximum(p(self.sw), _EPS) + (year - p(self.xbar)) ** 2 / np.maximum(
                p(self.sxx), _EPS)
        persist = np.maximum(h, 1.0)
        mult = np.where(kind == PERSISTENCE, persist, reg)
        damped = np.flatnonzero(self.kind == DAMPED)  # the damped terms cost most: only their rows
        if len(damped):
            alpha, beta, phi, hd, *state = (a[damped] for a in np.broadcast_arrays(
                p(self.alpha), p(self.beta), p(self.phi), h, *(p(getattr(self, f)) for f in STATE_FIELDS)))
            growth = np.array(np.broadcast_to(growth, h.shape), dtype=float)
            mult = np.array(np.broadcast_to(mult, h.shape), dtype=float)
            growth[damped] = _damped_sum(phi, hd)
            # the innovations ahead, and the error of the state the forecast starts from
            mult[damped] = _damped_var(alpha, beta, phi, hd) + np.where(
                hd > 0, state_terms(tuple(state), growth[damped]), 0.0)
        mean = p(self.level) + p(self.slope) * growth
        ahead = np.maximum(year - p(self.last_year), 0.0)
        inflate = p(self.inflate) * self._by_horizon(ahead)
        scale = np.sqrt((p(self.resid_sd) * inflate) ** 2 * mult + (p(self.drift) * ahead) ** 2)
        return mean, np.maximum(scale, _EPS)

    def _by_horizon(self, ahead: np.ndarray) -> np.ndarray:
        """Each series' calibration factor for being ``ahead`` years past its last value."""
        factors = np.asarray(self.horizon_inflate, dtype=float)
        k, width = factors.shape  # ``ahead`` is (series × …), as every prediction is
        if not k:
            return np.ones(np.shape(ahead))
        col = np.clip(np.ceil(np.nan_to_num(ahead, nan=1.0)), 1, width).astype(int) - 1
        return np.take_along_axis(factors, col.reshape(k, -1), axis=1).reshape(col.shape)

    def _clip(self, x: np.ndarray) -> np.ndarray:
        return np.clip(x, per_series(self.lower_bound, x), per_series(self.upper, x))

    def quantile(self, year: np.ndarray | float, q: float) -> np.ndarray:
        """Quantile ``q`` of the predictive distribution, on the original scale, within natural bounds."""
        year = np.asarray(year, dtype=float)
        mean, scale = self.predict(year)
        z = mean + per_series(_t_ppf(q, self.df), year) * scale
        return self._clip(inverse_transform(z, per_series(self.family, z), per_series(self.upper, z),
                                            per_series(self._logit_low(), z)))

    def fitted(self, year: np.ndarray | float) -> np.ndarray:
        """Point forecast (predictive median) on the original scale."""
        mean, _ = self.predict(year)
        return self._clip(inverse_transform(mean, per_series(self.family, mean), per_series(self.upper, mean),
                                            per_series(self._logit_low(), mean)))

    def prob_between(self, year: np.ndarray | float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """P(low ≤ value in ``year`` ≤ high); mass beyond a natural bound sits on the bound."""
        mean, scale = self.predict(year)
        low = np.where(np.asarray(low, dtype=float) <= self.lower_bound, -np.inf, low)
        high = np.where(np.asarray(high, dtype=float) >= self.upper, np.inf, high)
        zl = transform(low, self.family, self.upper, self._logit_low())
        zh = transform(high, self.family, self.upper, self._logit_low())
        zl = np.where(low == -np.inf, -np.inf, zl)
        zh = np.where(high == np.inf, np.inf, zh)
        with np.errstate(invalid="ignore"):
            cdf_h = t_cdf((zh - mean) / scale, self.df)
            cdf_l = t_cdf((zl - mean) / scale, self.df)
        return np.clip(np.nan_to_num(cdf_h - cdf_l, nan=0.0), 0.0, 1.0)

    def _logit_low(self) -> np.ndarray:
        return np.where(np.isfinite(self.lower_bound), self.lower_bound, 0.0)

    # ------------------------------------------------------------------ direction of change
    def slope_se(self) -> np.ndarray:
        """Standard error of the OLS trend slope (fitting scale)."""
        return self.trend_se

    def prob_slope_sign(self, sign: np.ndarray | int) -> np.ndarray:
        """P(the OLS trend slope has the given sign), from its t distribution."""
        z = self.trend_slope / np.maximum(self.trend_se, _EPS)
        return t_cdf(np.sign(sign) * z, self.trend_df)

    def trend_value(self, year: np.ndarray | float) -> np.ndarray:
        """OLS trend value on the original scale."""
        year = np.asarray(year, dtype=float)
        z = per_series(self.trend_level, year) + per_series(self.trend_slope, year) * (
            year - per_series(self.trend_xbar, year))
        return inverse_transform(z, per_series(self.family, z), per_series(self.upper, z),
                                 per_series(self._logit_low(), z))

    def annual_change(self) -> np.ndarray:
        """Change per year of the OLS trend at the last observed year, on the original scale."""
        return self.trend_value(self.last_year) - self.trend_value(self.last_year - 1)

    def with_inflation(self, factor: np.ndarray) -> TrendFit:
        """The same fit with interval scales multiplied by ``factor``."""
        return replace(self, inflate=np.asarray(factor, dtype=float) * self.inflate)

    def with_horizon_inflation(self, factor: np.ndarray) -> TrendFit:
        """The same fit with interval scales multiplied by ``factor`` (series × years ahead)."""
        return replace(self, horizon_inflate=np.asarray(factor, dtype=float) * self.horizon_inflate)

    def with_drift(self, drift: np.ndarray) -> TrendFit:
        """The same fit with ``drift`` (fitting scale, per year ahead) added to its spread."""
        return replace(self, drift=np.nan_to_num(np.asarray(drift, dtype=float)))


def choose(fits: list[TrendFit], index: np.ndarray) -> TrendFit:
    """Per series ``i``, the fit ``fits[index[i]]``."""
    index = np.asarray(index, dtype=int)
    rows = np.arange(len(index))
    out = {}
    for f in fields(TrendFit):
        stacked = np.stack([np.asarray(getattr(fit, f.name), dtype=object if f.name in ("model", "family") else None)
                            for fit in fits])
        out[f.name] = stacked[index, rows]
    for name in ("model", "family"):
        out[name] = out[name].astype(str)
    return TrendFit(**out)


def scatter(parts: list[TrendFit], rows: list[np.ndarray], n_series: int) -> TrendFit:
    """One fit of ``n_series`` series assembled from fits of disjoint row sets."""
    out = {}
    for f in fields(TrendFit):
        first = np.asarray(getattr(parts[0], f.name))
        arr = np.empty((n_series,) + first.shape[1:], dtype=object if f.name in ("model", "family") else first.dtype)
        for part, r in zip(parts, rows, strict=True):
            arr[r] = getattr(part, f.name)
        out[f.name] = arr.astype(str) if f.name in ("model", "family") else arr
    return TrendFit(**out)


# ---------------------------------------------------------------------- helpers shared by fitters
def t_cdf(x: np.ndarray, df: np.ndarray) -> np.ndarray:
    """``scipy.stats.t.cdf(x, df)`` for arrays, without its per-call checks: the same values
    (``special.stdtr``), 0 at −∞, 1 at +∞, NaN where ``x`` is NaN or ``df`` ≤ 0."""
    x, df = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    with np.errstate(invalid="ignore"):
        valid = df > 0
        out = special.stdtr(np.where(valid, df, 1.0), np.where(np.isfinite(x), x, 0.0))
    out = np.where(x == np.inf, 1.0, np.where(x == -np.inf, 0.0, out))
    return np.where(valid & ~np.isnan(x), out, np.nan)


def t_sf(x: np.ndarray, df: np.ndarray) -> np.ndarray:
    """``scipy.stats.t.sf(x, df)`` for arrays (see :func:`t_cdf`)."""
    return t_cdf(-np.asarray(x, dtype=float), df)


def _t_ppf(q: float, df: np.ndarray) -> np.ndarray:
    """Student-t quantile ``q`` for every series, computed once per distinct ``df``."""
    df = np.asarray(df, dtype=float)
    codes, uniq = pd.factorize(df, use_na_sentinel=False)
    uniq = np.asarray(uniq, dtype=float)
    if not 0 < q < 1:
        return stats.t.ppf(q, uniq)[codes]
    with np.errstate(invalid="ignore"):
        valid = uniq > 0  # scipy.stats.t.ppf without its per-call checks: special.stdtrit
        return np.where(valid, special.stdtrit(np.where(valid, uniq, 1.0), q), np.nan)[codes]



def _prepare(panel: SeriesPanel, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray):
    """Values on the fitting scale (0 where missing) and the mask of usable values.

    Arrays are column-major, so that one year across all series is contiguous.
    """
    y = np.asfortranarray(panel.values)
    logit_low = np.where(np.isfinite(lower), lower, 0.0)
    if not np.all(scale == "linear"):
        y = np.asfortranarray(nudge_into_domain(y, scale, upper, logit_low))
    z = np.asfortranarray(transform(y, scale, upper, logit_low))
    mask = ~np.isnan(y) & np.isfinite(z)
    return np.asfortranarray(np.where(mask, z, 0.0)), np.asfortranarray(mask)


def _broadcast(panel: SeriesPanel, value, dtype=float) -> np.ndarray:
    arr = np.broadcast_to(np.asarray(value, dtype=dtype), (panel.n_series,)).copy()
    return arr


def _bounds(panel: SeriesPanel, upper, lower) -> tuple[np.ndarray, np.ndarray]:
    up = _broadcast(panel, upper)
    lo = _broadcast(panel, lower)
    return np.where(np.isnan(up), np.inf, up), np.where(np.isnan(lo), -np.inf, lo)


def weighted_ols(x: np.ndarray, z: np.ndarray, mask: np.ndarray, w: np.ndarray | None = None
                 ) -> dict[str, np.ndarray]:
    """Weighted least squares of z on x for every row at once (two-pass, numerically stable).

    ``z`` and ``x`` are finite (as :func:`_prepare` gives them). Unit weights (``w`` None or all
    1) skip the products by the weights, which then change nothing.
    """
    n = mask.sum(axis=1).astype(float)
    unit = w is None or bool(np.all(w == 1.0))
    w = None if unit else np.where(mask, w, 0.0)

    def weighted(a: np.ndarray) -> np.ndarray:
        return a if unit else w * a

    sw = n.copy() if unit else w.sum(axis=1)
    safe = np.maximum(sw, _EPS)
    xbar = (np.where(mask, x, 0.0) if unit else w * x).sum(axis=1) / safe
    zbar = (np.where(mask, z, 0.0) if unit else w * z).sum(axis=1) / safe
    dx = np.where(mask, x - xbar[:, None], 0.0)
    dz = np.where(mask, z - zbar[:, None], 0.0)
    sxx = weighted(dx**2).sum(axis=1)
    slope = np.where(sxx > 0, (weighted(dx) * dz).sum(axis=1) / np.maximum(sxx, _EPS), 0.0)
    resid = np.where(mask, dz - slope[:, None] * dx, 0.0)
    dof = np.maximum(n - 2, 1)
    sd = np.sqrt(weighted(resid**2).sum(axis=1) / dof)
    return {"n": n, "sw": sw, "xbar": xbar, "level": zbar, "slope": slope, "sxx": sxx, "sd": sd, "dof": dof}


def escap_weights(years: np.ndarray, first_year: np.ndarray) -> np.ndarray:
    """Time weights of the ESCAP-style regression: 1 for the first observed year, rising by 1 a year."""
    return np.maximum(years[None, :] - first_year[:, None] + 1.0, 1.0)


# ---------------------------------------------------------------------- fitters
def fit_regression(
    panel: SeriesPanel,
    model: np.ndarray,
    scale: np.ndarray,
    upper: np.ndarray,
    lower: np.ndarray,
    time_weighted: np.ndarray,
) -> TrendFit:
    """Least squares of the fitting-scale values on the year, for every series at once.

    ``model`` names the family of each series (kept in the fit), ``scale`` its fitting scale,
    ``upper`` / ``lower`` natural bounds (NaN: none), ``time_weighted`` whether the series uses
    the ESCAP-style time weights (:func:`escap_weights`). Values on the edge of a scale's domain
    are nudged inside (see :func:`.scales.nudge_into_domain`).
    """
    up, lo = _bounds(panel, upper, lower)
    z, mask = _prepare(panel, scale, up, lo)
    x = np.broadcast_to(panel.years.astype(float), z.shape)
    n, first, last, last_value = observed_span(panel)
    ols = weighted_ols(x, z, mask)
    time_weighted = np.asarray(time_weighted, dtype=bool)
    if time_weighted.any():
        w = np.where(time_weighted[:, None], escap_weights(panel.years.astype(float), np.nan_to_num(first)), 1.0)
        reg = weighted_ols(x, z, mask, w)
        w0 = np.where(time_weighted, np.nan_to_num(last - first) + 1.0, 1.0)
    else:
        reg, w0 = ols, np.ones(panel.n_series)
    return _regression_fit(panel, model, scale, up, lo, reg, w0, ols, first, last, last_value)


def _regression_fit(panel, model, scale, up, lo, reg, w0, ols, first, last, last_value) -> TrendFit:
    k = panel.n_series
    nan = np.full(k, np.nan)
    return TrendFit(
        model=model, family=scale.astype(str), kind=np.full(k, REGRESSION), upper=up, lower_bound=lo,
        n=reg["n"], df=reg["dof"], first_year=first, last_year=last, last_value=last_value,
        anchor=reg["xbar"], level=reg["level"], slope=reg["slope"], resid_sd=reg["sd"], inflate=np.ones(k),
        xbar=reg["xbar"], sxx=reg["sxx"], sw=reg["sw"], w0=w0, alpha=nan, beta=nan, phi=nan,
        **_trend_fields(ols),
    )


def _trend_fields(ols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    se = ols["sd"] / np.sqrt(np.maximum(ols["sxx"], _EPS))
    return {"trend_xbar": ols["xbar"], "trend_level": ols["level"], "trend_slope": ols["slope"],
            "trend_se": se, "trend_df": ols["dof"]}


def _transformed(panel: SeriesPanel, scale, upper, lower):
    """Per-row scale names, bounds, the values on the model scale with their mask, and the years
    broadcast to the value grid: what a recursive family starts from."""
    scale = _broadcast(panel, scale, dtype=object).astype(str)
    up, lo = _bounds(panel, upper, lower)
    z, mask = _prepare(panel, scale, up, lo)
    return scale, up, lo, z, mask, np.broadcast_to(panel.years.astype(float), z.shape)


def fit_persistence(panel: SeriesPanel, scale: np.ndarray | str, upper=np.nan, lower=np.nan) -> TrendFit:
    """Last value carried forward; spread from the yearly changes of the series (random walk)."""
    scale, up, lo, z, mask, x = _transformed(panel, scale, upper, lower)
    n, first, last, last_value = observed_span(panel)
    ss, m, z_last = _random_walk_stats(z, mask, panel.years.astype(float))
    sd = np.sqrt(ss / np.maximum(m, 1))
    ols = weighted_ols(x, z, mask)
    k = panel.n_series
    nan = np.full(k, np.nan)
    return TrendFit(
        model=np.full(k, "persistence"), family=scale, kind=np.full(k, PERSISTENCE), upper=up, lower_bound=lo,
        n=n.astype(float), df=np.maximum(m, 1).astype(float), first_year=first, last_year=last,
        last_value=last_value, anchor=last, level=z_last, slope=np.zeros(k), resid_sd=sd, inflate=np.ones(k),
        xbar=nan, sxx=nan, sw=nan, w0=nan, alpha=nan, beta=nan, phi=nan, **_trend_fields(ols),
    )


def _random_walk_stats(z: np.ndarray, mask: np.ndarray, years: np.ndarray):
    """Sum of squared yearly-normalised changes, their count and the last value, per row."""
    k = z.shape[0]
    prev_z = np.full(k, np.nan)
    prev_t = np.full(k, np.nan)
    ss = np.zeros(k)
    m = np.zeros(k)
    for j, t in enumerate(years):
        obs = mask[:, j]
        has_prev = obs & ~np.isnan(prev_z)
        gap = np.where(has_prev, t - prev_t, 1.0)
        d = np.where(has_prev, (z[:, j] - np.nan_to_num(prev_z)) ** 2 / gap, 0.0)
        ss += d
        m += has_prev
        prev_z = np.where(obs, z[:, j], prev_z)
        prev_t = np.where(obs, t, prev_t)
    return ss, m, prev_z


def damped_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """α, error-correction β and φ of every grid combination."""
    combos = [(a, a * b, p) for a in DAMPED_ALPHA for b in DAMPED_BETA for p in DAMPED_PHI]
    arr = np.array(combos, dtype=float)
    return arr[:, 0], arr[:, 1], arr[:, 2]


def damped_pass(z: np.ndarray, mask: np.ndarray, years: np.ndarray, alpha: np.ndarray, beta: np.ndarray,
                phi: np.ndarray, keep_history: bool = False, history_from: int = 0):
    """Run the damped-trend recursion for every (parameter set × series) at once.

    ``alpha``, ``beta`` (error correction), ``phi`` have shape (C,); ``z``/``mask`` (S × J).
    Initialisation: level = first value; trend = slope between the first two values; one-step
    errors are counted from the third value on. A missing year is a prediction step (no update).
    Returns the final level, trend and squared-error sum (C × S), error count and year of the last
    value (S). With ``keep_history``, the same after every column from ``history_from`` on,
    column first: level, trend, sse of shape (J′ × C × S), count and year (J′ × S).
    """
    C, S, J = len(alpha), z.shape[0], z.shape[1]
    a, b_ec, ph = alpha[:, None], beta[:, None], phi[:, None]
    level = np.zeros((C, S))
    trend = np.zeros((C, S))
    sse = np.zeros((C, S))
    count = np.zeros(S)
    m = np.zeros(S)
    last_t = np.full(S, np.nan)
    kept = max(J - history_from, 0)
    hist = {k: np.empty((kept, C, S)) for k in ("level", "trend", "sse")} if keep_history else None
    hist_m = np.empty((kept, S)) if keep_history else None
    hist_t = np.empty((kept, S)) if keep_history else None
    # φ^g and φ + … + φ^g for every gap g that occurs, looked up instead of recomputed
    max_gap = int(np.ptp(years)) + 1 if len(years) else 1
    g = np.arange(max_gap + 1, dtype=float)
    pow_table = ph ** g[None, :]  # (C × G)
    sum_table = _damped_sum(ph, np.broadcast_to(g, (C, len(g))))
    # work arrays, updated in place (the values are those of the plain expressions in the comments)
    pred_level, pred_trend, err, step = (np.empty((C, S)) for _ in range(4))
    for j, t in enumerate(years):
        obs = mask[:, j]
        zj = z[:, j]
        first = obs & (count == 0)
        second = obs & (count == 1)
        later = obs & (count >= 2)
        gap = np.where(obs & (count >= 1), t - last_t, 1.0)
        np.copyto(level, zj, where=first)
        if second.any():
            np.copyto(trend, (zj - level) / gap, where=second)
            np.copyto(level, zj, where=second)
        if later.any():
            gi = np.where(later, gap, 1).astype(int)
            if np.all(gi == 1):
                np.multiply(trend, ph, out=pred_trend)
                np.add(level, pred_trend, out=pred_level)  # level + trend·φ
            else:
                np.multiply(trend, sum_table[:, gi], out=pred_level)
                np.add(level, pred_level, out=pred_level)
                np.multiply(trend, pow_table[:, gi], out=pred_trend)
            np.subtract(zj, pred_level, out=err)
            np.multiply(a, err, out=step)
            np.add(pred_level, step, out=pred_level)  # pred_level + α·err
            np.multiply(b_ec, err, out=step)
            np.add(pred_trend, step, out=pred_trend)  # pred_trend + β·err
            np.multiply(err, err, out=err)
            np.add(sse, err, out=err)  # sse + err²
            if later.all():  # every series moves on: the new arrays take the old ones' place
                level, pred_level = pred_level, level
                trend, pred_trend = pred_trend, trend
                sse, err = err, sse
            else:
                np.copyto(level, pred_level, where=later)
                np.copyto(trend, pred_trend, where=later)
                np.copyto(sse, err, where=later)
            m = m + later
        count = count + obs
        last_t = np.where(obs, t, last_t)
        if keep_history and j >= history_from:
            i = j - history_from
            hist["level"][i] = level
            hist["trend"][i] = trend
            hist["sse"][i] = sse
            hist_m[i] = m
            hist_t[i] = last_t
    if keep_history:
        return hist["level"], hist["trend"], hist["sse"], hist_m, hist_t
    return level, trend, sse, m, last_t


def fit_damped(panel: SeriesPanel, scale: np.ndarray | str, upper=np.nan, lower=np.nan) -> TrendFit:
    """Additive damped trend per series, parameters chosen from a grid by in-sample one-step SSE;
    its variance includes the error of the state it starts from (:mod:`.damped_state`)."""
    scale, up, lo, z, mask, x = _transformed(panel, scale, upper, lower)
    n, first, last, last_value = observed_span(panel)
    alpha, beta, phi = damped_grid()
    level, trend, sse, m, last_t = damped_pass(z, mask, panel.years.astype(float), alpha, beta, phi)
    best = np.argmin(sse, axis=0) if len(alpha) else np.zeros(panel.n_series, dtype=int)
    rows = np.arange(panel.n_series)
    p11, p12, p22, norm = state_uncertainty(mask, panel.years, alpha, beta, phi, best)
    # σ² unbiased: each one-step error's expected square is σ²(V(gap) + w′Pw), not σ²
    sd = np.sqrt(sse[best, rows] / np.maximum(norm, 1))
    ols = weighted_ols(x, z, mask)
    k = panel.n_series
    nan = np.full(k, np.nan)
    return TrendFit(
        model=np.full(k, "damped"), family=scale, kind=np.full(k, DAMPED), upper=up, lower_bound=lo,
        n=n.astype(float), df=np.maximum(m - 1, 1).astype(float), first_year=first, last_year=last,
        last_value=last_value, anchor=last_t, level=level[best, rows], slope=trend[best, rows], resid_sd=sd,
        inflate=np.ones(k), xbar=nan, sxx=nan, sw=nan, w0=nan, alpha=alpha[best], beta=beta[best],
        phi=phi[best], **_trend_fields(ols), p_level=p11, p_cross=p12, p_trend=p22,
    )


def take(fit: TrendFit, rows: np.ndarray) -> TrendFit:
    """Fits of ``rows`` (a row of -1 gives a series without data: ``n = 0``)."""
    rows = np.asarray(rows, dtype=int)
    ok = rows >= 0
    safe = np.where(ok, rows, 0)
    out = {}
    for f in fields(TrendFit):
        arr = np.asarray(getattr(fit, f.name))
        if len(arr):
            out[f.name] = arr[safe]
        elif f.name in ("model", "family"):
            out[f.name] = np.full(len(rows), "linear")
        elif arr.ndim == 2:
            out[f.name] = np.ones((len(rows), arr.shape[1]))
        else:
            out[f.name] = np.full(len(rows), REGRESSION if f.name == "kind" else np.nan)
    out["n"] = np.where(ok, out["n"], 0.0) if len(fit.n) else np.zeros(len(rows))
    for name in ("drift", *STATE_FIELDS):
        out[name] = np.nan_to_num(out[name])
    for name in ("first_year", "last_year", "last_value"):
        out[name] = np.where(ok, out[name], np.nan).astype(float)
    out["horizon_inflate"] = np.where(ok[:, None], out["horizon_inflate"], 1.0)
    return TrendFit(**out)
