"""What an Excel cell shows, where it differs from what it stores: percent-formatted numbers.

A cell formatted as a percentage stores ``0.953`` and shows ``95.3%``; the analyst who filled the
form typed and read 95.3 %. The spreadsheet reader returns the stored number, so the cells with a
percent number format are found in the workbook's XML (``xl/styles.xml`` names the formats, each
sheet's XML the style of each cell) and read as the text they show (``95.3%``): the value then
carries its unit like a typed ``95.3%``, and a cell formatted so that it shows ``9530%`` is
refused by the indicator's bounds instead of loaded as 95.3. An ``.ods`` file marks such cells
with the value type ``percentage`` (:func:`ods_percent_cells`); the old binary ``.xls`` gives
each cell's format to ``xlrd`` (:func:`xls_percent_cells`).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
#: Built-in number formats that are percentages (``0%``, ``0.00%``).
_BUILTIN_PERCENT = {9, 10}
#: Cell types that hold text, an error or a boolean, never a number shown as a percentage.
_NOT_NUMBER = {b"s", b"str", b"inlineStr", b"e", b"b"}
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def is_percent_format(code: str) -> bool:
    """True for a number format code that shows a percentage (a ``%`` outside quotes and not
    escaped): ``0.0%``, ``0.00%;[Red]-0.00%``; not ``0.0"%"`` or ``0\\%``."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", code)
    return "%" in unquoted


def percent_styles(book: zipfile.ZipFile) -> set[int]:
    """Indices of the cell styles (``cellXfs``) whose number format is a percentage."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    styles = ET.fromstring(book.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "")
              for f in styles.findall("m:numFmts/m:numFmt", _NS)}
    percent = {i for i, code in custom.items() if is_percent_format(code)} | (_BUILTIN_PERCENT - set(custom))
    return {k for k, xf in enumerate(styles.findall("m:cellXfs/m:xf", _NS))
            if int(xf.get("numFmtId", 0)) in percent}


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """The XML part of each worksheet, by sheet name."""
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        part = target.get(sheet.get(f"{{{_NS['r']}}}id"), "") or ""
        parts[sheet.get("name", "")] = part.lstrip("/") if part.startswith("/") else posixpath.normpath(f"xl/{part}")
    return parts


def percent_cells(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Per sheet, the (row, column) of numeric cells with a percent format, 0-based."""
    out: dict[str, list[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as book:
        styles = percent_styles(book)
        if not styles:
            return out
        names = set(book.namelist())
        alternatives = b"|".join(str(s).encode() for s in sorted(styles))
        cell = re.compile(rb'<c\b(?=[^>]*\bs="(?:' + alternatives + rb')")[^>]*>')
        for sheet, part in sheet_parts(book).items():
            if part not in names:
                continue
            found = []
            for m in cell.finditer(book.read(part)):
                attrs = dict(_ATTR.findall(m.group(0)))
                ref = _REF.match(attrs.get(b"r", b"").decode())
                if ref is None or attrs.get(b"t", b"n") in _NOT_NUMBER:
                    continue
                found.append((int(ref.group(2)) - 1, _column_index(ref.group(1))))
            if found:
                out[sheet] = found
    return out


_ODS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
_ODS_TABLE = f"{{{_ODS['table']}}}table"
_ODS_ROW = f"{{{_ODS['table']}}}table-row"
_ODS_CELLS = {f"{{{_ODS['table']}}}table-cell", f"{{{_ODS['table']}}}covered-table-cell"}
_ODS_NAME = f"{{{_ODS['table']}}}name"
_ODS_ROWS_REPEATED = f"{{{_ODS['table']}}}number-rows-repeated"
_ODS_COLUMNS_REPEATED = f"{{{_ODS['table']}}}number-columns-repeated"
_ODS_TYPE = f"{{{_ODS['office']}}}value-type"


def ods_percent_cells(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Per sheet of an ``.ods`` file, the (row, column) of cells whose value type is
    ``percentage``, 0-based (rows and cells repeated by ``number-*-repeated`` counted)."""
    out: dict[str, list[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as book:
        if "content.xml" not in book.namelist():
            return out
        with book.open("content.xml") as content:
            sheet, row, column, repeat = "", 0, 0, 1
            for event, element in ET.iterparse(content, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _ODS_TABLE:
                        sheet, row = element.get(_ODS_NAME, ""), 0
                    elif tag == _ODS_ROW:
                        column, repeat = 0, int(element.get(_ODS_ROWS_REPEATED, 1))
                    continue
                if tag in _ODS_CELLS:
                    span = int(element.get(_ODS_COLUMNS_REPEATED, 1))
                    if element.get(_ODS_TYPE) == "percentage":
                        out.setdefault(sheet, []).extend(
                            (row + i, column + k) for i in range(min(repeat, 1000)) for k in range(min(span, 1000)))
                    column += span
                    element.clear()
                elif tag == _ODS_ROW:
                    row += repeat
                    element.clear()
    return out


def xls_percent_cells(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Per sheet of an ``.xls`` file, the (row, column) of numeric cells with a percent number
    format, 0-based (read with ``xlrd``'s cell formats; a file it cannot read gives none, and is
    reported by the workbook reader)."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # noqa: BLE001 - a file xlrd cannot read is the workbook reader's to report
        return {}
    out: dict[str, list[tuple[int, int]]] = {}
    try:
        formats = book.format_map
        percent = {k for k, xf in enumerate(book.xf_list)
                   if xf.format_key in formats and is_percent_format(formats[xf.format_key].format_str)}
        if not percent:
            return out
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            found = [(r, c) for r in range(sheet.nrows) for c, kind in enumerate(sheet.row_types(r))
                     if kind == xlrd.XL_CELL_NUMBER and sheet.cell_xf_index(r, c) in percent]
            if found:
                out[sheet.name] = found
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out


def shown_percent(value: object) -> object:
    """The text a percent-formatted cell shows for a stored number (``0.953`` → ``95.3%``);
    anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    shown = round(float(value) * 100, 9)
    return (str(int(shown)) if shown.is_integer() and abs(shown) < 1e15 else repr(shown)) + "%"


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


__all__ = ["is_percent_format", "ods_percent_cells", "percent_cells", "percent_styles", "sheet_parts", "shown_percent",
           "xls_percent_cells"]
