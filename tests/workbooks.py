"""Departmental forms written in tests: one sheet of rows, as a unit fills it, and the row account
every read must balance."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def form_book(path: Path, rows: list[list], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None,
              sheet: str = "Sheet1") -> Path:
    """A workbook of one sheet named ``sheet``: ``rows`` appended, ``merges`` merged, number
    ``formats`` set per cell (``{"C3": "0.0%"}``)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for span in merges:
        ws.merge_cells(span)
    for cell, code in (formats or {}).items():
        ws[cell].number_format = code
    wb.save(path)
    return path


def assert_accounted(result) -> None:
    """Every row read is loaded, rejected or superseded."""
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(result.conflicts)
