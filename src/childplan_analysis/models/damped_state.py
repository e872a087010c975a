"""What the damped trend does not know about its own state: the h-step variance terms.

ETS(A,Ad,N) in innovations form (Hyndman et al. 2008, ch. 6): y_t = w′x_{t−1} + ε_t,
x_t = F x_{t−1} + g ε_t with x = (level ℓ, trend b), w = (1, φ), F = [[1, φ], [0, φ]],
g = (α, β). With the parameters and the state known, the h-step forecast error has variance
σ² V(h), V(h) = 1 + Σ_{j<h} (α + β φ_j)², φ_j = φ + … + φʲ (:func:`damped_var`).

The state is not known: the recursion starts from the first value (level) and the slope between
the first two (trend). Its estimation error e_t = x̂_t − x_t then follows e_t = D e_{t−1},
D = F − g w′ (the discount matrix), from
    e₂ = ((1 − α) ε₂,  (1 − β) ε₂ − (1 − α) ε₁)            (one year between the first two values;
                                                          a gap adds the innovations inside it)
so the state error covariance is σ² P_t with P_t = D P_{t−1} D′ (plus the innovations of years
without a value, which the state absorbs but no value reveals). Then, exactly under the model:

- the one-step error of value t has variance σ² (V(gap) + w′_gap P_{t−1} w_gap), so
  σ̂² = SSE / Σ_t (V(gap_t) + w′P_{t−1}w) is unbiased (dividing by the count of errors is not:
  early errors carry the start's error too);
- the h-step forecast error has variance σ² (V(h) + w′_h P_n w_h), w_h = (1, φ_h): the
  uncertainty of the slope the short series was started from, which grows like φ_h² with h.

P and the normaliser depend only on which years are observed and on (α, β, φ), not on the
values, so they are worked out once per pattern of observed years.
"""

from __future__ import annotations

import numpy as np


def damped_sum(phi: np.ndarray, h: np.ndarray) -> np.ndarray:
    """φ + φ² + … + φʰ for h ≥ 0 (h for φ = 1); a straight line backwards for h < 0."""
    hp = np.maximum(h, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        geo = phi * (1 - phi**hp) / (1 - phi)
    geo = np.where(np.abs(1 - phi) < 1e-12, hp, geo)
    return np.where(h < 0, h, geo)


def damped_var(alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray, h: np.ndarray) -> np.ndarray:
    """1 + Σ_{j=1}^{h−1} (α + β·(φ + … + φʲ))², the ETS(A,Ad,N) variance multiplier."""
    alpha, beta, phi, h = np.broadcast_arrays(alpha, beta, phi, h)
    hmax = int(np.nanmax(np.where(np.isfinite(h), h, 0), initial=0))
    total = np.ones(h.shape)
    power = np.ones(h.shape)
    partial = np.zeros(h.shape)  # φ + … + φʲ, accumulated
    for j in range(1, hmax):
        power = power * phi
        partial = partial + power
        c = alpha + beta * partial
        total = total + np.where(j <= h - 1, np.nan_to_num(c) ** 2, 0.0)
    return total


def state_terms(p: tuple[np.ndarray, np.ndarray, np.ndarray], growth: np.ndarray) -> np.ndarray:
    """w′Pw with w = (1, φ + … + φʰ): the state error's share of the h-step variance (σ² units)."""
    p11, p12, p22 = p
    return np.nan_to_num(p11 + 2 * growth * p12 + growth**2 * p22)


def state_uncertainty(mask: np.ndarray, years: np.ndarray, alpha: np.ndarray, beta: np.ndarray,
                      phi: np.ndarray, combo: np.ndarray, *, keep_history: bool = False, history_from: int = 0
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """P (its entries P₁₁, P₁₂, P₂₂) and the normaliser Σ (V(gap) + w′Pw) of every series after
    its last value (see the module docstring), under the parameter set ``combo`` of each series.

    ``alpha``, ``beta`` (error correction), ``phi`` have shape (C,); ``mask`` (S × J) and
    ``combo`` (S,), giving arrays (S,). With ``keep_history``, ``combo`` is (J′ × S), one
    parameter set per column from ``history_from`` on, and the arrays are the state after each
    of those columns (J′ × S). Series sharing a pattern of observed years are computed once.
    """
    patterns, inverse = _patterns(mask)
    out = _pattern_pass(patterns, np.asarray(years, dtype=float), alpha, beta, phi, keep_history, history_from)
    combo = np.asarray(combo, dtype=int)
    if keep_history:
        cols = np.arange(out[0].shape[0])[:, None]
        return tuple(a[cols, combo, inverse[None, :]] for a in out)  # type: ignore[return-value]
    return tuple(a[combo, inverse] for a in out)  # type: ignore[return-value]


def _patterns(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``mask`` and the index of each row's pattern."""
    S, J = mask.shape
    if not mask.size:
        return mask, np.zeros(S, dtype=int)
    if J < 63:  # each row as one integer
        keys = mask.astype(np.int64) @ (np.int64(1) << np.arange(J, dtype=np.int64))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(np.packbits(mask, axis=1), axis=0, return_index=True, return_inverse=True)
    return mask[first], inverse.reshape(-1)


def _pattern_pass(mask: np.ndarray, years: np.ndarray, alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray,
                  keep_history: bool, history_from: int):
    C, (U, J) = len(alpha), mask.shape
    a, b, ph = alpha[:, None], beta[:, None], phi[:, None]
    p11, p12, p22, norm = (np.zeros((C, U)) for _ in range(4))
    count = np.zeros(U)
    last_t = np.full(U, np.nan)
    kept = max(J - history_from, 0)
    hist = [np.empty((kept, C, U)) for _ in range(4)] if keep_history else None
    for j, t in enumerate(years):
        obs = mask[:, j]
        gap = np.where(obs & (count >= 1), t - last_t, 1.0)[None, :]
        first = obs & (count == 0)
        second = obs & (count == 1)
        later = obs & (count >= 2)
        if first.any():
            p11 = np.where(first, (1 - a) ** 2, p11)
        if second.any():
            g = np.where(second, gap, 1.0)
            p11 = np.where(second, (1 - a) ** 2, p11)
            p12 = np.where(second, (1 - a) * (1 / g - b), p12)
            p22 = np.where(second, (1 / g - b) ** 2 + (1 - a) ** 2 / g**2 + _start_gap(a, b, ph, g), p22)
        if later.any():
            g = np.where(later, gap, 1.0)
            grow = damped_sum(ph, g)  # φ_g
            decay = ph**g  # φ^g
            norm = norm + np.where(later, damped_var(a, b, ph, g) + p11 + 2 * grow * p12 + grow**2 * p22, 0.0)
            # D = F_g − g w′_g
            d11, d12, d21, d22 = 1 - a, grow * (1 - a), -b, decay - b * grow
            n11 = d11**2 * p11 + 2 * d11 * d12 * p12 + d12**2 * p22
            n12 = d11 * d21 * p11 + (d11 * d22 + d12 * d21) * p12 + d12 * d22 * p22
            n22 = d21**2 * p11 + 2 * d21 * d22 * p12 + d22**2 * p22
            q11, q12, q22 = _gap_innovations(a, b, ph, g)
            p11 = np.where(later, n11 + q11, p11)
            p12 = np.where(later, n12 + q12, p12)
            p22 = np.where(later, n22 + q22, p22)
        count = count + obs
        last_t = np.where(obs, t, last_t)
        if keep_history and j >= history_from:
            for h_arr, cur in zip(hist, (p11, p12, p22, norm), strict=True):
                h_arr[j - history_from] = cur
    return tuple(hist) if keep_history else (p11, p12, p22, norm)


def _start_gap(a: np.ndarray, b: np.ndarray, ph: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Variance (σ² units) the innovations inside a gap of g years between the first two values
    leave in the starting slope (y₂ − y₁)/g: Σ_{0<j<g} ((α + βφ_j)/g − φʲβ)² (0 for g = 1)."""
    out = np.zeros(np.broadcast_shapes(a.shape, g.shape))
    for j in range(1, int(np.max(g, initial=1.0))):
        c = (a + b * damped_sum(ph, np.float64(j))) / g - ph**j * b
        out = out + np.where(j <= g - 1, c * c, 0.0)
    return out


def _gap_innovations(a: np.ndarray, b: np.ndarray, ph: np.ndarray, g: np.ndarray):
    """Covariance (σ² units) the innovations of the years inside a gap of g years leave in the
    state error: innovation j years before the observed value enters the state as Fʲ g and the
    estimate as g (α + βφ_j) through the one forecast error that includes it (0 for g = 1)."""
    q11, q12, q22 = (np.zeros(np.broadcast_shapes(a.shape, g.shape)) for _ in range(3))
    jmax = int(np.max(g, initial=1.0)) - 1
    for j in range(1, jmax + 1):
        inside = j <= g - 1
        c = a + b * damped_sum(ph, np.float64(j))
        u1 = a * c - (a + damped_sum(ph, np.float64(j)) * b)
        u2 = b * c - ph**j * b
        q11 = q11 + np.where(inside, u1 * u1, 0.0)
        q12 = q12 + np.where(inside, u1 * u2, 0.0)
        q22 = q22 + np.where(inside, u2 * u2, 0.0)
    return q11, q12, q22
