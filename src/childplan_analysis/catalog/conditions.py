"""Words before a measure that say where or by what rule an aim holds: no part of its name.

An aim may be set only where conditions allow (``有条件的地方要…``, ``有条件的地区可…``) or as a law or rule
already sets it (``按照《…办法》中规定的…``, ``根据《…条例》规定,``). The measure named after them is the one
monitored; the condition stays in the clause (and in the draft's review) but not in the indicator's name.
"""

from __future__ import annotations

import re

#: Where conditions allow, with the modal or the 将/把 that follows (``有条件的地方要将``).
_CONDITION_RE = re.compile(
    r"^(?:有条件的|条件成熟的|具备条件的)(?:地方|地区|市县|县区|县\(市、区\)|单位|学校|城市)?"
    r"(?:要|应|可|可以|应当|须)?(?:力争|争取)?(?:将|把)?(?=[\u4e00-\u9fff《])"
)
#: As a quoted law or rule sets it (``按照《…》中规定的``, ``根据《…》的规定,``, ``依照《…》要求的``).
_RULE_RE = re.compile(
    r"^(?:按照|依照|根据|依据|参照)(?:《(?:[^《》]|《[^《》]*》|〈[^〈〉]*〉)*》|[\u4e00-\u9fff()]{0,40}?(?:法|条例|办法|规定|意见|细则))"
    r"(?:中|的)?(?:规定|要求)的?[,，]?"
)


def without_conditions(subject: str) -> str:
    """``有条件的地方要按照《…办法》中规定的省人大女代表候选人`` → ``省人大女代表候选人``; any other subject as it is."""
    return _RULE_RE.sub("", _CONDITION_RE.sub("", subject, count=1), count=1)


__all__ = ["without_conditions"]
