"""The codes the package writes into its tables: statuses, warnings, levels and failure kinds.

Each is a :class:`~enum.StrEnum`, so a member equals its text (``Status.ACHIEVED == "achieved"``)
and the tables keep plain strings. The zh/en words for each code live in
:mod:`childplan_analysis.report.labels`.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Attainment status of one target in one region."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    REGRESSING = "regressing"
    INSUFFICIENT_DATA = "insufficient_data"


class WarningCode(StrEnum):
    """Early-warning rules (预警); a row can carry several, joined by ``;``."""

    OFF_TRACK = "off_track"
    MAY_NOT_HOLD = "may_not_hold"
    VOLATILE = "volatile"
    REGRESSING = "regressing"
    STALE_DATA = "stale_data"
    SERIES_BREAK = "series_break"


class Level(StrEnum):
    """Warning level of a row: red (act now), yellow (watch), green (no warning)."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class Severity(StrEnum):
    """Severity of a plan-consistency finding."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FailureKind(StrEnum):
    """Why one region of a batch failed (``error_kind`` in the batch summary)."""

    DATA = "data"
    PLAN = "plan"
    KERNEL = "kernel"
    NOTEBOOK = "notebook"
    TIMEOUT = "timeout"
    EXPORT = "export"
    WORKER = "worker"
    INTERNAL = "internal"


#: Status precedence, most decisive first: a row shows the first status whose rule holds.
STATUS_ORDER: tuple[Status, ...] = (
    Status.ACHIEVED,
    Status.REGRESSING,
    Status.ACCELERATION_NEEDED,
    Status.ON_TRACK,
    Status.INSUFFICIENT_DATA,
)
