"""Milestone clauses that head a list of goals.

A plan with two milestones often lists its goals under each (``到2020年,实现以下目标:——…;
到2030年,实现以下目标:——…``): every goal that names no year of its own takes the milestone of the
nearest clause before it that announces goals for a year and ends in a colon (the year named in the
same sentence or the one before). A copy that replaced the years by a letter (``到 X 年,实现以下目标:``)
keeps the milestones apart, their years unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A year to reach, or one the copy lost (``X年``, ``某年``).
_TO_YEAR_RE = re.compile(r"(?:到|至)\s*(?:(?P<y>(?:19|20)\d{2})|(?P<lost>[A-Za-zＡ-Ｚａ-ｚ×某]{1,4}))\s*年(?:底|末)?(?![的初])")
#: The colon that announces the goals listed after it (``实现以下目标:``, ``主要指标如下:``, ``到2025年:``).
_ANNOUNCE_RE = re.compile(
    r"(?:(?:以下|如下|下列|下述)[\u4e00-\u9fff]{0,6}(?:目标|指标)|(?:目标|指标)(?:如下|是|为)?|年(?:底|末)?)\s*[:：]"
)


@dataclass(frozen=True)
class Milestone:
    """The milestone of the goals after a clause: its year, or the rank of a lost year (1, 2, …)."""

    year: int | None
    lost: int = 0


def milestone_pieces(
    line: str, current: Milestone | None, lost_seen: int
) -> tuple[list[tuple[str, Milestone | None]], Milestone | None, int]:
    """``line`` cut after each clause that announces goals for a milestone: the pieces, each with the
    milestone its goals take (``current`` for the first), the milestone of the lines after it and the
    count of lost-year milestones met."""
    pieces: list[tuple[str, Milestone | None]] = []
    start = 0
    for colon in _ANNOUNCE_RE.finditer(line):
        before = line[start: colon.end()]
        to_year = list(_TO_YEAR_RE.finditer(before))
        between = before[to_year[-1].end(): colon.start() - start] if to_year else ""
        if not to_year or re.search(r"[:：]", between) or len(re.findall(r"[。！？]", between)) > 1:
            continue  # the year of a clause two sentences or more before announces nothing here
        last = to_year[-1]
        pieces.append((before, current))
        if last.group("y"):
            current = Milestone(int(last.group("y")))
        else:
            lost_seen += 1
            current = Milestone(None, lost_seen)
        start = colon.end()
    pieces.append((line[start:], current))
    return [(text, m) for text, m in pieces if text.strip()], current, lost_seen
