"""A share, a coverage or a yearly growth named by its head alone, its subject in the clause before.

``二是普遍将体重管理纳入学校健康教育,覆盖率达100%``, ``四是公共体育场所普遍免费或低收费开放,比例达100%``,
``超重肥胖率在基线基础上,年均增幅下降20%``: the head (``覆盖率``, ``比例``, ``年均增幅``) measures what the clause before
says. A coverage or share takes that clause's predicate, with its units when it names them before an adverb
(``开展体重管理科普宣传的县(市、区)覆盖率``); a growth takes the measure the clause names
(``…超重肥胖率年均增幅``). A clause before that holds a number, or none, names nothing: the head is left as it was.

People trained counted by the verb alone (``培训妇女2万人次``) right after the courses of a named training are counted
(``…各类实用技术培训400期``) are that training's: ``实用技术培训妇女人次``.
"""

from __future__ import annotations

import re

#: Heads that name no thing of their own.
_SHARE_HEADS = ("覆盖率", "比例", "占比", "比重")
_GROWTH_HEADS = ("年均增幅", "年均增速", "年均增长率", "增幅", "增速")
#: An adverb of extent between units and what they do (``各县普遍开展…``, ``公共体育场所普遍…开放``).
_ADVERB_RE = re.compile(r"普遍|均|全部|全面|都|基本|广泛")
#: Words opening a predicate that name nothing (``将体重管理纳入…``).
_PREDICATE_LEAD_RE = re.compile(r"^(?:将|把|要|能|可|应|已|逐步|持续|进一步)+")
#: A list item's ordinal opening the clause (``一是``).
_ORDINAL_RE = re.compile(r"^[一二三四五六七八九十]{1,3}是")
#: Words for "each" or "all" before the units (``各县(市、区)``, ``所有学校``), and a place opening the clause.
_UNITS_LEAD_RE = re.compile(r"^(?:在)?(?:各|所有|全部|每个|全(?:省|市|区|县|州|旗))+")
#: A measure the clause before ends with, before the base it is measured from (``在基线基础上``, ``较2024年``).
_MEASURE_RE = re.compile(
    r"(?P<m>[\u4e00-\u9fff\d—\-~()（）、]{2,30}?(?:率|比例|占比|比重))(?:在[\u4e00-\u9fff\d]{0,8}?基础上|较[\u4e00-\u9fff\d]{1,8}|比[\u4e00-\u9fff\d]{1,8})?$"
)


def head_named(name: str, before: str) -> str | None:
    """The full name of a head written alone (``name``) from the clause before it (``before``); None when ``name`` is
    no bare head or the clause names nothing."""
    before = _ORDINAL_RE.sub("", re.sub(r"[“”\"'‘’]", "", before or ""))
    if not before or re.search(r"\d+(?:\.\d+)?\s*(?:%|‰|个|所|名|人|万|家|场|次)", before):
        return None
    if name in _GROWTH_HEADS:
        m = _MEASURE_RE.search(before)
        return f"{m.group('m')}{name}" if m else None
    if name not in _SHARE_HEADS:
        return None
    adverb = _ADVERB_RE.search(before)
    units, predicate = (before[: adverb.start()], before[adverb.end():]) if adverb else ("", before)
    predicate = _PREDICATE_LEAD_RE.sub("", predicate)
    units = _UNITS_LEAD_RE.sub("", units)
    if len(predicate) < 2 or len(predicate) > 30:
        return None
    return f"{predicate}的{units}{name}" if units else f"{predicate}{name}"


#: Courses of a named training counted (``各类实用技术培训400期``, ``开展巾帼家政培训200期``): the training's name.
_COURSES_RE = re.compile(r"(?P<training>[\u4e00-\u9fff]{2,16}?(?:培训|轮训))(?:班)?\d+(?:\.\d+)?(?:期|班|场|次)")
#: Words before the training's name: examples listed before 等, "all kinds of", the verb.
_BEFORE_TRAINING_RE = re.compile(r"等|各类|各种|多种|开展|举办|组织")
#: A count of people named by the verb of training alone.
_TRAINED_RE = re.compile(r"^(?:培训|轮训)(?=[\u4e00-\u9fff])")


def trained_named(name: str, before: str) -> str | None:
    """A count of people trained named by its verb alone (``培训妇女人次``) after the clause counting a named
    training's courses (``before``): named by that training (``实用技术培训妇女人次``); None otherwise."""
    if not _TRAINED_RE.match(name):
        return None
    m = _COURSES_RE.search(re.sub(r"[“”\"'‘’]", "", before or ""))
    if m is None or not m.group("training").endswith(name[:2]):
        return None
    training = _BEFORE_TRAINING_RE.split(m.group("training"))[-1]
    return training + name[2:] if len(training) > 2 else None


__all__ = ["head_named", "trained_named"]
