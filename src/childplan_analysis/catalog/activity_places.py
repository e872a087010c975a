"""Places counted where an activity is carried out (``在全省10个县(市、区)、100个社区(村)开展家校社共育试点工作``).

A count of places before a verb of doing (``在…N个社区开展…``) is a floor of the places doing it, named by what they
do (``开展家校社共育试点的社区(村)数`` ≥ 100), one count for each kind of place listed. A generic ``工作`` closing
the activity names nothing of its own. A place named before the count (``在杭州市20个社区``) stays in the name; words
for the whole (``全省``, ``全市``) do not.

A body or programme going into places to hold events (``巾帼宣讲团将走进全市120个村开展宣讲活动240场``) counts the
places it enters and the events, both under its name (``巾帼宣讲团走进的村数``, ``巾帼宣讲团宣讲活动场次``); a bare count
of people served after it (``服务9000多人次``) is its own too (``巾帼宣讲团服务人次``).
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.site_counts import Reading

_CLS = r"[个所家座处]"
#: A count of one kind of place: the kind may hold a bracketed list (``县(市、区)``).
_ITEM = rf"\d+{_CLS}[\u4e00-\u9fff]{{1,10}}?(?:\([\u4e00-\u9fff、]{{1,8}}\))?"
_PLACES_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,8}?(?:将|要|计划|拟|力争|争取|确保|同时|并))?在?"
    r"(?:全国|全省|全市|全区|全县|全州)?(?P<where>[\u4e00-\u9fff]{0,6}?(?:省|市|区|县))?"
    rf"(?P<items>{_ITEM}(?:、{_ITEM})*)"
    r"(?P<verb>开展|实施|推行|试行|推广|启动)(?P<act>[\u4e00-\u9fff、“”·]{2,40})$"
)
_ITEM_RE = re.compile(rf"(?P<v>\d+)(?P<u>{_CLS})(?P<kind>.+)")


def places_doing(s: str) -> list[Reading] | None:
    """``在全省10个县(市、区)、100个社区(村)开展家校社共育试点工作`` → the count of counties and of communities
    doing it (``开展家校社共育试点的县(市、区)数`` ≥ 10, ``…的社区(村)数`` ≥ 100); None when the clause is no such count."""
    m = _PLACES_RE.match(s)
    if m is None:
        return None
    act = re.sub(r"工作$", "", m.group("act"))
    where = m.group("where") or ""
    out: list[Reading] = []
    for item in re.split(r"、(?![^()]*\))", m.group("items")):
        im = _ITEM_RE.match(item)
        if im is None:
            return None
        out.append((f"{m.group('verb')}{act}的{where}{im.group('kind')}数", ">=", float(im.group("v")), None, im.group("u")))
    return out


#: A body entering places to hold events: the body, the verb of going, the places, the events.
_ENTERS_RE = re.compile(
    r"^(?P<body>[\u4e00-\u9fff·]{2,16}?)(?:将|要|拟|计划)?(?P<go>进入|走进|深入)(?:全国|全省|全市|全区|全县|全州)?"
    rf"(?P<v>\d+)(?P<u>{_CLS})(?P<kind>[\u4e00-\u9fff()]{{1,10}}?)(?:开展|举办|组织)"
    r"(?P<act>[\u4e00-\u9fff·]{2,20}?)(?P<v2>\d+)(?P<u2>场次|场|次|期)(?:以上)?$"
)
#: People served, counted bare (``服务16000多人次``).
_SERVED_BARE_RE = re.compile(r"^(?:共|累计)?(?P<verb>服务|惠及)(?P<v>\d+)(?:多|余)?(?P<u>人次|人)(?:以上)?$")


def body_enters_places(s: str) -> list[Reading] | None:
    """``巾帼宣讲团将走进全市120个村开展宣讲活动240场`` → ``巾帼宣讲团走进的村数`` ≥ 120, ``巾帼宣讲团宣讲活动场次`` ≥ 240."""
    m = _ENTERS_RE.match(s)
    if m is None:
        return None
    body = m.group("body")
    return [
        (f"{body}{m.group('go')}的{m.group('kind')}数", ">=", float(m.group("v")), None, m.group("u")),
        (f"{body}{m.group('act')}场次", ">=", float(m.group("v2")), None, m.group("u2")),
    ]


def served_by_body(s: str, previous: str) -> list[Reading] | None:
    """``服务9000多人次`` after ``巾帼宣讲团将走进…`` (``previous``) → ``巾帼宣讲团服务人次`` ≥ 9000 (多: a floor)."""
    m, body = _SERVED_BARE_RE.match(s), _ENTERS_RE.match(previous or "")
    if m is None or body is None:
        return None
    head = "人次" if m.group("u") == "人次" else "人数"
    return [(f"{body.group('body')}{m.group('verb')}{head}", ">=", float(m.group("v")), None, m.group("u"))]


__all__ = ["body_enters_places", "places_doing", "served_by_body"]
