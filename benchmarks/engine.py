"""Speed of the assessment engine at county scale, side by side with a per-series statsmodels loop.

Builds 3,000 regions × 60 indicators × 15 years (180,000 series, ~5 % of values missing),
one 2030 target per indicator, and times one ``assess`` call on all of it (model choice by
backtest and calibrated intervals included). The fixed-model assess (observations in, and on
its own line a panel packed beforehand by ``pack_totals``), the packing and the bare fit it is
compared with are each the least of three calls; a table gives the CPU of every stage of the
fixed-model assess. In the same run, a per-series loop of statsmodels
OLS on a 2,000-series subset gives the reference numbers: the vectorised fits must agree to
1e-8, and the damped-trend recursion must agree with statsmodels' Holt recursion.

    .venv/bin/python benchmarks/engine.py [--regions 3000] [--subset 2000]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np
import pandas as pd
import statsmodels.api as sm
from figures import record
from scipy import stats
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.core import config
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.engine.assess import assess, pack_totals
from childplan_analysis.models import (
    MODELS,
    SeriesPanel,
    default_family,
    fit_trend,
    indicator_scales,
)
from childplan_analysis.models.fit import _prepare, damped_pass

YEARS = np.arange(2010, 2025)


def synthetic(n_regions: int, seed: int = 0) -> tuple[pd.DataFrame, object]:
    """Observations and a plan: one series shape per indicator type, noise, 5 % missing."""
    rng = np.random.default_rng(seed)
    indicators = list(load_indicators())[:60]
    t = YEARS - YEARS[0]
    frames, targets = [], []
    for ind in indicators:
        low, high = ind.bounds
        low = 0.0 if low is None else low
        high = low + 100.0 if high is None else high
        span = high - low
        start = low + span * rng.uniform(0.2, 0.6, n_regions)
        if ind.polarity == "lower":
            rate = rng.uniform(0.01, 0.08, n_regions)
            vals = start[:, None] * np.exp(-rate[:, None] * t) * np.exp(rng.normal(0, 0.03, (n_regions, len(t))))
            target = {"comparator": "<=", "value": float(low + span * 0.15)}
        elif ind.polarity == "higher" and ind.unit == "%":
            logit0 = np.log((start - low) / (high - start))
            speed = rng.uniform(0.0, 0.25, n_regions)
            z = logit0[:, None] + speed[:, None] * t + rng.normal(0, 0.08, (n_regions, len(t)))
            vals = low + span / (1 + np.exp(-z))
            target = {"comparator": ">=", "value": float(low + span * 0.9)}
        else:
            slope = rng.normal(0.005, 0.01, n_regions) * span
            vals = start[:, None] + slope[:, None] * t + rng.normal(0, 0.01 * span, (n_regions, len(t)))
            target = {"comparator": "increase"}
        vals = np.clip(vals, low, high)
        vals[rng.random(vals.shape) < 0.05] = np.nan
        r, j = np.nonzero(~np.isnan(vals))
        frames.append(pd.DataFrame({"region": np.char.add("县", r.astype(str)), "indicator": ind.id,
                                    "year": YEARS[j], "value": vals[r, j]}))
        targets.append({"id": f"{ind.id}_2030", "indicator": ind.id, "year": 2030, **target})
    obs = pd.concat(frames, ignore_index=True)
    for col, val in (("sex", "total"), ("area", "total"), ("age_group", "total"), ("subregion", "")):
        obs[col] = val
    plan = plan_from_dict({"id": "bench", "title": "benchmark", "region": "全省", "level": "province",
                           "period": [2021, 2030], "targets": targets})
    return obs, plan


def statsmodels_loop(panel: SeriesPanel, families: np.ndarray, upper: np.ndarray) -> pd.DataFrame:
    """Per-series OLS with statsmodels: slope, 2030 point forecast and 80 % prediction interval.

    The series are put on their fitting scale exactly as the engine does (edge values nudged).
    """
    rows = []
    lower = np.where(families == "logit", 0.0, -np.inf)
    z_all, mask = _prepare(panel, families, np.where(np.isnan(upper), np.inf, upper), lower)
    for i in range(panel.n_series):
        ok = mask[i]
        X = sm.add_constant(panel.years[ok].astype(float))
        res = sm.OLS(z_all[i][ok], X).fit()
        frame = res.get_prediction(np.array([[1.0, 2030.0]])).summary_frame(alpha=0.2)
        rows.append((res.params[1], frame["mean"].iloc[0], frame["obs_ci_lower"].iloc[0],
                     frame["obs_ci_upper"].iloc[0]))
    return pd.DataFrame(rows, columns=["slope", "mean", "lower", "upper"])


def check_damped(rng: np.random.Generator, n: int = 200) -> float:
    """Largest difference between our damped recursion and statsmodels' Holt (fixed parameters)."""
    worst = 0.0
    for _ in range(n):
        y = 50 + np.cumsum(rng.normal(0.5, 1.0, 12))
        alpha, beta_star, phi = rng.uniform(0.2, 0.9), rng.uniform(0.05, 0.5), rng.uniform(0.8, 0.98)
        z, mask = _prepare(SeriesPanel(pd.DataFrame({"k": [0]}), YEARS[:12], y[None, :]),
                           np.array(["linear"]), np.array([np.inf]), np.array([-np.inf]))
        level, trend, *_ = damped_pass(z, mask, YEARS[:12].astype(float), np.array([alpha]),
                                       np.array([alpha * beta_star]), np.array([phi]))
        ours = level[0, 0] + trend[0, 0] * sum(phi**i for i in range(1, 6))
        model = ExponentialSmoothing(y[2:], trend="add", damped_trend=True, initialization_method="known",
                                     initial_level=y[1], initial_trend=y[1] - y[0])
        fit = model.fit(smoothing_level=alpha, smoothing_trend=beta_star, damping_trend=phi, optimized=False)
        worst = max(worst, abs(fit.forecast(5)[-1] - ours))
    return worst


#: Stages of a fixed-model assess, each the inclusive CPU time of the functions named
#: (module, attribute); "other per-target work" is the target loop less the stages run inside it.
STAGES = (
    ("rows: totals, key codes, regions", [("rows", "totals"), ("rows", "factorize_key"),
                                          ("rows", "_present"), ("rows", "code_in"),
                                          ("rows", "_censor_codes")]),
    ("packing into series", [("rows", "_pack")]),
    ("model fit (the bare fit's work)", [("fits", "fit_model")]),
    ("series breaks", [("fits", "series_breaks")]),
    ("volatility", [("fits", "volatile")]),
    ("ESCAP projection (anticipated gap)", [("fits", "escap_projection")]),
    ("comparator judgements (met now, p_meet)", [("assess", "judge")]),
    ("status, warnings, levels", [("assess", "verdicts")]),
    ("result frame (sorted, text columns)", [("assess", "assemble")]),
)
IN_TARGET_LOOP = ("model fit (the bare fit's work)", "series breaks", "volatility",
                  "ESCAP projection (anticipated gap)", "comparator judgements (met now, p_meet)")


def stage_costs(obs: pd.DataFrame, plan, model: str = "linear") -> tuple[dict[str, float], float]:
    """CPU seconds of every stage of one ``assess(obs, plan, model=model)`` and of the whole call,
    measured by wrapping the engine's functions for that one call."""
    from childplan_analysis.engine import assess as assess_module
    from childplan_analysis.engine import fits as fits_module
    from childplan_analysis.engine import rows as rows_module

    modules = {"assess": assess_module, "fits": fits_module, "rows": rows_module}
    spent: dict[tuple[str, str], float] = {}
    saved = []

    def timed(key, fn):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + time.process_time() - start
        return wrapper

    names = [key for _, keys in STAGES for key in keys] + [("assess", "_assess_target")]
    for mod, attr in names:
        fn = getattr(modules[mod], attr)
        saved.append((modules[mod], attr, fn))
        setattr(modules[mod], attr, timed((mod, attr), fn))
    try:
        start = time.process_time()
        assess_module.assess(obs, plan, model=model)
        total = time.process_time() - start
    finally:
        for module, attr, fn in saved:
            setattr(module, attr, fn)
    costs = {label: sum(spent.get(k, 0.0) for k in keys) for label, keys in STAGES}
    inside = sum(costs[label] for label in IN_TARGET_LOOP)
    costs["other per-target work (rows, reasons, columns)"] = spent.get(("assess", "_assess_target"), 0.0) - inside
    costs["rest (checks, text codes, method column)"] = total - sum(costs.values())
    return costs, total


def least_stage_costs(obs: pd.DataFrame, plan, runs: int = 3) -> tuple[dict[str, float], float]:
    """:func:`stage_costs` of ``runs`` calls, each stage and the whole call at its least (a shared
    machine adds to a stage now and then, never takes away)."""
    measured = [stage_costs(obs, plan) for _ in range(runs)]
    return {k: min(m[0][k] for m in measured) for k in measured[0][0]}, min(m[1] for m in measured)


def print_stage_costs(costs: dict[str, float], total: float, bare: float, runs: int = 3) -> None:
    """The stage table: CPU ms, share of the call, and multiple of the bare fit."""
    title = f"stage of the fixed-model assess (least of {runs} instrumented runs)"
    print(f"{title:64s}{'CPU ms':>9s}{'share':>8s}{'× bare':>8s}")
    for label, cpu in costs.items():
        print(f"  {label:62s}{cpu * 1e3:>9.1f}{cpu / total:>8.0%}{cpu / bare:>8.2f}")
    print(f"  {'whole call':62s}{total * 1e3:>9.1f}{1:>8.0%}{total / bare:>8.2f}")


def least_of(fn, runs: int) -> tuple[tuple[float, float, float, float], object]:
    """Least wall, CPU, user and system seconds of ``runs`` calls of ``fn`` (each at its least: a
    shared machine adds to a call now and then, never takes away), and the last call's result."""
    best = [np.inf] * 4
    for _ in range(runs):
        usage, wall, cpu = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu, after = time.perf_counter() - wall, time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF)
        spent = (wall, cpu, after.ru_utime - usage.ru_utime, after.ru_stime - usage.ru_stime)
        best = [min(b, x) for b, x in zip(best, spent, strict=True)]
    return tuple(best), result


def _rel(ours: np.ndarray, ref: pd.Series) -> float:
    ref = ref.to_numpy()
    return float(np.max(np.abs(ours - ref) / np.maximum(1.0, np.abs(ref))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--subset", type=int, default=2000)
    args = parser.parse_args()
    obs, plan = synthetic(args.regions)
    n_series = obs.groupby(["region", "indicator"]).ngroups
    print(f"{args.regions} regions × {len(plan.targets)} indicators × {len(YEARS)} years: "
          f"{n_series:,} series, {len(obs):,} values")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu = time.perf_counter(), time.process_time()
    results = assess(obs, plan)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"assess (auto model choice + calibrated intervals): {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"{len(results):,} rows, peak RSS {rss1:.0f} MB (+{rss1 - rss0:.0f} MB)")
    print("models chosen:", results["model"].value_counts().to_dict())
    runs = 3
    (wall_fixed, cpu_fixed, user_fixed, sys_fixed), _ = least_of(lambda: assess(obs, plan, model="linear"), runs)
    print(f"assess with one fixed OLS model (no model choice), least of {runs}: {wall_fixed:.2f} s wall, "
          f"{cpu_fixed:.2f} s CPU ({user_fixed:.2f} s user, {sys_fixed:.2f} s system: page faults, which vary "
          f"with the machine's load)")
    # the bare vectorised fit of the same model on the same series, packed beforehand
    from childplan_analysis.models import fit_model, pack_series

    ind_all = load_indicators()
    (wall_pack, cpu_pack, *_), whole = least_of(lambda: pack_series(obs, ["region", "indicator"]), runs)
    info_all = [ind_all.by_id[i] for i in whole.keys["indicator"]]
    nat_all, up_all, lo_all = indicator_scales(info_all)

    def bare_fit(scales: np.ndarray):
        """The bare fit of the whole panel given ``scales``, with its 2030 point and 80 % bounds."""
        def run():
            bare = fit_model(whole, "linear", scales, up_all, lo_all)
            return bare.fitted(2030.0), bare.quantile(2030.0, 0.1), bare.quantile(2030.0, 0.9)
        return run

    (wall_bare, cpu_bare, *_), _ = least_of(bare_fit(nat_all), runs)
    print(f"bare vectorised fit of the same model (+ 2030 point and 80 % bounds), least of {runs}: "
          f"{wall_bare:.2f} s wall, {cpu_bare:.2f} s CPU")
    # the engine hands the fit each series' natural scale as its indicator's one string (objects),
    # which the fit reads without converting 180,000 texts; the same fit given them so, beside it
    ind_codes, ind_uniq = pd.factorize(whole.keys["indicator"])
    nat_shared = np.array([default_family(i.unit, i.polarity, i.bounds) for i in (ind_all.by_id[u] for u in ind_uniq)],
                          dtype=object)[ind_codes]
    (_, cpu_shared, *_), _ = least_of(bare_fit(nat_shared), runs)
    print(f"the same bare fit given the natural scales as one shared string per indicator (as the engine "
          f"gives them), least of {runs}: {cpu_shared:.2f} s CPU")
    print(f"packing the same observations into series (before the bare fit, not in it; every assess does it), "
          f"least of {runs}: {wall_pack:.2f} s wall, {cpu_pack:.2f} s CPU")
    print(f"fixed-model assess / bare fit: {wall_fixed / wall_bare:.2f}× wall, {cpu_fixed / cpu_bare:.2f}× CPU "
          f"(aim ≤ 2×); model-choice assess {wall:.2f} s wall, {cpu:.2f} s CPU (aim ≤ 4 s)")
    print(f"fixed-model assess / bare fit given shared scale strings, for comparison only (no aim): "
          f"{cpu_fixed / cpu_shared:.2f}× CPU")
    # beside it, not instead of it: the anchor with the packing every assess also does
    print(f"fixed-model assess / (packing + bare fit), for comparison only (no aim): "
          f"{wall_fixed / (wall_pack + wall_bare):.2f}× wall, {cpu_fixed / (cpu_pack + cpu_bare):.2f}× CPU")
    # an analyst assessing one panel under several models or plans packs it once (pack_totals)
    panel = pack_totals(obs)
    (wall_panel, cpu_panel, *_), _ = least_of(lambda: assess(panel, plan, model="linear"), runs)
    print(f"fixed-model assess of the same totals packed beforehand (pack_totals, not timed), least of {runs}, "
          f"/ bare fit: {wall_panel / wall_bare:.2f}× wall, {cpu_panel / cpu_bare:.2f}× CPU ({cpu_panel:.2f} s CPU; "
          f"a separate figure: the headline above reads the observations)")
    record("engine fixed-model assess ÷ bare fit (CPU)", cpu_fixed / cpu_bare, "×", "≤ 2×", cpu_fixed / cpu_bare <= 2,
           f"bare fit {cpu_bare:.2f} s CPU")
    record("engine fixed-model assess of a packed panel ÷ bare fit (CPU)", cpu_panel / cpu_bare, "×", "none",
           None, "panel packed beforehand by pack_totals")
    record(f"model-choice assess, {n_series:,} series (wall)", wall, " s", "≤ 4 s", wall <= 4,
           f"{cpu:.2f} s CPU on {os.cpu_count()} CPUs")
    print()
    print_stage_costs(*least_stage_costs(obs, plan, runs=runs), cpu_bare, runs=runs)
    print()

    # side by side: per-series statsmodels OLS loop on a subset, same numbers
    rng = np.random.default_rng(1)
    ind = load_indicators()
    sub = obs[obs["indicator"].isin([t.indicator for t in plan.targets])]
    keys = sub[["region", "indicator"]].drop_duplicates().sample(args.subset, random_state=1)
    sub = sub.merge(keys, on=["region", "indicator"])

    panel = pack_series(sub, ["region", "indicator"])
    info = [ind.by_id[i] for i in panel.keys["indicator"]]
    families = np.array([default_family(i.unit, i.polarity, i.bounds) for i in info])
    upper = np.array([np.nan if i.bounds[1] is None else i.bounds[1] for i in info], dtype=float)
    t_sm = time.perf_counter()
    ref = statsmodels_loop(panel, families, upper)
    t_sm = time.perf_counter() - t_sm
    t_vec = time.perf_counter()
    fit = fit_trend(panel, families, upper)
    mean, scale = fit.predict(2030.0)
    # unclipped 80 % bounds on the fitting scale (the engine then clips them to natural bounds)
    lower_z = mean + stats.t.ppf(0.1, fit.df) * scale
    upper_z = mean + stats.t.ppf(0.9, fit.df) * scale
    t_vec = time.perf_counter() - t_vec
    diff = max(_rel(fit.slope, ref["slope"]), _rel(mean, ref["mean"]), _rel(lower_z, ref["lower"]),
               _rel(upper_z, ref["upper"]))
    per_sm = t_sm / args.subset
    per_assess = wall / max(n_series, 1)
    print()
    print(f"{'':40s}{'per series':>14s}{'ratio':>10s}")
    print(f"{'statsmodels OLS loop (subset)':40s}{per_sm * 1e6:>11.1f} µs{1:>10.0f}×")
    print(f"{'vectorised OLS, same subset':40s}{t_vec / args.subset * 1e6:>11.1f} µs{per_sm / (t_vec / args.subset):>10.0f}×")
    per_fixed = wall_fixed / max(n_series, 1)
    print(f"{'assess, all series, fixed OLS model':40s}{per_fixed * 1e6:>11.1f} µs{per_sm / per_fixed:>10.0f}×")
    print(f"{'assess, all series, model choice':40s}{per_assess * 1e6:>11.1f} µs{per_sm / per_assess:>10.0f}×")
    fits = len(MODELS) * (config.BACKTEST_ORIGINS + 1)
    print(f"  (model choice refits {len(MODELS)} models at up to {config.BACKTEST_ORIGINS} origins plus once on "
          f"all data: a per-series statsmodels loop doing the same ≈ {fits} fits would take "
          f"≈ {fits * per_sm * 1e3:.0f} ms per series, {fits * per_sm / per_assess:.0f}× the vectorised time)")
    print(f"max |vectorised − statsmodels| (slope, mean, 80 % bounds on fitting scale, relative to max(1, |value|)): {diff:.2e} "
          f"({'OK' if diff <= 1e-8 else 'MISMATCH'} at 1e-8)")
    worst = check_damped(rng)
    print(f"max |damped recursion − statsmodels Holt damped| (5-year forecast, 200 series): {worst:.2e} "
          f"({'OK' if worst <= 1e-8 else 'MISMATCH'})")


if __name__ == "__main__":
    main()
