"""A rate named by the level of the bodies it counts (``县级…机构覆盖率达到75%,设区的市级…机构覆盖率达100%``).

When one sentence gives the same dictionary rate for two levels of government or more (county-level bodies, city-level
bodies) in the same year, each level's rate is a quantity of its own, not the dictionary's rate stated twice: the
dictionary's name names no level. Each is kept under the name the sentence gives it, unresolved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Protocol

#: A level of government opening a name (``设区的市级``, ``县级``, ``乡镇(街道)级``).
_LEVEL_RE = re.compile(
    r"^(?:全国|国家级|省级|设区的市级|设区市级|地市级|地级|市级|县级|县\(市、区\)级|区级|乡镇\(街道\)级|乡镇级|乡级|街道级|村级)"
)


class _Target(Protocol):
    indicator: str | None
    indicator_zh: str
    year: int | None
    value: float | None
    flags: list[str]


def _level(name: str) -> tuple[str, str] | None:
    m = _LEVEL_RE.match(name)
    return (m.group(0), name[m.end():]) if m else None


def levels_apart(targets: list[_Target]) -> list[_Target]:
    """Unresolve the rates of one sentence that give one dictionary indicator for two levels or more in one year,
    each named by its level with the rest of the name the same."""
    groups: dict[tuple[str, int | None], list[_Target]] = defaultdict(list)
    for t in targets:
        if t.indicator and t.value is not None:
            groups[(t.indicator, t.year)].append(t)
    for group in groups.values():
        named = [_level(t.indicator_zh) for t in group]
        if len(group) < 2 or any(n is None for n in named):
            continue
        if len({n[0] for n in named if n}) < 2 or len({n[1] for n in named if n}) != 1:
            continue
        for t in group:
            t.indicator = None
            t.flags = list(dict.fromkeys([*t.flags, "unknown_indicator"]))
    return targets


__all__ = ["levels_apart"]
