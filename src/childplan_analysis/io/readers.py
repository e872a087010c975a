"""File readers by suffix: each turns one file into raw tables of text cells.

:data:`READERS` maps a file suffix to its reader — text (CSV/TSV), workbook (Excel, ODS) or
Parquet. A reader returns a :class:`Read`: the file's tables (:class:`RawTable`, see
:mod:`childplan_analysis.io.wide_forms`), rejections of rows or of the whole file, and notes
(e.g. a byte-order mark found in the middle of a CSV and removed). :func:`read_tables` never
raises for a bad file: the file becomes one rejection with its reason.

A regular CSV (every row as wide as the header) becomes a grid of categorical columns from
Arrow's parse (a column of runs of equal cells, as key columns of a long table are, encoded from
the first cell of each run; others cell by cell), so that header search, furniture detection and
validation work on each column's distinct texts; irregular files are read row-exactly into text
cells.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.columns import REJECT_COLUMNS
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.text import zh_en
from childplan_analysis.io.coded import categorical, narrow
from childplan_analysis.io.encoding import decode_detected, garbled_text_problem
from childplan_analysis.io.limits import (
    ReaderError,
    check_file_size,
    check_text_shape,
    check_workbook,
    isolated,
)
from childplan_analysis.io.stacked import tables_from_grid
from childplan_analysis.io.wide_forms import (
    HEADER_SCAN_ROWS,
    RawTable,
    locate_header,
    read_workbook,
    table_from_grid,
)

if TYPE_CHECKING:
    from pyarrow import Buffer

_BOM = "\ufeff"


@dataclass
class Read:
    """What one file gave: tables, rejected rows (or the whole file), notes for the analyst."""

    tables: list[RawTable] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def reject_frame(file, sheet, row, column, value, reason) -> pd.DataFrame:
    """One rejection row."""
    return pd.DataFrame([[str(file), sheet, row, column, value, reason]], columns=REJECT_COLUMNS)


def read_text(file: Path) -> Read:
    """A CSV/TSV file in UTF-8 (with or without BOM) or GBK/GB18030.

    A UTF-8 file is parsed from its bytes, memory-mapped (only the first lines are decoded in
    Python, for the header; the parser checks the rest); any other file is decoded once and read
    as UTF-8."""
    import pyarrow as pa

    mapped = pa.memory_map(str(file)).read_buffer() if file.stat().st_size else pa.py_buffer(b"")
    prefix = mapped.slice(0, min(_PREFIX_BYTES, mapped.size)).to_pybytes()
    complete = len(prefix) == mapped.size
    if not prefix or prefix.isspace() and (complete or mapped.to_pybytes().isspace()):
        return Read(rejects=[reject_frame(file, "", 0, "", "", zh_en("空文件", "empty file"))])
    head = _utf8_head(prefix, complete)
    if head is not None:
        try:
            return _read_text(file, mapped.slice(len(_BOM_BYTES)) if prefix.startswith(_BOM_BYTES) else mapped,
                              head, [], decoded=False)
        except _NeedsDecoding:
            pass  # a later line is not UTF-8 or holds a byte-order mark: decode the whole file
    data = mapped.to_pybytes()
    text, encoding = decode_detected(data)
    garbled = garbled_text_problem(text)
    if garbled:
        raise DataError(garbled)
    notes = []
    if _BOM in text:
        lines = sorted({text.count("\n", 0, i) + 1 for i in _positions(text, _BOM)})
        text = text.replace(_BOM, "")
        shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
        notes.append(f"{file}: " + zh_en(
            f"文件中间有字节顺序标记（BOM），已删除（第 {shown} 行）",
            f"byte-order mark(s) in the middle of the file removed, line(s) {shown}; "
            "were two files pasted together?"))
    if encoding != "utf-8" or notes:
        data = text.encode("utf-8")  # the parsers read UTF-8 bytes fastest
    return _read_text(file, data, text, notes)


class _NeedsDecoding(Exception):
    """Past the lines decoded for the header, bytes that are not UTF-8 or a byte-order mark."""


_BOM_BYTES = _BOM.encode("utf-8")
#: Bytes decoded in Python for the header and the garbled-text check (4 000 characters at most
#: 16 000 bytes), extended to the end of a line and to the lines the header search reads.
_HEAD_BYTES = 16_384
#: Bytes of a file copied into Python for its first lines (the rest is read by the parser).
_PREFIX_BYTES = 2**20


def _utf8_head(data: bytes, complete: bool = True) -> str | None:
    """The first lines of UTF-8 ``data`` as text (a leading BOM dropped); None when they are not
    UTF-8 or hold a byte-order mark past the start (both read by the decoding path), or when
    ``data`` is only the start of the file and the lines run past it."""
    end = -1
    for _ in range(HEADER_SCAN_ROWS + 5):
        end = data.find(b"\n", end + 1)
        if end == -1:
            break
    if end != -1 and end < _HEAD_BYTES:
        end = data.find(b"\n", _HEAD_BYTES)
    if end == -1 and not complete:
        return None
    head = data if end == -1 else data[: end + 1]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if _BOM in text else text


def _read_text(file: Path, data: bytes | Buffer, text: str, notes: list[str], decoded: bool = True) -> Read:
    """The table of UTF-8 CSV ``data`` whose text starts with ``text`` (the whole text, or at
    least its first lines and 4 000 characters). Unless the whole file was ``decoded`` already,
    raises :class:`_NeedsDecoding` for bytes that are not UTF-8 or a byte-order mark past the start
    (found in the distinct cell texts of the grid)."""
    garbled = garbled_text_problem(text)
    if garbled:
        raise DataError(garbled)
    head = list(islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS + 5))
    delimiter = "\t" if file.suffix.lower() == ".tsv" or head[0].count("\t") > head[0].count(",") else ","
    width = _header_width(head, delimiter)
    threads = arrow_threads()
    # Lines are counted before the parse where blocks parsed on threads want to know whether a line
    # break can be inside a value (a quote in the file), and where a check of the columns would
    # otherwise come first; on one thread the parse tracks quotes at no cost, and its rows bound
    # the lines (see _rows_checked)
    scanned = _scan(data) if threads or isinstance(data, bytes) or width > config.MAX_COLUMNS else None
    if scanned is not None:
        check_text_shape(file, scanned[0] + 1, width)
    grid = _arrow_grid(data, delimiter, width, True if scanned is None else scanned[1], threads)
    # line breaks and byte-order marks looked for in the grid's distinct cells in one pass
    wanted = (("\n",) if scanned is None else ()) + ((_BOM,) if not decoded else ())
    held = _cells_holding(grid, wanted) if grid is not None and wanted else set()
    if scanned is None:
        _rows_checked(file, data, grid, width, "\n" in held)
    if grid is None:
        data = data if isinstance(data, bytes) else data.to_pybytes()  # the row-exact readers read bytes
    if not decoded and (not _plain_utf8(data) if grid is None else _BOM in held):
        raise _NeedsDecoding
    too_wide = pd.DataFrame({"_row": pd.Series(dtype="int64")})
    if grid is None:
        try:
            # one spare column: a row with more fields than the header shows up in it
            grid = pd.read_csv(
                io.BytesIO(data), header=None, names=range(width + 1), index_col=False, dtype=object,
                keep_default_na=False, na_filter=False, skip_blank_lines=False, sep=delimiter,
                encoding="utf-8",
            )
            spare = grid[width].to_numpy() != ""
            too_wide = pd.DataFrame({"_row": np.flatnonzero(spare) + 1})
            grid = grid.drop(columns=width)
        except pd.errors.ParserError:
            grid, too_wide = _ragged_csv(data.decode("utf-8"), delimiter, width)
    out = Read(tables=tables_from_grid(grid, str(file), ""), notes=notes)
    for table in out.tables if len(too_wide) else []:
        hit = table.records["_row"].isin(set(too_wide["_row"])).to_numpy()
        rows = table.records.loc[hit, "_row"].to_numpy()
        out.rejects.append(pd.DataFrame({
            "file": str(file), "sheet": "", "row": rows, "column": "", "value": "",
            "reason": zh_en(f"该行字段数多于表头的 {width} 个（数字中有未加引号的逗号，如 1,200？）",
                            f"row has more fields than the header's {width} "
                            "(an unquoted comma, e.g. in 1,200?)"),
        }))
        table.records = table.records[~hit].reset_index(drop=True)
    return out


def _rows_checked(file: Path, data: bytes | Buffer, grid: pd.DataFrame | None, width: int,
                  broken: bool) -> None:
    """The row limit checked after a parse, as :func:`check_text_shape` checks it on the lines of
    ``data``. Where no cell holds a line break (``broken`` False), every line break ended a row of
    the grid, so the grid's rows bound the lines and the lines are counted only when that bound
    passes the limit; a file the parse refused (``grid`` None) or with a line break inside a cell
    is counted."""
    if grid is not None and len(grid) + 1 <= config.MAX_ROWS and not broken:
        return
    check_text_shape(file, _scan(data)[0] + 1, width)


def _cells_holding(grid: pd.DataFrame, texts: tuple[str, ...]) -> set[str]:
    """Those of ``texts`` that some cell of a grid of categoricals holds (looked for by Arrow's
    kernel in the distinct cells of each column, each column's cells made Arrow text once)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found: set[str] = set()
    for _, column in grid.items():
        cells = pa.array(column.cat.categories, pa.large_string())
        found.update(t for t in texts if t not in found and pc.any(pc.match_substring(cells, t)).as_py())
        if len(found) == len(texts):
            break
    return found


def _scan(data: bytes | Buffer) -> tuple[int, bool]:
    """The line breaks in ``data`` and whether it holds a quote character, in one pass (a
    memory-mapped buffer compared in slices, without a copy of the file)."""
    if isinstance(data, bytes):
        return data.count(b"\n"), b'"' in data
    view = np.frombuffer(data, dtype=np.uint8)
    lines, quoted = 0, False
    for i in range(0, len(view), _SLICE):
        part = view[i : i + _SLICE]
        lines += int(np.count_nonzero(part == ord("\n")))
        quoted = quoted or bool((part == ord('"')).any())
    return lines, quoted


#: Bytes of a mapped file compared at a time (small enough to stay in cache).
_SLICE = 2**20


def _arrow_grid(data: bytes | Buffer, delimiter: str, width: int, quoted: bool = True,
                threads: bool | None = None) -> pd.DataFrame | None:
    """The grid of a regular CSV (every row ``width`` fields) read by Arrow's parser, each column
    a categorical (every distinct cell text once, an integer code per row: :func:`_categorical`);
    None when any row has another number of fields (blank lines, short or long rows), which the
    row-exact reader then reads. ``quoted``: whether the data may hold a quote character (a line
    break can then be inside a value); ``threads``: whether blocks are parsed on several threads
    (:func:`arrow_threads` when None). Raises :class:`_NeedsDecoding` for bytes that are not UTF-8."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(j) for j in range(width)]
    irregular = []

    def refuse(row) -> str:
        irregular.append(row)
        return "skip"

    threads = arrow_threads() if threads is None else threads
    # blocks parsed on several threads where a core is idle (see ARROW_THREADS); blocks of a few
    # megabytes, and a large file in a few blocks: each block is a chunk of every column, so fewer
    # chunks to encode and runs cut at fewer chunk boundaries. On one thread the file is one block
    # (up to _ONE_THREAD_BLOCK): one chunk per column
    block = (max(_ARROW_BLOCK, -(-len(data) // _ARROW_BLOCKS)) if threads
             else min(max(_ARROW_BLOCK, len(data)), _ONE_THREAD_BLOCK))
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=block),
            # a line break can only be inside a value between quotes: without a quote character
            # in the file, lines are rows and the parser need not track quoting across them
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted,
                                             ignore_empty_lines=False, invalid_row_handler=refuse),
            convert_options=pacsv.ConvertOptions(
                # bytes, not text: UTF-8 is checked once per distinct cell, on the dictionaries;
                # cells as they are, encoded after the parse (by runs where a column has few)
                column_types=dict.fromkeys(names, pa.binary()),
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        if "utf8" in str(exc).lower():
            raise _NeedsDecoding from exc
        return None
    if irregular:
        return None
    try:
        return pd.DataFrame({j: _categorical(table.column(j)) for j in range(width)},
                            index=pd.RangeIndex(table.num_rows), copy=False)
    except pa.ArrowInvalid as exc:  # a distinct cell that is not UTF-8
        raise _NeedsDecoding from exc


#: Bytes per block of Arrow's CSV parser at least, and the blocks a larger file is cut into.
_ARROW_BLOCK = 4 * 2**20
_ARROW_BLOCKS = 4
#: Bytes per block at most when Arrow parses on one thread (a file up to this size is one block).
_ONE_THREAD_BLOCK = 64 * 2**20
#: Whether Arrow parses the blocks of a CSV on several threads (each block then a chunk of each
#: column, encoded over the chunks in order of first appearance as one thread gives them): True,
#: False, or None for when a core is idle (:func:`arrow_threads`). Threads take about the same CPU
#: time as one thread and lower the waiting only where a core has nothing else to do
#: (``benchmarks/load.py``); batch runs loading files in parallel processes keep the cores busy.
ARROW_THREADS: bool | None = None


def arrow_threads() -> bool:
    """Whether a CSV is parsed on several threads now: :data:`ARROW_THREADS` when set, else when
    a core is idle (the one-minute load average below the number of cores less one)."""
    if ARROW_THREADS is not None:
        return ARROW_THREADS
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this system
        return False
    return load < (os.cpu_count() or 1) - 1


def _categorical(column) -> pd.Categorical:
    """A parsed Arrow column of bytes as a categorical of text (categories in order of first
    appearance, as read). Where equal cells come in runs (a key column of a long table: region,
    township, indicator, unit) only the first cell of each run is looked up in the dictionary, the
    codes repeated over the runs; other columns are dictionary-encoded cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = [c for c in column.chunks if len(c)] or column.chunks[:1]
    n = sum(len(c) for c in chunks)
    runs = _run_starts(chunks, n)
    if runs is not None:
        whole = pa.chunked_array(chunks, pa.binary())
        encoded = pc.dictionary_encode(whole.take(pa.array(runs)))
        encoded = encoded.combine_chunks() if isinstance(encoded, pa.ChunkedArray) else encoded
        codes = np.repeat(narrow(encoded.indices.to_numpy(zero_copy_only=False), len(encoded.dictionary)),
                          np.diff(np.append(runs, n)))
    else:
        encoded = pc.dictionary_encode(pa.chunked_array(chunks, pa.binary())).combine_chunks()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
    categories = pd.Index(pd.array(encoded.dictionary.cast(pa.large_string()), dtype="str"))
    return categorical(codes, categories)  # a dictionary's entries are distinct


#: Rows per run of equal cells at least, on average, for a column to be encoded run by run.
_ROWS_PER_RUN = 8
#: Rows whose runs are counted first: a column changing on more of them than a run allows is
#: encoded cell by cell without counting the runs of the rest (either encoding gives the same codes).
_FIRST_ROWS = 4096


def _run_starts(chunks: list, n: int) -> np.ndarray | None:
    """The first row of each run of equal cells in the ``n`` rows of ``chunks`` (a chunk's first row
    starts a run), or None where runs are shorter than :data:`_ROWS_PER_RUN` rows on average."""
    import pyarrow.compute as pc

    head = chunks[0].slice(0, _FIRST_ROWS) if chunks else None
    if head is not None and len(head) == _FIRST_ROWS and n > _FIRST_ROWS:
        changes = pc.sum(pc.not_equal(head.slice(1), head.slice(0, len(head) - 1))).as_py() or 0
        if changes + 1 > _FIRST_ROWS // _ROWS_PER_RUN:
            return None
    starts, at = [], 0
    for chunk in chunks:
        change = pc.not_equal(chunk.slice(1), chunk.slice(0, max(len(chunk) - 1, 0)))
        first = np.flatnonzero(change.to_numpy(zero_copy_only=False))
        first += 1 + at
        starts.extend((np.array([at], dtype=first.dtype), first))
        at += len(chunk)
    runs = np.concatenate(starts) if n else np.zeros(0, dtype=np.int64)
    return runs if len(runs) <= n // _ROWS_PER_RUN else None


def _plain_utf8(data: bytes) -> bool:
    """True for UTF-8 bytes without a byte-order mark."""
    try:
        return _BOM not in data.decode("utf-8")
    except UnicodeDecodeError:
        return False


def _positions(text: str, ch: str):
    i = text.find(ch)
    while i != -1:
        yield i
        i = text.find(ch, i + 1)


def _header_width(head: list[str], delimiter: str) -> int:
    """Number of fields of the header line (found among the first lines)."""
    rows = list(csv.reader(head, delimiter=delimiter))
    width = max((len(r) for r in rows), default=1)
    grid = pd.DataFrame([(r + [""] * width)[:width] for r in rows], dtype=object)
    header = locate_header(grid)
    if header is None:
        return width
    cells = rows[header.row]
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return max(len(cells), 1)


def _ragged_csv(text: str, delimiter: str, width: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slow path for CSV text the fast parser refuses: read it row by row, mark long rows."""
    rows, too_wide = [], []
    for i, fields in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        if any(f.strip() for f in fields[width:]):
            too_wide.append(i + 1)
        rows.append((fields + [""] * width)[:width])
    return pd.DataFrame(rows, dtype=object), pd.DataFrame({"_row": too_wide})


def read_book(file: Path) -> Read:
    """Every sheet of an Excel/ODS workbook (long or wide form, merged cells filled).

    The zip is inspected against the limits first; the reader runs in a child process. A file
    that is no workbook (empty, a zip or PDF of something else) is one rejection saying what it is."""
    from childplan_analysis.io.broken_files import workbook_problem

    problem = workbook_problem(file)
    if problem:
        return Read(rejects=[reject_frame(file, "", 0, "", "", problem)])
    check_workbook(file)
    reader = _read_xls if file.suffix.lower() == ".xls" else read_workbook
    sheets, hidden = isolated(reader, file, what=str(file))
    notes = [
        f"{file}: " + zh_en(f"隐藏的工作表 '{name}'（{rows} 行非空）未作为监测数据读入；如需读入，请在 Excel 中取消隐藏",
                            f"hidden sheet '{name}' with {rows} non-empty row(s) not read as data; unhide it to read it")
        for name, rows in hidden if rows
    ]
    return Read(tables=[t for name, grid in sheets for t in tables_from_grid(grid, str(file), name)], notes=notes)


def _read_xls(file: Path) -> tuple[list[tuple[str, pd.DataFrame]], list[tuple[str, int]]]:
    """The grids of an ``.xls`` file (:func:`read_workbook`) with each percent-formatted number read
    as the cell shows it, ``0.953`` → ``95.3%`` (:func:`~childplan_analysis.io.cell_formats.xls_percent_cells`)."""
    from childplan_analysis.io.cell_formats import shown_percent, xls_percent_cells

    sheets, hidden = read_workbook(file)
    cells = xls_percent_cells(file)
    for name, grid in sheets if cells else []:
        for r, c in cells.get(name, []):
            if r < grid.shape[0] and c < grid.shape[1]:
                try:
                    grid.iat[r, c] = shown_percent(float(grid.iat[r, c]))
                except ValueError:
                    continue  # not a number in the grid (a merged cell's text): left as read
    return sheets, hidden


def read_parquet(file: Path) -> Read:
    """A Parquet table (one row per record, column names as the header)."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(file).metadata
    check_text_shape(file, meta.num_rows, meta.num_columns)
    table = pd.read_parquet(file)
    cells = {}
    for j, col in enumerate(table.columns):
        s = table[col]
        text = s.astype("str") if not pd.api.types.is_float_dtype(s) else s.map(_float_text)
        cells[j] = pd.concat([pd.Series([str(col)]), text.where(s.notna(), "")], ignore_index=True)
    grid = pd.DataFrame(cells)
    found = table_from_grid(grid, str(file), "", row_offset=0)
    return Read(tables=[found] if found is not None else [])


def _float_text(x: float) -> str:
    return "" if x != x else (str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x)))


#: Reader of each supported file suffix.
READERS: dict[str, Callable[[Path], Read]] = {
    ".csv": read_text, ".txt": read_text, ".tsv": read_text,
    ".xlsx": read_book, ".xlsm": read_book, ".xls": read_book, ".ods": read_book,
    ".parquet": read_parquet,
}
TEXT_SUFFIXES = {s for s, r in READERS.items() if r is read_text}
WORKBOOK_SUFFIXES = {s for s, r in READERS.items() if r is read_book}
SUPPORTED_SUFFIXES = set(READERS)


def read_tables(file: Path) -> Read:
    """The tables of one file; a file that cannot be read at all gives one rejection."""
    suffix = file.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        return Read(rejects=[reject_frame(file, "", 0, "", "", zh_en(
            f"不支持的文件类型 {suffix!r}", f"unsupported file type {suffix!r}"))])
    try:
        check_file_size(file)
        return reader(file)
    except DataError as exc:
        return Read(rejects=[reject_frame(file, "", 0, "", "", str(exc))])
    except ReaderError as exc:
        return Read(rejects=[reject_frame(file, "", 0, "", "", zh_en("无法读取文件", f"unreadable file: {exc}"))])
    except Exception as exc:  # unreadable file: report it, don't crash the batch
        return Read(rejects=[reject_frame(file, "", 0, "", "", zh_en(
            "无法读取文件", f"unreadable file: {type(exc).__name__}: {exc}"))])
