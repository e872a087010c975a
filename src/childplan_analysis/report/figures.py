"""Plotly figures: fan chart per target, status heatmap, scorecard, backtest; zh/en labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from childplan_analysis import models
from childplan_analysis.core import config
from childplan_analysis.core.indicators import DOMAIN_LABELS, IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import LEVEL_COMPARATORS, Target
from childplan_analysis.models import default_family
from childplan_analysis.report.labels import (
    fmt_number,
    model_label,
    status_label,
    t,
    unit_after_number,
    units_in_text,
)
from childplan_analysis.report.theme import report_template

STATUS_COLOURS = {
    "achieved": "#1a9850",
    "on_track": "#91cf60",
    "acceleration_needed": "#fdae61",
    "regressing": "#d73027",
    "insufficient_data": "#bdbdbd",
}
LEVEL_COLOURS = {"green": "#1a9850", "yellow": "#fee08b", "red": "#d73027"}
#: Evaluation milestones marked on every fan chart: mid-term and final.
MILESTONE_YEARS = (2025, 2030)
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
_OTHER_COLOUR = "#9e9e9e"
#: A horizontal legend in the figure's bottom margin (kept inside the figure at any width).
_LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}


def _layout(fig: go.Figure, height: int, **kwargs: object) -> go.Figure:
    kwargs.setdefault("margin", {"l": 50, "r": 20, "t": 60, "b": 40})
    fig.update_layout(template=report_template(), height=height, font={"family": FONT}, **kwargs)
    return fig


def projection(
    series: pd.DataFrame,
    ind,
    until: int,
    result: pd.Series | None = None,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
) -> pd.DataFrame | None:
    """Trend and prediction band of one series, as the assessment computed it.

    Uses the same window (last ``FIT_WINDOW`` years), model choice and interval calibration
    as :func:`~childplan_analysis.engine.assess.assess`; when the assessment row names a model other
    than the automatic choice (``assess(..., model=...)``), that model is drawn.
    """
    series = series.dropna(subset=["value"]).sort_values("year")
    if len(series) == 0:
        return None
    if result is not None and result.get("model_choice") == "pooled" and level == config.DEFAULT_INTERVAL_LEVEL:
        return _pooled_path(series, result)
    last = int(series["year"].max())
    window = series[series["year"] > last - config.FIT_WINDOW]
    if len(window) < config.MIN_POINTS:
        return None
    scale = default_family(ind.unit, ind.polarity, ind.bounds)
    args = dict(natural_scale=scale, bounds=ind.bounds, level=level)
    path = models.forecast_path(window["year"].to_numpy(), window["value"].to_numpy(), until, **args)
    wanted = result.get("model") if result is not None else None
    if isinstance(wanted, str) and wanted in models.MODELS and wanted != path.attrs["model"]:
        path = models.forecast_path(window["year"].to_numpy(), window["value"].to_numpy(), until,
                                    model=wanted, **args)
    if result is not None and level == config.DEFAULT_INTERVAL_LEVEL:
        _end_at_assessed_band(path, result)
    return path


def _end_at_assessed_band(path: pd.DataFrame, result: pd.Series) -> None:
    """Widen or narrow each side of the band in proportion so that it ends at the assessment's
    interval in the target year (the assessment calibrates its intervals on the years of every
    series it assessed together, so the band of the series alone can differ slightly)."""
    year = result.get("target_year")
    if pd.isna(year) or pd.isna(result.get("lower")) or pd.isna(result.get("upper")):
        return
    at = path["year"] == int(year)
    if not at.any():
        return
    fitted = float(path.loc[at, "fitted"].iloc[0])
    for side in ("lower", "upper"):
        drawn = float(path.loc[at, side].iloc[0]) - fitted
        wanted = float(result[side]) - float(result.get("projected", fitted))
        if np.isfinite(drawn) and drawn != 0 and np.isfinite(wanted) and np.sign(drawn) == np.sign(wanted):
            path[side] = path["fitted"] + (path[side] - path["fitted"]) * (wanted / drawn)


def _pooled_path(series: pd.DataFrame, result: pd.Series) -> pd.DataFrame | None:
    """The assessed path of a short series that borrowed its trend from sibling series: from its
    last value to the assessment's projection and interval at the target year (straight lines
    between; the siblings it borrowed from are not redrawn)."""
    if pd.isna(result.get("projected")) or pd.isna(result.get("target_year")):
        return None
    last, value, until = int(series["year"].max()), float(series["value"].iloc[-1]), int(result["target_year"])
    grid = np.arange(int(series["year"].min()), max(until, last) + 1)
    share = np.clip((grid - last) / max(until - last, 1), 0.0, None)
    future = grid > last

    def towards(end: float) -> np.ndarray:
        return np.where(future, value + share * (end - value), np.nan)

    fitted = towards(float(result["projected"]))
    fitted[grid == last] = value
    frame = pd.DataFrame({"year": grid, "fitted": fitted, "lower": towards(float(result["lower"])),
                          "upper": towards(float(result["upper"])),
                          "observed": series.set_index("year")["value"].reindex(grid).to_numpy()})
    frame.attrs["model"] = str(result.get("model"))
    return frame


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
    held_out: pd.DataFrame | None = None,
) -> go.Figure:
    """Observed points, projected trend with its prediction band, the target line and year.

    ``series`` has ``year`` and ``value`` (and optionally ``censor``: published bounds are
    drawn as triangles, not points) for one region; ``result`` is that target's row of
    :func:`~childplan_analysis.engine.assess.assess` (for the model and the baseline value).
    ``milestones`` adds further targets of the same indicator (e.g. 2025 and 2030); the
    mid-term (2025) and final (2030) evaluation years are always marked. ``held_out`` are
    observations after the as-of year, drawn in grey for comparison with the projection.
    """
    indicators = indicators or load_indicators()
    ind = indicators.by_id[target.indicator]
    series = series.sort_values("year")
    fig = go.Figure()
    years = series["year"].to_numpy(dtype=int)
    values = series["value"].to_numpy(dtype=float)
    horizon = max([target.year, *MILESTONE_YEARS, *(m.year for m in milestones or [])])
    path = projection(series, ind, horizon, result, level)
    if path is not None:
        band = path[path["year"] >= years.max()]
        last = years.max()
        lo = np.where(band["year"] == last, values[-1], band["lower"])
        hi = np.where(band["year"] == last, values[-1], band["upper"])
        grid = band["year"].to_numpy()
        fig.add_trace(go.Scatter(x=np.concatenate([grid, grid[::-1]]), y=np.concatenate([hi, lo[::-1]]),
                                 fill="toself", fillcolor="rgba(49,130,189,0.18)", line={"width": 0}, mode="lines",
                                 name=t("band", lang, level=level), hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=path["year"], y=path["fitted"], mode="lines",
                                 line={"color": "#3182bd", "dash": "dash"},
                                 name=t("trend", lang), meta=path.attrs["model"],
                                 hovertemplate=f"%{{x}}: %{{y:.4g}} ({model_label(path.attrs['model'], lang)})"
                                 "<extra></extra>"))
    _add_observed(fig, series, ind.unit, lang)
    if held_out is not None and len(held_out):
        fig.add_trace(go.Scatter(x=held_out["year"], y=held_out["value"], mode="markers",
                                 marker={"size": 8, "color": _OTHER_COLOUR, "symbol": "circle-open"},
                                 name=t("actual", lang)))
    shown: set[tuple] = set()
    for tg in [target, *(milestones or [])]:
        _add_target(fig, tg, result if tg is target else None, lang, years, shown)
    for year, key in zip(MILESTONE_YEARS, ("midterm_milestone", "final_milestone"), strict=True):
        fig.add_vline(x=year, line={"color": "#888", "width": 1, "dash": "dot"},
                      annotation_text=t(key, lang), annotation_position="top left",
                      annotation_font={"size": 10, "color": "#666"})
    name = ind.name(lang)
    _layout(fig, 400, title={"text": title or f"{name} — {units_in_text(target.describe(lang), lang)}", "font": {"size": 14}},
            margin={"l": 50, "r": 20, "t": 60, "b": 85},
            xaxis_title=t("year", lang), yaxis_title=_unit_title(ind.unit, lang),
            legend=_LEGEND_BELOW)
    return fig


#: Marker of a published bound: the true value lies above (▲) or below (▼) it.
CENSOR_SYMBOLS = {">=": "triangle-up", ">": "triangle-up-open", "<=": "triangle-down", "<": "triangle-down-open"}
CENSOR_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _add_observed(fig: go.Figure, series: pd.DataFrame, unit: str, lang: str) -> None:
    """Exact observations as a line with points; published bounds (``censor`` ``>=``, ``>``,
    ``<=``, ``<``) as triangles pointing where the true value lies, hover ``≥90%``."""
    censor = (series["censor"].fillna("").astype(str) if "censor" in series
              else pd.Series("", index=series.index))
    bound = censor.isin(list(CENSOR_SYMBOLS))
    exact = series[~bound]
    fig.add_trace(go.Scatter(x=exact["year"].to_numpy(dtype=int), y=exact["value"].to_numpy(dtype=float),
                             mode="markers+lines", name=t("observed", lang),
                             line={"color": "#08306b"}, marker={"size": 8}))
    if bound.any():
        part, codes = series[bound], censor[bound]
        text = [f"{CENSOR_TEXT[c]}{fmt_number(v)}{unit}" for c, v in zip(codes, part["value"], strict=True)]
        fig.add_trace(go.Scatter(x=part["year"].to_numpy(dtype=int), y=part["value"].to_numpy(dtype=float),
                                 mode="markers", name=t("censored", lang), text=text,
                                 marker={"size": 12, "color": "#08306b", "symbol": [CENSOR_SYMBOLS[c] for c in codes]},
                                 hovertemplate="%{x}: %{text}<extra></extra>"))


def _add_target(fig: go.Figure, target: Target, result: pd.Series | None, lang: str,
                years: np.ndarray, shown: set[tuple]) -> None:
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
    if np.isfinite(lo) and np.isfinite(hi) and (target.year, round(lo, 9), round(hi, 9)) not in shown:
        _add_target_band(fig, target, lo, hi, start, lang)  # 45%左右, a range: one band
        shown.update({(target.year, round(lo, 9)), (target.year, round(hi, 9)), (target.year, round(lo, 9), round(hi, 9))})
        return
    for bound in (lo, hi):
        if not np.isfinite(bound) or (target.year, round(bound, 9)) in shown:
            continue
        shown.add((target.year, round(bound, 9)))
        fig.add_trace(go.Scatter(x=[start, target.year], y=[bound, bound], mode="lines",
                                 line={"color": "#d73027", "width": 1.5, "dash": "dot"},
                                 name=f"{t('target', lang)} {target.year}", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=[target.year], y=[bound], mode="markers",
                                 marker={"symbol": "star", "size": 13, "color": "#d73027"},
                                 showlegend=False, hovertext=units_in_text(target.describe(lang), lang), hoverinfo="text"))


def _add_target_band(fig: go.Figure, target: Target, lo: float, hi: float, start: int, lang: str) -> None:
    """A two-sided target (``45%左右``, a range) as one shaded band between its bounds."""
    group = f"target-band-{target.year}-{lo:g}-{hi:g}"
    line = {"color": "#d73027", "width": 1, "dash": "dot"}
    fig.add_trace(go.Scatter(x=[start, target.year], y=[lo, lo], mode="lines", line=line, legendgroup=group,
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[start, target.year], y=[hi, hi], mode="lines", line=line, legendgroup=group,
                             fill="tonexty", fillcolor="rgba(215,48,39,0.10)",
                             name=f"{t('target_band', lang)} {target.year}", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[target.year, target.year], y=[lo, hi], mode="markers", legendgroup=group,
                             marker={"symbol": "star", "size": 13, "color": "#d73027"},
                             showlegend=False, hovertext=[units_in_text(target.describe(lang), lang)] * 2,
                             hoverinfo="text"))


def status_bar(results: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Counts of targets by status."""
    order = _status_order(results)
    counts = results["status"].value_counts().reindex(order, fill_value=0)
    fig = go.Figure(go.Bar(x=[status_label(s, lang) for s in order], y=counts.to_numpy(),
                           marker_color=[STATUS_COLOURS.get(s, _OTHER_COLOUR) for s in order],
                           text=counts.to_numpy()))
    return _layout(fig, 300, margin={"l": 40, "r": 20, "t": 30, "b": 40})


def _status_order(results: pd.DataFrame) -> list[str]:
    known = list(STATUS_COLOURS)
    extra = sorted(set(results["status"].dropna()) - set(known))
    return known + extra


def scorecard_chart(results: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Targets per domain, stacked by status (the scorecard at a glance)."""
    domains = list(dict.fromkeys(results["domain"]))
    table = results.groupby(["domain", "status"]).size().unstack(fill_value=0).reindex(domains)
    fig = go.Figure()
    for s in _status_order(results):
        if s not in table.columns:
            continue
        fig.add_trace(go.Bar(
            y=[DOMAIN_LABELS.get(d, {}).get(lang, d) for d in table.index], x=table[s].to_numpy(),
            name=status_label(s, lang), orientation="h", marker_color=STATUS_COLOURS.get(s, _OTHER_COLOUR),
            text=table[s].where(table[s] > 0).to_numpy(), textposition="inside"))
    return _layout(fig, 120 + 34 * max(len(domains), 1), barmode="stack",
                   yaxis={"autorange": "reversed"}, xaxis_title=t("n", lang),
                   legend=_LEGEND_BELOW, margin={"l": 90, "r": 20, "t": 20, "b": 80})


def status_heatmap(
    results: pd.DataFrame,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
    plan=None,
) -> go.Figure:
    """Regions × targets, coloured by status; hover gives the status, latest value and p_meet."""
    indicators = indicators or load_indicators()
    order = _status_order(results)
    code = {s: i for i, s in enumerate(order)}
    targets = list(dict.fromkeys(results["target_id"]))
    regions = list(dict.fromkeys(results["region"]))
    wide = results.pivot_table(index="region", columns="target_id", values="status", aggfunc="first")
    wide = wide.reindex(index=regions, columns=targets)
    ind_of = results.drop_duplicates("target_id").set_index("target_id")["indicator"]
    year_of = results.drop_duplicates("target_id").set_index("target_id")["target_year"]
    names = [indicators.display_name(ind_of[x], lang) for x in targets]
    full = [f"{n} ({int(year_of[x])})" for n, x in zip(names, targets, strict=True)]
    labels = [_short(f, 18 if lang == "zh" else 32) for f in full]
    repeated = {lb for lb in labels if labels.count(lb) > 1}  # keep columns distinct after shortening
    labels = [f"{lb} ·{i + 1}" if lb in repeated else lb for i, lb in enumerate(labels)]
    z = wide.apply(lambda col: col.map(code)).to_numpy(dtype=float)
    text = wide.apply(lambda col: col.map(lambda s: status_label(s, lang) if isinstance(s, str) else ""))
    n = len(order)
    scale = []
    for i, s in enumerate(order):
        colour = STATUS_COLOURS.get(s, _OTHER_COLOUR)
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=regions, text=text.to_numpy(), customdata=np.broadcast_to(np.array(full, dtype=object), z.shape),
        hovertemplate="%{y}<br>%{customdata}<br>%{text}<extra></extra>",
        colorscale=scale, zmin=-0.5, zmax=n - 0.5, xgap=1, ygap=1,
        colorbar={"tickvals": list(range(n)), "ticktext": [status_label(s, lang) for s in order],
                  "title": t("status", lang)}))
    return _layout(fig, 260 + 28 * len(regions), xaxis={"tickangle": -45, "automargin": True, "tickfont": {"size": 10}},
                   yaxis={"autorange": "reversed", "automargin": True},
                   margin={"l": 20, "r": 20, "t": 30, "b": 20})


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def backtest_chart(backtest: pd.DataFrame, series: pd.DataFrame, lang: str = "zh",
                   title: str | None = None) -> go.Figure:
    """Actual values against forecasts made from data up to earlier years (one line per origin)."""
    fig = go.Figure()
    series = series.sort_values("year")
    fig.add_trace(go.Scatter(x=series["year"], y=series["value"], mode="markers+lines",
                             name=t("actual", lang), line={"color": "#08306b"}))
    for origin, part in backtest.groupby("origin"):
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["predicted"], mode="markers+lines", name=f"{t('origin', lang)} {origin}",
            line={"dash": "dash", "width": 1},
            error_y={"type": "data", "symmetric": False, "array": part["upper"] - part["predicted"],
                     "arrayminus": part["predicted"] - part["lower"], "thickness": 1}))
    return _layout(fig, 340, title={"text": title or t("backtest", lang), "font": {"size": 13}},
                   margin={"l": 50, "r": 20, "t": 60, "b": 85},
                   xaxis_title=t("year", lang), legend=_LEGEND_BELOW)


def _unit_title(unit: str, lang: str) -> str:
    """The value axis' title: the unit (``1/10万``; ``per 100,000`` in English)."""
    return unit_after_number(unit, lang).strip() if lang == "en" and unit.startswith("1/") else unit
