"""So many people of a kind in each body (``各乡镇领导班子至少配备1名年轻干部``): one count per kind of body.

A quota of people is set for every body of a kind: a leadership team, a party branch, a committee, each
township or street. It is monitored as the count of those people in the body, a floor (``至少``, ``以上``, or
the number alone), one reading for each kind of body listed when each item names a body of its own
(``村党支部、村民委员会``; ``每个街道、乡镇``); items that are only the places of one body word
(``区、县级市党政领导班子``) are one kind. The verb and the modal words are no part of the name: an organisation's
count is named ``X中Y数`` (``村党支部中女同志数``), a place's ``每个XY数`` (``每个乡镇专兼职儿童社会工作者数``).
"""

from __future__ import annotations

import re

Reading = tuple[str, str, float, float | None, str]

#: Bodies that hold members: a count of people in them is written ``X中Y``.
_ORGANISATION = r"(?:领导班子|班子|党支部|支部|党委|党组|委员会|村委会|居委会|两委|常委会|政府)"
#: Places that each take so many people of a kind.
_PLACE = r"(?:乡镇|街道|社区|行政村|村|村\(社区\)|村\(居\))"
_BODY_RE = re.compile(rf"(?:{_ORGANISATION}|{_PLACE})$")
_CN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_QUOTA_RE = re.compile(
    r"^(?P<each>每个|各个|每一个|各)?(?P<bodies>[\u4e00-\u9fff()、“”]{2,30}?)(?:中|里|内)?"
    r"(?:也|均|都|要|应当|应|须|必须|需|逐步|至少|各)*(?P<verb>配备|配有|选配|配齐|配|有)(?P<min>至少|不少于)?"
    r"(?P<v>\d+|[一两二三四五])(?:名|位|个|人)(?P<suf>以上)?(?P<who>[\u4e00-\u9fff()“”]{2,16})$"
)
#: People words a quota is of (``女干部``, ``女同志``, ``社会工作者``, ``心理咨询师``, ``女性成员``).
_PEOPLE_RE = re.compile(r"(?:干部|同志|成员|委员|工作者|社工|人员|教师|医生|医师|咨询师|辅导员|专干|指导员|代表|职工)$")


def _kinds(bodies: str) -> list[str] | None:
    """Each kind of body listed, or None when the last item is no body."""
    parts = [p for p in re.split(r"、(?![^()]*\))", bodies) if p]
    if not parts or not _BODY_RE.search(parts[-1]):
        return None
    if all(_BODY_RE.search(p) for p in parts):
        return parts
    return [bodies]  # 区、县级市党政领导班子: the places of one body


def people_per_body(s: str) -> list[Reading] | None:
    """``村党支部、村民委员会中也应有1名女同志`` → ``村党支部中女同志数`` ≥ 1, ``村民委员会中女同志数`` ≥ 1;
    ``每个街道、乡镇逐步配备1名以上专兼职的儿童社会工作者`` → ``每个街道专兼职儿童社会工作者数`` ≥ 1 and the same for
    ``乡镇``; None for any other clause."""
    m = _QUOTA_RE.match(s)
    if m is None or not _PEOPLE_RE.search(m.group("who")):
        return None
    kinds = _kinds(m.group("bodies").strip("“”"))
    if kinds is None:
        return None
    v = float(m.group("v")) if m.group("v").isdigit() else float(_CN[m.group("v")])
    who = m.group("who").replace("的", "")
    out: list[Reading] = []
    for kind in kinds:
        if re.search(rf"{_ORGANISATION}$", kind):
            out.append((f"{kind}中{who}数", ">=", v, None, "名"))
        else:
            out.append((f"每个{kind}{who}数", ">=", v, None, "名"))
    return out


__all__ = ["people_per_body"]
