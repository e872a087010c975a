"""Places counted where an activity is carried out (``在全省10个县(市、区)、100个社区(村)开展家校社共育试点工作``).

A count of places before a verb of doing (``在…N个社区开展…``) is a floor of the places doing it, named by what they
do (``开展家校社共育试点的社区(村)数`` ≥ 100), one count for each kind of place listed. A generic ``工作`` closing
the activity names nothing of its own. A place named before the count (``在杭州市20个社区``) stays in the name; words
for the whole (``全省``, ``全市``) do not.
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


__all__ = ["places_doing"]
