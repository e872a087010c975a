"""Checks printed before a report is trusted: rows of another region than the one reported
(a name that may be it written without its suffix but is not taken for it, as another place
could be meant, is named as such), and shares typed as fractions (see :mod:`childplan_analysis.report.suspects`)."""

from __future__ import annotations

import pandas as pd
from rich.markup import escape

from childplan_analysis.cli.common import stderr, word
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.regions import region_spellings
from childplan_analysis.report.suspects import rows_outside, suspect_fractions


def _name(ind: str) -> str:
    return load_indicators().display_name(ind, "en" if word("zh", "en") == "en" else "zh")


def print_checks(obs: pd.DataFrame, region: str | None) -> int:
    """Print on standard error what the report would silently leave out or take at face value.
    Returns the number of problems printed."""
    err, problems = stderr(), 0
    if region:
        outside = rows_outside(obs, region)
        unclear = region_spellings(outside["region"], region).unclear
        for name, others in unclear.items():
            shown = "、".join(f"「{o}」" for o in others)
            err.print("[yellow]" + escape(word(
                f"注意：「{name}」可能是规划地区「{region}」的简写，但数据中还有{shown}，无法确定，未合并；"
                f"请在文件中写明完整的地区名「{region}」。",
                f"note: {name!r} may be the plan's region {region!r} without its suffix, but the data also "
                f"hold {', '.join(map(repr, others))}: it is left apart; write the full name {region!r} in the "
                f"files.")) + "[/]", highlight=False, soft_wrap=True)
        if len(outside):
            problems += int(outside["rows"].sum())
            listed = "、".join(f"{r.region}（{r.rows} 行）" for r in outside.itertuples(index=False))
            err.print("[yellow]" + escape(word(
                f"注意：{listed}的数据不属于规划地区「{region}」，不计入本地区的报告。"
                f"若是同一地区的不同写法，请把规划文件中的 region 改为数据中的写法，或统一各文件的“地区”；"
                f"若要报告该地区，用 --region 指定。",
                f"note: rows of {listed.replace('、', ', ').replace('（', ' (').replace(' 行）', ' rows)')} are "
                f"not of the plan's region {region!r} and are left out of its report. If it is the same "
                f"place written differently, set the plan's region to the data's spelling or make the "
                f"files agree; to report that region, use --region.")) + "[/]",
                highlight=False, soft_wrap=True)
    suspects = suspect_fractions(obs)
    for s in suspects.itertuples(index=False):
        problems += 1
        err.print("[yellow]" + escape(word(
            f"疑似单位错误：{s.region} {_name(s.indicator)} {s.year}年 填报 {s.value:g}{s.unit}，"
            f"同一序列其他年份约 {s.median:g}{s.unit}；若是按小数填写，应为 {s.suggested:g}{s.unit}。"
            f"请核对原表后修改。",
            f"possible unit error: {s.region} {_name(s.indicator)} {s.year}: {s.value:g}{s.unit} while the "
            f"series is about {s.median:g}{s.unit}; typed as a fraction it would be {s.suggested:g}{s.unit}. "
            f"Check the form and correct it.")) + "[/]", highlight=False, soft_wrap=True)
    return problems
