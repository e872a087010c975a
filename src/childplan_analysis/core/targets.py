"""The Target model and its comparators.

A comparator says what "met" means for the value of the indicator in the target year
(see ``docs/plan-format.md``):

========================  ===========================================================
``<=`` / ``<``            value ≤ / < ``value``                       (以下, 不超过 / 低于)
``>=`` / ``>``            value ≥ / > ``value``                       (以上, 达到, 不低于 / 高于)
``maintain_ge``           ≥ ``value`` in the target year and every later observed year (达到并保持在…以上)
``maintain_le``           ≤ ``value`` likewise                        (控制并保持在…以下)
``around``                within ``tolerance`` of ``value`` (default ±5 % relative) (左右)
``range``                 ``value`` ≤ v ≤ ``value_high``             (…至…之间)
``decrease`` / ``increase``  the trend falls / rises                  (持续下降 / 逐步提高)
``maintain``              not worse than the baseline-year value      (巩固, 保持稳定)
``relative_decrease_pct`` ≤ baseline × (1 − value/100)               (以2020年为基数下降20%)
``relative_increase_pct`` ≥ baseline × (1 + value/100)
``annual_decrease_pts``   falls by ≥ ``value`` points a year          (每年下降0.5~1个百分点)
``annual_increase_pts``   rises by ≥ ``value`` points a year
``annual_decrease_pct``   falls by ≥ ``value`` % a year (compound)    (年均下降3%)
``annual_increase_pct``   rises by ≥ ``value`` % a year (compound)    (年均提高6%以上)
========================  ===========================================================
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from childplan_analysis.core.config import AROUND_TOLERANCE


class Comparator(StrEnum):
    """What "met" means for a target (see the module docstring)."""

    LE = "<="
    LT = "<"
    GE = ">="
    GT = ">"
    MAINTAIN_GE = "maintain_ge"
    MAINTAIN_LE = "maintain_le"
    AROUND = "around"
    RANGE = "range"
    DECREASE = "decrease"
    INCREASE = "increase"
    MAINTAIN = "maintain"
    RELATIVE_DECREASE_PCT = "relative_decrease_pct"
    RELATIVE_INCREASE_PCT = "relative_increase_pct"
    ANNUAL_DECREASE_PTS = "annual_decrease_pts"
    ANNUAL_INCREASE_PTS = "annual_increase_pts"
    ANNUAL_DECREASE_PCT = "annual_decrease_pct"
    ANNUAL_INCREASE_PCT = "annual_increase_pct"


#: Comparators that bound the level of the indicator in the target year.
LEVEL_COMPARATORS = frozenset(
    {
        Comparator.LE,
        Comparator.LT,
        Comparator.GE,
        Comparator.GT,
        Comparator.MAINTAIN_GE,
        Comparator.MAINTAIN_LE,
        Comparator.AROUND,
        Comparator.RANGE,
        Comparator.RELATIVE_DECREASE_PCT,
        Comparator.RELATIVE_INCREASE_PCT,
    }
)
#: Comparators judged on the direction of the trend.
DIRECTION_COMPARATORS = frozenset({Comparator.DECREASE, Comparator.INCREASE, Comparator.MAINTAIN})
#: Comparators judged on the observed annual rate of change.
RATE_COMPARATORS = frozenset(
    {
        Comparator.ANNUAL_DECREASE_PTS,
        Comparator.ANNUAL_INCREASE_PTS,
        Comparator.ANNUAL_DECREASE_PCT,
        Comparator.ANNUAL_INCREASE_PCT,
    }
)
NEEDS_VALUE = LEVEL_COMPARATORS | RATE_COMPARATORS
NEEDS_BASELINE = frozenset(
    {Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT}
)


class Target(BaseModel):
    """One quantitative target of a plan, traceable to its clause."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, allow_inf_nan=False)

    id: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    domain: str | None = None
    comparator: Comparator
    value: float | None = None
    value_high: float | None = None
    tolerance: float | None = Field(default=None, ge=0)
    unit: str | None = None
    year: int = Field(ge=2000, le=2100)
    baseline_year: int | None = Field(default=None, ge=1990, le=2100)
    #: The indicator's value in ``baseline_year`` as the plan states it (``2020年基数``, ``由2020年的88%``):
    #: in ``unit`` for a level target, in the indicator's unit for any other.
    baseline_value: float | None = None
    attribute: Literal["binding", "expected"] | None = None
    responsible: list[str] = Field(default_factory=list)
    article: str | None = None
    clause: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _check_consistency(self) -> Target:
        c = self.comparator
        if c in NEEDS_VALUE and self.value is None:
            raise ValueError(f"comparator {c.value!r} needs a value")
        if c == Comparator.RANGE:
            if self.value_high is None:
                raise ValueError("comparator 'range' needs value_high")
            if self.value_high < self.value:
                raise ValueError("value_high is below value")
        if c in NEEDS_BASELINE and self.baseline_year is None:
            raise ValueError(f"comparator {c.value!r} needs baseline_year")
        if self.baseline_year is not None and self.baseline_year >= self.year:
            raise ValueError("baseline_year must be before year")
        if self.baseline_value is not None and self.baseline_year is None:
            raise ValueError("baseline_value needs baseline_year (the year the plan states it for)")
        return self

    @property
    def around_tolerance(self) -> float:
        """Absolute tolerance of an ``around`` target."""
        if self.tolerance is not None:
            return self.tolerance
        return abs(self.value or 0.0) * AROUND_TOLERANCE

    def level_bounds(self, baseline_value: float | None = None) -> tuple[float, float]:
        """Interval ``(low, high)`` the target-year value must fall in (level comparators).

        Strict comparators (``<``, ``>``) use the same bound as their non-strict forms:
        with continuous predictive distributions the difference has probability zero,
        and an observed value equal to the bound is treated as not met (see ``meets``).
        """
        inf = float("inf")
        c, v = self.comparator, self.value
        if c in (Comparator.LE, Comparator.LT, Comparator.MAINTAIN_LE):
            return (-inf, v)
        if c in (Comparator.GE, Comparator.GT, Comparator.MAINTAIN_GE):
            return (v, inf)
        if c == Comparator.AROUND:
            return (v - self.around_tolerance, v + self.around_tolerance)
        if c == Comparator.RANGE:
            return (v, self.value_high)
        if c in NEEDS_BASELINE:
            if baseline_value is None:
                raise ValueError("relative target needs the baseline-year value")
            if c == Comparator.RELATIVE_DECREASE_PCT:
                return (-inf, baseline_value * (1 - v / 100))
            return (baseline_value * (1 + v / 100), inf)
        raise ValueError(f"{c.value!r} is not a level comparator")

    def meets(self, x: float, baseline_value: float | None = None) -> bool:
        """Whether a single value ``x`` satisfies a level target."""
        lo, hi = self.level_bounds(baseline_value)
        if self.comparator == Comparator.LT:
            return x < hi
        if self.comparator == Comparator.GT:
            return x > lo
        return lo <= x <= hi

    @property
    def desired_direction(self) -> int:
        """+1 if the indicator should rise to meet the target, -1 if fall, 0 if either."""
        c = self.comparator
        if c in (
            Comparator.LE,
            Comparator.LT,
            Comparator.MAINTAIN_LE,
            Comparator.DECREASE,
            Comparator.RELATIVE_DECREASE_PCT,
            Comparator.ANNUAL_DECREASE_PTS,
            Comparator.ANNUAL_DECREASE_PCT,
        ):
            return -1
        if c in (
            Comparator.GE,
            Comparator.GT,
            Comparator.MAINTAIN_GE,
            Comparator.INCREASE,
            Comparator.RELATIVE_INCREASE_PCT,
            Comparator.ANNUAL_INCREASE_PTS,
            Comparator.ANNUAL_INCREASE_PCT,
        ):
            return 1
        return 0

    def describe(self, lang: str = "zh") -> str:
        """A short human-readable statement of the target."""
        c, v, u = self.comparator, self.value, self.unit or ""
        if u.startswith("1/"):  # 12/10万, not 121/10万
            u = u[1:]
        fmt = _fmt
        zh = {
            Comparator.LE: f"≤{fmt(v)}{u}",
            Comparator.LT: f"<{fmt(v)}{u}",
            Comparator.GE: f"≥{fmt(v)}{u}",
            Comparator.GT: f">{fmt(v)}{u}",
            Comparator.MAINTAIN_GE: f"达到并保持≥{fmt(v)}{u}",
            Comparator.MAINTAIN_LE: f"控制并保持≤{fmt(v)}{u}",
            Comparator.AROUND: f"{fmt(v)}{u}左右",
            Comparator.RANGE: f"{fmt(v)}–{fmt(self.value_high)}{u}",
            Comparator.DECREASE: "持续下降",
            Comparator.INCREASE: "持续提高",
            Comparator.MAINTAIN: "保持巩固",
            Comparator.RELATIVE_DECREASE_PCT: f"以{self.baseline_year}年为基数下降{fmt(v)}%",
            Comparator.RELATIVE_INCREASE_PCT: f"以{self.baseline_year}年为基数提高{fmt(v)}%",
            Comparator.ANNUAL_DECREASE_PTS: f"每年下降{_span(v, self.value_high)}个百分点",
            Comparator.ANNUAL_INCREASE_PTS: f"每年提高{_span(v, self.value_high)}个百分点",
            Comparator.ANNUAL_DECREASE_PCT: f"年均下降{_span(v, self.value_high)}%",
            Comparator.ANNUAL_INCREASE_PCT: f"年均提高{_span(v, self.value_high)}%",
        }
        en = {
            Comparator.MAINTAIN_GE: f"reach and stay ≥{fmt(v)}{u}",
            Comparator.MAINTAIN_LE: f"keep ≤{fmt(v)}{u}",
            Comparator.AROUND: f"about {fmt(v)}{u}",
            Comparator.DECREASE: "keep falling",
            Comparator.INCREASE: "keep rising",
            Comparator.MAINTAIN: "consolidate",
            Comparator.RELATIVE_DECREASE_PCT: f"−{fmt(v)}% vs {self.baseline_year}",
            Comparator.RELATIVE_INCREASE_PCT: f"+{fmt(v)}% vs {self.baseline_year}",
            Comparator.ANNUAL_DECREASE_PTS: f"−{_span(v, self.value_high)} pts a year",
            Comparator.ANNUAL_INCREASE_PTS: f"+{_span(v, self.value_high)} pts a year",
            Comparator.ANNUAL_DECREASE_PCT: f"−{_span(v, self.value_high)}% a year",
            Comparator.ANNUAL_INCREASE_PCT: f"+{_span(v, self.value_high)}% a year",
        }
        text = en.get(c, zh[c]) if lang == "en" else zh[c]
        return f"{text} ({self.year})" if lang == "en" else f"{text}（{self.year}年）"


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


def _span(lo: float | None, hi: float | None) -> str:
    return _fmt(lo) if hi is None or hi == lo else f"{_fmt(lo)}~{_fmt(hi)}"
