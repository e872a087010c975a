"""Two more layouts of departmental forms, and the columns a form leaves unread.

Besides the long and wide forms of :mod:`childplan_analysis.io.wide_forms`, offices send

* **years down the rows** — ``年份 | 女性就业人员占比(%) | 村委会成员中女性比例(%)``: one column
  per indicator (its unit in brackets), one row per year;
* **sub-regions across the columns** — a title ``2024年各乡镇儿童健康指标`` above
  ``指标 | 单位 | 全县 | 城关镇 | 河西乡``: one column per place, the year taken from the title;
* **places down the rows** — ``乡镇 | 婴儿死亡率（‰） | 孕产妇死亡率（1/10万）`` under a title with
  the year: one row per township (or per region of a city's form), one column per indicator.

All are recognised from the header alone and read into the same :class:`RawTable` records,
so validation, row accounting and messages are those of every other form. A column that no
layout reads but that holds values (``2024年1-6月``, ``目标值``) is named in a warning: its
cells are not silently dropped.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from childplan_analysis.io.form_titles import form_year, title_places, title_year
from childplan_analysis.io.place_rows import group_row, whole_row_region
from childplan_analysis.io.places import place_of, without_of_which
from childplan_analysis.io.wide_forms import (
    HEADER_SCAN_ROWS,
    Header,
    RawTable,
    breakdown_code,
    classify,
    normalise_heading,
    value_kind,
)

#: A heading of a column of changes on another period, not of values: 增减(%), 同比增减, 比上年增长.
CHANGE_HEADING = re.compile(r"增减|同比|环比|增长|增幅|降幅|升降|变化|变动|比上年|较上年|差值|±")
#: Headings of columns that carry no observation (row numbers, codes).
IGNORABLE = re.compile(r"^(序号|序|编号|行次|栏次|代码|指标代码|指标编码|no\.?|#)$")
_YEAR_CELL = re.compile(r"^((?:19|20|21)\d{2})(?:\.0+)?(?:年度?)?$")


def free_columns(header: Header) -> list[int]:
    """Columns whose heading names no known field and no year (candidates for other layouts)."""
    return [j for j, c in enumerate(header.columns)
            if c.field is None and c.year is None and normalise_heading(c.heading)
            and not IGNORABLE.match(normalise_heading(c.heading))]


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


def column_group(heading: str) -> dict[str, str] | None:
    """What a column heading of a one-year form names: a sex or urban/rural group
    (``{"sex": "male"}``, ``{"area": "urban"}``), a place (``{"subregion": "城关镇"}``; the whole
    region ``""``), or None. A group word comes first: ``城镇`` is the urban group, not a township."""
    code = breakdown_code(heading)
    if code is not None and code[1] != "total":
        return {code[0]: code[1]}
    place = place_of(normalise_heading(heading))
    return None if place is None else {"subregion": place if place == "" else without_of_which(heading.strip())}


def places_across(
    grid: pd.DataFrame, header: Header, body: pd.DataFrame, rows: np.ndarray, file: str, sheet: str
) -> RawTable | None:
    """Records of a form with one column per place (or per sex or urban/rural group) and the year in
    its title; None if it is not one."""
    fields = {c.field for c in header.columns if c.field}
    if header.kind != "long" or "indicator" not in fields or fields & {"year", "value"} or not len(body):
        return None
    free = free_columns(header)
    groups = {j: column_group(header.columns[j].heading) for j in free}
    year = title_year(grid, header.row)
    if not free or year is None or any(g is None for g in groups.values()):
        return None
    keep = {j: c.field for j, c in enumerate(header.columns) if c.field}
    named = {"subregion"} | {k for g in groups.values() for k in g}  # sex/area only when a column names them

    def place(j: int, has: np.ndarray) -> dict:
        return {**dict.fromkeys(sorted(named), ""), **groups[j], "year": str(year), "_unit_h": header.columns[j].unit}

    records = _melt(header, body, rows, keep, free, place)
    headings = {f: header.columns[k].heading for k, f in keep.items()}
    headings |= {f: "place columns" if f == "subregion" else "group columns" for f in named}
    headings |= {"year": f"{year}年 (title rows)"}
    return RawTable(file, sheet, records, headings, kind="places-across")


#: Fields of a column that lists places down the rows (townships, or the regions of a city's form).
_PLACE_FIELDS = {"subregion", "region"}


def places_down_header(grid: pd.DataFrame) -> Header | None:
    """The header of a form with one row per place and one column per indicator
    (``乡镇 | 婴儿死亡率（‰） | 孕产妇死亡率（1/10万）``), or None: the first row with a place
    column (乡镇, 街道, 地区 …) whose first cell below names a place, and another heading."""
    for i in range(min(len(grid) - 1, HEADER_SCAN_ROWS)):
        columns = [classify(c) for c in grid.iloc[i]]
        header = Header(i, 1, columns, "long")
        places = [j for j, c in enumerate(columns) if c.field in _PLACE_FIELDS]
        if len(places) != 1 or not free_columns(header):
            continue
        groups = group_row(grid, i, places[0])  # 城镇 | 农村 under an indicator merged over them
        if groups is not None:
            header.depth = 2
            for col, group, sub in zip(columns, groups, grid.iloc[i + 1], strict=False):
                if group is not None:
                    setattr(col, group[0], group[1])
                    col.heading = f"{col.heading}/{str(sub).strip()}"
        below = next((t for c in grid.iloc[i + header.depth:, places[0]] if (t := normalise_heading(c))), "")
        if place_of(below) is not None:
            return header
    return None


def places_down(
    grid: pd.DataFrame, header: Header, body: pd.DataFrame, rows: np.ndarray, file: str, sheet: str
) -> RawTable | None:
    """Records of a form with one row per place and one column per indicator, the year in its
    title; None if it is not one. A township's row is its ``subregion``'s (``合计``/``全县`` the
    region's own), a region column's row that region's."""
    fields = {c.field for c in header.columns if c.field}
    if header.kind != "long" or fields & {"indicator", "year", "value"} or len(fields & _PLACE_FIELDS) != 1:
        return None
    free = free_columns(header)
    found = form_year(grid, header.row, sheet)  # the title's one whole year, else the sheet's
    if not free or found is None or not len(body):
        return None
    year, written = found
    keep = {j: c.field for j, c in enumerate(header.columns) if c.field}
    names = [str(c) for c in grid.iloc[header.row]]  # a group's heading is its indicator's/城镇
    grouped = sorted({k for c in header.columns for k in ("sex", "area") if getattr(c, k)})

    def fields(j: int, has: np.ndarray) -> dict:
        # a unit in the heading stays in the indicator name, as in the indicator column of wide forms
        col = header.columns[j]
        return {"indicator": names[j], "year": str(year), "_unit_h": "",
                **{k: getattr(col, k) or "total" for k in grouped}}

    records = _melt(header, body, rows, keep, free, fields)
    headings = {f: header.columns[k].heading for k, f in keep.items()}
    headings |= {"indicator": "表头（header）", "year": written} | dict.fromkeys(grouped, "group columns")
    table = RawTable(file, sheet, records, headings, kind="places-down")
    if "region" in records:
        title = " ".join(t for i in range(header.row) for c in grid.iloc[i] if (t := str(c).strip()))
        records["region"], words = whole_row_region(records["region"], title)
        if words:
            place = title_places(title)[0]
            table.warnings.append(
                f"{file}" + (f" [{sheet}]" if sheet else "") + f": {'、'.join(words)} 行按标题中的 {place} 读取"
                f"（the {', '.join(words)} row read as {place}, the place the title names）")
    return table


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


#: A cell that holds a number (with a bound, sign, thousands separators or a unit sign).
_NUMBER_CELL_RE = re.compile(r"^[<>≤≥]?\s*[-+−]?\d[\d,]*(?:\.\d+)?\s*[%‰]?$")


def _numbers_in(column: pd.Series) -> int:
    """How many cells of ``column`` hold a number: free text (remarks, quotes, sources) is not
    a value a layout could have missed."""
    cells = column[column != ""].astype(str)
    if cells.empty:
        return 0
    distinct = pd.unique(cells.to_numpy())
    numeric = {c for c in distinct if _NUMBER_CELL_RE.match(unicodedata.normalize("NFKC", c).strip())}
    return int(cells.isin(numeric).sum()) if numeric else 0


def unread_columns(header: Header, body: pd.DataFrame, table: RawTable) -> list[str]:
    """A warning naming the columns that hold numbers but that the table's layout did not read."""
    read = set(_distinct(table.records["_col"])) if "_col" in table.records and len(table.records) else set()
    unread, targets = [], []
    for j in free_columns(header):
        heading = header.columns[j].heading
        if heading in read or j >= body.shape[1]:
            continue
        filled = _numbers_in(body.iloc[:, j])
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
    changes = [u for u in unread if CHANGE_HEADING.search(u.rsplit("（", 1)[0])]
    if len(changes) == len(unread):  # 增减 / 同比 columns only: nothing to rename
        return [*out, f"{where}: 未读取的列 {listed} 个非空单元格——增减、同比列是变化量，不是数值，不读入"
                f"（column(s) not read, with their non-empty cells: {listed}; a change on the year before "
                "is no value of any year）"]
    hint = (f"；其中 {'、'.join(changes)} 是增减、同比列（变化量，不是数值），不要改名" if changes else "")
    hint_en = (f"; {', '.join(changes)} hold changes, no values: leave them as they are" if changes else "")
    return [*out, f"{where}: 未读取的列 {listed} 个非空单元格——不是年份、指标、地区或已知的列；"
            f"如是数据，请把列名改为年份（如 2024年）{hint}（column(s) not read, with their non-empty cells: "
            f"{listed}; not a year, indicator, place or known column: head a data column with its year, e.g. 2024"
            f"{hint_en}）"]


def _distinct(column: pd.Series) -> list:
    """The distinct values of ``column`` (a categorical of one category without missing cells: that one)."""
    if (isinstance(column.dtype, pd.CategoricalDtype) and len(column.cat.categories) == 1
            and column.array.codes.min() == 0):
        return list(column.cat.categories)
    return list(column.unique())


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


__all__ = [
    "CHANGE_HEADING", "free_columns", "places_across", "places_down", "places_down_header", "unread_columns", "years_down_header",
    "years_down_rows",
]
