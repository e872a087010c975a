"""What the notebooks call: load, assess and display, so notebooks stay thin.

``prepare_report`` (annual monitoring report), ``prepare_evaluation`` (mid-term / final
evaluation) and ``prepare_dashboard`` (cross-region view) return a context whose ``show_*``
methods display one report section each, in Chinese (``lang="zh"``) or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.columns import SERIES_COLUMNS
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.safety import markdown_text
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import SeriesPanel, fit_trend
from childplan_analysis.report.expected_regions import sub_region_plans
from childplan_analysis.report.figures import fan_chart, scorecard_chart, status_bar, status_heatmap
from childplan_analysis.report.labels import check_lang, count_en, fmt_number, t
from childplan_analysis.report.scope import evaluation_year, report_regions, stage_year
from childplan_analysis.report.tables import (
    LEVEL_FILLS,
    STATUS_FILLS,
    at_risk,
    attainment_table,
    data_quality_notes,
    domain_label,
    find_plan,
    level_counts,
    localized_results,
    met_early,
    overview,
    parent_comparison,
    region_ranking,
    regressing,
    scorecard,
    status_counts,
    target_list,
    totals,
    warnings_by_responsible,
)


def _display(obj) -> None:
    from IPython.display import display

    display(obj)


def show_markdown(text: str) -> None:
    """Display Markdown (headings and notes in a report)."""
    from IPython.display import Markdown

    _display(Markdown(text))


def _fill_classes(lang: str) -> dict[str, tuple[str, str]]:
    """Localized status and warning-level text → (cell class, fill colour)."""
    from childplan_analysis.report.labels import level_label, status_label

    fills = {status_label(s, lang): (f"fill-{s}", c) for s, c in STATUS_FILLS.items()}
    return fills | {level_label(s, lang): (f"fill-{s}", c) for s, c in LEVEL_FILLS.items()}


def show_html(html: str) -> None:
    """Display raw HTML (layout hints such as a print page break)."""
    from IPython.display import HTML

    _display(HTML(html))


#: Sections printed together on the first page(s), without a page break before them.
_FIRST_PAGE = ("summary_title", "warnings_title")
#: Columns kept wide enough that a name wraps over at most a few lines (print and phones).
_WIDE_COLUMNS = {"indicator": "12em", "target": "7em", "reason": "14em"}


def show_table(frame: pd.DataFrame, lang: str = "zh", *, sortable: bool = False, empty: str = "—") -> None:
    """Display a table without its index; status/level cells coloured (by a class per status,
    one rule per table); ``sortable`` tables can be sorted by clicking a heading in the HTML
    report."""
    if frame is None or frame.empty:
        show_markdown(empty)
        return
    from pandas.io.formats.style import Styler

    # cell ids only where a cell has a style of its own: smaller pages
    styler = Styler(frame, cell_ids=False).hide(axis="index").format(escape="html")
    cols = [c for c in (t("status", lang), t("warning_level", lang)) if c in frame.columns]
    if cols:
        fills = _fill_classes(lang)
        classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for col in cols:
            classes[col] = frame[col].map(lambda v: fills.get(str(v), ("", ""))[0])
        styler = styler.set_td_classes(classes).set_table_styles(
            [{"selector": f"td.{cls}", "props": f"background-color:#{colour}"}
             for cls, colour in dict(fills.values()).items()
             if classes[cols].eq(cls).any().any()], overwrite=False)
    wide = {t(k, lang): w for k, w in _WIDE_COLUMNS.items()}
    widths = {col: [{"selector": cell, "props": f"min-width:{wide[col]};width:{wide[col]}"} for cell in ("th", "td")]
              for col in frame.columns if col in wide}
    if widths:
        styler = styler.set_table_styles(widths, overwrite=False)
    if sortable:
        styler = styler.set_table_attributes('class="sortable"')
    _display(styler)


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
    #: The previous report's results (:mod:`~childplan_analysis.report.changes`), if any.
    previous: pd.DataFrame | None = None
    previous_year: int | None = None
    #: Plans of the report's sub-regions (county plans under a city's), for their own targets.
    sub_plans: list[Plan] = field(default_factory=list)
    _charts: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def year(self) -> int:
        """The as-of year: given, else the latest year in the data."""
        if self.as_of is not None:
            return int(self.as_of)
        return int(self.observations["year"].max()) if len(self.observations) else max(self.plan.period)

    @property
    def synthetic(self) -> bool:
        """Whether any observation is labelled as synthetic demo data."""
        src = self.observations.get("source", pd.Series(dtype=str)).astype(str)
        return bool(src.str.contains("合成演示数据|synthetic", regex=True).any())

    def heading(self, subtitle: str | None = None) -> str:
        """Markdown heading: plan, regions, as-of year, data notes."""
        where = _escape_md((", " if self.lang == "en" else "、").join(self.regions))
        title = _escape_md(self.plan.title)
        latest = self.results["last_year"].max() if len(self.results) else np.nan
        latest = int(latest) if pd.notna(latest) else None
        if self.as_of is None or latest in (None, self.year):
            latest = self.year if latest is None else latest
            when = f"data up to **{latest}**" if self.lang == "en" else f"数据截至 **{latest}年**"
        elif self.lang == "en":
            when = \
                f"assessed as of **{self.year}** (latest data {latest})"
        else:
            when = f"评估年份 **{self.year}年**（最新数据 {latest}年）"
        if self.lang == "en":
            lines = [f"# {title}", f"{'Region' if len(self.regions) == 1 else 'Regions'}: **{where}** · {when} · "
                                   f"{count_en(len(self.plan.targets), 'target')}"]
        else:
            lines = [f"# {title}", f"地区：**{where}** · {when} · 目标 {len(self.plan.targets)} 项"]
        if subtitle:
            lines.insert(1, f"## {_escape_md(subtitle)}")
        if self.plan.source:
            lines.append(("Plan: " if self.lang == "en" else "规划文件：") + _escape_md(self.plan.source))
        if self.synthetic:
            lines.append(f"> **{t('synthetic', self.lang)}**")
        return "\n\n".join(lines)

    def show_heading(self, subtitle: str | None = None) -> None:
        show_markdown(self.heading(subtitle))

    def section(self, key: str) -> None:
        """A section heading (``summary_title``, ``warnings_title``, …); printed, every section
        after the summary and the warnings starts a new page."""
        if key not in _FIRST_PAGE:
            show_html('<div class="page-break"></div>')
        show_markdown(f"## {t(key, self.lang)}")

    def overview(self) -> list[str]:
        """The opening summary (总体情况) as sentences."""
        return overview(self.results, self.plan, self.lang, self.indicators, observations=self.observations)

    def show_overview(self) -> None:
        """The opening summary as a paragraph."""
        show_markdown(_escape_md("".join(self.overview()) if self.lang != "en" else " ".join(self.overview())))

    def changes(self) -> pd.DataFrame | None:
        """Status changes and new/cleared warnings since the previous report (None without one)."""
        from childplan_analysis.report.changes import compare_results

        return None if self.previous is None else compare_results(self.results, self.previous)

    def show_changes(self) -> None:
        """What changed since the previous report, in one paragraph (when its results are known)."""
        from childplan_analysis.report.changes import changes_summary

        changes = self.changes()
        if changes is not None:
            show_markdown(_escape_md(changes_summary(changes, self.previous_year, self.lang, self.indicators)))

    def show_changes_table(self) -> None:
        """The changes since the previous report as a table, under a heading (when known)."""
        from childplan_analysis.report.changes import changes_table

        changes = self.changes()
        if changes is None or changes.empty:
            return
        show_markdown(f"### {t('changes_title', self.lang)}")
        table = changes_table(changes, self.plan, self.lang, self.indicators)
        if len(self.regions) == 1:
            table = table.drop(columns=[t("region", self.lang)])
        show_table(table, self.lang)

    def show_summary(self, attainment: bool = True, chart: bool = True) -> None:
        """Counts by status and by warning level, 达标率 (unless ``attainment`` is False), and
        the status bar chart (unless ``chart`` is False)."""
        show_table(status_counts(self.results, self.lang), self.lang)
        show_table(level_counts(self.results, self.lang), self.lang)
        if attainment:
            show_table(attainment_table(self.results, None, self.lang), self.lang)
        if chart:
            self.show_status_bar()

    def show_status_bar(self) -> None:
        status_bar(self.results, self.lang).show()

    def show_scorecard(self) -> None:
        """The scorecard chart, then one table per domain."""
        scorecard_chart(self.results, self.lang).show()
        card = scorecard(self.results, self.plan, self.lang, self.indicators)
        drop = [t(c, self.lang) for c in ("domain", "observed_rate", "required_rate")]
        if len(self.regions) == 1:
            drop.append(t("region", self.lang))
        for domain in dict.fromkeys(self.results["domain"]):
            show_markdown(f"### {domain_label(domain, self.lang)}")
            mask = (self.results["domain"] == domain).to_numpy()
            show_table(card[mask].drop(columns=[c for c in drop if c in card.columns]), self.lang)

    def charts(self) -> list:
        """One fan chart per (target, region) with at least one observation (built once)."""
        if self._charts is not None:
            return self._charts
        figs = []
        series_all = totals(self.observations)
        series_all = series_all[series_all["year"] <= self.year]
        for _, row in self.results[self.results["n_points"] > 0].iterrows():
            figs.append(self._fan(row, series_all))
        self._charts = figs
        return figs

    def _fan(self, row: pd.Series, series_all: pd.DataFrame):
        target = self.plan.target(row["target_id"])
        series = series_all[(series_all["region"] == row["region"]) & (series_all["indicator"] == row["indicator"])]
        milestones = [tg for tg in self.plan.targets if tg.indicator == target.indicator and tg.id != target.id]
        title = None
        if len(self.regions) > 1:
            ind = self.indicators.by_id[target.indicator]
            title = f"{row['region']} · {ind.name(self.lang)} — {target.describe(self.lang)}"
        cols = ["year", "value"] + (["censor"] if "censor" in series else [])
        return fan_chart(series[cols], target, row, lang=self.lang, milestones=milestones,
                         indicators=self.indicators, title=title)

    def show_charts(self) -> None:
        for fig in self.charts():
            fig.show()

    def show_warnings(self) -> None:
        """Warnings grouped by responsible unit, each with its reason in words."""
        table = warnings_by_responsible(self.results, self.plan, self.lang, self.indicators)
        if table.empty:
            show_markdown(t("no_warnings", self.lang))
            return
        unit_col = t("responsible", self.lang)
        drop = [unit_col] + ([t("region", self.lang)] if len(self.regions) == 1 else [])
        for unit, part in table.groupby(unit_col, sort=False):
            show_markdown(f"### {_escape_md(str(unit))}（{len(part)}）" if self.lang == "zh"
                          else f"### {_escape_md(str(unit))} ({len(part)})")
            show_table(part.drop(columns=drop), self.lang)

    def gaps(self) -> pd.DataFrame:
        """Gap trends (:func:`~childplan_analysis.engine.disparity.disparities`) of the report's regions."""
        from childplan_analysis.engine.disparity import disparities

        return disparities(self.observations, self.plan, as_of=self.as_of, regions=self.regions,
                           indicators=self.indicators)

    def show_gaps(self, max_charts: int = 6) -> None:
        """Headline gap per indicator and breakdown with its verdict, a chart per widening gap,
        and sub-regions below a target their region meets (hidden laggards)."""
        from childplan_analysis.engine.disparity import (
            gap_series,
            gap_summary,
            gap_table,
            hidden_laggards,
        )
        from childplan_analysis.report.gap_figures import gap_chart
        from childplan_analysis.report.subregion_tables import describe_targets

        trends = self.gaps()
        if trends.empty:
            show_markdown(t("no_gaps", self.lang))
            return
        headline = gap_summary(trends)
        table = gap_table(headline, self.lang, self.indicators)
        if len(self.regions) == 1:
            table = table.drop(columns=table.columns[0])
        show_table(table, self.lang, sortable=True)
        widening = trends[trends["verdict"] == "widening"]
        if len(widening):
            show_markdown(f"### {t('gaps_widening', self.lang)}（{len(widening)}）" if self.lang == "zh"
                          else f"### {t('gaps_widening', self.lang)} ({len(widening)})")
            keys = ["region", "indicator", "dimension", "measure"]
            series = gap_series(self.observations[self.observations["indicator"].isin(widening["indicator"])],
                                indicators=self.indicators)
            if self.as_of is not None:
                series = series[series["year"] <= self.as_of]
            for _, row in widening.head(max_charts).iterrows():
                one = series.merge(row[keys].to_frame().T, on=keys)
                if len(one):
                    gap_chart(one, row, lang=self.lang, indicators=self.indicators).show()
        laggards = hidden_laggards(self.observations, self.plan, plans=self.sub_plans, as_of=self.as_of,
                                   regions=self.regions, indicators=self.indicators)
        if len(laggards):
            show_markdown(f"### {t('laggards_title', self.lang)}")
            keep = [c for c in laggards.columns if c not in ("plan_id", "target_id", "subregion_plan_id", "indicator",
                                                                  "subregion_target_id")]
            names = laggards.assign(
                indicator=laggards["indicator"].map(
                    lambda i: self.indicators.display_name(i, self.lang)),
                p_meet=pd.to_numeric(laggards["p_meet"], errors="coerce").map(lambda p: "" if pd.isna(p) else f"{p:.0%}"),
                **{c: pd.to_numeric(laggards[c], errors="coerce").astype("Int64")
                   for c in ("region_year", "subregion_year") if c in laggards},
                **{c: laggards[c].map(fmt_number) for c in ("region_value", "subregion_value", "shortfall")},
                target=describe_targets({self.plan.id: self.plan}, laggards["plan_id"], laggards["target_id"],
                                        laggards["target"], self.lang),
                subregion_target=describe_targets({p.id: p for p in [self.plan, *self.sub_plans]},
                                                  laggards["subregion_plan_id"],
                                                  laggards["subregion_target_id"], laggards["subregion_target"],
                                                  self.lang))
            show_table(localized_results(names[["indicator", *keep]], self.lang, self.indicators)
                       .drop(columns=[t("indicator_name", self.lang)]), self.lang)
        self.show_subregions_ahead()

    def show_subregions_ahead(self) -> None:
        """Sub-regions meeting a target their region as a whole misses, and sub-regions without
        data for indicators the others report (each section only when it has rows)."""
        from childplan_analysis.engine.disparity import subregion_coverage, subregions_ahead
        from childplan_analysis.report.subregion_tables import ahead_table, coverage_table

        ahead = subregions_ahead(self.observations, self.plan, as_of=self.as_of, regions=self.regions,
                                 indicators=self.indicators)
        if len(ahead):
            show_markdown(f"### {t('ahead_title', self.lang)}")
            show_table(ahead_table(ahead, self.lang, [self.plan]), self.lang)
        coverage = subregion_coverage(self.observations, self.plan, plans=self.sub_plans, regions=self.regions,
                                      indicators=self.indicators)
        if len(coverage):
            show_markdown(f"### {t('coverage_title', self.lang)}")
            show_table(coverage_table(coverage, self.lang, self.indicators), self.lang)

    def place_results(self) -> tuple[str, pd.DataFrame]:
        """The places a ranking compares: ``("subregion", …)`` — the sub-regions of the report's
        region, each assessed against the plan — or ``("region", results)`` for a report of
        several regions; an empty frame when there is nothing to rank."""
        from childplan_analysis.report.ranking import subregion_results

        if len(self.regions) > 1:
            return "region", self.results
        if "subregion" not in self.observations or not self.regions:
            return "subregion", pd.DataFrame()
        obs = self.observations if self.as_of is None else self.observations[self.observations["year"] <= self.year]
        return "subregion", subregion_results(obs, self.plan, self.regions[0], as_of=self.as_of,
                                              indicators=self.indicators)

    def show_subregions(self) -> None:
        """Sub-regions (or regions) ranked by their targets' status, worst first, with their
        red/yellow counts and 达标率; nothing when there are fewer than two places."""
        from childplan_analysis.report.ranking import status_ranking_chart

        kind, results = self.place_results()
        if results.empty or results["region"].nunique() < 2:
            return
        key = "subregion_title" if kind == "subregion" else "subregions_title"
        show_markdown(f"### {t(key, self.lang)}")
        status_ranking_chart(results, self.lang).show()
        show_table(region_ranking(results, self.lang), self.lang, sortable=True)

    def show_quality(self) -> None:
        """Data-quality notes as a bulleted list."""
        notes = data_quality_notes(self.observations, self.results, self.lang)
        show_markdown("\n".join(f"- {_escape_md(n)}" for n in notes) or "—")


@dataclass
class EvaluationContext(ReportContext):
    """A mid-term or final evaluation: the report context plus the parent plan."""

    stage: str = "midterm"
    parent: Plan | None = None

    def stage_title(self) -> str:
        """``中期评估报告（2025年）`` / ``Mid-term evaluation (2025)``."""
        year = stage_year(self.plan, self.stage)
        return f"{t(self.stage, self.lang)} ({year})" if self.lang == "en" else f"{t(self.stage, self.lang)}（{year}年）"

    def show_attainment(self) -> None:
        """达标率 overall, by domain and by binding/expected attribute."""
        for by in (None, "domain", "attribute"):
            show_table(attainment_table(self.results, by, self.lang), self.lang)

    def _list(self, rows: pd.DataFrame) -> None:
        frame = target_list(rows, self.plan, self.lang, self.indicators)
        if len(self.regions) == 1 and not frame.empty:
            frame = frame.drop(columns=[t("region", self.lang)])
        show_table(frame, self.lang, empty=t("none", self.lang))

    def show_met_early(self) -> None:
        self._list(met_early(self.results, self.year))

    def show_at_risk(self) -> None:
        self._list(at_risk(self.results))

    def show_regressing(self) -> None:
        self._list(regressing(self.results))

    def parent_table(self) -> pd.DataFrame:
        return parent_comparison(self.results, self.plan, self.parent, self.observations, self.lang,
                                 self.indicators)

    def show_parent(self) -> None:
        """Targets beside the parent plan's, and the parent region's latest values."""
        if self.parent is None:
            show_markdown(t("no_parent", self.lang))
            return
        show_markdown(f"{t('parent_plan', self.lang)}：{_escape_md(self.parent.title)}（{_escape_md(self.parent.region)}）"
                      if self.lang == "zh" else f"Parent plan: {_escape_md(self.parent.title)} "
                      f"({_escape_md(self.parent.region)})")
        show_table(self.parent_table(), self.lang, sortable=True)


@dataclass
class DashboardContext(ReportContext):
    """All regions of a data folder assessed against one plan."""

    #: Regions shown without any data (a county plan in the folder, or a region asked for).
    no_data: list[str] = field(default_factory=list)

    def show_heading(self, subtitle: str | None = None) -> None:
        super().show_heading(subtitle)
        if self.no_data:
            names = "、".join(self.no_data) if self.lang != "en" else ", ".join(self.no_data)
            show_markdown(_escape_md(
                f"注意：{names}没有任何监测数据，各项目标均为“数据不足”；请补报数据。" if self.lang != "en" else
                f"Note: {names} {'has' if len(self.no_data) == 1 else 'have'} no data at all; every target "
                f"is “insufficient data” until the data are sent."))

    def show_heatmap(self) -> None:
        status_heatmap(self.results, self.lang, self.indicators).show()

    def ranking(self) -> pd.DataFrame:
        return region_ranking(self.results, self.lang)

    def show_ranking(self) -> None:
        show_table(self.ranking(), self.lang, sortable=True)

    def show_details(self) -> None:
        """Every region × target, sortable."""
        card = scorecard(self.results, self.plan, self.lang, self.indicators)
        keep = [t(c, self.lang) for c in ("region", "domain", "indicator", "target", "last_year", "last_value",
                                          "p_meet", "status", "warning_level", "warnings")]
        show_table(card[keep], self.lang, sortable=True)


def _escape_md(text: str) -> str:
    return markdown_text(text)


def _setup_plotly() -> None:
    """Figures as plotly JSON and HTML; the exported page embeds the smallest plotly.js bundle
    that draws them (:mod:`~childplan_analysis.report.bundles`), so it works offline."""
    from childplan_analysis.report.bundles import install_renderer

    install_renderer()


def _load(plan_path: str | Path, data_path: str | Path, lang: str,
          region: str | None = None) -> tuple[Plan, pd.DataFrame]:
    """The plan and its data; without a named region the plan's region fills files naming none."""
    check_lang(lang)
    _setup_plotly()
    plan = load_plan(plan_path)
    return plan, load_observations(data_path, errors="report", plan=None if region else plan)


def prepare_report(
    plan_path: str | Path,
    data_path: str | Path,
    *,
    region: str | None = None,
    as_of: int | None = None,
    lang: str = "zh",
    results_path: str | Path | None = None,
    previous_path: str | Path | None = None,
) -> ReportContext:
    """Load plan and data, assess, and set plotly to embed its library (offline HTML).

    ``results_path``: a parquet file of an assessment already made for these regions (by
    :func:`~childplan_analysis.report.run.run_report` or a batch worker); it is read, not redone.
    ``previous_path``: the previous report's results (``results_<year>.parquet`` in its folder);
    the summary then lists what changed since.
    """
    plan, obs = _load(plan_path, data_path, lang, region)
    regions = report_regions(obs, plan, region)
    if results_path is None:
        results = assess(obs, plan, as_of=as_of, regions=regions)
    else:
        results = read_results(results_path, plan, regions)
    ctx = ReportContext(plan, obs, results, regions, as_of, lang)
    ctx.sub_plans = sub_region_plans(plan, Path(plan_path).resolve().parent)
    if previous_path:
        from childplan_analysis.report.changes import read_previous, year_of

        ctx.previous, ctx.previous_year = read_previous(previous_path), year_of(previous_path)
    return ctx


def read_results(path: str | Path, plan: Plan, regions: list[str]) -> pd.DataFrame:
    """An assessment saved as parquet, checked to hold every target of ``plan`` for ``regions``."""
    try:
        results = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the assessment results: {exc}") from exc
    missing = [c for c in ("region", "target_id", "status", "warnings", "warning_level") if c not in results]
    if missing:
        raise DataError(f"{path}: not an assessment table (missing columns {', '.join(missing)})")
    results = results[results["region"].isin(regions)].reset_index(drop=True)
    expected = len(plan.targets) * len(regions)
    if len(results) != expected:
        raise DataError(f"{path}: {len(results)} assessment rows for {'、'.join(regions)}, "
                        f"expected {expected} (one per target of {plan.id} and region)")
    return results


def prepare_evaluation(
    plan_path: str | Path,
    data_path: str | Path,
    *,
    stage: str = "midterm",
    region: str | None = None,
    as_of: int | None = None,
    lang: str = "zh",
    params_dir: str | Path | None = None,
) -> EvaluationContext:
    """A mid-term (``midterm``) or final (``final``) evaluation as of the stage year (2025 or
    2030 for a 2021–2030 plan; the latest year in the data if that is earlier) unless
    ``as_of`` is given. The parent plan is looked up by id in
    ``params_dir`` (default: the plan file's folder)."""
    plan, obs = _load(plan_path, data_path, lang, region)
    regions = report_regions(obs, plan, region)
    year = evaluation_year(plan, stage, obs, as_of)
    results = assess(obs, plan, as_of=year, regions=regions)
    parent = None
    if plan.parent:
        path = find_plan(plan.parent, params_dir or Path(plan_path).resolve().parent)
        parent = load_plan(path) if path else None
    return EvaluationContext(plan, obs, results, regions, year, lang, stage=stage, parent=parent)


def prepare_dashboard(
    plan_path: str | Path,
    data_path: str | Path,
    *,
    regions: list[str] | None = None,
    as_of: int | None = None,
    lang: str = "zh",
) -> DashboardContext:
    """Every region in the data (or ``regions``) assessed against the plan; without ``regions``,
    also the regions of the plan's child plans in its folder that have no data (each a row of
    数据不足, named under the heading)."""
    from childplan_analysis.report.expected_regions import regions_without_data

    plan, obs = _load(plan_path, data_path, lang)
    silent: list[str] = []
    if regions:
        regions = list(regions)
    else:
        regions = sorted(obs["region"].unique())
        silent = regions_without_data(plan, Path(plan_path).resolve().parent, regions)
        regions += silent
    results = assess(obs, plan, as_of=as_of, regions=regions)
    silent += [r for r in regions if r not in silent and not (obs["region"] == r).any()]
    ctx = DashboardContext(plan, obs, results, regions, as_of, lang)
    ctx.no_data = silent
    return ctx


def backtest(
    series: pd.DataFrame,
    family: str,
    upper: float = np.nan,
    *,
    level: float = config.DEFAULT_INTERVAL_LEVEL,
    min_points: int = config.MIN_POINTS,
) -> pd.DataFrame:
    """Rolling-origin backtest of one series: for every year with at least ``min_points``
    observations up to it, fit ``family`` on those and forecast each later observed year.

    All origins are fitted at once (one packed series per origin). Returns ``origin, year,
    horizon, actual, predicted, lower, upper, error, covered``.
    """
    s = series.dropna(subset=["value"]).sort_values("year")
    years = s["year"].to_numpy(dtype=int)
    values = s["value"].to_numpy(dtype=float)
    origins = years[min_points - 1:-1] if len(years) > min_points else years[:0]
    columns = ["origin", "year", "horizon", "actual", "predicted", "lower", "upper", "error", "covered"]
    if not len(origins):
        return pd.DataFrame(columns=columns)
    visible = (years[None, :] <= origins[:, None]) & (years[None, :] > origins[:, None] - config.FIT_WINDOW)
    panel = SeriesPanel(pd.DataFrame({"origin": origins}), years, np.where(visible, values[None, :], np.nan))
    fit = fit_trend(panel, family, upper)
    grid = np.broadcast_to(years.astype(float), visible.shape)
    pred = fit.fitted(grid)
    lo = fit.quantile(grid, (1 - level) / 2)
    hi = fit.quantile(grid, (1 + level) / 2)
    i, j = np.nonzero(years[None, :] > origins[:, None])
    out = pd.DataFrame({"origin": origins[i], "year": years[j], "horizon": years[j] - origins[i],
                        "actual": values[j], "predicted": pred[i, j], "lower": lo[i, j], "upper": hi[i, j]})
    out["error"] = out["predicted"] - out["actual"]
    out["covered"] = (out["actual"] >= out["lower"]) & (out["actual"] <= out["upper"])
    return out[columns]


__all__ = [
    "DashboardContext",
    "EvaluationContext",
    "ReportContext",
    "SERIES_COLUMNS",
    "backtest",
    "prepare_dashboard",
    "prepare_evaluation",
    "prepare_report",
    "show_markdown",
    "show_table",
]
