"""Formula cells that were never calculated.

An ``.xlsx`` file stores, for a formula cell, the formula and the value it last computed. A
workbook written by a program that does not calculate (a script, a reporting system's export)
holds the formula with no value: a reader then sees an empty cell, and a figure the department
did fill in (``=E3/F3*1000``) would pass for "no data". Some such programs (XlsxWriter) store
``0`` instead and mark the workbook ``fullCalcOnLoad`` ("calculate everything on opening"), a
mark a spreadsheet application clears once it has calculated and saved (ECMA-376 Part 1,
``calcPr``): in a workbook still so marked a stored ``0`` is no result either, and would read as
an infant mortality of 0. Such cells are found in the sheet XML and read as :data:`UNCALCULATED`
text, which validation rejects naming the cell and the formula ("formula not calculated: open
and save the file in Excel or WPS").
"""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path

from childplan_analysis.core.text import zh_en
from childplan_analysis.io.cell_formats import sheet_parts

#: The text an uncalculated formula cell reads as: ``未计算的公式 D4 =E3/F3*1000``.
UNCALCULATED = re.compile(r"^未计算的公式 ([A-Z]+\d+) (.*)$")

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="([^"]*)"')


def uncalculated_cells(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Per sheet, the (row, column, text) of formula cells with no stored value (or a stored ``0`` in
    a workbook marked to be calculated on opening), 0-based; the text is :data:`UNCALCULATED` (a
    formula computed to an empty text, ``t="str"``, is not one)."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        pending = _calc_on_load(book.read("xl/workbook.xml")) if "xl/workbook.xml" in names else False
        for sheet, part in sheet_parts(book).items():
            if part not in names:
                continue
            xml = book.read(part)
            if b"<f" not in xml and b":f" not in xml:
                continue
            found = []
            for cell in _CELL.finditer(xml):
                inner = cell.group(2) or b""
                formula = _FORMULA.search(inner)
                if formula is None:
                    continue
                value = _VALUE.search(inner)
                stored = (value.group(1) or b"").strip() if value is not None else b""
                if stored and not (pending and stored in (b"0", b"0.0")):
                    continue
                kind = _TYPE.search(cell.group(1))
                if kind is not None and kind.group(1) in (b"str", b"inlineStr"):
                    continue
                ref = _REF.search(cell.group(1))
                if ref is None:
                    continue
                letters, number = ref.group(1).decode(), ref.group(2).decode()
                text = unescape((formula.group(1) or b"").decode("utf-8", "replace")).strip()
                found.append((int(number) - 1, _column_index(letters),
                              f"未计算的公式 {letters}{number} " + (f"={text}" if text else "(共享公式)")))
            if found:
                out[sheet] = found
    return out


_CALC_PR = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(1|true)\"")


def _calc_on_load(workbook_xml: bytes) -> bool:
    """True when the workbook asks to be calculated on opening: no application has calculated it."""
    return bool(_CALC_PR.search(workbook_xml))


def uncalculated_reason(cell: str) -> str:
    """The rejection of a cell read as :data:`UNCALCULATED`."""
    m = UNCALCULATED.match(cell)
    ref, formula = (m.group(1), m.group(2)) if m else ("", cell)
    return zh_en(f"单元格 {ref} 是公式 {formula}，文件中没有计算结果（保存该文件的程序未计算公式）；"
                 "请用 Excel 或 WPS 打开并保存后再读入",
                 f"cell {ref} holds the formula {formula} with no calculated value (the program that "
                 "saved the file did not calculate it); open and save it in Excel or WPS, then load it again")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


__all__ = ["UNCALCULATED", "uncalculated_cells", "uncalculated_reason"]
