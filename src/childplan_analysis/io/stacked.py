"""Several tables stacked in one sheet: each read with its own header.

A departmental form often holds two or more tables one under the other (``表1 儿童健康`` with
its header and rows, then ``表2 儿童教育`` with another header and other year columns). Reading
the sheet with one header would take the second table's rows under the first table's columns, or
pass over the first table's rows as title rows above the second header. :func:`tables_from_grid`
finds every header row of a grid and reads each table between two of them on its own, the title
rows just above a header belonging to that header's table.

Header rows are found on each column's distinct texts (as validation works), so that a large
CSV costs one pass over its distinct cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from childplan_analysis.io.coded import Coded, marked_rows
from childplan_analysis.io.wide_forms import (
    RawTable,
    classify,
    furniture_reason,
    normalise_heading,
    table_from_grid,
)

#: Cells longer than this are never a heading (a note or a free-text 备注).
_HEADING_LENGTH = 24


def tables_from_grid(grid: pd.DataFrame, file: str, sheet: str, row_offset: int = 1) -> list[RawTable]:
    """The tables of a grid: one per header row (two-level headers count once), read by
    :func:`~childplan_analysis.io.wide_forms.table_from_grid`; a sheet of one table as before."""
    segments = split_stacked(grid)
    if len(segments) <= 1:
        table = table_from_grid(grid, file, sheet, row_offset)
        return [table] if table is not None else []
    tables = []
    for start, stop in segments:
        part = grid.iloc[start:stop].reset_index(drop=True)
        table = table_from_grid(part, file, sheet, row_offset + start)
        if table is not None:
            tables.append(table)
    if tables:
        where = file + (f" [{sheet}]" if sheet else "")
        starts = "、".join(str(row_offset + start) for start, _ in segments)
        tables[0].warnings.append(
            f"{where}: 一个工作表中有 {len(segments)} 个表格（分别从第 {starts} 行起），各按自己的表头读取"
            f"（{len(segments)} tables stacked in one sheet, starting at rows {starts}: each read with its own "
            "header）")
    return tables


def split_stacked(grid: pd.DataFrame) -> list[tuple[int, int]]:
    """``(start, stop)`` grid rows of each table stacked in ``grid``; one span for a single table.

    A table starts at a header row (one that names two known columns, or an indicator column and
    years in it or in the row below) that follows data rows of the table above and differs from
    that table's header (a repeated header is furniture, not a new table); the title rows right
    above it (a single text, not a note) belong to it.
    """
    n = len(grid)
    if n < 3 or grid.shape[1] < 2:
        return [(0, n)]
    candidates = header_like_rows(grid)
    if len(candidates) < 2:
        return [(0, n)]
    data_like = _data_like_rows(grid)
    data_like[candidates] = False
    starts = [0]
    last_header, first_header = int(candidates[0]), _heading_key(grid, int(candidates[0]))
    for c in map(int, candidates[1:]):
        between = data_like[last_header + 1 : c]
        if between.any() and _heading_key(grid, c) != first_header:
            starts.append(_title_start(grid, c, data_like, floor=starts[-1] + 1))
            first_header = _heading_key(grid, c)
        last_header = c
    starts = sorted(set(starts))
    return [(a, b) for a, b in zip(starts, [*starts[1:], n], strict=True)]


def header_like_rows(grid: pd.DataFrame) -> np.ndarray:
    """Rows that read as a header on their own (the test of
    :func:`~childplan_analysis.io.wide_forms.locate_header`), worked out per distinct cell: a column
    none of whose distinct texts is a heading costs no work per row, and the rows are tested only
    where some cell names a known field (a row naming none is never a header); whether a cell is a
    year is worked out only for rows naming the indicator column alone and the rows below them."""
    n = len(grid)
    field_bit: dict[str, int] = {}
    columns: list[tuple[np.ndarray, pd.Index, np.ndarray]] = []  # codes, distinct texts, field bit of each
    named = []  # rows where some cell names a known field
    for j in range(grid.shape[1]):
        codes, texts = _codes_and_texts(grid.iloc[:, j])
        bit_of = np.zeros(len(texts), dtype=np.int64)
        maybe = np.flatnonzero(_maybe_heading(texts.array if texts.dtype != object else texts.to_numpy()))
        for k, text in zip(maybe, texts.take(maybe).to_numpy(dtype=object), strict=True):
            part = classify(str(text))
            if part.field:
                bit_of[k] = 1 << field_bit.setdefault(part.field, len(field_bit))
        if bit_of.any():
            named.append(np.flatnonzero(marked_rows(codes, bit_of != 0)))
        columns.append((codes, texts, bit_of))
    if not named:
        return np.zeros(0, dtype=np.intp)
    rows = np.unique(np.concatenate(named))
    bits = np.zeros(len(rows), dtype=np.int64)  # one bit per known field named in the row
    for codes, _, bit_of in columns:
        bits |= bit_of[codes[rows]]
    n_fields = np.bitwise_count(bits)
    indicator = (bits & (1 << field_bit["indicator"])) != 0 if "indicator" in field_bit else np.zeros(len(rows), bool)
    header = n_fields >= 2
    # a row naming the indicator column alone is a header with years in it or in the row below:
    # years are looked for in those rows only
    ask = rows[indicator & ~header]
    if len(ask):
        below = np.minimum(ask + 1, n - 1)
        years = np.zeros(len(ask), dtype=np.int64)
        years_below = np.zeros(len(ask), dtype=np.int64)
        for codes, texts, _ in columns:
            at, under = codes[ask], codes[below]
            seen = np.unique(np.concatenate([at, under]))
            year_of = np.zeros(len(texts), dtype=np.int64)
            year_of[seen] = _year_headings(np.asarray(texts[seen], dtype=object))
            years += year_of[at]
            years_below += year_of[under]
        years_below[ask + 1 >= n] = 0
        header[indicator & ~header] = (years > 0) | (years_below > 0)
    return rows[header]


def _codes_and_texts(cells: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """A column's code per row and its distinct texts (a categorical's own, as Arrow holds them:
    a text is made a Python string only when looked at)."""
    if isinstance(cells.dtype, pd.CategoricalDtype) and (not len(cells) or cells.array.codes.min() >= 0):
        return cells.array.codes, cells.cat.categories
    coded = Coded.of(cells)
    return coded.codes, pd.Index(coded.uniques, dtype=object)


#: Texts of digits, signs, points, exponents and spaces only: numbers, never a field's heading.
_NUMERIC_LOOKING = r"^[\s0-9.eE+\-]*$"


def _maybe_heading(text) -> np.ndarray:
    """Per distinct text (an array of them, or a column's categories as Arrow holds them), whether
    it may name a field: 1 to :data:`_HEADING_LENGTH` characters once stripped, not only digits
    and number signs (tested by Arrow's kernels, not per text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrow = pa.array(text)
        if not pa.types.is_string(arrow.type) and not pa.types.is_large_string(arrow.type):
            arrow = arrow.cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        arrow = pa.array([str(t) for t in text], type=pa.large_string())
    size = pc.utf8_length(pc.utf8_trim_whitespace(arrow)).to_numpy(zero_copy_only=False)
    numeric = pc.match_substring_regex(arrow, _NUMERIC_LOOKING).to_numpy(zero_copy_only=False)
    return (size > 0) & (size <= _HEADING_LENGTH) & ~numeric


def _year_headings(text: np.ndarray) -> np.ndarray:
    """1 for a text that heads a year's column (a whole number from 1900 to 2199, or a year
    heading such as ``2020年``), else 0."""
    number = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float)
    is_number = ~np.isnan(number)
    # a bare number is never a heading; a whole one from 1900 to 2199 is a year heading
    year_of = (is_number & (np.nan_to_num(number) % 1 == 0) & (number >= 1900) & (number < 2200)).astype(np.int64)
    for k in np.flatnonzero(~is_number):
        if 0 < len(str(text[k]).strip()) <= _HEADING_LENGTH:
            year_of[k] = classify(str(text[k])).year is not None
    return year_of


def _data_like_rows(grid: pd.DataFrame) -> np.ndarray:
    """Rows with at least two different non-empty cells (a title merged across a row has one)."""
    cells = grid.to_numpy(dtype=object)
    filled = cells != ""
    first = np.where(filled.any(axis=1), cells[np.arange(len(cells)), filled.argmax(axis=1)], "")
    return (filled & (cells != first[:, None])).any(axis=1)


def _title_start(grid: pd.DataFrame, header: int, data_like: np.ndarray, floor: int) -> int:
    """The first of the title and blank rows right above ``header`` (not a note row: that ends the
    table above and is skipped there as furniture)."""
    start = header
    while start - 1 >= floor and not data_like[start - 1]:
        texts = [str(c).strip() for c in grid.iloc[start - 1] if str(c).strip()]
        if texts and furniture_reason(texts[0]):
            break
        start -= 1
    while start < header and not any(str(c).strip() for c in grid.iloc[start]):
        start += 1  # blank rows above the title stay with the table above
    return start


def _heading_key(grid: pd.DataFrame, row: int) -> tuple[str, ...]:
    return tuple(normalise_heading(c) for c in grid.iloc[row])


__all__ = ["header_like_rows", "split_stacked", "tables_from_grid"]
