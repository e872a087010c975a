"""A payment's cap (``补助标准按每人每月不超过1700元``): what a subsidy may reach, set by the scheme and
paid out, not an aim to be monitored."""

from __future__ import annotations

import re

from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.core.targets import Comparator

#: A payment named (subsidies, relief, aid, reimbursement).
_PAYMENT_RE = re.compile(r"补助|补贴|救助|资助|报销|津贴")
_CAPS = {Comparator.LE, Comparator.LT}


def is_subsidy_cap(t: ParsedTarget) -> bool:
    """An upper bound in 元 on a payment: a cap of what is paid, not a target."""
    return t.unit == "元" and t.comparator in _CAPS and bool(_PAYMENT_RE.search(t.indicator_zh))


__all__ = ["is_subsidy_cap"]
