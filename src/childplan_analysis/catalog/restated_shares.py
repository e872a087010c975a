"""A full share of kinds of units run together that the text also gives each kind (``各区县的机场、主要火车站均要按要求
配置母婴设施`` in a lead, ``…应配置母婴设施的机场、主要火车站均按要求配置母婴设施`` in the body).

A lead or headline often says again, more loosely, what the body states kind by kind: when every kind listed in a joint
share is the kind of a share of its own (``…的机场比例``) with the same comparator, value and year, the joint share
restates them.
"""

from __future__ import annotations

import re
from typing import Protocol, TypeVar

#: A list of kinds inside a name (``机场、主要火车站(包括高铁站)``), split outside brackets.
_SPLIT_RE = re.compile(r"、(?![^()]*\))")
#: The kind a share of its own is of: after its last 的, before 比例 (``按要求配置母婴设施的机场比例``).
_OWN_KIND_RE = re.compile(r"的(?P<kind>[^的、]{2,20}?)比例$")


class _Target(Protocol):
    indicator: str | None
    indicator_zh: str
    comparator: object
    year: int | None
    value: float | None


T = TypeVar("T", bound=_Target)


def without_restated_shares(targets: list[T]) -> list[T]:
    """Drop an unresolved joint share (``A、B…比例``) whose kinds each have a share of their own in the same year."""
    out = []
    for t in targets:
        parts = _SPLIT_RE.split(t.indicator_zh) if t.indicator is None and t.indicator_zh.endswith("比例") else []
        if len(parts) >= 2:
            kinds = {
                m.group("kind") for o in targets
                if o is not t and o.indicator is None and (m := _OWN_KIND_RE.search(o.indicator_zh))
                and (o.comparator, o.value, o.year) == (t.comparator, t.value, t.year) and m.group("kind") in t.indicator_zh
            }
            if len(kinds) >= len(parts):
                continue  # 机场、主要火车站…配置母婴设施比例 beside …的机场比例 and …的主要火车站比例
        out.append(t)
    return out


__all__ = ["without_restated_shares"]
