"""Women left unsaid: a women's indicator read from a name that does not name women.

A women's plan often leaves 妇女 unsaid (``基本养老保险参保率达到95%`` in its social-security
chapter), so the look-up lets a name without 女 stand for the women's indicator. A text that never
speaks of women at all (a national plan of public services, of health) means everyone by such a
name: there the target keeps its written name, unresolved.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.core.indicators import IndicatorDictionary

#: Words that speak of women as such (mothers, pregnant women and 女职工 insured for maternity are not counted: a plan for
#: everyone names 孕产妇死亡率 too).
_SPEAKS_OF_WOMEN_RE = re.compile(r"妇女|女性|女童|女孩|女生|女干部|巾帼|姐妹")
#: A dictionary name that is the women's own rate or count.
_WOMEN_IN_NAME_RE = re.compile(r"妇女|女性|女")


def without_unsaid_women(
    targets: list[ParsedTarget], text: str, indicators: IndicatorDictionary
) -> list[ParsedTarget]:
    """Targets resolved to a women's indicator from a name without 女 or 妇, in a text that never
    speaks of women, are left unresolved under their written name; other texts are left alone."""
    if _SPEAKS_OF_WOMEN_RE.search(text):
        return targets
    out = []
    for t in targets:
        ind = indicators.by_id.get(t.indicator) if t.indicator else None
        if (
            ind is not None
            and ind.population == "women"
            and _WOMEN_IN_NAME_RE.search(ind.name_zh)
            and not re.search(r"女|妇", t.indicator_zh)
        ):
            t = t.model_copy(update={"indicator": None})
        out.append(t)
    return out
