"""What "met" and "how likely" mean for each family of comparators, one handler per family.

A handler reads the series of one target's regions (:class:`TargetRows`) and returns a
:class:`Judgement`: the interval the target-year value must fall in, whether the latest (or
target-year) value meets it, ``p_meet`` and the annual change required. :func:`judge` picks the
handler of the target's comparator:

- :func:`judge_level` — level, range, ``maintain`` and relative (baseline) targets;
- :func:`judge_direction` — ``decrease`` / ``increase``;
- :func:`judge_rate` — annual-rate targets (points or compound %).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.targets import (
    DIRECTION_COMPARATORS,
    RATE_COMPARATORS,
    Comparator,
    Target,
)
from childplan_analysis.engine.rowstats import Observed, last_index
from childplan_analysis.engine.tails import p_between
from childplan_analysis.models import SeriesPanel, TrendFit
from childplan_analysis.models.fit import t_cdf, t_sf


@dataclass
class TargetRows:
    """One target's rows (one per region): its series, their fits and what the data allow."""

    target: Target
    plan: Plan
    polarity: str
    sub: SeriesPanel
    fit: TrendFit
    as_of: int
    usable: np.ndarray  # current data (and, for relative targets, the baseline)
    can_project: np.ndarray  # usable and long enough for a projection
    #: Every observed value, bounds included (``sub`` holds the exact values the trend is fitted on).
    observed: SeriesPanel | None = None
    #: Per observed value: "" exact, ">=", ">", "<=", "<" (None: all exact).
    censor: np.ndarray | None = None
    #: ``fit.predict(target year)`` when already worked out (None: predicted here).
    predicted: tuple[np.ndarray, np.ndarray] | None = None
    #: Where ``sub`` has values, when already worked out (None: worked out here).
    has_values: Observed | None = None

    def __post_init__(self) -> None:
        if self.has_values is None or self.has_values.values is not self.sub.values:
            self.has_values = Observed(self.sub.values)
        if self.observed is None:
            self.observed = self.sub
        seen = self.has_values if self.observed is self.sub else Observed(self.observed.values)
        k, J = self.observed.values.shape
        last_idx, has = seen.last
        rows = np.arange(k)
        self.latest_value = np.where(has, self.observed.values[rows, last_idx], np.nan) if J else np.full(k, np.nan)
        self.latest_year = np.where(has, self.observed.years[last_idx], np.nan).astype(float) if J else (
            np.full(k, np.nan))
        self.latest_censor = (np.where(has, self.censor[rows, last_idx], "") if self.censor is not None and J
                              else None)

    @property
    def k(self) -> int:
        return self.sub.n_series


@dataclass
class Judgement:
    """What a handler concludes for every row of a target."""

    desired: np.ndarray  # +1 the value should rise, −1 fall, 0 reach an interval
    p_meet: np.ndarray
    required: np.ndarray
    met_now: np.ndarray
    decided: np.ndarray  # verdict fixed by observed data (target year passed)
    lo: np.ndarray
    hi: np.ndarray
    baseline: np.ndarray
    point_missed: np.ndarray | None = None  # the latest value(s) alone show the target missed (NBS point test)
    #: Rows made unusable because the baseline year has no value (None: none).
    missing_base: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.point_missed is None:
            self.point_missed = np.zeros(len(self.p_meet), dtype=bool)


def judge(rows: TargetRows) -> Judgement:
    """The judgement of the target's comparator family."""
    return _HANDLERS[family_of(rows.target.comparator)](rows)


def family_of(c: Comparator) -> str:
    if c in RATE_COMPARATORS:
        return "rate"
    if c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN:
        return "direction"
    return "level"


def rate_scale(c: Comparator) -> str:
    """Fitting scale of an annual-rate target: points on the original scale, % on the log scale."""
    return "linear" if c.value.endswith("_pts") else "loglinear"


def judge_direction(rows: TargetRows) -> Judgement:
    k, fit = rows.k, rows.fit
    desired = np.full(k, float(rows.target.desired_direction))
    p_meet = np.where(rows.can_project, fit.prob_slope_sign(desired), np.nan)
    prev, gap = previous_value(rows.sub, rows.has_values)
    with np.errstate(invalid="ignore"):
        missed = rows.usable & ~np.isnan(prev) & ((fit.last_value - prev) * desired <= 0)
    nan = np.full(k, np.nan)
    no = np.zeros(k, dtype=bool)
    return Judgement(desired, p_meet, np.zeros(k), no, no.copy(), nan, nan.copy(), nan.copy(), point_missed=missed)


def judge_rate(rows: TargetRows) -> Judgement:
    """P(observed annual rate reaches the required rate) from the trend slope's t distribution."""
    k, fit, target = rows.k, rows.fit, rows.target
    v = float(target.value)
    se = np.maximum(fit.slope_se(), 1e-12)
    slope = fit.trend_slope
    with np.errstate(invalid="ignore"):
        if target.comparator == Comparator.ANNUAL_DECREASE_PTS:
            p, req = t_cdf((-v - slope) / se, fit.trend_df), -v
        elif target.comparator == Comparator.ANNUAL_INCREASE_PTS:
            p, req = t_sf((v - slope) / se, fit.trend_df), v
        elif target.comparator == Comparator.ANNUAL_DECREASE_PCT:
            p, req = t_cdf((np.log1p(-v / 100) - slope) / se, fit.trend_df), -v
        else:
            p, req = t_sf((np.log1p(v / 100) - slope) / se, fit.trend_df), v
    p_meet = np.where(rows.can_project, np.asarray(p, dtype=float), np.nan)
    desired = np.full(k, float(target.desired_direction))
    # the latest change per year against the stated rate (points, or compound %)
    prev, gap = previous_value(rows.sub, rows.has_values)
    with np.errstate(invalid="ignore", divide="ignore"):
        if target.comparator.value.endswith("_pts"):
            change = (fit.last_value - prev) / gap
        else:
            change = ((fit.last_value / prev) ** (1 / gap) - 1) * 100
        missed = rows.usable & np.isfinite(change) & (change * np.sign(req) < abs(req))
    nan = np.full(k, np.nan)
    no = np.zeros(k, dtype=bool)
    return Judgement(desired, p_meet, np.full(k, req, dtype=float), no, no.copy(), nan, nan.copy(), nan.copy(),
                     point_missed=missed)


def judge_level(rows: TargetRows) -> Judgement:
    """Level targets: met now (latest or target-year value), P(target-year value in the interval)."""
    target, fit, k = rows.target, rows.fit, rows.k
    desired = np.full(k, float(target.desired_direction))
    base = baseline(rows)
    lo, hi = bounds(target, base, rows.polarity)
    missing_base = rows.usable & np.isnan(lo) & np.isnan(hi)
    rows.usable &= ~missing_base
    rows.can_project &= ~missing_base
    usable = rows.usable
    met_now = usable & meets(target, rows.latest_value, lo, hi, rows.latest_censor)
    missed_now = usable & misses(target, rows.latest_value, lo, hi, rows.latest_censor)
    T = target.year
    observed_T = value_in(rows.observed, T)
    censor_T = _censor_in(rows, T)
    passed = usable & (rows.as_of >= T) & ~np.isnan(observed_T)
    met_T = meets(target, observed_T, lo, hi, censor_T) if passed.any() else None  # read where passed only
    if met_T is not None:
        met_now = np.where(passed, met_T, met_now)
    if target.desired_direction == 0:
        mid = np.where(np.isfinite(lo) & np.isfinite(hi), (lo + hi) / 2, np.where(np.isfinite(lo), lo, hi))
        desired = np.sign(mid - rows.latest_value)
    with np.errstate(invalid="ignore"):
        mean, scale = rows.predicted if rows.predicted is not None else fit.predict(T)
        p_meet = np.where(rows.can_project, p_between(fit, np.where(np.isnan(lo), -np.inf, lo),
                                                      np.where(np.isnan(hi), np.inf, hi), mean, scale), np.nan)
    if met_T is not None:
        p_meet = np.where(passed, met_T.astype(float), p_meet)
    bound = np.where(desired < 0, hi, lo)
    years_left = np.maximum(T - rows.latest_year, 1)
    required = np.where(met_now, 0.0, (bound - rows.latest_value) / years_left)
    base_col = base if uses_baseline(target) else np.full(k, np.nan)
    return Judgement(desired, p_meet, required, met_now, passed, lo, hi, base_col, point_missed=missed_now,
                     missing_base=missing_base)


_HANDLERS: dict[str, Callable[[TargetRows], Judgement]] = {
    "level": judge_level,
    "direction": judge_direction,
    "rate": judge_rate,
}


# ---------------------------------------------------------------------- shared helpers
def value_in(panel: SeriesPanel, year: int) -> np.ndarray:
    hit = np.flatnonzero(panel.years == year)
    return panel.values[:, hit[0]] if len(hit) else np.full(panel.n_series, np.nan)


def previous_value(panel: SeriesPanel, observed: Observed | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The value before each row's latest one and the years between them (NaN with < 2 values;
    ``observed``: where the panel has values, when already worked out)."""
    observed = observed if observed is not None else Observed(panel.values)
    k, J = panel.values.shape
    if J < 2:
        return np.full(k, np.nan), np.full(k, np.nan)
    mask = observed.mask.copy()
    rows = np.arange(k)
    last, _ = observed.last
    mask[rows, last] = False  # the latest value put aside, the last one left is the one before it
    prev, ok = last_index(mask)
    value = np.where(ok, panel.values[rows, np.maximum(prev, 0)], np.nan)
    years = panel.years.astype(float)
    gap = np.where(ok, years[np.maximum(last, 0)] - years[np.maximum(prev, 0)], np.nan)
    return value, gap


def _censor_in(rows: TargetRows, year: int) -> np.ndarray | None:
    if rows.censor is None:
        return None
    hit = np.flatnonzero(rows.observed.years == year)
    return rows.censor[:, hit[0]] if len(hit) else None


def uses_baseline(target: Target) -> bool:
    return target.comparator in (
        Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT, Comparator.MAINTAIN)


def baseline(rows: TargetRows) -> np.ndarray:
    """Baseline-year value: observed, else the fitted trend when the year lies inside the data."""
    target, fit, panel = rows.target, rows.fit, rows.sub
    if not uses_baseline(target):
        return np.full(panel.n_series, np.nan)
    year = target.baseline_year or rows.plan.period[0] - 1
    observed = value_in(panel, year)
    inside = rows.can_project & (fit.first_year <= year) & (fit.last_year >= year)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(np.isnan(observed), np.where(inside, fit.trend_value(float(year)), np.nan), observed)


def bounds(target: Target, base: np.ndarray, polarity: str) -> tuple[np.ndarray, np.ndarray]:
    """Interval the target-year value must fall in, per series (NaN when undeterminable)."""
    k = len(base)
    c = target.comparator
    if c == Comparator.MAINTAIN:
        if polarity == "lower":
            return np.full(k, -np.inf), base.copy()
        return base.copy(), np.full(k, np.inf)
    if c in (Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT):
        v = float(target.value)
        if c == Comparator.RELATIVE_DECREASE_PCT:
            return np.where(np.isnan(base), np.nan, -np.inf), base * (1 - v / 100)
        return base * (1 + v / 100), np.where(np.isnan(base), np.nan, np.inf)
    lo, hi = target.level_bounds()
    return np.full(k, lo, dtype=float), np.full(k, hi, dtype=float)


def _value_interval(x: np.ndarray, censor: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                          np.ndarray]:
    """What a value, exact or a bound, says about the true value: [low, high] and whether each
    end is open (``>99`` is (99, ∞), ``<=5`` is (−∞, 5], an exact 4 is [4, 4])."""
    if censor is None:
        no = np.zeros(x.shape, dtype=bool)
        return x, x, no, no
    c = np.asarray(censor, dtype=object)
    low = np.where(np.isin(c, ["<", "<="]), -np.inf, x)
    high = np.where(np.isin(c, [">", ">="]), np.inf, x)
    return low, high, c == ">", c == "<"


def meets(target: Target, x: np.ndarray, lo: np.ndarray, hi: np.ndarray,
          censor: np.ndarray | None = None) -> np.ndarray:
    """Whether the true value surely satisfies the target (a bound must lie wholly inside)."""
    vlo, vhi, lo_open, hi_open = _value_interval(x, censor)
    with np.errstate(invalid="ignore"):
        if target.comparator == Comparator.LT:
            ok = (vhi < hi) | (hi_open & (vhi <= hi))
        elif target.comparator == Comparator.GT:
            ok = (vlo > lo) | (lo_open & (vlo >= lo))
        else:
            ok = (vlo >= lo) & (vhi <= hi)
    return np.where(np.isnan(x) | (np.isnan(lo) & np.isnan(hi)), False, ok)


def misses(target: Target, x: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           censor: np.ndarray | None = None) -> np.ndarray:
    """Whether the true value surely fails the target (a bound lying wholly outside)."""
    vlo, vhi, lo_open, hi_open = _value_interval(x, censor)
    with np.errstate(invalid="ignore"):
        if target.comparator == Comparator.LT:
            bad = vlo >= hi
        elif target.comparator == Comparator.GT:
            bad = vhi <= lo
        else:
            bad = (vhi < lo) | (hi_open & (vhi <= lo)) | (vlo > hi) | (lo_open & (vlo >= hi))
    return np.where(np.isnan(x) | (np.isnan(lo) & np.isnan(hi)), False, bad)
