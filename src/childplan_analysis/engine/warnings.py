"""Early warnings (预警) and warning levels, as tables of rules.

:data:`WARNING_RULES` lists ``(WarningCode, rule)``; a row carries every code whose rule holds,
joined by ``;`` in table order. :data:`LEVEL_RULES` gives the level: the first that holds.
Each rule reads one :class:`WarningFacts` (level rules also whether the row carries a warning). See ``docs/methodology.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from childplan_analysis.core import config
from childplan_analysis.core.codes import Level, Status, WarningCode
from childplan_analysis.engine.rowstats import Observed, robust_sd, row_counts, row_fmax
from childplan_analysis.models import SeriesPanel, TrendFit

WARNINGS = {
    WarningCode.OFF_TRACK.value: {"zh": "预计达标困难", "en": "Expected to miss the target"},
    WarningCode.MAY_NOT_HOLD.value: {"zh": "预计难以保持达标", "en": "May not hold to the target year"},
    WarningCode.VOLATILE.value: {"zh": "波动较大", "en": "Fluctuates strongly"},
    WarningCode.REGRESSING.value: {"zh": "向目标反方向变化", "en": "Moving away from the target"},
    WarningCode.STALE_DATA.value: {"zh": "数据陈旧", "en": "Data out of date"},
    WarningCode.SERIES_BREAK.value: {"zh": "数据突变", "en": "Break in the series"},
}
LEVEL_LABELS = {
    Level.RED.value: {"zh": "红", "en": "Red"},
    Level.YELLOW.value: {"zh": "黄", "en": "Yellow"},
    Level.GREEN.value: {"zh": "绿", "en": "Green"},
}


@dataclass(frozen=True)
class WarningFacts:
    """What the warning rules read, per row."""

    status: np.ndarray
    p_meet: np.ndarray
    projected_meets: np.ndarray  # the projected value meets a level target in its year
    usable: np.ndarray
    short: np.ndarray
    can_project: np.ndarray
    moving_away: np.ndarray
    n: np.ndarray
    age: np.ndarray
    volatile: np.ndarray
    breaks: np.ndarray

    @property
    def behind(self) -> np.ndarray:
        return (self.status == Status.ACCELERATION_NEEDED.value) | (self.status == Status.REGRESSING.value)


Rule = Callable[[WarningFacts], np.ndarray]

WARNING_RULES: tuple[tuple[WarningCode, Rule], ...] = (
    # a short series behind its target is warned on its latest value alone (its reason says so)
    (WarningCode.OFF_TRACK,
     lambda f: f.behind & f.usable & ((np.nan_to_num(f.p_meet, nan=0) < config.OFF_TRACK_P_MEET) | f.short)),
    # met now, but more likely than not outside the target in its year and projected outside it
    # (保持在45%左右 drifting out of the band; noise alone about a line inside the band is 波动较大's)
    (WarningCode.MAY_NOT_HOLD,
     lambda f: (f.status == Status.ACHIEVED.value) & f.usable & ~f.projected_meets
     & (np.nan_to_num(f.p_meet, nan=1) < config.OFF_TRACK_P_MEET)),
    (WarningCode.VOLATILE, lambda f: f.volatile),
    (WarningCode.REGRESSING, lambda f: f.moving_away & f.usable),
    (WarningCode.STALE_DATA, lambda f: f.usable & (f.age >= config.STALE_AFTER)),
    (WarningCode.SERIES_BREAK, lambda f: f.usable & f.breaks),
)

#: (level, rule(facts, warned)), most severe first; ``warned``: the row carries some warning.
LEVEL_RULES: tuple[tuple[Level, Callable[[WarningFacts, np.ndarray], np.ndarray]], ...] = (
    (Level.RED, lambda f, w: (f.status == Status.REGRESSING.value) | (
        (f.status != Status.ACHIEVED.value) & f.usable & (np.nan_to_num(f.p_meet, nan=1) < config.RED_P_MEET))),
    (Level.YELLOW, lambda f, w: w | (f.status == Status.ACCELERATION_NEEDED.value)
        | (f.status == Status.INSUFFICIENT_DATA.value)),
    (Level.GREEN, lambda f, w: np.ones(len(w), dtype=bool)),
)


def warning_patterns(facts: WarningFacts) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the index of its ``;``-joined warning codes in the returned labels (each distinct
    pattern of the rules that hold joined once, in table order)."""
    k = len(facts.status)
    bits = np.zeros(k, dtype=np.int64)
    for i, (_, rule) in enumerate(WARNING_RULES):
        bits |= np.asarray(rule(facts), dtype=bool).astype(np.int64) << i
    if len(WARNING_RULES) <= 16:  # the distinct patterns by counting, as np.unique gives them
        patterns = np.flatnonzero(np.bincount(bits, minlength=1 << len(WARNING_RULES)))
        rank = np.zeros(1 << len(WARNING_RULES), dtype=np.intp)
        rank[patterns] = np.arange(len(patterns))
        index = rank[bits]
    else:
        patterns, index = np.unique(bits, return_inverse=True)
    joined = np.array([";".join(code.value for i, (code, _) in enumerate(WARNING_RULES) if p >> i & 1)
                       for p in patterns.tolist()] or [""], dtype=object)
    return index.reshape(-1), joined


def warning_codes(facts: WarningFacts) -> np.ndarray:
    """``;``-joined warning codes per row (an object array)."""
    index, joined = warning_patterns(facts)
    return joined[index] if len(index) else np.full(0, "", dtype=object)


#: Every warning level; :func:`level_codes` gives positions in this tuple.
LEVEL_CODES = tuple(lv.value for lv in Level)


def level_codes(facts: WarningFacts, warned: np.ndarray) -> np.ndarray:
    """Warning level per row as its position in :data:`LEVEL_CODES`: the first rule that holds
    (``warned``: whether the row carries a warning)."""
    k = len(warned)
    out = np.full(k, LEVEL_CODES.index(Level.GREEN.value), dtype=np.int8)
    open_ = np.ones(k, dtype=bool)
    for level, rule in LEVEL_RULES:
        hit = open_ & np.asarray(rule(facts, warned), dtype=bool)
        out[hit] = LEVEL_CODES.index(level.value)
        open_ &= ~hit
    return out


def warning_level(facts: WarningFacts, codes: np.ndarray) -> np.ndarray:
    """Warning level per row (an object array): the first rule of :data:`LEVEL_RULES` that holds."""
    return np.asarray(LEVEL_CODES, dtype=object)[level_codes(facts, np.asarray(codes) != "")]


def volatile(panel: SeriesPanel, fit: TrendFit, change: np.ndarray | None = None,
             observed: Observed | None = None) -> np.ndarray:
    """Year-to-year noise (:func:`local_noise_sd`) larger than a year of the fit's trend change and
    than 2 % of the level (``change``: ``fit.annual_change()``, ``observed``: where the panel has
    values, when already worked out)."""
    observed = observed if observed is not None else Observed(panel.values)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        sd = local_noise_sd(panel, observed)
        count = np.maximum(observed.count, 1)
        size = np.abs(panel.values)
        np.copyto(size, 0.0, where=observed.missing)  # |x| is NaN where x is: np.nansum's values
        level = size.sum(axis=1) / count
        trend = np.abs(fit.annual_change() if change is None else change)
        return (sd / np.maximum(level, 1e-12) > config.VOLATILE_MIN_REL) & (sd > config.VOLATILE_RATIO * trend)


def local_noise_sd(panel: SeriesPanel, observed: Observed) -> np.ndarray:
    """Each series' year-to-year noise, from second divided differences of its consecutive values
    (the variate-difference method): a smooth path, straight or curving toward a ceiling, has
    none, whatever line is fitted to it; a zigzag has its own size. With unit spacing
    ``y₂ − 2y₁ + y₀`` has variance 6σ²; gaps weight each difference by its own variance."""
    values = panel.values
    k, J = values.shape
    if J < 3:
        return np.full(k, np.nan)
    years = panel.years.astype(float)
    if not np.all(np.diff(years) == 1):
        return _divided_noise_sd(values, years, observed.mask)
    # consecutive years: a series without a gap inside its span needs only the columns' differences
    with np.errstate(invalid="ignore", divide="ignore"):
        d2 = values[:, 2:] - 2 * values[:, 1:-1]
        d2 += values[:, :-2]
        seen = ~np.isnan(d2)
        np.square(d2, out=d2)
        np.copyto(d2, 0.0, where=~seen)
        sd = np.sqrt(d2.sum(axis=1) / (6 * row_counts(seen)))
    (first, _), (last, _) = observed.first, observed.last
    gapped = np.flatnonzero(observed.count < last - first + 1)
    if len(gapped):
        sd[gapped] = _divided_noise_sd(values[gapped], years, observed.mask[gapped])
    return sd


def _divided_noise_sd(values: np.ndarray, years: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """:func:`local_noise_sd` of rows with gaps or of unevenly spaced years: each observed value
    with the two observed before it (running maxima of observed positions)."""
    k, J = values.shape
    before = np.empty((k, J), dtype=np.int32)
    before[:, 0] = -1
    np.maximum.accumulate(np.where(mask[:, :-1], np.arange(J - 1, dtype=np.int32), -1), axis=1, out=before[:, 1:])
    before2 = np.take_along_axis(before, np.maximum(before, 0), axis=1)
    valid = mask & (before >= 0) & (before2 >= 0)
    i1, i0 = np.maximum(before, 0), np.maximum(before2, 0)
    y1, y0 = np.take_along_axis(values, i1, axis=1), np.take_along_axis(values, i0, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = 1 / (years[i1] - years[i0]), 1 / (years[None, :] - years[i1])  # inf where no earlier year: not valid
        d2 = (values - y1) * b - (y1 - y0) * a
        weight = a * a + (a + b) ** 2 + b * b
        ss = np.where(valid, d2 * d2, 0.0).sum(axis=1)
        return np.sqrt(ss / np.where(valid, weight, 0.0).sum(axis=1))


def _nanmean_rows(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Mean of each row's values that are not NaN (``n`` of them; NaN for none)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isnan(a), 0.0, a).sum(axis=1) / np.where(n > 0, n, np.nan)


def row_nanmedian(a: np.ndarray, n: np.ndarray | None = None) -> np.ndarray:
    """``np.nanmedian(a, axis=1)`` by one sort (NaNs sort last); NaN for an all-NaN row
    (``n``: the values of every row that are not NaN, when already counted)."""
    if not a.shape[1]:
        return np.full(a.shape[0], np.nan)
    s = np.sort(a, axis=1)
    n = row_counts(~np.isnan(a)) if n is None else n
    rows = np.arange(a.shape[0])
    lo, hi = np.maximum((n - 1) // 2, 0), np.maximum(n // 2, 0)
    return np.where(n > 0, (s[rows, lo] + s[rows, hi]) / 2, np.nan)


def series_breaks(panel: SeriesPanel, observed: Observed | None = None) -> np.ndarray:
    """Whether a series has a year-to-year jump far outside its own variation.

    Changes per year between consecutive values are compared with their median; a change more
    than ``SERIES_BREAK_Z`` robust SDs (1.4826 × MAD) away, and larger than
    ``SERIES_BREAK_MIN_REL`` of the median level, is a break. Needs ``SERIES_BREAK_MIN_POINTS``.
    ``observed``: where the panel has values, when already worked out.
    """
    values = panel.values
    observed = observed if observed is not None else Observed(values)
    k = values.shape[0]
    n = observed.count
    out = np.zeros(k, dtype=bool)
    rows = np.flatnonzero(n >= config.SERIES_BREAK_MIN_POINTS)  # the others cannot have a break
    if values.shape[1] < 2 or not len(rows):
        return out
    mask = observed.mask
    if len(rows) < k:
        values, mask = values[rows], mask[rows]
    changes = _changes(values, panel.years.astype(float), mask)
    with np.errstate(invalid="ignore", all="ignore"):
        if not np.isfinite(changes).any():
            return out
        n_changes = row_counts(~np.isnan(changes))
        med = row_nanmedian(changes, n_changes)
        dev = np.abs(changes - med[:, None])
        if config.SERIES_BREAK_Z > 0:
            # a deviation is NaN where its change is, unless an infinite median meets an infinite change
            may = _may_pass_z(dev, n_changes if np.isfinite(med[n_changes > 0]).all() else None)
            if not may.all():
                rows, values, dev = rows[may], values[may], dev[may]
        counted = row_counts(~np.isnan(dev))
        mad = robust_sd(row_nanmedian(dev), _nanmean_rows(dev, counted), counted)
        # the floor is never below the MAD: only a row with a change beyond Z MADs can break,
        # and only those rows need their level
        near = row_counts(dev > config.SERIES_BREAK_Z * mad[:, None]) > 0
        if config.SERIES_BREAK_Z >= 0 and not near.all():
            rows, values, dev, mad = rows[near], values[near], dev[near], mad[near]
        level = row_nanmedian(np.abs(values))
        floor = np.maximum(mad, 1e-9 * np.maximum(level, 1.0))
        big = (dev > config.SERIES_BREAK_Z * floor[:, None]) & (dev > config.SERIES_BREAK_MIN_REL * level[:, None])
    out[rows] = big.any(axis=1)
    return out


def _may_pass_z(dev: np.ndarray, count: np.ndarray | None = None) -> np.ndarray:
    """Per row of absolute deviations from the median: False where surely no deviation lies
    beyond ``SERIES_BREAK_Z`` robust SDs (1.4826 × their median), told without a sort.

    A deviation beyond Z robust SDs needs the median below the largest deviation over 1.4826·Z,
    so the lower middle deviation below it, so at least that many deviations below it; a row
    with fewer cannot pass. The cut is widened by 1e-9 so that rounding never leaves out a row
    that passes.
    """
    top = row_fmax(dev)  # NaNs left out
    cut = top / (1.4826 * config.SERIES_BREAK_Z) * (1 + 1e-9)
    # the lower middle one, counting from 0 (``count``: the deviations that are not NaN, when known)
    middle = ((row_counts(~np.isnan(dev)) if count is None else count) - 1) // 2
    return row_counts(dev < cut[:, None]) > middle


def _changes(values: np.ndarray, years: np.ndarray, observed: np.ndarray | None = None) -> np.ndarray:
    """Change per year from each value to the next one of its row (NaN where a year has no value
    or no earlier one): column ``j`` is the change into ``years[j + 1]`` (``observed``:
    ``~np.isnan(values)``, when already worked out).

    Neighbouring values give it by one difference; only a value after a gap looks back, step by
    step, to the last value before the gap.
    """
    observed = ~np.isnan(values) if observed is None else observed
    apart = years[1:] - years[:-1]
    with np.errstate(invalid="ignore"):
        step = values[:, 1:] - values[:, :-1]  # NaN where either is missing
        if not (apart == 1).all():  # a change over one year is the difference itself
            step /= apart
    after_gap = np.flatnonzero(observed[:, 1:] & ~observed[:, :-1])  # into years[c + 1], years[c] missing
    if not len(after_gap):
        return step
    r, c = np.divmod(after_gap, values.shape[1] - 1)
    before = c - 1
    while True:  # as many rounds as the longest gap is long
        back = np.flatnonzero(before >= 0)
        back = back[~observed[r[back], before[back]]]
        if not len(back):
            break
        before[back] -= 1
    ok = before >= 0
    r, c, before = r[ok], c[ok], before[ok]
    with np.errstate(invalid="ignore"):
        step[r, c] = (values[r, c + 1] - values[r, before]) / (years[c + 1] - years[before])
    return step
