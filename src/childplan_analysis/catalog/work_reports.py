"""The year of the government work report a text sets out (``《2017年政府工作报告》``).

A year's work report is read at the start of that year: it reviews the year before and lists the aims of its own
year (``今年``, ``本年度``). A text that speaks of this year's aims and names one year's work report, and no year after
it, takes that year as its own, though it goes on to tell the year before at length (``2016年,全省创建…100多个``):
the years before the report's are the review's, past."""

from __future__ import annotations

import re

#: A year's government work report, of the nation or of a place (``2017年政府工作报告``, ``2018年市政府工作报告``,
#: ``2024年《政府工作报告》``, ``《2017年省政府工作报告》``).
_WORK_REPORT_RE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)年度?[《“\"]?(?:[\u4e00-\u9fff]{0,6}?(?:省|市|区|县|州|旗))?(?:人民)?政府工作报告"
)
#: This year spoken of as the time of the text's aims (not ``今年度``-like compounds of another sense).
_THIS_YEAR_RE = re.compile(r"今年(?!度)|本年度")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)年")


def work_report_year(text: str) -> int | None:
    """The year of the one year's work report a text speaking of this year names, when the text names no later
    year; None otherwise (no report, reports of several years, a text of a later year quoting a past report)."""
    compact = re.sub(r"\s+", "", text)
    if not _THIS_YEAR_RE.search(compact):
        return None
    years = {int(m.group(1)) for m in _WORK_REPORT_RE.finditer(compact)}
    if len(years) != 1:
        return None
    year = years.pop()
    return year if all(int(m.group(1)) <= year for m in _YEAR_RE.finditer(compact)) else None


__all__ = ["work_report_year"]
