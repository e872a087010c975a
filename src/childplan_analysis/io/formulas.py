"""Formula cells that were never calculated.

An ``.xlsx`` file stores, for a formula cell, the formula and the value it last computed. A
workbook written by a program that does not calculate (a script, a reporting system's export)
holds the formula with no value: a reader then sees an empty cell, and a figure the department
did fill in (``=E3/F3*1000``) would pass for "no data". Such cells are found in the sheet XML
and read as :data:`UNCALCULATED` text, which validation rejects naming the cell and the formula
("formula not calculated: open and save the file in Excel or WPS").
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
    """Per sheet, the (row, column, text) of formula cells with no stored value, 0-based; the
    text is :data:`UNCALCULATED` (a formula computed to an empty text, ``t="str"``, is not one)."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
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
                if value is not None and (value.group(1) or b"").strip():
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
