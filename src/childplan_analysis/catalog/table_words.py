"""Words of indicator tables: what titles a table, and what role a value column's header names.

Shared by the readers of tables laid out by rows or cells (:mod:`.tables`) and of tables run into
the text (:mod:`.run_in`).
"""

from __future__ import annotations

import re

#: A header cell that only names the role of a value column (``完成情况`` under ``2020年``).
ROLES = (
    r"完成情况|完成值|实际完成|实际值?|实现值|现状值?|现值|基期值?|基数|基准值?|基线值?|监测值|"
    r"规划目标|目标值?|预期目标|预期值?|规划值?"
)
#: Words of a value column's header that name results (the base year's level, a past plan's
#: outcome: ``完成情况``, ``实际``) or aims (``规划目标``, ``目标值``); results win (``目标完成情况``).
_RESULT_WORDS = re.compile(r"完成|实际|实现值|现状|现值|基数|基期|基准|基线|监测值")
_AIM_WORDS = re.compile(r"目标|规划|预期")


def value_role(cell: str) -> str | None:
    """``base`` for a header naming results, ``target`` for one naming aims, else None."""
    if _RESULT_WORDS.search(cell):
        return "base"
    if _AIM_WORDS.search(cell) and "指标" not in cell:
        return "target"
    return None


def is_title(compacted: str) -> bool:
    """A line that may title a table: short, no sentence punctuation, naming indicators or aims
    (``…主要指标完成情况``, ``…重点指标目标表``, ``专栏2 …``)."""
    return (
        0 < len(compacted) <= 40
        and not re.search(r"[。，,；;：:！？!?]", compacted)
        and bool(re.search(r"指标|目标|专栏", compacted))
    )


__all__ = ["ROLES", "is_title", "value_role"]
