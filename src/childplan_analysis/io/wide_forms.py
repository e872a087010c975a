"""Spreadsheet forms as departments send them: header detection, merged cells, wide → long.

A *grid* is a sheet (or a CSV file) as a frame of text cells, merged cells filled in,
``row_offset`` giving the spreadsheet row number of its first row. This module finds the
header row(s) in a grid and turns the rows below into :class:`RawTable` records, one per
observation:

* **long form** — columns ``地区, 指标, 年份, 数值[, 单位, 性别, 城乡, …]``: one record per row;
* **wide form** — rows = indicators, columns = years (``2019``, ``2020年``, …), optionally a
  unit column, breakdown columns, title rows above the header and merged header cells
  (``年份`` spanning the year columns, or a year spanning ``男 | 女 | 合计``): one record per
  non-empty year cell.

Cells are kept as text; parsing and validation happen in :mod:`childplan_analysis.io.loaders`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.io.cells import FilledCells
from childplan_analysis.io.coded import Coded, constant, marked_rows
from childplan_analysis.io.places import place_of, without_of_which

#: Column headings accepted for each tidy column (after NFKC, lower-casing, no spaces).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "region": ("region", "地区", "区域", "行政区划", "地区名称", "区县", "县(市、区)", "县(市区)"),
    "indicator": ("indicator", "indicator_zh", "indicator_id", "指标", "指标名称", "监测指标",
                  "统计指标", "指标项", "项目", "项目名称"),
    "year": ("year", "年份", "年度", "年", "统计年度", "统计年份"),
    "value": ("value", "数值", "值", "指标值", "监测值", "统计值", "数据"),
    "unit": ("unit", "单位", "计量单位", "指标单位"),
    "sex": ("sex", "性别"),
    "area": ("area", "城乡", "城乡分类", "城乡类别"),
    "age_group": ("age_group", "年龄组", "年龄段", "年龄"),
    "subregion": ("subregion", "子区域", "下辖区域", "乡镇街道", "乡镇(街道)", "乡镇", "街道", "县区",
                  "所属乡镇", "乡镇/街道"),
    "source": ("source", "source_url", "来源", "数据来源", "资料来源", "报送单位", "责任单位"),
    "note": ("note", "备注", "说明"),
    "publication": ("publication", "出处", "出版物", "官方出处", "发布出处"),
}
_ALIAS_LOOKUP = {alias: tidy for tidy, aliases in COLUMN_ALIASES.items() for alias in aliases}

#: Codes of the sex and area breakdowns (keys after NFKC and lower-casing).
SEX_CODES = {
    "": "total", "total": "total", "合计": "total", "全部": "total", "总计": "total", "all": "total",
    "小计": "total", "男": "male", "男性": "male", "male": "male", "m": "male", "男童": "male",
    "女": "female", "女性": "female", "female": "female", "f": "female", "女童": "female",
}
AREA_CODES = {
    "": "total", "total": "total", "合计": "total", "全部": "total", "全域": "total", "all": "total",
    "小计": "total", "城镇": "urban", "城市": "urban", "urban": "urban", "城区": "urban",
    "农村": "rural", "乡村": "rural", "rural": "rural",
}
_BREAKDOWN_WORDS = {"年份", "年度", "年", "合计", "小计", "总计", "数值", "指标值", "监测值", "year"}

_YEAR = re.compile(r"^((?:19|20|21)\d{2})(?:\.0+)?(?:年度?|年数据|年数)?$")
_UNIT_IN_HEADING = re.compile(r"^(.*?)[(\[](%|‰|1/10万|/10万|1/万|/万|1/1000|1/100000)[)\]]$")
_REGION_LINE = re.compile(r"(?:地区|填报地区|行政区划)\s*[:：]\s*([^\s,，;；]+)")
#: Form furniture: rows whose every non-empty cell starts like this hold no data. Each pattern
#: with the reason it is skipped for.
FURNITURE = (
    (re.compile(r"^(注|附注|说明|备注|数据来源|资料来源|资料说明|指标解释|填报说明)\s*\d*\s*[:：.．、]"),
     "说明行（note row）"),
    (re.compile(r"^(填表人|填报人|填表|填报单位|填报日期|填报时间|报送日期|制表|审核|负责人|单位负责人|统计负责人|"
                r"分管领导|联系人|联系电话|联系方式|电话|日期|盖章|\(盖章\)|（盖章）)"),
     "签署栏（sign-off row: 填表人/审核人/联系电话…）"),
    (re.compile(r"^([一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部分章节])"
                r"\s*\S"),
     "分组标题行（section heading）"),
)
SECTION_HEADING = FURNITURE[2][1]
#: A bare section number in a form's 序号 column (一、 / （一） / 一), the section's name beside it.
_SECTION_NUMBER = re.compile(r"^([一二三四五六七八九十]+\s*[、.．]?|[(（][一二三四五六七八九十]+[)）])$")
REPEATED_HEADER = "重复的表头行（repeated header row）"
HEADER_SCAN_ROWS = 30


@dataclass
class Column:
    """What one column of a form holds."""

    heading: str
    field: str | None = None  # tidy column (region, indicator, value, …) or None
    year: int | None = None  # wide form: the year of a value column
    sex: str | None = None  # wide form: breakdown fixed by the header
    area: str | None = None
    place: str | None = None  # wide form: a sub-region named over or under the year ('' the whole)
    unit: str = ""  # unit written in the heading: 数值(‰), 2020年(%)


@dataclass
class Header:
    """Where the header is and what each column holds."""

    row: int  # grid index of the first header row
    depth: int  # number of header rows
    columns: list[Column]
    kind: str  # "long" or "wide"


@dataclass
class RawTable:
    """Records of one table, cells as text, ready for validation.

    ``records`` has one column per tidy field found, ``_row`` (spreadsheet row number),
    ``_col`` (heading of the value cell) and ``_unit_h`` (unit in that heading).
    ``problem`` is a table-level fault (e.g. a missing column) that rejects every record.
    """

    file: str
    sheet: str
    records: pd.DataFrame
    headings: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    problem_column: str = ""
    notes: pd.DataFrame | None = None  # rows skipped as furniture: _row, text, reason
    seen: list[str] = field(default_factory=list)  # every heading of the header, as written
    kind: str = "long"
    warnings: list[str] = field(default_factory=list)  # e.g. spellings merged
    title: str = ""  # the text of the title rows above the header


#: Footnote marks at the end (or start) of an indicator name: ``新生儿死亡率①``, ``…率*``, ``…率[1]``,
#: ``…率（注2）``, ``※…率`` — the note they point to is a 注 row of the form.
FOOTNOTE_END = re.compile(r"(?:\s*(?:[\u2460-\u2487\u2776-\u2793\u24eb-\u24ff\u00b9\u00b2\u00b3\u2070-\u2079*＊※#＃△▲☆★]"
                           r"|[(（\[［〔]\s*(?:注\s*)?\d{1,2}\s*[)）\]］〕]|注\s*\d{1,2}))+\s*$")
_FOOTNOTE_START = re.compile(r"^\s*[*＊※#＃△▲☆★]+\s*")


def without_footnote_marks(name: object) -> str:
    """An indicator name without the footnote marks forms put after it (``新生儿死亡率①`` →
    ``新生儿死亡率``; NFKC would make ① a digit 1 of the name)."""
    text = "" if name is None or (isinstance(name, float) and name != name) else str(name)
    return _FOOTNOTE_START.sub("", FOOTNOTE_END.sub("", text))


def normalise_heading(name: object) -> str:
    """Heading text for matching: NFKC, no whitespace, lower case, unified brackets."""
    text = unicodedata.normalize("NFKC", "" if name is None else str(name))
    text = re.sub(r"\s+", "", text).lower().replace("【", "[").replace("】", "]")
    return "" if text == "nan" else text


def cell_text(value: object) -> str:
    """Text of a spreadsheet cell: whole floats without ``.0``, dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# ------------------------------------------------------------------ reading spreadsheets


def read_workbook(path: Path) -> tuple[list[tuple[str, pd.DataFrame]], list[tuple[str, int]]]:
    """Every visible sheet of an Excel/ODS workbook as a text grid (row 0 = spreadsheet row 1),
    and the hidden sheets, not read as data, with their count of non-empty rows.

    Merged cells are filled with the value of their top-left cell; a number formatted as a
    percentage in an ``.xlsx`` or ``.ods`` reads as it shows (``0.953`` → ``95.3%``, see
    :mod:`childplan_analysis.io.cell_formats`). A hidden sheet (an old year's copy, a list of
    codes) is what the person who filled the form does not see: its numbers are not taken as
    monitoring data beside the visible ones.
    """
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    from childplan_analysis.io.cell_formats import ods_percent_cells, percent_cells, shown_percent
    from childplan_analysis.io.formulas import uncalculated_cells
    from childplan_analysis.io.html_sheets import is_html_workbook, read_html_workbook

    if is_html_workbook(path):  # a reporting system's "Excel export": a web page named .xls
        return read_html_workbook(path), []
    suffix = path.suffix.lower()
    xml = suffix in (".xlsx", ".xlsm")
    errors = error_cells(path) if xml else {}
    formulas = uncalculated_cells(path) if xml else {}
    percents = percent_cells(path) if xml else ods_percent_cells(path) if suffix == ".ods" else {}
    book = CalamineWorkbook.from_path(str(path))
    try:
        sheets, hidden = [], []
        for meta in book.sheets_metadata:
            name = meta.name
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            if meta.visible != SheetVisibleEnum.Visible:
                hidden.append((name, sum(any(str(v).strip() for v in row) for row in rows)))
                continue
            if not rows:
                sheets.append((name, pd.DataFrame()))
                continue
            for r, c in percents.get(name, []):  # a percent-formatted number as the cell shows it
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = shown_percent(rows[r][c])
            grid = pd.DataFrame(rows, dtype=object)
            grid = grid.apply(lambda col: col.map(cell_text)).astype(object)
            marked = errors.get(name, []) + formulas.get(name, [])
            if marked:  # a cell the reader saw as empty may lie beyond the grid it returned
                grid = grid.reindex(index=range(max(grid.shape[0], 1 + max(r for r, _, _ in marked))),
                                    columns=range(max(grid.shape[1], 1 + max(c for _, c, _ in marked))),
                                    fill_value="")
            for r, c, text in marked:
                grid.iat[r, c] = text
            _fill_merged(grid, sheet.merged_cell_ranges or [])
            sheets.append((name, grid))
        return sheets, hidden
    finally:
        book.close()


_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>')
_ERROR_CELL_T_FIRST = re.compile(rb'<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>')


def error_cells(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Cells holding a spreadsheet error (``#DIV/0!``, ``#N/A`` …) per sheet, 0-based.

    The reader returns such cells as empty; they are found in the sheet XML so that they
    are reported instead of silently skipped.
    """
    import posixpath
    import xml.etree.ElementTree as ET
    import zipfile

    out: dict[str, list[tuple[int, int, str]]] = {}
    with zipfile.ZipFile(path) as zf:
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
              "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", ns)}
        for sheet in book.findall("m:sheets/m:sheet", ns):
            part = target.get(sheet.get(f"{{{ns['r']}}}id"), "")
            part = part.lstrip("/") if part.startswith("/") else posixpath.normpath(f"xl/{part}")
            if part not in zf.namelist():
                continue
            xml = zf.read(part)
            if b't="e"' not in xml:
                continue
            found = {}
            for pattern in (_ERROR_CELL, _ERROR_CELL_T_FIRST):
                for m in pattern.finditer(xml):
                    found[(int(m.group(2)) - 1, _column_index(m.group(1).decode()))] = m.group(3).decode()
            out[sheet.get("name")] = [(r, c, t) for (r, c), t in sorted(found.items())]
    return out


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


#: A number (not a year) in a merged cell: which of the cells it covers it belongs to is unknown.
_MERGED_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?%?$")
#: The text every cell of a merged number reads as; validation rejects it naming the span.
MERGED_VALUE = re.compile(r"^合并单元格 ([A-Z]+\d+:[A-Z]+\d+) 的数值 (.*)$")


def _fill_merged(grid: pd.DataFrame, ranges: list) -> None:
    """Give every cell of a merged range the text of its top-left cell (a heading or a name merged
    over rows or columns), except a number spanning several cells (a value merged over two years
    or over 男/女 rows): its cells read ``合并单元格 C5:D5 的数值 4.2``, rejected as such."""
    from openpyxl.utils import get_column_letter

    values = grid.to_numpy()
    for (r0, c0), (r1, c1) in ranges:
        if r0 < values.shape[0] and c0 < values.shape[1]:
            fill = values[r0, c0]
            text = str(fill).strip()
            if _MERGED_NUMBER.match(text) and classify(text).year is None and (r1 > r0 or c1 > c0):
                span = f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
                fill = f"合并单元格 {span} 的数值 {text}"
            values[r0 : r1 + 1, c0 : c1 + 1] = fill
    grid.iloc[:, :] = values


# ------------------------------------------------------------------ header detection


def classify(heading: str) -> Column:
    """The role of one heading part (``指标名称`` → indicator, ``2020年`` → year 2020)."""
    field_, year, unit = _role(heading) if isinstance(heading, str) else _role.__wrapped__(heading)
    return Column(heading, field=field_, year=year, unit=unit)


@lru_cache(maxsize=2**14)
def _role(heading: object) -> tuple[str | None, int | None, str]:
    """Field, year and unit of a heading text (a form repeats its texts: each is read once)."""
    text = normalise_heading(without_footnote_marks(heading))
    unit = ""
    m = _UNIT_IN_HEADING.match(text)
    if m:
        text, unit = m.group(1), m.group(2)
    year = _YEAR.match(text)
    if year:
        return None, int(year.group(1)), unit
    return _ALIAS_LOOKUP.get(text), None, unit


def _row_cells(grid: np.ndarray, i: int) -> list[str]:
    return [str(c) for c in grid[i]]


def _years_in_row(grid: np.ndarray, i: int) -> int:
    if i >= len(grid):
        return 0
    return sum(classify(c).year is not None for c in _row_cells(grid, i) if c)


def locate_header(grid: pd.DataFrame) -> Header | None:
    """Find the header rows of a grid; None when no row looks like a header.

    The header is the row (among the first :data:`HEADER_SCAN_ROWS`) that names the most
    known columns: at least two (long form), or an indicator column plus year columns in
    it or in the row below (wide form).
    """
    # the header and the rows under it that it may span are among the first rows: read those as
    # one array of text cells
    grid = first_rows(grid, HEADER_SCAN_ROWS + 5)
    best, best_score = None, (0, 0)
    for i in range(min(len(grid), HEADER_SCAN_ROWS)):
        parts = [classify(c) for c in _row_cells(grid, i) if c]
        fields = {p.field for p in parts if p.field}
        years = sum(p.year is not None for p in parts)
        wide_ok = "indicator" in fields and (years > 0 or _years_in_row(grid, i + 1) > 0)
        if len(fields) < 2 and not wide_ok:
            continue
        score = (len(fields) + years, -i)
        if best is None or score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    return _describe_header(grid, _header_top(grid, best))


def _header_top(grid: np.ndarray, row: int) -> int:
    """``row``, or the row above it when that row names places or groups (城镇, 男 …) over the year
    columns and the indicator's heading is merged down over both (``指标 | 全县 | 城关镇`` above
    ``指标 | 2022年 | …``)."""
    cells = _row_cells(grid, row)
    ind = next((j for j, c in enumerate(cells) if c and classify(c).field == "indicator"), None)
    if ind is None or row == 0:
        return row
    above = _row_cells(grid, row - 1)
    over = [breakdown_code(a) is not None or place_of(normalise_heading(a)) is not None
            for a, c in zip(above, cells, strict=True) if a and classify(c).year is not None]
    merged = above[ind] == cells[ind]
    return row - 1 if merged and over and all(over) else row


def first_rows(grid: pd.DataFrame, k: int) -> np.ndarray:
    """The first ``k`` rows of a grid as an array of cells (of a categorical column, the texts of
    those rows only, not every distinct text of the column)."""
    top = grid.iloc[:k]
    if not any(isinstance(t, pd.CategoricalDtype) for t in top.dtypes):
        return top.to_numpy(dtype=object)
    out = np.empty(top.shape, dtype=object)
    for j, (_, column) in enumerate(top.items()):
        out[:, j] = np.asarray(column.array, dtype=object)
    return out


def _describe_header(grid: np.ndarray, row: int) -> Header:
    top = _row_cells(grid, row)
    columns = [classify(c) for c in top]
    fields = {c.field for c in columns if c.field}
    has_years = any(c.year for c in columns) or _years_in_row(grid, row + 1) > 0
    long_year = "year" in fields and not any(c.year for c in columns) and not _header_continues(grid, row, columns)
    if "indicator" not in fields or {"year", "value"} <= fields or not has_years or long_year:
        return Header(row, 1, columns, "long")
    ind_col = next(j for j, c in enumerate(columns) if c.field == "indicator")
    depth = 1
    while row + depth < len(grid) and depth < 4:
        cells = _row_cells(grid, row + depth)
        if cells[ind_col] not in ("", top[ind_col]):
            break
        parts = [classify(c) for c in cells]
        codes = [breakdown_code(c) for c in cells]
        kinds = [value_kind(c) if c != top[j] else "" for j, c in enumerate(cells)]
        places = [c != top[j] and columns[j].year is not None and place_of(normalise_heading(c)) is not None
                  for j, c in enumerate(cells)]
        if not any(p.year for p in parts) and not any(codes) and not any(kinds) and not any(places):
            break
        for j, (cell, part, code, kind) in enumerate(zip(cells, parts, codes, kinds, strict=True)):
            if cell in ("", top[j]):
                continue
            col = columns[j]
            if part.year is not None:
                col.year, col.unit, col.field = part.year, col.unit or part.unit, None
                over = breakdown_code(top[j]) if top[j] else None
                if over is not None:
                    setattr(col, over[0], over[1])  # 城镇 | 农村, 男 | 女 over the years
                elif col.place is None and top[j]:
                    col.place = place_of(normalise_heading(top[j]))  # 全县 | 城关镇 over the years
            elif code is not None:
                setattr(col, code[0], code[1])
            elif col.year is not None and (place := place_of(normalise_heading(cell))) is not None:
                col.place = place  # 2023年 over 全县 | 城关镇
            elif kind == "target":
                col.year, col.field = None, None  # a year's target is no observation: left unread, named
            col.heading = f"{col.heading}/{cell}" if col.heading else cell
        depth += 1
    for col in columns:
        if col.field in ("year", "value"):
            col.field = None  # a merged 年份 / 数值 cell above the year columns
    return Header(row, depth, columns, "wide")


def _header_continues(grid: np.ndarray, row: int, columns: list[Column]) -> bool:
    """True when the row below the header continues it (its indicator cell empty or merged from
    above), as under a merged 年份 cell; False when it is already a data row."""
    if row + 1 >= len(grid):
        return False
    ind = next((j for j, c in enumerate(columns) if c.field == "indicator"), None)
    if ind is None:
        return False
    cells = _row_cells(grid, row + 1)
    return cells[ind] in ("", _row_cells(grid, row)[ind])


#: Sub-headings under a year that say what its columns hold: the year's target (not an
#: observation) or what was reached (the observation).
TARGET_WORDS = {"目标", "目标值", "规划目标", "规划值", "规划目标值", "计划", "计划值", "计划数", "预期", "预期值",
                "预期目标", "任务", "任务值", "任务数", "考核目标", "target"}
ACTUAL_WORDS = {"实际", "实际值", "实际数", "完成", "完成值", "完成数", "实际完成", "实绩", "现状", "现状值",
                "监测值", "统计值", "actual"}


def value_kind(cell: str) -> str:
    """``target`` or ``actual`` for a sub-heading naming what a year's column holds, else ''."""
    text = normalise_heading(cell)
    return "target" if text in TARGET_WORDS else "actual" if text in ACTUAL_WORDS else ""


def breakdown_code(cell: str) -> tuple[str, str] | None:
    """The breakdown a heading names, as (``sex`` or ``area``, code): ``男`` → (sex, male); None for
    words that name no group (年份, 合计 …)."""
    text = without_of_which(normalise_heading(cell))
    if not text or text in _BREAKDOWN_WORDS:
        return None
    if text in SEX_CODES:
        return ("sex", SEX_CODES[text])
    if text in AREA_CODES:
        return ("area", AREA_CODES[text])
    return None


def region_from_preamble(grid: pd.DataFrame, header_row: int) -> str:
    """A region named above the header (``地区：磐石市``), or ''."""
    for i in range(header_row):
        for cell in grid.iloc[i]:
            m = _REGION_LINE.search(unicodedata.normalize("NFKC", str(cell)))
            if m:
                return m.group(1)
    return ""


# ------------------------------------------------------------------ grid → records


def table_from_grid(
    grid: pd.DataFrame, file: str, sheet: str, row_offset: int = 1
) -> RawTable | None:
    """Records of a grid (long or wide form); None for an empty grid.

    ``row_offset`` is the spreadsheet row number of grid row 0; cells are text ('' when
    empty, never NaN).
    """
    if grid.shape[1] == 0:
        return None
    filled = FilledCells.of(grid)
    nonempty = filled.any()
    if not nonempty.any():
        return None
    from childplan_analysis.io import breakdowns, form_titles  # they build on this module's types
    from childplan_analysis.io import form_layouts as layouts
    from childplan_analysis.io.of_which import of_which_rows

    header = locate_header(grid) or layouts.years_down_header(grid) or layouts.places_down_header(grid)
    if header is None:
        first = int(np.argmax(nonempty))
        header = Header(first, 1, [classify(c) for c in grid.iloc[first]], "long")
    relative_problem = form_titles.relative_years(grid, header, sheet)
    start = header.row + header.depth
    keep = nonempty[start:]
    body, rows = grid.iloc[start:], np.arange(start + row_offset, len(grid) + row_offset)
    body_filled = filled.rows(slice(start, None))
    if not keep.all():  # blank rows left out (with no blank row, the rows below the header as they are)
        body, rows, body_filled = body[keep], rows[keep], body_filled.rows(keep)
    body, rows, notes = _drop_furniture(body, rows, body_filled, header)
    body = breakdowns.breakdown_columns(header, body)
    body, filled_down = breakdowns.fill_indicator_down(header, body, rows, file + (f" [{sheet}]" if sheet else ""))
    body, of_which = of_which_rows(header, body, rows, file + (f" [{sheet}]" if sheet else ""))
    filled_down += of_which
    if header.kind == "wide" and not any(c.year is not None for c in header.columns):
        header.kind = "long"  # no year columns after all: read as long, so missing columns are reported
    if header.kind == "wide":
        table = _wide_records(body, rows, header, file, sheet)
    else:
        table = (layouts.years_down_rows(header, body, rows, file, sheet)
                 or layouts.places_across(grid, header, body, rows, file, sheet)
                 or layouts.places_down(grid, header, body, rows, file, sheet)
                 or _long_records(body, rows, header, file, sheet))
    table.notes = notes
    if ("year" not in table.records and {"indicator", "value"} <= set(table.records) and not table.problem
            and (found := form_titles.form_year(grid, header.row, sheet)) is not None):
        table.records["year"] = str(found[0])  # a form for one year: its title or its sheet says which
        table.headings["year"] = found[1]
    form_titles.apply_title_unit(table, form_titles.title_unit(grid, header.row))
    if relative_problem and not table.problem:
        table.problem = relative_problem
        table.problem_column = ",".join(c.heading for c in header.columns
                                        if normalise_heading(c.heading) in form_titles.RELATIVE_YEARS)
    table.kind = table.kind if table.kind != "long" else header.kind
    table.warnings.extend(filled_down + layouts.unread_columns(header, body, table))
    table.seen = [c.heading for c in header.columns if c.heading]
    table.title = " ".join(dict.fromkeys(t for i in range(header.row) for c in grid.iloc[i]
                                         if (t := str(c).strip())))
    if "region" not in table.records:
        found = region_from_preamble(grid, header.row)
        if found:
            table.records["region"] = found
            table.headings["region"] = "地区 (title rows)"
    return table


def furniture_reason(text: str) -> str:
    """Why a cell's text marks its row as form furniture (注：…, 填表人：…, 一、…), or ''."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern, reason in FURNITURE:
        if pattern.match(text):
            return reason
    return ""


def _drop_furniture(
    body: pd.DataFrame, rows: np.ndarray, filled: FilledCells, header: Header
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Split off form furniture: note, sign-off and section-heading rows (every non-empty cell
    furniture, or one text merged across the row), and repeats of the header row."""
    empty = _NO_FURNITURE.copy(deep=False)
    if not len(body):
        return body, rows, empty
    first_j = filled.first()  # column of each row's first non-empty cell (0 for an empty row)
    reasons = _Reasons(len(body))  # texts made only for the rows given one
    marked = np.zeros(len(body), dtype=bool)  # rows with a reason so far
    heading = [normalise_heading(c.heading) for c in header.columns]
    maybe_header = []
    numbered = np.zeros(len(body), dtype=bool)  # first cell a bare section number: 一、 / （二）
    starts = [0] if filled.full(0) else np.flatnonzero(np.bincount(first_j))
    for j in starts:  # the first non-empty cell of each row, column by column
        every = filled.full(0) or bool(first_j[0] == j) and bool((first_j == j).all())
        at = None if every else np.flatnonzero(first_j == j)  # None: every row

        def rows_of(hit: np.ndarray, at: np.ndarray | None = at) -> np.ndarray:
            return np.flatnonzero(hit) if at is None else at[hit]

        # every distinct text looked at once (a categorical column as its own codes)
        coded = Coded.of(body.iloc[:, j] if every else body.iloc[at, j].reset_index(drop=True))
        codes, uniques = coded.codes, coded.uniques
        why = np.array([furniture_reason(str(u)) for u in uniques], dtype=object)
        if (why != "").any():
            hit = marked_rows(codes, why != "")
            reasons[rows_of(hit)] = why[codes[hit]]
            marked[rows_of(hit)] = True
        bare = np.array([bool(_SECTION_NUMBER.match(unicodedata.normalize("NFKC", str(u)).strip())) for u in uniques],
                        dtype=bool)
        if bare.any():
            numbered[slice(None) if at is None else at] = np.take(bare, codes)
        if header.depth == 1:
            expected = heading[j] if j < len(heading) else ""
            same = np.array([normalise_heading(u) == expected for u in uniques], dtype=bool)
            if same.any():
                maybe_header.extend(rows_of(marked_rows(codes, same)))
    for i in sorted(maybe_header):
        cells = [normalise_heading(c) for c in body.iloc[i]]
        if sum(a == b != "" for a, b in zip(cells, heading, strict=False)) >= 2:
            reasons[i] = REPEATED_HEADER
            marked[i] = True
    year_cols = [j for j, c in enumerate(header.columns) if c.year is not None and j < filled.width]
    # 一、 | 儿童健康 with no value in any year column: a section heading split over two cells
    if numbered.any():
        numbered &= ~marked & ~filled.any(year_cols)
        reasons[numbered] = SECTION_HEADING
        marked |= numbered
    if not marked.any():
        return body, rows, empty
    reasons = reasons.array()
    texts = np.full(len(body), "", dtype=object)
    for i in np.flatnonzero(marked):
        if numbered[i]:
            texts[i] = " | ".join(dict.fromkeys(str(c).strip() for c in body.iloc[i] if str(c).strip()))
            continue
        cells = [str(c).strip() for c in body.iloc[i] if str(c).strip()]
        distinct = list(dict.fromkeys(cells))
        if reasons[i] != REPEATED_HEADER and len(distinct) > 1 and not all(furniture_reason(c) for c in distinct):
            reasons[i] = ""  # e.g. a section word in the indicator column of a row with values
            marked[i] = False
            continue
        texts[i] = " | ".join(distinct)
    if not marked.any():
        return body, rows, empty
    notes = pd.DataFrame({"_row": rows[marked], "text": texts[marked], "reason": reasons[marked]})
    return body[~marked], rows[~marked], notes


#: The furniture of a table with none.
_NO_FURNITURE = pd.DataFrame({"_row": pd.Series(dtype="int64"), "text": pd.Series(dtype=object),
                              "reason": pd.Series(dtype=object)})


class _Reasons:
    """A reason per row, "" unless set; the array of ``n`` texts is made when the first is set."""

    def __init__(self, n: int):
        self.n = n
        self._texts: np.ndarray | None = None

    def array(self) -> np.ndarray:
        if self._texts is None:
            self._texts = np.full(self.n, "", dtype=object)
        return self._texts

    def __getitem__(self, at):
        return self.array()[at]

    def __setitem__(self, at, value) -> None:
        self.array()[at] = value


def _mapped_columns(header: Header) -> tuple[dict[int, str], list[str]]:
    mapping: dict[int, str] = {}
    duplicated: list[str] = []
    for j, col in enumerate(header.columns):
        if col.field is None:
            continue
        if col.field in mapping.values():
            duplicated.append(col.heading)
            continue
        mapping[j] = col.field
    return mapping, duplicated


def _long_records(body, rows, header: Header, file: str, sheet: str) -> RawTable:
    mapping, duplicated = _mapped_columns(header)
    value_j = next((j for j, f in mapping.items() if f == "value"), None)
    # one frame built at once from the body's columns (taken as they are, not copied)
    records = pd.DataFrame({
        **{f: body.iloc[:, j].array for j, f in mapping.items()},
        "_row": rows,
        "_col": constant(header.columns[value_j].heading if value_j is not None else "value", len(rows)),
        "_unit_h": constant(header.columns[value_j].unit if value_j is not None else "", len(rows)),
    }, index=pd.RangeIndex(len(rows)), copy=False)
    headings = {f: header.columns[j].heading for j, f in mapping.items()}
    table = RawTable(file, sheet, records, headings)
    if duplicated:
        table.problem = f"重复的列：{'、'.join(duplicated)}（duplicate column(s) {', '.join(duplicated)}）"
        table.problem_column = ",".join(duplicated)
    return table


def _wide_records(body, rows, header: Header, file: str, sheet: str) -> RawTable:
    mapping, duplicated = _mapped_columns(header)
    mapping = {j: f for j, f in mapping.items() if f not in ("year", "value")}
    year_cols = [j for j, c in enumerate(header.columns) if c.year is not None]
    pieces = []
    for j in year_cols:
        col = header.columns[j]
        cells = body.iloc[:, j].to_numpy(dtype=object)
        has = cells != ""
        piece = pd.DataFrame({f: body.iloc[:, k].to_numpy(dtype=object)[has] for k, f in mapping.items()},
                             index=pd.RangeIndex(int(has.sum())), dtype=object)
        piece["year"] = str(col.year)
        piece["value"] = pd.Series(cells[has], dtype=object)
        if col.sex:
            piece["sex"] = col.sex if "sex" not in piece else _override(piece["sex"], col.sex)
        if col.area:
            piece["area"] = col.area if "area" not in piece else _override(piece["area"], col.area)
        if col.place is not None:
            piece["subregion"] = col.place if "subregion" not in piece else _override(piece["subregion"], col.place)
        piece["_row"] = rows[has]
        piece["_col"] = col.heading
        piece["_unit_h"] = col.unit
        piece["_order"] = np.flatnonzero(has) * len(year_cols) + len(pieces)
        pieces.append(piece)
    records = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(
        columns=[*mapping.values(), "year", "value", "_row", "_col", "_unit_h", "_order"]
    )
    records = records.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    headings = {f: header.columns[j].heading for j, f in mapping.items()}
    headings["year"] = "year columns"
    table = RawTable(file, sheet, records, headings)
    if year_cols and len(body):
        blank = rows[(body.iloc[:, year_cols].to_numpy(dtype=object) == "").all(axis=1)]
        if len(blank):
            shown = ", ".join(map(str, blank[:10])) + (" …" if len(blank) > 10 else "")
            where = f"{file}" + (f" [{sheet}]" if sheet else "")
            table.warnings.append(f"{where}: {len(blank)} 行没有填任何年份的数值（第 {shown} 行）"
                                  f"（{len(blank)} row(s) with no value in any year column: {shown}）")
    if duplicated:
        table.problem = f"重复的列：{'、'.join(duplicated)}（duplicate column(s) {', '.join(duplicated)}）"
        table.problem_column = ",".join(duplicated)
    return table


def _override(existing: pd.Series, code: str) -> pd.Series:
    return existing.where(existing != "", code)


__all__ = [
    "AREA_CODES",
    "COLUMN_ALIASES",
    "Column",
    "Header",
    "RawTable",
    "SEX_CODES",
    "breakdown_code",
    "cell_text",
    "classify",
    "locate_header",
    "read_workbook",
    "table_from_grid",
]
