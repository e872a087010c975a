"""Data-quality summary per region: coverage per indicator and year, gaps, last year, breaks.

A *series* is one (region, indicator, sex, area, age_group, subregion). For each series the
summary gives its first and last year, the years missing inside its span (or inside the
requested ``years``), and *series breaks*: annual changes far outside the series' own
variation (robust z-score of the change, ``|Δ − median Δ| / (1.4826·b_n·MAD Δ)``, b_n the
small-sample factor of :func:`.rowstats.mad_factor`; 1.2533 × the mean absolute deviation where
more than half the changes are alike and the MAD is 0, :func:`.rowstats.robust_sd`), above
:data:`BREAK_THRESHOLD`), the usual sign of a definition change, a new data source or a
typing error (4.8 → 48).

>>> from childplan_analysis.io.loaders import load_observations
>>> from childplan_analysis import config
>>> q = quality_summary(load_observations(config.NATIONAL_DATA_DIR), regions=["全国"])
>>> int(q.regions.loc[0, "last_year"]) >= 2020
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from childplan_analysis.core.columns import SERIES_COLUMNS
from childplan_analysis.engine.rowstats import robust_sd

#: Robust z-score of an annual change above which it is reported as a series break.
BREAK_THRESHOLD = 5.0
#: Changes needed in a series before breaks are looked for (the series' own variation).
BREAK_MIN_CHANGES = 4
#: The scale of changes is at least this share of the series' median level (so a flat
#: series at 100% does not flag a 0.1-point wobble).
BREAK_SCALE_FLOOR = 0.01

SERIES_QUALITY_COLUMNS = [
    *SERIES_COLUMNS, "first_year", "last_year", "years", "span", "coverage", "missing_years",
    "breaks",
]
BREAK_COLUMNS = [
    *SERIES_COLUMNS, "year", "value", "previous_year", "previous_value", "change",
    "typical_change", "score",
]
REGION_COLUMNS = [
    "region", "indicators", "series", "first_year", "last_year", "indicators_in_last_year",
    "series_with_gaps", "missing_years", "breaks", "indicators_without_data",
]

LABELS: dict[str, dict[str, str]] = {
    "region": {"zh": "地区", "en": "Region"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "sex": {"zh": "性别", "en": "Sex"},
    "area": {"zh": "城乡", "en": "Area"},
    "age_group": {"zh": "年龄组", "en": "Age group"},
    "subregion": {"zh": "子区域", "en": "Sub-region"},
    "indicators": {"zh": "指标数", "en": "Indicators"},
    "series": {"zh": "序列数", "en": "Series"},
    "first_year": {"zh": "起始年份", "en": "First year"},
    "last_year": {"zh": "最新年份", "en": "Last year"},
    "indicators_in_last_year": {"zh": "最新年份有数据的指标", "en": "Indicators with last-year data"},
    "series_with_gaps": {"zh": "有缺年的序列", "en": "Series with gaps"},
    "missing_years": {"zh": "缺失年份", "en": "Missing years"},
    "breaks": {"zh": "序列断点", "en": "Series breaks"},
    "indicators_without_data": {"zh": "无数据指标", "en": "Indicators without data"},
    "years": {"zh": "年数", "en": "Years"},
    "span": {"zh": "跨度", "en": "Span"},
    "coverage": {"zh": "覆盖率", "en": "Coverage"},
    "year": {"zh": "年份", "en": "Year"},
    "value": {"zh": "数值", "en": "Value"},
    "previous_year": {"zh": "上一年份", "en": "Previous year"},
    "previous_value": {"zh": "上一数值", "en": "Previous value"},
    "change": {"zh": "年均变化", "en": "Annual change"},
    "typical_change": {"zh": "通常变化", "en": "Typical change"},
    "score": {"zh": "偏离程度", "en": "Score"},
    "values": {"zh": "数值个数", "en": "Values"},
}


def label(column: str, lang: str = "zh") -> str:
    """Display heading of a quality column in ``lang`` (zh or en)."""
    entry = LABELS.get(column)
    return entry.get(lang, entry["zh"]) if entry else column


@dataclass
class QualityReport:
    """The data-quality summary.

    ``regions``: one row per region. ``series``: one row per series. ``coverage``: number
    of values per region, indicator and year (all breakdowns), ``total`` telling whether the
    region-wide total is among them. ``breaks``: one row per suspected series break.
    """

    regions: pd.DataFrame
    series: pd.DataFrame
    coverage: pd.DataFrame
    breaks: pd.DataFrame

    def coverage_matrix(self, region: str) -> pd.DataFrame:
        """Indicators × years for one region: number of values (0 = none)."""
        sub = self.coverage[self.coverage["region"] == region]
        if sub.empty:
            return pd.DataFrame()
        matrix = sub.pivot_table(index="indicator", columns="year", values="values",
                                 aggfunc="sum", fill_value=0)
        years = range(int(matrix.columns.min()), int(matrix.columns.max()) + 1)
        return matrix.reindex(columns=years, fill_value=0).astype(int)

    def sheets(self, lang: str = "zh") -> dict[str, pd.DataFrame]:
        """The report as named tables with headings in ``lang`` (for Excel export)."""
        names = {"zh": ("地区概况", "序列", "覆盖", "断点"), "en": ("regions", "series", "coverage", "breaks")}
        frames = (self.regions, self.series, self.coverage, self.breaks)
        return {name: f.rename(columns=lambda c: label(c, lang))
                for name, f in zip(names.get(lang, names["zh"]), frames, strict=True)}


def quality_summary(
    obs: pd.DataFrame,
    *,
    regions: list[str] | None = None,
    years: tuple[int, int] | None = None,
    expected_indicators: list[str] | None = None,
    threshold: float = BREAK_THRESHOLD,
) -> QualityReport:
    """Summarise the quality of a tidy observations frame, per region.

    ``years=(first, last)`` counts coverage and gaps over that range instead of each
    series' own span. ``expected_indicators`` (e.g. a plan's indicators) are reported as
    ``indicators_without_data`` when a region has no value for them.
    """
    if regions:
        obs = obs[obs["region"].isin(regions)]
    if years is not None:
        obs = obs[(obs["year"] >= years[0]) & (obs["year"] <= years[1])]
    obs = obs.sort_values([*SERIES_COLUMNS, "year"], kind="stable").reset_index(drop=True)
    breaks = find_breaks(obs, threshold=threshold)
    series = _series_table(obs, years, breaks)
    coverage = _coverage(obs)
    region_table = _region_table(obs, series, breaks, expected_indicators, regions)
    return QualityReport(region_table, series, coverage, breaks)


def find_breaks(obs: pd.DataFrame, threshold: float = BREAK_THRESHOLD) -> pd.DataFrame:
    """Annual changes far outside each series' own variation (all series at once).

    The change between consecutive observed years is divided by the years between them;
    a change whose robust z-score exceeds ``threshold`` is a break. Series with fewer than
    :data:`BREAK_MIN_CHANGES` changes are not judged.
    """
    if obs.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    frame = obs.sort_values([*SERIES_COLUMNS, "year"], kind="stable").reset_index(drop=True)
    group = frame.groupby(SERIES_COLUMNS, sort=False, dropna=False)
    prev_year = group["year"].shift(1)
    prev_value = group["value"].shift(1)
    change = (frame["value"] - prev_value) / (frame["year"] - prev_year)
    frame = frame.assign(previous_year=prev_year, previous_value=prev_value, change=change)
    g = frame.groupby(SERIES_COLUMNS, sort=False, dropna=False)
    n_changes = g["change"].transform("count")
    median = g["change"].transform("median")
    mad = (frame["change"] - median).abs().groupby(
        [frame[c] for c in SERIES_COLUMNS], sort=False, dropna=False).transform("median")
    level = frame["value"].abs().groupby(
        [frame[c] for c in SERIES_COLUMNS], sort=False, dropna=False).transform("median")
    mean_ad = (frame["change"] - median).abs().groupby(
        [frame[c] for c in SERIES_COLUMNS], sort=False, dropna=False).transform("mean")
    sd = robust_sd(mad.to_numpy(), mean_ad.to_numpy(), n_changes.to_numpy())
    scale = np.maximum(pd.Series(sd, index=frame.index), BREAK_SCALE_FLOOR * level)
    scale = scale.where(scale > 0, np.finfo(float).eps)
    score = (frame["change"] - median).abs() / scale
    is_break = (n_changes >= BREAK_MIN_CHANGES) & (score > threshold)
    out = frame[is_break].assign(typical_change=median[is_break], score=score[is_break])
    out = out[BREAK_COLUMNS].reset_index(drop=True)
    out["previous_year"] = out["previous_year"].astype("int64")
    return out


def _series_table(obs: pd.DataFrame, years: tuple[int, int] | None, breaks: pd.DataFrame) -> pd.DataFrame:
    if obs.empty:
        return pd.DataFrame(columns=SERIES_QUALITY_COLUMNS)
    g = obs.groupby(SERIES_COLUMNS, sort=False, dropna=False)["year"]
    table = g.agg(first_year="min", last_year="max", years="nunique").reset_index()
    observed = g.agg(lambda y: frozenset(y.tolist())).reset_index(drop=True)
    lo = table["first_year"] if years is None else pd.Series(years[0], index=table.index)
    hi = table["last_year"] if years is None else pd.Series(years[1], index=table.index)
    table["span"] = (hi - lo + 1).astype("int64")
    table["coverage"] = (table["years"] / table["span"]).round(3)
    table["missing_years"] = [
        ",".join(str(y) for y in range(int(a), int(b) + 1) if y not in seen)
        for a, b, seen in zip(lo, hi, observed, strict=True)
    ]
    n_breaks = breaks.groupby(SERIES_COLUMNS, sort=False, dropna=False).size().rename("breaks")
    table = table.merge(n_breaks.reset_index(), on=SERIES_COLUMNS, how="left")
    table["breaks"] = table["breaks"].fillna(0).astype("int64")
    return table[SERIES_QUALITY_COLUMNS]


def _coverage(obs: pd.DataFrame) -> pd.DataFrame:
    if obs.empty:
        return pd.DataFrame(columns=["region", "indicator", "year", "values", "total"])
    is_total = (obs["sex"] == "total") & (obs["area"] == "total") & (obs["age_group"] == "total") & (
        obs["subregion"] == "")
    frame = obs.assign(_total=is_total)
    out = frame.groupby(["region", "indicator", "year"], sort=True).agg(
        values=("value", "size"), total=("_total", "any")).reset_index()
    return out


def _region_table(obs, series, breaks, expected, regions) -> pd.DataFrame:
    names = sorted(set(obs["region"]) | set(regions or []))
    rows = []
    for region in names:
        sub = obs[obs["region"] == region]
        ser = series[series["region"] == region]
        last = int(sub["year"].max()) if len(sub) else None
        have = set(sub["indicator"])
        missing = [i for i in (expected or []) if i not in have]
        rows.append({
            "region": region,
            "indicators": len(have),
            "series": len(ser),
            "first_year": int(sub["year"].min()) if len(sub) else None,
            "last_year": last,
            "indicators_in_last_year": sub.loc[sub["year"] == last, "indicator"].nunique() if len(sub) else 0,
            "series_with_gaps": int((ser["missing_years"] != "").sum()),
            "missing_years": int((ser["span"] - ser["years"]).sum()),
            "breaks": int((breaks["region"] == region).sum()),
            "indicators_without_data": ",".join(missing),
        })
    table = pd.DataFrame(rows, columns=REGION_COLUMNS)
    for col in ("first_year", "last_year"):
        table[col] = table[col].astype("Int64")
    return table
