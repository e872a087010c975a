"""A share written as a fraction (``占到1/5以上``, ``超过1/4``) in per cent: ``20%``, ``25%``.

Only after a verb of reaching or holding, so that rates per 10 万 (``1/10万``) and dates stay as written.
"""

from __future__ import annotations

import re

#: A simple fraction after a verb of reaching: numerator and denominator of one or two digits.
_FRACTION_RE = re.compile(r"(?<=占|到|达|超|过|于|为)(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d万千百])")


def fractions_as_percent(s: str) -> str:
    """``局级女干部要占到1/5以上`` → ``局级女干部要占到20%以上`` (two decimals at most)."""
    def percent(m: re.Match) -> str:
        a, b = int(m.group("a")), int(m.group("b"))
        if b == 0 or a >= b:
            return m.group(0)
        return f"{round(100 * a / b, 2):g}%"
    return _FRACTION_RE.sub(percent, s)


__all__ = ["fractions_as_percent"]
