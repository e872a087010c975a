"""Sums of money a year's projects give, waive or raise for the people they serve.

``为家庭困难先心病患儿减免手术费、治疗费100万元`` sets the total waived (≥ 1,000,000 元, 万 multiplied out before):
named by the people, the verb and what is given (``为家庭困难先心病患儿减免手术费、治疗费金额``). A rate or cap per head
(``每人``, ``人均``, ``标准``, ``最高``) is a standard, no total to reach, and is not read here.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.site_counts import Reading

_NUM = r"\d+(?:\.\d+)?"
_LEAD = r"(?:[\u4e00-\u9fff]{0,10}?(?:将|要|计划|拟|力争|争取|确保))?(?:今年|全年|年内)?(?:共|累计)?"
_PLACE = r"(?:全国|全省|全区|全市|全州|全县|全旗|全镇|全乡|辖区)?"
#: People, a verb of giving or waiving, what is given, the sum.
_SUM_GIVEN_RE = re.compile(
    rf"^{_LEAD}(?P<to>为|向|给){_PLACE}(?P<who>[\u4e00-\u9fff、()]{{2,20}}?)"
    r"(?P<verb>减免|发放|提供|支付|落实|兑现|筹集|募集)(?P<what>[\u4e00-\u9fff、]{2,20}?)"
    rf"(?:共计|合计|共|总计)?(?:不少于|不低于|超过)?(?P<v>{_NUM})(?:余|多)?(?P<u>元)(?:以上)?$"
)
#: Words that make a sum a rate or cap per head.
_PER_HEAD_RE = re.compile(r"每|人均|标准|最高|不超过|上限")


def sum_given(s: str) -> list[Reading] | None:
    """The total of money a sub-clause (quotation marks removed) gives or waives for people, or None."""
    m = _SUM_GIVEN_RE.match(s)
    if m is None or _PER_HEAD_RE.search(s):
        return None
    name = f"{m.group('to')}{m.group('who')}{m.group('verb')}{m.group('what')}金额"
    return [(name, ">=", float(m.group("v")), None, m.group("u"))]


__all__ = ["sum_given"]
