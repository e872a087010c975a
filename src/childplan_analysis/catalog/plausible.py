"""Plausible target levels of an indicator, taken from the reviewed catalogs' own targets.

A copy that lost its ‰ signs writes a mortality rate of 5‰ as ``5%``: read as written that is
50‰, ten times the level. The two readings of such a value differ tenfold, so a window that
spans less than that around the levels reviewed plans aim at (``SPREAD`` each side of their
lowest and highest target, with ``SPREAD`` below √10) holds at most one of them when the
reviewed levels agree; the grammar keeps the value as written unless only the other reading
falls inside.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from childplan_analysis.core.config import INDICATORS_FILE, PARAMS_DIR
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.targets import LEVEL_COMPARATORS, Comparator
from childplan_analysis.core.units import conversion_factor

#: How far below the lowest and above the highest reviewed target a level is still plausible.
SPREAD = 3.0


@lru_cache(maxsize=4)
def plausible_levels(folder: Path = PARAMS_DIR) -> dict[str, tuple[float, float]]:
    """Indicator id → (low, high) plausible target level in the indicator's unit, from the
    level targets of every catalog in ``folder``; indicators without such a target are absent."""
    indicators = load_indicators(folder / INDICATORS_FILE.name)
    levels: dict[str, list[float]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == INDICATORS_FILE.name:
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for t in raw.get("targets") or []:
            ind = indicators.by_id.get(str(t.get("indicator")))
            value, comparator = t.get("value"), str(t.get("comparator"))
            if ind is None or not isinstance(value, int | float) or comparator not in _LEVEL_VALUES:
                continue
            factor = conversion_factor(t.get("unit"), ind.unit)
            if factor is not None and value > 0:
                levels.setdefault(ind.id, []).append(float(value) * factor)
    return {k: (min(v) / SPREAD, max(v) * SPREAD) for k, v in levels.items()}


#: Comparators whose value is a level of the indicator (not a change in per cent).
_LEVEL_VALUES = frozenset(
    c.value for c in LEVEL_COMPARATORS
    if c not in (Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT)
)


def is_plausible(indicator_id: str, value: float) -> bool | None:
    """Whether ``value`` (in the indicator's unit) is a plausible target level; None when the
    reviewed catalogs give no level of that indicator."""
    window = plausible_levels().get(indicator_id)
    if window is None:
        return None
    return window[0] <= value <= window[1]
