"""Two more layouts of departmental forms, and the columns a form leaves unread.

Besides the long and wide forms of :mod:`childplan_analysis.io.wide_forms`, offices send

* **years down the rows** — ``年份 | 女性就业人员占比(%) | 村委会成员中女性比例(%)``: one column
  per indicator (its unit in brackets), one row per year;
* **sub-regions across the columns** — a title ``2024年各乡镇儿童健康指标`` above
  ``指标 | 单位 | 全县 | 城关镇 | 河西乡``: one column per place, the year taken from the title.

Both are recognised from the header alone and read into the same :class:`RawTable` records,
so validation, row accounting and messages are those of every other form. A column that no
layout reads but that holds values (``2024年1-6月``, ``目标值``) is named in a warning: its
cells are not silently dropped.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from childplan_analysis.core.text import zh_en
from childplan_analysis.core.units import RATE_SCALE, canonical_unit
from childplan_analysis.io.wide_forms import (
    AREA_CODES,
    HEADER_SCAN_ROWS,
    SEX_CODES,
    Column,
    Header,
    RawTable,
    classify,
    furniture_reason,
    normalise_heading,
    value_kind,
)

#: Headings of columns that carry no observation (row numbers, codes).
_IGNORABLE = re.compile(r"^(序号|序|编号|行次|栏次|代码|指标代码|指标编码|no\.?|#)$")
#: A heading naming a place: a township, county, district … or the whole (全县, 合计).
_PLACE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗)|合计|总计|.{1,12}(?:镇|乡|街道|街道办|街道办事处|县|区|市|旗|苏木|社区|村|开发区|园区|新区))$")
_WHOLE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗)|合计|总计)$")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d{2})(?!\d)")
_YEAR_CELL = re.compile(r"^((?:19|20|21)\d{2})(?:\.0+)?(?:年度?)?$")


def free_columns(header: Header) -> list[int]:
    """Columns whose heading names no known field and no year (candidates for other layouts)."""
    return [j for j, c in enumerate(header.columns)
            if c.field is None and c.year is None and normalise_heading(c.heading)
            and not _IGNORABLE.match(normalise_heading(c.heading))]


def years_down_header(grid: pd.DataFrame) -> Header | None:
    """The header of a years-down form with no other known heading (``年份 | 指标A(%) | 指标B``), or None.

    It is the first row with a 年份 (or empty) cell above a column of years, and another heading.
    """
    for i in range(min(len(grid) - 1, HEADER_SCAN_ROWS)):
        cells = [str(c) for c in grid.iloc[i]]
        if sum(bool(normalise_heading(c)) for c in cells) < 2:
            continue
        for j, cell in enumerate(cells):
            if classify(cell).field != "year" and normalise_heading(cell):
                continue
            below = next((t for c in grid.iloc[i + 1:, j] if (t := unicodedata.normalize("NFKC", str(c)).strip())), "")
            if _YEAR_CELL.match(below):
                return Header(i, 1, [classify(c) for c in cells], "long")
    return None


def years_down_rows(header: Header, body: pd.DataFrame, rows: np.ndarray, file: str, sheet: str) -> RawTable | None:
    """Records of a form with one row per year and one column per indicator; None if it is not one."""
    fields = {c.field for c in header.columns if c.field}
    if header.kind != "long" or fields & {"indicator", "value"} or not len(body):
        return None
    year_j = next((j for j, c in enumerate(header.columns) if c.field == "year"), None)
    if year_j is None:
        year_j = _unnamed_year_column(header, body)
    indicators = [j for j in free_columns(header) if j != year_j]
    if year_j is None or not indicators:
        return None
    years = body.iloc[:, year_j].to_numpy(dtype=object)
    if not any(_YEAR_CELL.match(unicodedata.normalize("NFKC", str(y)).strip()) for y in pd.unique(years)):
        return None
    keep = {j: c.field for j, c in enumerate(header.columns) if c.field and j != year_j}
    # a unit in the heading stays in the indicator name, as in the indicator column of wide forms
    records = _melt(header, body, rows, keep, indicators, lambda j, has: {
        "indicator": header.columns[j].heading, "year": years[has], "_unit_h": ""})
    headings = {f: header.columns[k].heading for k, f in keep.items()}
    headings |= {"indicator": "表头（header）", "year": header.columns[year_j].heading or "year column"}
    return RawTable(file, sheet, records, headings, kind="years-down")


def places_across(
    grid: pd.DataFrame, header: Header, body: pd.DataFrame, rows: np.ndarray, file: str, sheet: str
) -> RawTable | None:
    """Records of a form with one column per place and the year in its title; None if it is not one."""
    fields = {c.field for c in header.columns if c.field}
    if header.kind != "long" or "indicator" not in fields or fields & {"year", "value"} or not len(body):
        return None
    places = [j for j in free_columns(header) if _PLACE.match(normalise_heading(header.columns[j].heading))]
    year = _title_year(grid, header.row)
    if not places or year is None or len(places) < len(free_columns(header)):
        return None
    keep = {j: c.field for j, c in enumerate(header.columns) if c.field}

    def place(j: int, has: np.ndarray) -> dict:
        name = header.columns[j].heading
        return {"subregion": "" if _WHOLE.match(normalise_heading(name)) else name.strip(),
                "year": str(year), "_unit_h": header.columns[j].unit}

    records = _melt(header, body, rows, keep, places, place)
    headings = {f: header.columns[k].heading for k, f in keep.items()}
    headings |= {"subregion": "place columns", "year": f"{year}年 (title rows)"}
    return RawTable(file, sheet, records, headings, kind="places-across")


def _melt(header: Header, body: pd.DataFrame, rows: np.ndarray, keep: dict[int, str], columns: list[int],
          fields) -> pd.DataFrame:
    """One record per non-empty cell of ``columns``, row by row: the ``keep`` columns' cells, the
    value, its row and heading, and ``fields(j, has)`` of its column."""
    pieces = []
    for order, j in enumerate(columns):
        cells = body.iloc[:, j].to_numpy(dtype=object)
        has = cells != ""
        piece = pd.DataFrame({f: body.iloc[:, k].to_numpy(dtype=object)[has] for k, f in keep.items()},
                             index=pd.RangeIndex(int(has.sum())), dtype=object)
        for name, value in fields(j, has).items():
            piece[name] = value
        piece["value"] = cells[has]
        piece["_row"] = rows[has]
        piece["_col"] = header.columns[j].heading
        piece["_order"] = np.flatnonzero(has) * len(columns) + order
        pieces.append(piece)
    records = pd.concat(pieces, ignore_index=True).sort_values("_order", kind="stable")
    return records.drop(columns="_order").reset_index(drop=True)


def unread_columns(header: Header, body: pd.DataFrame, table: RawTable) -> list[str]:
    """A warning naming the columns that hold values but that the table's layout did not read."""
    read = set(table.records["_col"].unique()) if "_col" in table.records and len(table.records) else set()
    unread, targets = [], []
    for j in free_columns(header):
        heading = header.columns[j].heading
        if heading in read or j >= body.shape[1]:
            continue
        filled = int((body.iloc[:, j] != "").sum())
        if filled:
            is_target = "目标" in heading or any(value_kind(part) == "target" for part in heading.split("/"))
            (targets if is_target else unread).append(f"{heading}（{filled}）")
    where = table.file + (f" [{table.sheet}]" if table.sheet else "")
    out = []
    if targets:
        listed = "、".join(targets)
        out.append(f"{where}: 目标值列 {listed} 个非空单元格不是监测数据，未读取（target column(s) not read as "
                   f"observations, with their non-empty cells: {listed}）")
    if not unread:
        return out
    listed = "、".join(unread)
    return [*out, f"{where}: 未读取的列 {listed} 个非空单元格——不是年份、指标、地区或已知的列；"
            f"如是数据，请把列名改为年份（如 2024年）（column(s) not read, with their non-empty cells: "
            f"{listed}; not a year, indicator, place or known column: head a data column with its year, e.g. 2024）"]


def _unnamed_year_column(header: Header, body: pd.DataFrame) -> int | None:
    """The first column whose heading is empty and whose cells are all years (or empty)."""
    for j, col in enumerate(header.columns):
        if col.field is not None or normalise_heading(col.heading) or j >= body.shape[1]:
            continue
        cells = [t for c in pd.unique(body.iloc[:, j].to_numpy(dtype=object))
                 if (t := unicodedata.normalize("NFKC", str(c)).strip())]
        if cells and all(_YEAR_CELL.match(c) for c in cells):
            return j
    return None


def _title_year(grid: pd.DataFrame, header_row: int) -> int | None:
    """The one year named in the title rows above the header, or None (none or several)."""
    found = set()
    for i in range(header_row):
        for cell in grid.iloc[i]:
            found.update(int(y) for y in _TITLE_YEAR.findall(unicodedata.normalize("NFKC", str(cell))))
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


def relative_years(grid: pd.DataFrame, header: Header) -> str:
    """Give the ``本年``/``上年`` columns of a form without year columns the years they stand
    for, from the one year in its title (``2024年…统计表``: 本年 = 2024, 上年 = 2023), and make it a
    wide form. Returns why they cannot be read ('' when they can, or when there are none): no
    year or several in the title, or a period shorter than a year (``2024年1-6月``) — never a
    guessed year."""
    relative = [j for j, c in enumerate(header.columns)
                if c.field is None and c.year is None and normalise_heading(c.heading) in RELATIVE_YEARS]
    fields = {c.field for c in header.columns if c.field}
    if (not relative or any(c.year is not None for c in header.columns) or "indicator" not in fields
            or fields & {"year", "value"}):
        return ""
    names = "、".join(header.columns[j].heading.strip() for j in relative)
    title = " ".join(str(c) for i in range(header.row) for c in dict.fromkeys(grid.iloc[i]) if str(c).strip())
    title = unicodedata.normalize("NFKC", title)
    year = _title_year(grid, header.row)
    part = _PART_YEAR.search(title)
    if year is None or part:
        why = (f"标题中的报告期 {part.group(0)!r} 不是全年" if part else
               "标题中没有写明唯一的年份" if year is None and not _TITLE_YEAR.search(title) else
               "标题中有多个年份")
        return zh_en(f"{names} 列对应哪一年无法确定：{why}；请把列名改为年份（如 2024年、2023年）",
                     f"the year of column(s) {names} cannot be told: "
                     + (f"the title's period {part.group(0)!r} is not a whole year" if part else
                        "the title names no single year") + "; head them with their years, e.g. 2024年, 2023年")
    for j in relative:
        header.columns[j].year = year + RELATIVE_YEARS[normalise_heading(header.columns[j].heading)]
        header.columns[j].heading = f"{header.columns[j].heading.strip()}（{header.columns[j].year}年）"
    header.kind = "wide"
    return ""


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


def breakdown_columns(header: Header, body: pd.DataFrame) -> pd.DataFrame:
    """Read a column under any other heading (``分组``, ``类别``, none) whose cells are all sex or
    area words (``男``/``女``/``合计``, ``城镇``/``农村``) as the sex or area breakdown: one column
    mixing both (``男``, ``女``, ``城镇``, ``农村`` rows under one indicator) becomes both. Returns
    the body, with a column added for a mixed one (``header.columns`` extended to match)."""
    fields = {c.field for c in header.columns if c.field}
    for j, col in enumerate(list(header.columns)):
        heading = normalise_heading(col.heading)
        if col.field is not None or col.year is not None or j >= body.shape[1] or _IGNORABLE.match(heading):
            continue
        words = [normalise_heading(u) for u in pd.unique(body.iloc[:, j].to_numpy(dtype=object))]
        words = [w for w in words if w]
        sex = [w for w in words if w in SEX_CODES]
        area = [w for w in words if w in AREA_CODES]
        if not words or len(set(sex) | set(area)) < len(words):
            continue
        has_sex = any(SEX_CODES[w] != "total" for w in sex)
        has_area = any(AREA_CODES[w] != "total" for w in area)
        if has_sex and not has_area and "sex" not in fields:
            col.field = "sex"
        elif has_area and not has_sex and "area" not in fields:
            col.field = "area"
        elif has_sex and has_area and not fields & {"sex", "area"}:
            cells = body.iloc[:, j].map(normalise_heading)
            col.field = "sex"
            body = body.copy()
            body.iloc[:, j] = cells.where(cells.isin(list(SEX_CODES)), "")
            body[max(body.columns) + 1 if len(body.columns) else 0] = cells.where(cells.isin(list(AREA_CODES)), "")
            header.columns.append(Column(col.heading, field="area"))
        else:
            continue
        fields.add(col.field)
    return body


def fill_indicator_down(header: Header, body: pd.DataFrame, rows: np.ndarray, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Breakdown rows under an indicator written once (``5岁以下儿童死亡率 | 合计`` then ``| 男``,
    ``| 女`` with the indicator cell left empty, as a merged cell looks) take the indicator of the
    row above; a warning names them. Rows with no breakdown keep their empty indicator (rejected)."""
    ind = next((j for j, c in enumerate(header.columns) if c.field == "indicator"), None)
    parts = [j for j, c in enumerate(header.columns) if c.field in ("sex", "area", "age_group") and j < body.shape[1]]
    if header.kind != "wide" or ind is None or not parts or not len(body):
        return body, []  # a long form's rows stand alone: an empty indicator there is an error
    names = body.iloc[:, ind].to_numpy(dtype=object)
    empty = np.array([not str(v).strip() for v in names])
    groups = body.iloc[:, parts].astype(str).agg("|".join, axis=1).to_numpy(dtype=object)
    sub = empty & (body.iloc[:, parts].to_numpy(dtype=object) != "").any(axis=1)
    if not sub.any():
        return body, []
    # a run: a named row, then breakdown rows with its indicator cell empty
    run = np.cumsum(~empty | ~sub)
    filled = pd.Series(np.where(empty, None, names), dtype=object)
    filled[empty & ~sub] = ""  # an empty row with no breakdown stops the fill
    filled = filled.ffill().fillna("").to_numpy(dtype=object)
    # every row of a run is a different breakdown (合计, 男, 女), else it is no merged indicator
    distinct = pd.Series(groups).groupby(run).transform(lambda g: g.is_unique).to_numpy(dtype=bool)
    took = sub & (filled != "") & distinct
    if not took.any():
        return body, []
    body = body.copy()
    body.iloc[np.flatnonzero(took), ind] = filled[took]
    shown = ", ".join(map(str, rows[took][:10])) + (" …" if took.sum() > 10 else "")
    return body, [f"{where}: {int(took.sum())} 个分组行的指标名称为空，按上方的指标读取（第 {shown} 行）"
                  f"（{int(took.sum())} breakdown row(s) with an empty indicator cell read as the indicator "
                  f"above, as a merged cell: rows {shown}）"]


__all__ = ["RELATIVE_YEARS", "apply_title_unit", "breakdown_columns", "fill_indicator_down", "free_columns",
           "places_across", "relative_years", "title_unit", "unread_columns", "years_down_header", "years_down_rows"]
