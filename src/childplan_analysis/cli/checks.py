"""Checks on loaded observations that the analyst must see before a report is trusted:
rows of another region than the one reported, and shares typed as fractions (0.953 for 95.3 %)."""

from __future__ import annotations

import pandas as pd
from rich.markup import escape

from childplan_analysis.cli.common import stderr, word
from childplan_analysis.core.indicators import load_indicators

#: Units whose values are written as numbers on their own scale: a value at most 1 in a
#: series that otherwise reads tens is most likely typed as a fraction.
SCALES = {"%": 100.0, "‰": 1000.0}
SERIES_KEYS = ["region", "indicator", "sex", "area", "age_group", "subregion"]


def rows_outside(obs: pd.DataFrame, region: str) -> pd.DataFrame:
    """Rows per region other than ``region`` (columns ``region, rows``), most rows first."""
    other = obs.loc[obs["region"].astype(str) != region, "region"].astype(str)
    counts = other.value_counts()
    return pd.DataFrame({"region": counts.index, "rows": counts.to_numpy()})


def suspect_fractions(obs: pd.DataFrame) -> pd.DataFrame:
    """Values of a ``%``/``‰`` series in (0, 1] where the median of the series' values above 1 is
    at least 10 and the value on the unit's scale (×100, ×1000) lies nearer that median: a share
    typed as a fraction.

    Columns: the series keys, ``year, value, unit, median, suggested`` (value on the unit's scale).
    """
    cols = [*SERIES_KEYS, "year", "value", "unit", "median", "suggested"]
    if obs.empty or "unit" not in obs:
        return pd.DataFrame(columns=cols)
    frame = obs[obs["unit"].isin(list(SCALES))].copy()
    if frame.empty:
        return pd.DataFrame(columns=cols)
    keys = [k for k in SERIES_KEYS if k in frame]
    # the median of the series' other values, those above 1 (the fraction-like ones left out)
    frame["median"] = frame["value"].where(frame["value"] > 1).groupby(
        [frame[k] for k in keys], dropna=False).transform("median")
    scale = frame["unit"].astype(object).map(SCALES).astype(float)
    value = frame["value"].astype(float)
    small = (value > 0) & (value <= 1)
    # the value times the scale lies nearer the series' median than the value itself does
    nearer = (value * scale - frame["median"]).abs() < (value - frame["median"]).abs()
    hit = frame[small & (frame["median"] >= 10) & nearer].copy()
    hit["suggested"] = (hit["value"].astype(float) * scale[hit.index]).round(6)
    for k in SERIES_KEYS:
        if k not in hit:
            hit[k] = ""
    return hit[cols].sort_values(["region", "indicator", "year"]).reset_index(drop=True)


def _name(ind: str) -> str:
    dictionary = load_indicators()
    lang = "en" if word("zh", "en") == "en" else "zh"
    return dictionary.by_id[ind].name(lang) if ind in dictionary.by_id else ind


def print_checks(obs: pd.DataFrame, region: str | None) -> int:
    """Print on standard error what the report would silently leave out or take at face value.
    Returns the number of problems printed."""
    err, problems = stderr(), 0
    if region:
        outside = rows_outside(obs, region)
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
