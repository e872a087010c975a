"""User-facing labels in Chinese (default) and English."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "observed": {"zh": "观测值", "en": "Observed"},
    "trend": {"zh": "趋势预测", "en": "Projection"},
    "band": {"zh": "{level:.0%}预测区间", "en": "{level:.0%} prediction interval"},
    "target": {"zh": "目标", "en": "Target"},
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
    "synthetic": {
        "zh": "注意：本报告使用合成演示数据，不是真实统计数据。",
        "en": "Note: this report uses synthetic demo data, not real statistics.",
    },
}


def t(key: str, lang: str = "zh", **kwargs: object) -> str:
    """Label ``key`` in ``lang``; unknown keys are returned unchanged."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang, entry["zh"])
    return text.format(**kwargs) if kwargs else text
