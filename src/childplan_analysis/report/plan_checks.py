"""The plan checks (``check-plans``) as a table an office reads: Chinese by default, indicator names,
targets and details in words with their units (``上限13/10万高于上级规划的12/10万``)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from childplan_analysis.catalog.consistency import check_plans, folder_plans
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.engine.accountability import with_unit

HEADINGS = {
    "plan": ("规划", "Plan"), "parent": ("上级规划", "Parent plan"), "severity": ("严重程度", "Severity"),
    "indicator": ("指标", "Indicator"), "year": ("年份", "Year"), "issue": ("问题", "Issue"),
    "child_target": ("本规划目标", "Plan target"), "parent_target": ("上级规划目标", "Parent target"),
    "detail": ("说明", "Detail"),
}
SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "note")}
ISSUES = {
    "laxer_than_parent": ("低于上级规划要求", "laxer than the parent"),
    "missing_indicator": ("缺少上级规划指标", "parent indicator missing"),
    "missing_milestone": ("缺少上级规划阶段目标", "parent milestone missing"),
}
_NUM = r"(-?[\d.]+(?:e[-+]?\d+)?)"
#: The details :func:`check_plans` writes, and how they read (``{u}``: the indicator's unit).
DETAILS = [
    (re.compile(rf"^upper bound {_NUM} > parent's {_NUM}$"),
     ("上限{0}高于上级规划的{1}", "upper bound {0} above the parent's {1}")),
    (re.compile(rf"^lower bound {_NUM} < parent's {_NUM}$"),
     ("下限{0}低于上级规划的{1}", "lower bound {0} below the parent's {1}")),
    (re.compile(rf"^interval \[{_NUM}, {_NUM}\] not inside parent's \[{_NUM}, {_NUM}\]$"),
     ("区间{0}–{1}不在上级规划的{2}–{3}之内", "interval {0}–{1} not inside the parent's {2}–{3}")),
    (re.compile(rf"^change {_NUM} < parent's {_NUM}$"),
     ("变化幅度{0}小于上级规划的{1}", "change {0} smaller than the parent's {1}")),
]
TEXTS = [
    (re.compile(r"^direction opposite to the parent's$"), ("方向与上级规划相反", "direction opposite to the parent's")),
    (re.compile(r"^the parent monitors this indicator; the child has no target$"),
     ("上级规划监测此指标，本规划没有相应目标", "the parent monitors this indicator; this plan sets no target")),
    (re.compile(r"^the parent sets a (\d{4}) milestone; the child has none for that year"
                r"(?: \(its next target is for (\d{4})\))?$"),
     ("上级规划设有{0}年阶段目标，本规划没有{0}年目标", "the parent sets a {0} milestone; this plan has none for {0}")),
]


def plan_check_table(
    folder: str | Path, lang: str = "zh", *, all_missing: bool = False, indicators: IndicatorDictionary | None = None,
    checks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every row of :func:`~childplan_analysis.catalog.consistency.check_plans` for ``folder`` (or
    ``checks``, its rows already worked out), in words (plan titles, indicator names, targets and
    details in ``lang``), errors first."""
    plans, indicators = folder_plans(folder, indicators)
    df = check_plans(folder, indicators, all_missing=all_missing) if checks is None else checks
    k = 1 if lang == "en" else 0
    rank = {"error": 0, "warning": 1, "info": 2}
    df = df.assign(_r=df["severity"].map(rank)).sort_values(["plan_id", "_r", "indicator", "year"], kind="stable")

    def describe(plan_id: str, indicator: str, year: int) -> str:
        plan = plans.get(plan_id)
        found = [t for t in (plan.targets if plan else []) if t.indicator == indicator and t.year == year]
        return found[0].describe(lang) if found else "—"

    table = pd.DataFrame({
        "plan": df["plan_id"].map(lambda p: plans[p].title if p in plans else p),
        "parent": df["parent_id"].map(lambda p: plans[p].title if p in plans else p),
        "severity": df["severity"].map(lambda s: SEVERITY.get(s, (s, s))[k]),
        "indicator": df["indicator"].map(lambda i: indicators.display_name(i, lang)),
        "year": df["year"].astype(int),
        "issue": df["issue"].map(lambda s: ISSUES.get(s, (s, s))[k]),
        "child_target": [describe(p, i, y) if c else "—" for p, i, y, c in
                         zip(df["plan_id"], df["indicator"], df["year"], df["child_target"], strict=True)],
        "parent_target": [describe(p, i, y) for p, i, y in
                          zip(df["parent_id"], df["indicator"], df["parent_year"], strict=True)],
        "detail": [detail_text(d, _unit(i, indicators), lang) for d, i in
                   zip(df["detail"], df["indicator"], strict=True)],
    })
    return table.rename(columns={c: HEADINGS[c][k] for c in table.columns}).reset_index(drop=True)


def detail_text(detail: str, unit: str, lang: str = "zh") -> str:
    """A check's detail in ``lang``, numbers with the indicator's unit (``13/10万``, ``13 per 100,000``)."""
    k = 1 if lang == "en" else 0
    for pattern, words in DETAILS:
        m = pattern.match(detail)
        if m:
            return words[k].format(*(with_unit(float(x), unit, lang) for x in m.groups()))
    for pattern, words in TEXTS:
        m = pattern.match(detail)
        if m:
            return words[k].format(*m.groups())
    return detail


def _unit(indicator: str, indicators: IndicatorDictionary) -> str:
    ind = indicators.find(indicator)
    return ind.unit if ind else ""
