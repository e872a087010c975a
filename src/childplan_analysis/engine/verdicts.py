"""Status, warnings, warning level and reason of every row of an assessment, in one pass.

Each target gives the facts of its rows (:class:`RowFacts`); :func:`verdicts` stacks them, target
after target, and applies the status table (:mod:`.status`) and the warning and level tables
(:mod:`.warnings`) once to all rows. Labels come back as :class:`pandas.Categorical` columns:
a few distinct strings and a code per row. Reasons are codes into a :class:`Reasons` table that
the targets fill as they meet them (:class:`~childplan_analysis.engine.frame.Labels`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from childplan_analysis.core.codes import Status
from childplan_analysis.engine.frame import Labels
from childplan_analysis.engine.status import STATUS_CODES, StatusFacts, status_codes
from childplan_analysis.engine.warnings import (
    LEVEL_CODES,
    WarningFacts,
    level_codes,
    warning_patterns,
)


@dataclass(frozen=True)
class RowFacts:
    """What the verdicts of one target's rows rest on (one value per row)."""

    usable: np.ndarray
    short: np.ndarray
    can_project: np.ndarray
    met_now: np.ndarray
    decided: np.ndarray
    point_missed: np.ndarray
    projected_meets: np.ndarray  # the projected value meets a level target in its year
    moving_away: np.ndarray
    p_meet: np.ndarray
    n: np.ndarray
    age: np.ndarray
    volatile: np.ndarray
    breaks: np.ndarray
    reason: np.ndarray  # codes of a :class:`~childplan_analysis.engine.frame.Labels` table


def verdicts(parts: list[RowFacts], reasons: Labels) -> dict[str, pd.Categorical]:
    """``status``, ``warnings``, ``warning_level`` and ``reason`` of every row, target after target."""
    f = RowFacts(**{x.name: np.concatenate([getattr(p, x.name) for p in parts]) for x in fields(RowFacts)})
    status = status_codes(StatusFacts(
        usable=f.usable, short=f.short, can_project=f.can_project, met_now=f.met_now, decided=f.decided,
        point_missed=f.short & f.point_missed, moving_away=f.moving_away,
        likely=np.nan_to_num(f.p_meet, nan=0.0) >= 0.5))
    labelled = pd.Categorical.from_codes(status, categories=STATUS_CODES)  # the rules compare its codes
    wf = WarningFacts(status=labelled, p_meet=f.p_meet, projected_meets=f.projected_meets, usable=f.usable, short=f.short,
                      can_project=f.can_project, moving_away=f.moving_away, n=f.n, age=f.age,
                      volatile=f.volatile, breaks=f.breaks)
    index, joined = warning_patterns(wf)
    level = level_codes(wf, (joined != "")[index])
    insufficient = STATUS_CODES.index(Status.INSUFFICIENT_DATA.value)
    reason = np.where((status == insufficient) | f.short, f.reason, 0)
    return {
        "status": labelled,
        "warnings": pd.Categorical.from_codes(index, categories=joined),
        "warning_level": pd.Categorical.from_codes(level, categories=LEVEL_CODES),
        "reason": pd.Categorical.from_codes(reason, categories=reasons.labels),
    }
