"""A bare rate after a rate of a school level (``初中入学率达到97%以上,确保巩固率稳步提高``) is of that level.

Education aims list rates of one level of schooling in a row and write the level once: ``巩固率`` after
``初中入学率`` is ``初中巩固率``. Only a rate of at most two characters before its head (``巩固率``, ``辍学率``,
``升学率``) takes the level; a rate named in full keeps its own name.
"""

from __future__ import annotations

import re

#: A level of schooling opening a rate's name (``初中入学率`` → ``初中``).
_LEVEL_RE = re.compile(
    r"^(?P<level>学前三年|学前教育|幼儿园|小学|初中|普通高中|高中阶段|高中|义务教育|中等职业教育|中职|高等教育)"
    r"[\u4e00-\u9fff]{1,6}(?:率|比例)$"
)
_BARE_RATE_RE = re.compile(r"[\u4e00-\u9fff]{1,2}率")


def with_school_level(name: str, last_name: str) -> str:
    """``巩固率`` after ``初中入学率`` → ``初中巩固率``; any other name as it is."""
    m = _LEVEL_RE.match(last_name)
    return f"{m.group('level')}{name}" if m and _BARE_RATE_RE.fullmatch(name) else name


__all__ = ["with_school_level"]
