"""Consistency of plans across levels: a child plan may be stricter than its parent, never laxer.

For every plan whose ``parent`` catalog is in the same folder, :func:`check_plans` reports

* ``laxer_than_parent`` — a child target whose level bound is looser than the parent's for the
  same indicator, compared with the parent's latest target year ≤ the child's year (an upper
  bound higher than the parent's for a lower-is-better indicator, a lower bound lower for a
  higher-is-better one, an interval not inside the parent's for a neutral one; a smaller
  annual or relative change of the same kind; a direction opposite to the parent's);
* ``missing_indicator`` — an indicator the parent monitors that the child has no target for;
* ``missing_milestone`` — a year the parent sets a level for (a 2025 milestone) on an indicator the
  child has targets for, but not for that year (within the child's period), severity ``info``:
  the child's later target is then compared with the parent's, its milestone with nothing.

Each row has a ``severity``: ``error`` for a laxer target; ``warning`` for a missing indicator
when the two plans are comparable — the same population (children / women) and the same kind
of plan (both development plans/outlines, not an implementation plan, action plan or
programme such as ``…实施方案`` that covers part of the parent's field, see :func:`comparable`);
``info`` for a missing indicator otherwise, listed only with ``all_missing=True``.
:func:`summarize` gives one row per plan with the counts.

Both catalogs are loaded with :func:`~childplan_analysis.catalog.plans.load_plan`, so values are in
the indicator's unit and comparable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core.errors import PlanError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import (
    LEVEL_COMPARATORS,
    NEEDS_BASELINE,
    RATE_COMPARATORS,
    Target,
)

COLUMNS = [
    "plan_id", "parent_id", "indicator", "year", "parent_year", "issue", "severity",
    "child_target", "parent_target", "detail",
]
SUMMARY_COLUMNS = ["plan_id", "parent_id", "comparable", "scope", "laxer", "missing", "not_compared"]
EPS = 1e-9
#: How titles of plans that cover part of a field end (implementation plans, action plans, …).
PROGRAMME_TITLE = re.compile(r"(方案|行动|计划|意见|要点|工程|措施)$")


def plan_kind(plan: Plan) -> str:
    """``programme`` for implementation/action plans (``…实施方案``, ``…行动计划``), else
    ``development_plan`` (规划, 纲要, or a title that does not say). Bracketed parts of the
    title (``（2021—2030年）``, ``（征求意见稿）``) are ignored."""
    title = re.sub(r"[(（][^()（）]*[)）]|\s", "", plan.title)
    return "programme" if PROGRAMME_TITLE.search(title) else "development_plan"


def comparable(child: Plan, parent: Plan) -> tuple[bool, str]:
    """Whether the parent's indicator list applies to the child, and why (not)."""
    if child.population != parent.population:
        return False, f"population {child.population} ≠ parent's {parent.population}"
    kc, kp = plan_kind(child), plan_kind(parent)
    if kc != kp:
        return False, f"{kc.replace('_', ' ')} vs parent's {kp.replace('_', ' ')}"
    return True, f"same population, both {kc.replace('_', ' ')}s"


def load_folder(folder: str | Path, indicators: IndicatorDictionary | None = None) -> tuple[dict[str, Plan], list[str]]:
    """Every valid catalog in ``folder`` by id, and the problems of the invalid ones."""
    plans: dict[str, Plan] = {}
    problems: list[str] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        try:
            plan = load_plan(path, indicators)
        except PlanError as exc:
            problems.append(str(exc))
            continue
        plans[plan.id] = plan
    return plans, problems


def check_plans(
    folder: str | Path, indicators: IndicatorDictionary | None = None, all_missing: bool = False
) -> pd.DataFrame:
    """Targets laxer than the parent's and indicators the child omits (see module docstring).

    Missing indicators of plans not comparable with their parent are listed (severity
    ``info``) only with ``all_missing``.
    """
    plans, indicators = _plans(folder, indicators)
    rows: list[dict] = []
    for plan, parent in _pairs(plans):
        rows += _laxer(plan, parent, indicators)
        ok, _ = comparable(plan, parent)
        if ok or all_missing:
            rows += _missing(plan, parent, "warning" if ok else "info")
        rows += _milestones(plan, parent)
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.sort_values(["plan_id", "issue", "indicator", "year"], kind="stable").reset_index(drop=True)


def summarize(folder: str | Path, indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """One row per plan with a parent in the folder: whether it is comparable with the parent
    (and why), and the number of laxer targets, missing indicators reported and missing
    indicators not compared."""
    plans, indicators = _plans(folder, indicators)
    df = check_plans(folder, indicators, all_missing=True)
    rows = []
    for plan, parent in _pairs(plans):
        ok, why = comparable(plan, parent)
        mine = df[df.plan_id == plan.id]
        n_missing = int((mine.issue == "missing_indicator").sum())
        rows.append({
            "plan_id": plan.id,
            "parent_id": parent.id,
            "comparable": ok,
            "scope": why,
            "laxer": int((mine.issue == "laxer_than_parent").sum()),
            "missing": n_missing if ok else 0,
            "not_compared": 0 if ok else n_missing,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def folder_plans(
    folder: str | Path, indicators: IndicatorDictionary | None = None
) -> tuple[dict[str, Plan], IndicatorDictionary]:
    """The valid catalogs of ``folder`` by id, and the indicator dictionary they were read with
    (the folder's own ``indicators.yaml`` if it has one)."""
    return _plans(folder, indicators)


def _plans(
    folder: str | Path, indicators: IndicatorDictionary | None
) -> tuple[dict[str, Plan], IndicatorDictionary]:
    if indicators is None:
        dict_file = Path(folder) / "indicators.yaml"
        indicators = load_indicators(dict_file if dict_file.is_file() else None)
    plans, _ = load_folder(folder, indicators)
    return plans, indicators


def _pairs(plans: dict[str, Plan]) -> list[tuple[Plan, Plan]]:
    """(plan, parent) for every plan whose parent is among ``plans``, by plan id."""
    return [(p, plans[p.parent]) for p in sorted(plans.values(), key=lambda p: p.id) if p.parent in plans]


def _parent_target(parent: Plan, child: Target) -> Target | None:
    """The parent's target for the same indicator with the latest year ≤ the child's year."""
    same = [t for t in parent.targets if t.indicator == child.indicator and t.year <= child.year]
    comparable = [t for t in same if _kind(t) == _kind(child)] or same
    return max(comparable, key=lambda t: t.year) if comparable else None


def _kind(t: Target) -> str:
    if t.comparator in NEEDS_BASELINE:
        return f"relative:{t.comparator.value}:{t.baseline_year}"
    if t.comparator in LEVEL_COMPARATORS:
        return "level"
    if t.comparator in RATE_COMPARATORS:
        return f"rate:{t.comparator.value}"
    return "direction"


def laxer_reason(child: Target, parent: Target, polarity: str) -> str | None:
    """Why ``child`` is laxer than ``parent`` (same indicator), or None if it is not."""
    kc, kp = _kind(child), _kind(parent)
    if kc == kp == "level":
        return _laxer_level(child, parent, polarity)
    if kc == kp and kc.startswith(("relative", "rate")):
        if (child.value or 0) < (parent.value or 0) - EPS:
            return f"change {child.value:g} < parent's {parent.value:g}"
        return None
    dc, dp = child.desired_direction, parent.desired_direction
    if dc and dp and dc != dp:
        return "direction opposite to the parent's"
    return None


def _laxer_level(child: Target, parent: Target, polarity: str) -> str | None:
    lo_c, hi_c = child.level_bounds()
    lo_p, hi_p = parent.level_bounds()
    if polarity == "lower" or (polarity == "neutral" and parent.desired_direction < 0):
        if hi_c > hi_p + EPS:
            return f"upper bound {hi_c:g} > parent's {hi_p:g}"
        return None
    if polarity == "higher" or (polarity == "neutral" and parent.desired_direction > 0):
        if lo_c < lo_p - EPS:
            return f"lower bound {lo_c:g} < parent's {lo_p:g}"
        return None
    if lo_c < lo_p - EPS or hi_c > hi_p + EPS:
        return f"interval [{lo_c:g}, {hi_c:g}] not inside parent's [{lo_p:g}, {hi_p:g}]"
    return None


def _laxer(plan: Plan, parent: Plan, indicators: IndicatorDictionary) -> list[dict]:
    rows = []
    for t in plan.targets:
        p = _parent_target(parent, t)
        if p is None:
            continue
        ind = indicators.find(t.indicator)
        reason = laxer_reason(t, p, ind.polarity if ind else "neutral")
        if reason:
            rows.append(_row(plan, parent, t.indicator, t.year, p.year, "laxer_than_parent", "error", t, p, reason))
    return rows


def _missing(plan: Plan, parent: Plan, severity: str) -> list[dict]:
    have = set(plan.indicators)
    rows = []
    for ind in parent.indicators:
        if ind in have:
            continue
        last = max((t for t in parent.targets if t.indicator == ind), key=lambda t: t.year)
        rows.append(
            _row(plan, parent, ind, last.year, last.year, "missing_indicator", severity, None, last,
                 "the parent monitors this indicator; the child has no target")
        )
    return rows


def _milestones(plan: Plan, parent: Plan) -> list[dict]:
    """Parent target years the child lacks for an indicator it has targets for."""
    years: dict[str, set[int]] = {}
    for t in plan.targets:
        years.setdefault(t.indicator, set()).add(t.year)
    first, last = plan.period
    rows = []
    for p in parent.targets:
        have = years.get(p.indicator)
        if not have or p.year in have or not first <= p.year <= last or p.comparator not in LEVEL_COMPARATORS:
            continue
        have.add(p.year)  # one row per year
        later = min((t.year for t in plan.targets if t.indicator == p.indicator and t.year > p.year), default=None)
        rows.append(_row(plan, parent, p.indicator, p.year, p.year, "missing_milestone", "info", None, p,
                         f"the parent sets a {p.year} milestone; the child has none for that year"
                         + (f" (its next target is for {later})" if later else "")))
    return rows


def _row(plan: Plan, parent: Plan, indicator: str, year: int, parent_year: int, issue: str,
         severity: str, child: Target | None, par: Target | None, detail: str) -> dict:
    return {
        "plan_id": plan.id,
        "parent_id": parent.id,
        "indicator": indicator,
        "year": year,
        "parent_year": parent_year,
        "issue": issue,
        "severity": severity,
        "child_target": child.describe() if child else "",
        "parent_target": par.describe() if par else "",
        "detail": detail,
    }
