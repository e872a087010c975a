"""Reference assessment methods used in official practice, each with its published categories.

Every method takes the series of one target for many regions at once (:class:`TargetSeries`)
and returns its own category per region, the category mapped onto the package's statuses,
and the number it is based on (:class:`MethodResult`). Formulas and thresholds:
``docs/methodology.md``.

``nbs``       国家统计局: latest value against the target (达标 / 未达标); 达标率 by counting.
``unicef``    UNICEF: observed AARR (log-linear regression) against the AARR required.
``escap``     UN ESCAP Anticipated Progress: time-weighted regression projected to the target year.
``unsd``      UN Statistics Division Progress Chart: ratio of projected to required progress.
``eurostat``  Eurostat / Statistics Canada (Open SDG): observed / required CAGR.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from childplan_analysis.core import config
from childplan_analysis.core.targets import DIRECTION_COMPARATORS, RATE_COMPARATORS, Comparator
from childplan_analysis.engine.rowstats import Observed, row_counts

PROBABILISTIC = "probabilistic"
METHODS = ("probabilistic", "nbs", "unicef", "escap", "unsd", "eurostat")

#: Published categories of each reference method, with Chinese and English labels.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "nbs_met": {"zh": "达标", "en": "Met"},
    "nbs_not_met": {"zh": "未达标", "en": "Not met"},
    "unicef_target_met": {"zh": "已达到目标", "en": "Target met"},
    "unicef_on_track": {"zh": "按期可达标", "en": "On track"},
    "unicef_acceleration_needed": {"zh": "需加快进度", "en": "Acceleration needed"},
    "unicef_insufficient_trend_data": {"zh": "趋势数据不足", "en": "Insufficient trend data"},
    "escap_maintain_progress": {"zh": "保持进展", "en": "Maintain progress"},
    "escap_accelerate_progress": {"zh": "加快进展", "en": "Accelerate progress"},
    "escap_reverse_trend": {"zh": "扭转趋势", "en": "Reverse trend"},
    "unsd_target_met": {"zh": "已达标", "en": "Target met"},
    "unsd_on_track": {"zh": "按期可达标", "en": "On track"},
    "unsd_moderate_progress": {"zh": "进展中等，需加快", "en": "Moderate progress, acceleration needed"},
    "unsd_marginal_progress": {"zh": "进展有限", "en": "Marginal progress"},
    "unsd_stagnation": {"zh": "停滞", "en": "Stagnation"},
    "unsd_regression": {"zh": "倒退", "en": "Regression"},
    "eurostat_target_achieved": {"zh": "已达标", "en": "Target achieved"},
    "eurostat_on_track": {"zh": "按期可达标", "en": "On track"},
    "eurostat_acceleration_needed": {"zh": "有进展但需加快", "en": "Progress made but acceleration needed"},
    "eurostat_limited_progress": {"zh": "进展有限", "en": "Limited progress"},
    "eurostat_deterioration": {"zh": "恶化", "en": "Deterioration"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "insufficient_data": {"zh": "数据不足", "en": "Insufficient data"},
    "not_applicable": {"zh": "不适用", "en": "Not applicable"},
}


@dataclass(frozen=True)
class TargetSeries:
    """One target's series for many regions (arrays of length R; ``values`` is R × years)."""

    comparator: Comparator
    target_value: float  # the stated value (level, or annual rate for rate comparators)
    target_year: int
    years: np.ndarray
    values: np.ndarray
    lo: np.ndarray  # interval the target-year value must fall in (NaN: undeterminable)
    hi: np.ndarray
    desired: np.ndarray  # +1 should rise, −1 should fall, 0 either way
    base_year: np.ndarray  # base of growth-rate methods (NaN: none)
    base_value: np.ndarray
    last_year: np.ndarray
    last_value: np.ndarray
    met_now: np.ndarray  # latest (or target-year) value satisfies the target
    unit: str = ""

    @property
    def n_points(self) -> np.ndarray:
        return row_counts(~np.isnan(self.values))

    @property
    def level_target(self) -> np.ndarray:
        """The bound to reach: the upper bound for falling indicators, the lower one otherwise."""
        return np.where(self.desired < 0, self.hi, np.where(self.desired > 0, self.lo, _nearest(self)))


def _nearest(ts: TargetSeries) -> np.ndarray:
    """For two-sided targets, the bound on the side the series must move to."""
    with np.errstate(invalid="ignore"):
        below = ts.last_value < ts.lo
    return np.where(below, ts.lo, ts.hi)


@dataclass(frozen=True)
class MethodResult:
    """A method's published category, the matching status, and the figure it rests on."""

    category: np.ndarray
    status: np.ndarray
    value: np.ndarray


def _result(category: np.ndarray, mapping: dict[str, str], value: np.ndarray) -> MethodResult:
    status = np.array([mapping.get(c, "insufficient_data") for c in category], dtype=object)
    return MethodResult(np.asarray(category, dtype=object), status, np.asarray(value, dtype=float))


def _no_data(ts: TargetSeries, category: np.ndarray, need: int) -> np.ndarray:
    n = ts.n_points
    category = np.where(n == 0, "no_data", category)
    return np.where((n > 0) & (n < need), "insufficient_data", category)


# ---------------------------------------------------------------------- NBS
def nbs(ts: TargetSeries) -> MethodResult:
    """国家统计局 monitoring reports: is the latest value on the right side of the target?

    Level targets compare the latest value with the target; direction targets the latest change
    on the previous value; annual-rate targets the latest change against the stated rate.
    """
    prev_value, prev_year = _previous(ts)
    change = (ts.last_value - prev_value) / np.maximum(ts.last_year - prev_year, 1)
    c = ts.comparator
    if c in RATE_COMPARATORS:
        met = _rate_met(c, ts.target_value, change, (ts.last_value / prev_value) ** (
            1 / np.maximum(ts.last_year - prev_year, 1)) - 1)
        need = 2
    elif c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN:
        met = np.sign(change) == ts.desired
        need = 2
    else:
        met = ts.met_now
        need = 1
    category = np.where(met, "nbs_met", "nbs_not_met")
    category = _no_data(ts, category, need)
    return _result(category, {"nbs_met": "achieved", "nbs_not_met": "acceleration_needed"}, change)


def _previous(ts: TargetSeries) -> tuple[np.ndarray, np.ndarray]:
    """The value before the latest one, and its year."""
    mask = ~np.isnan(ts.values)
    counts = mask.cumsum(axis=1)
    n = mask.sum(axis=1)
    is_prev = mask & (counts == (n - 1)[:, None]) & (n >= 2)[:, None]
    idx = np.argmax(is_prev, axis=1)
    has = is_prev.any(axis=1)
    rows = np.arange(len(n))
    value = np.where(has, ts.values[rows, idx] if ts.values.size else np.nan, np.nan)
    year = np.where(has, ts.years[idx] if len(ts.years) else np.nan, np.nan)
    return value, year.astype(float)


def _rate_met(c: Comparator, rate: float, points_change: np.ndarray, growth: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if c == Comparator.ANNUAL_DECREASE_PTS:
            return points_change <= -rate
        if c == Comparator.ANNUAL_INCREASE_PTS:
            return points_change >= rate
        if c == Comparator.ANNUAL_DECREASE_PCT:
            return growth <= -rate / 100
        return growth >= rate / 100


# ---------------------------------------------------------------------- UNICEF
def aarr_regression(years: np.ndarray, values: np.ndarray) -> np.ndarray:
    """UNICEF AARR (%) by regression: ln(value) = a + β·year, AARR = (1 − e^β)·100 (per row)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logv = np.where(values > 0, np.log(np.where(values > 0, values, 1.0)), np.nan)
    mask = ~np.isnan(logv)
    n = mask.sum(axis=1)
    x = np.broadcast_to(years.astype(float), values.shape)
    safe = np.maximum(n, 1)
    xbar = np.where(mask, x, 0).sum(axis=1) / safe
    zbar = np.where(mask, logv, 0).sum(axis=1) / safe
    dx = np.where(mask, x - xbar[:, None], 0)
    dz = np.where(mask, logv - zbar[:, None], 0)
    sxx = (dx**2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = (dx * dz).sum(axis=1) / sxx
    return np.where((n >= 2) & (sxx > 0), (1 - np.exp(beta)) * 100, np.nan)


def aarr_required(current: np.ndarray, target: np.ndarray, years_left: np.ndarray) -> np.ndarray:
    """AARR (%) needed to go from ``current`` to ``target`` in ``years_left`` years."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (1 - (target / current) ** (1 / np.maximum(years_left, 1))) * 100


def unicef(ts: TargetSeries) -> MethodResult:
    """UNICEF Progress for Every Child: observed AARR ≥ required AARR is on track.

    For indicators that should rise, the rate of increase plays the same part (signs flipped).
    Annual-rate targets compare the observed rate with the stated one directly.
    """
    observed = aarr_regression(ts.years, ts.values)
    c = ts.comparator
    years_left = ts.target_year - ts.last_year
    if c in (Comparator.ANNUAL_DECREASE_PCT, Comparator.ANNUAL_INCREASE_PCT):
        required = np.full(len(observed), ts.target_value if c == Comparator.ANNUAL_DECREASE_PCT else -ts.target_value)
    elif c in RATE_COMPARATORS or (c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN):
        required = np.zeros(len(observed))
        if c in RATE_COMPARATORS:  # points a year, expressed as a rate at the latest level
            sign = 1 if c == Comparator.ANNUAL_DECREASE_PTS else -1
            with np.errstate(invalid="ignore", divide="ignore"):
                required = sign * ts.target_value / ts.last_value * 100
    else:
        required = aarr_required(ts.last_value, ts.level_target, years_left)
    # progress measured as reduction for falling indicators, increase for rising ones
    d = np.where(ts.desired > 0, -1.0, 1.0)
    with np.errstate(invalid="ignore"):
        on_track = d * observed >= d * required
    level_target = not (c in RATE_COMPARATORS or (c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN))
    met = ts.met_now if level_target else np.zeros(len(observed), dtype=bool)
    category = np.select(
        [ts.n_points == 0, met, np.isnan(observed) | np.isnan(required), on_track],
        ["no_data", "unicef_target_met", "unicef_insufficient_trend_data", "unicef_on_track"],
        "unicef_acceleration_needed")
    return _result(category, {"unicef_target_met": "achieved", "unicef_on_track": "on_track",
                              "unicef_acceleration_needed": "acceleration_needed"}, observed)


# ---------------------------------------------------------------------- ESCAP
def escap_projection(years: np.ndarray, values: np.ndarray, target_year: float,
                     observed: Observed | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Time-weighted linear regression (weights 1, 2, … from the first observed year) projected
    to ``target_year``; returns the projection and the fitted slope. ``observed``: where
    ``values`` has values, when already worked out."""
    if not len(years):
        nan = np.full(len(values), np.nan)
        return nan, nan.copy()
    observed = observed if observed is not None else Observed(values)
    mask, missing = observed.mask, observed.missing
    first_idx, has = observed.first
    n = observed.count
    first = np.where(has, years[first_idx], np.nan)
    x = np.broadcast_to(years.astype(float), values.shape)
    # each array made once and updated in place: w = 1 + step·(x − first), 0 where missing
    w = x - first[:, None]
    step = float(config.ESCAP_WEIGHT_STEP)
    if step != 1:
        w *= step
    w += 1
    np.copyto(w, 0.0, where=missing)
    if _whole_numbers(years, step):
        # weights and years are whole numbers: their sums are exact in any order, so one
        # matrix-vector product each gives the row sums numpy's own summation gives
        sw = np.maximum(w @ np.ones(len(years)), 1e-12)
        xbar = (w @ years.astype(float)) / sw
        work = np.empty_like(w)
    else:
        sw = np.maximum(w.sum(axis=1), 1e-12)
        work = w * x
        xbar = work.sum(axis=1) / sw
    y = np.where(mask, values, 0.0)
    if np.isinf(y).any():  # as np.nan_to_num gives them
        y = np.nan_to_num(values)
    np.multiply(w, y, out=work)
    ybar = work.sum(axis=1) / sw
    # where a value is missing its weight is 0, which zeroes the products below as long as the
    # deviations there are finite: those from the mean year always are, those from the mean
    # value are unless that mean overflowed
    dx = x - xbar[:, None]
    dy = y - ybar[:, None]
    if not np.isfinite(ybar).all():
        np.copyto(dy, 0.0, where=missing)
    np.multiply(dx, dx, out=work)
    work *= w  # w·dx²
    sxx = work.sum(axis=1)
    np.multiply(w, dx, out=work)
    work *= dy  # w·dx·dy
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(sxx > 0, work.sum(axis=1) / sxx, np.nan)
    projection = ybar + slope * (target_year - xbar)
    return np.where(n >= 2, projection, np.nan), np.where(n >= 2, slope, np.nan)


def _whole_numbers(years: np.ndarray, step: float) -> bool:
    """Whether ESCAP weights and their products with the years are whole numbers small enough
    for every sum of them to be exact (integer years within ±10⁶, a whole weight step ≤ 10³)."""
    years = np.asarray(years, dtype=float)
    return (step.is_integer() and abs(step) <= 1e3 and bool(np.all(np.abs(years) <= 1e6))
            and bool(np.all(years == np.round(years))))


def anticipated_gap(target: np.ndarray, projection: np.ndarray, base: np.ndarray) -> np.ndarray:
    """ESCAP anticipated gap: (target − projection) / (target − base value); 0 when projected to meet."""
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = (target - projection) / (target - base)
    return gap


def escap(ts: TargetSeries) -> MethodResult:
    """ESCAP Anticipated Progress: maintain progress (projection meets the target), accelerate
    progress (moving towards it but short), reverse trend (moving away)."""
    projection, slope = escap_projection(ts.years, ts.values, ts.target_year)
    c = ts.comparator
    if c in RATE_COMPARATORS:
        category = np.full(len(projection), "not_applicable", dtype=object)
    else:
        if c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN:
            meets = np.sign(slope) == ts.desired
        else:
            with np.errstate(invalid="ignore"):
                meets = (projection >= np.nan_to_num(ts.lo, nan=-np.inf)) & (
                    projection <= np.nan_to_num(ts.hi, nan=np.inf))
        toward = np.sign(slope) * np.sign(ts.level_target - ts.last_value)
        toward = np.where(ts.desired != 0, np.sign(slope) == ts.desired, toward > 0)
        category = np.where(meets, "escap_maintain_progress",
                            np.where(toward, "escap_accelerate_progress", "escap_reverse_trend"))
    category = _no_data(ts, category, 2)
    gap = anticipated_gap(ts.level_target, projection, ts.base_value)
    return _result(category, {"escap_maintain_progress": "on_track",
                              "escap_accelerate_progress": "acceleration_needed",
                              "escap_reverse_trend": "regressing"}, gap)


# ---------------------------------------------------------------------- UNSD
def cagr(v0: np.ndarray, v1: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Compound annual growth rate between two values ``years`` apart (zero base replaced)."""
    v0 = np.where(v0 == 0, config.CAGR_ZERO_BASE, v0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (v1 / v0) ** (1 / np.where(years > 0, years, np.nan)) - 1


def unsd(ts: TargetSeries) -> MethodResult:
    """UNSD SDG Progress Chart: CR = (projected − base)/(target − base), projection by the CAGR
    from the base year to the latest year; met when the latest value meets the target (or is
    within 1 point of a 0 % / 100 % target)."""
    c = ts.comparator
    growth = cagr(ts.base_value, ts.last_value, ts.last_year - ts.base_year)
    if c in RATE_COMPARATORS:
        category = np.full(len(growth), "not_applicable", dtype=object)
        ratio = np.full(len(growth), np.nan)
    elif c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN:
        # no numerical target: the CAGR itself, thresholds of the progress chart without target
        ratio = ts.desired * growth
        category = np.select([ratio >= 0.02, ratio >= 0.005, ratio > -0.005],
                             ["unsd_on_track", "unsd_moderate_progress", "unsd_stagnation"], "unsd_regression")
        category = np.where(np.isnan(ratio), "insufficient_data", category)
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            projected = ts.last_value * (1 + growth) ** (ts.target_year - ts.last_year)
            ratio = (projected - ts.base_value) / (ts.level_target - ts.base_value)
        category = np.select(
            [ratio >= config.UNSD_ON_TRACK, ratio >= config.UNSD_MODERATE, ratio >= config.UNSD_MARGINAL,
             ratio > config.UNSD_STAGNATION],
            ["unsd_on_track", "unsd_moderate_progress", "unsd_marginal_progress", "unsd_stagnation"],
            "unsd_regression")
        category = np.where(np.isnan(ratio), "insufficient_data", category)
        near_limit = np.zeros(len(ratio), dtype=bool)
        if ts.unit == "%":
            target = ts.level_target
            with np.errstate(invalid="ignore"):
                near_limit = ((target == 0) | (target == 100)) & (np.abs(ts.last_value - target) <= 1)
        category = np.where(ts.met_now | near_limit, "unsd_target_met", category)
    category = np.where(ts.n_points == 0, "no_data", category)
    category = np.where((ts.n_points == 1) & (category != "unsd_target_met"), "insufficient_data", category)
    return _result(category, {"unsd_target_met": "achieved", "unsd_on_track": "on_track",
                              "unsd_moderate_progress": "acceleration_needed",
                              "unsd_marginal_progress": "acceleration_needed",
                              "unsd_stagnation": "acceleration_needed", "unsd_regression": "regressing"}, ratio)


# ---------------------------------------------------------------------- Eurostat / Statistics Canada
def eurostat(ts: TargetSeries) -> MethodResult:
    """Eurostat / Statistics Canada progress measure (Open SDG): R = observed CAGR / required CAGR,
    both from the base year; without a numerical target, the CAGR in the desired direction."""
    c = ts.comparator
    observed = cagr(ts.base_value, ts.last_value, ts.last_year - ts.base_year)
    if c in RATE_COMPARATORS or (c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN):
        if c in (Comparator.ANNUAL_DECREASE_PCT, Comparator.ANNUAL_INCREASE_PCT):
            required = ts.desired * ts.target_value / 100
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = observed / required
            category = _eurostat_ratio(ratio)
        elif c in RATE_COMPARATORS:
            category = np.full(len(observed), "not_applicable", dtype=object)
            ratio = np.full(len(observed), np.nan)
        else:
            ratio = ts.desired * observed
            category = np.select(
                [ratio >= config.EUROSTAT_NO_TARGET_ON_TRACK, ratio >= config.EUROSTAT_NO_TARGET_ACCELERATION,
                 ratio >= 0], ["eurostat_on_track", "eurostat_acceleration_needed", "eurostat_limited_progress"],
                "eurostat_deterioration")
            category = np.where(np.isnan(ratio), "insufficient_data", category)
    else:
        required = cagr(ts.base_value, ts.level_target, ts.target_year - ts.base_year)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = observed / required
        category = _eurostat_ratio(ratio)
        category = np.where(ts.met_now, "eurostat_target_achieved", category)
    category = np.where(ts.n_points == 0, "no_data", category)
    category = np.where((ts.n_points == 1) & (category != "eurostat_target_achieved"), "insufficient_data",
                        category)
    return _result(category, {"eurostat_target_achieved": "achieved", "eurostat_on_track": "on_track",
                              "eurostat_acceleration_needed": "acceleration_needed",
                              "eurostat_limited_progress": "acceleration_needed",
                              "eurostat_deterioration": "regressing"}, ratio)


def _eurostat_ratio(ratio: np.ndarray) -> np.ndarray:
    category = np.select(
        [ratio >= config.EUROSTAT_ON_TRACK, ratio >= config.EUROSTAT_ACCELERATION, ratio >= 0],
        ["eurostat_on_track", "eurostat_acceleration_needed", "eurostat_limited_progress"],
        "eurostat_deterioration")
    return np.where(np.isnan(ratio), "insufficient_data", category)


REFERENCE_METHODS: dict[str, Callable[[TargetSeries], MethodResult]] = {
    "nbs": nbs,
    "unicef": unicef,
    "escap": escap,
    "unsd": unsd,
    "eurostat": eurostat,
}


def category_label(category: str, lang: str = "zh") -> str:
    """Label of a published category in ``lang``."""
    entry = CATEGORY_LABELS.get(category)
    return entry.get(lang, entry["zh"]) if entry else category
