"""A level the text gives as the present one, told again without an aim (``目前…已有调解员7814名`` … ``规模达7814人``).

A news text states where things stand (``目前``, ``现有``, ``已有``, ``截至目前``) and may tell the same number again
in a sentence of its own (``…三级建立…调解员队伍,规模达7814人``): that sentence restates the present, it sets no
aim. A sentence that looks ahead (``将``, ``到2025年``, ``力争``) keeps its target, whatever its value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from childplan_analysis.catalog.attribution import looks_ahead

if TYPE_CHECKING:
    from childplan_analysis.catalog.grammar import ParsedTarget

#: Words telling where things stand now (not ``在现有基础上``, a base to change from).
_PRESENT_RE = re.compile(r"目前|现有(?!基础|水平)|已有|截至目前|截至当前|迄今")
#: Words after which a sentence looks ahead or states a task: the present ends there.
_AHEAD_RE = re.compile(r"(?<!截)(?:到|至)20\d\d年|力争|争取|(?<![主需重必只纲])要(?!求)|将|确保|计划|拟|目标|任务")
_SENTENCE_RE = re.compile(r"[^。;；!?！？\n]+")
_NUMBER_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]|年|月|日|岁)")


def present_values(text: str) -> set[float]:
    """The numbers told as the present level: from a word for now (``目前``) to the end of its sentence or the
    first word looking ahead (``目前,…已有调解员7814名,三年内,将…`` → 7814)."""
    out: set[float] = set()
    for sentence in _SENTENCE_RE.findall(text):
        for m in _PRESENT_RE.finditer(sentence):
            ahead = _AHEAD_RE.search(sentence, m.end())
            out |= {float(n) for n in _NUMBER_RE.findall(sentence[m.end(): ahead.start() if ahead else None])}
    return out


def without_present_levels(targets: list[ParsedTarget], text: str) -> list[ParsedTarget]:
    """Drop a floor of an unknown measure whose value the text gave as the present level, read from a
    sentence that does not look ahead."""
    known = present_values(text)
    if not known:
        return targets
    return [
        t for t in targets
        if not (
            t.indicator is None and t.value is not None and t.value in known and t.comparator.value in (">=", ">")
            and t.clause and not looks_ahead(t.clause)
        )
    ]
