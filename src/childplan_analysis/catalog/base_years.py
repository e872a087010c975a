"""The year of a text's aims within the year when the only year it names is the base they are measured from.

A yearly task list (``年内…达到…``, ``今年…``) that names one year and only as the base of a change
(``孕产妇死亡率在2004年的基础上降低…``, ``比2004年下降…``, ``与2004年相比``) sets its aims for the year after that
base: the base is the last year whose level is known. A text naming any year otherwise (a goal year, a period, a
date of its own) or naming two base years is not dated this way, nor one without a word for this year.
"""

from __future__ import annotations

import re

#: A year written in full with 年.
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
#: Words after a year that make it the base of a change (``2004年的基础上``, ``2004年相比``).
_BASE_AFTER_RE = re.compile(r"^(?:的基础上|基础上|相比|同期|水平)")
#: Words before a year that make it a base (``比2004年``, ``较2004年``, ``与2004年相比``, ``在2004年的基础上``).
_BASE_BEFORE_RE = re.compile(r"(?:比|较|与|同|对比|相比)$")
#: Aims within this year (``年内``, not ``3年内``; ``今年``, ``本年度``).
_WITHIN_YEAR_RE = re.compile(r"(?<![\d一二三四五六七八九十两年周当])年内|今年(?!度)|本年度")


def year_after_base(text: str) -> int | None:
    """The year after the one base year a text of this year's aims names, when it names no other; else None."""
    compact = re.sub(r"《[^》]*》", "", re.sub(r"\s+", "", text))
    if not _WITHIN_YEAR_RE.search(compact):
        return None
    bases: set[int] = set()
    for m in _YEAR_RE.finditer(compact):
        after = compact[m.end(): m.end() + 4]
        if not (_BASE_AFTER_RE.match(after) or _BASE_BEFORE_RE.search(compact[: m.start()])):
            return None  # a year of the text's own: dated otherwise
        bases.add(int(m.group(1)))
    return bases.pop() + 1 if len(bases) == 1 else None


__all__ = ["year_after_base"]
