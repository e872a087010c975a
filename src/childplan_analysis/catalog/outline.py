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


#: A part's short title closed by a full stop, its text run on after it on the same line
#: (``三、办好普惠托育。新增托位800个;…``): a phrase of a few words, no comma or colon in it.
_RUN_ON_PART_RE = re.compile(rf"^([{CN_NUMERALS}]+、[^,，;；:：。、]{{2,16}})。(?=\S)(.+)$")


def run_on_part(heading: str) -> tuple[str, str]:
    """A part heading and the text run on after its title's full stop (``二、改善托育服务。新增托位800个``
    → ``二、改善托育服务``, ``新增托位800个``); the heading and ``""`` when nothing runs on."""
    m = _RUN_ON_PART_RE.match(heading)
    return (m.group(1), m.group(2)) if m else (heading, "")
