"""Counts listed after one verb, each with its own kind (``建成11个县级…机构、153个乡镇…站``).

A verb of building or setting up may govern a list of counts, each naming what it counts (``新建8所公办幼儿园、20个
托育服务中心``): each count is of its own kind, built by the same verb. The list is written out as one clause per
count (``新建8所公办幼儿园,新建20个托育服务中心``). Counts naming only a level before one kind named after the last
(``创建6个省级、15个市级巾帼文明岗``) share that kind and are left to :mod:`.site_counts`.

A note on the verb naming other ways of building (``建成(改扩建)``, ``新建(含改扩建)``) is dropped: the count is of
what is built either way.
"""

from __future__ import annotations

import re

#: A note after a verb of building naming other ways to build.
_BUILD_NOTE_RE = re.compile(r"(?<=建成|新建|建设|建好)\((?:含|包括)?(?:新建|改扩建|改建|扩建|新改扩建|新建改扩建)\)")
_VERB = r"新建|建成|建设|改扩建|设立|创建|培育|打造|新增|增设|建好"
_CLS = r"[个所家座处间支条]"
#: A count and the kind it counts: two characters at least, not a level alone (``省级``, ``市级``).
_ITEM = rf"\d+(?:\.\d+)?{_CLS}[\u4e00-\u9fff()“”]{{3,30}}?"
_LIST_RE = re.compile(rf"(?P<verb>{_VERB})(?P<items>{_ITEM}(?:、{_ITEM})+)(?=[,;。]|$)")
#: A level alone, which takes its kind from the last item.
_LEVEL_ONLY_RE = re.compile(r"^\d+(?:\.\d+)?[个所家座处间支条](?:国家级|全国|省级|市级|县级|区级|乡镇级|村级)$")


def _written_out(m: re.Match) -> str:
    items = m.group("items").split("、")
    if any(_LEVEL_ONLY_RE.match(i) for i in items) or not all(re.match(rf"^\d+(?:\.\d+)?{_CLS}", i) for i in items):
        return m.group(0)
    return ",".join(m.group("verb") + i for i in items)


#: Another way to build noted inside the verb (``建(改)成``, ``建(改扩)成``): built either way.
_INNER_NOTE_RE = re.compile(r"建\((?:改|扩|改扩)\)成")


def counts_listed(s: str) -> str:
    """``建成(改扩建)11个县级机构、153个乡镇站`` → ``建成11个县级机构,建成153个乡镇站``; ``建(改)成`` → ``建成``."""
    return _LIST_RE.sub(_written_out, _BUILD_NOTE_RE.sub("", _INNER_NOTE_RE.sub("建成", s)))


__all__ = ["counts_listed"]
