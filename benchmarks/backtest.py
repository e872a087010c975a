"""Forecast accuracy on the real national series: rolling origin, every model family side by side.

For every series in ``data/national`` with at least 5 values (totals and urban/rural series),
every observed year t with at least 4 values up to it is an origin: each model is fitted on the
data up to t only and forecasts every later observed value 1–5 years ahead (the model choice and
calibration inside ``auto`` backtest each series again on its own years up to t). Reported per
model:

- MAE and MAPE of the point forecast (median);
- coverage of the 80 % prediction interval (calibrated: 70–90 %);
- Brier score and accuracy of ``p_meet`` for "met / not met" questions asked of each forecast:
  will the value be at least as good as at the origin, and 5 % / 10 % better?
  (better = lower for indicators that should fall, higher otherwise);

side by side with the plain ESCAP-style point projection (p = 1 if the projection meets, else 0)
and persistence. ``auto`` is what ``assess`` gives at the origin: the per-series choice by
backtest on data up to the origin, and for series with fewer than ``POOL_BELOW`` values the
trend pooled with every series of its indicator and family (data up to the origin), or, with
4–5 values and no slope prior, the damped trend with the noise and wander of the other
indicators of its kin (``models/kin.py``);
``auto (no pooling)`` the choice alone; ``auto (uncalibrated)`` ``auto`` without interval
calibration.

The same questions are put to the official methods of ``engine/methods.py`` (NBS point test,
UNICEF AARR, ESCAP, UNSD, Eurostat): a method's answer is p = 1 when it says achieved or on
track, 0 when it says acceleration needed or regressing, 0.5 when it cannot judge.

Short-series backtest: at every origin each series is cut to its last 3, 4 or 5 values up to
the origin and forecast 1–5 years ahead, ``unpooled`` (model choice on the cut series alone)
and ``pooled`` (the engine's default: the cut series borrows slope and noise from the other
series of its indicator and of its indicator's family — the other falling rates on the log
scale, the other bounded shares on the logit scale — each with its own history up to the
origin only; the cut series never sees its own values before the cut).

Printed: the accuracy table per model; 80 % coverage by horizon, with its 90 % interval when
whole series are resampled (a series' forecasts share its history: they are not independent),
per conventional scale, per number of values and per kind of forecast (backtested on its own,
pooled, noise borrowed from its kin, neither), and the three-year forecasts inside or on which side of their interval; the
aims table — Brier, accuracy and 80 % coverage for all series and for short series, pooled vs
unpooled, side by side with the official methods, with the resampling interval of the pooling's
Brier gain; and for the short series that borrowed, the central 50 / 80 / 95 % coverage and mean
of the probability integral transform, and the share met per p_meet band.

    .venv/bin/python benchmarks/backtest.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.targets import Comparator
from childplan_analysis.engine.methods import REFERENCE_METHODS, TargetSeries, escap_projection
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import (
    MODELS,
    SeriesPanel,
    TrendFit,
    choose,
    fit_model,
    indicator_scales,
    observed_span,
    pack_series,
    select_models,
    take,
)
from childplan_analysis.models.kin import kin_noise
from childplan_analysis.models.pooling import (
    RELATIVE_SCALES,
    kin_codes,
    pooled_trend,
    scale_families,
)

KEYS = ["region", "indicator", "sex", "area", "age_group", "subregion"]
MIN_POINTS, MIN_TRAIN, HORIZON = 5, 4, 5
IMPROVEMENTS = (0.0, 0.05, 0.10)
SHORT_LENGTHS = (3, 4, 5)
#: Resamples of whole series for the 90 % intervals of coverage and of the Brier gain.
BOOT_REPS = 4000
#: How a method's status answers "will it be met": achieved / on track yes, otherwise no.
METHOD_P = {"achieved": 1.0, "on_track": 1.0, "acceleration_needed": 0.0, "regressing": 0.0}


def national_panel() -> tuple[SeriesPanel, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Series with enough values, their conventional scales, bounds and desired direction."""
    obs = load_observations(config.NATIONAL_DATA_DIR)
    obs = obs.groupby(KEYS + ["year"], as_index=False)["value"].last()
    counts = obs.groupby(KEYS)["year"].transform("size")
    panel = pack_series(obs[counts >= MIN_POINTS], KEYS)
    ind = load_indicators()
    info = [ind.by_id[i] for i in panel.keys["indicator"]]
    natural, high, low = indicator_scales(info)
    desired = np.array([-1.0 if i.polarity == "lower" else 1.0 for i in info])
    unit = np.array([i.unit for i in info], dtype=object)
    return panel, natural, low, high, desired, unit


def _questions(origin_value: np.ndarray, desired: np.ndarray) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """(improvement, lower, upper) of every "met / not met" question asked of a forecast."""
    out = []
    for imp in IMPROVEMENTS:
        threshold = origin_value * (1 + desired * imp)
        out.append((imp, np.where(desired > 0, threshold, -np.inf), np.where(desired > 0, np.inf, threshold)))
    return out


def _block(name: str, rows: np.ndarray, origin: int, target: int, actual: np.ndarray, point: np.ndarray,
           lo80: np.ndarray, hi80: np.ndarray, answers: list[tuple[float, np.ndarray, np.ndarray, np.ndarray]],
           chosen: np.ndarray, **extra) -> list[pd.DataFrame]:
    """Rows of one (model, origin, target year): one per series and question."""
    out = []
    for imp, p, lo_b, hi_b in answers:
        a = actual[rows]
        out.append(pd.DataFrame({
            "model": name, "series": rows, "origin": origin, "year": target, "horizon": target - origin,
            "improvement": imp, "actual": a, "point": point[rows], "lower": lo80[rows], "upper": hi80[rows],
            "p_meet": p[rows], "met": (a >= lo_b[rows]) & (a <= hi_b[rows]), "chosen": chosen[rows], **extra}))
    return out


def _fit_answers(fit: TrendFit, target: int, questions) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    point = fit.fitted(float(target))
    lo80, hi80 = fit.quantile(float(target), 0.1), fit.quantile(float(target), 0.9)
    answers = [(imp, fit.prob_between(float(target), lo_b, hi_b), lo_b, hi_b) for imp, lo_b, hi_b in questions]
    return point, lo80, hi80, answers


def method_answers(past: SeriesPanel, target: int, desired: np.ndarray, unit: np.ndarray,
                   questions) -> dict[str, list[tuple[float, np.ndarray, np.ndarray, np.ndarray]]]:
    """p (1 / 0 / 0.5) of every official method for every question, per series."""
    n, first, last, last_value = observed_span(past)
    mask = ~np.isnan(past.values)
    first_idx = np.argmax(mask, axis=1)
    base_value = np.where(n > 0, past.values[np.arange(past.n_series), first_idx], np.nan)
    out: dict[str, list] = {m: [] for m in REFERENCE_METHODS}
    for imp, lo_b, hi_b in questions:
        ps = {m: np.full(past.n_series, 0.5) for m in REFERENCE_METHODS}
        for sign, comparator in ((1.0, Comparator.GE), (-1.0, Comparator.LE)):
            rows = np.flatnonzero(desired == sign)
            for u in np.unique(unit[rows]):
                r = rows[unit[rows] == u]
                lv = last_value[r]
                ts = TargetSeries(
                    comparator=comparator, target_value=np.nan, target_year=int(target), years=past.years,
                    values=past.values[r], lo=lo_b[r], hi=hi_b[r], desired=desired[r], base_year=first[r],
                    base_value=base_value[r], last_year=last[r], last_value=lv,
                    met_now=(lv >= lo_b[r]) & (lv <= hi_b[r]), unit=str(u))
                for m, method in REFERENCE_METHODS.items():
                    with np.errstate(all="ignore"):
                        status = method(ts).status
                    ps[m][r] = [METHOD_P.get(s, 0.5) for s in status]
        for m in REFERENCE_METHODS:
            out[m].append((imp, ps[m], lo_b, hi_b))
    return out


def forecasts(panel, natural, low, high, desired, unit) -> pd.DataFrame:
    """Every (model or method, origin, target year) forecast with its interval and p_meet answers."""
    blocks: list[pd.DataFrame] = []
    years = panel.years
    values = panel.values
    nan = np.full(panel.n_series, np.nan)
    groups = pd.factorize(panel.keys["indicator"])[0]
    kin = kin_codes(natural, unit)
    for origin in years:
        past = panel.up_to(int(origin))
        n_past = (~np.isnan(past.values)).sum(axis=1)
        origin_value = values[:, years == origin][:, 0]
        ok = (n_past >= MIN_TRAIN) & ~np.isnan(origin_value)
        if not ok.any():
            continue
        fits = {m: fit_model(past, m, natural, high, low) for m in MODELS}
        auto = select_models(past, natural, high, low).fit
        fits["auto"], pooled, noise_only = engine_fit(past, auto, natural, high, low, groups, kin)
        fits["auto (no pooling)"] = auto
        fits["auto (uncalibrated)"], *_ = engine_fit(
            past, select_models(past, natural, high, low, calibrate=False).fit, natural, high, low, groups, kin)
        kind = np.where(n_past >= config.BACKTEST_MIN_POINTS, "backtested",
                        np.where(noise_only, "noise borrowed", np.where(pooled, "pooled", "neither")))
        questions = _questions(origin_value, desired)
        for target in years[(years > origin) & (years <= origin + HORIZON)]:
            actual = values[:, years == target][:, 0]
            rows = np.flatnonzero(ok & ~np.isnan(actual))
            if not len(rows):
                continue
            for name, fit in fits.items():
                point, lo80, hi80, answers = _fit_answers(fit, int(target), questions)
                blocks += _block(name, rows, int(origin), int(target), actual, point, lo80, hi80, answers,
                                 fit.model, scale=natural[rows], length=n_past[rows], kind=kind[rows])
            escap_point, _ = escap_projection(years, past.values, float(target))
            answers = [(imp, ((escap_point >= lo_b) & (escap_point <= hi_b)).astype(float), lo_b, hi_b)
                       for imp, lo_b, hi_b in questions]
            blocks += _block("ESCAP point projection", rows, int(origin), int(target), actual, escap_point, nan,
                             nan, answers, np.full(panel.n_series, "escap"))
            for m, answers in method_answers(past, int(target), desired, unit, questions).items():
                blocks += _block(f"method: {m}", rows, int(origin), int(target), actual, nan, nan, nan, answers,
                                 np.full(panel.n_series, m))
    return pd.concat(blocks, ignore_index=True)


def engine_fit(past: SeriesPanel, chosen: TrendFit, natural, high, low, groups: np.ndarray, kin: np.ndarray
               ) -> tuple[TrendFit, np.ndarray, np.ndarray]:
    """What ``assess`` gives every series at the origin: its chosen model, or for a series with
    fewer than ``POOL_BELOW`` values the trend pooled with every series of its indicator and of
    its family (all with data up to the origin only), when they give a prior, else its chosen
    model with the noise and wander of the other indicators of its kin; which borrowed, and
    which from its kin only."""
    pooled = pooled_trend(past, natural, high, low, groups, families=scale_families(natural))
    use = pooled.has_prior & (chosen.n < config.POOL_BELOW)
    fit = choose([chosen, pooled.fit], use.astype(int))
    asks = (fit.n >= config.MIN_POINTS) & (fit.n < config.POOL_BELOW) & ~use
    fit, kin_used = kin_noise(fit, asks, past, natural, high, low, groups, kin, np.arange(past.n_series))
    return fit, use | kin_used, kin_used


def cut_to_last(past: SeriesPanel, length: int) -> SeriesPanel:
    """Every series with only its last ``length`` values (those with fewer lose them all)."""
    mask = ~np.isnan(past.values)
    from_end = np.cumsum(mask[:, ::-1], axis=1)[:, ::-1]
    keep = mask & (from_end <= length) & (mask.sum(axis=1) >= length)[:, None]
    return SeriesPanel(past.keys, past.years, np.where(keep, past.values, np.nan))


def pooled_short(past: SeriesPanel, cut: SeriesPanel, natural, high, low, groups: np.ndarray, unpooled: TrendFit,
                 kin: np.ndarray) -> tuple[TrendFit, np.ndarray, np.ndarray]:
    """The engine's fit of every cut series: pooled with the full history (up to the origin) of
    every other series — siblings of its indicator and the indicators of its family — when they
    give a prior, else ``unpooled``. A cut series never sees its own values before the cut."""
    k = past.n_series
    i_idx, j_idx = np.nonzero(~np.eye(k, dtype=bool))
    rows = np.concatenate([np.arange(k), j_idx])  # each cut series, then every other series
    owner = np.concatenate([np.arange(k), i_idx])
    values = np.vstack([cut.values, past.values[j_idx]])
    stacked = SeriesPanel(pd.DataFrame({"k": range(len(rows))}), past.years, values)
    n_groups = int(groups.max()) + 1
    fam = scale_families(natural)
    stacked_groups = owner * n_groups + groups[rows]
    stacked_fam = np.where(fam[rows] >= 0, owner * len(RELATIVE_SCALES) + fam[rows], -1)
    n_kin = int(kin.max()) + 1
    stacked_kin = np.where(kin[rows] >= 0, owner * n_kin + kin[rows], -1)
    pooled = pooled_trend(stacked, natural[rows], high[rows], low[rows], stacked_groups, families=stacked_fam)
    use = pooled.has_prior[:k] & (pooled.fit.n[:k] < config.POOL_BELOW)
    fit = choose([unpooled, take(pooled.fit, np.arange(k))], use.astype(int))
    asks = (fit.n >= config.MIN_POINTS) & (fit.n < config.POOL_BELOW) & ~use
    fit, kin_used = kin_noise(fit, asks, stacked, natural[rows], high[rows], low[rows], stacked_groups, stacked_kin,
                              np.arange(k))
    return fit, use | kin_used, kin_used


def short_forecasts(panel, natural, low, high, desired, unit) -> pd.DataFrame:
    """The short-series backtest: series cut to 3–5 values, pooled and unpooled, and the methods."""
    blocks: list[pd.DataFrame] = []
    years, values = panel.years, panel.values
    groups = pd.factorize(panel.keys["indicator"])[0]
    kin = kin_codes(natural, unit)
    nan = np.full(panel.n_series, np.nan)
    for origin in years:
        past = panel.up_to(int(origin))
        origin_value = values[:, years == origin][:, 0]
        questions = _questions(origin_value, desired)
        for length in SHORT_LENGTHS:
            cut = cut_to_last(past, length)
            ok = ((~np.isnan(cut.values)).sum(axis=1) == length) & ~np.isnan(origin_value)
            if not ok.any():
                continue
            unpooled = select_models(cut, natural, high, low).fit
            pooled, use, noise_only = pooled_short(past, cut, natural, high, low, groups, unpooled, kin)
            for target in years[(years > origin) & (years <= origin + HORIZON)]:
                actual = values[:, years == target][:, 0]
                rows = np.flatnonzero(ok & ~np.isnan(actual))
                if not len(rows):
                    continue
                for name, fit in (("unpooled", unpooled), ("pooled", pooled)):
                    point, lo80, hi80, answers = _fit_answers(fit, int(target), questions)
                    pit = fit.prob_between(float(target), np.full(panel.n_series, -np.inf), actual)
                    blocks += _block(name, rows, int(origin), int(target), actual, point, lo80, hi80, answers,
                                     fit.model, length=length, borrowed=use[rows], noise_only=noise_only[rows],
                                     pit=pit[rows])
                for m, answers in method_answers(cut, int(target), desired, unit, questions).items():
                    blocks += _block(f"method: {m}", rows, int(origin), int(target), actual, nan, nan, nan,
                                     answers, np.full(panel.n_series, m), length=length, borrowed=use[rows],
                                     noise_only=noise_only[rows])
    return pd.concat(blocks, ignore_index=True)


def _coverage(frame: pd.DataFrame) -> pd.Series:
    inside = (frame["actual"] >= frame["lower"]) & (frame["actual"] <= frame["upper"])
    return inside.where(frame["lower"].notna())


def summary(fc: pd.DataFrame) -> pd.DataFrame:
    """Accuracy table per model (point and interval measures on the improvement-0 rows)."""
    point = fc[fc["improvement"] == 0]
    err = (point["point"] - point["actual"]).abs()
    table = pd.DataFrame({
        "forecasts": point.groupby("model").size(),
        "MAE": err.groupby(point["model"]).mean(),
        "MAPE %": (100 * err / point["actual"].abs()).groupby(point["model"]).mean(),
        "80% coverage": _coverage(point).groupby(point["model"]).mean(),
        "Brier": ((fc["p_meet"] - fc["met"]) ** 2).groupby(fc["model"]).mean(),
        "met/not-met accuracy": ((fc["p_meet"] >= 0.5) == fc["met"]).groupby(fc["model"]).mean(),
    })
    order = list(MODELS) + ["auto", "auto (no pooling)", "auto (uncalibrated)", "ESCAP point projection"]
    order += sorted(m for m in table.index if m.startswith("method: "))
    return table.reindex([m for m in order if m in table.index])


def coverage_by_horizon(fc: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    """80 % interval coverage per model and horizon (improvement-0 rows)."""
    point = fc[(fc["improvement"] == 0) & fc["model"].isin(models)]
    return point.assign(inside=_coverage(point)).pivot_table(index="model", columns="horizon", values="inside",
                                                             aggfunc="mean")


def coverage_breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    """80 % coverage (and forecasts) by horizon, per conventional scale and per length at the origin."""
    point = frame[frame["improvement"] == 0]
    point = point.assign(inside=_coverage(point),
                         values=pd.cut(point["length"], [0, config.POOL_BELOW - 1, 9, np.inf],
                                       labels=[f"< {config.POOL_BELOW}", f"{config.POOL_BELOW}–9", "≥ 10"]))
    parts = []
    for by in ("scale", "values"):
        t = point.pivot_table(index=by, columns="horizon", values="inside", aggfunc=["mean", "size"], observed=True)
        t.index = [f"{by}: {i}" for i in t.index]
        parts.append(t)
    return pd.concat(parts)


def coverage_by_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """80 % coverage (and forecasts) by horizon per kind of forecast: series backtested (and
    calibrated) on their own, short series pooled, and short series that can do neither."""
    point = frame[frame["improvement"] == 0]
    point = point.assign(inside=_coverage(point))
    return point.pivot_table(index="kind", columns="horizon", values="inside", aggfunc=["mean", "size"])


def misses(frame: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Forecasts ``horizon`` years ahead outside their 80 % interval, by kind and side (the
    actual value below the interval or above it)."""
    point = frame[(frame["improvement"] == 0) & (frame["horizon"] == horizon)]
    side = np.where(point["actual"] < point["lower"], "below",
                    np.where(point["actual"] > point["upper"], "above", "inside"))
    return pd.crosstab(point["kind"], pd.Series(side, index=point.index, name="side"), margins=True)


def reliability(short: pd.DataFrame) -> pd.DataFrame:
    """Share of short-series questions met per p_meet band, pooled and unpooled."""
    pair = short[short["model"].isin(["pooled", "unpooled"])]
    band = pd.cut(pair["p_meet"], [-0.01, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0])
    return pair.groupby([pair["model"], band], observed=True).agg(
        questions=("met", "size"), mean_p=("p_meet", "mean"), met=("met", "mean")).unstack(0)


def central_coverage(short: pd.DataFrame, levels: tuple[float, ...] = (0.5, 0.8, 0.95)) -> pd.DataFrame:
    """Share of the short series' forecasts that borrowed inside the central interval of each
    level, from the probability integral transform of the actual value, pooled and unpooled
    (a predictive distribution too wide overall covers more than the level at every level)."""
    point = short[(short["improvement"] == 0) & short["borrowed"] & short["model"].isin(["pooled", "unpooled"])]
    return pd.DataFrame({f"{level:.0%}": (((point["pit"] - 0.5).abs() < level / 2)
                                          .groupby(point["model"]).mean()) for level in levels}).assign(
        mean_pit=point.groupby("model")["pit"].mean())


def series_bootstrap(frame: pd.DataFrame, value: str, by: str, reps: int = BOOT_REPS, seed: int = 0
                     ) -> pd.DataFrame:
    """90 % interval of the mean of ``value`` per ``by`` when whole series are resampled.

    The forecasts of one series share its history (origins overlap, horizons follow one path),
    so they are not independent: the interval resamples the series with replacement (a cluster
    bootstrap), each bringing all its forecasts.
    """
    series = pd.factorize(frame["series"])[0]
    keys, cols = pd.factorize(frame[by], sort=True)
    n_series = series.max() + 1
    total = np.zeros((n_series, len(cols)))
    count = np.zeros((n_series, len(cols)))
    np.add.at(total, (series, keys), frame[value].to_numpy(dtype=float))
    np.add.at(count, (series, keys), 1.0)
    weights = np.random.default_rng(seed).multinomial(n_series, np.full(n_series, 1 / n_series), size=reps)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (weights @ total) / (weights @ count)
    return pd.DataFrame({"low": np.nanpercentile(means, 5, axis=0), "high": np.nanpercentile(means, 95, axis=0)},
                        index=cols)


def brier_gain_interval(short: pd.DataFrame, reps: int = BOOT_REPS, seed: int = 0) -> tuple[float, float]:
    """90 % interval of 1 − Brier(pooled)/Brier(unpooled) over resamples of whole series."""
    pair = short[short["model"].isin(["pooled", "unpooled"])]
    sq = ((pair["p_meet"] - pair["met"]) ** 2).to_numpy()
    series = pd.factorize(pair["series"])[0]
    pooled = (pair["model"] == "pooled").to_numpy()
    n_series = series.max() + 1
    sums = np.zeros((n_series, 2))
    np.add.at(sums, (series, pooled.astype(int)), sq)
    weights = np.random.default_rng(seed).multinomial(n_series, np.full(n_series, 1 / n_series), size=reps)
    totals = weights @ sums  # (reps × [unpooled, pooled]); both answer the same questions
    gain = 1 - totals[:, 1] / totals[:, 0]
    return float(np.percentile(gain, 5)), float(np.percentile(gain, 95))


def borrowing_table(short: pd.DataFrame) -> pd.DataFrame:
    """Brier score (mean and sum) and questions of the pooled and unpooled short series, by what
    the series borrowed: a slope prior, only the noise and wander of its kin, or nothing (a series
    that cannot borrow is the same pooled or not)."""
    sq = (short["p_meet"] - short["met"]) ** 2
    how = pd.Series(np.where(~short["borrowed"], "cannot borrow",
                             np.where(short["noise_only"], "noise and wander of its kin", "slope prior")),
                    index=short.index, name="how")
    table = sq.groupby([how, short["model"]]).agg(["mean", "sum", "size"]).unstack().astype(float)
    if "cannot borrow" in table.index:
        share = table.loc["cannot borrow"] / table.sum()
        table.loc["share that cannot borrow"] = share.where(share.index.get_level_values(0) != "mean")
    return table


def aims(fc: pd.DataFrame, short: pd.DataFrame) -> pd.DataFrame:
    """Brier, accuracy, 80 % coverage: all series (auto) and short series (pooled vs unpooled),
    with the official methods on the same questions."""
    rows = {}
    for label, frame, models in (("all series", fc, ["auto"]), ("short series", short, ["pooled", "unpooled"])):
        for m in models + sorted(x for x in frame["model"].unique() if x.startswith("method: ")):
            f = frame[frame["model"] == m]
            p0 = f[f["improvement"] == 0]
            rows[(label, m.removeprefix("method: "))] = {
                "questions": len(f), "Brier": float(((f["p_meet"] - f["met"]) ** 2).mean()),
                "accuracy": float(((f["p_meet"] >= 0.5) == f["met"]).mean()),
                "80% coverage": float(_coverage(p0).mean()) if p0["lower"].notna().any() else np.nan,
                "cannot judge": float((f["p_meet"] == 0.5).mean()),
            }
    table = pd.DataFrame(rows).T
    table["questions"] = table["questions"].astype(int)
    return table


def main() -> None:
    panel, natural, low, high, desired, unit = national_panel()
    print(f"{panel.n_series} national series with ≥ {MIN_POINTS} values:")
    for key, n in zip(panel.keys.itertuples(index=False), (~np.isnan(panel.values)).sum(axis=1), strict=True):
        print(f"  {key.region} {key.indicator} ({key.area}): {n} values")
    fc = forecasts(panel, natural, low, high, desired, unit)
    table = summary(fc)
    pd.set_option("display.width", 160)
    fmt = lambda x: f"{x:.3f}"  # noqa: E731
    print()
    print(table.to_string(float_format=fmt))
    by_h = fc[(fc["improvement"] == 0) & fc["model"].isin(["auto", "persistence", "ESCAP point projection"])]
    by_h = by_h.assign(ape=100 * (by_h["point"] - by_h["actual"]).abs() / by_h["actual"].abs())
    print()
    print("MAPE % by horizon (years ahead):")
    print(by_h.pivot_table(index="model", columns="horizon", values="ape", aggfunc="mean")
          .to_string(float_format=lambda x: f"{x:.2f}"))
    chosen = fc[(fc["model"] == "auto") & (fc["improvement"] == 0)]["chosen"].value_counts()
    print()
    print("models chosen by auto (per forecast):", chosen.to_dict())
    best_single = table.loc[list(MODELS), "MAE"].idxmin()
    print(f"best single family by MAE: {best_single} ({table.loc[best_single, 'MAE']:.3f}); "
          f"auto: {table.loc['auto', 'MAE']:.3f}; auto 80 % coverage: {table.loc['auto', '80% coverage']:.1%}")

    short = short_forecasts(panel, natural, low, high, desired, unit)
    print()
    print("80 % coverage by horizon (years ahead); short = series cut to 3–5 values:")
    cov = pd.concat([coverage_by_horizon(fc, ["auto", "auto (no pooling)", "auto (uncalibrated)"]),
                     coverage_by_horizon(short, ["pooled", "unpooled"]).rename(index=lambda m: f"short, {m}")])
    counts = fc[(fc["improvement"] == 0) & (fc["model"] == "auto")].groupby("horizon").size()
    print(cov.to_string(float_format=fmt))
    print("forecasts per horizon (all series):", counts.to_dict())
    print("90 % intervals when whole series are resampled (a series' forecasts are not independent):")
    spans = {}
    for label, frame, m in (("auto", fc, "auto"), ("short, pooled", short, "pooled")):
        p0 = frame[(frame["improvement"] == 0) & (frame["model"] == m)]
        boot = series_bootstrap(p0.assign(inside=_coverage(p0).astype(float)), "inside", "horizon")
        spans[label] = {h: f"{r.low:.2f}–{r.high:.2f}" for h, r in boot.iterrows()}
    print(pd.DataFrame(spans).T.to_string())
    print()
    print("auto, 80 % coverage by horizon per conventional scale and per number of values at the origin "
          "(fewer than POOL_BELOW: pooled where a prior exists):")
    print(coverage_breakdown(fc[fc["model"] == "auto"]).to_string(float_format=fmt))
    print("auto, 80 % coverage by horizon per kind (backtested: ≥ BACKTEST_MIN_POINTS values, calibrated on "
          "their own backtest; pooled; noise borrowed: 4–5 values with their kin's noise and wander; neither: "
          "4–5 values that cannot borrow, uncalibrated):")
    print(coverage_by_kind(fc[fc["model"] == "auto"]).to_string(float_format=fmt))
    print("auto, three years ahead: forecasts per kind, inside or on which side of the 80 % interval:")
    print(misses(fc[fc["model"] == "auto"], 3).to_string())
    s0 = short[(short["improvement"] == 0) & (short["model"] == "pooled")]
    print(f"short-series forecasts: {len(s0)}, of which {int(s0['borrowed'].sum())} borrowed: "
          f"{int((s0['borrowed'] & ~s0['noise_only']).sum())} a slope prior from siblings or the indicator's "
          f"family, {int(s0['noise_only'].sum())} only the noise and wander of the other indicators of their kin "
          f"(the others are the same pooled or not)")
    table = aims(fc, short)
    print()
    print("Aims table (questions: at least as good as at the origin, 5 % and 10 % better):")
    print(table.to_string(float_format=fmt))
    b_all = table.loc[("all series", "auto"), "Brier"]
    b_pool, b_unpool = table.loc[("short series", "pooled"), "Brier"], table.loc[("short series", "unpooled"), "Brier"]
    borrowed = short[short["borrowed"] & short["model"].isin(["pooled", "unpooled"])]
    bb = ((borrowed["p_meet"] - borrowed["met"]) ** 2).groupby(borrowed["model"]).mean()
    print(f"Brier all series {b_all:.3f} (aim ≤ 0.06); short series pooled {b_pool:.3f} vs unpooled {b_unpool:.3f} "
          f"({100 * (1 - b_pool / b_unpool):.0f} % lower; aim ≥ 30 %); on the forecasts that borrowed: pooled "
          f"{bb.get('pooled', np.nan):.3f} vs unpooled {bb.get('unpooled', np.nan):.3f}")
    by_length = short[short["model"].isin(["pooled", "unpooled"])]
    print("short-series Brier by length (values):")
    print(((by_length["p_meet"] - by_length["met"]) ** 2).groupby([by_length["length"], by_length["model"]]).mean()
          .unstack().to_string(float_format=fmt))
    print("short-series Brier by whether the series borrowed (sum: its share of the Brier score):")
    print(borrowing_table(by_length).to_string(float_format=fmt))
    print("short series that borrowed: share inside the central 50 / 80 / 95 % predictive interval, and the "
          "mean probability integral transform (0.5 when unbiased):")
    print(central_coverage(short).to_string(float_format=fmt))
    print("short-series questions met per p_meet band (mean p_meet, share met):")
    print(reliability(short).to_string(float_format=fmt))
    low, high = brier_gain_interval(short)
    print(f"short-series Brier gain of pooling, 90 % interval resampling whole series: {100 * low:.0f} % to "
          f"{100 * high:.0f} %")


if __name__ == "__main__":
    main()
