"""Plotly figures for disparities: a gap over time with its projection, and sub-regions vs the target."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from childplan_analysis.core import config
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import LEVEL_COMPARATORS, Target
from childplan_analysis.engine.disparity import (
    DIMENSION_LABELS,
    EQUALITY,
    FAMILY,
    MEASURE_LABELS,
    VERDICT_LABELS,
    group_label,
)
from childplan_analysis.models import SeriesPanel, fit_trend
from childplan_analysis.report.labels import t
from childplan_analysis.report.theme import report_template

_VERDICT_COLOURS = {"narrowing": "#1a9850", "stable": "#3182bd", "widening": "#d73027",
                    "insufficient_data": "#969696"}
_TEXT = {
    "gap_title": {"zh": "{region} · {indicator}：{dimension}{measure}", "en": "{region} · {indicator}: {measure} by {dimension}"},
    "equality": {"zh": "无差距", "en": "No gap"},
    "latest": {"zh": "最新值", "en": "Latest"},
    "first": {"zh": "{year}年", "en": "{year}"},
    "whole": {"zh": "{region}（全域）", "en": "{region} (whole)"},
    "meets": {"zh": "达到目标", "en": "Meets the target"},
    "misses": {"zh": "未达到目标", "en": "Below the target"},
    "sub_title": {"zh": "{indicator}：各区域与目标", "en": "{indicator}: sub-regions vs the target"},
}


def _tx(key: str, lang: str, **kw: object) -> str:
    entry = _TEXT[key]
    return entry.get(lang, entry["zh"]).format(**kw)


def gap_chart(
    series: pd.DataFrame,
    trend: pd.Series | None = None,
    *,
    lang: str = "zh",
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    target_year: int | None = None,
    indicators: IndicatorDictionary | None = None,
) -> go.Figure:
    """One gap measure over time: observed points, fitted trend, projection band to the target year.

    ``series`` is one (region, indicator, dimension, measure) of
    :func:`~childplan_analysis.engine.disparity.gap_series`; ``trend`` the matching row of
    :func:`~childplan_analysis.engine.disparity.gap_trends` (for the verdict and target year).
    """
    indicators = indicators or load_indicators()
    series = series.sort_values("year")
    if series.empty:
        raise ValueError("gap_chart: the series is empty")
    first = series.iloc[0]
    measure, dimension = str(first["measure"]), str(first["dimension"])
    years = series["year"].to_numpy(dtype=int)
    values = series["value"].to_numpy(dtype=float)
    if target_year is None:
        target_year = int(trend["target_year"]) if trend is not None and pd.notna(trend.get("target_year")) else 2030
    verdict = str(trend["verdict"]) if trend is not None else ""
    colour = _VERDICT_COLOURS.get(verdict, "#3182bd")
    fig = go.Figure()
    if len(years) >= config.MIN_POINTS:
        fit = fit_trend(SeriesPanel(pd.DataFrame({"k": [0]}), years, values[None, :]), FAMILY[measure])
        grid = np.arange(years.max(), max(target_year, years.max()) + 1, dtype=float)
        lo = fit.quantile(grid[None, :], (1 - level) / 2)[0]
        hi = fit.quantile(grid[None, :], (1 + level) / 2)[0]
        mid = fit.fitted(grid[None, :])[0]
        hist = fit.fitted(years[None, :].astype(float))[0]
        fig.add_trace(go.Scatter(x=np.concatenate([grid, grid[::-1]]), y=np.concatenate([hi, lo[::-1]]),
                                 fill="toself", fillcolor="rgba(49,130,189,0.18)", line={"width": 0},
                                 name=t("band", lang, level=level), hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=np.concatenate([years, grid[1:]]), y=np.concatenate([hist, mid[1:]]),
                                 mode="lines", line={"color": colour, "dash": "dash"}, name=t("trend", lang)))
    fig.add_trace(go.Scatter(x=years, y=values, mode="markers+lines", name=t("observed", lang),
                             line={"color": "#08306b"}, marker={"size": 8}))
    eq = EQUALITY[measure]
    if measure in ("gap", "ratio"):
        fig.add_hline(y=eq, line={"color": "#636363", "width": 1, "dash": "dot"},
                      annotation_text=_tx("equality", lang), annotation_position="bottom right")
    ind = indicators.by_id.get(str(first["indicator"]))
    title = _tx("gap_title", lang, region=first["region"], indicator=ind.name(lang) if ind else first["indicator"],
                dimension=DIMENSION_LABELS[dimension][lang], measure=MEASURE_LABELS[measure][lang])
    groups = group_label(first.get("groups", ""), lang)
    if groups:
        title += f"（{groups}）" if lang != "en" else f" ({groups})"
    if verdict:
        title += f" — {VERDICT_LABELS[verdict][lang]}"
    unit = ind.unit if ind and measure in ("gap", "range") else ""
    fig.update_layout(title=title, xaxis_title=t("year", lang), yaxis_title=unit, template=report_template(),
                      height=380, margin={"l": 50, "r": 20, "t": 60, "b": 85},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"})
    return fig


def subregion_chart(
    observations: pd.DataFrame,
    target: Target,
    region: str,
    *,
    year: int | None = None,
    start_year: int | None = None,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> go.Figure:
    """Dumbbell chart: each sub-region's value in ``start_year`` and its latest value (≤ ``year``),
    the region as a whole, and the target line; sub-regions missing the target in red."""
    indicators = indicators or load_indicators()
    ind = indicators.by_id[target.indicator]
    obs = observations[(observations["region"] == region) & (observations["indicator"] == target.indicator)
                       & (observations["sex"] == "total") & (observations["area"] == "total")
                       & (observations["age_group"] == "total")]
    if year is not None:
        obs = obs[obs["year"] <= year]
    subs = obs[obs["subregion"] != ""]
    if subs.empty:
        raise ValueError(f"no sub-region data for {target.indicator} in {region}")
    latest = subs.sort_values("year").groupby("subregion").last()
    first_year = start_year if start_year is not None else int(subs["year"].min())
    start = subs[subs["year"] == first_year].set_index("subregion")["value"]
    bounds = _target_bounds(target)
    meets = latest["value"].map(lambda v: bounds is None or bounds[0] <= v <= bounds[1])
    ascending = ind.polarity != "lower"
    latest = latest.assign(meets=meets).sort_values("value", ascending=ascending)
    names = latest.index.tolist()
    fig = go.Figure()
    for name in names:
        if name in start.index:
            fig.add_trace(go.Scatter(x=[start[name], latest.loc[name, "value"]], y=[name, name], mode="lines",
                                     line={"color": "#bdbdbd", "width": 3}, showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=start.reindex(names), y=names, mode="markers", marker={"color": "#9ecae1", "size": 9},
                             name=_tx("first", lang, year=first_year)))
    for ok, colour, key in ((True, "#1a9850", "meets"), (False, "#d73027", "misses")):
        part = latest[latest["meets"] == ok]
        if len(part):
            fig.add_trace(go.Scatter(x=part["value"], y=part.index, mode="markers", name=_tx(key, lang),
                                     marker={"color": colour, "size": 12},
                                     text=[f"{int(y)}" for y in part["year"]],
                                     hovertemplate="%{y}: %{x} (%{text})<extra></extra>"))
    whole = obs[obs["subregion"] == ""].sort_values("year")
    if len(whole):
        value = float(whole["value"].iloc[-1])
        fig.add_vline(x=value, line={"color": "#08306b", "width": 1.5},
                      annotation_text=_tx("whole", lang, region=region), annotation_position="top")
    if bounds is not None:
        for b in bounds:
            if np.isfinite(b):
                fig.add_vline(x=b, line={"color": "#d73027", "dash": "dot", "width": 1.5},
                              annotation_text=f"{t('target', lang)} {target.describe(lang)}",
                              annotation_position="bottom")
    fig.update_layout(title=_tx("sub_title", lang, indicator=ind.name(lang)), xaxis_title=ind.unit,
                      template=report_template(), height=max(300, 60 + 28 * len(names)),
                      margin={"l": 120, "r": 20, "t": 60, "b": 80}, legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"})
    return fig


def _target_bounds(target: Target) -> tuple[float, float] | None:
    if target.comparator not in LEVEL_COMPARATORS:
        return None
    try:
        return target.level_bounds()
    except ValueError:  # relative targets need each sub-region's own baseline
        return None
