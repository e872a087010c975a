"""An activity carried to every place of a kind (``开展普法宣讲,实现各乡镇、街道全覆盖``).

The coverage is of the places, not of a countable thing: it is the share of those places where the activity is
carried out, full (100 %), one share for each kind of place listed. The clause is written out as the shares
the grammar reads (``100%的乡镇开展普法宣讲``).
"""

from __future__ import annotations

import re

#: A kind of place or level of government an activity may cover (``省辖市``, ``县(市、区)``, ``乡镇(街道)``).
_PLACE = (
    r"(?:省辖市|地级市|设区市|市\(州\)|市州|县\(市、区\)|县\(市、区、旗\)|县\(市\)|县\(区\)|县\(市区\)|县市区|县区|区县|"
    r"县|乡镇\(街道\)|乡镇|街道|村\(社区\)|村\(居\)|城乡社区|社区|行政村|村)"
)
_ACTIVITY_OVER_PLACES_RE = re.compile(
    r"(?:组织)?(?P<act>(?:开展|举办|实施|组织(?!开展|举办|实施))[\u4e00-\u9fff“”\"]{2,16})[,，](?:实现|做到|达到)"
    rf"(?:全省|全市|全区|全县)?各?(?P<places>{_PLACE}(?:、[\u4e00-\u9fff()]{{2,10}}?)*)全覆盖"
)


def _shares(m: re.Match) -> str:
    act = m.group("act")
    return act + "".join(f";100%的{place}{act}" for place in re.split(r"、(?![^()]*\))", m.group("places")))


def activity_over_places(s: str) -> str:
    """``开展防拐宣传,实现各乡镇、街道全覆盖`` → ``开展防拐宣传;100%的乡镇开展防拐宣传;100%的街道开展防拐宣传``."""
    return _ACTIVITY_OVER_PLACES_RE.sub(_shares, s)


__all__ = ["activity_over_places"]
