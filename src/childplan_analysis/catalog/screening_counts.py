"""People screened or checked, counted as a task (``完成3000例宫颈癌、1000例乳腺癌目标人数``, ``完成260人的检查任务``).

A screening programme's task of the year counts the people to screen by what they are screened for: a count in ``例``
of a cancer (``3000例宫颈癌``) is that many people screened for it, a count of a disease or defect with its screening
(``500例听力筛查``) the same. A count of people for a task named by what is done (``260人的检查任务``) is the count of
people it is done for. One count per item listed; each a floor, as a task's count is.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.site_counts import Reading

_LEAD = r"^(?:[\u4e00-\u9fff]{0,8}?(?:将|要|计划|力争|确保|争取))?(?:全年|年内|今年)?(?:全乡|全镇|全县|全区|全市|全省)?"
#: A count in 例 and what is screened for: a cancer, or a condition with the word for its screening.
_ITEM = r"\d+例[\u4e00-\u9fff]{1,12}?(?:癌|(?:病|症|缺陷|听力|视力|贫血)?(?:筛查|检查|检测))"
_CASES_RE = re.compile(
    rf"{_LEAD}完成(?:了)?(?P<items>{_ITEM}(?:(?:、|和|及){_ITEM})*)(?:的)?(?:目标人数|目标任务|任务数|任务|人数)?$"
)
_ITEM_RE = re.compile(r"(?P<v>\d+)例(?P<what>.+?)(?P<act>筛查|检查|检测)?$")
#: A count of people for a task named by what is done (``完成260人的检查任务``).
_TASK_RE = re.compile(
    rf"{_LEAD}完成(?P<v>\d+)(?P<u>人|名|例)(?:次)?的?(?P<act>[\u4e00-\u9fff“”]{{0,14}}?(?:筛查|检查|检测|体检))(?:工作)?任务$"
)


def people_screened(s: str) -> list[Reading] | None:
    """``完成3000例宫颈癌、1000例乳腺癌目标人数`` → ``宫颈癌筛查人数`` ≥ 3000, ``乳腺癌筛查人数`` ≥ 1000;
    ``完成260人的检查任务`` → ``检查人数`` ≥ 260; None when the clause is no such count."""
    m = _CASES_RE.match(s)
    if m is not None:
        out: list[Reading] = []
        for item in re.split(r"、|和|及", m.group("items")):
            im = _ITEM_RE.match(item)
            if im is None:
                return None
            out.append((f"{im.group('what')}{im.group('act') or '筛查'}人数", ">=", float(im.group("v")), None, "例"))
        return out
    t = _TASK_RE.match(s)
    if t is not None:
        return [(f"{t.group('act')}人数", ">=", float(t.group("v")), None, t.group("u"))]
    return None


__all__ = ["people_screened"]
