"""Model choice per series: rolling-origin backtest on the series itself, vectorised across series.

For every series with at least ``BACKTEST_MIN_POINTS`` values, each candidate model is refitted
at each of the series' own latest ``BACKTEST_ORIGINS`` origins (its observed years before its
last value, with at least ``BACKTEST_MIN_TRAIN`` values up to them) and forecasts every later
value of the series at most ``BACKTEST_HORIZON`` years ahead. The default model
(``DEFAULT_MODEL``, the damped trend) is kept unless a candidate's mean absolute error on the
original scale is ``SELECT_MARGIN`` lower and its gain over the default stands out from the
noise of the comparison (:func:`gain_evidence`); among candidates that close to the best, OLS
on the series' conventional scale is preferred.
Series too short for the backtest keep the default model; those with fewer than
``LIKELIHOOD_BELOW`` values choose among the OLS scales by the Gaussian log-likelihood corrected
by the Jacobian of each transform (the AICc ordering, the scales having equally many
parameters). The standardised backtest errors of the chosen model also calibrate its intervals,
per year ahead (see :func:`calibration_by_horizon`), which widen further with the horizon when
the recent slope departs from the long one (:mod:`.departure`).

Expanding-window regressions use cumulative sums, and the damped trend keeps its state at every
year, so a candidate costs one pass over the panel rather than one fit per origin.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from childplan_analysis.core import config
from childplan_analysis.models.departure import slope_departure
from childplan_analysis.models.expanding import ExpandingContext, take_columns
from childplan_analysis.models.families import fit_model
from childplan_analysis.models.fit import TrendFit, _prepare, scatter, t_cdf
from childplan_analysis.models.panel import SeriesPanel, observed_span
from childplan_analysis.models.registry import families, model_names
from childplan_analysis.models.scales import inverse_transform, log_jacobian, nonpositive_rows

_EPS = 1e-12
#: Series processed together in the backtest (bounds memory).
CHUNK = 16_384
#: Up to this many degrees of freedom u²(ν − 2)/ν has no finite variance: the normal score is used.
HEAVY_TAIL_DF = 4.0
#: One-sided level at which a candidate's backtest gain over the default must stand out from the
#: noise of the comparison (the usual 5 %; see :func:`gain_evidence`).
SELECT_LEVEL = 0.05


@dataclass(frozen=True)
class Selection:
    """Per-series outcome of the model choice."""

    fit: TrendFit
    candidates: tuple[str, ...]
    scores: np.ndarray  # (series × candidates) backtest MAE, NaN where not evaluated
    n_forecasts: np.ndarray  # backtest forecasts per series
    method: np.ndarray  # "backtest" | "default" | "likelihood"


def candidates_for(bounds_low: np.ndarray, bounds_high: np.ndarray) -> np.ndarray:
    """(series × families) mask of the models each series may use, from its natural bounds."""
    fams = families()
    ok = np.ones((len(bounds_low), len(fams)), dtype=bool)
    for c, fam in enumerate(fams):
        ok[:, c] = fam.eligible(bounds_low, bounds_high)
    return ok


def select_models(
    panel: SeriesPanel,
    natural_scale: np.ndarray,
    upper: np.ndarray,
    lower: np.ndarray,
    *,
    allowed: np.ndarray | None = None,
    calibrate: bool = True,
) -> Selection:
    """Choose and fit a model per series (see the module docstring).

    ``natural_scale`` is each series' conventional scale (:func:`.scales.default_family`), which
    is also the default choice; ``upper``/``lower`` its natural bounds (±inf or NaN: none);
    ``allowed`` an optional (series × families) mask narrowing the candidates.
    """
    k = panel.n_series
    upper = np.where(np.isnan(upper), np.inf, upper).astype(float)
    lower = np.where(np.isnan(lower), -np.inf, lower).astype(float)
    natural_scale = np.asarray(natural_scale, dtype=object).astype(str)
    ok = candidates_for(lower, upper)
    if allowed is not None:
        ok &= allowed
    nonpositive = nonpositive_rows(panel.values)
    if nonpositive.any():  # a zero has no logarithm (see :func:`.scales.carried_scales`)
        for c, fam in enumerate(families()):
            if fam.scale == "loglinear":
                ok[:, c] &= ~nonpositive
    names = model_names()
    natural_idx = _index_of(natural_scale, names)
    if config.DEFAULT_MODEL == "natural":
        default_idx = natural_idx.copy()
    else:
        default_idx = np.full(k, names.index(config.DEFAULT_MODEL))
    ok[np.arange(k), default_idx] = True
    ok[np.arange(k), natural_idx] = True
    scores = np.full((k, len(names)), np.nan)
    picked = np.full(k, -1)
    sq_norm = np.zeros((k, len(names), config.BACKTEST_HORIZON))  # per whole year ahead
    sq_count = np.zeros((k, len(names), config.BACKTEST_HORIZON))
    n_fc = np.zeros(k)
    n, *_ = observed_span(panel)
    long_rows = np.flatnonzero(n >= config.BACKTEST_MIN_POINTS)

    def run(rows: np.ndarray) -> None:
        sub = SeriesPanel(panel.keys.iloc[:0], panel.years, panel.values[rows])
        def chosen(mae: np.ndarray, count: np.ndarray, gain: np.ndarray) -> np.ndarray:
            # the model chosen for the rows chosen by backtest (their scores calibrate the
            # intervals); -1 for the others
            pick = _pick(mae, ok[rows], default_idx[rows], natural_idx[rows], count, gain)
            picked[rows] = np.where(count >= config.BACKTEST_MIN_FORECASTS, pick, -1)
            return picked[rows]

        s, q, m, qn = backtest_scores(sub, natural_scale[rows], upper[rows], lower[rows], ok[rows], chosen,
                                      per_horizon=True, reference=default_idx[rows])
        scores[rows], sq_norm[rows], n_fc[rows], sq_count[rows] = s, q, m, qn

    if len(long_rows):
        _in_chunks(run, long_rows)
    choice = np.where(picked >= 0, picked, default_idx)
    method = np.where(n_fc >= config.BACKTEST_MIN_FORECASTS, "backtest",
                      np.where(n < config.LIKELIHOOD_BELOW, "likelihood", "default"))
    choice = np.where(method == "default", default_idx, choice)
    short = method == "likelihood"
    if short.any():
        rows = np.flatnonzero(short)
        sub = SeriesPanel(panel.keys.iloc[:0], panel.years, panel.values[rows])
        choice[rows] = _likelihood_choice(sub, upper[rows], lower[rows], ok[rows], natural_idx[rows])
    used = method == "backtest"

    def finish(rows: np.ndarray) -> TrendFit:
        # every series' final fit, calibration and widening are its own: chunks of series at once
        sub = SeriesPanel(panel.keys.iloc[:0], panel.years, panel.values[rows])
        fit = _fit_chosen(sub, choice[rows], natural_scale[rows], upper[rows], lower[rows])
        if calibrate:
            at = choice[rows]
            factor = calibration_by_horizon(np.where(used[rows, None], sq_norm[rows, at], 0.0),
                                            np.where(used[rows, None], sq_count[rows, at], 0.0))
            fit = fit.with_horizon_inflation(factor).with_drift(slope_departure(sub, fit))
        return fit

    everyone = np.arange(k)
    parts = _in_chunks(finish, everyone)
    fit = parts[0] if len(parts) == 1 else scatter(parts, _chunks(everyone), k)
    return Selection(fit, names, scores, n_fc, method)


def _chunks(rows: np.ndarray) -> list[np.ndarray]:
    return [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)] or [rows]


def _in_chunks(work, rows: np.ndarray) -> list:
    """``work`` of each chunk of ``rows`` (on several threads when there are several chunks:
    numpy releases the GIL in array operations, so chunks overlap on several cores)."""
    chunks = _chunks(rows)
    if len(chunks) == 1:
        return [work(chunks[0])]
    with ThreadPoolExecutor(max_workers=min(len(chunks), os.cpu_count() or 1, 4)) as pool:
        return list(pool.map(work, chunks))


def _index_of(natural_scale: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Position in ``names`` of each series' natural-scale family (vectorised over series)."""
    uniq, inv = np.unique(np.asarray(natural_scale, dtype=str), return_inverse=True)
    return np.array([names.index(u) for u in uniq], dtype=int)[inv.reshape(-1)] if len(uniq) else (
        np.zeros(0, dtype=int))


def _pick(scores: np.ndarray, ok: np.ndarray, default_idx: np.ndarray, natural_idx: np.ndarray,
          n_fc: np.ndarray, gain: np.ndarray | None = None) -> np.ndarray:
    """The default model unless a candidate beats it by ``SELECT_MARGIN`` and, with ``gain``
    (:func:`gain_evidence`), by more than the noise of the comparison; among the candidates
    that close to the best, the OLS fit on the conventional scale."""
    rows = np.arange(len(default_idx))
    beats = ok & np.isfinite(scores)
    if gain is not None:
        beats &= gain | (np.arange(scores.shape[1])[None, :] == default_idx[:, None])
    masked = np.where(beats, scores, np.inf)
    best = np.argmin(masked, axis=1)
    best_score = masked[rows, best]
    keep_default = ~(best_score < masked[rows, default_idx] * (1 - config.SELECT_MARGIN) - _EPS)
    natural_close = masked[rows, natural_idx] * (1 - config.SELECT_MARGIN) <= best_score + _EPS
    choice = np.where(natural_close, natural_idx, best)
    return np.where(keep_default | (n_fc == 0), default_idx, choice)


def calibration_factor(sum_sq: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Interval widening from backtest errors: √((ν₀ + Σ s) / (ν₀ + m)), at least 1.

    ``s`` are the ``m`` squared standardised backtest errors of the chosen model, each with
    expectation 1 when its intervals are right (see :func:`origin_forecasts`);
    ν₀ = ``CALIBRATION_PRIOR`` shrinks the factor towards 1.
    """
    nu = config.CALIBRATION_PRIOR
    factor = np.sqrt((nu + sum_sq) / (nu + count))
    return np.clip(factor, 1.0, config.CALIBRATION_MAX)


def calibration_by_horizon(sum_sq: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Interval calibration per whole year ahead, (series × horizons), from the backtest errors at
    each horizon, each shrunk toward the one before it:

        c₁² = (ν₀ + Σ₁ s) / (ν₀ + m₁),
        c_h² = max(p_h, (ν₀ p_h + Σ_h s) / (ν₀ + m_h)),  p_h = max(c_{h−1}², 1)   (h ≥ 2),

    factor √c_h² within [1/``CALIBRATION_MAX``, ``CALIBRATION_MAX``], ``sum_sq`` / ``count``
    holding the squared standardised errors of the chosen model and their number by horizon,
    ν₀ = ``CALIBRATION_PRIOR``. Evidence flows only forward: intervals too narrow one year ahead
    (noise underestimated) are too narrow further ahead too, so the errors of a horizon inform
    the later ones and a later factor is never below an earlier one; errors that grow faster
    with the horizon than the model's variance (trends that bend) say nothing about the nearer
    years, whose intervals they would otherwise widen. Only the one-year factor may be below 1:
    one-year errors measure the model's noise alone, and errors smaller than it says narrow the
    one-year interval; from two years on the errors also carry the trend's bends, rare and
    large, so a few small ones do not show the model's intervals too wide there, and a one-year
    narrowing is not carried forward. A horizon without errors takes the one before it (at
    least 1).
    """
    nu = config.CALIBRATION_PRIOR
    k, width = sum_sq.shape
    out = np.empty((k, width))
    prior = np.ones(k)
    for h in range(width):
        post = (nu * prior + sum_sq[:, h]) / (nu + count[:, h])
        out[:, h] = post if h == 0 else np.maximum(prior, post)
        prior = np.maximum(out[:, h], 1.0)
    return np.clip(np.sqrt(out), 1 / config.CALIBRATION_MAX, config.CALIBRATION_MAX)


def _fit_chosen(panel: SeriesPanel, choice: np.ndarray, natural_scale: np.ndarray, upper: np.ndarray,
                lower: np.ndarray) -> TrendFit:
    """Fit every series with its chosen model (one vectorised fit per model, on its series only)."""
    parts, where = [], []
    for c, name in enumerate(model_names()):
        rows = np.flatnonzero(choice == c)
        if not len(rows):
            continue
        sub = SeriesPanel(panel.keys.iloc[:0], panel.years, panel.values[rows])
        parts.append(fit_model(sub, name, natural_scale[rows], upper[rows], lower[rows]))
        where.append(rows)
    if not parts:
        return fit_model(panel, "linear", natural_scale, upper, lower)
    return scatter(parts, where, panel.n_series)


def _likelihood_choice(panel: SeriesPanel, upper: np.ndarray, lower: np.ndarray, ok: np.ndarray,
                       default_idx: np.ndarray) -> np.ndarray:
    """Among the OLS families, the one with the highest Jacobian-corrected Gaussian log-likelihood."""
    fams = families()
    loglik = np.full((panel.n_series, len(fams)), -np.inf)
    y = panel.values
    x = panel.years.astype(float)[None, :]
    for c, fam in enumerate(fams):
        if not fam.likelihood:
            continue
        fit = fit_model(panel, fam.name, fam.fitting_scale(np.full(panel.n_series, "linear")), upper, lower)
        z, mask = _prepare(panel, fit.family, fit.upper, fit.lower_bound)
        resid = np.where(mask, z - (fit.level[:, None] + fit.slope[:, None] * (x - fit.xbar[:, None])), 0.0)
        n = np.maximum(mask.sum(axis=1), 1)
        var = np.maximum((resid**2).sum(axis=1) / n, 1e-24)
        jac = log_jacobian(np.where(mask, y, np.nan), fit.family, fit.upper, fit.lower_bound)
        ll = -0.5 * n * (np.log(2 * np.pi * var) + 1) + jac.sum(axis=1)
        loglik[:, c] = np.where(ok[:, c], ll, -np.inf)
    best = np.argmax(loglik, axis=1)
    rows = np.arange(len(best))
    return np.where(np.isfinite(loglik[rows, best]), best, default_idx)


# ---------------------------------------------------------------------- rolling-origin backtest
def backtest_scores(
    panel: SeriesPanel, natural_scale: np.ndarray, upper: np.ndarray, lower: np.ndarray, ok: np.ndarray,
    chosen: Callable[..., np.ndarray] | None = None, *, per_horizon: bool = False,
    reference: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backtest MAE per (series × families), sum of squared scores, forecasts counted, and
    squared scores counted (with ``per_horizon``, the last two per whole year ahead too:
    series × families × ``BACKTEST_HORIZON``).

    The squared scores are those of :func:`squared_score` (every forecast with a finite t-score);
    their number is returned beside the forecast count for calibration (see
    :func:`calibration_factor`).
    ``chosen`` maps (MAE, forecasts counted) to the model index of each series whose squared
    scores are wanted (-1: none); with it, only those are summed (the others stay 0), so the
    scores of the models not chosen are never worked out. With ``reference`` (a model index per
    series, the default), ``chosen`` also gets whether each model's gain over it stands out from
    the noise (:func:`gain_evidence`).
    """
    k = panel.n_series
    names = model_names()
    abs_sum = np.zeros((len(names), k))
    width = config.BACKTEST_HORIZON
    sq = np.zeros((len(names), k, width))
    sq_n = np.zeros((len(names), k, width))
    count = np.zeros(k)
    gain_sum, gain_sq = np.zeros((len(names), k)), np.zeros((len(names), k))
    origins = np.zeros(k)
    kept = []
    # each offset's forecasts are scored as they come (sums over offsets in offset order)
    for fc in origin_forecasts(panel, natural_scale, upper, lower, ok, scores=chosen is None):
        valid = fc["valid"]
        errs = []
        for c, name in enumerate(names):
            err = np.abs(fc["point"][name] - fc["actual"])
            abs_sum[c] += np.where(valid, err, 0.0).sum(axis=1)
            errs.append(err)
            if chosen is None:
                _add_squared(sq[c], sq_n[c], valid, fc["sq_score"][name], fc["horizon"])
        if reference is not None:
            ref = np.take_along_axis(np.stack(errs), reference[None, :, None], axis=0)[0]
            for c in range(len(names)):
                diff = np.where(valid, ref - errs[c], 0.0)
                gain_sum[c] += diff.sum(axis=1)
                gain_sq[c] += (diff * diff).sum(axis=1)
            if fc["offset"] == 1:  # every origin forecasts its next value first
                origins += valid.sum(axis=1)
        count += valid.sum(axis=1)
        if chosen is not None:
            fc["point"] = None
            kept.append(fc)
    with np.errstate(invalid="ignore", divide="ignore"):
        mae = np.where(ok & (count[:, None] > 0), abs_sum.T / count[:, None], np.nan)
    if chosen is not None:
        pick = chosen(mae, count) if reference is None else chosen(
            mae, count, gain_evidence(gain_sum.T, gain_sq.T, count, origins))
        for c, name in enumerate(names):
            rows = np.flatnonzero(pick == c)
            if not len(rows):
                continue
            total, n_sq = sq[c, rows], sq_n[c, rows]
            for fc in kept:
                score = squared_score(fc["z_actual"][name][rows], fc["mean"][name][rows], fc["scale"][name][rows],
                                      fc["df"][name][rows])
                _add_squared(total, n_sq, fc["valid"][rows], score, fc["horizon"][rows])
            sq[c, rows], sq_n[c, rows] = total, n_sq
    if per_horizon:
        return mae, sq.transpose(1, 0, 2), count, sq_n.transpose(1, 0, 2)
    return mae, sq.sum(axis=2).T, count, sq_n.sum(axis=2).T


def gain_evidence(gain_sum: np.ndarray, gain_sq: np.ndarray, count: np.ndarray, origins: np.ndarray
                  ) -> np.ndarray:
    """(series × models) whether a model's backtest gain over the default stands out from noise.

    ``gain_sum`` / ``gain_sq`` are the sums of D and D² over the series' ``count`` backtest
    forecasts, D = |error of the default| − |error of the model| (the paired comparison of
    Diebold and Mariano, 1995). Forecasts from one origin share its data, and the same value is
    forecast from several origins, so they are not independent: the mean gain's standard error
    counts the series' ``origins`` as its independent comparisons, s_D/√(origins), and the gain
    stands out when D̄ exceeds it times the Student-t quantile 1 − ``SELECT_LEVEL`` on
    origins − 1 degrees of freedom (a single origin: never).
    """
    m = np.maximum(count, 1)[:, None]
    mean = gain_sum / m
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.maximum(gain_sq - m * mean**2, 0.0) / np.maximum(m - 1, 1)
        se = np.sqrt(var / np.maximum(origins, 1)[:, None])
        crit = np.where(origins >= 2, special.stdtrit(np.maximum(origins - 1, 1), 1 - SELECT_LEVEL), np.inf)
    return (mean > 0) & (mean > crit[:, None] * se)


def _add_squared(total: np.ndarray, n: np.ndarray, valid: np.ndarray, score: np.ndarray,
                 horizon: np.ndarray) -> None:
    """Add each row's squared scores of valid forecasts (and their number) to ``total`` (``n``),
    (rows × whole years ahead), in the column of each forecast's horizon."""
    counted = valid & ~np.isnan(score)
    col = np.clip(np.ceil(horizon), 1, total.shape[1]).astype(int) - 1
    for h in range(total.shape[1]):
        at = counted & (col == h)
        total[:, h] += np.where(at, score, 0.0).sum(axis=1)
        n[:, h] += at.sum(axis=1)


def squared_score(z_actual: np.ndarray, mean: np.ndarray, scale: np.ndarray, df: np.ndarray) -> np.ndarray:
    """Squared standardised error of the actual value under the forecast, expectation 1 when the
    forecast's distribution is right: u²(ν − 2)/ν for its t-score u when ν > ``HEAVY_TAIL_DF``,
    else w² for the normal score w = Φ⁻¹(F_ν(u)) (NaN where u is not finite).

    u²(ν − 2)/ν has expectation 1 only for ν > 2 and an infinite variance for ν ≤ 4, where one
    error outweighs all others; w is standard normal under the forecast whatever ν (so E w² = 1,
    Var w² = 2), and so the forecasts of series with few one-step errors count too. A t-scale
    widened by c moves the mean of either by about c² (the normal score's by less for small ν,
    whose own tails already hold large errors). The t distribution function costs too much to
    take for every forecast of a large panel, and is not needed where the moment is finite.
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        u, df = np.broadcast_arrays((z_actual - mean) / scale, np.asarray(df, dtype=float))
        out = np.array(u**2 * (df - 2) / df, dtype=float)
        heavy = (df <= HEAVY_TAIL_DF) & (df > 0) & np.isfinite(u)
        if heavy.any():
            p = t_cdf(-np.abs(u[heavy]), df[heavy])
            out[heavy] = special.ndtri(np.clip(p, 1e-300, 0.5)) ** 2
    return np.where(np.isfinite(u) & (df > 0), out, np.nan)


def origin_columns(mask: np.ndarray, origins: int) -> np.ndarray:
    """(series × ``origins`` + 1) panel columns of each series' own last values, earliest first:
    column j holds the value with ``origins`` − j values after it (the last column: the series'
    last value); −1 where the series has fewer values."""
    n = mask.sum(axis=1)
    after = n[:, None] - np.cumsum(mask, axis=1)  # values of the series after each column
    rows, cols = np.nonzero(mask & (after <= origins))
    out = np.full((mask.shape[0], origins + 1), -1, dtype=np.intp)
    out[rows, origins - after[rows, cols]] = cols
    return out


def origin_forecasts(
    panel: SeriesPanel, natural_scale: np.ndarray, upper: np.ndarray, lower: np.ndarray, ok: np.ndarray,
    horizon: int | None = None, min_train: int | None = None, *, scores: bool = True,
) -> Iterator[dict]:
    """Forecasts of every candidate from each series' ``BACKTEST_ORIGINS`` latest origins.

    A series' origins are its own observed years: the latest ``BACKTEST_ORIGINS`` before its last
    value, each with at least ``min_train`` values up to it; its targets are its own later values
    at most ``horizon`` years ahead, so a series with gaps, a late start or an early end is
    backtested on its own years whatever the years of the other series (the same forecasts as
    alone). Yields one dict per offset d (the target is the d-th value after the origin) with
    (series × origins) arrays, origins earliest first: ``valid`` pairs, ``origin_col`` and
    ``target_col`` (panel columns), ``actual`` values, ``horizon`` in years, and per model the
    ``point`` forecast (original scale), the predictive ``mean``/``scale``/``df`` on the model's
    fitting scale and the squared score of the actual value, standardised so that its
    expectation is 1 under that distribution (``sq_score``, see :func:`squared_score`; left out
    with ``scores=False``), and ``z_actual``, the actual values on each model's fitting scale.
    """
    horizon = horizon or config.BACKTEST_HORIZON
    min_train = min_train or config.BACKTEST_MIN_TRAIN
    years = panel.years.astype(float)
    y = panel.values
    mask = ~np.isnan(y)
    R = config.BACKTEST_ORIGINS
    cols = origin_columns(mask, R)
    n = mask.sum(axis=1)
    # values up to each origin slot j: n − (R − j); an origin needs min_train of them
    trained = (n[:, None] - (R - np.arange(R)[None, :])) >= min_train
    usable = (cols[:, :R] >= 0) & trained
    if not usable.any():
        return
    ctx = ExpandingContext(panel, np.asarray(natural_scale), upper, lower, np.where(usable, cols[:, :R], -1))
    states = {fam.name: fam.expanding(ctx, ok[:, c]) for c, fam in enumerate(families())}
    safe = np.maximum(cols, 0)
    col_year = years[safe]
    # every series' values at its own last R + 1 years, actual and on each model's scale
    rows = np.arange(len(safe))[:, None]
    flat = {"C": rows * y.shape[1] + safe, "F": safe * len(safe) + rows}
    y_at = take_columns(y, flat)
    z_at = {name: take_columns(st.z, flat) for name, st in states.items()}
    for d in range(1, R + 1):
        o, t = slice(0, R + 1 - d), slice(d, R + 1)
        gap = col_year[:, t] - col_year[:, o]
        # a series' slots fill from its last value back, so a usable origin has its targets; its
        # gaps grow with d: no pair within the horizon now, none later
        valid = usable[:, o] & (gap <= horizon)
        if not valid.any():
            break
        target_year = col_year[:, t]
        entry = {"offset": d, "valid": valid, "origin_col": safe[:, o], "target_col": safe[:, t],
                 "actual": y_at[:, t], "horizon": gap, "point": {}, "mean": {}, "scale": {}, "df": {},
                 "sq_score": {}, "z_actual": {}}
        for name, st in states.items():
            mean, scale, df = st.forecast(o, target_year)
            point = inverse_transform(mean, st.scale_name[:, None], upper[:, None], st.logit_low[:, None])
            point = np.clip(point, lower[:, None], upper[:, None])
            z_actual = z_at[name][:, t]
            entry["point"][name] = point
            entry["mean"][name] = mean
            entry["scale"][name] = scale
            entry["df"][name] = df
            entry["z_actual"][name] = z_actual
            if scores:
                entry["sq_score"][name] = squared_score(z_actual, mean, scale, df)
        yield entry


def backtest_table(panel: SeriesPanel, natural_scale: np.ndarray, upper: np.ndarray, lower: np.ndarray,
                   horizon: int | None = None, min_train: int | None = None) -> pd.DataFrame:
    """Every backtest forecast of every model as a long table (for accuracy reports)."""
    upper = np.where(np.isnan(upper), np.inf, upper).astype(float)
    lower = np.where(np.isnan(lower), -np.inf, lower).astype(float)
    ok = candidates_for(lower, upper)
    frames = []
    years = panel.years
    for fc in origin_forecasts(panel, natural_scale, upper, lower, ok, horizon, min_train):
        rows, cols = np.nonzero(fc["valid"])
        origin, target = fc["origin_col"][rows, cols], fc["target_col"][rows, cols]
        for c, name in enumerate(model_names()):
            frames.append(pd.DataFrame({
                "series": rows, "origin": years[origin], "year": years[target],
                "horizon": fc["horizon"][rows, cols], "model": name,
                "eligible": ok[rows, c], "actual": fc["actual"][rows, cols],
                "point": fc["point"][name][rows, cols], "mean": fc["mean"][name][rows, cols],
                "scale": fc["scale"][name][rows, cols], "df": fc["df"][name][rows, cols],
            }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
