"""The units a clause sets as the scope of the share after it (``在市直单位中,力争有55%以上的领导班子…``).

A clause of its own naming where the units are (``今后在市直部委办局以上单位中``) qualifies the units of a share given
first in the next clause of the sentence: the share is of those units' teams (``市直部委办局以上单位领导班子``), not of every
team.
"""

from __future__ import annotations

import re

_SCOPE_RE = re.compile(
    r"^(?:今后|同时|并且|并|其中)?(?:在|于)(?P<scope>[\u4e00-\u9fff()、]{2,20}?(?:单位|部门|机关|系统|企业|学校|机构))(?:中|内|里)$"
)


def scope_named(clause: str) -> str | None:
    """``今后在市直部委办局以上单位中`` → ``市直部委办局以上单位``; None for any other clause."""
    m = _SCOPE_RE.match(clause)
    return m.group("scope") if m else None


def within_scope(units: str, scope: str) -> str:
    """``领导班子`` within ``市直单位`` → ``市直单位领导班子``; units already naming the scope as they are."""
    return units if not scope or units.startswith(scope) else f"{scope}{units}"


__all__ = ["scope_named", "within_scope"]
