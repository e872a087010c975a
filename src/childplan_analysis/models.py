"""Trend models fitted to many annual series at once.

Series are packed into a 2-D array (series × years, NaN where missing), as statsforecast does,
so every model is fitted for all series in one vectorised pass. Each family is ordinary least
squares of a transformed value on the year:

``linear``     y = a + b·t                     (constant annual change)
``loglinear``  log y = a + b·t                 (constant annual rate; gives the AARR)
``logit``      logit(y / upper) = a + b·t      (bounded share approaching its upper bound)

Predictive distributions are Student-t on the transformed scale with ``n − 2`` degrees of
freedom, so back-transformed intervals respect the natural bounds (no negative mortality, no
coverage above 100 %). See ``docs/methodology.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

FAMILIES = ("linear", "loglinear", "logit")
_EPS = 1e-9


@dataclass(frozen=True)
class SeriesPanel:
    """Annual series packed as arrays: ``values[i, j]`` is series ``i`` in ``years[j]``."""

    keys: pd.DataFrame
    years: np.ndarray
    values: np.ndarray

    @property
    def n_series(self) -> int:
        return self.values.shape[0]


def pack_series(obs: pd.DataFrame, key_cols: list[str]) -> SeriesPanel:
    """Pack a long frame (``key_cols`` + ``year``, ``value``) into a :class:`SeriesPanel`."""
    if obs.empty:
        return SeriesPanel(pd.DataFrame(columns=key_cols), np.array([], dtype=int), np.empty((0, 0)))
    keys, series_idx = _factorize_rows(obs[key_cols])
    years = np.sort(obs["year"].unique()).astype(int)
    year_idx = np.searchsorted(years, obs["year"].to_numpy(dtype=int))
    values = np.full((len(keys), len(years)), np.nan)
    values[series_idx, year_idx] = obs["value"].to_numpy(dtype=float)
    return SeriesPanel(keys, years, values)


def _factorize_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    codes = pd.MultiIndex.from_frame(frame.astype(str)).factorize() if len(frame.columns) > 1 else None
    if codes is None:
        idx, uniques = pd.factorize(frame.iloc[:, 0])
        keys = pd.DataFrame({frame.columns[0]: uniques})
        return keys, idx
    idx, uniques = codes
    keys = pd.DataFrame(list(uniques), columns=frame.columns)
    return keys, idx


@dataclass(frozen=True)
class TrendFit:
    """OLS fits of one family per series, on the transformed scale."""

    family: np.ndarray  # str per series
    upper: np.ndarray  # upper bound used by logit (NaN otherwise)
    n: np.ndarray
    xbar: np.ndarray
    sxx: np.ndarray
    intercept: np.ndarray  # fitted transformed value at xbar
    slope: np.ndarray
    resid_sd: np.ndarray
    first_year: np.ndarray
    last_year: np.ndarray
    last_value: np.ndarray

    @property
    def df(self) -> np.ndarray:
        return np.maximum(self.n - 2, 1)

    def slope_se(self) -> np.ndarray:
        """Standard error of the slope."""
        return self.resid_sd / np.sqrt(np.maximum(self.sxx, _EPS))

    def predict(self, year: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Predictive mean and scale (transformed scale) of a new observation in ``year``.

        ``year`` is a scalar, one year per series, or a (series × k) grid.
        """
        year = np.asarray(year, dtype=float)
        p = lambda a: _per_series(a, year)  # noqa: E731
        mean = p(self.intercept) + p(self.slope) * (year - p(self.xbar))
        n = np.maximum(p(self.n), 1)
        lever = (year - p(self.xbar)) ** 2 / np.maximum(p(self.sxx), _EPS)
        scale = p(self.resid_sd) * np.sqrt(1 + 1 / n + lever)
        return mean, np.maximum(scale, _EPS)

    def quantile(self, year: np.ndarray | float, q: float) -> np.ndarray:
        """Quantile ``q`` of the predictive distribution, on the original scale."""
        year = np.asarray(year, dtype=float)
        mean, scale = self.predict(year)
        z = mean + stats.t.ppf(q, _per_series(self.df, year)) * scale
        return inverse_transform(z, self.family, self.upper)

    def prob_between(self, year: np.ndarray | float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """P(low ≤ value in ``year`` ≤ high) under the predictive distribution."""
        mean, scale = self.predict(year)
        zl = transform(np.asarray(low, dtype=float), self.family, self.upper)
        zh = transform(np.asarray(high, dtype=float), self.family, self.upper)
        cdf_h = stats.t.cdf((zh - mean) / scale, self.df)
        cdf_l = stats.t.cdf((zl - mean) / scale, self.df)
        return np.clip(cdf_h - cdf_l, 0.0, 1.0)

    def prob_slope_sign(self, sign: np.ndarray | int) -> np.ndarray:
        """P(slope has the given sign), from the slope's t distribution."""
        z = self.slope / np.maximum(self.slope_se(), _EPS)
        return stats.t.cdf(np.sign(sign) * z, self.df)

    def annual_change(self) -> np.ndarray:
        """Fitted change per year at the last observed year, on the original scale."""
        a = self.fitted(self.last_year)
        b = self.fitted(self.last_year - 1)
        return a - b

    def fitted(self, year: np.ndarray | float) -> np.ndarray:
        """Fitted trend value (median) on the original scale."""
        mean, _ = self.predict(year)
        return inverse_transform(mean, self.family, self.upper)


def _per_series(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Reshape a per-series array so it broadcasts against ``x`` (series × …)."""
    a = np.asarray(a)
    return a.reshape(a.shape + (1,) * (x.ndim - a.ndim)) if a.ndim and x.ndim > a.ndim else a


def transform(x: np.ndarray, family: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Map values to the fitting scale of each series' family (±inf outside the domain)."""
    x = np.asarray(x, dtype=float)
    fam, up = _per_series(family, x), _per_series(upper, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        log = np.log(np.where(x > 0, x, 0.0))
        p = x / up
        logit = np.log(np.where(p > 0, p, 0.0)) - np.log(np.where(p < 1, 1 - p, 0.0))
    return np.where(fam == "loglinear", log, np.where(fam == "logit", logit, x))


def inverse_transform(z: np.ndarray, family: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Map fitting-scale values back to the original scale."""
    z = np.asarray(z, dtype=float)
    fam, up = _per_series(family, z), _per_series(upper, z)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(fam == "loglinear", np.exp(z), np.where(fam == "logit", up / (1 + np.exp(-z)), z))


def fit_trend(
    panel: SeriesPanel,
    family: np.ndarray | str,
    upper: np.ndarray | float = np.nan,
) -> TrendFit:
    """Fit ``family`` (one per series, or one for all) to every series of ``panel``.

    Values outside a family's domain (≤ 0 for loglinear, outside (0, upper) for logit) are
    nudged inside by half the smallest step the data allow, so that exact zeros and full
    coverage can still be fitted.
    """
    n_series = panel.n_series
    family = np.broadcast_to(np.asarray(family, dtype=object), (n_series,)).astype(str)
    upper = np.broadcast_to(np.asarray(upper, dtype=float), (n_series,)).copy()
    y = panel.values
    mask = ~np.isnan(y)
    y_adj = _nudge_into_domain(y, family, upper)
    z = transform(y_adj, family, upper)
    mask &= np.isfinite(z)
    x = np.broadcast_to(panel.years.astype(float), y.shape)
    n = mask.sum(axis=1).astype(float)
    safe_n = np.maximum(n, 1)
    xbar = np.where(mask, x, 0).sum(axis=1) / safe_n
    zbar = np.where(mask, z, 0).sum(axis=1) / safe_n
    dx = np.where(mask, x - xbar[:, None], 0)
    dz = np.where(mask, z - zbar[:, None], 0)
    sxx = (dx**2).sum(axis=1)
    slope = np.where(sxx > 0, (dx * dz).sum(axis=1) / np.maximum(sxx, _EPS), 0.0)
    resid = np.where(mask, dz - slope[:, None] * dx, 0)
    dof = np.maximum(n - 2, 1)
    resid_sd = np.sqrt((resid**2).sum(axis=1) / dof)
    years = panel.years
    any_obs = mask.any(axis=1)
    last_idx = np.where(any_obs, mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1), 0)
    first_idx = np.where(any_obs, np.argmax(mask, axis=1), 0)
    rows = np.arange(n_series)
    last_year = np.where(any_obs, years[last_idx] if len(years) else np.nan, np.nan)
    first_year = np.where(any_obs, years[first_idx] if len(years) else np.nan, np.nan)
    last_value = np.where(any_obs, y[rows, last_idx] if len(years) else np.nan, np.nan)
    return TrendFit(
        family=family,
        upper=upper,
        n=n,
        xbar=xbar,
        sxx=sxx,
        intercept=zbar,
        slope=slope,
        resid_sd=resid_sd,
        first_year=first_year.astype(float),
        last_year=last_year.astype(float),
        last_value=last_value.astype(float),
    )


def _nudge_into_domain(y: np.ndarray, family: np.ndarray, upper: np.ndarray) -> np.ndarray:
    y = y.copy()
    log = (family == "loglinear")[:, None]
    lg = (family == "logit")[:, None]
    pos = np.where(y > 0, y, np.nan)
    with np.errstate(all="ignore"):
        floor = np.nanmin(pos, axis=1, initial=np.inf)[:, None] / 2
    floor = np.where(np.isfinite(floor), floor, 1e-3)
    y = np.where((log | lg) & (y <= 0), floor, y)
    up = upper[:, None]
    gap = np.where(np.isfinite(up), up * 1e-3, 0)
    y = np.where(lg & (y >= up), up - gap, y)
    return y


def default_family(unit: str, polarity: str, bounds: tuple[float | None, float | None]) -> str:
    """The family used when none is chosen: loglinear for rates that should fall, logit for
    bounded shares that should rise, linear otherwise."""
    low, high = bounds
    if polarity == "lower" and (low is None or low >= 0):
        return "loglinear"
    if polarity == "higher" and unit == "%" and high == 100:
        return "logit"
    return "linear"
