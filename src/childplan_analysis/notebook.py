"""What the report notebooks call: load, assess and display, so notebooks stay thin."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from .assess import assess
from .figures import fan_chart, status_bar
from .indicators import IndicatorDictionary, load_indicators
from .labels import t
from .loaders import SERIES_COLUMNS, load_observations
from .plans import Plan, load_plan
from .report import report_regions, scorecard, status_counts


@dataclass
class ReportContext:
    """A plan, its observations and their assessment, ready to display."""

    plan: Plan
    observations: pd.DataFrame
    results: pd.DataFrame
    regions: list[str]
    as_of: int | None
    lang: str = "zh"
    indicators: IndicatorDictionary = field(default_factory=load_indicators)

    @property
    def synthetic(self) -> bool:
        """Whether any observation is labelled as synthetic demo data."""
        src = self.observations.get("source", pd.Series(dtype=str)).astype(str)
        return bool(src.str.contains("合成演示数据|synthetic", regex=True).any())

    def heading(self) -> str:
        """Markdown heading: plan, regions, as-of year, data notes."""
        as_of = self.as_of or int(self.observations["year"].max())
        where = "、".join(self.regions)
        if self.lang == "en":
            lines = [f"## {self.plan.title}", f"Region: **{where}** · data up to **{as_of}** · "
                     f"{len(self.plan.targets)} targets"]
        else:
            lines = [f"## {self.plan.title}", f"地区：**{where}** · 数据截至 **{as_of}年** · "
                     f"目标 {len(self.plan.targets)} 项"]
        if self.synthetic:
            lines.append(f"> **{t('synthetic', self.lang)}**")
        rejected = self.observations.attrs.get("rejected")
        if rejected is not None and len(rejected):
            lines.append(f"> {len(rejected)} input rows rejected (run `childplan validate`).")
        return "\n\n".join(_escape_md(x) if i else x for i, x in enumerate(lines))

    def show_summary(self) -> None:
        from IPython.display import display

        display(status_counts(self.results, self.lang).style.hide(axis="index"))
        status_bar(self.results, self.lang).show()

    def show_scorecard(self) -> None:
        from IPython.display import display

        card = scorecard(self.results, self.plan, self.lang, self.indicators)
        display(card.style.hide(axis="index"))

    def charts(self) -> list:
        """One fan chart per (target, region) with at least one observation."""
        figs = []
        targets = {tg.id: tg for tg in self.plan.targets}
        totals = self.observations
        totals = totals[(totals["sex"] == "total") & (totals["area"] == "total")
                        & (totals["age_group"] == "total") & (totals["subregion"] == "")]
        if self.as_of is not None:
            totals = totals[totals["year"] <= self.as_of]
        for _, row in self.results[self.results["n_points"] > 0].iterrows():
            target = targets[row["target_id"]]
            series = totals[(totals["region"] == row["region"]) & (totals["indicator"] == row["indicator"])]
            milestones = [tg for tg in self.plan.targets
                          if tg.indicator == target.indicator and tg.id != target.id]
            title = None
            if len(self.regions) > 1:
                ind = self.indicators.by_id[target.indicator]
                title = f"{row['region']} · {ind.name(self.lang)} — {target.describe(self.lang)}"
            figs.append(fan_chart(series[["year", "value"]], target, row, lang=self.lang,
                                  milestones=milestones, indicators=self.indicators, title=title))
        return figs

    def show_charts(self) -> None:
        for fig in self.charts():
            fig.show()


def _escape_md(text: str) -> str:
    return html.escape(text, quote=False)


def prepare_report(
    plan_path: str,
    data_path: str,
    *,
    region: str | None = None,
    as_of: int | None = None,
    lang: str = "zh",
) -> ReportContext:
    """Load plan and data, assess, and set plotly to embed its library (offline HTML)."""
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype+notebook"
    plan = load_plan(plan_path)
    obs = load_observations(data_path, errors="report")
    regions = report_regions(obs, plan, region)
    results = assess(obs, plan, as_of=as_of, regions=regions)
    return ReportContext(plan, obs, results, regions, as_of, lang)


__all__ = ["ReportContext", "prepare_report", "SERIES_COLUMNS"]
