"""User-facing labels in Chinese (default) and English, and reasons for warnings in words."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from childplan_analysis.core import config
from childplan_analysis.engine.assess import LEVEL_LABELS, STATUS_LABELS

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "observed": {"zh": "观测值", "en": "Observed"},
    "trend": {"zh": "趋势预测", "en": "Projection"},
    "band": {"zh": "{level:.0%}预测区间", "en": "{level:.0%} prediction interval"},
    "target": {"zh": "目标", "en": "Target"},
    "target_band": {"zh": "目标区间", "en": "Target range"},
    "year": {"zh": "年份", "en": "Year"},
    "region": {"zh": "地区", "en": "Region"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "domain": {"zh": "领域", "en": "Domain"},
    "status": {"zh": "状态", "en": "Status"},
    "warning_level": {"zh": "预警等级", "en": "Warning level"},
    "warnings": {"zh": "预警", "en": "Warnings"},
    "p_meet": {"zh": "达标概率", "en": "P(meet)"},
    "last_value": {"zh": "最新值", "en": "Latest value"},
    "last_year": {"zh": "最新年份", "en": "Latest year"},
    "projected": {"zh": "目标年预测值", "en": "Projected"},
    "target_value": {"zh": "目标值", "en": "Target value"},
    "target_year": {"zh": "目标年", "en": "Target year"},
    "responsible": {"zh": "责任单位", "en": "Responsible unit"},
    "reason": {"zh": "说明", "en": "Note"},
    "model": {"zh": "模型", "en": "Model"},
    "attribute": {"zh": "指标属性", "en": "Attribute"},
    "n": {"zh": "项数", "en": "Targets"},
    "kind": {"zh": "类别", "en": "Kind"},
    "none": {"zh": "无。", "en": "None."},
    "no_parent": {"zh": "本规划没有上级规划，或上级规划目标清单不在参数目录中。",
                  "en": "This plan has no parent plan, or the parent catalog is not in the params folder."},
    "parent_plan": {"zh": "上级规划", "en": "Parent plan"},
    "attainment_title": {"zh": "一、目标达标情况（达标率）", "en": "1. Attainment rate"},
    "met_early_title": {"zh": "二、提前达标的目标", "en": "2. Targets met ahead of time"},
    "at_risk_title": {"zh": "三、预计达标困难的目标", "en": "3. Targets at risk"},
    "regressing_title": {"zh": "四、逆向变化的目标", "en": "4. Targets moving away"},
    "parent_title": {"zh": "五、与上级规划目标及上级地区的比较", "en": "5. Comparison with the parent plan and region"},
    "heatmap_title": {"zh": "一、各地区目标状态", "en": "1. Status by region and target"},
    "ranking_title": {"zh": "二、地区预警排名", "en": "2. Regions ranked by warnings"},
    "details_title": {"zh": "三、明细（可点击表头排序）", "en": "3. Details (click a heading to sort)"},
    "item": {"zh": "项目", "en": "Item"},
    "targets": {"zh": "目标数", "en": "Targets"},
    "monitorable": {"zh": "可监测", "en": "Monitorable"},
    "achieved": {"zh": "已达标", "en": "Achieved"},
    "attainment_rate": {"zh": "达标率", "en": "Attainment rate"},
    "overall": {"zh": "合计", "en": "Overall"},
    "observed_rate": {"zh": "实际年均变化", "en": "Observed annual change"},
    "required_rate": {"zh": "所需年均变化", "en": "Required annual change"},
    "parent_target": {"zh": "上级规划目标", "en": "Parent plan target"},
    "parent_value": {"zh": "上级地区最新值", "en": "Parent region latest"},
    "comparison": {"zh": "对比", "en": "Comparison"},
    "warning_count": {"zh": "预警数", "en": "Warnings"},
    "red": {"zh": "红色预警", "en": "Red"},
    "yellow": {"zh": "黄色预警", "en": "Yellow"},
    "green": {"zh": "绿色", "en": "Green"},
    "rank": {"zh": "排名", "en": "Rank"},
    "note": {"zh": "备注", "en": "Note"},
    "target_text": {"zh": "目标要求", "en": "Target"},
    "clause": {"zh": "规划原文", "en": "Plan clause"},
    "series": {"zh": "序列", "en": "Series"},
    "midterm_milestone": {"zh": "中期（2025年）", "en": "Mid-term (2025)"},
    "final_milestone": {"zh": "终期（2030年）", "en": "Final (2030)"},
    "as_of": {"zh": "评估年份", "en": "As of"},
    "plan": {"zh": "规划", "en": "Plan"},
    "disaggregation": {"zh": "分组", "en": "Breakdown"},
    "origin": {"zh": "预测起点", "en": "Forecast origin"},
    "predicted": {"zh": "回测预测值", "en": "Back-cast"},
    "actual": {"zh": "实际值", "en": "Actual"},
    "backtest": {"zh": "模型回测（用截至各年的数据预测其后年份）",
                 "en": "Model backtest (forecasts from data up to each year)"},
    "mae": {"zh": "平均绝对误差", "en": "Mean absolute error"},
    "coverage": {"zh": "区间覆盖率", "en": "Interval coverage"},
    "no_backtest": {"zh": "数据年份太少，无法回测。", "en": "Too few years of data for a backtest."},
    "no_series": {"zh": "所选组合没有数据。", "en": "No data for this selection."},
    "total": {"zh": "合计", "en": "Total"},
    "male": {"zh": "男", "en": "Male"},
    "female": {"zh": "女", "en": "Female"},
    "urban": {"zh": "城镇", "en": "Urban"},
    "rural": {"zh": "农村", "en": "Rural"},
    "all": {"zh": "全部", "en": "All"},
    "summary_title": {"zh": "一、总体情况", "en": "1. Overview"},
    "warnings_title": {"zh": "二、预警（按责任单位）", "en": "2. Warnings by responsible unit"},
    "scorecard_title": {"zh": "三、分领域目标监测情况", "en": "3. Targets by domain"},
    "charts_title": {"zh": "四、各项目标趋势与预测", "en": "4. Trend and projection per target"},
    "gaps_title": {"zh": "五、城乡、性别与区域差距", "en": "5. Gaps by area, sex and sub-region"},
    "no_gaps": {"zh": "数据中没有分性别、城乡或下辖地区的数据。", "en": "The data have no breakdowns by sex, area or sub-region."},
    "gaps_widening": {"zh": "差距扩大的指标", "en": "Gaps that widen"},
    "laggards_title": {"zh": "全域达标、但未达到目标的下辖地区", "en": "Sub-regions below a target their region meets"},
    "ahead_title": {"zh": "全域未达标、但已达到目标的下辖地区", "en": "Sub-regions meeting a target their region does not"},
    "coverage_title": {"zh": "缺少数据的下辖地区（未计入差距）", "en": "Sub-regions without data (left out of the gaps)"},
    "quality_title": {"zh": "六、数据质量说明", "en": "6. Data-quality notes"},
    "censored": {"zh": "公布值为界限（≥/≤）", "en": "Published as a bound (≥/≤)"},
    "region_value": {"zh": "全域最新值", "en": "Region's latest value"},
    "region_year": {"zh": "全域年份", "en": "Region's year"},
    "subregion": {"zh": "下辖地区", "en": "Sub-region"},
    "subregion_value": {"zh": "下辖地区最新值", "en": "Sub-region's latest value"},
    "subregion_year": {"zh": "下辖地区年份", "en": "Sub-region's year"},
    "subregion_target": {"zh": "下辖地区目标", "en": "Sub-region's target"},
    "subregion_plan_id": {"zh": "下辖地区规划", "en": "Sub-region's plan"},
    "shortfall": {"zh": "差距", "en": "Shortfall"},
    "changes_title": {"zh": "与上期报告相比", "en": "Changes since the previous report"},
    "status_before": {"zh": "上期状态", "en": "Previous status"},
    "warnings_new": {"zh": "新增预警", "en": "New warnings"},
    "warnings_cleared": {"zh": "解除预警", "en": "Cleared warnings"},
    "counts_title": {"zh": "状态与预警统计", "en": "Counts by status and warning"},
    "subregion_title": {"zh": "各下辖地区目标状态排名", "en": "Sub-regions ranked by target status"},
    "subregions_title": {"zh": "各地区目标状态排名", "en": "Regions ranked by target status"},
    "gap_to_target": {"zh": "与目标差距", "en": "Gap to target"},
    "no_warnings": {"zh": "本期无预警。", "en": "No warnings this period."},
    "unassigned": {"zh": "（未注明责任单位）", "en": "(no responsible unit given)"},
    "binding": {"zh": "约束性", "en": "Binding"},
    "expected": {"zh": "预期性", "en": "Expected"},
    "unspecified": {"zh": "未注明", "en": "Not stated"},
    "midterm": {"zh": "中期评估报告", "en": "Mid-term evaluation"},
    "final": {"zh": "终期评估报告", "en": "Final evaluation"},
    "annual": {"zh": "年度监测统计报告", "en": "Annual monitoring report"},
    "dashboard": {"zh": "地区看板", "en": "Regional dashboard"},
    "met_early": {"zh": "提前达标", "en": "Met ahead of time"},
    "at_risk": {"zh": "预计达标困难", "en": "At risk"},
    "regressing_list": {"zh": "逆向变化", "en": "Moving away from the target"},
    "plan_id": {"zh": "规划编号", "en": "Plan id"},
    "target_id": {"zh": "目标编号", "en": "Target id"},
    "comparator": {"zh": "目标类型", "en": "Comparator"},
    "target_value_high": {"zh": "目标上限", "en": "Target upper value"},
    "baseline_year": {"zh": "基期年", "en": "Baseline year"},
    "baseline_value": {"zh": "基期值", "en": "Baseline value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "n_points": {"zh": "数据年数", "en": "Years of data"},
    "first_year": {"zh": "最早年份", "en": "First year"},
    "lower": {"zh": "预测下限", "en": "Lower bound"},
    "upper": {"zh": "预测上限", "en": "Upper bound"},
    "anticipated_gap": {"zh": "预计差距", "en": "Anticipated gap"},
    "model_choice": {"zh": "模型选择依据", "en": "Model choice"},
    "shrinkage": {"zh": "趋势借用权重", "en": "Shrinkage to sibling trend"},
    "last_censor": {"zh": "最新值区间标记", "en": "Latest value bound"},
    "method": {"zh": "评估方法", "en": "Method"},
    "method_category": {"zh": "方法类别", "en": "Method category"},
    "results_sheet": {"zh": "评估结果", "en": "Results"},
    "indicator_name": {"zh": "指标名称", "en": "Indicator name"},
    "synthetic": {
        "zh": "注意：本报告使用合成演示数据，不是真实统计数据。",
        "en": "Note: this report uses synthetic demo data, not real statistics.",
    },
}

#: Status and level labels come from the engine, so new codes appear here automatically.
STATUS_TEXT = STATUS_LABELS
LEVEL_TEXT = LEVEL_LABELS
MODEL_TEXT = {
    "auto": {"zh": "自动选择", "en": "Automatic"},
    "linear": {"zh": "线性趋势", "en": "Linear trend"},
    "loglinear": {"zh": "对数线性（年均变化率）", "en": "Log-linear (constant rate)"},
    "logit": {"zh": "Logit（趋近上限）", "en": "Logit (bounded share)"},
    "damped": {"zh": "阻尼趋势", "en": "Damped trend"},
    "escap": {"zh": "时间加权回归（亚太经社会）", "en": "Time-weighted regression (ESCAP)"},
    "persistence": {"zh": "保持最新值", "en": "Last value (persistence)"},
}


def t(key: str, lang: str = "zh", **kwargs: object) -> str:
    """Label ``key`` in ``lang``; unknown keys are returned unchanged."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang, entry["zh"])
    return text.format(**kwargs) if kwargs else text


def count_en(n: int, noun: str, plural: str | None = None) -> str:
    """``1 red warning``, ``2 red warnings``: a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def check_lang(lang: str) -> str:
    """``lang`` if supported, else a clear error."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def _lookup(table: Mapping[str, Mapping[str, str]], code: object, lang: str) -> str:
    entry = table.get(str(code))
    return entry.get(lang, entry["zh"]) if entry else str(code)


def status_label(code: str, lang: str = "zh") -> str:
    """A status code (``on_track``) in words; unknown codes are returned unchanged."""
    return _lookup(STATUS_TEXT, code, lang)


def level_label(code: str, lang: str = "zh") -> str:
    """A warning level (``red``) in words."""
    return _lookup(LEVEL_TEXT, code, lang)


def model_label(code: str, lang: str = "zh") -> str:
    """A model family in words."""
    return _lookup(MODEL_TEXT, code, lang)


def attribute_label(code: object, lang: str = "zh") -> str:
    """Target attribute: 约束性 / 预期性 / 未注明."""
    code = "" if code is None or (isinstance(code, float) and math.isnan(code)) else str(code)
    return t(code if code in ("binding", "expected") else "unspecified", lang)


def breakdown_label(sex: str = "total", area: str = "total", age_group: str = "total",
                    subregion: str = "", lang: str = "zh") -> str:
    """A disaggregation (sex, area, age group, subregion) in words; ``合计`` for the total."""
    parts = [t(sex, lang) if sex != "total" else "", t(area, lang) if area != "total" else "",
             age_group if age_group != "total" else "", subregion]
    parts = [p for p in parts if p]
    return "·".join(parts) if parts else t("total", lang)


def fmt_number(x: object, digits: int = 4) -> str:
    """A number for tables: ``4`` significant digits, empty for missing."""
    if x is None:
        return ""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(x)
    return "" if math.isnan(v) else f"{v:.{digits}g}"


def _get(row: Mapping, key: str) -> object:
    value = row.get(key) if hasattr(row, "get") else None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_REASON_PATTERNS_ZH = [
    (re.compile(r"^no data for this indicator$"), "无该指标数据"),
    (re.compile(r"^latest value is from (\d+), more than (\d+) years before (\d+)$"),
     r"最新数据为\1年，早于\3年超过\2年"),
    (re.compile(r"^only (\d+) year\(s\) of data: judged on the latest value; (\d+) needed for a projection$"),
     r"仅有\1年数据：按最新值判断；预测至少需要\2年"),
    (re.compile(r"^only (\d+) year\(s\) of data: judged on the latest value; trend borrowed from other series of the indicator or of like indicators$"),
     r"仅有\1年数据：按最新值判断；趋势借用本指标其他地区或同类指标的数据"),
    (re.compile(r"^every value is a bound \(censor\): judged on the latest one; no trend can be fitted$"),
     "各年数值均为区间值（如“>99%”）：按最新值判断，无法拟合趋势"),
    (re.compile(r"^only (\d+) year\(s\) of data; (\d+) needed for a projection$"),
     r"仅有\1年数据，预测至少需要\2年"),
    (re.compile(r"^no value for the baseline year (\d+)$"), r"缺少基期（\1年）数值"),
    (re.compile(r"^the (\S+) method does not assess this kind of target$"), r"\1方法不评估此类目标"),
]

#: Decimals shown for a value in a unit (rates of change get one more); other units: 2.
UNIT_DIGITS = {"%": 1, "‰": 1, "1/10万": 1, "岁": 1, "年": 1, "人": 0, "个": 0, "所": 0}
_RATE_UNITS = {"%": ("个百分点/年", " percentage points a year"), "‰": ("‰/年", "‰ a year"),
               "1/10万": ("/10万/年", " per 100,000 a year")}


#: How a unit reads right after a number (12.1/10万, not 12.11/10万).
_UNIT_AFTER_NUMBER = {"1/10万": "/10万", "1/1000": "/1000"}
#: … and in English text (12.1 per 100,000).
_UNIT_AFTER_NUMBER_EN = {"1/10万": " per 100,000", "1/万": " per 10,000", "1/1000": " per 1,000"}
_EN_IN_TEXT = [(re.compile(r"(?<=\d)/10万"), " per 100,000"), (re.compile(r"(?<=\d)/万"), " per 10,000")]


def unit_after_number(unit: object, lang: str = "zh") -> str:
    """A unit as written right after a number: ``/10万`` for 1/10万 (``per 100,000`` in English),
    else the unit itself."""
    unit = str(unit or "")
    if lang == "en" and unit in _UNIT_AFTER_NUMBER_EN:
        return _UNIT_AFTER_NUMBER_EN[unit]
    return _UNIT_AFTER_NUMBER.get(unit, unit)


def units_in_text(text: str, lang: str = "zh") -> str:
    """In English, ``≤13/10万 (2030)`` reads ``≤13 per 100,000 (2030)``; Chinese text unchanged."""
    if lang != "en":
        return text
    for pattern, words in _EN_IN_TEXT:
        text = pattern.sub(words, text)
    return text


def unit_digits(unit: object) -> int:
    """Decimals for values in ``unit`` (1 for %, ‰ and 1/10万; 2 for ratios like 名 per 1000)."""
    return UNIT_DIGITS.get(str(unit or ""), 2)


def fmt_value(x: object, unit: object = "", *, with_unit: bool = True, lang: str = "zh") -> str:
    """A value rounded to its unit's precision, with the unit (``95.7%``, ``3.2‰``, ``12.6/10万``;
    ``12.6 per 100,000`` with ``lang="en"``); empty if missing."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "" if x is None else str(x)
    if math.isnan(v):
        return ""
    unit = str(unit or "")
    return f"{v:.{unit_digits(unit)}f}" + (unit_after_number(unit, lang) if with_unit else "")


def _short_series_reason(row: Mapping, n_points: int, lang: str) -> str:
    """Why a series with too few values of its own is warned: its latest value misses the target
    (the statistics office's point test); a trend borrowed from sibling series is shown beside it."""
    unit = str(_get(row, "unit") or "")
    last, last_year = fmt_value(_get(row, "last_value"), unit, lang=lang), _get(row, "last_year")
    year, p, projected = _get(row, "target_year"), _get(row, "p_meet"), _get(row, "projected")
    y = int(last_year) if last_year is not None else "?"
    if lang == "en":
        s = f"the latest value ({last} in {y}) does not meet the target; only {n_points} value(s), judged on the latest"
        if p is not None and projected is not None and year:
            s += (f" (the trend borrowed from similar series projects {fmt_value(projected, unit, lang=lang)} "
                  f"in {int(year)}, "
                  f"probability of meeting it {float(p):.0%})")
        return s
    s = f"最新值（{y}年{last}）未达到目标；仅有{n_points}个数据点，按最新值判断"
    if p is not None and projected is not None and year:
        s += f"（借用同类序列的趋势，预计{int(year)}年为{fmt_value(projected, unit)}，达标概率{float(p):.0%}）"
    return s


def fmt_rate(x: object, unit: object = "", comparator: object = "", lang: str = "zh") -> str:
    """An annual change with its unit: ``0.27个百分点/年`` for a share in %, ``1.5%/年`` for a
    rate-of-change target (``annual_*_pct``), ``0.12‰/年``; empty if missing. A change from a
    baseline (``relative_*_pct``) is still paced in the indicator's own unit."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return ""
    unit = str(unit or "")
    en = lang == "en"
    if str(comparator or "") in ("annual_decrease_pct", "annual_increase_pct"):
        suffix = "% a year" if en else "%/年"
    elif unit in _RATE_UNITS:
        suffix = _RATE_UNITS[unit][1 if en else 0]
    else:
        suffix = (f" {unit} a year" if unit else " a year") if en else f"{unit}/年"
    return f"{v:+.{unit_digits(unit) + 1}f}{suffix}"


def reason_label(reason: object, lang: str = "zh") -> str:
    """The engine's reason for ``insufficient_data`` in ``lang`` (known sentences translated)."""
    text = "" if reason is None or (isinstance(reason, float) and math.isnan(reason)) else str(reason)
    if lang == "en" or not text:
        return text
    for pattern, repl in _REASON_PATTERNS_ZH:
        if pattern.match(text):
            return pattern.sub(repl, text)
    return text


def _projected_pace(row: Mapping) -> float | None:
    """The yearly change from the latest value to the projection in the target year, or None: the
    pace to set beside the pace needed (both start from the latest value; a fitted slope does not
    say how a damped trend slows)."""
    try:
        last, projected = float(_get(row, "last_value")), float(_get(row, "projected"))
        gap = float(_get(row, "target_year")) - float(_get(row, "last_year"))
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(last) and math.isfinite(projected) and math.isfinite(gap)) or gap <= 0:
        return None
    return (projected - last) / gap


def explain_warnings(row: Mapping, lang: str = "zh") -> str:
    """Why a target is warned about, in a sentence built from its assessment row.

    Uses the warning codes and whatever numbers the row has (``p_meet``, ``projected``,
    ``observed_rate``, ``required_rate``, ``last_year``); missing columns are skipped.
    """
    codes = [c for c in str(_get(row, "warnings") or "").split(";") if c]
    unit = str(_get(row, "unit") or "")
    comparator = _get(row, "comparator")
    year = _get(row, "target_year")
    p = _get(row, "p_meet")
    projected = _get(row, "projected")
    obs_rate, req_rate = _get(row, "observed_rate"), _get(row, "required_rate")
    last_year = _get(row, "last_year")
    pace = _projected_pace(row)  # what the projection itself moves a year (a damped trend slows)
    paced = pace is not None and not str(comparator or "").startswith("annual_")
    if paced:
        obs_rate = pace
    parts: list[str] = []
    n_points = _get(row, "n_points")
    short = n_points is not None and int(n_points) < config.MIN_POINTS
    for code in codes:
        if code == "off_track" and short:
            parts.append(_short_series_reason(row, int(n_points), lang))
        elif code == "off_track":
            if lang == "en":
                s = "on the current trend the target is likely to be missed"
                if p is not None:
                    s += f" (probability of meeting it {float(p):.0%}"
                    s += (f", projected {fmt_value(projected, unit, lang='en')} in {int(year)})"
                          if projected is not None and year else ")")
                if obs_rate is not None and req_rate is not None and float(req_rate) != 0:
                    s += (f"; change needed {fmt_rate(req_rate, unit, comparator, lang)}, "
                          f"{'projected' if paced else 'observed'} {fmt_rate(obs_rate, unit, comparator, lang)}")
            else:
                s = "按当前趋势预计难以按期达标"
                if p is not None:
                    s += f"（达标概率{float(p):.0%}"
                    s += f"，预计{int(year)}年为{fmt_value(projected, unit)}）" if projected is not None and year else "）"
                if obs_rate is not None and req_rate is not None and float(req_rate) != 0:
                    s += (f"；需年均变化{fmt_rate(req_rate, unit, comparator, lang)}，"
                          f"{'按趋势预计年均变化' if paced else '实际年均变化'}{fmt_rate(obs_rate, unit, comparator, lang)}")
            parts.append(s)
        elif code == "may_not_hold":
            when = f"{int(year)}" if year else "?"
            chance = f"{float(p):.0%}" if p is not None else "?"
            parts.append(f"met now, but on the current trend likely outside the target in {when} (probability of "
                         f"meeting it then {chance}, projected {fmt_value(projected, unit, lang=lang)})" if lang == "en"
                         else f"目前已达标，但按当前趋势{when}年可能不再达标（届时达标概率{chance}，"
                              f"预计为{fmt_value(projected, unit)}）")
        elif code == "volatile":
            parts.append("year-to-year values fluctuate strongly around the trend" if lang == "en"
                         else "历年数值围绕趋势波动较大，趋势判断不够稳定")
        elif code == "regressing":
            parts.append("the indicator is moving away from the target" if lang == "en"
                         else "指标向目标的反方向变化")
        elif code == "stale_data":
            y = f"{int(last_year)}" if last_year is not None else "?"
            parts.append(f"the latest value is from {y}" if lang == "en" else f"最新数据为{y}年，数据陈旧")
        elif code == "series_break":
            parts.append("the series has a break (a change of definition or source); values before and after "
                         "are not fully comparable" if lang == "en"
                         else "数据出现突变（可能是统计口径或来源变化），前后数据不完全可比")
        elif code == "widening_gap":
            parts.append("the gap between groups is widening" if lang == "en" else "群体间差距在扩大")
        else:
            parts.append(code)
    status = _get(row, "status")
    if not parts and status == "insufficient_data":
        parts.append(reason_label(_get(row, "reason"), lang) or status_label("insufficient_data", lang))
    elif not parts and status == "acceleration_needed":
        parts.append("progress must speed up to meet the target on time" if lang == "en"
                     else "需加快进度才能按期达标")
    return ("; " if lang == "en" else "；").join(parts)
