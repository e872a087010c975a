"""The outline of a plan text: how its parts (``一、``), chapters (``（一）``), sections
(``主要目标``) and items (``1.``) are numbered, and the first year a target may name."""

from __future__ import annotations

import re

#: Earliest target year kept: statements about 2020 and before describe the past.
MIN_TARGET_YEAR = 2021
CN_NUMERALS = "一二三四五六七八九十"
PART_RE = re.compile(rf"^[{CN_NUMERALS}]+、")
CHAPTER_RE = re.compile(rf"^[(（]([{CN_NUMERALS}]+)[)）]\s*(.+)$")
SECTION_RE = re.compile(
    r"^(主要目标|策略措施|主要指标|重点任务|主要任务|工作目标|目标任务|具体目标|发展目标|工作任务)[:：]?$"
)
ITEM_RE = re.compile(r"^(?:[-•·]\s*)?(\d{1,2})\s*[.、．]\s*")


def is_structural(line: str) -> bool:
    """A line that opens a part, chapter, section, item or 专栏 of the outline."""
    compact = re.sub(r"\s+", "", line)
    return bool(
        PART_RE.match(compact)
        or CHAPTER_RE.match(compact)
        or SECTION_RE.match(compact)
        or ITEM_RE.match(compact)
        or compact.startswith("专栏")
    )
