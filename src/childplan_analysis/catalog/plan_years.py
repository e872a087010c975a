"""Five-year plans a text names as the period of its aims, not as the place of one year in them.

``年是“十四五”承上启下的关键一年`` places the text's year inside the 十四五 period without saying which year
it is: such a mention dates nothing (the year is then assumed), while ``“十四五”期间``, ``到“十四五”末`` or a
``“十四五”规划`` name the period the aims run to.
"""

from __future__ import annotations

import re
from collections import Counter

#: A year described as one of a five-year plan's (``…“十四五”开局之年``, ``…“十四五”承上启下的关键一年``).
_YEAR_IN_PLAN_TAIL = re.compile(r"[”\"']?(?:规划|时期)?(?:的)?[\u4e00-\u9fff、]{0,10}?(?:一年|之年)")


def plans_named(text: str, plans: dict[str, tuple[int, int]]) -> Counter[str]:
    """How often each five-year plan of ``plans`` is named in ``text``, leaving out the mentions that only place
    a year inside it."""
    named: Counter[str] = Counter()
    for m in re.finditer("|".join(plans), text):
        if not _YEAR_IN_PLAN_TAIL.match(text, m.end()):
            named[m.group(0)] += 1
    return named


#: A five-year plan named only as the end of a milestone (``预计到“十二五”末实现…``).
_AS_MILESTONE_BEFORE = re.compile(r"(?:到|至|在)[“\"']?$")
_AS_MILESTONE_AFTER = re.compile(r"[”\"']?(?:时期)?(?:末|期末|结束时|结束前)")


def named_only_as_milestone(text: str, plans: dict[str, tuple[int, int]]) -> bool:
    """Whether every mention of a five-year plan in ``text`` is the end of a milestone (``到“十二五”末``): a text telling
    this year's aims and, beside them, where the plan's end will stand, whose own aims that end does not date."""
    mentions = list(re.finditer("|".join(plans), text))
    return bool(mentions) and all(
        _AS_MILESTONE_BEFORE.search(text[max(0, m.start() - 2): m.start()]) and _AS_MILESTONE_AFTER.match(text, m.end())
        for m in mentions
    )


def without_plan_milestones(text: str, plans: dict[str, tuple[int, int]]) -> str:
    """``text`` without the milestones that name a five-year plan's end (``到“十二五”末``)."""
    names = "|".join(plans)
    return re.sub(rf"(?:到|至|在)[“\"']?(?:{names})[”\"']?(?:时期)?(?:末|期末|结束时|结束前)", "", text)


__all__ = ["named_only_as_milestone", "plans_named", "without_plan_milestones"]
