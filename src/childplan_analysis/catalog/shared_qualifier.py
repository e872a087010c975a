"""Qualifiers a list of rates shares, written once (no dictionary needed).

``新生儿遗传代谢病和听力筛查率`` → ``新生儿遗传代谢病筛查率``, ``新生儿听力筛查率``: the group of people the first
item opens with and the rate's head the last item ends with are every item's. ``学前一年、三年毛入园率`` →
``学前一年毛入园率``, ``学前三年毛入园率``: an item ending in a span takes what follows the span of the last item.
"""

from __future__ import annotations

import re

#: A group of people a rate is measured on, opening the first item of a list.
_GROUP_RE = re.compile(
    r"^(?:新生儿|婴幼儿|婴儿|儿童青少年|儿童|青少年|中小学生|学生|孕产妇|孕妇|产妇|妇女|女性|老年人)(?=[\u4e00-\u9fff]{2})"
)
#: A rate of conditions ending the last item (``筛查率``, ``发生率``, ``检测率``): what each condition listed is
#: screened for, found or treated by.
_RATE_HEAD_RE = re.compile(r"(?:筛查|发生|检出|患病|诊断|治疗|检测|治愈|死亡|接种|干预|随访)率$")
#: An age or a span closing an item or opening the last one (``学前一年``, ``三年``, ``0-3岁``).
_SPAN = r"(?:[一二三四五六七八九十两]|\d+(?:[-~—至]\d+)?)(?:年|岁|周岁|个月)"
_SPAN_END_RE = re.compile(rf"{_SPAN}$")
_SPAN_START_RE = re.compile(rf"^{_SPAN}")


def group_rates(parts: list[str], subject: str, level: bool = False) -> list[str] | None:
    """The names of a list of rates of one group (``新生儿`` + ``遗传代谢病``, ``听力筛查率``): each item with
    the group before it and the last item's head after it; None when the list is no such list (the first
    item opens with no group, or holds a rate; the last item is no more than its head). A ``subject`` listing
    its items with 、 is read by :func:`conditions_rated` when they share a ``level``; a direction of such a list
    (``降低宫颈癌、乳腺癌死亡率``) stays one rate of them all."""
    group = _GROUP_RE.match(parts[0])
    head = _RATE_HEAD_RE.search(parts[-1])
    if "、" in subject:
        return conditions_rated(parts, subject) if level else None
    if group is None or head is None or len(parts[-1]) <= len(head.group(0)):
        return None
    if any("率" in p or "比例" in p for p in parts[:-1]) or any(_GROUP_RE.match(p) for p in parts[1:]):
        return None
    if not all(re.fullmatch(r"[\u4e00-\u9fff()（）]{2,12}", p) and "的" not in p for p in parts):
        return None
    who = group.group(0)
    return [parts[0] + head.group(0)] + [who + p + head.group(0) for p in parts[1:-1]] + [who + parts[-1]]


def conditions_rated(parts: list[str], subject: str) -> list[str] | None:
    """``新生儿先天性甲减、听力障碍筛查率`` → ``新生儿先天性甲减筛查率``, ``新生儿听力障碍筛查率``: conditions listed
    with 、 alone before one rate of screening, diagnosis or treatment share one level, each its own rate
    (the group the first opens with carried); None for any other list (joined by 和/及/与, an item a rate)."""
    head = _RATE_HEAD_RE.search(parts[-1])
    if head is None or len(parts[-1]) <= len(head.group(0)) or re.search(r"和|及|与", subject):
        return None
    if any("率" in p or "比例" in p for p in parts[:-1]) or any(_GROUP_RE.match(p) for p in parts[1:]):
        return None
    if not all(re.fullmatch(r"[\u4e00-\u9fff()（）]{2,12}", p) and "的" not in p for p in parts):
        return None
    group = _GROUP_RE.match(parts[0])
    who = group.group(0) if group else ""
    first = parts[0] if parts[0].endswith(head.group(0)) else parts[0] + head.group(0)
    return [first] + [who + p + head.group(0) for p in parts[1:-1]] + [who + parts[-1]]


def span_tail(part: str, last: str) -> str | None:
    """``学前一年`` + ``三年毛入园率`` → ``学前一年毛入园率``: an item ending in a span parallel to the span the
    last item opens with takes what follows that span; None otherwise."""
    if not _SPAN_END_RE.search(part):
        return None
    m = _SPAN_START_RE.match(last)
    if m is None or len(last) <= m.end() + 1 or part.endswith(m.group(0)):
        return None
    return part + last[m.end():]





#: A screening or a check listed as covered (``唐氏筛查``, ``听力筛查``, ``两癌检查``).
_SCREENING_RE = re.compile(r"(?:筛查|筛检|检查|检测)$")
#: Who a list of screenings is for, opening its first item (``常住人口``, ``户籍``, ``农村``).
_LEAD_RE = re.compile(r"^(?:常住人口|户籍人口|流动人口|辖区|全市|全省|全县|全区|城乡|农村|城镇)")


def screenings_covered(raw: str) -> list[str] | None:
    """``常住人口孕产妇唐氏筛查、新生儿…疾病筛查、听力筛查和先天性心脏病筛查`` (全覆盖) → the rate of each
    screening: the people the first item opens with are every item's, and an item naming no group takes the
    group of the item before it (``听力筛查`` after ``新生儿…筛查``); None when the items are not all screenings."""
    parts = [p for p in re.split(r"、|和|及|与|以及", raw) if p]
    if not parts or not all(_SCREENING_RE.search(p) and re.fullmatch(r"[\u4e00-\u9fff\d()（）]{2,24}", p) for p in parts):
        return None
    lead = _LEAD_RE.match(parts[0])
    lead_text = lead.group(0) if lead else ""
    out, group = [], ""
    for i, part in enumerate(parts):
        body = part[len(lead_text):] if i == 0 else part
        own = _GROUP_RE.match(body) or re.match(r"^(?:孕产妇|孕妇|新生儿|儿童|妇女)", body)
        if own:
            group = own.group(0)
        elif group:
            body = group + body
        out.append(lead_text + body + "率")
    return out
__all__ = ["group_rates", "screenings_covered", "span_tail"]
