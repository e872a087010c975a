"""The year of a scheme a text is about when its goals name none: the scheme's version
(``《…实施方案(2023年版)》``), and whether the text issues a plan of its own whose title names no
period (``关于印发《…试点工作方案》的通知``), so that the period of a plan it implements
(``实施《…行动计划(2018—2020年)》``) does not date its goals.
"""

from __future__ import annotations

import re

YEAR = r"(?:19|20)\d\d"
PERIOD_DASH = r"[-—–―~～－至]+"
#: Opening lines read for the scheme's title (as ``periods.TITLE_LINES``).
TITLE_LINES = 40

#: A scheme's version year in its quoted title or in a title line (``(2023年版)``, ``（2024年修订版）``).
_VERSION_RE = re.compile(rf"[(（]({YEAR})年(?:修订|修改|更新)?版[)）]")
#: A document the opening lines issue (``印发《…》``, ``关于印发…的通知``).
_ISSUED_RE = re.compile(r"印发(?:了)?《(?P<title>[^《》]{4,60})》|关于印发(?P<bare>[^《》,，。]{4,60}?)的通知")
_PLAN_KIND_RE = re.compile(r"(?:规划|纲要|方案|计划|意见|要点|措施)$")
_PERIOD_RE = re.compile(rf"{YEAR}年?{PERIOD_DASH}{YEAR}|{YEAR}年")
_QUOTED_PERIOD_RE = re.compile(rf"《[^》]{{2,60}}?[(（]{YEAR}年?{PERIOD_DASH}{YEAR}年?[)）]》")


def _opening(text: str) -> list[str]:
    return [re.sub(r"\s+", "", ln) for ln in text.splitlines()[:TITLE_LINES] if ln.strip()]


def scheme_version_year(text: str) -> int | None:
    """The version year of the scheme the opening lines name (``印发《…方案(2023年版)》``); None when
    they name none."""
    for line in _opening(text):
        m = _VERSION_RE.search(line)
        if m:
            return int(m.group(1))
    return None


def issues_undated_plan(text: str) -> bool:
    """The opening lines issue a plan of the text's own (``印发《…工作方案》``) whose title names no
    year, before they quote any plan with a period: another plan's period is not its goals' year."""
    for line in _opening(text):
        issued = _ISSUED_RE.search(line)
        quoted = _QUOTED_PERIOD_RE.search(line)
        if quoted and (issued is None or quoted.start() < issued.start()):
            return False
        if issued:
            title = issued.group("title") or issued.group("bare") or ""
            return bool(_PLAN_KIND_RE.search(title.strip("《》"))) and not _PERIOD_RE.search(title)
    return False


#: Opening lines read for a document the text announces (as ``periods.PROJECTS_LINES``).
ANNOUNCED_LINES = 3
#: A document of one year the text announces as issued (``市妇儿工委印发《2026年儿童友好十件实事》``): the verb, then
#: a quoted title naming that year (``2026年``, ``2026年度``) and no period (``2021—2030年``).
_ANNOUNCED_RE = re.compile(
    rf"(?:制定|发布|印发|出台|推出|公布)(?:了|并(?:发布|印发|出台|推出|公布))?"
    rf"《(?P<title>[^《》]{{0,12}}?(?<!\d)(?P<y>{YEAR})年度?(?!{PERIOD_DASH}|[底末初])[^《》]{{2,40}})》"
)


def announced_year(text: str) -> int | None:
    """The year of a one-year document the opening lines announce as issued (``日前,某市发布《2026年…十条》``): its
    counts and levels are that year's work; None when they announce none, or one whose title names a period."""
    for line in [re.sub(r"\s+", "", ln) for ln in text.splitlines() if ln.strip()][:ANNOUNCED_LINES]:
        m = _ANNOUNCED_RE.search(line)
        if m and not re.search(rf"{YEAR}年?{PERIOD_DASH}{YEAR}", m.group("title")):
            return int(m.group("y"))
    return None


__all__ = ["announced_year", "issues_undated_plan", "scheme_version_year"]
