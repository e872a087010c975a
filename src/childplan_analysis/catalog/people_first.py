"""People counted before what they may do (``不少于2万名女职工可免费参加筛查``), named by what they do.

The count comes first, then a modal (``可``, ``能``, ``将``) and a verb of taking part (``参加``, ``接受``, ``参与``,
``享受``): ``免费参加筛查的女职工人数`` ≥ 20000; the modal is no part of the name. A bare service (``筛查``,
``体检``, ``培训``) takes the name the sentence gave it before (``…女职工“两癌”公益筛查启动,…`` →
``免费参加两癌公益筛查的女职工人数``).
"""

from __future__ import annotations

import re

Reading = tuple[str, str, float, float | None, str]

_RE = re.compile(
    r"^(?:不少于|至少|超过|逾)?(?P<v>\d+(?:\.\d+)?)(?P<u>名|人)(?:以上)?(?P<who>[\u4e00-\u9fff]{2,12}?)"
    r"(?:可以|能够|可|能|将|均可)(?P<free>免费)?(?P<verb>参加|接受|参与|享受)(?P<act>[\u4e00-\u9fff]{2,20})$"
)
#: A service named by itself, without what it is of.
_BARE_SERVICE = ("筛查", "检查", "体检", "培训", "服务")


def _named_before(service: str, who: str, sentence: str) -> str:
    """The service's name written before in the sentence (``…女职工两癌公益筛查启动``), after the people it is for."""
    m = re.search(rf"(?P<name>[\u4e00-\u9fff]{{2,16}}{service})(?:启动|开始|开展|正式启动|拉开帷幕)", sentence)
    if m is None:
        return service
    name = m.group("name")
    return name[name.index(who) + len(who):] if who in name else service


def people_first(s: str, sentence: str = "") -> list[Reading] | None:
    """``不少于2万名女职工可免费参加筛查`` (万 multiplied out before) → ``免费参加筛查的女职工人数`` ≥ 20000;
    None for any other clause. ``sentence`` is the whole sentence, quotes removed."""
    m = _RE.match(s)
    if m is None:
        return None
    act, who = m.group("act"), m.group("who")
    if act in _BARE_SERVICE:
        act = _named_before(act, who, re.sub(r"[“”‘’\"']", "", sentence))
    free = "" if "免费" in act else (m.group("free") or "")
    comp = ">" if s.startswith(("超过", "逾")) else ">="
    return [(f"{free}{m.group('verb')}{act}的{who}人数", comp, float(m.group("v")), None, m.group("u"))]
