"""The status of a target in a region, by a precedence table: the first rule that holds wins.

Every rule reads the same :class:`StatusFacts` (boolean arrays, one value per row), so the
precedence is one table (:data:`STATUS_RULES`) rather than a chain of overwrites. Each status of
:data:`~childplan_analysis.core.codes.STATUS_ORDER` appears in it. See ``docs/methodology.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from childplan_analysis.core.codes import STATUS_ORDER, Status

#: The status codes in the order tables list them.
STATUSES = tuple(s.value for s in (Status.ACHIEVED, Status.ON_TRACK, Status.ACCELERATION_NEEDED,
                                   Status.REGRESSING, Status.INSUFFICIENT_DATA))
STATUS_LABELS = {
    Status.ACHIEVED.value: {"zh": "已达标", "en": "Achieved"},
    Status.ON_TRACK.value: {"zh": "按期可达标", "en": "On track"},
    Status.ACCELERATION_NEEDED.value: {"zh": "需加快进度", "en": "Acceleration needed"},
    Status.REGRESSING.value: {"zh": "逆向变化", "en": "Regressing"},
    Status.INSUFFICIENT_DATA.value: {"zh": "数据不足", "en": "Insufficient data"},
}


@dataclass(frozen=True)
class StatusFacts:
    """What the status rules read, per row."""

    usable: np.ndarray  # current data (and the baseline of relative targets)
    short: np.ndarray  # usable but fewer than MIN_POINTS values of its own
    can_project: np.ndarray  # usable with a predictive distribution (own, or pooled for short series)
    met_now: np.ndarray  # the latest (or target-year) value meets the target
    decided: np.ndarray  # the target year has passed and was observed
    point_missed: np.ndarray  # the latest value alone shows the target not met (NBS point test)
    moving_away: np.ndarray  # P(trend in the wrong direction) ≥ REGRESSING_PROB
    likely: np.ndarray  # p_meet ≥ 0.5


Rule = Callable[[StatusFacts], np.ndarray]

#: (status, rule), most decisive first. A short series (fewer values than a projection needs)
#: is still judged on its latest value: met → achieved, missed → acceleration needed (or
#: regressing); only a series whose latest value decides nothing stays insufficient_data.
STATUS_RULES: tuple[tuple[Status, Rule], ...] = (
    (Status.INSUFFICIENT_DATA, lambda f: ~f.usable),
    (Status.ACHIEVED, lambda f: f.met_now),
    (Status.REGRESSING, lambda f: f.moving_away),
    (Status.ACCELERATION_NEEDED, lambda f: f.decided),
    (Status.ACCELERATION_NEEDED, lambda f: f.short & f.point_missed),
    (Status.INSUFFICIENT_DATA, lambda f: ~f.can_project),
    (Status.ON_TRACK, lambda f: f.likely),
    (Status.ACCELERATION_NEEDED, lambda f: np.ones(len(f.usable), dtype=bool)),
)
assert {s for s, _ in STATUS_RULES} == set(STATUS_ORDER)


#: Every status code; :func:`status_codes` gives positions in this tuple.
STATUS_CODES = tuple(s.value for s in Status)


def status_codes(facts: StatusFacts, rules: tuple[tuple[Status, Rule], ...] = STATUS_RULES) -> np.ndarray:
    """Status per row as its position in :data:`STATUS_CODES`: the status of the first rule that holds."""
    k = len(facts.usable)
    out = np.full(k, STATUS_CODES.index(Status.INSUFFICIENT_DATA.value), dtype=np.int8)
    open_ = np.ones(k, dtype=bool)
    for status, rule in rules:
        hit = open_ & np.asarray(rule(facts), dtype=bool)
        out[hit] = STATUS_CODES.index(status.value)
        open_ &= ~hit
    return out


def decide_status(facts: StatusFacts, rules: tuple[tuple[Status, Rule], ...] = STATUS_RULES) -> np.ndarray:
    """Status per row: the status of the first rule that holds (an object array of codes)."""
    return np.asarray(STATUS_CODES, dtype=object)[status_codes(facts, rules)]
