"""Places ranked by target status: the sub-regions of a region (e.g. the counties of a city),
each assessed against the region's plan, or the regions of a many-region report."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.engine.assess import STATUSES, assess
from childplan_analysis.report.figures import STATUS_COLOURS
from childplan_analysis.report.labels import status_label, t
from childplan_analysis.report.tables import region_ranking
from childplan_analysis.report.theme import report_template

_BREAKDOWNS = ("sex", "area", "age_group")


def subregion_results(observations: pd.DataFrame, plan: Plan, region: str, *, as_of: int | None = None,
                      indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """Each sub-region of ``region`` assessed against ``plan`` as if it were a region (its
    totals only); the ``region`` column names the sub-region. Empty without sub-region data."""
    o = observations
    mask = (o["region"] == region) & (o["subregion"].fillna("") != "")
    for col in _BREAKDOWNS:
        if col in o:
            mask &= o[col] == "total"
    subs = o[mask]
    if subs.empty:
        return pd.DataFrame()
    relabelled = subs.assign(region=subs["subregion"], subregion="")
    relabelled.attrs = {}
    return assess(relabelled, plan, as_of=as_of, regions=sorted(relabelled["region"].unique()),
                  indicators=indicators)


def ranked_places(results: pd.DataFrame) -> list[str]:
    """Places worst first: red targets, warnings raised, yellow targets, then lowest 达标率
    (the order of :func:`~childplan_analysis.report.tables.region_ranking`)."""
    return region_ranking(results, "en")[t("region", "en")].tolist()


def status_ranking_chart(results: pd.DataFrame, lang: str = "zh", title: str | None = None) -> go.Figure:
    """One bar per place, stacked by target status, worst place on top; the hover gives the
    count and the place's 达标率."""
    order = ranked_places(results)
    table = results.groupby(["region", "status"]).size().unstack(fill_value=0).reindex(order, fill_value=0)
    achieved = table.get("achieved", pd.Series(0, index=table.index))
    monitorable = table.sum(axis=1) - table.get("insufficient_data", pd.Series(0, index=table.index))
    rate = [f"{a / m:.0%}" if m else "—" for a, m in zip(achieved, monitorable, strict=True)]
    statuses = [s for s in STATUSES if s in table.columns] + sorted(set(table.columns) - set(STATUSES))
    fig = go.Figure()
    for s in statuses:
        fig.add_trace(go.Bar(
            y=order, x=table[s].to_numpy(), orientation="h", name=status_label(s, lang),
            marker_color=STATUS_COLOURS.get(s, "#9e9e9e"), customdata=rate,
            text=table[s].where(table[s] > 0).to_numpy(), textposition="inside",
            hovertemplate="%{y}: %{x}" + (" 项" if lang != "en" else "")
            + f"<br>{t('attainment_rate', lang)} %{{customdata}}<extra>{status_label(s, lang)}</extra>"))
    fig.update_layout(template=report_template(), barmode="stack", height=120 + 30 * max(len(order), 1),
                      title={"text": title or "", "font": {"size": 14}},
                      xaxis_title=t("n", lang), yaxis={"autorange": "reversed", "automargin": True},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                              "traceorder": "normal"},
                      margin={"l": 20, "r": 20, "t": 40 if title else 20, "b": 80})
    return fig
