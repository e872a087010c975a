"""Fitting scales: identity, log and logit, chosen per series, with their inverses.

A scale is named after the OLS family that uses it: ``linear`` (y), ``loglinear`` (log y) and
``logit`` (log p − log(1 − p) with p = (y − L)/(U − L) for natural bounds L, U). Models that are
not regressions (damped trend, persistence) run on the series' *natural scale*, the one of
:func:`default_family`, so that their intervals also respect natural bounds.
"""

from __future__ import annotations

import numpy as np

SCALES = ("linear", "loglinear", "logit")


def per_series(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Reshape a per-series array so it broadcasts against ``x`` (series × …)."""
    a = np.asarray(a)
    return a.reshape(a.shape + (1,) * (x.ndim - a.ndim)) if a.ndim and x.ndim > a.ndim else a


def _uniform(scale: np.ndarray | str) -> str | None:
    """The scale's name when every series uses the same one, else None."""
    arr = np.asarray(scale)
    if arr.ndim == 0 or arr.size == 0:
        return str(arr) if arr.ndim == 0 else "linear"
    first = arr.flat[0]
    return str(first) if np.all(arr == first) else None


def _by_scale(fn, x: np.ndarray, scale, upper, lower) -> np.ndarray | None:
    """``fn`` applied to the rows of each scale separately (one scale name each time), or None
    when ``scale`` (or a bound) is not one value per row of ``x``: the work of each row is then
    that of its own scale only."""
    scale = np.asarray(scale)
    bounds = [np.asarray(b, dtype=float) for b in (upper, lower)]
    k = len(scale) if scale.ndim == 1 else -1
    if k < 0 or x.ndim == 0 or x.shape[0] != k or any(b.ndim > 1 or (b.ndim and len(b) != k) for b in bounds):
        return None
    is_log, is_logit = scale == "loglinear", scale == "logit"
    out = np.empty(x.shape)
    for name, rows in (("linear", ~(is_log | is_logit)), ("loglinear", is_log), ("logit", is_logit)):
        rows = np.flatnonzero(rows)
        if len(rows) == k:
            return fn(x, name, *(b if b.ndim == 0 else b for b in bounds))
        if len(rows):
            out[rows] = fn(x[rows], name, *(b if b.ndim == 0 else b[rows] for b in bounds))
    return out


def transform(x: np.ndarray, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray | float = 0.0) -> np.ndarray:
    """Map values to the fitting scale of each series (±inf outside the scale's domain)."""
    x = np.asarray(x, dtype=float)
    uniform = _uniform(scale)
    if uniform is None:
        grouped = _by_scale(transform, x, scale, upper, lower)
        if grouped is not None:
            return grouped
    fam, up, lo = per_series(scale, x), per_series(upper, x), per_series(np.asarray(lower, dtype=float), x)
    with np.errstate(divide="ignore", invalid="ignore"):
        if uniform == "linear":
            return x.copy(order="K")  # in the layout of ``x`` (a fitting panel is column-major)
        if uniform == "loglinear":
            return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), -np.inf)
        p = (x - lo) / (up - lo)
        logit = np.log(np.where(p > 0, p, 0.0)) - np.log(np.where(p < 1, 1 - p, 0.0))
        if uniform == "logit":
            return logit
        log = np.log(np.where(x > 0, x, 0.0))
    return np.where(fam == "loglinear", log, np.where(fam == "logit", logit, x))


def inverse_transform(
    z: np.ndarray, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray | float = 0.0
) -> np.ndarray:
    """Map fitting-scale values back to the original scale."""
    z = np.asarray(z, dtype=float)
    uniform = _uniform(scale)
    if uniform is None:
        grouped = _by_scale(inverse_transform, z, scale, upper, lower)
        if grouped is not None:
            return grouped
    fam, up, lo = per_series(scale, z), per_series(upper, z), per_series(np.asarray(lower, dtype=float), z)
    with np.errstate(over="ignore", invalid="ignore"):
        if uniform is not None:
            if uniform == "linear":
                return z.copy()
            if uniform == "loglinear":
                return np.exp(z)
            return lo + (up - lo) / (1 + np.exp(-z))
        return np.where(
            fam == "loglinear", np.exp(z), np.where(fam == "logit", lo + (up - lo) / (1 + np.exp(-z)), z)
        )


def nudge_into_domain(y: np.ndarray, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """Move values on the edge of a scale's domain just inside it.

    Zeros (log) become half the smallest positive value of the series; values at a logit bound
    move inside by 0.1 % of the bound range, so that exact zeros and full coverage can be fitted.
    """
    y = np.array(y, dtype=float, copy=True)
    log = (scale == "loglinear")[:, None]
    lg = (scale == "logit")[:, None]
    pos = np.where(y > 0, y, np.nan)
    with np.errstate(all="ignore"):
        floor = np.nanmin(np.where(np.isnan(pos), np.inf, pos), axis=1, initial=np.inf)[:, None] / 2
    floor = np.where(np.isfinite(floor), floor, 1e-3)
    y = np.where(log & (y <= 0), floor, y)
    up, lo = upper[:, None], lower[:, None]
    gap = np.where(np.isfinite(up - lo), (up - lo) * 1e-3, 0)
    y = np.where(lg & (y >= up), up - gap, y)
    y = np.where(lg & (y <= lo), lo + gap, y)
    return y


def carried_scales(natural: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each series' natural scale, linear where a log scale cannot carry its values.

    A zero or negative value has no logarithm, and whatever stands in for it sets the fit: a
    county's rare-event rate 0, 0, 98, 0, 0 (one maternal death in five years) on a log scale,
    its zeros taken as half the smallest positive value, would be projected near 50, not near
    its mean of 20. Such a series is fitted on its own scale.
    """
    natural = np.asarray(natural)
    log = natural == "loglinear"
    if not log.any():
        return natural
    nonpositive = log & nonpositive_rows(values)
    return np.where(nonpositive, "linear", natural).astype(natural.dtype) if nonpositive.any() else natural


def nonpositive_rows(values: np.ndarray) -> np.ndarray:
    """Series with a zero or negative value (no log-scale family may fit them)."""
    with np.errstate(invalid="ignore"):
        return (np.asarray(values, dtype=float) <= 0).any(axis=1)


def default_family(unit: str, polarity: str, bounds: tuple[float | None, float | None]) -> str:
    """The conventional scale of an indicator: log for non-negative rates that should fall
    (constant annual rate of reduction), logit for shares bounded by 100 % that should rise,
    linear otherwise."""
    low, high = bounds
    if polarity == "lower" and (low is None or low >= 0):
        return "loglinear"
    if polarity == "higher" and unit == "%" and high == 100:
        return "logit"
    return "linear"


def indicator_scales(info) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For indicators (anything with ``unit``, ``polarity`` and ``bounds``), one per series: their
    conventional scales (:func:`default_family`) and their upper and lower bounds (NaN when open)."""
    scale = np.array([default_family(i.unit, i.polarity, i.bounds) for i in info], dtype=str)
    upper = np.array([np.nan if i.bounds[1] is None else float(i.bounds[1]) for i in info], dtype=float)
    lower = np.array([np.nan if i.bounds[0] is None else float(i.bounds[0]) for i in info], dtype=float)
    return scale, upper, lower


def eligible_scales(bounds: tuple[float | None, float | None]) -> tuple[str, ...]:
    """Scales a series with these natural bounds can be fitted on."""
    low, high = bounds
    out = ["linear"]
    if low is not None and low >= 0:
        out.append("loglinear")
    if low is not None and high is not None and high > low:
        out.append("logit")
    return tuple(out)


def default_lower(scale: np.ndarray) -> np.ndarray:
    """Lower bound assumed when none is given: 0 for the logit scale (shares), none otherwise."""
    return np.where(np.asarray(scale) == "logit", 0.0, np.nan)


def log_jacobian(y: np.ndarray, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """log |dz/dy| of each value's transform (0 where ``y`` is missing), per series' scale.

    Adding it to a log-likelihood on the fitting scale makes scales comparable on the original one.
    """
    y = np.asarray(y, dtype=float)
    mask = ~np.isnan(y)
    fam = per_series(np.asarray(scale), y)
    lo = per_series(np.where(np.isfinite(lower), lower, 0.0), y)
    up = per_series(np.asarray(upper, dtype=float), y)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log = -np.log(np.where(mask, np.maximum(y, 1e-12), 1.0))
        yy = np.clip(y, lo + 1e-9 * (up - lo), up - 1e-9 * (up - lo))
        logit = np.log(np.where(mask, (up - lo) / ((yy - lo) * (up - yy)), 1.0))
    out = np.where(fam == "loglinear", log, np.where(fam == "logit", logit, 0.0))
    return np.where(mask, out, 0.0)
