"""Attainment assessment: for every target and region, is it met, on track, how likely, why warn.

``assess(observations, plan)`` applies the plan's targets to every region present in the
observations, fitting all series in one vectorised pass (see :mod:`.models`). Statuses,
warnings and every threshold are documented in ``docs/methodology.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .indicators import IndicatorDictionary, load_indicators
from .loaders import load_observations
from .models import SeriesPanel, TrendFit, default_family, fit_trend, pack_series
from .plans import Plan, load_plan
from .targets import DIRECTION_COMPARATORS, RATE_COMPARATORS, Comparator, Target

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
}
LEVEL_LABELS = {
    "red": {"zh": "红", "en": "Red"},
    "yellow": {"zh": "黄", "en": "Yellow"},
    "green": {"zh": "绿", "en": "Green"},
}
RESULT_COLUMNS = [
    "plan_id", "target_id", "region", "indicator", "domain", "attribute", "responsible",
    "target_year", "comparator", "target_value", "target_value_high", "baseline_year",
    "baseline_value", "unit", "n_points", "first_year", "last_year", "last_value", "model",
    "projected", "lower", "upper", "p_meet", "observed_rate", "required_rate", "status",
    "warning_level", "warnings", "reason",
]
#: A slope in the wrong direction with at least this probability counts as regressing.
REGRESSING_PROB = 0.9
#: Residual scatter (original scale) relative to the mean level above which a series may be volatile.
VOLATILE_MIN_REL = 0.02


def assess(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    as_of: int | None = None,
    *,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    model: str = "auto",
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Assess every target of ``plan`` for every region in ``observations``.

    Only region totals (sex, area and age group ``total``, no subregion) are assessed here;
    breakdowns are for disparity analysis. ``as_of`` hides every observation after that year
    (default: the latest year in the data). ``model`` is ``auto`` (family by indicator type)
    or one of :data:`~childplan_analysis.models.FAMILIES`. ``regions`` limits the regions
    assessed (default: every region in the observations). Series are fitted on the last
    ``config.FIT_WINDOW`` years up to ``as_of``.

    Returns one row per (target, region) with the columns :data:`RESULT_COLUMNS`.
    """
    indicators = indicators or load_indicators()
    plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    totals = obs[
        (obs["sex"] == "total") & (obs["area"] == "total") & (obs["age_group"] == "total")
        & (obs["subregion"] == "")
    ]
    if as_of is None:
        as_of = int(totals["year"].max()) if len(totals) else max(plan.period)
    if regions is None:
        regions = sorted(obs["region"].unique()) if len(obs) else [plan.region]
    visible = totals[
        (totals["year"] <= as_of)
        & (totals["year"] > as_of - config.FIT_WINDOW)
        & totals["indicator"].isin(plan.indicators)
        & totals["region"].isin(regions)
    ]
    panel = pack_series(visible[["region", "indicator", "year", "value"]], ["region", "indicator"])
    rows = [
        _assess_target(t, plan, panel, regions, as_of, level, model, indicators) for t in plan.targets
    ]
    result = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=RESULT_COLUMNS)
    return result[RESULT_COLUMNS].sort_values(["region", "target_id"], kind="stable").reset_index(drop=True)


def _assess_target(
    target: Target,
    plan: Plan,
    panel: SeriesPanel,
    regions: list[str],
    as_of: int,
    level: float,
    model: str,
    indicators: IndicatorDictionary,
) -> pd.DataFrame:
    ind = indicators.by_id[target.indicator]
    sub = _series_for(panel, target.indicator, regions)
    k = len(regions)
    c = target.comparator
    if c in RATE_COMPARATORS:
        family = "linear" if c.value.endswith("_pts") else "loglinear"
    elif model != "auto":
        family = model
    else:
        family = default_family(ind.unit, ind.polarity, ind.bounds)
    upper = ind.bounds[1] if ind.bounds[1] is not None else np.nan
    fit = fit_trend(sub, family, upper)
    T = target.year
    out = pd.DataFrame(
        {
            "plan_id": plan.id,
            "target_id": target.id,
            "region": regions,
            "indicator": target.indicator,
            "domain": target.domain or ind.domain,
            "attribute": target.attribute or "",
            "responsible": "、".join(target.responsible),
            "target_year": T,
            "comparator": c.value,
            "target_value": target.value if target.value is not None else np.nan,
            "target_value_high": target.value_high if target.value_high is not None else np.nan,
            "baseline_year": target.baseline_year if target.baseline_year else np.nan,
            "baseline_value": np.nan,
            "unit": target.unit or ind.unit,
            "n_points": fit.n.astype(int),
            "first_year": fit.first_year,
            "last_year": fit.last_year,
            "last_value": fit.last_value,
            "model": family,
        }
    )
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
    p_meet = np.full(k, np.nan)
    met_now = np.zeros(k, dtype=bool)
    decided = np.zeros(k, dtype=bool)  # verdict fixed by observed data (target year passed)

    if c in DIRECTION_COMPARATORS and c != Comparator.MAINTAIN:
        p_meet = np.where(can_project, fit.prob_slope_sign(desired), np.nan)
        required = np.zeros(k)
    elif c in RATE_COMPARATORS:
        p_meet, required = _rate_p_meet(target, fit)
        p_meet = np.where(can_project, p_meet, np.nan)
    else:
        base = _baseline(target, plan, sub, fit, can_project)
        out["baseline_value"] = base
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
        p_meet = np.where(can_project, fit.prob_between(T, np.where(np.isnan(lo), -np.inf, lo),
                                                         np.where(np.isnan(hi), np.inf, hi)), np.nan)
        p_meet = np.where(passed, met_T.astype(float), p_meet)
        bound = np.where(desired < 0, hi, lo)
        years_left = np.maximum(T - fit.last_year, 1)
        required = np.where(met_now, 0.0, (bound - fit.last_value) / years_left)

    if can_project.any():
        lower_q, upper_q = (1 - level) / 2, (1 + level) / 2
        out["projected"] = np.where(can_project, fit.fitted(T), np.nan)
        out["lower"] = np.where(can_project, fit.quantile(T, lower_q), np.nan)
        out["upper"] = np.where(can_project, fit.quantile(T, upper_q), np.nan)
    else:
        out["projected"] = out["lower"] = out["upper"] = np.nan
    observed_rate = np.where(can_project, fit.annual_change(), np.nan)
    if c in RATE_COMPARATORS and c.value.endswith("_pct"):
        observed_rate = np.where(can_project, (np.exp(fit.slope) - 1) * 100, np.nan)
    out["observed_rate"] = observed_rate
    out["required_rate"] = np.where(usable, required, np.nan)
    out["p_meet"] = p_meet

    p_wrong = np.where(can_project & (desired != 0), fit.prob_slope_sign(-desired), 0.0)
    moving_away = p_wrong >= REGRESSING_PROB
    status = np.where(p_meet >= 0.5, "on_track", "acceleration_needed").astype(object)
    status = np.where(moving_away, "regressing", status)
    status = np.where(met_now, "achieved", status)
    status = np.where(decided & ~met_now, np.where(moving_away, "regressing", "acceleration_needed"), status)
    status = np.where(usable & ~can_project & ~met_now & ~decided, "insufficient_data", status)
    status = np.where(~usable, "insufficient_data", status)
    reason = np.where((status == "insufficient_data") | (reason == ""), reason, "")
    out["status"] = status
    out["reason"] = reason

    volatile = can_project & (n >= 4) & _volatile(sub, fit)
    stale = usable & (age >= config.STALE_AFTER)
    off_track = np.isin(status, ["acceleration_needed", "regressing"]) & (np.nan_to_num(p_meet, nan=0) < config.OFF_TRACK_P_MEET) & usable
    warn_codes = [
        ("off_track", off_track),
        ("volatile", volatile),
        ("regressing", moving_away & usable),
        ("stale_data", stale),
    ]
    out["warnings"] = [";".join(code for code, mask in warn_codes if mask[i]) for i in range(k)]
    red = (status == "regressing") | ((status != "achieved") & usable & (np.nan_to_num(p_meet, nan=1) < config.RED_P_MEET))
    yellow = (out["warnings"] != "").to_numpy() | (status == "acceleration_needed") | (status == "insufficient_data")
    out["warning_level"] = np.where(red, "red", np.where(yellow, "yellow", "green"))
    return out


def _series_for(panel: SeriesPanel, indicator: str, regions: list[str]) -> SeriesPanel:
    """Sub-panel with one row per region (all-NaN where the region lacks the indicator)."""
    values = np.full((len(regions), len(panel.years)), np.nan)
    if panel.n_series:
        keys = panel.keys
        pos = {r: i for i, r in enumerate(regions)}
        sel = np.flatnonzero(keys["indicator"].to_numpy() == indicator)
        for i in sel:
            values[pos[keys["region"].iloc[i]]] = panel.values[i]
    years = panel.years if len(panel.years) else np.array([0])
    if not len(panel.years):
        values = np.full((len(regions), 1), np.nan)
    return SeriesPanel(pd.DataFrame({"region": regions}), years, values)


def _value_in(panel: SeriesPanel, year: int) -> np.ndarray:
    hit = np.flatnonzero(panel.years == year)
    return panel.values[:, hit[0]] if len(hit) else np.full(panel.n_series, np.nan)


def _baseline(target: Target, plan: Plan, panel: SeriesPanel, fit: TrendFit, can_project: np.ndarray) -> np.ndarray:
    """Baseline-year value: observed, else the fitted trend when the year lies inside the data."""
    if target.comparator not in (
        Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT, Comparator.MAINTAIN
    ):
        return np.full(panel.n_series, np.nan)
    year = target.baseline_year or plan.period[0] - 1
    observed = _value_in(panel, year)
    inside = can_project & (fit.first_year <= year) & (fit.last_year >= year)
    return np.where(np.isnan(observed), np.where(inside, fit.fitted(year), np.nan), observed)


def _bounds(target: Target, base: np.ndarray, polarity: str) -> tuple[np.ndarray, np.ndarray]:
    """Interval the target-year value must fall in, per series (NaN when undeterminable)."""
    k = len(base)
    c = target.comparator
    if c == Comparator.MAINTAIN:
        if polarity == "lower":
            return np.full(k, -np.inf), base.copy()
        return base.copy(), np.full(k, np.inf)
    if c in (Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT):
        pairs = [target.level_bounds(b) if not np.isnan(b) else (np.nan, np.nan) for b in base]
        return np.array([p[0] for p in pairs], dtype=float), np.array([p[1] for p in pairs], dtype=float)
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
    """P(observed annual rate reaches the required rate) from the slope's t distribution."""
    from scipy import stats

    v = float(target.value)
    se = np.maximum(fit.slope_se(), 1e-12)
    if target.comparator == Comparator.ANNUAL_DECREASE_PTS:
        p, req = stats.t.cdf((-v - fit.slope) / se, fit.df), -v
    elif target.comparator == Comparator.ANNUAL_INCREASE_PTS:
        p, req = stats.t.sf((v - fit.slope) / se, fit.df), v
    elif target.comparator == Comparator.ANNUAL_DECREASE_PCT:
        p, req = stats.t.cdf((np.log1p(-v / 100) - fit.slope) / se, fit.df), -v
    else:
        p, req = stats.t.sf((np.log1p(v / 100) - fit.slope) / se, fit.df), v
    return np.asarray(p, dtype=float), np.full(len(fit.n), req, dtype=float)


def _volatile(panel: SeriesPanel, fit: TrendFit) -> np.ndarray:
    """Year-to-year scatter around the trend larger than a year of trend and than 2 % of the level."""
    fitted = fit.fitted(np.broadcast_to(panel.years, panel.values.shape))
    resid = panel.values - fitted
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = np.maximum(fit.n - 2, 1)
        sd = np.sqrt(np.nansum(resid**2, axis=1) / dof)
        count = np.maximum((~np.isnan(panel.values)).sum(axis=1), 1)
        level = np.nansum(np.abs(panel.values), axis=1) / count
        trend = np.abs(fit.annual_change())
        return (sd / np.maximum(level, 1e-12) > VOLATILE_MIN_REL) & (sd > config.VOLATILE_RATIO * trend)


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
