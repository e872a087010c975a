"""A count of members set for each body of a list (``县党委、人大、政府、政协领导班子要各配备1名以上女干部``).

A list of bodies sharing one count of members (women cadres in each leading body) gives one count per
body: the clause is written out once for each body, its place (``县``, ``乡镇``) given to the bodies that
name none, so that every body is read under its own name (``县人大领导班子中…``).
"""

from __future__ import annotations

import re

#: Bodies whose members are counted: party committees and branches, congresses, governments, their
#: consultative conferences, village and residents' committees.
_BODY = r"(?:党工委|党委|党组|党支部|党总支|纪委|人大常委会|人大|人民政府|政府|政协|村民委员会|村委会|村委|居委会|办事处|两委)"
#: A level of government a list of bodies is of (``县(市)区``, ``乡镇``, ``村``).
_PLACE = r"(?:[省市州县区旗乡镇村](?:\([\u4e00-\u9fff、]{1,4}\))?){1,3}"
_EACH_BODY_RE = re.compile(
    rf"(?:各级|各)?(?P<place>{_PLACE})?(?P<items>(?:(?!各)[\u4e00-\u9fff]){{0,2}}?{_BODY}(?:、[\u4e00-\u9fff]{{0,2}}?{_BODY})+)"
    r"(?:[两二三四五六七八九十]大)?(?P<head>领导班子|班子)?(?:内|中)?,?"
    r"(?:要|应|须|必须|均|都){0,2}各?(?P<least>至少)?(?:要|应|须)?(?:配备|配有|有)"
    r"(?P<n>\d+)(?P<cls>名|位)(?P<bound>以上)?(?P<who>女[\u4e00-\u9fff]{1,4}?|妇女)(?=[,;。]|$)"
)


def _each(m: re.Match) -> str:
    place, head = m.group("place") or "", m.group("head") or ""
    count = f"{m.group('least') or ''}配备{m.group('n')}{m.group('cls')}{m.group('bound') or ''}{m.group('who')}"
    first, *later = m.group("items").split("、")
    # a later body naming its own place (``村党支部、村委``) keeps it; the others are of the first one's place
    named = [place + first] + [b if place and b.startswith(place[0]) else place + b for b in later]
    # words before the list (``今后5年郑州市各``) are no part of the first body's name: a clause of their own
    lead = ";" if m.start() and m.string[m.start() - 1] not in ",;:。" else ""
    return lead + ";".join(f"{b}{head}中{count}" for b in named)


def each_body(s: str) -> str:
    """``乡党委、政府领导班子各配备1名以上女干部`` → ``乡党委领导班子中配备1名以上女干部;乡政府领导班子中…``."""
    return _EACH_BODY_RE.sub(_each, s)


__all__ = ["each_body"]
