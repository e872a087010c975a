"""A target the plan states twice — a goal in the text and again as a row of its 主要指标
table — kept once, with what each statement adds (the row's 约束性/预期性, its 责任单位 and its
base-year value; the text's comparator word).

Two statements are one target when they name the same indicator, year and values and either
the same comparator (a relative change's base year written in one of them only) or comparators
on the same side where one was assumed, not written (a table cell ``92`` beside the text's
``保持在92%以上``). The written comparator is kept; otherwise the first statement.
"""

from __future__ import annotations

from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.core.targets import Comparator as C

#: Comparators of a floor and of a ceiling: a row's assumed one restates the text's.
_SIDES = (frozenset({C.GE, C.GT, C.MAINTAIN_GE}), frozenset({C.LE, C.LT, C.MAINTAIN_LE}))
ASSUMED = "assumed_comparator"


def _same_target(a: ParsedTarget, b: ParsedTarget) -> bool:
    if a.indicator is None or (a.indicator, a.year, a.value, a.value_high) != (b.indicator, b.year, b.value, b.value_high):
        return False
    if a.quoted_from != b.quoted_from or (a.baseline_year not in (None, b.baseline_year) and b.baseline_year is not None):
        return False
    if a.comparator == b.comparator:
        return True
    assumed = ASSUMED in a.flags or ASSUMED in b.flags
    return assumed and any(a.comparator in side and b.comparator in side for side in _SIDES)


def with_statement(kept: ParsedTarget, other: ParsedTarget) -> ParsedTarget:
    """``kept`` with what only ``other`` states: attribute, responsible units, base year and value."""
    update: dict = {}
    if kept.attribute is None and other.attribute is not None:
        update["attribute"] = other.attribute
    if not kept.responsible and other.responsible:
        update["responsible"] = list(other.responsible)
    if kept.stated_baseline is None and other.stated_baseline is not None:
        update["stated_baseline"] = other.stated_baseline
    if kept.baseline_year is None and other.baseline_year is not None:
        update["baseline_year"] = other.baseline_year
    return kept.model_copy(update=update) if update else kept


def merged_restatements(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """``targets`` with each target stated twice kept once (see the module docstring), in the
    order of the statement kept. Only statements of one indicator, year and values are compared."""
    out: list[ParsedTarget | None] = []
    kept: dict[tuple, list[int]] = {}  # (indicator, year, values) → positions in ``out``
    for t in targets:
        key = (t.indicator, t.year, t.value, t.value_high)
        k = next((k for k in kept.get(key, ()) if out[k] is not None and _same_target(out[k], t)), None)
        if k is None:
            kept.setdefault(key, []).append(len(out))
            out.append(t)
            continue
        first = out[k]
        if ASSUMED in first.flags and ASSUMED not in t.flags:  # the written comparator wins
            out[k] = None
            kept[key].append(len(out))
            out.append(with_statement(t, first))
        else:
            out[k] = with_statement(first, t)
    return [t for t in out if t is not None]
