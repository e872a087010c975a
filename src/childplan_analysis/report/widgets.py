"""Interactive explorer for JupyterLab (ipywidgets), used by ``notebooks/explore.ipynb``.

Pick plan, region, domain, indicator, disaggregation, model and as-of year; the fan chart,
the model's backtest and the numbers update in place. Everything is plain Python objects
(``ipywidgets`` controls and plotly ``FigureWidget``), so it is driven and tested without a
browser::

    ex = Explorer("params", "data/national")
    ex.controls["as_of"].value = 2020      # figures and numbers update
    ex.fan.data                            # the traces now shown
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as W
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from childplan_analysis import models
from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.indicators import DOMAIN_LABELS, IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.sources import load_observations
from childplan_analysis.report.figures import backtest_chart, fan_chart
from childplan_analysis.report.labels import (
    breakdown_label,
    check_lang,
    explain_warnings,
    fmt_number,
    model_label,
    status_label,
    t,
)
from childplan_analysis.report.notebook import backtest

BREAKDOWN = ("sex", "area", "age_group", "subregion")
TOTAL = ("total", "total", "total", "")


def _plans(source: Plan | str | Path | Sequence[Plan | str | Path], indicators: IndicatorDictionary) -> list[Plan]:
    """Plans from a folder of catalogs, one catalog, or a list of either."""
    items = [source] if isinstance(source, (Plan, str, Path)) else list(source)
    plans: list[Plan] = []
    for item in items:
        if isinstance(item, Plan):
            plans.append(item)
        elif Path(item).is_dir():
            plans += [load_plan(p, indicators) for p in sorted(Path(item).glob("*.yaml"))
                      if p.name != "indicators.yaml"]
        else:
            plans.append(load_plan(item, indicators))
    if not plans:
        raise ValueError(f"no plan catalogs in {source}")
    return plans


class Explorer:
    """Controls, a fan chart, a backtest chart and a numbers panel that follow each other."""

    def __init__(
        self,
        plans: Plan | str | Path | Sequence[Plan | str | Path],
        observations: pd.DataFrame | str | Path,
        *,
        lang: str = "zh",
        plan: str | None = None,
        region: str | None = None,
        indicators: IndicatorDictionary | None = None,
    ):
        self.lang = check_lang(lang)
        self.indicators = indicators or load_indicators()
        self.plans = {p.id: p for p in _plans(plans, self.indicators)}
        obs = observations if isinstance(observations, pd.DataFrame) else load_observations(
            observations, errors="report")
        if obs.empty:
            raise ValueError("no observations to explore")
        self.observations = obs
        self.result: pd.Series | None = None
        self.backtest_frame = pd.DataFrame()
        self._busy = False
        years = obs["year"].astype(int)
        families = ["auto", *getattr(models, "FAMILIES", ("linear", "loglinear", "logit"))]
        first_plan = plan if plan in self.plans else self._best_plan()
        self.controls: dict[str, W.ValueWidget] = {
            "plan": W.Dropdown(options=[(p.title, p.id) for p in self.plans.values()], value=first_plan,
                               description=t("plan", lang)),
            "region": W.Dropdown(options=sorted(obs["region"].unique()), description=t("region", lang)),
            "domain": W.Dropdown(description=t("domain", lang)),
            "indicator": W.Dropdown(description=t("indicator", lang)),
            "disaggregation": W.Dropdown(description=t("disaggregation", lang)),
            "model": W.Dropdown(options=[(model_label(f, lang), f) for f in families], value="auto",
                                description=t("model", lang)),
            "as_of": W.IntSlider(min=int(years.min()), max=int(years.max()), value=int(years.max()),
                                 description=t("as_of", lang), continuous_update=False),
        }
        for c in self.controls.values():
            c.style = {"description_width": "5em"}
            c.layout = W.Layout(width="100%")
        self.fan = go.FigureWidget()
        self.backtest_fig = go.FigureWidget()
        self.numbers = W.HTML()
        self._refresh_plan(region)
        for name, control in self.controls.items():
            control.observe(self._on_change(name), names="value")
        self.update()
        grid = W.GridBox(list(self.controls.values()),
                         layout=W.Layout(grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))"))
        self.widget = W.VBox([grid, self.fan, self.numbers, self.backtest_fig])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ---------------------------------------------------------------- selection

    @property
    def plan(self) -> Plan:
        return self.plans[self.controls["plan"].value]

    def selection(self) -> dict:
        """The current choice of every control."""
        return {name: c.value for name, c in self.controls.items()}

    def _best_plan(self) -> str:
        """A plan whose region is in the data, else the first."""
        regions = set(self.observations["region"])
        for p in self.plans.values():
            if p.region in regions:
                return p.id
        return next(iter(self.plans))

    def _on_change(self, name: str):
        def handler(_change) -> None:
            if self._busy:
                return
            self._busy = True
            try:
                if name == "plan":
                    self._refresh_plan(None)
                elif name == "domain":
                    self._refresh_indicators()
                elif name in ("region", "indicator"):
                    self._refresh_breakdowns()
            finally:
                self._busy = False
            self.update()
        return handler

    def _refresh_plan(self, region: str | None) -> None:
        plan, c = self.plan, self.controls
        regions = list(c["region"].options)
        wanted = region if region in regions else plan.region if plan.region in regions else c["region"].value
        c["region"].value = wanted if wanted in regions else regions[0]
        domains = list(dict.fromkeys(tg.domain or self.indicators.by_id[tg.indicator].domain for tg in plan.targets))
        c["domain"].options = [(t("all", self.lang), "")] + [
            (DOMAIN_LABELS.get(d, {}).get(self.lang, d), d) for d in domains]
        c["domain"].value = ""
        self._refresh_indicators()

    def _refresh_indicators(self) -> None:
        domain = self.controls["domain"].value
        inds = [tg.indicator for tg in self.plan.targets if not domain or tg.domain == domain]
        inds = list(dict.fromkeys(inds))
        with_data = set(self._region_obs()["indicator"])
        inds.sort(key=lambda i: i not in with_data)  # indicators with data first
        self.controls["indicator"].options = [(self.indicators.by_id[i].name(self.lang), i) for i in inds]
        self.controls["indicator"].value = inds[0] if inds else None
        self._refresh_breakdowns()

    def _region_obs(self) -> pd.DataFrame:
        o = self.observations
        return o[o["region"] == self.controls["region"].value]

    def _refresh_breakdowns(self) -> None:
        o = self._region_obs()
        o = o[o["indicator"] == self.controls["indicator"].value]
        keys = [TOTAL] + sorted({tuple(k) for k in o[list(BREAKDOWN)].itertuples(index=False)} - {TOTAL})
        self.controls["disaggregation"].options = [
            (breakdown_label(*k, lang=self.lang), k) for k in keys]
        self.controls["disaggregation"].value = TOTAL

    # ---------------------------------------------------------------- computing

    def series(self, upto: bool = True) -> pd.DataFrame:
        """The selected series (year, value); only years ≤ as-of unless ``upto`` is False."""
        c = self.controls
        o = self._region_obs()
        o = o[o["indicator"] == c["indicator"].value]
        key = c["disaggregation"].value or TOTAL
        for col, v in zip(BREAKDOWN, key, strict=True):
            o = o[o[col] == v]
        o = o.sort_values("year")[["year", "value"]]
        return o[o["year"] <= c["as_of"].value] if upto else o

    def _targets(self) -> list:
        ind = self.controls["indicator"].value
        return sorted((tg for tg in self.plan.targets if tg.indicator == ind), key=lambda tg: tg.year)

    def _main_target(self):
        """The target shown: the first not yet past at the as-of year, else the last."""
        targets = self._targets()
        if not targets:
            return None
        ahead = [tg for tg in targets if tg.year >= self.controls["as_of"].value]
        return ahead[0] if ahead else targets[-1]

    def assess_selection(self) -> pd.Series | None:
        """The engine's assessment of the main target for the selected series."""
        target = self._main_target()
        if target is None:
            return None
        series = self.series()
        region = self.controls["region"].value
        obs = pd.DataFrame({"region": region, "indicator": target.indicator, "year": series["year"].astype(int),
                            "value": series["value"].astype(float), "unit": "", "sex": "total", "area": "total",
                            "age_group": "total", "subregion": "", "source": "", "note": ""})
        plan = self.plan.model_copy(update={"targets": [target]})
        res = assess(obs, plan, as_of=self.controls["as_of"].value, model=self.controls["model"].value,
                     regions=[region], indicators=self.indicators)
        return res.iloc[0]

    def update(self) -> None:
        """Recompute for the current selection and redraw the figures and numbers in place."""
        target = self._main_target()
        series, later = self.series(), self.series(upto=False)
        later = later[later["year"] > self.controls["as_of"].value]
        self.result = self.assess_selection()
        if target is None:
            self._replace(self.fan, go.Figure(layout={"title": t("no_series", self.lang)}))
            self._replace(self.backtest_fig, go.Figure())
            self.numbers.value = f"<p>{html.escape(t('no_series', self.lang))}</p>"
            return
        milestones = [tg for tg in self._targets() if tg.id != target.id]
        ind = self.indicators.by_id[target.indicator]
        label = breakdown_label(*(self.controls["disaggregation"].value or TOTAL), lang=self.lang)
        title = f"{self.controls['region'].value} · {ind.name(self.lang)}（{label}）— {target.describe(self.lang)}"
        fig = fan_chart(series, target, self.result, lang=self.lang, milestones=milestones,
                        indicators=self.indicators, title=title, held_out=later)
        self._replace(self.fan, fig)
        self._update_backtest(series, ind)
        self.numbers.value = self._numbers_html(target)

    def _update_backtest(self, series: pd.DataFrame, ind) -> None:
        family = str(self.result["model"]) if self.result is not None else "linear"
        if family not in getattr(models, "FAMILIES", ()):
            family = "linear"
        upper = ind.bounds[1] if ind.bounds[1] is not None else np.nan
        self.backtest_frame = backtest(series, family, upper)
        if self.backtest_frame.empty:
            self._replace(self.backtest_fig, go.Figure(layout={"title": t("no_backtest", self.lang), "height": 120}))
        else:
            self._replace(self.backtest_fig, backtest_chart(self.backtest_frame, series, self.lang))

    @staticmethod
    def _replace(widget: go.FigureWidget, fig: go.Figure) -> None:
        with widget.batch_update():
            widget.data = ()
            widget.add_traces(list(fig.data))
            widget.layout = fig.layout

    def numbers_table(self) -> dict[str, str]:
        """The numbers panel as label → text."""
        r, lang = self.result, self.lang
        if r is None:
            return {}
        unit = str(r.get("unit") or "")
        rows = {
            t("status", lang): status_label(r["status"], lang),
            t("last_value", lang): f"{fmt_number(r['last_value'])}{unit}" + (
                f"（{int(r['last_year'])}）" if pd.notna(r["last_year"]) else ""),
            t("projected", lang): f"{fmt_number(r['projected'])}{unit} [{fmt_number(r['lower'])}, "
                                  f"{fmt_number(r['upper'])}]" if pd.notna(r["projected"]) else "",
            t("p_meet", lang): "" if pd.isna(r["p_meet"]) else f"{r['p_meet']:.0%}",
            t("observed_rate", lang): fmt_number(r.get("observed_rate"), 3),
            t("required_rate", lang): fmt_number(r.get("required_rate"), 3),
            t("model", lang): model_label(str(r["model"]), lang),
            t("warnings", lang): explain_warnings(r, lang),
        }
        bt = self.backtest_frame
        if not bt.empty:
            rows[t("mae", lang)] = fmt_number(bt["error"].abs().mean(), 3)
            rows[t("coverage", lang)] = f"{bt['covered'].mean():.0%}（{len(bt)}）"
        return {k: v for k, v in rows.items() if v}

    def _numbers_html(self, target) -> str:
        rows = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
                       f"<td>{html.escape(v)}</td></tr>" for k, v in self.numbers_table().items())
        clause = html.escape(target.clause or "")
        return f"<table>{rows}</table>" + (f"<p style='color:#555'>{t('clause', self.lang)}：{clause}</p>" if clause else "")


def explore(
    plans: str | Path | Sequence[str | Path] = config.PARAMS_DIR,
    data: str | Path = config.NATIONAL_DATA_DIR,
    lang: str = "zh",
    **kwargs,
) -> Explorer:
    """An :class:`Explorer` over the catalogs in ``plans`` and the observations in ``data``."""
    return Explorer(plans, data, lang=lang, **kwargs)
