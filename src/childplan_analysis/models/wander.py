"""How far the slope of a short window wanders: learnt from the long series' own history.

A series of three to five values is forecast from the slope of those few values, partially
pooled (:mod:`.pooling`). Beyond the noise of that slope, the future pace differs from the pace
of any short window: trends bend. A short series cannot show this itself; the long series of its
group or family can. In each long series, every window of ``length`` consecutive yearly values
(data up to the last observed year only) is extrapolated by OLS to each later value at most
``horizon`` years ahead, and the error e on the fitting scale is compared with what noise alone
would give, σ²(1 + 1/L + (T − x̄)²/Sxx) with σ² estimated from second differences
(E (Δ²z)² = 6σ² around any locally straight trend, so a bend does not inflate it). The excess is
modelled as q·h², h years after the window's end, and q is the moment estimate

    q = Σ (e² − σ² mult) h² / Σ h⁴       over the windows and horizons of a set of series,

clipped at 0. :func:`wander_sums` returns the two sums per series, so that any grouping of
series (a group, a family) adds them up with ``np.bincount``.
"""

from __future__ import annotations

import numpy as np

_EPS = 1e-12


def noise_from_second_differences(z: np.ndarray, mask: np.ndarray, years: np.ndarray) -> np.ndarray:
    """σ² of every series from its second differences over consecutive years (NaN if none)."""
    consecutive = (np.diff(years[:-1]) == 1) & (np.diff(years[1:]) == 1)
    present = mask[:, 2:] & mask[:, 1:-1] & mask[:, :-2] & consecutive[None, :]
    d2 = np.where(present, z[:, 2:] - 2 * z[:, 1:-1] + z[:, :-2], 0.0)
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, (d2**2).sum(axis=1) / np.maximum(count, 1) / 6, np.nan)


def wander_sums(z: np.ndarray, mask: np.ndarray, years: np.ndarray, length: int, horizon: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Σ (e² − σ² mult) h² and Σ h⁴ of every series over its windows of ``length`` consecutive
    years (see the module docstring); zero for series too short or without noise estimate."""
    years = np.asarray(years, dtype=float)
    k, J = z.shape
    sigma2 = noise_from_second_differences(z, mask, years)
    ok = np.isfinite(sigma2)
    num, den = np.zeros(k), np.zeros(k)
    for end in range(length - 1, J - 1):
        cols = slice(end - length + 1, end + 1)
        x = years[cols]
        if x[-1] - x[0] != length - 1:
            continue
        full = mask[:, cols].all(axis=1) & ok
        if not full.any():
            continue
        xbar = x.mean()
        sxx = ((x - xbar) ** 2).sum()
        zw = np.where(full[:, None], z[:, cols], 0.0)
        zbar = zw.mean(axis=1)
        slope = (zw * (x - xbar)).sum(axis=1) / sxx
        for t in range(end + 1, J):
            h = years[t] - x[-1]
            if h > horizon:
                break
            use = full & mask[:, t]
            err = z[:, t] - (zbar + slope * (years[t] - xbar))
            mult = 1 + 1 / length + (years[t] - xbar) ** 2 / sxx
            num += np.where(use, (err**2 - sigma2 * mult) * h**2, 0.0)
            den += np.where(use, h**4, 0.0)
    return np.nan_to_num(num), den
