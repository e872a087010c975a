"""A share of people given in per cent without the word for share (``女代表候选人不低于30%``).

A percentage set for a group of people (candidates, deputies, cadres, members) is the group's share among all of
them: the name takes ``比例`` (``女代表候选人比例``). A value said as ``…不低于25%的比例`` is the same share, the
word moved to the name (``…比例不低于25%``).
"""

from __future__ import annotations

import re

#: People a share is of: the last word of the name.
_PEOPLE_RE = re.compile(r"(?:候选人|代表|干部|委员|成员|职工|党员|人员|学生|教师)$")
#: ``不低于25%的比例`` at a clause's end: the share's word after its value.
_VALUE_THEN_SHARE_RE = re.compile(
    r"(?P<verb>不低于|不少于|达到|保持在|不超过|不高于)(?P<v>\d+(?:\.\d+)?%)(?P<suf>以上|以下|左右)?的比例(?=$|[,，;；。])"
)


def people_share_name(name: str, unit: str | None) -> str:
    """``省人大女代表候选人`` with a value in % → ``省人大女代表候选人比例``; any other name as it is."""
    return f"{name}比例" if unit == "%" and _PEOPLE_RE.search(name) else name


def share_word_first(clause: str) -> str:
    """``…女代表候选人不低于25%的比例`` → ``…女代表候选人比例不低于25%``; any other clause as it is."""
    return _VALUE_THEN_SHARE_RE.sub(lambda m: f"比例{m.group('verb')}{m.group('v')}{m.group('suf') or ''}", clause)


__all__ = ["people_share_name", "share_word_first"]
