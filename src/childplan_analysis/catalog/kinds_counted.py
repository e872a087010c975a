"""Kinds listed before one count: ``社区图书馆和农村流动图书馆数量`` is the count of each kind.

A rise or fall of ``A、B和C数量`` moves the count of each kind of place listed: ``A数量``, ``B数量``,
``C数量``. Each item must be a bare kind of place, room or institution (ending in 馆, 室, 中心, 机构, 学校, …;
no head of its own: not ``A率和B数量``), two to sixteen characters; a list the dictionary knows as one
quantity is resolved before this is asked, and a compound joined by 与 (``性与生殖健康服务机构``) ends no
kind. Groups of people listed before one count are not split here.
"""

from __future__ import annotations

import re

#: The head the last item ends with, shared by every item.
_COUNT_HEAD_RE = re.compile(r"数量$")
#: What a kind of place, room or institution ends with.
_PLACE_KIND_RE = re.compile(
    r"(?:馆|室|屋|宫|园|站|点|中心|机构|学校|医院|院|所|之家|基地|场所|场馆|床位|门诊|病房|书屋|驿站|服务点)$"
)
#: A head of its own on an earlier item: that item names its own quantity.
_OWN_HEAD_RE = re.compile(r"(率|比例|比重|占比|数|数量|人数|水平|标准|指数)$")
_MIN_KIND, _MAX_KIND = 2, 16


def counts_of_kinds(parts: list[str]) -> list[str] | None:
    """``["社区图书馆", "农村流动图书馆数量"]`` → ``["社区图书馆数量", "农村流动图书馆数量"]``; None when the
    list is not one of bare kinds sharing the last item's count."""
    if len(parts) < 2:
        return None
    head = _COUNT_HEAD_RE.search(parts[-1])
    if head is None:
        return None
    kinds = [*parts[:-1], parts[-1][: head.start()].removesuffix("的")]
    if any(
        _OWN_HEAD_RE.search(k) or not _PLACE_KIND_RE.search(k) or not _MIN_KIND <= len(k) <= _MAX_KIND for k in kinds
    ):
        return None
    return [k + "数量" for k in kinds]
