"""Data-quality notes on how the files were read: the values a form marked as not reported
(``—``, ``无``, ``不适用``), listed by indicator, year and file, and the region names read as the
report's region (``'广州' 视为 '广州市'``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.regions import SPELLING_NOTE, region_spellings
from childplan_analysis.io.placeholders import missing_values

#: Missing values named one by one in a note; the others are counted.
SHOWN_MISSING = 30


def missing_value_notes(skipped: pd.DataFrame | None, observations: pd.DataFrame | None = None,
                        regions: Iterable[str] | None = None, zh: bool = True) -> list[str]:
    """One note listing the values the forms marked as not reported, grouped by file
    (``填报表.xlsx：婴儿死亡率 2022年、2023年``); only those of ``regions`` (their names with or without
    the administrative suffix) when given. A year another file gave a value for (in
    ``observations``) is not missing: such marks are only counted."""
    missing = missing_values(skipped)
    if regions is not None and len(missing):
        wanted = [str(r) for r in regions]
        names = missing["region"].unique()
        keep = {n for r in wanted for n in names if n == r or n in region_spellings(names, r).same}
        missing = missing[missing["region"].isin(keep) | (missing["region"] == "")]
    if not len(missing):
        return []
    indicators, lang = load_indicators(), "zh" if zh else "en"
    found = [indicators.find(name) for name in missing["indicator"]]
    missing = missing.assign(ind_id=[f.id if f is not None else "" for f in found])
    filled = _given_elsewhere(missing, observations)
    n_filled, missing = int(filled.sum()), missing[~filled]
    if not len(missing):
        return [f"{n_filled}个数值在一个文件中写作未填报，另一文件有数值，已采用。" if zh
                else f"{n_filled} value(s) marked as not reported in one file were given by another, and used."]
    shown = missing.head(SHOWN_MISSING)
    groups: dict[str, dict[str, list[str]]] = {}
    for m in shown.itertuples(index=False):
        name = indicators.display_name(m.ind_id, lang) if m.ind_id else m.indicator
        year = f"{int(m.year)}年" if zh and pd.notna(m.year) else str(int(m.year)) if pd.notna(m.year) else "?"
        groups.setdefault(Path(m.file).name, {}).setdefault(name, []).append(year)
    sep, marks = ("、", "“" + "”“".join(dict.fromkeys(missing["mark"])) + "”") if zh else (
        ", ", ", ".join(f"'{k}'" for k in dict.fromkeys(missing["mark"])))
    per_file = [f"{file}：" + "；".join(f"{name} {sep.join(years)}" for name, years in by_name.items())
                if zh else f"{file}: " + "; ".join(f"{name} {sep.join(years)}" for name, years in by_name.items())
                for file, by_name in groups.items()]
    more = len(missing) - len(shown)
    if zh:
        tail = (f"；等，共{len(missing)}个" if more > 0 else "") + (
            f"（另有{n_filled}个写作未填报的数值由其他文件给出，已采用）" if n_filled else "")
        return [f"{len(missing)}个数值在表中写作{marks}（未填报），按缺失处理，未计入评估：{'；'.join(per_file)}{tail}。"]
    tail = (f"; {len(missing)} in all" if more > 0 else "") + (
        f" ({n_filled} more marked so were given by another file, and used)" if n_filled else "")
    return [f"{len(missing)} value(s) marked as not reported ({marks}) are treated as missing and not assessed: "
            f"{'; '.join(per_file)}{tail}."]


def _given_elsewhere(missing: pd.DataFrame, observations: pd.DataFrame | None) -> pd.Series:
    """Per missing value, whether the observations hold a value of its indicator and year for its
    region (a name taken for it included)."""
    if observations is None or not len(observations) or not len(missing):
        return pd.Series(False, index=missing.index)
    columns = [observations[c].astype(str).to_numpy() for c in ("region", "indicator")]
    keys = set(zip(*columns, observations["year"].astype(int).to_numpy().tolist(), strict=True))
    regions = pd.unique(columns[0])
    same = {r: r for r in regions}
    for r in regions:
        same.update(region_spellings(missing["region"].unique(), r).same)
    return pd.Series([(same.get(m.region, m.region), m.ind_id, int(m.year)) in keys if pd.notna(m.year) else False
                      for m in missing.itertuples(index=False)], index=missing.index)


def region_spelling_notes(warnings: Iterable[str] | None, zh: bool = True) -> list[str]:
    """The loaders' notes on region names read as the report's region, in the report's language."""
    from childplan_analysis.report.tables import plain_reason

    return [plain_reason(w, zh) + ("。" if zh else ".") for w in warnings or [] if str(w).startswith(SPELLING_NOTE)]


__all__ = ["missing_value_notes", "region_spelling_notes"]
