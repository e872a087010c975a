"""Units of a share listed by kind (``儿童专科医院、妇幼保健院、二级以上综合医院``): one share per kind.

A share given first (``30%的A、B、C开设X``) or a full share (``A、B机构要配备X``) over a list of kinds of unit
is monitored kind by kind, each with the value written once. A kind written without the head the last one
ends with (``学前教育、特殊教育机构``) takes that head (``学前教育机构``, ``特殊教育机构``).
"""

from __future__ import annotations

import re

#: Heads naming a kind of unit, place or group a share may be of.
_HEAD_RE = re.compile(
    r"(综合医院|专科医院|医院|保健院|卫生院|卫生室|服务中心|中心|机构|学校|中小学校|中小学|幼儿园|社区|村|乡镇|街道|"
    r"站点|服务站|站|之家|单位|企业|场所|县市区|市州|地市|县区)$"
)
#: Modal verbs and adverbs between the units and what they do (``…站点应开展``): no part of the units' name.
MODAL_RE = re.compile(r"(?:应当|应|要|须|必须|需|可|能|均|都|普遍|全部|将)+$")


def split_kinds(units: str) -> list[str]:
    """``儿童专科医院、妇幼保健院、二级以上综合医院`` → the three kinds; ``学前教育、特殊教育机构`` →
    ``学前教育机构``, ``特殊教育机构``; a single unit, or a list whose last item names no kind of unit, as one.
    Enumeration commas inside brackets (``县(市、区)``) do not split."""
    parts = [p for p in re.split(r"、(?![^()（）]*[)）])", units) if p]
    if len(parts) < 2:
        return [units]
    head = _HEAD_RE.search(parts[-1])
    if head is None:
        return [units]
    word = head.group(1)
    out = []
    for part in parts[:-1]:
        if not _HEAD_RE.search(part) and not part.endswith(word[-1]):
            part += word
        out.append(part)
    return [*out, parts[-1]]
