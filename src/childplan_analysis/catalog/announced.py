"""An announcement's framing before the measure it sets (``中国计划在未来几年将A率…降至2%以下``).

News of a plan tells its aims through the body that plans and the time it takes (``全省打算用三年时间把…``,
``国家计划在今后五年将…``): none of it is part of the measure's name, which starts after 将 or 把.
"""

from __future__ import annotations

import re

#: The body, a verb of planning, the time it takes, then 将/把 before the measure.
_FRAMING_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,12}?(?:计划|打算|拟|预期|预计|决定|力争|争取|希望|目标是)"
    r"(?:在|于|用|到)?(?:未来|今后|接下来|近)?(?:[一二三四五六七八九十两几]|\d{1,2})?(?:年|几年)?(?:内|里|时间|之内)?"
    r"(?:将|把)(?=[\u4e00-\u9fff])"
)


def without_framing(subject: str) -> str:
    """``中国计划在未来几年将艾滋母婴传播率`` → ``艾滋母婴传播率``; any other subject as it is."""
    return _FRAMING_RE.sub("", subject, count=1)


#: The time an aim takes, a clause of its own (``用4年左右的时间``, ``力争用三年时间``): no quantity to reach.
_TIME_TAKEN_RE = re.compile(
    r"^(?:力争|争取|计划|拟|再)?(?:用|花|经过)(?:\d{1,2}|[一二三四五六七八九十两])(?:年|个月)(?:左右|多)?(?:的)?时间$"
)


def is_time_taken(clause: str) -> bool:
    """``用4年左右的时间`` opening a plan's aims is the time they take, not a target of four years."""
    return bool(_TIME_TAKEN_RE.match(clause))
