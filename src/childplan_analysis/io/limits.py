"""Input limits, checked before or while reading, so that no file costs unbounded memory or time.

Each limit is in :mod:`childplan_analysis.core.config` and listed in ``docs/reliability.md``.
A file over a limit raises :class:`~childplan_analysis.core.errors.LimitError`: one line naming
the file, what it holds and the limit. Workbooks are inspected as zip archives before any reader
sees them: part sizes against their packed sizes, then each worksheet and the shared-string table
streamed (never held whole) to count rows, cells and strings and the area the cells span.
Readers that might still crash (a native panic, an allocation failure) run through
:func:`isolated`, in a child process, so that a crash rejects one file, never the process.
"""

from __future__ import annotations

import multiprocessing
import re
import resource
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path

from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError, LimitError
from childplan_analysis.core.text import zh_en

_CHUNK = 1 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_ROW = re.compile(rb"<(?:\w+:)?row\b")
_CELL = re.compile(rb"<(?:\w+:)?c\b")
_SI = re.compile(rb"<(?:\w+:)?si\b")
_COUNT = re.compile(rb'\b(?:uniqueCount|count)="(\d+)"')


def _n(x: int) -> str:
    return f"{x:,}"


def check_file_size(path: Path) -> None:
    """Refuse a file larger than ``config.MAX_FILE_BYTES``."""
    size = path.stat().st_size
    if size > config.MAX_FILE_BYTES:
        raise LimitError(zh_en(
            f"{path}：文件大小 {_n(size)} 字节，超过上限 {_n(config.MAX_FILE_BYTES)}",
            f"{path}: file of {_n(size)} bytes is above the limit of {_n(config.MAX_FILE_BYTES)} "
            "(MAX_FILE_BYTES)"))


def check_text_shape(path: Path, rows: int, columns: int) -> None:
    """Refuse a CSV with more rows or header columns than the limits."""
    if rows > config.MAX_ROWS:
        raise LimitError(zh_en(f"{path}：{_n(rows)} 行，超过上限 {_n(config.MAX_ROWS)}",
                               f"{path}: {_n(rows)} rows, above the limit of {_n(config.MAX_ROWS)} (MAX_ROWS)"))
    if columns > config.MAX_COLUMNS:
        raise LimitError(zh_en(f"{path}：{_n(columns)} 列，超过上限 {_n(config.MAX_COLUMNS)}",
                               f"{path}: {_n(columns)} columns, above the limit of {_n(config.MAX_COLUMNS)} "
                               "(MAX_COLUMNS)"))


def _col(letters: bytes | None) -> int:
    n = 0
    for ch in letters or b"A":
        n = n * 26 + ch - 64
    return n


def check_workbook(path: Path) -> None:
    """Inspect a zipped workbook (.xlsx, .xlsm, .ods) before it is read; :class:`LimitError`
    naming the file and the part when a limit is passed. Not a zip: left to the reader."""
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > config.MAX_UNPACKED_BYTES:
            raise LimitError(zh_en(
                f"{path}：解压后 {_n(total)} 字节，超过上限 {_n(config.MAX_UNPACKED_BYTES)}",
                f"{path}: unpacks to {_n(total)} bytes, above the limit of {_n(config.MAX_UNPACKED_BYTES)} "
                "(MAX_UNPACKED_BYTES)"))
        for info in infos:
            _check_ratio(path, info.filename, info.file_size, info.compress_size)
        unpacked = 0
        for info in infos:
            name = info.filename
            if re.match(r"^xl/worksheets/[^/]+\.xml$", name):
                unpacked += _scan_sheet(path, zf, info)
            elif re.match(r"^xl/sharedStrings\.xml$", name, re.IGNORECASE):
                unpacked += _scan_shared_strings(path, zf, info)
            if unpacked > config.MAX_UNPACKED_BYTES:  # the zip directory understated the sizes
                raise LimitError(zh_en(
                    f"{path}：解压后超过 {_n(config.MAX_UNPACKED_BYTES)} 字节（压缩包目录所记大小不实）",
                    f"{path}: unpacks to more than {_n(config.MAX_UNPACKED_BYTES)} bytes although its zip "
                    "directory says less (MAX_UNPACKED_BYTES)"))


def _check_ratio(path: Path, part: str, size: int, packed: int) -> None:
    if size > config.EXPANSION_MIN_BYTES and size > config.MAX_EXPANSION_RATIO * max(packed, 1):
        ratio = size / max(packed, 1)
        raise LimitError(zh_en(
            f"{path}：部件 {part} 由 {_n(packed)} 字节解压为 {_n(size)} 字节（{ratio:,.0f} 倍），"
            f"超过上限 {config.MAX_EXPANSION_RATIO} 倍（疑似压缩炸弹）",
            f"{path}: part {part} expands {ratio:,.0f}× ({_n(packed)} → {_n(size)} bytes), above the limit of "
            f"{config.MAX_EXPANSION_RATIO}× (MAX_EXPANSION_RATIO; a zip bomb?)"))


def _stream(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Chunks of one part (overlapping by a few bytes so that no tag is cut), its size checked
    against its packed size as it is read."""
    read, tail = 0, b""
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            read += len(chunk)
            _check_ratio(path, info.filename, read, info.compress_size)
            if read > config.MAX_UNPACKED_BYTES:
                raise LimitError(zh_en(
                    f"{path}：部件 {info.filename} 解压后超过 {_n(config.MAX_UNPACKED_BYTES)} 字节",
                    f"{path}: part {info.filename} unpacks to more than {_n(config.MAX_UNPACKED_BYTES)} bytes "
                    "(MAX_UNPACKED_BYTES)"))
            data = tail + chunk
            yield data, len(tail)
            tail = data[-64:]


def _scan_sheet(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    part = info.filename
    rows = cells = max_row = max_col = 0
    read = 0
    for n, (data, overlap) in enumerate(_stream(path, zf, info)):
        read += len(data) - overlap
        if n == 0:
            m = _DIMENSION.search(data[:8192])
            if m and m.group(4):
                declared = (int(m.group(4)) - int(m.group(2) or 1) + 1) * (_col(m.group(3)) - _col(m.group(1)) + 1)
                ref = m.group(0).decode().split('ref="')[1].rstrip('"')
                _check_cells(path, part, declared, f"declares dimension {ref} with")
        # count in the new bytes only (tags starting inside the overlap were counted before)
        new = data[max(overlap - 1, 0):] if overlap else data
        rows += len(_ROW.findall(new))
        cells += len(_CELL.findall(new))
        for m in _CELL_REF.finditer(new):
            r, c = int(m.group(2)), _col(m.group(1))
            if r > max_row:
                max_row = r
            if c > max_col:
                max_col = c
        if rows > config.MAX_ROWS or max_row > config.MAX_ROWS:
            raise LimitError(zh_en(
                f"{path}：工作表 {part} 超过 {_n(config.MAX_ROWS)} 行",
                f"{path}: worksheet {part} has more than {_n(config.MAX_ROWS)} rows (MAX_ROWS)"))
        if max_col > config.MAX_COLUMNS:
            raise LimitError(zh_en(
                f"{path}：工作表 {part} 有第 {_n(max_col)} 列，超过上限 {_n(config.MAX_COLUMNS)} 列",
                f"{path}: worksheet {part} reaches column {_n(max_col)}, above the limit of "
                f"{_n(config.MAX_COLUMNS)} (MAX_COLUMNS)"))
        _check_cells(path, part, max(cells, max_row * max_col), "spans")
    return read


def _check_cells(path: Path, part: str, cells: int, how: str) -> None:
    if cells > config.MAX_SHEET_CELLS:
        raise LimitError(zh_en(
            f"{path}：工作表 {part} 的范围有 {_n(cells)} 个单元格，超过上限 {_n(config.MAX_SHEET_CELLS)}",
            f"{path}: worksheet {part} {how} {_n(cells)} cells, above the limit of "
            f"{_n(config.MAX_SHEET_CELLS)} (MAX_SHEET_CELLS)"))


def _scan_shared_strings(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    count, read = 0, 0
    for n, (data, overlap) in enumerate(_stream(path, zf, info)):
        read += len(data) - overlap
        if n == 0:
            m = _COUNT.search(data[:4096])
            if m and int(m.group(1)) > config.MAX_SHARED_STRINGS:
                _strings_error(path, int(m.group(1)), "declares")
        count += len(_SI.findall(data[max(overlap - 1, 0):] if overlap else data))
        if count > config.MAX_SHARED_STRINGS:
            _strings_error(path, count, "holds more than")
    return read


def _strings_error(path: Path, count: int, how: str) -> None:
    raise LimitError(zh_en(
        f"{path}：共享字符串表有 {_n(count)} 项，超过上限 {_n(config.MAX_SHARED_STRINGS)}",
        f"{path}: the shared-string table {how} {_n(count)} strings, above the limit of "
        f"{_n(config.MAX_SHARED_STRINGS)} (MAX_SHARED_STRINGS)"))


# ------------------------------------------------------------------ isolated readers


class ReaderError(RuntimeError):
    """A reader failed in its child process; the message is ``Type: message`` of the failure."""


def _child(conn, fn, args, memory: int) -> None:
    try:
        if memory:
            with open("/proc/self/statm") as f:
                size = int(f.read().split()[0]) * resource.getpagesize()
            resource.setrlimit(resource.RLIMIT_AS, (size + memory, size + memory))
        conn.send(("ok", fn(*args)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent as text
        conn.send(("error", (type(exc).__name__, str(exc))))
    finally:
        conn.close()


def isolated(fn: Callable, *args, what: str):
    """``fn(*args)`` in a forked child with bounded memory and time; a crash, an out-of-memory or a
    timeout raises :class:`LimitError` naming ``what`` (the file); a :class:`DataError` raised there
    is raised again, other errors come back as :class:`ReaderError` with the child's message."""
    if not config.ISOLATE_READERS or "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, config.READER_MEMORY_BYTES), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(config.READER_TIMEOUT_S):
            proc.kill()
            raise LimitError(zh_en(f"{what}：读取超过 {config.READER_TIMEOUT_S} 秒，已中止",
                                   f"{what}: reading took more than {config.READER_TIMEOUT_S} s and was "
                                   "stopped (READER_TIMEOUT_S)"))
        try:
            status, payload = parent.recv()
        except EOFError:
            proc.join(5)
            code = proc.exitcode
            sig = signal.Signals(-code).name if code is not None and code < 0 else f"exit code {code}"
            raise LimitError(zh_en(f"{what}：读取程序崩溃（{sig}），文件可能已损坏或内容过大",
                                   f"{what}: the workbook reader crashed ({sig}); the file is broken "
                                   "or too large")) from None
    finally:
        parent.close()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
    if status == "memory":
        raise LimitError(zh_en(f"{what}：读取所需内存超过 {_n(config.READER_MEMORY_BYTES)} 字节",
                               f"{what}: reading needs more than {_n(config.READER_MEMORY_BYTES)} bytes of "
                               "memory (READER_MEMORY_BYTES)"))
    if status == "error":
        name, message = payload
        if name in ("DataError", "LimitError"):
            raise DataError(message)
        raise ReaderError(f"{name}: {message}")
    return payload
