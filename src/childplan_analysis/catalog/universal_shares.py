"""A requirement on every unit of a kind, the full share of each kind (``各地市设立或接入心理援助热线``).

``推动所有市州、县市区普遍建立…工作机制``, ``北京市各区开展…服务``, ``学前教育、特殊教育机构要配备…教师``: every
unit of each kind listed is to do it, so the share of those that do is monitored for each kind (≥ 100 %):
``建立…工作机制的市州比例``, ``开展…服务的区比例``, ``配备…教师的学前教育机构比例``. Every unit is said by a word
for all (``所有``, ``全部``, ``各``) or by a modal verb (``要``, ``应``, ``须``, ``均``); a kind named without one
(``学校开展…``) is a statement, and a modal on one kind (``医疗机构要建立…制度``) a measure, not read. A mechanism,
system or rule set up (``…机制``, ``…制度``) is every unit's only when said of all (``所有``) or of each (``普遍``,
``均``): ``各县建立…机制`` and ``建立健全…`` (an effort to improve) are measures. A means before what is done (``建立…平台或依托校医等人员开展…服务``) gives
way to it: the units are to do that, by one way or another.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.kinds_listed import split_kinds

Reading = tuple[str, str, float, float | None, str]

#: Kinds of institution a requirement may be on, closing the last kind listed.
_INSTITUTION = (
    r"(?:医院|保健院|卫生院|卫生室|服务中心|机构|学校|中小学|幼儿园|托育机构|社区|村|乡镇|街道|单位|企业|场所|站点)"
)
#: Levels of place a requirement on 各 or 所有 may be on (``各区``, ``各地市``, ``所有市州、县市区``).
_PLACE = r"(?:地市|市州|县市区|县区|区县|市县|县\(市、区\)|乡镇\(街道\)|乡镇|街道|市|县|区|村|社区)"
_VERB = r"(?:建立|建成|设立|设置|开设|配备|配齐|开展|实施|接入|提供|落实|建有)"
_RE = re.compile(
    r"^(?:推动|推进|确保|力争|要求|督促|实现)*"
    r"(?:[\u4e00-\u9fff]{1,4}(?:省|市|区|县|州)(?=各|所有|全部))?"  # 北京市各区, 全省各县: the place the units are in
    r"(?P<q>所有|全部|各(?!级各类))?"
    r"(?P<kinds>[\u4e00-\u9fff()、]{1,30}?)"
    r"(?P<m>(?:要|应|须|必须|均|都|普遍|全面)*)"
    rf"(?P<verb>{_VERB}(?:或|和|及|、){_VERB}|{_VERB})"
    r"(?P<obj>[\u4e00-\u9fffA-Za-z()、]{2,40})$"
)
#: ``建立…平台或依托校医等人员开展…服务``: a means, then what is done by it.
_MEANS_RE = re.compile(rf"^.+?或(?:依托|通过|利用|借助)[\u4e00-\u9fff、]{{1,16}}?(?P<verb>{_VERB})(?P<obj>[\u4e00-\u9fff]{{2,30}})$")


def every_unit_does(s: str) -> list[Reading] | None:
    """The full share of each kind of unit a requirement is on, or None when ``s`` is no such requirement."""
    m = _RE.match(s)
    if m is None or "的" in m.group("kinds"):
        return None
    q, modal, kinds = m.group("q"), m.group("m"), m.group("kinds")
    if not q and (not re.search(r"要|应|须|均|都", modal) or ("、" not in kinds and not kinds.startswith("各级各类"))):
        return None  # 学校开展…, 医疗机构要建立…制度: a statement, or a measure on one kind; no share of units
    head = _PLACE if q == "各" or (q and not re.search(_INSTITUTION + "$", kinds)) else _INSTITUTION
    if not re.search(rf"{head}$", kinds) or (not q and not kinds.startswith("各级各类") and len(kinds) < 4):
        return None
    verb, obj = m.group("verb"), m.group("obj")
    if re.match(r"健全|完善|和完善|并完善", obj):
        return None  # 各县建立健全…机制: an effort to improve, no state every unit reaches
    if re.search(r"(?:机制|制度|体系)$", obj) and not (q in ("所有", "全部") or re.search(r"普遍|均|都|全面", modal)):
        return None  # a mechanism set up everywhere is said so (所有…, 普遍建立…); 各县建立…机制 is a measure
    if means := _MEANS_RE.match(verb + obj):
        verb, obj = means.group("verb"), means.group("obj")
    if re.search(r"或|和|及|、", obj) and not re.search(r"(?:服务|机制|热线|教师|平台|门诊|中心|室|站)$", obj):
        return None
    return [(f"{verb}{obj}的{kind}比例", ">=", 100.0, None, "%") for kind in split_kinds(kinds)]
