"""Plotly figures: fan chart per target, with the target line and the prediction band."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import config
from .indicators import IndicatorDictionary, load_indicators
from .labels import t
from .models import SeriesPanel, default_family, fit_trend
from .targets import LEVEL_COMPARATORS, Target

STATUS_COLOURS = {
    "achieved": "#1a9850",
    "on_track": "#91cf60",
    "acceleration_needed": "#fdae61",
    "regressing": "#d73027",
    "insufficient_data": "#bdbdbd",
}
LEVEL_COLOURS = {"green": "#1a9850", "yellow": "#fee08b", "red": "#d73027"}


def fan_chart(
    series: pd.DataFrame,
    target: Target,
    result: pd.Series | None = None,
    *,
    lang: str = "zh",
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    milestones: list[Target] | None = None,
    indicators: IndicatorDictionary | None = None,
    title: str | None = None,
) -> go.Figure:
    """Observed points, projected trend with its prediction band, and the target.

    ``series`` has ``year`` and ``value`` for one region; ``result`` is that target's row of
    :func:`~childplan_analysis.assess.assess` (for the model and as-of year). ``milestones``
    adds further targets of the same indicator (e.g. 2025 and 2030) as markers.
    """
    indicators = indicators or load_indicators()
    ind = indicators.by_id[target.indicator]
    series = series.sort_values("year")
    fig = go.Figure()
    years = series["year"].to_numpy(dtype=int)
    values = series["value"].to_numpy(dtype=float)
    family = (
        str(result["model"]) if result is not None and isinstance(result.get("model"), str)
        else default_family(ind.unit, ind.polarity, ind.bounds)
    )
    if family not in ("linear", "loglinear", "logit"):
        family = default_family(ind.unit, ind.polarity, ind.bounds)
    if len(years) >= config.MIN_POINTS:
        panel = SeriesPanel(pd.DataFrame({"k": [0]}), years, values[None, :])
        upper = ind.bounds[1] if ind.bounds[1] is not None else np.nan
        fit = fit_trend(panel, family, upper)
        end = max(target.year, years.max())
        grid = np.arange(years.max(), end + 1, dtype=float)
        lo = fit.quantile(grid[None, :], (1 - level) / 2)[0]
        hi = fit.quantile(grid[None, :], (1 + level) / 2)[0]
        mid = fit.fitted(grid[None, :])[0]
        fitted_hist = fit.fitted(years[None, :].astype(float))[0]
        fig.add_trace(go.Scatter(x=np.concatenate([grid, grid[::-1]]), y=np.concatenate([hi, lo[::-1]]),
                                 fill="toself", fillcolor="rgba(49,130,189,0.18)", line={"width": 0},
                                 name=t("band", lang, level=level), hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=np.concatenate([years, grid[1:]]), y=np.concatenate([fitted_hist, mid[1:]]),
                                 mode="lines", line={"color": "#3182bd", "dash": "dash"},
                                 name=f"{t('trend', lang)} ({family})"))
    fig.add_trace(go.Scatter(x=years, y=values, mode="markers+lines", name=t("observed", lang),
                             line={"color": "#08306b"}, marker={"size": 8}))
    for tg in [target, *(milestones or [])]:
        _add_target(fig, tg, result, lang, years)
    name = ind.name(lang)
    fig.update_layout(
        title=title or f"{name} — {target.describe(lang)}",
        xaxis_title=t("year", lang),
        yaxis_title=ind.unit,
        template="plotly_white",
        height=380,
        margin={"l": 50, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def _add_target(fig: go.Figure, target: Target, result: pd.Series | None, lang: str, years: np.ndarray) -> None:
    if target.comparator not in LEVEL_COMPARATORS:
        return
    base = None
    if result is not None and pd.notna(result.get("baseline_value")):
        base = float(result["baseline_value"])
    try:
        lo, hi = target.level_bounds(base)
    except ValueError:
        return
    start = int(min(years.min(), target.year - 1)) if len(years) else target.year - 10
    for bound in (lo, hi):
        if np.isfinite(bound):
            fig.add_trace(go.Scatter(x=[start, target.year], y=[bound, bound], mode="lines",
                                     line={"color": "#d73027", "width": 1.5, "dash": "dot"},
                                     name=f"{t('target', lang)} {target.year}", showlegend=True))
            fig.add_trace(go.Scatter(x=[target.year], y=[bound], mode="markers",
                                     marker={"symbol": "star", "size": 13, "color": "#d73027"},
                                     showlegend=False, hovertext=target.describe(lang)))


def status_bar(results: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Counts of targets by status."""
    from .assess import STATUS_LABELS, STATUSES

    counts = results["status"].value_counts().reindex(STATUSES, fill_value=0)
    fig = go.Figure(go.Bar(x=[STATUS_LABELS[s][lang] for s in STATUSES], y=counts.to_numpy(),
                           marker_color=[STATUS_COLOURS[s] for s in STATUSES], text=counts.to_numpy()))
    fig.update_layout(template="plotly_white", height=300, margin={"l": 40, "r": 20, "t": 30, "b": 40})
    return fig
