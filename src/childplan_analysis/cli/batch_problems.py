"""The data problems of a finished batch, told on the console.

A region whose folder holds one unreadable file (empty, truncated, a zip of something else) still
has data and gets its report; but that report lacks a department's whole return. The batch's
``warnings.xlsx`` lists every rejected row; the files that could not be read at all are kept on each
region's record, and this module words them so that the command names each with its reason and
exits 1, as ``validate`` does, instead of saying only "3 ok".
"""

from __future__ import annotations

from dataclasses import dataclass

from childplan_analysis.batch.outputs import REJECTED_SHEET


@dataclass(frozen=True)
class UnreadableFile:
    """A file of a region's data that gave no row at all."""

    region: str
    file: str
    reason: str


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


__all__ = ["UnreadableFile", "problem_lines"]
