"""What the title rows above a form's header say about all of its values: the year of its
``本年``/``上年`` columns and the unit of values that name none (``单位：%``).

Both are read only when the title says them once and plainly; a title with several years, a
period shorter than a year (``2024年1-6月``) or several units gives nothing, and the values are
then rejected or left as written, never guessed.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from childplan_analysis.core.text import zh_en
from childplan_analysis.core.units import RATE_SCALE, canonical_unit
from childplan_analysis.io.wide_forms import (
    FURNITURE,
    Header,
    RawTable,
    furniture_reason,
    normalise_heading,
)

_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d{2})(?!\d)")


_SIGN_OFF = FURNITURE[1][1]


def title_cells(grid: pd.DataFrame, header_row: int) -> list[str]:
    """The texts of the title rows above the header (NFKC), each once, without the sign-off cells
    a form puts there (``填报单位：…``, ``填报日期：2025年1月15日`` and the cells after them in their
    row): the date a form was filled in is no period of its values."""
    cells: list[str] = []
    for i in range(header_row):
        for cell in dict.fromkeys(grid.iloc[i]):
            text = unicodedata.normalize("NFKC", str(cell)).strip()
            if furniture_reason(text) == _SIGN_OFF:
                break
            if text:
                cells.append(text)
    return list(dict.fromkeys(cells))


def title_year(grid: pd.DataFrame, header_row: int) -> int | None:
    """The one year named in the title rows above the header, or None (none or several)."""
    found = {int(y) for cell in title_cells(grid, header_row) for y in _TITLE_YEAR.findall(cell)}
    return found.pop() if len(found) == 1 else None


#: Headings of the value columns of a form for one period (its year in the title), and the year
#: each stands for relative to that year: 本年/本期 the title's year, 上年/上年同期 the one before.
RELATIVE_YEARS = {
    **dict.fromkeys(("本年", "本年度", "本年数", "本年实际", "本年累计", "本期", "本期数", "本期实际", "当年",
                     "今年", "报告期", "本年末"), 0),
    **dict.fromkeys(("上年", "上年度", "上年数", "上年实际", "上年累计", "上年同期", "上年同期数", "去年",
                     "去年同期", "上年末"), -1),
}
#: A reporting period shorter than a year in a title: ``1-6月``, ``上半年``, ``一季度``, ``6月``.
_PART_YEAR = re.compile(r"(?<![\d-])(?!1\s*[-—–~至到]\s*12\s*月)\d{1,2}\s*(?:[-—–~至到]\s*\d{1,2}\s*)?月|"
                        r"[上下]半年|[一二三四1-4]\s*季度|前三季度")


def relative_years(grid: pd.DataFrame, header: Header, sheet: str = "") -> str:
    """Give the ``本年``/``上年`` columns of a form without year columns the years they stand
    for, from the one year in its title (``2024年…统计表``: 本年 = 2024, 上年 = 2023), else in its
    sheet's name (a title naming no year at all), and make it a wide form. Returns why they cannot
    be read ('' when they can, or when there are none): no year or several, or a period shorter
    than a year (``2024年1-6月``) — never a guessed year."""
    relative = [j for j, c in enumerate(header.columns)
                if c.field is None and c.year is None and normalise_heading(c.heading) in RELATIVE_YEARS]
    fields = {c.field for c in header.columns if c.field}
    if (not relative or any(c.year is not None for c in header.columns) or "indicator" not in fields
            or fields & {"year", "value"}):
        return ""
    names = "、".join(header.columns[j].heading.strip() for j in relative)
    title = " ".join(title_cells(grid, header.row))
    year = title_year(grid, header.row)
    part = _PART_YEAR.search(title)
    if year is None and not part and not _TITLE_YEAR.search(title):
        found = form_year(grid, header.row, sheet)  # the sheet's name (工作表 2024年)
        year = found[0] if found is not None else None
    if year is None or part:
        why = (f"标题中的报告期 {part.group(0)!r} 不是全年" if part else
               "标题和工作表名中都没有写明唯一的全年年份" if year is None and not _TITLE_YEAR.search(title) else
               "标题中有多个年份")
        return zh_en(f"{names} 列对应哪一年无法确定：{why}；请把列名改为年份（如 2024年、2023年）",
                     f"the year of column(s) {names} cannot be told: "
                     + (f"the title's period {part.group(0)!r} is not a whole year" if part else
                        "the title names no single year"
                        + ("" if _TITLE_YEAR.search(title) else " (nor does the sheet's name)")) + "; head them with their years, e.g. 2024年, 2023年")
    for j in relative:
        header.columns[j].year = year + RELATIVE_YEARS[normalise_heading(header.columns[j].heading)]
        header.columns[j].heading = f"{header.columns[j].heading.strip()}（{header.columns[j].year}年）"
    header.kind = "wide"
    return ""


def form_year(grid: pd.DataFrame, header_row: int, sheet: str) -> tuple[int, str] | None:
    """The year of a form with an indicator and a value column but no year column, and where it
    is written: the one year of its title rows (``2023年柳溪县妇女儿童发展统计表``), else of its
    sheet's name (a workbook with a sheet per year: ``2022年``, ``2023年``). None when neither
    names exactly one, or when the one names a period shorter than a year (``2024年1-6月``)."""
    title = " ".join(title_cells(grid, header_row))
    year = title_year(grid, header_row)
    if year is not None:
        return None if _PART_YEAR.search(title) else (year, f"{year}年（标题 title rows）")
    if _TITLE_YEAR.search(title):  # several years in the title: which one is not written
        return None
    name = unicodedata.normalize("NFKC", sheet or "")
    years = set(_TITLE_YEAR.findall(name))
    if len(years) != 1 or _PART_YEAR.search(name):
        return None
    year = int(years.pop())
    return year, f"{year}年（工作表名 sheet name）"


#: A unit line above the header: ``单位：%``, ``（计量单位：‰）``.
_UNIT_LINE = re.compile(r"(?:^|[\s(（\[［])(?:计量)?单位\s*[:：]\s*([^\s,，;；、)）\]］]+)\s*[)）\]］]?\s*$")


_RATE_UNIT = r"(?:%|‰|1/10万|/10万|1/万|/万)"
_UNIT_AFTER_NAME = re.compile(r"[(（\[]\s*" + _RATE_UNIT + r"\s*[)）\]]")
_UNIT_AFTER_VALUE = re.compile(_RATE_UNIT + r"\s*(?:以上|以下)?$")


def title_unit(grid: pd.DataFrame, header_row: int) -> str:
    """The rate unit a line above the header gives the whole table (``单位：%``), or ''. A line
    naming another unit or several (``单位：人、%``) gives none."""
    found = set()
    for i in range(header_row):
        for cell in dict.fromkeys(grid.iloc[i]):
            text = unicodedata.normalize("NFKC", str(cell)).strip()
            m = _UNIT_LINE.search(text)
            if m and not furniture_reason(text):
                found.add(m.group(1))
    if len(found) != 1:
        return ""
    unit = canonical_unit(found.pop())
    return unit if unit in RATE_SCALE else ""


def apply_title_unit(table: RawTable, unit: str) -> None:
    """Give the title's unit to the values whose row and heading name none (a unit column cell, a
    unit in the heading or in the value cell still say their own, and must agree)."""
    rec = table.records
    if not unit or not len(rec) or "_unit_h" not in rec:
        return
    none = np.array(rec["_unit_h"].astype(str) == "", dtype=bool)
    if "unit" in rec:
        none &= (rec["unit"].astype(str).str.strip() == "").to_numpy()
    for column, pattern in (("indicator", _UNIT_AFTER_NAME), ("value", _UNIT_AFTER_VALUE)):
        if column in rec:
            cells = rec[column].astype(str)
            names = pd.Series(pd.unique(cells))
            has = [bool(pattern.search(unicodedata.normalize("NFKC", c).strip())) for c in names]
            none &= ~cells.map(dict(zip(names, has, strict=True))).to_numpy(dtype=bool)
    rec["_unit_h"] = np.where(none, unit, rec["_unit_h"].astype(str).to_numpy(dtype=object))
    table.headings.setdefault("unit", f"单位：{unit} (title rows)")


#: A place named in a title: a county, city, district, banner … (``柳溪县``, ``吉林省磐石市``).
_TITLE_PLACE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:自治县|自治州|自治旗|县|市|区|旗|盟|州)")
#: Words ending like a place that name none (``全县``, ``城区``, ``社区``).
_NOT_PLACES = {"城区", "市区", "社区", "辖区", "地区", "园区", "新区", "县区", "城市", "县市", "市县", "省市"}


def title_places(title: str) -> list[str]:
    """The places a title names (``2024年柳溪县妇女儿童统计表`` → ``['柳溪县']``)."""
    places = []
    for m in _TITLE_PLACE.finditer(unicodedata.normalize("NFKC", title)):
        place = re.split(r"[年月日度的各全本及和与、]", m.group(0))[-1]
        if len(place) >= 3 and place not in _NOT_PLACES and not place.startswith(("全", "各", "本")):
            places.append(place)
    return list(dict.fromkeys(places))


def other_region_warning(table: RawTable, region: str) -> list[str]:
    """A warning when the title of a table given ``region`` (``--region``, the plan's) names
    other places only (``河西县2024年统计表`` read as 柳溪县): a neighbour's form in the folder."""
    places = title_places(table.title)
    if not region or not places or any(region in p or p in region for p in places):
        return []
    where = table.file + (f" [{table.sheet}]" if table.sheet else "")
    named = "、".join(places)
    return [f"{where}: 标题写的是 {named}，而表中记录按 {region} 读取（地区来自 --region 或规划）；请核对是否放错了文件"
            f"（the title names {named} but the records are read as {region}, the region given by --region or "
            "the plan: is this file another place's form?）"]


__all__ = ["RELATIVE_YEARS", "title_cells", "other_region_warning", "title_places", "apply_title_unit", "relative_years", "title_unit", "title_year"]
