"""A team set up of so many members (``建立一支由1万名队员组成的…调解员队伍``): the team's size, a floor.

The team is named as written (``实名制家庭纠纷调解员队伍``) and counted in people (``…队伍人数`` ≥ 10000 名); the
members' own word (``队员``, ``志愿者``) is no part of the name.
"""

from __future__ import annotations

import re

Reading = tuple[str, str, float, float | None, str]

_TEAM_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,12}?(?:将|要|拟|计划|力争))?(?:在[\u4e00-\u9fff]{2,8}?)?"
    r"(?:建立|组建|建设|打造|培育|培养|建成)(?:一支|一批)?由?(?P<v>\d+(?:\.\d+)?)(?P<u>名|人|位)(?:以上)?(?:左右)?"
    r"[\u4e00-\u9fff]{0,8}?(?:组成|构成)的(?P<team>[\u4e00-\u9fff()]{2,24}?(?:队伍|团队|服务队|志愿队))$"
)


def team_size(s: str) -> list[Reading] | None:
    """``三年内建立一支由1万名队员组成的实名制家庭纠纷调解员队伍`` (万 multiplied out before) →
    ``实名制家庭纠纷调解员队伍人数`` ≥ 10000 名; None for any other clause."""
    m = _TEAM_RE.match(re.sub(r"^(?:[一二三四五六七八九十两\d]{1,2}年(?:内|之内|时间)|今后几年|未来几年)", "", s))
    if m is None:
        return None
    return [(f"{m.group('team')}人数", ">=", float(m.group("v")), None, "名")]
