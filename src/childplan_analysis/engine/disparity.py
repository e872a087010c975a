"""Gaps between groups and sub-regions, their trends, and laggards hidden behind a good average.

Every seed plan asks that urban–rural, regional and group gaps narrow (城乡、区域差距逐步缩小).
From the breakdowns in the observations (``sex``, ``area``, ``age_group``, ``subregion``) this
module derives, per region, indicator and year:

==============  ================================================  =======================
measure         definition                                        groups
==============  ================================================  =======================
``gap``         b − a (signed, in the indicator's unit)           two-level pairs: female − male,
                                                                  rural − urban
``ratio``       b / a                                             the same pairs
``range``       max − min                                         ≥ 2 groups (age groups, sub-regions)
``max_min``     max / min                                         ≥ 2 groups
``cv``          standard deviation / mean (coefficient of var.)   ≥ 3 groups
``weighted_cv`` population-weighted CV (Williamson index)         ≥ 3 sub-regions with populations
==============  ================================================  =======================

Each measure series is fitted with the same vectorised engine as the targets
(:func:`childplan_analysis.models.fit_trend`: linear for differences, log-linear for ratios and
CVs) and judged ``narrowing`` / ``stable`` / ``widening``: the trend must move away from (or
towards) equality with probability ≥ :data:`GAP_TREND_PROB` and by at least
:data:`GAP_MIN_REL_CHANGE` of the current distance from equality a year. ``widening`` raises the
``widening_gap`` warning (差距扩大). See ``docs/methodology.md``.

:func:`hidden_laggards` lists sub-regions that miss their own plan's target while the region as a
whole meets it; :func:`subregions_ahead` the reverse, sub-regions that meet a target the region as
a whole does not; :func:`subregion_coverage` the sub-regions with no data for some of the plan's
indicators (a county that sent nothing is named, not silently left out of the gaps).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import LEVEL_COMPARATORS, Target
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import fit_trend, pack_series, transform

DIMENSIONS = ("sex", "area", "age_group", "subregion")
#: Two-level breakdowns with a fixed orientation: gap = second − first.
PAIRS: dict[str, tuple[str, str]] = {"sex": ("male", "female"), "area": ("urban", "rural")}
MEASURES = ("gap", "ratio", "range", "max_min", "cv", "weighted_cv")
#: Value of each measure at equality, and the trend family it is fitted with.
EQUALITY = {"gap": 0.0, "ratio": 1.0, "range": 0.0, "max_min": 1.0, "cv": 0.0, "weighted_cv": 0.0}
FAMILY = {"gap": "linear", "ratio": "loglinear", "range": "linear", "max_min": "loglinear",
          "cv": "loglinear", "weighted_cv": "loglinear"}
#: A gap trend counts as narrowing/widening only with at least this probability …
GAP_TREND_PROB = 0.9
#: … and when it changes by at least this share of the distance from equality a year.
GAP_MIN_REL_CHANGE = 0.01
VERDICTS = ("narrowing", "stable", "widening", "insufficient_data")
WARNINGS = {"widening_gap": {"zh": "差距扩大", "en": "Gap widening"}}

DIMENSION_LABELS = {
    "sex": {"zh": "性别", "en": "Sex"},
    "area": {"zh": "城乡", "en": "Urban–rural"},
    "age_group": {"zh": "年龄组", "en": "Age group"},
    "subregion": {"zh": "下辖地区", "en": "Sub-region"},
}
MEASURE_LABELS = {
    "gap": {"zh": "绝对差距", "en": "Absolute gap"},
    "ratio": {"zh": "相对差距（比值）", "en": "Ratio"},
    "range": {"zh": "极差", "en": "Range (max − min)"},
    "max_min": {"zh": "最高/最低比", "en": "Max/min ratio"},
    "cv": {"zh": "变异系数", "en": "Coefficient of variation"},
    "weighted_cv": {"zh": "人口加权变异系数", "en": "Population-weighted CV"},
}
VERDICT_LABELS = {
    "narrowing": {"zh": "差距缩小", "en": "Narrowing"},
    "stable": {"zh": "基本稳定", "en": "Stable"},
    "widening": {"zh": "差距扩大", "en": "Widening"},
    "insufficient_data": {"zh": "数据不足", "en": "Insufficient data"},
}
GROUP_LABELS = {
    "male": {"zh": "男", "en": "male"},
    "female": {"zh": "女", "en": "female"},
    "urban": {"zh": "城镇", "en": "urban"},
    "rural": {"zh": "农村", "en": "rural"},
}
SERIES_KEYS = ["region", "indicator", "dimension", "measure"]
GAP_SERIES_COLUMNS = [*SERIES_KEYS, "groups", "n_groups", "year", "value", "worse_group", "missing"]
GAP_TREND_COLUMNS = [
    *SERIES_KEYS, "groups", "n_groups", "unit", "n_points", "first_year", "last_year", "first_value",
    "last_value", "worse_group", "annual_change", "target_year", "projected", "lower", "upper",
    "p_narrowing", "p_widening", "verdict", "warnings", "warning_level", "reason", "missing",
]
AHEAD_COLUMNS = [
    "plan_id", "target_id", "region", "indicator", "target", "region_value", "region_year", "region_status",
    "subregion", "subregion_value", "subregion_year",
]
COVERAGE_COLUMNS = ["region", "subregion", "indicators", "with_data", "without_data"]
LAGGARD_COLUMNS = [
    "plan_id", "target_id", "region", "indicator", "target", "region_value", "region_year",
    "subregion", "subregion_value", "subregion_year", "subregion_target", "subregion_plan_id",
    "shortfall", "status", "p_meet", "responsible", "subregion_target_id",
]


# ------------------------------------------------------------------ gap series


def gap_series(
    observations: pd.DataFrame,
    dimensions: Iterable[str] = DIMENSIONS,
    *,
    populations: pd.DataFrame | None = None,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Gap measures per region, indicator, breakdown dimension and year (long frame).

    Breakdowns are taken one dimension at a time with the other dimensions at their totals
    (e.g. the urban–rural gap of the region, not of a sub-region). ``populations`` (columns
    ``region``, ``subregion``, ``population`` and optionally ``year``) adds the
    population-weighted CV across sub-regions. ``worse_group`` names the group furthest on the
    wrong side (by the indicator's polarity; empty when neutral). ``missing`` names the groups
    without a value in some of the series' years, as ``group:year,year`` joined by ``|``
    (``group:`` alone: no value in any year), so a gap measured on the years both sexes were
    reported, or across the counties that reported, says which were left out; a sub-region with
    values for other indicators of the region counts as expected for every indicator.

    Returns the columns :data:`GAP_SERIES_COLUMNS`.
    """
    indicators = indicators or load_indicators()
    frames = []
    for dim in dimensions:
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown breakdown dimension {dim!r}; use one of {', '.join(DIMENSIONS)}")
        rows = _breakdown_rows(observations, dim)
        if rows.empty:
            continue
        wide = rows.pivot_table(index=["region", "indicator", "year"], columns="group", values="value",
                                aggfunc="first")
        polarity = wide.index.get_level_values("indicator").map(
            lambda i: indicators.by_id[i].polarity if i in indicators.by_id else "neutral"
        )
        pair = PAIRS.get(dim)
        known = rows[["region", "group"]].drop_duplicates()
        if pair and set(pair) <= set(wide.columns):
            pairs = pd.DataFrame([(r, g) for r in known["region"].unique() for g in pair], columns=["region", "group"])
            frames.append(_with_missing(_pair_measures(wide, pair, polarity, dim), wide, pairs))
            rest = [c for c in wide.columns if c not in pair]
            if len(rest) < 2:
                continue
            wide = wide[rest]
            known = known[~known["group"].isin(pair)]
        frames.append(_with_missing(_spread_measures(wide, polarity, dim, populations, rows), wide, known))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in GAP_SERIES_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out = out[np.isfinite(out["value"].to_numpy(dtype=float))]
    return out[GAP_SERIES_COLUMNS].sort_values([*SERIES_KEYS, "year"], kind="stable").reset_index(drop=True)


def _with_missing(measures: pd.DataFrame, wide: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """``measures`` with the ``missing`` column: per (region, indicator), the groups of ``known``
    (region, group) without a value in some year of ``wide`` that has any."""
    if measures.empty:
        return measures
    groups = sorted(set(known["group"]))
    present = wide.reindex(columns=groups).notna()
    present = present[present.any(axis=1)]
    absent = (~present).stack()
    absent = absent[absent].index.to_frame(index=False)
    absent.columns = ["region", "indicator", "year", "group"]
    absent = absent.merge(known, on=["region", "group"])
    n_years = present.groupby(level=["region", "indicator"]).size().rename("n_years").reset_index()
    text = pd.Series("", index=pd.MultiIndex.from_frame(n_years[["region", "indicator"]]), dtype=object)
    if len(absent):
        per = absent.groupby(["region", "indicator", "group"], sort=False)["year"].agg(list).reset_index()
        per = per.merge(n_years, on=["region", "indicator"])
        per["part"] = [f"{g}:" if len(ys) >= n else f"{g}:" + ",".join(str(int(y)) for y in sorted(ys))
                       for g, ys, n in zip(per["group"], per["year"], per["n_years"], strict=True)]
        joined = per.groupby(["region", "indicator"], sort=False)["part"].agg("|".join)
        text.loc[joined.index] = joined.to_numpy()
    keys = pd.MultiIndex.from_frame(measures[["region", "indicator"]])
    return measures.assign(missing=text.reindex(keys).fillna("").to_numpy())


def _breakdown_rows(obs: pd.DataFrame, dim: str) -> pd.DataFrame:
    """Rows broken down by ``dim`` only, as (region, indicator, year, group, value)."""
    others = {"sex": obs["sex"] == "total", "area": obs["area"] == "total",
              "age_group": obs["age_group"] == "total", "subregion": obs["subregion"] == ""}
    mask = pd.Series(True, index=obs.index)
    for name, cond in others.items():
        mask &= ~cond if name == dim else cond
    rows = obs.loc[mask, ["region", "indicator", "year", dim, "value"]].rename(columns={dim: "group"})
    return rows.dropna(subset=["value"])


def _pair_measures(wide: pd.DataFrame, pair: tuple[str, str], polarity: pd.Index, dim: str) -> pd.DataFrame:
    a, b = wide[pair[0]], wide[pair[1]]
    ok = a.notna() & b.notna()
    gap = (b - a)[ok]
    ratio = (b / a.where(a > 0))[ok]
    pol = np.asarray(polarity)[ok.to_numpy()]
    worse = np.where(pol == "neutral", "", np.where((gap.to_numpy() > 0) == (pol == "lower"), pair[1], pair[0]))
    worse = np.where(gap.to_numpy() == 0, "", worse)
    base = gap.index.to_frame(index=False)
    label = f"{pair[1]}-{pair[0]}"
    frames = []
    for measure, values in (("gap", gap), ("ratio", ratio)):
        frames.append(base.assign(dimension=dim, measure=measure, groups=label, n_groups=2,
                                  value=values.to_numpy(dtype=float), worse_group=worse))
    return pd.concat(frames, ignore_index=True)


def _spread_measures(
    wide: pd.DataFrame,
    polarity: pd.Index,
    dim: str,
    populations: pd.DataFrame | None,
    rows: pd.DataFrame,
) -> pd.DataFrame:
    n = wide.notna().sum(axis=1)
    keep = n >= 2
    wide, n, pol = wide[keep], n[keep], np.asarray(polarity)[keep.to_numpy()]
    if wide.empty:
        return pd.DataFrame()
    vmax, vmin, mean = wide.max(axis=1), wide.min(axis=1), wide.mean(axis=1)
    sd = wide.std(axis=1, ddof=0)
    worst_high, worst_low = wide.idxmax(axis=1), wide.idxmin(axis=1)
    worse = np.where(pol == "lower", worst_high, np.where(pol == "higher", worst_low, ""))
    worse = np.where(vmax.to_numpy() == vmin.to_numpy(), "", worse)
    base = wide.index.to_frame(index=False).assign(dimension=dim, n_groups=n.to_numpy(), worse_group=worse)
    base["groups"] = f"{dim}:" + base["n_groups"].astype(str)
    measures = {
        "range": vmax - vmin,
        "max_min": vmax / vmin.where(vmin > 0),
        "cv": (sd / mean.where(mean > 0)).where(n >= 3),
    }
    if dim == "subregion" and populations is not None:
        measures["weighted_cv"] = _weighted_cv(rows, populations).reindex(wide.index).where(n >= 3)
    frames = [base.assign(measure=m, value=v.to_numpy(dtype=float)) for m, v in measures.items()]
    return pd.concat(frames, ignore_index=True)


def _weighted_cv(rows: pd.DataFrame, populations: pd.DataFrame) -> pd.Series:
    """Williamson index: sqrt(Σ p_i (x_i − x̄_p)²) / x̄_p with population shares p_i."""
    missing = {"region", "subregion", "population"} - set(populations.columns)
    if missing:
        raise ValueError(f"populations: missing column(s) {', '.join(sorted(missing))}")
    pop = populations.copy()
    keys = ["region", "subregion"] + (["year"] if "year" in pop.columns else [])
    pop = pop[keys + ["population"]].drop_duplicates(keys, keep="last")
    frame = rows.rename(columns={"group": "subregion"}).merge(pop, on=keys, how="inner")
    frame = frame[frame["population"] > 0]
    if frame.empty:
        return pd.Series(dtype=float)
    grp = ["region", "indicator", "year"]
    total = frame.groupby(grp)["population"].transform("sum")
    frame = frame.assign(share=frame["population"] / total)
    mean = (frame["share"] * frame["value"]).groupby([frame[g] for g in grp]).transform("sum")
    frame = frame.assign(mean=mean, dev=frame["share"] * (frame["value"] - mean) ** 2)
    agg = frame.groupby(grp).agg(var=("dev", "sum"), mean=("mean", "first"))
    return np.sqrt(agg["var"]) / agg["mean"].where(agg["mean"] > 0)


# ------------------------------------------------------------------ gap trends


def gap_trends(
    series: pd.DataFrame,
    *,
    as_of: int | None = None,
    target_year: int = 2030,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Trend, projection and verdict of every gap series (output of :func:`gap_series`).

    All series are packed and fitted in one pass. ``as_of`` hides later years (default: the
    latest year in ``series``); trends use the last ``config.FIT_WINDOW`` years. The projection
    (median and ``level`` prediction interval) is for ``target_year``.

    Returns one row per (region, indicator, dimension, measure): :data:`GAP_TREND_COLUMNS`.
    """
    indicators = indicators or load_indicators()
    if series.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in GAP_TREND_COLUMNS})
    if as_of is None:
        as_of = int(series["year"].max())
    visible = series[(series["year"] <= as_of) & (series["year"] > as_of - config.FIT_WINDOW)]
    visible = visible[np.isfinite(visible["value"].to_numpy(dtype=float))]
    panel = pack_series(visible[[*SERIES_KEYS, "year", "value"]], SERIES_KEYS)
    keys = panel.keys
    measure = keys["measure"].to_numpy()
    family = np.array([FAMILY[m] for m in measure])
    fit = fit_trend(panel, family)
    equality = np.array([EQUALITY[m] for m in measure])
    n = fit.n
    with np.errstate(invalid="ignore", divide="ignore"):
        z_last = fit.predict(fit.last_year)[0]
        z_eq = transform(equality, family, np.full(len(family), np.nan))
        away = np.sign(z_last - z_eq)
        away = np.where(np.isnan(away), 0.0, away)
    enough = (n >= config.MIN_POINTS) & (as_of - fit.last_year <= config.MAX_DATA_AGE)
    distinct = _distinct_from_equality(fit, z_last - z_eq)
    p_widen = np.where(enough, np.where(away != 0, fit.prob_slope_sign(away), 0.5), np.nan)
    p_narrow = np.where(enough, 1 - p_widen, np.nan)
    change = fit.annual_change()
    fitted_last = fit.fitted(fit.last_year)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.abs(change) / np.maximum(np.abs(fitted_last - equality), 1e-12)
    material = rel >= GAP_MIN_REL_CHANGE
    verdict = np.where(p_widen >= GAP_TREND_PROB, "widening",
                       np.where(p_narrow >= GAP_TREND_PROB, "narrowing", "stable")).astype(object)
    verdict = np.where(material | (verdict == "stable"), verdict, "stable")
    verdict = np.where((verdict == "widening") & ~distinct, "stable", verdict)
    verdict = np.where(enough, verdict, "insufficient_data")
    lower_q, upper_q = (1 - level) / 2, (1 + level) / 2
    out = keys.copy()
    meta = _series_meta(visible)
    out = out.merge(meta, on=SERIES_KEYS, how="left")
    out["unit"] = [_measure_unit(m, i, indicators) for m, i in zip(measure, keys["indicator"], strict=True)]
    out["n_points"] = n.astype(int)
    out["first_year"] = fit.first_year
    out["last_year"] = fit.last_year
    out["last_value"] = fit.last_value
    out["annual_change"] = np.where(enough, change, np.nan)
    out["target_year"] = target_year
    out["projected"] = np.where(enough, fit.fitted(float(target_year)), np.nan)
    out["lower"] = np.where(enough, fit.quantile(float(target_year), lower_q), np.nan)
    out["upper"] = np.where(enough, fit.quantile(float(target_year), upper_q), np.nan)
    out["p_narrowing"] = p_narrow
    out["p_widening"] = p_widen
    out["verdict"] = verdict
    out["warnings"] = np.where(verdict == "widening", "widening_gap", "")
    out["warning_level"] = np.where(verdict == "widening", "yellow",
                                    np.where(verdict == "insufficient_data", "yellow", "green"))
    out["reason"] = _reasons(n, fit.last_year, as_of)
    return out[GAP_TREND_COLUMNS].sort_values(SERIES_KEYS, kind="stable").reset_index(drop=True)


def _distinct_from_equality(fit, distance: np.ndarray) -> np.ndarray:
    """Whether the fitted gap in the last year differs from equality (one-sided, GAP_TREND_PROB).

    A gap that is statistically indistinguishable from none cannot be said to widen, whatever
    the sign of its slope (e.g. values rounded to 100 % in both groups)."""
    from scipy import stats

    lever = (fit.last_year - fit.xbar) ** 2 / np.maximum(fit.sxx, 1e-12)
    se = fit.resid_sd * np.sqrt(1 / np.maximum(fit.n, 1) + lever)
    crit = stats.t.ppf(GAP_TREND_PROB, fit.df)
    with np.errstate(invalid="ignore"):
        return np.abs(distance) > np.maximum(crit * se, 1e-9)


def _series_meta(visible: pd.DataFrame) -> pd.DataFrame:
    """Per series: groups, number of groups, first value and the worse group in the last year."""
    ordered = visible.sort_values("year")
    if "missing" not in ordered:  # series made before groups' missing years were recorded
        ordered = ordered.assign(missing="")
    grouped = ordered.groupby(SERIES_KEYS, sort=False)
    return grouped.agg(groups=("groups", "last"), n_groups=("n_groups", "last"),
                       first_value=("value", "first"), worse_group=("worse_group", "last"),
                       missing=("missing", "last")).reset_index()


def _measure_unit(measure: str, indicator: str, indicators: IndicatorDictionary) -> str:
    if measure in ("gap", "range"):
        ind = indicators.by_id.get(indicator)
        return ind.unit if ind else ""
    return ""


def _reasons(n: np.ndarray, last_year: np.ndarray, as_of: int) -> np.ndarray:
    reason = np.full(len(n), "", dtype=object)
    short = n < config.MIN_POINTS
    reason[short] = [f"only {int(m)} year(s) of data; {config.MIN_POINTS} needed for a trend" for m in n[short]]
    old = ~short & (as_of - last_year > config.MAX_DATA_AGE)
    reason[old] = [f"latest value is from {int(y)}, more than {config.MAX_DATA_AGE} years before {as_of}"
                   for y in last_year[old]]
    return reason


def disparities(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path | None = None,
    *,
    as_of: int | None = None,
    regions: list[str] | None = None,
    dimensions: Iterable[str] = DIMENSIONS,
    populations: pd.DataFrame | None = None,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Gap trends for every indicator with breakdowns (limited to ``plan``'s indicators if given).

    The projection year is the end of the plan period (2030 without a plan).
    Shorthand for :func:`gap_trends` of :func:`gap_series`.
    """
    indicators = indicators or load_indicators()
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    target_year = 2030
    if plan is not None:
        plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
        obs = obs[obs["indicator"].isin(plan.indicators)]
        target_year = plan.period[1]
    if regions is not None:
        obs = obs[obs["region"].isin(regions)]
    if as_of is not None:
        obs = obs[obs["year"] <= as_of]
    series = gap_series(obs, dimensions, populations=populations, indicators=indicators)
    return gap_trends(series, as_of=as_of, target_year=target_year, level=level, indicators=indicators)


def gap_summary(trends: pd.DataFrame) -> pd.DataFrame:
    """One row per (region, indicator, dimension): the verdict of the headline measure
    (``gap`` for pairs, ``cv`` or else ``range`` for several groups) and whether any measure widens."""
    if trends.empty:
        return trends.assign(any_widening=pd.Series(dtype=bool))
    rank = {"gap": 0, "weighted_cv": 1, "cv": 2, "range": 3, "ratio": 4, "max_min": 5}
    ordered = trends.assign(_r=trends["measure"].map(rank)).sort_values([*SERIES_KEYS[:3], "_r"])
    head = ordered.groupby(SERIES_KEYS[:3], sort=False).head(1).drop(columns="_r")
    widening = trends.groupby(SERIES_KEYS[:3])["verdict"].agg(lambda v: bool((v == "widening").any()))
    head = head.merge(widening.rename("any_widening").reset_index(), on=SERIES_KEYS[:3])
    return head.reset_index(drop=True)


def gap_table(trends: pd.DataFrame, lang: str = "zh", indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """Gap trends as a readable table with localized headings and labels."""
    indicators = indicators or load_indicators()
    zh = lang != "en"

    def ind_name(i: str) -> str:
        ind = indicators.by_id.get(i)
        return ind.name(lang) if ind else i

    frame = pd.DataFrame(
        {
            ("地区" if zh else "Region"): trends["region"],
            ("指标" if zh else "Indicator"): trends["indicator"].map(ind_name),
            ("分组" if zh else "Breakdown"): trends["dimension"].map(lambda d: DIMENSION_LABELS[d][lang]),
            ("差距度量" if zh else "Measure"): trends["measure"].map(lambda m: MEASURE_LABELS[m][lang]),
            ("比较组" if zh else "Groups"): trends["groups"].map(lambda g: group_label(g, lang)),
            ("最新年份" if zh else "Latest year"): trends["last_year"].map(_year),
            ("最新值" if zh else "Latest value"): trends["last_value"].map(_num),
            ("年均变化" if zh else "Change a year"): trends["annual_change"].map(_num),
            ("目标年预测" if zh else "Projected"): trends["projected"].map(_num),
            ("差距扩大概率" if zh else "P(widening)"): trends["p_widening"].map(_pct),
            ("判断" if zh else "Verdict"): trends["verdict"].map(lambda v: VERDICT_LABELS[v][lang]),
            ("较差组" if zh else "Worse group"): trends["worse_group"].map(lambda g: group_label(g, lang)),
            ("预警" if zh else "Warnings"): trends["warnings"].map(lambda w: WARNINGS[w][lang] if w in WARNINGS else ""),
            ("依据年数" if zh else "Years used"): trends["n_points"].map(_year),
            ("说明" if zh else "Note"): [gap_note(r, lang) for _, r in trends.iterrows()],
        }
    )
    return frame


def gap_note(row: pd.Series, lang: str = "zh") -> str:
    """Why a gap has no verdict, and which groups' values were missing in which years, in words.

    >>> gap_note(pd.Series({"measure": "gap", "verdict": "stable", "n_points": 3, "missing": "female:2020,2021"}))
    '女缺2020、2021年数值，差距按其余3年计算'
    """
    zh = lang != "en"
    parts = []
    n = 0 if pd.isna(row.get("n_points")) else int(row["n_points"])
    if row.get("verdict") == "insufficient_data":
        if n < config.MIN_POINTS:
            parts.append(f"仅有{n}年数据，判断趋势至少需要{config.MIN_POINTS}年" if zh
                         else f"only {n} year{'s' if n != 1 else ''} of data; {config.MIN_POINTS} needed for a trend")
        elif pd.notna(row.get("last_year")):
            parts.append(f"最新数据为{int(row['last_year'])}年，已过旧" if zh
                         else f"latest value is from {int(row['last_year'])}, too old for a trend")
    lacking, silent = [], []
    for item in str(row.get("missing") or "").split("|"):
        if not item:
            continue
        group, _, years = item.rpartition(":")
        name = group_label(group, lang)
        if not years:
            silent.append(name)
        else:
            ys = years.split(",")
            lacking.append(f"{name}缺{'、'.join(ys)}年数值" if zh else f"{name}: no value for {', '.join(ys)}")
    if silent:
        lacking.append(f"{'、'.join(silent)}无数据" if zh else f"no data for {', '.join(silent)}")
    if lacking:
        parts.extend(lacking)
        if row.get("measure") in ("gap", "ratio"):
            if row.get("verdict") != "insufficient_data" and n:
                parts.append(f"差距按其余{n}年计算" if zh else f"the gap is measured on the other {n} years")
        elif row.get("measure") in MEASURES:
            parts.append("差距按有数据的各组计算" if zh else "the gap is measured across the groups with data")
    return "，".join(parts) if zh else "; ".join(parts)


def group_label(group: object, lang: str = "zh") -> str:
    """``rural-urban`` → ``农村−城镇``; ``subregion:5`` → ``5个区域``; sub-region names unchanged."""
    text = "" if group is None or (isinstance(group, float) and np.isnan(group)) else str(group)
    if ":" in text:
        dim, n = text.split(":", 1)
        label = DIMENSION_LABELS.get(dim, {}).get(lang, dim)
        return f"{n}个{label}" if lang != "en" else f"{n} {label.lower()}s"
    if "-" in text and all(p in GROUP_LABELS for p in text.split("-")):
        return "−".join(GROUP_LABELS[p][lang] for p in text.split("-"))
    return GROUP_LABELS.get(text, {}).get(lang, text)


def _num(x: float) -> str:
    return "" if pd.isna(x) else f"{x:.4g}"


def _pct(x: float) -> str:
    return "" if pd.isna(x) else f"{x:.0%}"


def _year(x: float) -> str:
    return "" if pd.isna(x) else str(int(x))


# ------------------------------------------------------------------ hidden laggards


def hidden_laggards(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    *,
    plans: Iterable[Plan] = (),
    as_of: int | None = None,
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Sub-regions that miss their own plan's target while their region as a whole meets it.

    The region is assessed against ``plan``; each sub-region against the plan in ``plans`` whose
    region is that sub-region (same name, or the region's name followed by it, e.g.
    ``吉林省吉林市`` + ``磐石市``), using its target for the same indicator and year (else the
    nearest year), and against ``plan``'s target when it has no plan or no such target.
    ``regions`` limits the regions examined (default: the plan's region when the data have it,
    else every region with sub-region data).
    A region meets a target when its status is ``achieved``; a sub-region is listed when it has
    data and its status is anything else.

    Returns :data:`LAGGARD_COLUMNS`, the largest shortfalls first within each target.
    """
    from childplan_analysis.engine.assess import assess

    indicators = indicators or load_indicators()
    plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    subs = obs[(obs["subregion"] != "") & (obs["sex"] == "total") & (obs["area"] == "total")
               & (obs["age_group"] == "total") & obs["indicator"].isin(plan.indicators)]
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in LAGGARD_COLUMNS})
    if regions is None:
        regions = [plan.region] if (obs["region"] == plan.region).any() else sorted(set(subs["region"]))
    subs = subs[subs["region"].isin(regions)]
    if subs.empty:
        return empty
    regions = sorted(subs["region"].unique())
    totals = obs[(obs["subregion"] == "") & (obs["sex"] == "total") & (obs["area"] == "total")
                 & (obs["age_group"] == "total")]
    if as_of is None:
        as_of = int(totals["year"].max()) if len(totals) else int(subs["year"].max())
    region_results = assess(obs, plan, as_of=as_of, regions=regions, indicators=indicators)
    met = region_results[region_results["status"] == "achieved"]
    if met.empty:
        return empty
    pseudo = subs.assign(region=subs["region"] + "\x1f" + subs["subregion"], subregion="")
    own = {p.region: p for p in plans}
    rows = []
    for (region, sub), _ in subs.groupby(["region", "subregion"]):
        sub_plan = _own_plan(own, region, sub)
        rows.append((region, sub, sub_plan))
    by_plan: dict[str, list[tuple[str, str]]] = {}
    plan_of: dict[str, Plan] = {plan.id: plan}
    for region, sub, sub_plan in rows:
        chosen = sub_plan or plan
        plan_of[chosen.id] = chosen
        by_plan.setdefault(chosen.id, []).append((region, sub))
    sub_results = []
    for pid, members in by_plan.items():
        names = [f"{r}\x1f{s}" for r, s in members]
        sub_plan = _restricted(plan_of[pid], plan, indicators)
        if sub_plan is None:
            continue
        res = assess(pseudo, sub_plan, as_of=as_of, regions=names, indicators=indicators)
        sub_results.append(res.assign(subregion_plan_id=pid))
    if not sub_results:
        return empty
    sub_res = pd.concat(sub_results, ignore_index=True)
    sub_res[["parent", "subregion"]] = sub_res["region"].str.split("\x1f", n=1, expand=True)
    targets = {t.id: t for t in plan.targets}
    out = []
    for _, row in met.iterrows():
        target = targets[row["target_id"]]
        cand = sub_res[(sub_res["parent"] == row["region"]) & (sub_res["indicator"] == target.indicator)
                       & (sub_res["n_points"] > 0)]
        for sub, grp in cand.groupby("subregion"):
            pick = _matching_target_row(grp, target, plan_of)
            if pick is None or pick["status"] in ("achieved", "insufficient_data"):
                continue
            sub_target = plan_of[pick["subregion_plan_id"]].target(pick["target_id"])
            out.append({
                "plan_id": plan.id,
                "target_id": target.id,
                "region": row["region"],
                "indicator": target.indicator,
                "target": target.describe(),
                "region_value": row["last_value"],
                "region_year": row["last_year"],
                "subregion": sub,
                "subregion_value": pick["last_value"],
                "subregion_year": pick["last_year"],
                "subregion_target": sub_target.describe(),
                "subregion_plan_id": pick["subregion_plan_id"],
                "shortfall": _shortfall(sub_target, pick),
                "status": pick["status"],
                "p_meet": pick["p_meet"],
                "responsible": row["responsible"],
                "subregion_target_id": sub_target.id,
            })
    if not out:
        return empty
    frame = pd.DataFrame(out)[LAGGARD_COLUMNS]
    return frame.sort_values(["region", "target_id", "shortfall"], ascending=[True, True, False],
                             kind="stable").reset_index(drop=True)


def _own_plan(own: dict[str, Plan], region: str, sub: str) -> Plan | None:
    for name in (sub, region + sub):
        if name in own:
            return own[name]
    for name, p in own.items():
        if name.endswith(sub) and name.startswith(region[:2]):
            return p
    return None


def _restricted(sub_plan: Plan, parent: Plan, indicators: IndicatorDictionary) -> Plan | None:
    """``sub_plan``'s targets for the parent's indicators, plus the parent's targets for
    indicators, or milestone years of an indicator, the sub-region's plan lacks (a county plan
    with a 2030 target only is held to the city's 2025 milestone in 2025, not to its own 2030
    target)."""
    wanted = set(parent.indicators)
    kept = [t for t in sub_plan.targets if t.indicator in wanted and t.comparator in LEVEL_COMPARATORS]
    have = {(t.indicator, t.year) for t in kept}
    if sub_plan.id != parent.id:
        kept += [t.model_copy(update={"id": f"{parent.id}:{t.id}"}) for t in parent.targets
                 if (t.indicator, t.year) not in have and t.comparator in LEVEL_COMPARATORS]
    if not kept:
        return None
    return sub_plan.model_copy(update={"targets": kept})


def _matching_target_row(grp: pd.DataFrame, target: Target, plan_of: dict[str, Plan]) -> pd.Series | None:
    """The sub-region's result for the target closest to ``target`` (same year first)."""
    years = grp["target_year"].astype(int)
    if (years == target.year).any():
        grp = grp[years == target.year]
    else:
        grp = grp.iloc[(years - target.year).abs().argsort(kind="stable")[:1]]
    same = grp[grp["target_id"].str.endswith(target.id)]
    pick = same if len(same) else grp
    if pick.empty:
        return None
    row = pick.iloc[0].copy()
    pid = row["subregion_plan_id"]
    if ":" in str(row["target_id"]):  # parent's target used for a sub-region with its own plan
        parent_id, tid = str(row["target_id"]).split(":", 1)
        row["subregion_plan_id"], row["target_id"] = parent_id, tid
    elif pid not in plan_of:
        return None
    return row


def _shortfall(target: Target, row: pd.Series) -> float:
    """Distance from the sub-region's latest value to the nearest value meeting the target."""
    base = row.get("baseline_value")
    try:
        lo, hi = target.level_bounds(None if pd.isna(base) else float(base))
    except ValueError:
        return float("nan")
    x = float(row["last_value"])
    if x < lo:
        return lo - x
    if x > hi:
        return x - hi
    return 0.0


# ------------------------------------------------------------------ sub-regions ahead, coverage


def subregions_ahead(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    *,
    as_of: int | None = None,
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Sub-regions that already meet a target of ``plan`` which their region as a whole does not.

    The reverse of :func:`hidden_laggards`: the region is assessed against ``plan`` and every
    sub-region against the same target; a sub-region is listed when it is ``achieved`` while the
    region is neither ``achieved`` nor without data. Returns :data:`AHEAD_COLUMNS`, largest
    sub-region values first within each target for higher-is-better indicators (smallest for
    lower-is-better).
    """
    from childplan_analysis.engine.assess import assess

    indicators = indicators or load_indicators()
    plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in AHEAD_COLUMNS})
    subs, regions, as_of = _subregion_rows(obs, plan, regions, as_of)
    if subs.empty:
        return empty
    region_results = assess(obs, plan, as_of=as_of, regions=regions, indicators=indicators)
    behind = region_results[~region_results["status"].isin(["achieved", "insufficient_data"])]
    level = _restricted(plan, plan, indicators)
    if behind.empty or level is None:
        return empty
    pseudo = subs.assign(region=subs["region"] + "\x1f" + subs["subregion"], subregion="")
    sub_res = assess(pseudo, level, as_of=as_of, regions=sorted(pseudo["region"].unique()), indicators=indicators)
    sub_res[["parent", "subregion"]] = sub_res["region"].str.split("\x1f", n=1, expand=True)
    met = sub_res[sub_res["status"] == "achieved"]
    out = met.merge(behind, left_on=["parent", "target_id"], right_on=["region", "target_id"],
                    suffixes=("_sub", ""))
    if out.empty:
        return empty
    targets = {t.id: t for t in plan.targets}
    frame = pd.DataFrame({
        "plan_id": plan.id,
        "target_id": out["target_id"],
        "region": out["region"],
        "indicator": out["indicator"],
        "target": out["target_id"].map(lambda t: targets[t].describe()),
        "region_value": out["last_value"],
        "region_year": out["last_year"],
        "region_status": out["status"],
        "subregion": out["subregion"],
        "subregion_value": out["last_value_sub"],
        "subregion_year": out["last_year_sub"],
    })
    sign = frame["indicator"].map(lambda i: -1.0 if _polarity(i, indicators) == "higher" else 1.0)
    frame = frame.assign(_k=sign * frame["subregion_value"].astype(float))
    return (frame.sort_values(["region", "target_id", "_k"], kind="stable")
            .drop(columns="_k").reset_index(drop=True)[AHEAD_COLUMNS])


def subregion_coverage(
    observations: pd.DataFrame | str | Path,
    plan: Plan | str | Path,
    *,
    plans: Iterable[Plan] = (),
    regions: list[str] | None = None,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Sub-regions without data for some of ``plan``'s indicators that other sub-regions report.

    The sub-regions expected are those with any value in the region (for any indicator) and
    those with a plan of their own in ``plans`` (region = the region's name followed by theirs,
    e.g. ``江屿市`` + ``南屏县``), so a county that sent nothing at all is still named. Only
    indicators some sub-region reports count. Returns :data:`COVERAGE_COLUMNS`
    (``without_data``: the indicator ids joined by ``、``), sub-regions with no data first.
    """
    indicators = indicators or load_indicators()
    plan = plan if isinstance(plan, Plan) else load_plan(plan, indicators)
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    subs = obs[(obs["subregion"] != "") & obs["value"].notna()]
    if regions is None:
        regions = [plan.region] if (obs["region"] == plan.region).any() else sorted(set(subs["region"]))
    rows = []
    for region in regions:
        mine = subs[subs["region"] == region]
        expected = set(mine["subregion"])
        expected |= {p.region[len(region):] for p in plans
                     if p.region.startswith(region) and len(p.region) > len(region)}
        reported = [i for i in plan.indicators if (mine["indicator"] == i).any()]
        if not reported:
            continue
        have = mine.groupby("subregion")["indicator"].agg(set).to_dict()
        for sub in sorted(expected):
            lacking = [i for i in reported if i not in have.get(sub, set())]
            if lacking:
                rows.append({"region": region, "subregion": sub, "indicators": len(reported),
                             "with_data": len(reported) - len(lacking), "without_data": "、".join(lacking)})
    frame = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    return frame.sort_values(["region", "with_data", "subregion"], kind="stable").reset_index(drop=True)


def _subregion_rows(
    obs: pd.DataFrame, plan: Plan, regions: list[str] | None, as_of: int | None
) -> tuple[pd.DataFrame, list[str], int | None]:
    """Sub-region totals of ``plan``'s indicators in the regions examined, those regions, and the
    year assessed (the latest year of the regions' own totals by default)."""
    subs = obs[(obs["subregion"] != "") & (obs["sex"] == "total") & (obs["area"] == "total")
               & (obs["age_group"] == "total") & obs["indicator"].isin(plan.indicators)]
    if regions is None:
        regions = [plan.region] if (obs["region"] == plan.region).any() else sorted(set(subs["region"]))
    subs = subs[subs["region"].isin(regions)]
    if subs.empty:
        return subs, [], as_of
    totals = obs[(obs["subregion"] == "") & (obs["sex"] == "total") & (obs["area"] == "total")
                 & (obs["age_group"] == "total")]
    if as_of is None:
        as_of = int(totals["year"].max()) if len(totals) else int(subs["year"].max())
    return subs, sorted(subs["region"].unique()), as_of


def _polarity(indicator: str, indicators: IndicatorDictionary) -> str:
    ind = indicators.by_id.get(indicator)
    return ind.polarity if ind else "neutral"
