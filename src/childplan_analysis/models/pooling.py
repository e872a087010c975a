"""Partial pooling of trends across series: siblings, then the indicator's family (empirical Bayes).

A short series says little about its own slope or noise. :func:`pooled_trend` lets every series
borrow both, in proportion to how thin its own evidence is, from two levels: its *group* (the
same indicator in the other regions of the call — sibling counties, and the indicator's longer
series) and its *family* (the indicators fitted on the same relative scale: log for rates that
should fall, whose slopes are relative rates of change; logit for shares bounded by 100 %,
whose slopes are rates of saturation toward the bound). Slopes and noise are compared on each
series' fitting scale, where they are relative quantities comparable across levels and units.
With OLS slope bᵢ, residual variance sᵢ² on dᵢ = nᵢ − 2 degrees of freedom and Sxxᵢ = Σ(t − t̄ᵢ)²:

noise   σ̃ᵢ² = (d₀ s₀² + dᵢ sᵢ²) / (d₀ + dᵢ) on d₀ + dᵢ degrees of freedom, with s₀² and d₀
        estimated by moments (:mod:`.moderation`) from the group's residual variances about a
        line through each series' last ``POOL_BELOW`` − 1 values — the noise a short series'
        own line sees; one line through a long series' 15 years also holds its trend's bends
        (the family's when the group has too few series).
slopes  bᵢ ~ N(βᵢ, vᵢ), vᵢ = σ̃ᵢ²/Sxxᵢ. Within a group βᵢ ~ N(μ_g, τ_g²), μ_g and τ_g² by
        DerSimonian–Laird over the group's series with ≥ 3 values (:func:`random_effects`).
        Across a family the group means μ_g ~ N(μ_F, τ_b²), again by DerSimonian–Laird over the
        groups, and each μ_g is shrunk toward μ_F:
        μ̃_g = B_g μ_F + (1 − B_g) μ_g, B_g = Var μ_g / (Var μ_g + τ_b² + Var μ_F).
prior   a series whose group has ≥ ``POOL_MIN_SERIES`` informative series: N(μ̃_g, τ_g² + (1 − B_g) Var μ_g);
        otherwise, when its family has, the family's series-level random effects N(μ_f, τ_f² + Var μ_f)
        (the indicator's series borrow as if the family's series were siblings).
posterior  Bᵢ = vᵢ / (vᵢ + prior variance)  (the shrinkage: 0 = own slope, 1 = the prior),
        β̃ᵢ = Bᵢ μ + (1 − Bᵢ) bᵢ, Var β̃ᵢ = (1 − Bᵢ) vᵢ; a one-value series has Bᵢ = 1, β̃ᵢ = μ and
        the prior variance.
wander  a series with fewer than ``POOL_BELOW`` values adds q h² (h years after its last value),
        q the slope wander of windows as long as it in its family's long series (:mod:`.wander`;
        of the longest shorter windows there are when there is none of its length).
forecast  m(T) = z̄ᵢ + β̃ᵢ (T − t̄ᵢ),  s(T)² = σ̃ᵢ² (1 + 1/nᵢ) + (T − t̄ᵢ)² Var β̃ᵢ + q h², Student-t.

Every weight comes from the data (moments of the slopes and log variances); everything is sums
per group (``np.bincount``), so a whole panel costs a few array passes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.models.fit import REGRESSION, TrendFit, _bounds, _prepare, weighted_ols
from childplan_analysis.models.moderation import MIN_SERIES as NOISE_MIN_SERIES
from childplan_analysis.models.moderation import moderate, noise_prior
from childplan_analysis.models.panel import SeriesPanel, observed_span
from childplan_analysis.models.wander import wander_sums

if TYPE_CHECKING:
    from childplan_analysis.models.reference import WanderReference

_EPS = 1e-12
#: Fitting scales whose slopes are relative rates, comparable across indicators of a family.
RELATIVE_SCALES = ("loglinear", "logit")


@dataclass(frozen=True)
class PooledTrend:
    """The pooled fit of every series, and how much each borrowed."""

    fit: TrendFit
    shrinkage: np.ndarray  # Bᵢ (NaN where no prior)
    has_prior: np.ndarray  # the group or the family had enough series to estimate a prior
    own_slope: np.ndarray  # bᵢ (NaN with fewer than 2 values)
    prior_mean: np.ndarray  # μ of the series' prior
    prior_sd: np.ndarray  # between-series SD of the slopes in the series' prior (τ)


@dataclass(frozen=True)
class RandomEffects:
    """DerSimonian–Laird estimates per group: mean, between variance, variance of the mean, studies."""

    mu: np.ndarray
    tau2: np.ndarray
    var_mu: np.ndarray
    count: np.ndarray


def scale_families(scale: np.ndarray) -> np.ndarray:
    """Family code of every series from its fitting scale: one per relative scale, −1 (none) for linear."""
    scale = np.asarray(scale).astype(str)
    codes = np.full(scale.shape, -1, dtype=int)
    for c, name in enumerate(RELATIVE_SCALES):
        codes[scale == name] = c
    return codes


def kin_codes(scale: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Code of the indicators whose noise and slope wander are comparable with each series': its
    family on a relative scale (:func:`scale_families`), else the linear scale in the same unit
    (points of a share, counts, hours …: a spread in one unit says nothing of one in another)."""
    fam = scale_families(scale)
    unit = np.asarray(unit).astype(str)
    linear = fam < 0
    codes = fam.copy()
    if linear.any():
        codes[linear] = len(RELATIVE_SCALES) + pd.factorize(unit[linear])[0]
    return codes


def random_effects(b: np.ndarray, v: np.ndarray, use: np.ndarray, groups: np.ndarray, n_groups: int
                   ) -> RandomEffects:
    """DerSimonian–Laird per group over the estimates ``b`` with variances ``v`` where ``use``:
    w = 1/v, Q = Σ w (b − μ_FE)², τ² = max(0, (Q − (m − 1)) / (Σw − Σw²/Σw)), w* = 1/(v + τ²),
    μ = Σ w* b / Σ w*, Var μ = 1/Σ w* (τ² NaN for fewer than two estimates)."""
    use = use & (groups >= 0) & np.isfinite(v) & np.isfinite(b)
    g = np.where(use, groups, 0)

    def total(x: np.ndarray) -> np.ndarray:
        return np.bincount(g, weights=np.where(use, x, 0.0), minlength=n_groups)

    vv = np.where(use, np.maximum(v, _EPS), 1.0)
    bb = np.where(use, b, 0.0)
    w = 1 / vv
    m = total(np.ones_like(b))
    sw, sw2 = total(w), total(w**2)
    mu_fe = total(w * bb) / np.maximum(sw, _EPS)
    q = total(w * (bb - mu_fe[g]) ** 2)
    c = sw - sw2 / np.maximum(sw, _EPS)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau2 = np.where((m >= 2) & (c > _EPS), np.maximum(0.0, (q - (m - 1)) / np.maximum(c, _EPS)), np.nan)
    tau2 = nonzero_tau2(bb, vv, use, g, tau2)
    w_star = 1 / (vv + np.nan_to_num(tau2)[g])
    sws = total(w_star)
    return RandomEffects(mu=total(w_star * bb) / np.maximum(sws, _EPS), tau2=tau2,
                         var_mu=1 / np.maximum(sws, _EPS), count=m)


#: Bracket of log(τ² / harmonic mean of the group's variances) searched by :func:`nonzero_tau2`.
_TAU_BRACKET = (-14.0, 8.0)


def nonzero_tau2(b: np.ndarray, v: np.ndarray, use: np.ndarray, g: np.ndarray, tau2: np.ndarray) -> np.ndarray:
    """``tau2`` with every group's 0 (DerSimonian–Laird found no heterogeneity beyond chance)
    replaced by the mode of the likelihood of its estimates times a Gamma(2, λ → 0) density of
    τ, ∝ τ: ℓ(τ²) = −½ Σ log(vᵢ + τ²) − ½ Σ (bᵢ − μ̂)²/(vᵢ + τ²) + ½ log τ², μ̂ the weighted mean
    (Chung, Rabe-Hesketh & Choi 2013). Two or three estimates that agree are no evidence that
    series do not differ; the mode is positive and of the order of the estimates' own variances
    (two estimates with equal variance v that agree: τ² = v; m of them: v/(m − 1)), so it fades as
    the group grows. The mode is where dℓ/dτ² = ½(Σ w²(b − μ̂)² − Σ w + 1/τ²), w = 1/(v + τ²),
    turns negative, found by bisection on log τ² for all groups at once."""
    zero = np.isfinite(tau2) & (tau2 <= 0)
    rows = use & zero[g]
    if not rows.any():
        return tau2
    n_groups = len(tau2)
    gg, bb, vv = g[rows], b[rows], v[rows]

    def total(x: np.ndarray) -> np.ndarray:
        return np.bincount(gg, weights=x, minlength=n_groups)

    scale = total(np.ones_like(vv)) / np.maximum(total(1 / vv), _EPS)
    lo, hi = np.full(n_groups, _TAU_BRACKET[0]), np.full(n_groups, _TAU_BRACKET[1])
    for _ in range(30):
        mid = (lo + hi) / 2
        t = scale * np.exp(mid)
        w = 1 / (vv + t[gg])
        mu = total(w * bb) / np.maximum(total(w), _EPS)
        rising = total(w**2 * (bb - mu[gg]) ** 2) - total(w) + 1 / np.maximum(t, 1e-300) > 0
        lo, hi = np.where(rising, mid, lo), np.where(rising, hi, mid)
    out = tau2.copy()
    out[zero] = (scale * np.exp((lo + hi) / 2))[zero]
    return out


def borrowed_wander(z: np.ndarray, mask: np.ndarray, years: np.ndarray, n: np.ndarray, groups: np.ndarray,
                    n_groups: int, fam: np.ndarray, n_fam: int, *, missing: float = 0.0, shorter: bool = True
                    ) -> np.ndarray:
    """√q per series with fewer than ``POOL_BELOW`` values: the slope wander of windows as long as
    the series (3 to ``POOL_BELOW`` − 1 values) in the long series of its family — a second-order
    quantity that needs many windows, and trends of one family bend alike — or of its group when
    it has no family (:mod:`.wander`); when neither holds a window of the series' length yet
    (early in their data, or in data with gaps), the longest shorter windows they hold; 0 for
    longer series; ``missing`` for a short series where there is no window at all (with
    ``shorter`` False: no window of its own length)."""
    k = len(n)
    out = np.zeros(k)
    short = n < config.POOL_BELOW
    out[short] = missing
    if not short.any():
        return out
    window = np.clip(n, 3, max(config.POOL_BELOW - 1, 3)).astype(int)
    f = np.maximum(fam, 0)
    # only the groups and families that hold a short series are scanned
    g_need = np.zeros(n_groups, dtype=bool)
    g_need[groups[short]] = True
    f_need = np.zeros(n_fam, dtype=bool)
    f_need[f[short & (fam >= 0)]] = True
    scan = np.flatnonzero(g_need[groups] | ((fam >= 0) & f_need[f]))
    # from the shortest windows up: a series takes the windows of its own length, or the longest
    # shorter ones when its family and group have none of its length yet (early in their data)
    for length in range(3, int(window[short].max()) + 1):
        num, den = wander_sums(z[scan], mask[scan], years, length, config.BACKTEST_HORIZON)
        g_num = np.bincount(groups[scan], weights=num, minlength=n_groups)
        g_den = np.bincount(groups[scan], weights=den, minlength=n_groups)
        in_fam = fam[scan] >= 0
        f_num = np.bincount(f[scan], weights=np.where(in_fam, num, 0.0), minlength=n_fam)
        f_den = np.bincount(f[scan], weights=np.where(in_fam, den, 0.0), minlength=n_fam)
        by_family = (fam >= 0) & (f_den[f] > 0)
        seen = by_family | (g_den[groups] > 0)
        q = np.where(by_family, f_num[f] / np.maximum(f_den[f], _EPS),
                     np.where(g_den[groups] > 0, g_num[groups] / np.maximum(g_den[groups], _EPS), 0.0))
        rows = short & ((window >= length) if shorter else (window == length)) & seen
        out[rows] = np.sqrt(np.maximum(q[rows], 0.0))
    return out


def reference_wander(z: np.ndarray, mask: np.ndarray, years: np.ndarray, n: np.ndarray, groups: np.ndarray,
                     n_groups: int, fam: np.ndarray, n_fam: int, scale: np.ndarray, last: np.ndarray,
                     reference: WanderReference | None, indicator: np.ndarray | None) -> np.ndarray:
    """√q per series as :func:`borrowed_wander` gives it, except that a short series whose call
    holds no window of its own length takes it from ``reference`` (windows as long as the series
    in the reference's long series of its family, else of its indicator, every value after the
    call's last observed year hidden) before the call's shorter windows: a county alone holds
    only its own few values, whose windows of three see one year ahead at most."""
    if reference is None or indicator is None:
        return borrowed_wander(z, mask, years, n, groups, n_groups, fam, n_fam)
    out = borrowed_wander(z, mask, years, n, groups, n_groups, fam, n_fam, missing=np.nan, shorter=False)
    gap = np.isnan(out)
    if gap.any():
        window = np.clip(n[gap], 3, max(config.POOL_BELOW - 1, 3)).astype(int)
        last_year = float(np.nanmax(last)) if np.isfinite(last).any() else np.nan
        out[gap] = reference.wander(np.asarray(indicator)[gap], scale[gap], window, last_year, RELATIVE_SCALES)
    gap = np.isnan(out)
    if gap.any():
        out[gap] = borrowed_wander(z, mask, years, n, groups, n_groups, fam, n_fam)[gap]
    return out


def recent_noise(x: np.ndarray, z: np.ndarray, mask: np.ndarray, window: int, floor: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Residual variance of an OLS line through each series' last ``window`` values and its
    degrees of freedom (0 with fewer than 3 values)."""
    from_end = np.cumsum(mask[:, ::-1], axis=1)[:, ::-1]
    near = weighted_ols(x, z, mask & (from_end <= window), np.ones_like(z))
    d = np.maximum(near["n"] - 2, 0)
    return np.where(d > 0, np.maximum(near["sd"] ** 2, floor**2), 0.0), d


def pooled_trend(panel: SeriesPanel, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray,
                 groups: np.ndarray, *, families: np.ndarray | None = None, noise_df: float | None = None,
                 min_series: int | None = None, reference: WanderReference | None = None,
                 indicator: np.ndarray | None = None) -> PooledTrend:
    """Pool every series' OLS trend with its group's and its family's (see the module docstring).

    ``reference`` (with ``indicator``, every series' indicator id) lends the slope wander of a
    short series whose call holds no window (:func:`reference_wander`).

    The sums over series and groups run in an order set by what the series hold, not by the order
    they were given in: the same observations in another row order pool to the same bits.
    """
    fingerprint = series_fingerprint(panel)
    groups = canonical_codes(np.asarray(groups, dtype=int), fingerprint)
    families = None if families is None else canonical_codes(np.asarray(families, dtype=int), fingerprint)
    order = np.lexsort((fingerprint, groups, np.zeros(len(groups), dtype=int) if families is None else families))
    if np.array_equal(order, np.arange(len(order))):
        return _pooled_trend(panel, scale, upper, lower, groups, families=families, noise_df=noise_df,
                             min_series=min_series, reference=reference, indicator=indicator)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    pooled = _pooled_trend(panel.take(order), np.asarray(scale)[order], np.asarray(upper)[order],
                           np.asarray(lower)[order], groups[order],
                           families=None if families is None else families[order],
                           noise_df=noise_df, min_series=min_series, reference=reference,
                           indicator=None if indicator is None else np.asarray(indicator)[order])
    return _take_rows(pooled, back)


def series_fingerprint(panel: SeriesPanel) -> np.ndarray:
    """A number per series from its values and which years it has (equal for equal series)."""
    mask = ~np.isnan(panel.values)
    weights = np.random.default_rng(20210101).uniform(1.0, 2.0, (2, panel.values.shape[1]))
    return np.where(mask, panel.values, 0.0) @ weights[0] + mask @ weights[1]


def canonical_codes(codes: np.ndarray, fingerprint: np.ndarray) -> np.ndarray:
    """``codes`` renumbered by the smallest fingerprint of their series (negative codes kept).

    Codes of first appearance depend on the order of the observations; sums over groups run in
    code order, so groups are numbered by what their series hold instead."""
    ok = codes >= 0
    if not ok.any():
        return codes
    size = int(codes.max()) + 1
    smallest = np.full(size, np.inf)
    np.minimum.at(smallest, codes[ok], fingerprint[ok])
    rank = np.empty(size, dtype=int)
    rank[np.lexsort((np.arange(size), smallest))] = np.arange(size)
    return np.where(ok, rank[np.where(ok, codes, 0)], codes)


def _take_rows(pooled: PooledTrend, rows: np.ndarray) -> PooledTrend:
    """``pooled`` with every per-series array taken at ``rows``."""
    def pick(value):
        return value[rows] if isinstance(value, np.ndarray) and value.ndim >= 1 and len(value) == len(rows) else value

    fit = replace(pooled.fit, **{f.name: pick(getattr(pooled.fit, f.name)) for f in fields(pooled.fit)})
    return replace(pooled, fit=fit, **{f.name: pick(getattr(pooled, f.name))
                                       for f in fields(pooled) if f.name != "fit"})


def _pooled_trend(panel: SeriesPanel, scale: np.ndarray, upper: np.ndarray, lower: np.ndarray,
                  groups: np.ndarray, *, families: np.ndarray | None = None, noise_df: float | None = None,
                  min_series: int | None = None, reference: WanderReference | None = None,
                  indicator: np.ndarray | None = None) -> PooledTrend:
    """:func:`pooled_trend` on series in the order given.

    ``scale`` is each series' fitting scale (one per group, so that slopes are comparable),
    ``groups`` integer codes (the indicator), ``families`` integer codes of the family of each
    series (−1 or None: no family level, see :func:`scale_families`), ``upper``/``lower``
    natural bounds (NaN: none). ``noise_df`` is the prior weight d₀ of a group too small to
    estimate its own (``POOL_NOISE_DF``).
    """
    nu0 = config.POOL_NOISE_DF if noise_df is None else noise_df
    min_series = config.POOL_MIN_SERIES if min_series is None else min_series
    k = panel.n_series
    scale = np.asarray(scale).astype(str)
    groups = np.asarray(groups, dtype=int)
    fam = np.full(k, -1, dtype=int) if families is None else np.asarray(families, dtype=int)
    G = int(groups.max()) + 1 if k else 0
    F = int(fam.max()) + 1 if k and fam.max() >= 0 else 0
    up, lo = _bounds(panel, upper, lower)
    z, mask = _prepare(panel, scale, up, lo)
    x = np.broadcast_to(panel.years.astype(float), z.shape)
    ols = weighted_ols(x, z, mask, np.ones_like(z))
    n, first, last, last_value = observed_span(panel)
    n = n.astype(float)
    d = np.maximum(n - 2, 0)
    scale_floor = 1e-9 * np.maximum(np.abs(ols["level"]), 1.0)
    s2 = np.where(d > 0, np.maximum(ols["sd"] ** 2, scale_floor**2), 0.0)

    # noise: the group's prior where it has enough series, else the family's; each series lends
    # the noise of a straight line through its last values, as many as the longest series that
    # borrows (a long series' residuals about one straight line also hold its trend's bends)
    s2_near, d_near = recent_noise(x, z, mask, config.POOL_BELOW - 1, scale_floor)
    by_group = noise_prior(s2_near, d_near, groups, G, nu0)
    by_family = noise_prior(s2_near, d_near, fam, max(F, 1), nu0)
    own_fam = np.maximum(fam, 0)
    fam_ok = (fam >= 0) & (by_group.count[groups] < NOISE_MIN_SERIES) & (by_family.count[own_fam] > by_group.count[groups])
    prior_s2 = np.where(fam_ok, by_family.s2[own_fam], by_group.s2[groups])
    prior_df = np.where(fam_ok, by_family.df[own_fam], by_group.df[groups])
    prior_s2 = np.where(np.isfinite(prior_s2) & (prior_s2 > 0), prior_s2, scale_floor**2)
    sigma2 = np.maximum(moderate(s2, d, prior_s2, prior_df), scale_floor**2)

    # slopes: random effects within groups, groups within families
    v = np.where(n >= 2, sigma2 / np.maximum(ols["sxx"], _EPS), np.inf)
    b = np.where(n >= 2, ols["slope"], 0.0)
    informative = n >= 3
    within = random_effects(b, v, informative, groups, G)
    group_ok = (within.count >= min_series) & np.isfinite(within.tau2)
    family_series = random_effects(b, v, informative & (fam >= 0), fam, max(F, 1))
    family_ok = (family_series.count >= min_series) & np.isfinite(family_series.tau2)
    # one family code per group (a group's series share their scale)
    group_family = np.full(G, -1)
    group_family[groups] = fam
    has_group = within.count > 0
    between = random_effects(within.mu, within.var_mu, has_group & (group_family >= 0), group_family, max(F, 1))
    gf = np.maximum(group_family, 0)
    lifts = (group_family >= 0) & (between.count[gf] >= min_series) & np.isfinite(between.tau2[gf])
    prior_var_mu = np.where(lifts, between.tau2[gf] + between.var_mu[gf], np.inf)
    b_g = np.where(lifts, within.var_mu / (within.var_mu + prior_var_mu), 0.0)
    mu_g = b_g * between.mu[gf] + (1 - b_g) * within.mu
    var_mu_g = (1 - b_g) * within.var_mu

    use_group = group_ok[groups]
    use_family = ~use_group & (fam >= 0) & family_ok[own_fam]
    has_prior = (use_group | use_family) & (n >= 1)
    mu = np.where(use_group, mu_g[groups], family_series.mu[own_fam])
    tau2 = np.where(use_group, np.nan_to_num(within.tau2)[groups], np.nan_to_num(family_series.tau2)[own_fam])
    prior_var = tau2 + np.where(use_group, var_mu_g[groups], family_series.var_mu[own_fam])
    with np.errstate(invalid="ignore", divide="ignore"):
        shrink = np.where(n >= 2, v / (v + prior_var), 1.0)
    shrink = np.where(np.isfinite(v), shrink, 1.0)
    shrink = np.where(has_prior, shrink, 0.0)
    slope = shrink * mu + (1 - shrink) * b
    var_slope = np.where(n >= 2, (1 - shrink) * np.where(np.isfinite(v), v, 0.0), prior_var)
    var_slope = np.maximum(np.nan_to_num(var_slope, nan=0.0, posinf=0.0), _EPS * sigma2)
    drift = reference_wander(z, mask, panel.years, n, groups, G, fam, max(F, 1), scale, last, reference, indicator)
    sd = np.sqrt(sigma2)
    df = np.minimum(prior_df + d, 1e6)
    xbar = np.where(n > 0, ols["xbar"], np.nan)
    nan = np.full(k, np.nan)
    fit = TrendFit(
        model=scale.copy(), family=scale, kind=np.full(k, REGRESSION), upper=up, lower_bound=lo,
        n=n, df=df, first_year=first, last_year=last, last_value=last_value, anchor=xbar,
        level=ols["level"], slope=slope, resid_sd=sd, inflate=np.ones(k), xbar=xbar,
        sxx=sigma2 / var_slope, sw=np.maximum(n, 1.0), w0=np.ones(k), alpha=nan, beta=nan, phi=nan,
        trend_xbar=xbar, trend_level=ols["level"], trend_slope=slope, trend_se=np.sqrt(var_slope), trend_df=df,
        drift=np.where(has_prior, drift, 0.0),
    )
    return PooledTrend(fit=fit, shrinkage=np.where(has_prior, shrink, np.nan), has_prior=has_prior,
                       own_slope=np.where(n >= 2, ols["slope"], np.nan), prior_mean=np.where(has_prior, mu, np.nan),
                       prior_sd=np.where(has_prior, np.sqrt(tau2), np.nan))
