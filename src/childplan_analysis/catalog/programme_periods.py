"""The period a programme of a few years is announced for in a text's opening lines.

``国家卫生健康委确定2025—2027年为“儿科和精神卫生服务年”`` and ``2026—2028年在全省开展…专项行动`` name the years a
programme runs, with no plan title (``《…(2025—2027年)》``) to date it: the programme's undated aims are due by its
last year, not by the end of a five-year plan the text names in passing (``在“十五五”期间…``)."""

from __future__ import annotations

import re

#: Opening lines searched (the headline, the dateline's first paragraph and one more).
_OPENING_LINES = 3
_YEAR = r"(?:19|20)\d\d"
#: A period named as the time of a programme: ``2025—2027年为“…服务年”``, ``2026-2028年开展…行动``.
_PROGRAMME_PERIOD_RE = re.compile(
    rf"(?<!\d)({_YEAR})年?[-—–―~～－至]+({_YEAR})年[,，]?"
    r"(?:为|是|定为|作为|(?:在全国|在全省|在全市|全省|全市|全国)?(?:组织)?(?:开展|实施))"
    r"[“\"「]?[\u4e00-\u9fff、]{2,24}?(?:服务年|行动年|提升年|攻坚年|活动年|专项行动|行动|活动|工程)[”\"」]?"
)
#: Longest run of years read as one programme.
_MAX_YEARS = 5


def programme_period(text: str) -> tuple[int, int] | None:
    """The first and last year of the programme the opening lines announce for a period; None when they announce
    none."""
    lines = [re.sub(r"\s+", "", ln) for ln in text.splitlines() if ln.strip()][:_OPENING_LINES]
    for line in lines:
        m = _PROGRAMME_PERIOD_RE.search(line)
        if m and 0 < int(m.group(2)) - int(m.group(1)) < _MAX_YEARS:
            return int(m.group(1)), int(m.group(2))
    return None


__all__ = ["programme_period"]
