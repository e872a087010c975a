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


__all__ = ["plans_named"]
