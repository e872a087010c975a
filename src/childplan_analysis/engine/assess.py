"""Attainment assessment: for every target and region, is it met, on track, how likely, why warn.

``assess(observations, plan)`` applies the plan's targets to every region present in the
observations. Every (region, indicator) series is fitted once, in one vectorised pass with the
model chosen per series (see :mod:`.models`); each target then reads its regions' fits.
``method=`` selects the status by one of the reference methods of :mod:`.methods` instead of
the probabilistic default; :func:`compare_methods` shows them side by side. Statuses, warnings
and every threshold are documented in ``docs/methodology.md``.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import (
    DIRECTION_COMPARATORS,
    RATE_COMPARATORS,
    Comparator,
    Target,
)
from childplan_analysis.engine.methods import (
    METHODS,
    PROBABILISTIC,
    REFERENCE_METHODS,
    TargetSeries,
    escap_projection,
)
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import (
    MODELS,
    SeriesPanel,
    TrendFit,
    default_family,
    fit_model,
    fit_trend,
    pack_series,
    take,
)
from childplan_analysis.models.select import select_models

STATUSES = ("achieved", "on_track", "acceleration_needed", "regressing", "insufficient_data")
STATUS_LABELS = {
    "achieved": {"zh": "已达标", "en": "Achieved"},
    "on_track": {"zh": "按期可达标", "en": "On track"},
    "acceleration_needed": {"zh": "需加快进度", "en": "Acceleration needed"},
    "regressing": {"zh": "逆向变化", "en": "Regressing"},
    "insufficient_data": {"zh": "数据不足", "en": "Insufficient data"},
}
WARNINGS = {
    "off_track": {"zh": "预计达标困难", "en": "Expected to miss the target"},
    "volatile": {"zh": "波动较大", "en": "Fluctuates strongly"},
    "regressing": {"zh": "向目标反方向变化", "en": "Moving away from the target"},
    "stale_data": {"zh": "数据陈旧", "en": "Data out of date"},
    "series_break": {"zh": "数据突变", "en": "Break in the series"},
}
LEVEL_LABELS = {
    "red": {"zh": "红", "en": "Red"},
    "yellow": {"zh": "黄", "en": "Yellow"},
    "green": {"zh": "绿", "en": "Green"},
}
METHOD_LABELS = {
    "probabilistic": {"zh": "概率预测法", "en": "Probabilistic projection"},
    "nbs": {"zh": "国家统计局达标判定", "en": "NBS point test"},
    "unicef": {"zh": "联合国儿基会年均下降率法", "en": "UNICEF AARR"},
    "escap": {"zh": "亚太经社会预期进展法", "en": "ESCAP anticipated progress"},
    "unsd": {"zh": "联合国统计司进展图表法", "en": "UNSD progress chart"},
    "eurostat": {"zh": "欧盟统计局复合增长率法", "en": "Eurostat / StatCan CAGR ratio"},
}
RESULT_COLUMNS = [
    "plan_id", "target_id", "region", "indicator", "domain", "attribute", "responsible",
    "target_year", "comparator", "target_value", "target_value_high", "baseline_year",
    "baseline_value", "unit", "n_points", "first_year", "last_year", "last_value", "model",
    "projected", "lower", "upper", "p_meet", "observed_rate", "required_rate", "status",
    "warning_level", "warnings", "reason", "anticipated_gap", "model_choice", "method",
    "method_category",
]
#: Kept importable here; the values live in :mod:`.config`.
REGRESSING_PROB = config.REGRESSING_PROB
VOLATILE_MIN_REL = config.VOLATILE_MIN_REL


def assess(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    as_of: int | None = None,
    *,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    model: str = "auto",
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
    method: str = PROBABILISTIC,
) -> pd.DataFrame:
    """Assess every target of ``plan`` for every region in ``observations``.

    Only region totals (sex, area and age group ``total``, no subregion) are assessed here;
    breakdowns are for disparity analysis. ``as_of`` hides every observation after that year
    (default: the latest year in the data). ``model`` is ``auto`` (chosen per series by
    rolling-origin backtest) or one of :data:`~childplan_analysis.models.MODELS`. ``regions``
    limits the regions assessed (default: every region in the observations). ``method`` sets
    the ``status`` column: ``probabilistic`` (default) or a reference method of
    :data:`~childplan_analysis.engine.methods.METHODS`; warnings and levels are always the
    probabilistic ones. Series are fitted on the last ``config.FIT_WINDOW`` years up to ``as_of``.

    Returns one row per (target, region) with the columns :data:`RESULT_COLUMNS`.
    """
    frame = _run(observations, plan, as_of, level=level, model=model, regions=regions,
                 indicators=indicators, methods=[method])
    frame = _apply_method(frame, method)
    return frame[RESULT_COLUMNS].reset_index(drop=True)


def compare_methods(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    as_of: int | None = None,
    *,
    methods: list[str] | tuple[str, ...] = METHODS,
    **kwargs,
) -> pd.DataFrame:
    """Status of every target by several methods side by side.

    One row per (target, region): identification columns, ``p_meet``, then for each method
    ``status_<method>`` and ``category_<method>`` (its published category) and ``value_<method>``
    (the figure it rests on: AARR, ratio, gap …), and ``agree`` — whether all statuses agree.
    """
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {', '.join(METHODS)}")
    frame = _run(observations, plan, as_of, methods=list(methods), **kwargs)
    keep = ["plan_id", "target_id", "region", "indicator", "target_year", "comparator", "target_value",
            "unit", "n_points", "last_year", "last_value", "model", "projected", "p_meet", "observed_rate",
            "required_rate", "anticipated_gap"]
    cols = []
    for m in methods:
        cols += [f"status_{m}", f"category_{m}", f"value_{m}"]
    out = frame[keep + cols].copy()
    statuses = out[[f"status_{m}" for m in methods]]
    out["agree"] = statuses.nunique(axis=1) == 1
    return out.reset_index(drop=True)


def _apply_method(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    frame = frame.copy()
    frame["method"] = method
    frame["status"] = frame[f"status_{method}"]
    frame["method_category"] = frame[f"category_{method}"]
    not_assessed = frame["method_category"] == "not_applicable"
    frame.loc[not_assessed, "reason"] = f"the {method} method does not assess this kind of target"
    return frame


def _run(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    as_of: int | None = None,
    *,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    model: str = "auto",
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
    methods: list[str] | None = None,
) -> pd.DataFrame:
    methods = methods or [PROBABILISTIC]
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"unknown method {m!r}; choose one of {', '.join(METHODS)}")
    if model != "auto" and model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose 'auto' or one of {', '.join(MODELS)}")
    if not 0 < level < 1:
        raise ValueError(f"interval level must be between 0 and 1, got {level}")
    indicators = indicators or load_indicators()
    plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    totals = _totals(obs)
    if as_of is None:
        as_of = int(totals["year"].max()) if len(totals) else max(plan.period)
    if regions is None:
        regions = sorted(obs["region"].unique()) if len(obs) else [plan.region]
    regions = list(dict.fromkeys(regions))
    visible = totals[
        (totals["year"] <= as_of)
        & (totals["year"] > as_of - config.FIT_WINDOW)
        & totals["indicator"].isin(plan.indicators)
        & totals["region"].isin(regions)
    ]
    panel = pack_series(visible[["region", "indicator", "year", "value"]], ["region", "indicator"])
    engine = _Engine(panel, regions, indicators, model)
    parts = [_assess_target(t, plan, engine, as_of, level, methods) for t in plan.targets]
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    result = pd.DataFrame({col: np.concatenate([np.asarray(p[col]) for p in parts]) for col in parts[0]})
    return result.sort_values(["region", "target_id"], kind="stable").reset_index(drop=True)


def _totals(obs: pd.DataFrame) -> pd.DataFrame:
    required = {"region", "indicator", "year", "value"}
    missing = required - set(obs.columns)
    if missing:
        raise ValueError(f"observations lack column(s) {sorted(missing)}")
    keep = np.ones(len(obs), dtype=bool)
    for col in ("sex", "area", "age_group"):
        if col in obs.columns:
            keep &= (obs[col] == "total").to_numpy()
    if "subregion" in obs.columns:
        keep &= (obs["subregion"].fillna("") == "").to_numpy()
    return obs[keep]


class _Engine:
    """Every (region, indicator) series fitted once; targets read their regions' rows."""

    def __init__(self, panel: SeriesPanel, regions: list[str], indicators: IndicatorDictionary, model: str):
        self.panel = panel
        self.regions = regions
        self.indicators = indicators
        self.model = model
        self._rate_fits: dict[tuple[str, str], TrendFit] = {}
        keys = panel.keys
        if panel.n_series:
            ind_ids = keys["indicator"].to_numpy()
            info = {i: indicators.by_id[i] for i in pd.unique(ind_ids)}
            self.natural = np.array([default_family(info[i].unit, info[i].polarity, info[i].bounds)
                                     for i in ind_ids])
            self.low = np.array([_bound(info[i].bounds[0]) for i in ind_ids])
            self.high = np.array([_bound(info[i].bounds[1]) for i in ind_ids])
            region_pos = pd.Index(regions).get_indexer(keys["region"])
            self._rows = {}
            for ind in info:
                sel = np.flatnonzero(ind_ids == ind)
                rows = np.full(len(regions), -1)
                rows[region_pos[sel]] = sel
                self._rows[ind] = rows
        else:
            self.natural = np.array([], dtype=str)
            self.low = self.high = np.array([])
            self._rows = {}

    @cached_property
    def selection(self) -> tuple[TrendFit, np.ndarray]:
        """The fit of every series and how its model was chosen."""
        if not self.panel.n_series:
            return fit_trend(self.panel, "linear"), np.array([], dtype=str)
        if self.model == "auto":
            sel = select_models(self.panel, self.natural, self.high, self.low)
            return sel.fit, sel.method
        fit = fit_model(self.panel, self.model, self.natural, self.high, self.low)
        return fit, np.full(self.panel.n_series, "fixed")

    def rows(self, indicator: str) -> np.ndarray:
        return self._rows.get(indicator, np.full(len(self.regions), -1))

    def series(self, indicator: str) -> SeriesPanel:
        sub = self.panel.take(self.rows(indicator))
        if not len(sub.years):
            return SeriesPanel(pd.DataFrame(index=range(len(self.regions))), np.array([0]),
                               np.full((len(self.regions), 1), np.nan))
        return sub

    def fit(self, indicator: str) -> tuple[TrendFit, np.ndarray]:
        fit, how = self.selection
        rows = self.rows(indicator)
        choice = np.where(rows >= 0, how[np.where(rows >= 0, rows, 0)] if len(how) else "", "")
        return take(fit, rows), choice

    def rate_fit(self, indicator: str, family: str) -> TrendFit:
        """OLS fit of a fixed scale, for targets stated as annual rates."""
        key = (indicator, family)
        if key not in self._rate_fits:
            sub = self.series(indicator)
            ind = self.indicators.by_id[indicator]
            self._rate_fits[key] = fit_trend(sub, family, _bound(ind.bounds[1]), _bound(ind.bounds[0]))
        return self._rate_fits[key]


def _bound(x: float | None) -> float:
    return np.nan if x is None else float(x)


def _assess_target(
    target: Target,
    plan: Plan,
    engine: _Engine,
    as_of: int,
    level: float,
    methods: list[str],
) -> dict[str, np.ndarray]:
    """Columns of the result rows of one target, one row per region."""
    ind = engine.indicators.by_id[target.indicator]
    sub = engine.series(target.indicator)
    k = len(engine.regions)
    c = target.comparator
    if c in RATE_COMPARATORS:
        family = "linear" if c.value.endswith("_pts") else "loglinear"
        fit, choice = engine.rate_fit(target.indicator, family), np.full(k, "fixed")
    else:
        fit, choice = engine.fit(target.indicator)
    T = target.year
    out = _identity_columns(target, plan, ind, engine.regions, fit)
    out["model_choice"] = choice
    n = fit.n
    reason = np.full(k, "", dtype=object)
    reason[n == 0] = "no data for this indicator"
    age = as_of - fit.last_year
    too_old = (n > 0) & (age > config.MAX_DATA_AGE)
    reason[too_old] = [f"latest value is from {int(y)}, more than {config.MAX_DATA_AGE} years before {as_of}"
                       for y in fit.last_year[too_old]]
    usable = (n > 0) & ~too_old
    can_project = usable & (n >= config.MIN_POINTS)
    short = usable & ~can_project
    reason[short] = [f"only {int(m)} year(s) of data; {config.MIN_POINTS} needed for a projection"
                     for m in n[short]]

    desired = np.full(k, float(target.desired_direction))
    met_now = np.zeros(k, dtype=bool)
    decided = np.zeros(k, dtype=bool)  # verdict fixed by observed data (target year passed)
    lo = np.full(k, np.nan)
    hi = np.full(k, np.nan)
    base = _baseline(target, plan, sub, fit, can_project)
    if c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN:
        p_meet = np.where(can_project, fit.prob_slope_sign(desired), np.nan)
        required = np.zeros(k)
    elif c in RATE_COMPARATORS:
        p_meet, required = _rate_p_meet(target, fit)
        p_meet = np.where(can_project, p_meet, np.nan)
    else:
        out["baseline_value"] = np.where(_uses_baseline(target), base, np.nan)
        lo, hi = _bounds(target, base, ind.polarity)
        missing_base = usable & np.isnan(lo) & np.isnan(hi)
        reason[missing_base] = f"no value for the baseline year {target.baseline_year or plan.period[0] - 1}"
        usable &= ~missing_base
        can_project &= ~missing_base
        met_now = usable & _meets(target, fit.last_value, lo, hi)
        observed_T = _value_in(sub, T)
        passed = usable & (as_of >= T) & ~np.isnan(observed_T)
        decided = passed
        met_T = _meets(target, observed_T, lo, hi)
        met_now = np.where(passed, met_T, met_now)
        if target.desired_direction == 0:
            mid = np.where(np.isfinite(lo) & np.isfinite(hi), (lo + hi) / 2, np.where(np.isfinite(lo), lo, hi))
            desired = np.sign(mid - fit.last_value)
        with np.errstate(invalid="ignore"):
            p_meet = np.where(can_project, fit.prob_between(T, np.where(np.isnan(lo), -np.inf, lo),
                                                             np.where(np.isnan(hi), np.inf, hi)), np.nan)
        p_meet = np.where(passed, met_T.astype(float), p_meet)
        bound = np.where(desired < 0, hi, lo)
        years_left = np.maximum(T - fit.last_year, 1)
        required = np.where(met_now, 0.0, (bound - fit.last_value) / years_left)

    with np.errstate(invalid="ignore", over="ignore"):
        if can_project.any():
            out["projected"] = np.where(can_project, fit.fitted(T), np.nan)
            out["lower"] = np.where(can_project, fit.quantile(T, (1 - level) / 2), np.nan)
            out["upper"] = np.where(can_project, fit.quantile(T, (1 + level) / 2), np.nan)
        else:
            out["projected"] = out["lower"] = out["upper"] = np.full(k, np.nan)
        observed_rate = np.where(can_project, fit.annual_change(), np.nan)
        if c in RATE_COMPARATORS and c.value.endswith("_pct"):
            observed_rate = np.where(can_project, (np.exp(fit.trend_slope) - 1) * 100, np.nan)
    out["model"] = np.where(can_project, out["model"], "")
    out["model_choice"] = np.where(can_project, out["model_choice"], "")
    out["observed_rate"] = observed_rate
    out["required_rate"] = np.where(usable, required, np.nan)
    out["p_meet"] = p_meet

    with np.errstate(invalid="ignore"):
        p_wrong = np.where(can_project & (desired != 0), fit.prob_slope_sign(-desired), 0.0)
    moving_away = p_wrong >= config.REGRESSING_PROB
    status = np.where(p_meet >= 0.5, "on_track", "acceleration_needed").astype(object)
    status = np.where(moving_away, "regressing", status)
    status = np.where(met_now, "achieved", status)
    status = np.where(decided & ~met_now, np.where(moving_away, "regressing", "acceleration_needed"), status)
    status = np.where(usable & ~can_project & ~met_now & ~decided, "insufficient_data", status)
    status = np.where(~usable, "insufficient_data", status)
    reason = np.where((status == "insufficient_data") | (reason == ""), reason, "")
    out["status"] = status
    out["status_probabilistic"] = status
    out["category_probabilistic"] = status
    out["value_probabilistic"] = p_meet
    out["reason"] = reason

    base_year, base_value = _growth_base(target, plan, sub)
    ts = TargetSeries(
        comparator=c, target_value=float(target.value) if target.value is not None else np.nan,
        target_year=T, years=sub.years, values=sub.values, lo=lo, hi=hi, desired=desired,
        base_year=base_year, base_value=base_value, last_year=fit.last_year, last_value=fit.last_value,
        met_now=met_now, unit=ind.unit,
    )
    out["anticipated_gap"] = _anticipated_gap(ts, c)
    for m in methods:
        if m == PROBABILISTIC:
            continue
        with np.errstate(all="ignore"):  # zero or missing values give NaN figures, not warnings
            res = REFERENCE_METHODS[m](ts)
        # every method needs current data and, for relative targets, the baseline value
        unusable = too_old | ((n > 0) & ~usable)
        out[f"status_{m}"] = np.where(unusable, "insufficient_data", res.status)
        out[f"category_{m}"] = np.where(unusable, "insufficient_data", res.category)
        out[f"value_{m}"] = res.value

    volatile = can_project & (n >= 4) & _volatile(sub, fit)
    breaks = usable & series_breaks(sub)
    stale = usable & (age >= config.STALE_AFTER)
    off_track = np.isin(status, ["acceleration_needed", "regressing"]) & (
        np.nan_to_num(p_meet, nan=0) < config.OFF_TRACK_P_MEET) & usable
    warn_codes = [
        ("off_track", off_track),
        ("volatile", volatile),
        ("regressing", moving_away & usable),
        ("stale_data", stale),
        ("series_break", breaks),
    ]
    out["warnings"] = np.array([";".join(code for code, mask in warn_codes if mask[i]) for i in range(k)],
                               dtype=object)
    red = (status == "regressing") | ((status != "achieved") & usable & (np.nan_to_num(p_meet, nan=1) < config.RED_P_MEET))
    yellow = (np.asarray(out["warnings"]) != "") | (status == "acceleration_needed") | (status == "insufficient_data")
    out["warning_level"] = np.where(red, "red", np.where(yellow, "yellow", "green"))
    return out


def _identity_columns(target: Target, plan: Plan, ind, regions: list[str], fit: TrendFit) -> dict:
    k = len(regions)
    return dict(
        {
            "plan_id": np.full(k, plan.id, dtype=object),
            "target_id": np.full(k, target.id, dtype=object),
            "region": np.asarray(regions, dtype=object),
            "indicator": np.full(k, target.indicator, dtype=object),
            "domain": np.full(k, target.domain or ind.domain, dtype=object),
            "attribute": np.full(k, target.attribute or "", dtype=object),
            "responsible": np.full(k, "、".join(target.responsible), dtype=object),
            "target_year": np.full(k, target.year),
            "comparator": np.full(k, target.comparator.value, dtype=object),
            "target_value": np.full(k, target.value if target.value is not None else np.nan, dtype=float),
            "target_value_high": np.full(k, target.value_high if target.value_high is not None else np.nan,
                                         dtype=float),
            "baseline_year": np.full(k, target.baseline_year if target.baseline_year else np.nan, dtype=float),
            "baseline_value": np.full(k, np.nan),
            "unit": np.full(k, target.unit or ind.unit, dtype=object),
            "n_points": fit.n.astype(int),
            "first_year": fit.first_year,
            "last_year": fit.last_year,
            "last_value": fit.last_value,
            "model": np.where(fit.n > 0, fit.model, ""),
        }
    )


def _value_in(panel: SeriesPanel, year: int) -> np.ndarray:
    hit = np.flatnonzero(panel.years == year)
    return panel.values[:, hit[0]] if len(hit) else np.full(panel.n_series, np.nan)


def _uses_baseline(target: Target) -> bool:
    return target.comparator in (
        Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT, Comparator.MAINTAIN)


def _baseline(target: Target, plan: Plan, panel: SeriesPanel, fit: TrendFit, can_project: np.ndarray) -> np.ndarray:
    """Baseline-year value: observed, else the fitted trend when the year lies inside the data."""
    if not _uses_baseline(target):
        return np.full(panel.n_series, np.nan)
    year = target.baseline_year or plan.period[0] - 1
    observed = _value_in(panel, year)
    inside = can_project & (fit.first_year <= year) & (fit.last_year >= year)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(np.isnan(observed), np.where(inside, fit.trend_value(float(year)), np.nan), observed)


def _growth_base(target: Target, plan: Plan, panel: SeriesPanel) -> tuple[np.ndarray, np.ndarray]:
    """Base of growth-rate methods: the plan's baseline year when observed, else the first value."""
    year = target.baseline_year or plan.period[0] - 1
    observed = _value_in(panel, year)
    mask = ~np.isnan(panel.values)
    first_idx = np.argmax(mask, axis=1)
    has = mask.any(axis=1)
    rows = np.arange(panel.n_series)
    first_value = np.where(has, panel.values[rows, first_idx], np.nan)
    first_year = np.where(has, panel.years[first_idx], np.nan).astype(float)
    use_plan = ~np.isnan(observed)
    return np.where(use_plan, float(year), first_year), np.where(use_plan, observed, first_value)


def _anticipated_gap(ts: TargetSeries, c: Comparator) -> np.ndarray:
    """ESCAP-style anticipated gap for level targets (0 when the projection meets the target)."""
    if c in RATE_COMPARATORS or (c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN):
        return np.full(len(ts.last_value), np.nan)
    projection, _ = escap_projection(ts.years, ts.values, ts.target_year)
    target = ts.level_target
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = (target - projection) / (target - ts.base_value)
        meets = (projection >= np.nan_to_num(ts.lo, nan=-np.inf)) & (projection <= np.nan_to_num(ts.hi, nan=np.inf))
    return np.where(meets, 0.0, gap)


def _bounds(target: Target, base: np.ndarray, polarity: str) -> tuple[np.ndarray, np.ndarray]:
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


def _meets(target: Target, x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if target.comparator == Comparator.LT:
            ok = x < hi
        elif target.comparator == Comparator.GT:
            ok = x > lo
        else:
            ok = (x >= lo) & (x <= hi)
    return np.where(np.isnan(x) | (np.isnan(lo) & np.isnan(hi)), False, ok)


def _rate_p_meet(target: Target, fit: TrendFit) -> tuple[np.ndarray, np.ndarray]:
    """P(observed annual rate reaches the required rate) from the trend slope's t distribution."""
    from scipy import stats

    v = float(target.value)
    se = np.maximum(fit.slope_se(), 1e-12)
    slope = fit.trend_slope
    with np.errstate(invalid="ignore"):
        if target.comparator == Comparator.ANNUAL_DECREASE_PTS:
            p, req = stats.t.cdf((-v - slope) / se, fit.trend_df), -v
        elif target.comparator == Comparator.ANNUAL_INCREASE_PTS:
            p, req = stats.t.sf((v - slope) / se, fit.trend_df), v
        elif target.comparator == Comparator.ANNUAL_DECREASE_PCT:
            p, req = stats.t.cdf((np.log1p(-v / 100) - slope) / se, fit.trend_df), -v
        else:
            p, req = stats.t.sf((np.log1p(v / 100) - slope) / se, fit.trend_df), v
    return np.asarray(p, dtype=float), np.full(len(fit.n), req, dtype=float)


def _volatile(panel: SeriesPanel, fit: TrendFit) -> np.ndarray:
    """Scatter around the OLS trend larger than a year of trend change and than 2 % of the level."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        fitted = fit.trend_value(np.broadcast_to(panel.years.astype(float), panel.values.shape))
        resid = panel.values - fitted
        dof = np.maximum(fit.n - 2, 1)
        sd = np.sqrt(np.nansum(resid**2, axis=1) / dof)
        count = np.maximum((~np.isnan(panel.values)).sum(axis=1), 1)
        level = np.nansum(np.abs(panel.values), axis=1) / count
        trend = np.abs(fit.annual_change())
        return (sd / np.maximum(level, 1e-12) > config.VOLATILE_MIN_REL) & (sd > config.VOLATILE_RATIO * trend)


def series_breaks(panel: SeriesPanel) -> np.ndarray:
    """Whether a series has a year-to-year jump far outside its own variation.

    Changes per year between consecutive values are compared with their median; a change more
    than ``SERIES_BREAK_Z`` robust SDs (1.4826 × MAD) away, and larger than
    ``SERIES_BREAK_MIN_REL`` of the median level, is a break. Needs ``SERIES_BREAK_MIN_POINTS``.
    """
    values = panel.values
    k = values.shape[0]
    changes = np.full((k, max(values.shape[1] - 1, 1)), np.nan)
    prev_v = np.full(k, np.nan)
    prev_t = np.full(k, np.nan)
    col = 0
    for j, t in enumerate(panel.years.astype(float)):
        v = values[:, j]
        obs = ~np.isnan(v)
        step = np.where(obs & ~np.isnan(prev_v), (v - prev_v) / (t - prev_t), np.nan)
        if j > 0:
            changes[:, col] = step
            col += 1
        prev_v = np.where(obs, v, prev_v)
        prev_t = np.where(obs, t, prev_t)
    n = (~np.isnan(values)).sum(axis=1)
    with np.errstate(invalid="ignore", all="ignore"):
        if not np.isfinite(changes).any():
            return np.zeros(k, dtype=bool)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            med = np.nanmedian(changes, axis=1)
            mad = np.nanmedian(np.abs(changes - med[:, None]), axis=1) * 1.4826
            level = np.nanmedian(np.abs(values), axis=1)
        dev = np.abs(changes - med[:, None])
        floor = np.maximum(mad, 1e-9 * np.maximum(level, 1.0))
        big = (dev > config.SERIES_BREAK_Z * floor[:, None]) & (dev > config.SERIES_BREAK_MIN_REL * level[:, None])
    return (n >= config.SERIES_BREAK_MIN_POINTS) & np.nan_to_num(big, nan=0).astype(bool).any(axis=1)


def attainment_rate(results: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """达标率 as national monitoring reports state it: targets achieved ÷ targets monitorable."""
    frame = results.assign(
        monitorable=results["status"] != "insufficient_data",
        achieved=results["status"] == "achieved",
    )
    keys = [by] if isinstance(by, str) else (by or [])
    grouped = frame.groupby(keys) if keys else frame.assign(_all="all").groupby("_all")
    table = grouped.agg(targets=("target_id", "size"), monitorable=("monitorable", "sum"),
                        achieved=("achieved", "sum"))
    table["attainment_rate"] = table["achieved"] / table["monitorable"].where(table["monitorable"] > 0)
    return table.reset_index()
