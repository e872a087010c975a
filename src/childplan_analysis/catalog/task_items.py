"""A numbered task that states its level on its own line (``七、加强…工作,保证…,新生儿死亡率降低到5.95‰``).

A department's yearly task list numbers its tasks as a plan numbers its parts (``一、``), but each task is a
sentence: the work named first, then, after a comma, the levels it is to reach. Such a line is no heading: the
text after its first comma is read as the task's aims, the work before it kept as the part's title. A part's
title holds no level reached by a verb (``一、总体目标``, ``二、主要任务``), so a true heading is left alone.
"""

from __future__ import annotations

import re

_NUMERALS = "一二三四五六七八九十"
#: A level reached, after a verb of reaching or keeping: ``降低到5.95‰``, ``达90%以上``, ``保持在10%以上``.
_LEVEL_RE = re.compile(
    r"(?:达到|达|提高到|提高至|提升到|提升至|降低到|降低至|降到|降至|下降到|下降至|控制在|保持在|保持|稳定在|不低于|不少于|"
    r"不高于|不超过)(?:[\u4e00-\u9fff]{0,2}?)\d+(?:\.\d+)?(?:%|‰|/10万|个百分点)"
    # or a count of places made or named (``命名100所``, ``新建12个``)
    r"|(?:命名|新建|建成|创建|培育|设立|认定)\d+(?:所|个|家|处|间)"
)
_TASK_RE = re.compile(rf"^(?P<title>[{_NUMERALS}]+、[^,，;；:：。]{{2,30}}?)[,，;；](?P<rest>.+)$")


def task_item(heading: str) -> tuple[str, str]:
    """``七、加强…普及工作,新生儿死亡率降低到5.95‰`` → ``七、加强…普及工作``, ``新生儿死亡率降低到5.95‰``; the heading
    and ``""`` when the line states no level after its first comma."""
    m = _TASK_RE.match(heading)
    if m is None:
        return heading, ""
    if _LEVEL_RE.search(m.group("title")):  # 六、全市…增长率保持10%以上;…: the task's first clause is an aim too
        return m.group("title"), heading[heading.index("、") + 1:]
    if not _LEVEL_RE.search(m.group("rest")):
        return heading, ""
    return m.group("title"), m.group("rest")


__all__ = ["task_item"]
