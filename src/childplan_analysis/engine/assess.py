"""Attainment assessment: for every target and region, is it met, on track, how likely, why warn.

``assess(observations, plan)`` applies the plan's targets to every region present in the
observations (read and packed by :mod:`.rows`; a panel packed beforehand by :func:`pack_totals`
is read as the observations it came from). Every (region, indicator) series is fitted once, in one vectorised pass with the
model chosen per series (:mod:`.fits`); what depends on the series alone (breaks,
volatility, projections) is worked out once per indicator, whatever the number of its
targets, and each target reads its regions' rows. What "met" means is the comparator handler's (:mod:`.comparators`). The status
comes from a precedence table (:mod:`.status`), warnings and levels from rule tables
(:mod:`.warnings`), applied once to the rows of every target (:mod:`.verdicts`); the result
frame is assembled once (:mod:`.frame`).
``method=`` selects the status by one of the reference methods of :mod:`.methods` instead of
the probabilistic default; :func:`compare_methods` shows them side by side. Statuses, warnings
and every threshold are documented in ``docs/methodology.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.codes import Status
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import NEEDS_BASELINE, RATE_COMPARATORS, Comparator, Target
from childplan_analysis.engine.attainment import attainment_rate, format_attainment
from childplan_analysis.engine.comparators import (
    TargetRows,
    family_of,
    judge,
    meets,
    rate_scale,
    value_in,
)
from childplan_analysis.engine.fits import SeriesFits
from childplan_analysis.engine.frame import Labels, assemble, string_array
from childplan_analysis.engine.methods import (
    METHODS,
    PROBABILISTIC,
    REFERENCE_METHODS,
    TargetSeries,
)
from childplan_analysis.engine.rows import from_observations, from_panel, pack_totals
from childplan_analysis.engine.rowstats import Observed
from childplan_analysis.engine.status import STATUS_LABELS, STATUSES
from childplan_analysis.engine.tails import slope_sign_at_least
from childplan_analysis.engine.verdicts import RowFacts, verdicts
from childplan_analysis.engine.warnings import LEVEL_LABELS, WARNINGS, series_breaks, volatile
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import SeriesPanel, TrendFit, model_names, observed_span

__all__ = [
    "LEVEL_LABELS", "METHOD_LABELS", "RESULT_COLUMNS", "STATUSES", "STATUS_LABELS", "WARNINGS",
    "assess", "attainment_rate", "compare_methods", "format_attainment", "pack_totals", "series_breaks",
]

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
    "method_category", "shrinkage", "last_censor",
]
#: Kept importable here; the values live in :mod:`.config`.
REGRESSING_PROB = config.REGRESSING_PROB
VOLATILE_MIN_REL = config.VOLATILE_MIN_REL


def assess(
    observations: pd.DataFrame | str | Path | SeriesPanel,
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
    rolling-origin backtest) or a registered family (:func:`~childplan_analysis.models.model_names`). ``regions``
    limits the regions reported (default: every region in the observations); the partial
    pooling of short series still draws on every region in the observations, so a region's
    rows are the same whichever regions are asked for. ``method`` sets
    the ``status`` column: ``probabilistic`` (default) or a reference method of
    :data:`~childplan_analysis.engine.methods.METHODS`; warnings and levels are always the
    probabilistic ones. Series are fitted on the last ``config.FIT_WINDOW`` years up to ``as_of``.

    ``observations`` may also be the region totals packed beforehand by :func:`pack_totals`
    (a :class:`~childplan_analysis.models.SeriesPanel`), to assess the same data under several
    models or plans without packing it each time; the results are those of the observations.

    Returns one row per (target, region) with the columns :data:`RESULT_COLUMNS`.
    """
    frame = _run(observations, plan, as_of, level=level, model=model, regions=regions,
                 indicators=indicators, methods=[method], result_only=True)
    frame = _apply_method(frame, method)
    return frame[RESULT_COLUMNS].reset_index(drop=True)


def compare_methods(
    observations: pd.DataFrame | str | Path | SeriesPanel,
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
    """``frame`` (the engine's own, changed in place) with the status of ``method`` (a frame of
    :func:`_run` with ``result_only`` has the probabilistic status and category already)."""
    frame["method"] = string_array([method], np.zeros(len(frame), dtype=np.int64))  # one text, not one per row
    if method == PROBABILISTIC and "method_category" in frame.columns:
        return frame  # its categories are the statuses: none is "not_applicable"
    frame["status"] = frame[f"status_{method}"]
    frame["method_category"] = frame[f"category_{method}"]
    not_assessed = (frame["method_category"] == "not_applicable").to_numpy(dtype=bool)
    if not_assessed.any():
        frame.loc[not_assessed, "reason"] = f"the {method} method does not assess this kind of target"
    return frame


def _run(
    observations: pd.DataFrame | str | Path | SeriesPanel,
    plan: Plan | str | Path,
    as_of: int | None = None,
    *,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    model: str = "auto",
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
    methods: list[str] | None = None,
    result_only: bool = False,
) -> pd.DataFrame:
    """The engine's frame: the result columns and, per method, its status, category and value
    (``result_only`` with the probabilistic method alone: its status as ``status`` and
    ``method_category``, no columns per method)."""
    methods = methods or [PROBABILISTIC]
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"unknown method {m!r}; choose one of {', '.join(METHODS)}")
    if model != "auto" and model not in model_names():
        raise ValueError(f"unknown model {model!r}; choose 'auto' or one of {', '.join(model_names())}")
    if not 0 < level < 1:
        raise ValueError(f"interval level must be between 0 and 1, got {level}")
    indicators = indicators or load_indicators()
    plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
    packed = from_panel(observations, plan, as_of, regions) if isinstance(observations, SeriesPanel) else (
        from_observations(observations if isinstance(observations, pd.DataFrame) else load_observations(observations),
                          plan, as_of, regions))
    as_of, regions = packed.as_of, packed.regions
    engine = SeriesFits(packed.panel, regions, indicators, model, observed=packed.observed, censor=packed.censor,
                        pool=packed.pool, keys=packed.keys)
    texts = Labels()
    last = {t.indicator: i for i, t in enumerate(plan.targets)}  # after it, the indicator is released
    assessed = []
    for i, target in enumerate(plan.targets):
        assessed.append(_assess_target(target, plan, engine, as_of, level, methods, texts))
        if last[target.indicator] == i:
            engine.release(target.indicator)
    if not assessed:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    parts, facts, text_codes = zip(*assessed, strict=True)
    judged = verdicts(list(facts), texts)
    stacked = {name: texts.categorical(np.concatenate([c[name] for c in text_codes])) for name in text_codes[0]}
    if not regions:  # no rows: model names are text, as they are when there are rows
        stacked.update({name: np.array([], dtype=str) for name in ("model", "model_choice")})
    if result_only and methods == [PROBABILISTIC]:
        stacked.update({"status": judged["status"], "method_category": judged["status"]})
        for part in parts:
            del part["value_probabilistic"]
    else:
        stacked.update({"status": judged["status"], "status_probabilistic": judged["status"],
                        "category_probabilistic": judged["status"]})
    stacked.update({"reason": judged["reason"], "warnings": judged["warnings"],
                    "warning_level": judged["warning_level"]})
    return assemble(list(parts), regions, stacked)


def _value_unit(target: Target, ind) -> str:
    """Unit of the values in a result row (last value, projection, bounds): the indicator's own
    where the target is a relative change or a rate (its % is not the values' unit)."""
    if target.comparator in NEEDS_BASELINE or target.comparator in RATE_COMPARATORS:
        return ind.unit
    return target.unit or ind.unit


def _assess_target(
    target: Target,
    plan: Plan,
    engine: SeriesFits,
    as_of: int,
    level: float,
    methods: list[str],
    texts: Labels,
) -> tuple[dict[str, np.ndarray], RowFacts, dict[str, np.ndarray]]:
    """Columns of the result rows of one target, one row per region; what their verdicts rest on
    (status, warnings and reasons are given to all targets' rows at once by :func:`verdicts`);
    and its text columns as codes of ``texts``."""
    ind = engine.indicators.by_id[target.indicator]
    sub = engine.series(target.indicator)
    k = len(engine.regions)
    c = target.comparator
    rate = c in RATE_COMPARATORS  # then a fit of its own scale, else the main fit of every series
    if rate:
        fit, choice, shrinkage = engine.rate_fit(target.indicator, rate_scale(c))
    else:
        fit, choice = engine.fit(target.indicator)
        shrinkage = engine.shrinkage(target.indicator, choice)
    T = target.year
    observed, marks = engine.observed_series(target.indicator)
    n_all, first_all, last_all, _ = observed_span(observed) if observed is not None else (
        fit.n, fit.first_year, fit.last_year, None)
    out = _identity_columns(target, plan, ind, engine.regions, fit)
    n = fit.n  # exact values, the ones the trend is fitted on
    reason = np.zeros(k, dtype=np.int64)
    reason[n_all == 0] = texts.code("no data for this indicator")
    age = as_of - last_all
    too_old = (n_all > 0) & (age > config.MAX_DATA_AGE)
    if too_old.any():
        years, index = np.unique(last_all[too_old], return_inverse=True)
        reason[too_old] = np.asarray([texts.code(
            f"latest value is from {int(y)}, more than {config.MAX_DATA_AGE} years before {as_of}")
            for y in years])[index.reshape(-1)]
    usable = (n_all > 0) & ~too_old
    pooled = choice == "pooled"
    short = usable & (n < config.MIN_POINTS)
    can_project = usable & ((n >= config.MIN_POINTS) | pooled)
    if short.any():
        count = n[short].astype(int).astype(str)
        reason[short] = texts.codes(np.where(
            pooled[short],
            np.char.add(np.char.add("only ", count),
                        " year(s) of data: judged on the latest value; trend borrowed from other series of the indicator or of like indicators"),
            np.char.add(np.char.add("only ", count),
                        f" year(s) of data: judged on the latest value; {config.MIN_POINTS} needed for a projection")))
        bounds_only = short & (n == 0)
        reason[bounds_only] = texts.code(
            "every value is a bound (censor): judged on the latest one; no trend can be fitted")

    has_values = engine.has_values(target.indicator)
    rows = TargetRows(target=target, plan=plan, polarity=ind.polarity, sub=sub, fit=fit, as_of=as_of,
                      usable=usable, can_project=can_project, observed=observed, censor=marks,
                      predicted=None if rate else engine.predicted(target.indicator, T), has_values=has_values)
    j = judge(rows)
    if j.missing_base is not None and j.missing_base.any():
        reason[j.missing_base] = texts.code(
            f"no value for the baseline year {target.baseline_year or plan.period[0] - 1}")
    out["first_year"] = first_all
    out["last_year"] = rows.latest_year
    out["last_value"] = rows.latest_value
    coded = {"last_censor": texts.codes(rows.latest_censor) if rows.latest_censor is not None else np.zeros(k, int)}
    usable, can_project = rows.usable, rows.can_project
    desired, p_meet, met_now = j.desired, j.p_meet, j.met_now
    out["baseline_value"] = j.baseline

    def of_fit(name: str, *args) -> np.ndarray:
        """``fit.<name>(*args)``; of the main fit, worked out once for all its series."""
        return getattr(fit, name)(*args) if rate else engine.of_fit(target.indicator, name, *args)

    with np.errstate(invalid="ignore", over="ignore"):
        if can_project.any():
            out["projected"] = np.where(can_project, of_fit("fitted", T), np.nan)
            out["lower"] = np.where(can_project, of_fit("quantile", T, (1 - level) / 2), np.nan)
            out["upper"] = np.where(can_project, of_fit("quantile", T, (1 + level) / 2), np.nan)
        else:
            out["projected"] = out["lower"] = out["upper"] = np.asarray(np.nan)
        observed_rate = np.where(can_project, of_fit("annual_change"), np.nan)
        if rate and c.value.endswith("_pct"):
            observed_rate = np.where(can_project, (np.exp(fit.trend_slope) - 1) * 100, np.nan)
    coded["model"] = np.where(can_project & (fit.n > 0), texts.codes(fit.model), 0)
    coded["model_choice"] = np.where(can_project, texts.codes(choice), 0)
    out["observed_rate"] = observed_rate
    # the projected value itself inside a level target in its year (a band's p_meet < 0.5 may come of noise alone)
    projected_meets = (can_project & meets(target, np.broadcast_to(out["projected"], (k,)), j.lo, j.hi)
                       if family_of(c) == "level" else np.zeros(k, dtype=bool))
    out["required_rate"] = np.where(usable, j.required, np.nan)
    out["p_meet"] = p_meet
    out["value_probabilistic"] = p_meet

    with np.errstate(invalid="ignore"):
        # a direction needs two values of the series' own, whatever it borrows; a value inside an
        # interval target (左右, 范围) has no wrong direction to move in
        inside = met_now if target.desired_direction == 0 else False
        wrong_way = can_project & (desired != 0) & (n >= 2) & ~inside
    # P(trend in the wrong direction) ≥ REGRESSING_PROB, by the t quantile (elsewhere it counts as 0)
    quantile = None if rate else engine.slope_quantile(target.indicator, config.REGRESSING_PROB)
    moving_away = slope_sign_at_least(fit, -desired, config.REGRESSING_PROB, wrong_way, quantile) | (
        ~wrong_way & (0.0 >= config.REGRESSING_PROB))

    reference = [m for m in methods if m != PROBABILISTIC]
    if family_of(c) != "level" and not reference:  # no anticipated gap, no reference method: no series for them
        out["anticipated_gap"] = np.asarray(np.nan)
    else:
        base_year, base_value = _growth_base(target, plan, sub, has_values)
        ts = TargetSeries(
            comparator=c, target_value=float(target.value) if target.value is not None else np.nan,
            target_year=T, years=sub.years, values=sub.values, lo=j.lo, hi=j.hi, desired=desired,
            base_year=base_year, base_value=base_value, last_year=fit.last_year, last_value=fit.last_value,
            met_now=met_now, unit=ind.unit,
        )
        out["anticipated_gap"] = _anticipated_gap(ts, c, engine, target.indicator)
    for m in reference:
        with np.errstate(all="ignore"):  # zero or missing values give NaN figures, not warnings
            res = REFERENCE_METHODS[m](ts)
        # every method needs current data and, for relative targets, the baseline value
        unusable = too_old | ((n > 0) & ~usable)
        out[f"status_{m}"] = np.where(unusable, Status.INSUFFICIENT_DATA.value, res.status)
        out[f"category_{m}"] = np.where(unusable, Status.INSUFFICIENT_DATA.value, res.category)
        out[f"value_{m}"] = res.value

    out["shrinkage"] = shrinkage
    facts = RowFacts(usable=usable, short=short, can_project=can_project, met_now=met_now, decided=j.decided,
                     point_missed=j.point_missed, projected_meets=projected_meets, moving_away=moving_away,
                     p_meet=p_meet, n=n, age=age,
                     volatile=can_project & (n >= 4) & (volatile(sub, fit, observed=has_values) if rate else engine.volatile(target.indicator)),
                     breaks=engine.breaks(target.indicator),
                     reason=reason)
    return out, facts, coded


def _identity_columns(target: Target, plan: Plan, ind, regions: list[str], fit: TrendFit) -> dict:
    """What identifies the rows of one target: shared values as 0-d arrays, then per-region arrays."""
    def shared(value, dtype=None) -> np.ndarray:
        return np.asarray(value, dtype=dtype)

    return {
        "plan_id": shared(plan.id, object),
        "target_id": shared(target.id, object),
        "indicator": shared(target.indicator, object),
        "domain": shared(target.domain or ind.domain, object),
        "attribute": shared(target.attribute or "", object),
        "responsible": shared("、".join(target.responsible), object),
        "target_year": shared(target.year),
        "comparator": shared(target.comparator.value, object),
        "target_value": shared(target.value if target.value is not None else np.nan, float),
        "target_value_high": shared(target.value_high if target.value_high is not None else np.nan, float),
        "baseline_year": shared(target.baseline_year if target.baseline_year else np.nan, float),
        "baseline_value": np.full(len(regions), np.nan),
        "unit": shared(_value_unit(target, ind), object),
        "n_points": fit.n.astype(int),
        "first_year": fit.first_year,
        "last_year": fit.last_year,
        "last_value": fit.last_value,
    }


def _growth_base(target: Target, plan: Plan, panel: SeriesPanel, has_values: Observed
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Base of growth-rate methods: the plan's baseline year when observed, else the first value
    (``has_values``: where ``panel`` has values)."""
    year = target.baseline_year or plan.period[0] - 1
    observed = value_in(panel, year)
    first_idx, has = has_values.first
    rows = np.arange(panel.n_series)
    first_value = np.where(has, panel.values[rows, first_idx], np.nan)
    first_year = np.where(has, panel.years[first_idx], np.nan).astype(float)
    use_plan = ~np.isnan(observed)
    return np.where(use_plan, float(year), first_year), np.where(use_plan, observed, first_value)


def _anticipated_gap(ts: TargetSeries, c: Comparator, engine: SeriesFits, indicator: str) -> np.ndarray:
    """ESCAP-style anticipated gap for level targets (0 when the projection meets the target)."""
    if family_of(c) != "level":
        return np.asarray(np.nan)
    projection, _ = engine.escap_projection(indicator, ts.target_year)
    target = ts.level_target
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = (target - projection) / (target - ts.base_value)
        meets = (projection >= np.nan_to_num(ts.lo, nan=-np.inf)) & (projection <= np.nan_to_num(ts.hi, nan=np.inf))
    return np.where(meets, 0.0, gap)
