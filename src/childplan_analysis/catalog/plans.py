"""Plan catalogs: schema, loading and validation.

A catalog is one YAML file per plan (see ``docs/plan-format.md``). ``load_plan`` validates
it with pydantic and reports every problem with its YAML path, e.g. ``targets[3].year``.

Target ids and the region name are normalised (NFKC, invisible characters removed): ids that
then differ only by letter case are an error naming both; a region spelling that changed gives
a :class:`PlanWarning`. Loading takes time linear in the file's size, which is limited to
``config.MAX_PLAN_BYTES``.
"""

from __future__ import annotations

import unicodedata
import warnings
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from childplan_analysis.core import config
from childplan_analysis.core.errors import PlanError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.strict_yaml import load_yaml
from childplan_analysis.core.targets import Target
from childplan_analysis.core.text import zh_en
from childplan_analysis.core.units import canonical_unit, conversion_factor

Level = Literal["national", "province", "city", "county"]

#: Unknown indicators reported with close matches (the rest without: each search costs time).
MAX_SUGGESTIONS = 20


class PlanWarning(UserWarning):
    """A plan catalog was read with a change worth checking (e.g. a region spelling)."""


def normalize_text(text: str) -> str:
    """NFKC (full-width letters and digits as half-width), invisible format characters (zero-width
    spaces and joiners, BOM, soft hyphen, direction marks) removed, outer spaces stripped."""
    if text.isascii():  # NFKC leaves ASCII as it is, and ASCII has no format characters
        return text.strip()
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


class Plan(BaseModel):
    """A development plan and its targets."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    region: str
    level: Level
    period: tuple[int, int]
    parent: str | None = None
    source: str | None = None
    population: Literal["children", "women"] = "children"
    targets: list[Target] = Field(min_length=1)
    #: Targets read from the plan text whose indicator is not (yet) in the dictionary, kept
    #: with their phrase for review; not assessed.
    unresolved: list[dict] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Plan:
        seen: dict[str, int] = {}
        for i, t in enumerate(self.targets):
            if t.id in seen:
                raise ValueError(f"duplicate target id {t.id!r} (targets[{seen[t.id]}] and targets[{i}])")
            seen[t.id] = i
        return self

    def target(self, target_id: str) -> Target:
        """The target with id ``target_id``."""
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(target_id)

    @property
    def indicators(self) -> list[str]:
        """Indicator ids used by the plan, in catalog order."""
        return list(dict.fromkeys(t.indicator for t in self.targets))


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "<root>"


def load_plan(path: str | Path, indicators: IndicatorDictionary | None = None) -> Plan:
    """Read and validate a plan catalog.

    Indicator names are resolved through the dictionary (ids or Chinese aliases) and
    target values in a rate unit other than the indicator's (e.g. % for a ‰ indicator)
    are converted. Raises :class:`PlanError` listing every problem with its YAML path.
    """
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanError(file, [("<file>", "file not found")]) from None
    if size > config.MAX_PLAN_BYTES:
        raise PlanError(file, [("<file>", f"{size / 2**20:.1f} MB, larger than the {config.MAX_PLAN_BYTES / 2**20:g} MB "
                                          "a plan catalog may have (config.MAX_PLAN_BYTES)")])
    try:
        with open(path, encoding="utf-8") as fh:
            raw = load_yaml(fh)
    except FileNotFoundError:
        raise PlanError(file, [("<file>", "file not found")]) from None
    except yaml.YAMLError as exc:
        raise PlanError(file, [("<yaml>", f"not valid YAML: {exc}")]) from None
    except UnicodeDecodeError:
        raise PlanError(file, [("<file>", _not_utf8_message(path))]) from None
    if not isinstance(raw, dict):
        raise PlanError(file, [("<root>", "expected a mapping with keys id, title, targets, …")])
    return plan_from_dict(raw, file=file, indicators=indicators)


def _not_utf8_message(path: Path) -> str:
    try:
        path.read_bytes().decode("gb18030")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    return "not UTF-8 text (looks like GBK/GB18030; save the file as UTF-8)"


def plan_from_dict(
    raw: dict, file: str = "<memory>", indicators: IndicatorDictionary | None = None
) -> Plan:
    """Validate a plan given as a dict (see :func:`load_plan`)."""
    raw = _normalized(raw, file)
    if isinstance(raw, dict) and raw.get("targets") in (None, []):
        waiting = raw.get("unresolved") or []
        raise PlanError(file, [("targets", zh_en(
            "目标清单中没有目标" + (f"；`unresolved:` 下有 {len(waiting)} 条待确认：补全其指标后移到 `targets:` 下"
                              if waiting else ""),
            "the catalog has no targets" + (f"; {len(waiting)} wait under `unresolved:`: complete their "
                                           "indicator and move them under `targets:`" if waiting else "")))])
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        problems = [(_loc(e["loc"]), e["msg"].removeprefix("Value error, ")) for e in exc.errors()]
        raise PlanError(file, problems) from None
    indicators = indicators or load_indicators()
    problems: list[tuple[str, str]] = []
    targets: list[Target] = []
    # a catalog names few indicators and units, many times over: each looked up once per call
    found, units, factors = cache(indicators.find), cache(canonical_unit), cache(conversion_factor)
    hints: dict[str, list[str]] = {}
    for i, t in enumerate(plan.targets):
        ind = found(t.indicator)
        if ind is None:
            if t.indicator not in hints and len(hints) < MAX_SUGGESTIONS:
                hints[t.indicator] = indicators.suggest(t.indicator)
            hint = hints.get(t.indicator)
            msg = f"unknown indicator {t.indicator!r}" + (f"; close matches: {', '.join(hint)}" if hint else "")
            problems.append((f"targets[{i}].indicator", msg))
            continue
        update: dict = {"indicator": ind.id, "domain": t.domain or ind.domain}
        unit = units(t.unit)
        if unit and unit != ind.unit and t.comparator.value not in _UNITLESS:
            factor = factors(unit, ind.unit)
            if factor is None:
                problems.append(
                    (f"targets[{i}].unit", f"unit {t.unit!r} cannot be converted to {ind.unit!r} ({ind.id})")
                )
                continue
            update.update(
                value=None if t.value is None else t.value * factor,
                value_high=None if t.value_high is None else t.value_high * factor,
                tolerance=None if t.tolerance is None else t.tolerance * factor,
                baseline_value=None if t.baseline_value is None else t.baseline_value * factor,
            )
        base = update.get("baseline_value", t.baseline_value)
        if base is not None and (problem := _outside_bounds(base, ind.bounds, ind.unit)):
            problems.append((f"targets[{i}].baseline_value", problem))
            continue
        update["unit"] = "%" if t.comparator.value in _PERCENT_CHANGE else ind.unit
        targets.append(t.model_copy(update=update))
    if problems:
        raise PlanError(file, problems)
    return plan.model_copy(update={"targets": targets})


def _outside_bounds(value: float, bounds: tuple[float | None, float | None], unit: str) -> str | None:
    """Why a stated baseline value cannot be the indicator's (outside its natural bounds), or None."""
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{'-∞' if low is None else f'{low:g}'} … {'∞' if high is None else f'{high:g}'}"
        return f"baseline_value {value:g} is outside the indicator's bounds {span} {unit}".rstrip()
    return None


def _normalized(raw: dict, file: str) -> dict:
    """``raw`` with target ids and the region normalised (:func:`normalize_text`).

    Raises :class:`PlanError` for ids that differ only by letter case or invisible characters
    (identical ids are left to the duplicate check); warns when the region spelling changed.
    """
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    region = raw.get("region")
    if isinstance(region, str) and normalize_text(region) != region:
        out["region"] = normalize_text(region)
        warnings.warn(f"{file}: region {region!r} read as {out['region']!r} "
                      "(full-width/half-width forms unified, invisible characters removed)",
                      PlanWarning, stacklevel=3)
    targets = raw.get("targets")
    if not isinstance(targets, list):
        return out
    first: dict[str, tuple[int, str]] = {}
    problems: list[tuple[str, str]] = []
    normalized = []
    for i, t in enumerate(targets):
        if not (isinstance(t, dict) and isinstance(t.get("id"), str)):
            normalized.append(t)
            continue
        tid = normalize_text(t["id"])
        key = tid.casefold()
        if key in first and first[key][1] != t["id"]:
            j, other = first[key]
            problems.append((f"targets[{i}].id", f"target ids {other!r} (targets[{j}].id) and {t['id']!r} "
                             f"(targets[{i}].id) differ only by letter case or invisible characters"))
        first.setdefault(key, (i, t["id"]))
        normalized.append(t if tid == t["id"] else {**t, "id": tid})
    if problems:
        raise PlanError(file, problems)
    out["targets"] = normalized
    return out


#: Comparators whose value is a percentage change, not a level in the indicator's unit.
_UNITLESS = {
    "relative_decrease_pct",
    "relative_increase_pct",
    "annual_decrease_pct",
    "annual_increase_pct",
    "decrease",
    "increase",
    "maintain",
}


#: Comparators whose value is a percentage change.
_PERCENT_CHANGE = {"relative_decrease_pct", "relative_increase_pct", "annual_decrease_pct", "annual_increase_pct"}


def load_plans(folder: str | Path) -> list[Plan]:
    """Every plan catalog in ``folder`` (``*.yaml`` except ``indicators.yaml``), sorted by id."""
    folder = Path(folder)
    plans = [load_plan(p) for p in sorted(folder.glob("*.yaml")) if p.name != "indicators.yaml"]
    return sorted(plans, key=lambda p: p.id)
