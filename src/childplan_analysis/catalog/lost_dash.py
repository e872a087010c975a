"""A plan's period that lost its dash, and a period read as a level.

A text taken from a PDF may drop the dash of ``2021—2025年``, leaving ``20212025 年`` or
``2021 2025 年``: a period, never a level of twenty million. With or without its dash, a period
(``规划期限为2021—2025年``) states no target: years are no level of anything in 年.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.grammar import ParsedTarget

#: The longest plan period, in years, that a pair of years run together is read as.
MAX_PERIOD_YEARS = 30
#: Two years run together (or parted by one space), then 年 or the bracket that closes a period.
_LOST_DASH_RE = re.compile(r"(?<![\d.])((?:19|20)\d\d)[ \u3000]?((?:19|20)\d\d)(?![\d.])(?=\s*(?:年|[)）]))")
#: Values that are years, not amounts of them.
_YEARS = range(1900, 2101)


def repair_lost_dash(text: str) -> str:
    """``20212025 年`` and ``2021 2025 年`` → ``2021—2025 年``: two years run together, the later
    one after the earlier and at most ``MAX_PERIOD_YEARS`` on, are a period."""

    def dash(m: re.Match) -> str:
        start, end = int(m.group(1)), int(m.group(2))
        return f"{start}—{end}" if 0 < end - start <= MAX_PERIOD_YEARS else m.group(0)

    return _LOST_DASH_RE.sub(dash, text)


def is_period_value(t: ParsedTarget) -> bool:
    """A target whose value in 年 is a year (``规划期限为2021—2025年`` read as a range of 年)."""
    values = [v for v in (t.value, t.value_high) if v is not None]
    return t.unit == "年" and bool(values) and all(v.is_integer() and int(v) in _YEARS for v in values)


__all__ = ["MAX_PERIOD_YEARS", "is_period_value", "repair_lost_dash"]
