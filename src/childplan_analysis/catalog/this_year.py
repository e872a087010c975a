"""The year ``今年`` means in a text whose only year is its own.

A report of this year's aims (``今年的目标是…``, ``今年暑期,…举办…``) that names one year and no other, as the time
of its own events (``从2015年起,每年…``, ``2024年暑期托管班于7月8日开班``), speaks of that year. A year named as a
base or a span looked back on (``与2020年相比``, ``2020年以来``, ``比2020年``) is no year of the text's own, so such a
text is not dated by it; nor is a text naming two years or more.
"""

from __future__ import annotations

import re

#: A year written in full, with 年 (``2015年``) or run into its month and day by a copy that lost them (``2015518日``).
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|(?=\d{1,4}日))")
#: Words after a year that make it a base or a period looked back on.
_LOOKED_BACK_RE = re.compile(r"^年?(?:以来|来|相比|的基础上|基础上|前|之前|同期|水平)")
#: Words before a year that make it a base (``比2020年``, ``较2020年``, ``与2020年相比``).
_BASE_BEFORE_RE = re.compile(r"(?:比|较|与|同|对比|相比)$")
#: 今年 as the time of the text's aims or events, not inside a word (``今年度`` stays).
_THIS_YEAR_RE = re.compile(r"今年(?!度)")


def this_year_named(text: str) -> int | None:
    """The one year a text speaking of ``今年`` names as its own; None when it names none, several, or a base."""
    compact = re.sub(r"《[^》]*》", "", re.sub(r"\s+", "", text))  # a quoted plan's period is the plan's
    if not _THIS_YEAR_RE.search(compact):
        return None
    years: set[int] = set()
    for m in _YEAR_RE.finditer(compact):
        if _LOOKED_BACK_RE.match(compact[m.end(1): m.end(1) + 6]) or _BASE_BEFORE_RE.search(compact[: m.start()]):
            return None
        years.add(int(m.group(1)))
    return years.pop() if len(years) == 1 else None


__all__ = ["this_year_named"]
