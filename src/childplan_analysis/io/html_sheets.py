"""Workbooks that are web pages: many reporting systems "export to Excel" an HTML table saved as
``.xls`` (sometimes ``.xlsx``). Excel opens such a file; a workbook reader does not. Each
``<table>`` is read as one sheet of text cells, a cell spanning rows or columns filling every
cell it covers (as merged cells of a real workbook are filled)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.errors import LimitError
from childplan_analysis.core.text import zh_en
from childplan_analysis.io.encoding import decode_html

#: How a web page starts, after a byte-order mark and blank space.
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body|table|style)\b",
                         re.I | re.S)

def is_html_workbook(path: Path) -> bool:
    """Whether the file, whatever its suffix, holds a web page rather than a workbook."""
    with open(path, "rb") as f:
        head = f.read(2048)
    return bool(_HTML_START.match(head))




def _span(node, name: str) -> int:
    try:
        return max(1, int(node.attributes.get(name) or 1))
    except ValueError:
        return 1


def _grid(table, path: Path) -> pd.DataFrame:
    """A table's text cells; a cell spanning rows or columns fills each cell it covers. A table
    spanning more cells than a sheet may hold (``MAX_SHEET_CELLS``) is refused naming the file."""
    rows: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # cells covered from a row above
    cells = 0
    for r, tr in enumerate(table.css("tr")):
        row: list[str] = []
        c = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            text = cell.text(separator=" ", strip=True)
            down, across = _span(cell, "rowspan"), _span(cell, "colspan")
            cells += down * across
            if cells > config.MAX_SHEET_CELLS or c + across > config.MAX_COLUMNS:
                raise LimitError(zh_en(
                    f"{path}：网页表格的单元格超过上限（{config.MAX_SHEET_CELLS:,} 格、{config.MAX_COLUMNS:,} 列）",
                    f"{path}: the web page's table spans more cells than the limits "
                    f"({config.MAX_SHEET_CELLS:,} cells, {config.MAX_COLUMNS:,} columns; MAX_SHEET_CELLS, MAX_COLUMNS)"))
            for k in range(across):
                row.append(text)
                for d in range(1, down):
                    pending[(r + d, c + k)] = text
            c += across
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def read_html_workbook(path: Path) -> list[tuple[str, pd.DataFrame]]:
    """Every outermost ``<table>`` of a web page saved as a workbook, as (sheet name, text grid):
    the table's caption, else ``表1``, ``表2`` …"""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode_html(Path(path).read_bytes()))
    sheets = []
    for k, table in enumerate(t for t in tree.css("table") if not _inside_table(t)):
        caption = table.css_first("caption")
        name = caption.text(strip=True) if caption is not None and caption.text(strip=True) else f"表{k + 1}"
        sheets.append((name, _grid(table, path)))
    return sheets


def _inside_table(node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "table":
            return True
        parent = parent.parent
    return False


__all__ = ["is_html_workbook", "read_html_workbook"]
