"""The built-in model families, registered by name, and the fitters that look them up.

| family | kind | scale | eligible when |
|---|---|---|---|
| ``linear`` | OLS | identity | always |
| ``loglinear`` | OLS | log | lower bound ≥ 0 |
| ``logit`` | OLS | logit | both bounds finite |
| ``damped`` | ETS(A,Ad,N) | natural | always |
| ``escap`` | time-weighted LS | identity | always |
| ``persistence`` | random walk | natural | always |
"""

from __future__ import annotations

import numpy as np

from childplan_analysis.models.expanding import (
    ExpandingContext,
    expanding_damped,
    expanding_persistence,
    expanding_regression,
)
from childplan_analysis.models.fit import (
    TrendFit,
    _broadcast,
    fit_damped,
    fit_persistence,
    fit_regression,
)
from childplan_analysis.models.panel import SeriesPanel
from childplan_analysis.models.registry import ModelFamily, get_family, model_names, register
from childplan_analysis.models.scales import default_lower


def _non_negative(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    return np.isfinite(lower) & (lower >= 0)


def _bounded(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    return np.isfinite(lower) & np.isfinite(upper) & (upper > lower)


def _regression(name: str, scale: str, description: str, *, eligible=None, time_weighted: bool = False,
                likelihood: bool = False) -> ModelFamily:
    def fit(panel: SeriesPanel, natural_scale, upper, lower) -> TrendFit:
        k = panel.n_series
        lower = _broadcast(panel, lower)
        if scale == "logit":
            lower = np.where(np.isnan(lower), 0.0, lower)
        return fit_regression(panel, np.full(k, name), np.full(k, scale), upper, lower, np.full(k, time_weighted))

    def expanding(ctx: ExpandingContext, ok: np.ndarray) -> object:
        # a series the family is not eligible for is fitted on the identity scale (and not scored)
        return expanding_regression(ctx, np.where(ok, scale, "linear"), time_weighted)

    extra = {"eligible": eligible} if eligible is not None else {}
    return ModelFamily(name=name, description=description, fit=fit, expanding=expanding, scale=scale,
                       time_weighted=time_weighted, likelihood=likelihood, **extra)


register(_regression("linear", "linear", "OLS on the original scale", likelihood=True))
register(_regression("loglinear", "loglinear", "OLS on the log scale (constant annual rate)",
                     eligible=_non_negative, likelihood=True))
register(_regression("logit", "logit", "OLS on the logit scale between the natural bounds",
                     eligible=_bounded, likelihood=True))
register(ModelFamily(
    name="damped", description="additive damped trend ETS(A,Ad,N) on the natural scale",
    fit=lambda panel, natural, upper, lower: fit_damped(panel, natural, upper, lower),
    expanding=lambda ctx, ok: expanding_damped(ctx)))
register(_regression("escap", "linear", "ESCAP time-weighted least squares", time_weighted=True))
register(ModelFamily(
    name="persistence", description="last value carried forward (random walk) on the natural scale",
    fit=lambda panel, natural, upper, lower: fit_persistence(panel, natural, upper, lower),
    expanding=lambda ctx, ok: expanding_persistence(ctx)))

#: Names of the registered families (the built-ins, in the order model choice scores them).
MODELS = model_names()
#: The OLS families (those that compete in the likelihood choice).
FAMILIES = tuple(f for f in MODELS if get_family(f).likelihood)


def fit_model(panel: SeriesPanel, model: str, natural_scale: np.ndarray | str, upper=np.nan,
              lower=np.nan) -> TrendFit:
    """Fit one registered family to every series."""
    natural = _broadcast(panel, natural_scale, dtype=object).astype(str)
    return get_family(model).fit(panel, natural, upper, lower)


def fit_trend(
    panel: SeriesPanel,
    family: np.ndarray | str,
    upper: np.ndarray | float = np.nan,
    lower: np.ndarray | float | None = None,
) -> TrendFit:
    """Fit a regression family (one name for all series, or one per series) to every series.

    ``upper`` / ``lower`` are natural bounds (NaN: none); the logit scale maps ``lower``
    (default 0) … ``upper`` onto the real line.
    """
    names = _broadcast(panel, family, dtype=object).astype(str)
    uniq, inv = np.unique(names, return_inverse=True)
    specs = [get_family(n) for n in uniq]
    bad = [f.name for f in specs if not f.is_regression]
    if bad:
        raise ValueError(f"fit_trend fits regression families only, not {bad}; use fit_model")
    scale = np.array([f.scale for f in specs] or ["linear"])[inv.reshape(-1)]
    weighted = np.array([f.time_weighted for f in specs] or [False])[inv.reshape(-1)]
    if lower is None:
        lower = default_lower(scale)
    return fit_regression(panel, names, scale, upper, lower, weighted)
