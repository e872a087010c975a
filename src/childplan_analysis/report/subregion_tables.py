"""Sub-region tables a committee reads (console and report): counties below a target the city
meets, counties meeting a target the city misses, and counties without data — localized, each
target described in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import STATUS_LABELS


def _heads(table: pd.DataFrame, heads: dict[str, tuple[str, str]], lang: str) -> pd.DataFrame:
    return table[list(heads)].rename(columns={k: v[1] if lang == "en" else v[0] for k, v in heads.items()})


def describe_targets(plans: dict[str, Plan], plan_ids: pd.Series, target_ids: pd.Series, fallback: pd.Series,
              lang: str) -> list[str]:
    """Each (plan id, target id) described in ``lang`` when the plan is known, else the text given."""
    out = []
    for pid, tid, text in zip(plan_ids, target_ids, fallback, strict=True):
        plan = plans.get(str(pid))
        found = [t for t in (plan.targets if plan else []) if t.id == tid]
        out.append(found[0].describe(lang) if found else str(text))
    return out


def _status(code: object, lang: str) -> str:
    return STATUS_LABELS.get(str(code), {}).get(lang, str(code))


def _value(x: object) -> str:
    return "" if pd.isna(x) else f"{float(x):.4g}"


def laggard_table(laggards: pd.DataFrame, lang: str = "zh", plans: Iterable[Plan] = ()) -> pd.DataFrame:
    """:func:`~childplan_analysis.engine.disparity.hidden_laggards` in words."""
    by_id = {p.id: p for p in plans}
    table = laggards.assign(
        target=describe_targets(by_id, laggards["plan_id"], laggards["target_id"], laggards["target"], lang),
        subregion_target=describe_targets(by_id, laggards["subregion_plan_id"], laggards["subregion_target_id"],
                                   laggards["subregion_target"], lang),
        status=laggards["status"].map(lambda s: _status(s, lang)),
        region_value=laggards["region_value"].map(_value),
        subregion_value=laggards["subregion_value"].map(_value),
    )
    return _heads(table, {
        "region": ("地区", "Region"), "target": ("目标", "Target"), "region_value": ("全域值", "Region value"),
        "subregion": ("下辖地区", "Sub-region"), "subregion_value": ("下辖地区值", "Sub-region value"),
        "subregion_target": ("下辖地区的目标", "Its target"), "status": ("状态", "Status"),
    }, lang)


def ahead_table(ahead: pd.DataFrame, lang: str = "zh", plans: Iterable[Plan] = ()) -> pd.DataFrame:
    """:func:`~childplan_analysis.engine.disparity.subregions_ahead` in words."""
    by_id = {p.id: p for p in plans}
    table = ahead.assign(
        target=describe_targets(by_id, ahead["plan_id"], ahead["target_id"], ahead["target"], lang),
        region_status=ahead["region_status"].map(lambda s: _status(s, lang)),
        region_value=ahead["region_value"].map(_value),
        subregion_value=ahead["subregion_value"].map(_value),
    )
    return _heads(table, {
        "region": ("地区", "Region"), "target": ("目标", "Target"), "region_value": ("全域值", "Region value"),
        "region_status": ("全域状态", "Region status"), "subregion": ("下辖地区", "Sub-region"),
        "subregion_value": ("下辖地区值", "Sub-region value"),
    }, lang)


def coverage_table(coverage: pd.DataFrame, lang: str = "zh",
                   indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """:func:`~childplan_analysis.engine.disparity.subregion_coverage` in words."""
    names = indicators or load_indicators()
    sep = ", " if lang == "en" else "、"
    table = coverage.assign(without_data=coverage["without_data"].map(
        lambda ids: sep.join(names.display_name(i, lang) for i in str(ids).split("、") if i)))
    return _heads(table, {
        "region": ("地区", "Region"), "subregion": ("下辖地区", "Sub-region"),
        "with_data": ("有数据的指标数", "Indicators with data"),
        "indicators": ("下辖地区有数据的指标数", "Indicators reported by sub-regions"),
        "without_data": ("无数据的指标", "Indicators without data"),
    }, lang)
