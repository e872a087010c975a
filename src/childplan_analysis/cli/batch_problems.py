"""The data problems of a finished batch, told on the console.

A region whose folder holds one unreadable file (empty, truncated, a zip of something else) still
has data and gets its report; but that report lacks a department's whole return. The batch's
``warnings.xlsx`` lists every rejected row; this module reads back the files that could not be read
at all (rejections of row 0) for the regions the batch ran, so that the command names each with
its reason and exits 1, as ``validate`` does, instead of saying only "3 ok".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: The sheet of ``warnings.xlsx`` with the rejected input rows.
REJECTED_SHEET = "数据问题 rejected rows"


@dataclass(frozen=True)
class UnreadableFile:
    """A file of a region's data that gave no row at all."""

    region: str
    file: str
    reason: str


def unreadable_files(out: Path, regions: set[str]) -> list[UnreadableFile]:
    """The files of ``regions`` that could not be read, from ``out/warnings.xlsx`` (none when it is
    missing or lists no rejected row)."""
    book = out / "warnings.xlsx"
    if not book.exists():
        return []
    try:
        rows = pd.read_excel(book, sheet_name=REJECTED_SHEET, engine="calamine")
    except (ValueError, KeyError):  # no such sheet: nothing was rejected
        return []
    if rows.empty or not {"region", "file", "row", "reason"} <= set(rows.columns):
        return []
    whole = rows[(pd.to_numeric(rows["row"], errors="coerce") == 0) & rows["region"].astype(str).isin(regions)]
    whole = whole.drop_duplicates(["region", "file"])
    return [UnreadableFile(str(r.region), str(r.file), str(r.reason)) for r in whole.itertuples()]


def problem_lines(files: list[UnreadableFile], limit: int = 20) -> list[str]:
    """Console lines naming each unreadable file by region, at most ``limit`` files."""
    if not files:
        return []
    regions = sorted({f.region for f in files})
    lines = [f"{len(files)} 个数据文件无法读取，{len(regions)} 个地区的报告缺少这些文件的数据"
             f"（{len(files)} data file(s) could not be read; the reports of {len(regions)} region(s) lack their "
             "data）:"]
    lines += [f"  {f.region} · {f.file}: {f.reason}" for f in files[:limit]]
    if len(files) > limit:
        lines.append(f"  … 另有 {len(files) - limit} 个（… and {len(files) - limit} more; warnings.xlsx, "
                     f"{REJECTED_SHEET}）")
    return lines


__all__ = ["REJECTED_SHEET", "UnreadableFile", "problem_lines", "unreadable_files"]
