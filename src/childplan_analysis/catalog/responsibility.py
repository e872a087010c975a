"""The responsible units a plan names after a goal, in the ways plans write them.

``（省卫生厅、省教育厅负责）``, ``（责任单位：县卫生健康局、县教育体育局）``,
``【牵头单位：区教育局；配合单位：区卫健委】``, ``（县妇联牵头，县民政局、县教育局配合）`` or a line of its
own ``责任单位：县公安局``. The lead unit comes first (牵头/主责 before 配合/参与), then the others in the
order written; a trailing ``等`` (``县卫健局等``) is dropped.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.grammar import ParsedTarget

#: Words that introduce the units of a note (the lead's first).
_LEAD_WORDS = r"(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|主责部门|负责单位|负责部门|牵头)"
_HELP_WORDS = r"(?:配合单位|配合部门|参与单位|参与部门|协办单位|协同单位|配合|参与)"
#: A note in brackets at the end of a goal: ``（…负责）`` or ``（责任单位：…）`` and their mixtures.
_BRACKET_RE = re.compile(r"[(（【\[]([^()（）【】\[\]]{2,200})[)）】\]]\s*[。.；;]?\s*$")
#: A note without brackets after the goal's full stop, or on a line of its own.
_BARE_RE = re.compile(rf"(?:^|[。；;])\s*({_LEAD_WORDS}\s*[:：].{{2,200}})$")
_LABEL_RE = re.compile(rf"({_LEAD_WORDS}|{_HELP_WORDS})\s*[:：]")
_TAIL_ROLE_RE = re.compile(r"(牵头|主责|负责|配合|参与|协办|协同)$")
_SPLIT_RE = re.compile(r"[、,，;；/\s]+")


def _units(text: str) -> list[str]:
    out = []
    for part in _SPLIT_RE.split(text):
        part = re.sub(r"(?:按照?职责分工|分别|共同)?负责$|等$", "", part.strip(" 。."))
        part = _TAIL_ROLE_RE.sub("", part)
        if len(part) >= 2 and part not in out:
            out.append(part)
    return out


def _note_units(note: str) -> list[str] | None:
    """The units of a note's text, or None when it is not a note of responsible units."""
    note = note.strip()
    if _LABEL_RE.search(note):
        lead, help_ = [], []
        for label, body in zip(_LABEL_RE.findall(note), _LABEL_RE.split(note)[2::2], strict=False):
            (help_ if re.fullmatch(_HELP_WORDS, label) else lead).extend(_units(body))
        units = lead + [u for u in help_ if u not in lead]
        return units or None
    m = re.fullmatch(r"(.{2,200}?)(?:按照?职责分工|分别|共同)?负责", note)
    if m:
        return _units(m.group(1)) or None
    m = re.fullmatch(r"(.{2,100}?)牵头[,，;；、]\s*(.{2,150}?)(?:配合|参与|协办|协同)(?:落实)?", note)
    if m:
        lead = _units(m.group(1))
        return lead + [u for u in _units(m.group(2)) if u not in lead] or None
    return None


def split_responsible(text: str) -> tuple[str, list[str]]:
    """``text`` without its trailing note of responsible units, and the units (lead first).

    >>> split_responsible("九年义务教育巩固率达到97%以上。（责任单位：县教育局、县财政局）")
    ('九年义务教育巩固率达到97%以上。', ['县教育局', '县财政局'])
    """
    stripped = text.rstrip()
    for pattern in (_BRACKET_RE, _BARE_RE):
        m = pattern.search(stripped)
        if m:
            units = _note_units(m.group(1))
            if units:
                cut = m.start(1) - (1 if pattern is _BRACKET_RE else 0)
                return stripped[:cut].rstrip(), units
    return text, []


def is_responsible_line(line: str) -> bool:
    """Whether ``line`` is only a note of responsible units (``责任单位：县公安局``, ``（牵头单位：…）``)."""
    rest, units = split_responsible(line.strip())
    return bool(units) and not rest.strip(" 。.；;")


def with_shared_responsible(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """``targets`` with those naming no responsible unit given the units the plan names for the
    same indicator elsewhere (a 主要指标 table's row beside the text goal that carries the note),
    the first note stated for that indicator; targets of indicators no note names stay without."""
    units: dict[str, list[str]] = {}
    for t in targets:
        if t.indicator and t.responsible:
            units.setdefault(t.indicator, list(t.responsible))
    return [
        t.model_copy(update={"responsible": units[t.indicator]})
        if t.indicator in units and not t.responsible else t
        for t in targets
    ]


__all__ = ["is_responsible_line", "split_responsible", "with_shared_responsible"]
