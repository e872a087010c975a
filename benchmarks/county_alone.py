"""A county assessed alone: every series two to four years long, nothing else in the call.

A county whose monitoring began with its plan sends two or three years of every indicator and
is assessed alone: no sibling region, no long series of its indicators. This backtest makes
such calls from the real series of ``data/national`` (the national totals, the urban and rural
series, and the provinces' and cities' series bundled there): at every origin t, for one
"region" at a time (a region with one breakdown: 全国 total, 全国 rural, 北京市 …) and a length
L = 2, 3 or 4, the call holds only that region's values in the years t − L + 1 … t, every
indicator cut to the same years. Each series with at least two values in the call and a value
at the origin is forecast 1–7 years ahead by the engine's path (model choice, then the trend
pooled within the call for series shorter than ``POOL_BELOW``), and scored on the questions of
``benchmarks/backtest.py`` (at least as good as at the origin, 5 % and 10 % better): 80 %
coverage by horizon, Brier score, accuracy, and the share of the confident answers (p_meet
outside [0.02, 0.98]) that were wrong.

Side by side in one run:

- ``before``: the pooling as it was — a short series whose call holds no window adds no slope
  wander, and DerSimonian–Laird's τ² = 0 is taken as it is;
- ``reference, DL τ²``: the national reference (``models/reference.py``, every value after the
  origin hidden) lends the wander; τ² as before;
- ``after``: the reference, and τ² = 0 replaced by the boundary-avoiding estimate
  (``pooling.nonzero_tau2``) — what ``assess`` does;
- ``after, region left out``: the same without the pseudo-county's own series in the reference
  (a real county's own history is never in the national data).

    .venv/bin/python benchmarks/county_alone.py
"""

from __future__ import annotations

from contextlib import nullcontext
from unittest import mock

import numpy as np
import pandas as pd
from backtest import KEYS, _block, _coverage, _fit_answers, _questions, series_bootstrap

from childplan_analysis.core import config
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import (
    SeriesPanel,
    choose,
    indicator_scales,
    pack_series,
    pooling,
    select_models,
)
from childplan_analysis.models.kin import kin_noise
from childplan_analysis.models.pooling import kin_codes, pooled_trend, scale_families
from childplan_analysis.models.reference import WanderReference, build_reference

LENGTHS = (2, 3, 4)
HORIZON = 7
#: p_meet this close to 0 or 1 is a confident answer.
CONFIDENT = 0.02
REGION_KEYS = [k for k in KEYS if k != "indicator"]


def all_series() -> tuple[pd.DataFrame, SeriesPanel, dict[str, np.ndarray]]:
    """Every national series (any length), its region label and its indicator's scale and bounds."""
    obs = load_observations(config.NATIONAL_DATA_DIR)
    obs = obs.groupby(KEYS + ["year"], as_index=False)["value"].last()
    panel = pack_series(obs, KEYS)
    ind = load_indicators()
    info = [ind.by_id[i] for i in panel.keys["indicator"]]
    natural, high, low = indicator_scales(info)
    meta = {
        "natural": natural,
        "low": low,
        "high": high,
        "desired": np.array([-1.0 if i.polarity == "lower" else 1.0 for i in info]),
        "region": panel.keys[REGION_KEYS].astype(str).agg(" ".join, axis=1).to_numpy(),
    }
    return obs, panel, meta


def _dl_zero(b, v, use, g, tau2):
    """DerSimonian–Laird's τ² as it is, 0 included (the pooling before :func:`.pooling.nonzero_tau2`)."""
    return tau2


def engine_fit(call: SeriesPanel, natural, high, low, reference: WanderReference | None, dl_zero: bool = False):
    """What ``assess`` gives every series of the call: its chosen model, or for a series with
    fewer than ``POOL_BELOW`` values the trend pooled within the call (``dl_zero``: with
    DerSimonian–Laird's τ² = 0 kept, as before), else the noise and wander of its kin."""
    chosen = select_models(call, natural, high, low).fit
    groups = pd.factorize(call.keys["indicator"])[0]
    with mock.patch.object(pooling, "nonzero_tau2", _dl_zero) if dl_zero else nullcontext():
        pooled = pooled_trend(call, natural, high, low, groups, families=scale_families(natural),
                              reference=reference, indicator=call.keys["indicator"].to_numpy())
    use = pooled.has_prior & (chosen.n < config.POOL_BELOW)
    fit = choose([chosen, pooled.fit], use.astype(int))
    # a short series that pools no slope takes the noise and wander of its kin (as ``assess``)
    ind = load_indicators()
    unit = np.array([ind.by_id[i].unit for i in call.keys["indicator"]], dtype=object)
    asks = (fit.n >= config.MIN_POINTS) & (fit.n < config.POOL_BELOW) & ~use
    fit, _ = kin_noise(fit, asks, call, natural, high, low, groups, kin_codes(natural, unit),
                       np.arange(call.n_series), reference=reference, indicator=call.keys["indicator"].to_numpy())
    return fit, use, pooled.prior_sd == 0


def forecasts(obs: pd.DataFrame, panel: SeriesPanel, meta: dict[str, np.ndarray]) -> pd.DataFrame:
    """Every (variant, region, origin, length, target year) forecast with its p_meet answers."""
    years, values = panel.years, panel.values
    full = build_reference(obs)
    blocks: list[pd.DataFrame] = []
    for region in np.unique(meta["region"]):
        members = np.flatnonzero(meta["region"] == region)
        left_out = build_reference(obs[obs[REGION_KEYS].astype(str).agg(" ".join, axis=1) != region])
        for origin in years:
            for length in LENGTHS:
                in_call = (years > origin - length) & (years <= origin)
                call_values = np.where(in_call[None, :], values[members], np.nan)
                n = (~np.isnan(call_values)).sum(axis=1)
                keep = n >= 1
                origin_value = values[members][:, years == origin][:, 0]
                scored = (n >= 2) & ~np.isnan(origin_value)
                if not scored[keep].any():
                    continue
                rows = members[keep]
                call = SeriesPanel(panel.keys.iloc[rows].reset_index(drop=True), years, call_values[keep])
                nat, high, low = meta["natural"][rows], meta["high"][rows], meta["low"][rows]
                questions = _questions(origin_value[keep], meta["desired"][rows])
                fits = {name: engine_fit(call, nat, high, low, ref, dl_zero)
                        for name, ref, dl_zero in (("before", None, True), ("reference, DL τ²", full, True),
                                                   ("after", full, False),
                                                   ("after, region left out", left_out, False))}
                dl_tau_zero = fits["before"][2]
                for target in years[(years > origin) & (years <= origin + HORIZON)]:
                    actual = values[rows][:, years == target][:, 0]
                    local = np.flatnonzero(scored[keep] & ~np.isnan(actual))
                    if not len(local):
                        continue
                    for name, (fit, pooled, _) in fits.items():
                        point, lo80, hi80, answers = _fit_answers(fit, int(target), questions)
                        for frame in _block(name, local, int(origin), int(target), actual, point, lo80, hi80,
                                            answers, fit.model, values=n[keep][local], length=length,
                                            pooled=pooled[local], tau_zero=dl_tau_zero[local], region=region):
                            blocks.append(frame.assign(series=rows[frame["series"].to_numpy()]))
    return pd.concat(blocks, ignore_index=True)


def scores(fc: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Brier, accuracy, confident answers and how many of them were wrong, 80 % coverage."""
    sq = (fc["p_meet"] - fc["met"]) ** 2
    confident = (fc["p_meet"] < CONFIDENT) | (fc["p_meet"] > 1 - CONFIDENT)
    wrong = confident & ((fc["p_meet"] >= 0.5) != fc["met"])
    p0 = fc[fc["improvement"] == 0]
    table = pd.DataFrame({
        "questions": fc.groupby(by).size(),
        "Brier": sq.groupby([fc[b] for b in by]).mean(),
        "accuracy": ((fc["p_meet"] >= 0.5) == fc["met"]).groupby([fc[b] for b in by]).mean(),
        "confident": confident.groupby([fc[b] for b in by]).mean(),
        "confident wrong": wrong.groupby([fc[b] for b in by]).sum() / confident.groupby([fc[b] for b in by]).sum(),
        "80% coverage": _coverage(p0).groupby([p0[b] for b in by]).mean(),
    })
    return table


def main() -> None:
    obs, panel, meta = all_series()
    fc = forecasts(obs, panel, meta)
    pd.set_option("display.width", 180)
    fmt = lambda x: f"{x:.3f}"  # noqa: E731
    pooled = fc[fc["pooled"]]
    print(f"{fc['region'].nunique()} pseudo-counties, {len(fc[(fc['model'] == 'before') & (fc['improvement'] == 0)])}"
          f" forecasts 1–{HORIZON} years ahead ({len(pooled[(pooled['model'] == 'before') & (pooled['improvement'] == 0)])}"
          f" pooled), {len(fc[fc['model'] == 'before'])} questions per variant")
    print()
    print("80 % coverage by horizon (years ahead), pooled series:")
    p0 = pooled[pooled["improvement"] == 0]
    print(p0.assign(inside=_coverage(p0)).pivot_table(index="model", columns="horizon", values="inside",
                                                      aggfunc="mean").to_string(float_format=fmt))
    print("forecasts per horizon:", p0[p0["model"] == "before"].groupby("horizon").size().to_dict())
    print("90 % intervals when whole series are resampled:")
    spans = {}
    for m in ("before", "reference, DL τ²", "after", "after, region left out"):
        part = p0[p0["model"] == m]
        boot = series_bootstrap(part.assign(inside=_coverage(part).astype(float)), "inside", "horizon")
        spans[m] = {h: f"{r.low:.2f}–{r.high:.2f}" for h, r in boot.iterrows()}
    print(pd.DataFrame(spans).T.to_string())
    print()
    print("pooled series, by variant:")
    print(scores(pooled, ["model"]).to_string(float_format=fmt))
    print()
    print("pooled series, by values in the call:")
    print(scores(pooled, ["values", "model"]).to_string(float_format=fmt))
    print()
    print("pooled series, by whether DerSimonian–Laird gives the slope prior's between-series variance τ² = 0:")
    print(scores(pooled, ["tau_zero", "model"]).to_string(float_format=fmt))
    print()
    reported = fc[fc["pooled"] | (fc["values"] >= config.MIN_POINTS)]
    print(f"every series the engine gives a p_meet (pooled, or unpooled with ≥ {config.MIN_POINTS} values: its "
          f"family holds no second series to pool with):")
    print(scores(reported, ["pooled", "model"]).to_string(float_format=fmt))


if __name__ == "__main__":
    main()
