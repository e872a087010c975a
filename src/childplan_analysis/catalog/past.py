"""What a sentence tells as past: a change between two past years, or a sentence in the past tense.

* **A change between two years** (:func:`past_changes`): ``孕产妇死亡率由2002年的43.2/10万下降到2011年
  26.1/10万`` tells what happened when its second year is not after the text's own year (the year
  before its plan period, or before the first goal year it states elsewhere; a text that states
  no other goal year looks back only). ``由2020年的16.9/10万下降到2030年的12/10万`` in a plan for
  2021—2030 is a goal.
* **A sentence in the past tense** (:func:`told_in_past`): a verb with the perfective 了
  (``建立了…网络``, ``消灭了脊髓灰质炎``), 已经, an event (``再有3市成功入选``), a rank held
  (``数量稳居全国首位``) or a change against the last term or year (``…21.4%,比上届高6.7%``), and no word that looks ahead (``到2030年``, ``要``,
  ``将``, ``力争``): what it states was reached, not aimed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from childplan_analysis.catalog.attribution import looks_ahead
from childplan_analysis.catalog.grammar import normalize_text

_YEAR = r"(?:19|20)\d\d"
#: ``由2002年的43.2/10万下降到2011年``, ``从1990年的96.3%上升到2000年``, ``由2002年29.2‰,下降到2011年``:
#: a level right after the first year (``从2019年起到2023年`` is a period, not a change).
CHANGE_RE = re.compile(
    rf"(?:由|从)({_YEAR})年(?:底|末)?的?\s?\d[^;。由从到至]{{0,30}}?"
    rf"(?:下降|降低|降|减少|上升|提高|提升|增加|增长|增至|扩大|缩小|延长|缩短|升)?(?:到|至)({_YEAR})年"
)
#: The perfective 了 after a verb (``建立了``, ``普及了``), not 为了, 除了, 了解, 不了; 已经; an event
#: that happened (``成功入选``, ``成功创建``), a rank held (``稳居全国首位``, ``位居全省前列``) or a change
#: measured against the last term or year (``比上届高6.7%``, ``较上年提高2个百分点``).
_PERFECTIVE_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<![为除不])了(?!解)|已经|成功(?:入选|创建|获批|获评|申报)|"
    r"(?:稳居|位居|位列)(?:全国|全省|全市|全区|全州|全县)|"
    r"(?:比|较)(?:上一?届|上年度?|去年|上期|同期)(?:高|低|提高|增加|增长|下降|降低|减少|上升|多|少)了?\d"
)


#: A span of years a clause opens with (``2016年至2020年,``, ``2016—2020年,``): what it tells happened in it.
SPAN_RE = re.compile(rf"(?:^|[,:])(?:在)?({_YEAR})年?(?:[-—–~～]|至|到)({_YEAR})年(?:间|期间)?,")


def told_over_past_span(compact: str, own_year: int | None) -> bool:
    """A clause of the sentence opens with a span of years that ends at most at the text's own year
    (``2015年至2020年,我国人均预期寿命从76.34岁提高到77.93岁`` in a text on 2021—2025): a change told over
    it happened. A text with no own year (``own_year`` None) has no such past."""
    m = SPAN_RE.search(compact)
    return bool(m) and own_year is not None and int(m.group(1)) < int(m.group(2)) <= own_year


def past_changes(compact: str, own_year: int | None) -> list[tuple[int, int]]:
    """Spans (start, end) of the changes between two years in ``compact`` whose second year
    is at most ``own_year`` (any second year after the first when ``own_year`` is None)."""
    spans = []
    for m in CHANGE_RE.finditer(compact):
        start, end = int(m.group(1)), int(m.group(2))
        if end > start and (own_year is None or end <= own_year):
            spans.append(m.span())
    return spans


def change_end_years(compact: str) -> list[int]:
    """Second years of the changes between two years in ``compact``."""
    return [int(m.group(2)) for m in CHANGE_RE.finditer(compact) if int(m.group(2)) > int(m.group(1))]


def own_year(period_start: int | None, goal_years: Iterable[int]) -> int | None:
    """The text's own year: the year before its plan period, else the year before the first goal
    year it states outside changes between years, else None (it states no goal year)."""
    if period_start is not None:
        return period_start - 1
    goals = list(goal_years)
    return min(goals) - 1 if goals else None


def told_in_past(sentence: str) -> bool:
    """The sentence is in the past tense (a verb with 了, or 已经) and does not look ahead."""
    s = normalize_text(sentence)
    return bool(_PERFECTIVE_RE.search(s)) and not looks_ahead(s)


__all__ = ["CHANGE_RE", "SPAN_RE", "change_end_years", "own_year", "past_changes", "told_in_past", "told_over_past_span"]
