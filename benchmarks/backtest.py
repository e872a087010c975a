"""Forecast accuracy on the real national series: rolling origin, every model family side by side.

For every series in ``data/national`` with at least 5 values (totals and urban/rural series),
every observed year t with at least 4 values up to it is an origin: each model is fitted on the
data up to t only and forecasts every later observed value 1–5 years ahead. Reported per model:

- MAE and MAPE of the point forecast (median);
- coverage of the 80 % prediction interval (calibrated: 70–90 %);
- Brier score and accuracy of ``p_meet`` for "met / not met" questions asked of each forecast:
  will the value be at least as good as at the origin, and 5 % / 10 % better?
  (better = lower for indicators that should fall, higher otherwise);

side by side with the plain ESCAP-style point projection (p = 1 if the projection meets, else 0)
and persistence. ``auto`` is the per-series choice by backtest on data up to the origin;
``auto (uncalibrated)`` the same without interval calibration.

    .venv/bin/python benchmarks/backtest.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.engine.methods import escap_projection
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import (
    MODELS,
    SeriesPanel,
    default_family,
    fit_model,
    pack_series,
    select_models,
)

KEYS = ["region", "indicator", "sex", "area", "age_group", "subregion"]
MIN_POINTS, MIN_TRAIN, HORIZON = 5, 4, 5
IMPROVEMENTS = (0.0, 0.05, 0.10)


def national_panel() -> tuple[SeriesPanel, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Series with enough values, their conventional scales, bounds and desired direction."""
    obs = load_observations(config.NATIONAL_DATA_DIR)
    obs = obs.groupby(KEYS + ["year"], as_index=False)["value"].last()
    counts = obs.groupby(KEYS)["year"].transform("size")
    panel = pack_series(obs[counts >= MIN_POINTS], KEYS)
    ind = load_indicators()
    info = [ind.by_id[i] for i in panel.keys["indicator"]]
    natural = np.array([default_family(i.unit, i.polarity, i.bounds) for i in info])
    low = np.array([np.nan if i.bounds[0] is None else i.bounds[0] for i in info], dtype=float)
    high = np.array([np.nan if i.bounds[1] is None else i.bounds[1] for i in info], dtype=float)
    desired = np.array([-1.0 if i.polarity == "lower" else 1.0 for i in info])
    return panel, natural, low, high, desired


def forecasts(panel, natural, low, high, desired) -> pd.DataFrame:
    """Every (model, origin, target year) forecast with its interval and p_meet answers."""
    rows = []
    years = panel.years
    values = panel.values
    for origin in years:
        past = panel.up_to(int(origin))
        n_past = (~np.isnan(past.values)).sum(axis=1)
        observed_at_origin = ~np.isnan(values[:, years == origin][:, 0])
        ok = (n_past >= MIN_TRAIN) & observed_at_origin
        if not ok.any():
            continue
        fits = {m: fit_model(past, m, natural, high, low) for m in MODELS}
        fits["auto"] = select_models(past, natural, high, low).fit
        fits["auto (uncalibrated)"] = select_models(past, natural, high, low, calibrate=False).fit
        origin_value = values[:, years == origin][:, 0]
        for target in years[(years > origin) & (years <= origin + HORIZON)]:
            actual = values[:, years == target][:, 0]
            use = ok & ~np.isnan(actual)
            if not use.any():
                continue
            escap_point, _ = escap_projection(years, past.values, float(target))
            for name, fit in list(fits.items()) + [("ESCAP point projection", None)]:
                if fit is None:
                    point, lo80, hi80 = escap_point, np.full_like(escap_point, np.nan), np.full_like(escap_point, np.nan)
                else:
                    point = fit.fitted(float(target))
                    lo80, hi80 = fit.quantile(float(target), 0.1), fit.quantile(float(target), 0.9)
                for imp in IMPROVEMENTS:
                    threshold = origin_value * (1 + desired * imp)
                    lo_b = np.where(desired > 0, threshold, -np.inf)
                    hi_b = np.where(desired > 0, np.inf, threshold)
                    if fit is None:
                        p = ((point >= lo_b) & (point <= hi_b)).astype(float)
                    else:
                        p = fit.prob_between(float(target), lo_b, hi_b)
                    met = (actual >= lo_b) & (actual <= hi_b)
                    for i in np.flatnonzero(use):
                        rows.append({"model": name, "series": i, "origin": origin, "year": target,
                                     "horizon": target - origin, "improvement": imp, "actual": actual[i],
                                     "point": point[i], "lower": lo80[i], "upper": hi80[i], "p_meet": p[i],
                                     "met": bool(met[i]), "chosen": fit.model[i] if fit is not None else "escap"})
    return pd.DataFrame(rows)


def summary(fc: pd.DataFrame) -> pd.DataFrame:
    """Accuracy table per model (point and interval measures on the improvement-0 rows)."""
    point = fc[fc["improvement"] == 0]
    err = (point["point"] - point["actual"]).abs()
    table = pd.DataFrame({
        "forecasts": point.groupby("model").size(),
        "MAE": err.groupby(point["model"]).mean(),
        "MAPE %": (100 * err / point["actual"].abs()).groupby(point["model"]).mean(),
        "80% coverage": ((point["actual"] >= point["lower"]) & (point["actual"] <= point["upper"]))
        .where(point["lower"].notna()).groupby(point["model"]).mean(),
        "Brier": ((fc["p_meet"] - fc["met"]) ** 2).groupby(fc["model"]).mean(),
        "met/not-met accuracy": ((fc["p_meet"] >= 0.5) == fc["met"]).groupby(fc["model"]).mean(),
    })
    order = list(MODELS) + ["auto", "auto (uncalibrated)", "ESCAP point projection"]
    return table.reindex([m for m in order if m in table.index])


def main() -> None:
    panel, natural, low, high, desired = national_panel()
    print(f"{panel.n_series} national series with ≥ {MIN_POINTS} values:")
    for key, n in zip(panel.keys.itertuples(index=False), (~np.isnan(panel.values)).sum(axis=1), strict=True):
        print(f"  {key.region} {key.indicator} ({key.area}): {n} values")
    fc = forecasts(panel, natural, low, high, desired)
    table = summary(fc)
    pd.set_option("display.width", 140)
    print()
    print(table.to_string(float_format=lambda x: f"{x:.3f}"))
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


if __name__ == "__main__":
    main()
