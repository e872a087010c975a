"""What a plan document says about itself: its title, region, level, period and population.

``plan_info`` reads them from the text (``plan_title``: the title line near the top, a quoted plan or
a notice's; ``plan_region``: the region and level of a title) for a draft catalog's identity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from childplan_analysis.catalog.periods import _PERIOD_RE, TITLE_LINES, YEAR, plan_period
from childplan_analysis.catalog.script import simplified_text

#: Administrative units, longest first: the last one in a title's prefix is the plan's region.
_ADMIN_RE = re.compile(
    r"[\u4e00-\u9fff]{1,9}?(?:特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|州(?:市|区|县)?|市|盟|县|区|旗)"
)
_PLAN_SUBJECT_RE = re.compile(r"[\"“”']?(?:十[一二三四五六]五)|儿童|妇女|妇幼|未成年人|关于|人民政府|推进|建设")
_NOTICE_RE = re.compile(r"印发|转发|通知|的函|公告")
_QUOTED_TITLE_RE = re.compile(r"《([^》]{4,60})》")
_PLAN_TITLE_RE = re.compile(r"(儿童|妇女|妇幼|未成年人).{0,16}(规划|纲要|方案|计划)")
_LEVEL_OF_SUFFIX = {
    "省": "province", "自治区": "province", "特别行政区": "province",
    "市": "city", "州": "city", "自治州": "city", "盟": "city", "地区": "city",
    "县": "county", "区": "county", "旗": "county", "自治县": "county", "自治旗": "county", "新区": "county",
}


@dataclass
class PlanInfo:
    """What a plan document says about itself: title, region, level, period, population."""

    title: str | None = None
    region: str | None = None
    level: str | None = None
    period: tuple[int, int] | None = None
    population: str = "children"

    @property
    def id(self) -> str:
        """A catalog id: ``<place in pinyin>_<population>_<start>_<end>`` (``draft_plan`` if unknown)."""
        parts = []
        if self.region:
            place = _ADMIN_RE.findall(self.region)
            last = place[-1] if place else self.region
            if self.level == "national":
                parts.append("national")
            else:
                stem = re.sub(r"(特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|市|州|盟|县|区|旗)$", "", last) or last
                parts.append(_pinyin(stem))
                if self.level == "city" and last.endswith("市") and any(p.endswith("省") and p[:-1] == stem for p in place):
                    parts.append("city")
        parts.append(self.population)
        if self.period:
            parts += [str(self.period[0]), str(self.period[1])]
        ident = re.sub(r"[^a-z0-9_]+", "", "_".join(parts).lower())
        return ident if parts[0] != self.population or self.period else "draft_plan"


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


_TITLE_END_RE = re.compile(r"(规划|纲要|方案|计划)([(（][^()（）]{0,20}[)）])*$")


def plan_title(text: str, hint: str | None = None) -> str | None:
    """The plan's title: a title line near the top (``XX县儿童发展规划（2021—2030年）``, the
    period perhaps on the next line); else a plan quoted in the text (``《…》``) or issued by a
    notice (``关于印发…的通知``); else ``hint`` (a page title or the file's title property)
    without the site name."""
    lines = [re.sub(r"\s+", "", ln) for ln in text.splitlines()[:TITLE_LINES] if ln.strip()]
    for i, line in enumerate(lines):
        if len(line) > 60 or re.search(r"[。，,；;：:《》\[\]]", line) or _NOTICE_RE.search(line):
            continue
        if not (_PLAN_TITLE_RE.search(line) and _TITLE_END_RE.search(line)):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not _PERIOD_RE.search(line) and re.fullmatch(rf"[(（]{YEAR}.{{0,6}}{YEAR}年?[)）]", nxt):
            line += nxt  # the period on a line of its own
        return line
    for line in lines:
        for quoted in _QUOTED_TITLE_RE.findall(line):
            if _PLAN_TITLE_RE.search(quoted) and _TITLE_END_RE.search(quoted):
                return quoted
    for i, line in enumerate(lines):
        joined = line + (lines[i + 1] if i + 1 < len(lines) else "")
        m = re.search(r"(?:印发|转发)(.+?)的(?:通知|函)", joined)
        if m and _PLAN_TITLE_RE.search(m.group(1)):
            return m.group(1).strip("《》")
    if hint:
        head = re.split(r"[_|｜]|\s[-—]\s", hint.strip())[0]
        m = re.search(r"(?:印发|转发)(.+?)(?:的通知|的函)?$", head)
        head = m.group(1).strip("《》") if m else head
        if _PLAN_TITLE_RE.search(head):
            return head
    return None


def plan_region(title: str) -> tuple[str | None, str | None]:
    """Region and level of a plan title: ``重庆市大渡口区儿童发展规划`` → (``重庆市大渡口区``,
    ``county``); ``中国儿童发展纲要`` → (``全国``, ``national``)."""
    compact = re.sub(r"\s+", "", title)
    if re.match(r"^(中国|全国|国家)", compact):
        return "全国", "national"
    cut = _PLAN_SUBJECT_RE.search(compact)
    prefix = compact[: cut.start()] if cut else compact
    units = _ADMIN_RE.findall(prefix)
    if not units:
        return None, None
    last = units[-1]
    suffix = next(s for s in sorted(_LEVEL_OF_SUFFIX, key=len, reverse=True) if last.endswith(s))
    level = _LEVEL_OF_SUFFIX[suffix]
    if level == "city" and suffix == "市" and len(units) >= 2 and units[-2].endswith(("市", "州", "盟")):
        level = "county"  # a county-level city under a prefecture (吉林市磐石市)
    return "".join(units), level


def plan_info(text: str, hint: str | None = None) -> PlanInfo:
    """Title, region, level, period and population of a plan text (None where unknown)."""
    text = simplified_text(text)
    hint = simplified_text(hint) if hint else hint
    title = plan_title(text, hint)
    info = PlanInfo(title=title, period=plan_period(text))
    if title:
        info.region, info.level = plan_region(title)
        if info.period is None:
            info.period = plan_period(title)
        info.population = "women" if re.search(r"妇女", title) and "儿童" not in title else "children"
    return info


__all__ = [
    "PlanInfo",
    "plan_info",
    "plan_region",
    "plan_title",
]
