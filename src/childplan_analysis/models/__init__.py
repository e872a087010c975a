"""Trend models for short annual indicator series, fitted to many series at once.

Series are packed into a (series × years) array (:func:`pack_series`); every registered model
family (:mod:`.registry`, built-ins in :mod:`.families`) is fitted for all series in one vectorised pass and gives a predictive distribution that respects natural
bounds. :func:`select_models` chooses a model per series by rolling-origin backtest.
:func:`forecast_path` is the one-series convenience used by figures. See ``docs/methodology.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from childplan_analysis.models.families import FAMILIES, MODELS, fit_model, fit_trend
from childplan_analysis.models.fit import (
    TrendFit,
    choose,
    fit_damped,
    fit_persistence,
    scatter,
    take,
)
from childplan_analysis.models.panel import SeriesPanel, observed_span, pack_codes, pack_series
from childplan_analysis.models.registry import (
    ModelFamily,
    families,
    get_family,
    model_names,
    register,
)
from childplan_analysis.models.scales import (
    default_family,
    eligible_scales,
    indicator_scales,
    inverse_transform,
    transform,
)
from childplan_analysis.models.select import Selection, backtest_table, select_models

__all__ = [
    "FAMILIES",
    "MODELS",
    "ModelFamily",
    "Selection",
    "SeriesPanel",
    "TrendFit",
    "backtest_table",
    "choose",
    "default_family",
    "indicator_scales",
    "eligible_scales",
    "families",
    "fit_damped",
    "fit_model",
    "fit_persistence",
    "fit_trend",
    "forecast_path",
    "get_family",
    "inverse_transform",
    "model_names",
    "observed_span",
    "pack_codes",
    "pack_series",
    "register",
    "scatter",
    "select_models",
    "take",
    "transform",
]


def forecast_path(
    years: np.ndarray,
    values: np.ndarray,
    until: int,
    *,
    model: str = "auto",
    natural_scale: str = "linear",
    bounds: tuple[float | None, float | None] = (None, None),
    level: float = 0.8,
) -> pd.DataFrame:
    """Fitted and projected path of one series with its prediction band.

    Returns ``year, fitted, lower, upper, observed`` from the first observed year to ``until``;
    ``lower``/``upper`` are NaN for observed years. ``model`` is a name from :data:`MODELS` or
    ``auto`` (chosen as :func:`select_models` does); the chosen model is in ``frame.attrs["model"]``.
    """
    years = np.asarray(years, dtype=int)
    values = np.asarray(values, dtype=float)
    order = np.argsort(years)
    years, values = years[order], values[order]
    # every year from the first to the last, as in a panel of many series: a year without a value
    # is a gap in the series (the backtest's origins are the series' own years either way)
    span = np.arange(int(years.min()), int(years.max()) + 1)
    row = pd.Series(values, index=years).groupby(level=0).last().reindex(span).to_numpy()
    panel = SeriesPanel(pd.DataFrame({"k": [0]}), span, row[None, :])
    low = np.nan if bounds[0] is None else float(bounds[0])
    high = np.nan if bounds[1] is None else float(bounds[1])
    if model == "auto":
        fit = select_models(panel, np.array([natural_scale]), np.array([high]), np.array([low])).fit
    else:
        fit = fit_model(panel, model, natural_scale, high, low)
    last = int(years.max())
    grid = np.arange(int(years.min()), max(until, last) + 1)
    fitted = np.where(grid < last, fit.trend_value(grid[None, :].astype(float))[0],
                      fit.fitted(grid[None, :].astype(float))[0])
    lo = fit.quantile(grid[None, :].astype(float), (1 - level) / 2)[0]
    hi = fit.quantile(grid[None, :].astype(float), (1 + level) / 2)[0]
    future = grid > last
    observed = pd.Series(values, index=years).reindex(grid).to_numpy()
    frame = pd.DataFrame({"year": grid, "fitted": fitted, "lower": np.where(future, lo, np.nan),
                          "upper": np.where(future, hi, np.nan), "observed": observed})
    frame.attrs["model"] = str(fit.model[0])
    return frame
