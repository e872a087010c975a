"""Aims a results report quotes beside the level reached (``…覆盖率为46.67%,超出40%的目标要求``).

A report of a year's results that says by how much each rate passed its aim states the aim with its value: the
year's target, though what the sentence reports is the result. Each aim is restated as a clause of its own
(``目标要求:…覆盖率达到40%以上``); the level reached is no target."""

from __future__ import annotations

import re

_NUM = r"\d+(?:\.\d+)?"
#: A named rate or share, its level, then the aim it passed or stayed under, with its value.
_PASSED_AIM_RE = re.compile(
    rf"(?P<name>[\u4e00-\u9fff“”\"()（）\-—~0-9]{{2,40}}?(?:率|比例|占比|比重))(?:为|达到?|是)?{_NUM}(?P<u0>%|‰)?[,，]?"
    rf"(?:(?P<up>超出|超过|高于|优于|好于)|(?P<down>低于|控制在))(?:了)?(?:年度|全年|既定)?(?P<v>{_NUM})(?P<u>%|‰)"
    r"的(?:年度|全年|既定)?(?:目标要求|目标任务|任务目标|目标|要求)"
)
#: What a quoted aim is restated after, so that a report's filter reads it as an aim stated.
AIM_LEAD = "目标要求:"


def passed_aims(sentence: str) -> list[str]:
    """Each aim the sentence says a level passed (or stayed under), as a clause of its own; [] when it quotes none."""
    out = []
    for m in _PASSED_AIM_RE.finditer(re.sub(r"\s+", "", sentence)):
        name = re.sub(r"^(?:[\u4e00-\u9fff]{0,6}?(?:其中|全省|全市|全县|全区|全国)|其中)", "", m.group("name"))
        level = "达到" if m.group("up") else "控制在"
        bound = "以上" if m.group("up") else "以下"
        out.append(f"{AIM_LEAD}{name}{level}{m.group('v')}{m.group('u')}{bound}。")
    return out


def restates_an_aim(sentence: str) -> bool:
    """The clause is an aim :func:`passed_aims` restated."""
    return sentence.startswith(AIM_LEAD)


__all__ = ["AIM_LEAD", "passed_aims", "restates_an_aim"]
