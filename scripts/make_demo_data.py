"""Write synthetic demo data (合成演示数据) for every regional plan catalog in params/.

The seed regions publish no annual series, so the demo reports run on generated data:

* one CSV per region in ``data/demo/`` (plans of the same region share one file, so an
  indicator targeted by two plans has one series), years ``FIRST_YEAR``–``LAST_YEAR``;
* every indicator any of the region's plans targets, with breakdowns by sex (children's rate
  indicators), urban/rural (rate indicators) and, for city and province plans, by county /
  prefecture (real names of that city's or province's divisions where known);
* anchored on the values the plan texts state for 2020 (:data:`ANCHORS`), else on the national
  value (``data/national``), else placed relative to the plan's target;
* every indicator follows a scenario (:data:`SCENARIOS`): on track, already achieved, off track,
  regressing, volatile, stale (last year ``LAST_YEAR − 3``), a series break (level shift from
  ``BREAK_YEAR``, with a note) or widening urban–rural / county gaps; each region gets each
  scenario once where its targets allow, the rest at random; city regions also get one county
  below the target of an indicator the city as a whole has achieved (a hidden laggard);
* generation is checked against the engine: a series that does not raise the warning its
  scenario is meant to show is drawn again (fixed sequence of seeds), so the result is
  reproducible and every warning code appears.

Every row's ``来源`` says ``合成演示数据 (synthetic demo data, scripts/make_demo_data.py)``.

    python scripts/make_demo_data.py                # params/ → data/demo/
    python scripts/make_demo_data.py --plans params/x.yaml --out /tmp/demo --seed 7
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.indicators import Indicator, IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import (
    LEVEL_COMPARATORS,
    NEEDS_BASELINE,
    RATE_COMPARATORS,
    Target,
)
from childplan_analysis.core.units import RATE_SCALE
from childplan_analysis.engine.assess import WARNINGS, assess
from childplan_analysis.engine.disparity import disparities
from childplan_analysis.io.fileio import atomic_write_text
from childplan_analysis.models import default_family, inverse_transform, transform

SEED = 20221111
FIRST_YEAR, LAST_YEAR = 2015, 2024
ANCHOR_YEAR = 2020
BREAK_YEAR = 2021
SOURCE = "合成演示数据 (synthetic demo data, scripts/make_demo_data.py)"
BREAK_NOTE = f"{BREAK_YEAR}年起统计口径调整（合成演示数据）"
MAX_ATTEMPTS = 30
#: Scenarios every region should show once, most constrained first; the rest fill in.
REQUIRED_SCENARIOS = ("off_track", "regressing", "achieved", "volatile", "widening_gap", "stale_data",
                      "series_break", "on_track")
SCENARIOS = (*REQUIRED_SCENARIOS,)
FILL_WEIGHTS = {"on_track": 0.5, "achieved": 0.3, "off_track": 0.2}
#: The warning each scenario must raise (checked against the engine).
SCENARIO_WARNING = {"off_track": "off_track", "regressing": "regressing", "volatile": "volatile",
                    "stale_data": "stale_data", "series_break": "series_break", "widening_gap": "widening_gap"}

#: Values the plan texts state (region suffix, indicator name) → (year, value, quote).
ANCHORS: dict[tuple[str, str], tuple[int, float, str]] = {
    ("大渡口区", "新生儿死亡率"): (2020, 1.21, "截至2020年底,新生儿死亡率、婴儿死亡率和5岁以下儿童死亡率等指标分别下降至1.21‰、1.51‰和2.12‰"),
    ("大渡口区", "婴儿死亡率"): (2020, 1.51, "同上"),
    ("大渡口区", "5岁以下儿童死亡率"): (2020, 2.12, "同上"),
    ("大渡口区", "学前教育毛入园率"): (2020, 99.0, "学前教育毛入园率、九年义务教育巩固率、高中阶段毛入学率分别达到99%、100%、99.2%"),
    ("大渡口区", "九年义务教育巩固率"): (2020, 100.0, "同上"),
    ("大渡口区", "高中阶段毛入学率"): (2020, 99.2, "同上"),
    ("西岗区", "婴儿死亡率"): (2020, 3.6, "截至2020年底，全区婴儿死亡率控制在4‰以下（取3.6）"),
    ("西岗区", "5岁以下儿童死亡率"): (2020, 4.4, "儿童死亡率控制在5‰以下（取4.4）"),
    ("西岗区", "普惠性幼儿园在园幼儿占比"): (2020, 80.0, "普惠性幼儿园在园幼儿占比达到80%"),
    ("西岗区", "公办园在园幼儿占比"): (2020, 50.0, "公办幼儿园在园幼儿数占比达到50%"),
    ("西岗区", "学前教育毛入园率"): (2020, 99.0, "学前教育毛入园率提高至99%"),
    ("西岗区", "九年义务教育巩固率"): (2020, 100.0, "九年义务教育巩固率达到100%"),
}
#: Real divisions of the city / province regions (region suffix → names).
SUBREGIONS: dict[str, list[str]] = {
    "吉林市": ["昌邑区", "龙潭区", "船营区", "丰满区", "永吉县", "蛟河市", "桦甸市", "舒兰市", "磐石市"],
    "吉林省": ["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边朝鲜族自治州"],
}
GENERIC_SUBREGIONS = {"city": ["甲县", "乙县", "丙县", "丁县", "戊县"],
                      "province": ["甲市", "乙市", "丙市", "丁市", "戊市"]}
#: Level used when nothing else anchors an indicator, by unit.
DEFAULT_LEVEL = {"岁": 78.0, "小时": 1.5, "年": 10.0, "元": 1000.0, "分钟": 60.0, "平方米": 2.0}
#: Typical distance from the target, on each family's fitting scale.
STEP = {"loglinear": 0.25, "logit": 0.7, "linear": 0.12}
NOISE = {"loglinear": 0.012, "logit": 0.03, "linear": 0.008}
_HEADINGS = {"region": "地区", "indicator": "指标", "year": "年份", "value": "数值", "unit": "单位",
             "sex": "性别", "area": "城乡", "age_group": "年龄组", "subregion": "子区域", "source": "来源",
             "note": "备注"}
_SEX = {"male": "男", "female": "女", "total": ""}
_AREA = {"urban": "城镇", "rural": "农村", "total": ""}


@dataclass
class SeriesSpec:
    """How one indicator of one region is generated."""

    indicator: Indicator
    targets: list[Target]
    family: str
    upper: float
    anchor: float
    anchor_source: str
    anchor_fixed: bool
    direction: int
    bound: float | None
    target_year: int
    rate: float | None
    breakdown_sex: bool
    breakdown_area: bool
    scenario: str = "on_track"
    has_subregions: bool = False
    laggard: bool = False
    attempt: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def meets(self) -> bool:
        """Whether the anchor value already satisfies the primary level target."""
        if self.bound is None or self.direction == 0:
            return False
        return (self.anchor - self.bound) * self.direction >= 0

    def compatible(self, scenario: str) -> bool:
        if scenario in ("off_track", "on_track"):
            return not (self.anchor_fixed and self.meets) and self.direction != 0
        if scenario == "achieved":
            return self.bound is not None and self.direction != 0 and (self.meets or not self.anchor_fixed)
        if scenario == "regressing":
            return self.direction != 0
        if scenario == "widening_gap":
            return self.breakdown_area or self.has_subregions
        return True


# ------------------------------------------------------------------ specs


def build_specs(
    plans: list[Plan],
    indicators: IndicatorDictionary,
    national: pd.DataFrame,
) -> list[SeriesSpec]:
    """One spec per indicator targeted by any of ``plans`` (which share one region)."""
    region = plans[0].region
    by_indicator: dict[str, list[Target]] = {}
    for p in plans:
        for t in p.targets:
            by_indicator.setdefault(t.indicator, []).append(t)
    specs = []
    for ind_id, targets in by_indicator.items():
        ind = indicators.by_id[ind_id]
        primary = _primary_target(targets)
        family = default_family(ind.unit, ind.polarity, ind.bounds)
        rate = None
        if primary.comparator in RATE_COMPARATORS:
            family = "linear" if primary.comparator.value.endswith("_pts") else "loglinear"
            rate = float(primary.value or 0)
        upper = float(ind.bounds[1]) if ind.bounds[1] is not None else np.nan
        anchor, source, fixed = _anchor(region, ind, national)
        direction = primary.desired_direction or {"lower": -1, "higher": 1}.get(ind.polarity, 0)
        bound = None
        if primary.comparator in LEVEL_COMPARATORS and primary.comparator not in NEEDS_BASELINE:
            lo, hi = primary.level_bounds()
            if primary.desired_direction == 0:  # around / range: aim at the middle
                bound = (lo + hi) / 2
                direction = 1 if anchor is None or anchor < bound else -1
            else:
                bound = hi if primary.desired_direction < 0 else lo
        rate_unit = ind.unit in RATE_SCALE
        name = ind.name_zh
        specs.append(SeriesSpec(
            indicator=ind, targets=targets, family=family, upper=upper,
            anchor=np.nan if anchor is None else anchor, anchor_source=source, anchor_fixed=fixed,
            direction=int(direction), bound=bound, target_year=primary.year, rate=rate,
            breakdown_sex=rate_unit and ind.population == "children" and not any(w in name for w in ("男", "女", "孕")),
            breakdown_area=rate_unit and not any(w in name for w in ("城市", "农村", "城镇", "城乡", "乡村")),
        ))
    return specs


def _primary_target(targets: list[Target]) -> Target:
    """The target that shapes the series: a level target of the latest year, binding first."""
    def rank(t: Target) -> tuple:
        kind = 0 if t.comparator in LEVEL_COMPARATORS and t.comparator not in NEEDS_BASELINE else (
            1 if t.comparator in RATE_COMPARATORS else 2)
        return (kind, t.attribute != "binding", -t.year)
    return sorted(targets, key=rank)[0]


def _anchor(region: str, ind: Indicator, national: pd.DataFrame) -> tuple[float | None, str, bool]:
    for (suffix, name), (_, value, quote) in ANCHORS.items():
        if region.endswith(suffix) and (name == ind.name_zh or name in ind.aliases):
            return value, f"plan text: {quote}", True
    nat = national[national["indicator"] == ind.id] if len(national) else national
    if len(nat):
        row = nat.iloc[(nat["year"] - ANCHOR_YEAR).abs().argsort(kind="stable")[:1]].iloc[0]
        return float(row["value"]), f"national value {int(row['year'])} (data/national)", True
    return None, "placed relative to the target", False


def _default_level(ind: Indicator) -> float:
    low, high = ind.bounds
    if ind.unit in DEFAULT_LEVEL:
        return DEFAULT_LEVEL[ind.unit]
    if ind.unit in RATE_SCALE and high is not None:
        share = 0.7 if ind.polarity != "lower" else 0.08
        return float((low or 0) + share * (high - (low or 0))) if ind.unit == "%" else 0.005 * high
    return 10.0


# ------------------------------------------------------------------ scenarios


def assign_scenarios(specs: list[SeriesSpec], rng: np.random.Generator, subregions: bool) -> None:
    """Give each required scenario to one compatible indicator, then fill the rest at random."""
    for spec in specs:
        spec.has_subregions = subregions
    free = list(rng.permutation(len(specs)))
    for scenario in REQUIRED_SCENARIOS:
        pick = next((i for i in free if specs[i].compatible(scenario)), None)
        if pick is None:
            continue
        specs[pick].scenario = scenario
        free.remove(pick)
    for i in free:
        options = [s for s in FILL_WEIGHTS if specs[i].compatible(s)] or ["volatile"]
        weights = np.array([FILL_WEIGHTS.get(s, 1.0) for s in options])
        specs[i].scenario = str(rng.choice(options, p=weights / weights.sum()))
    if subregions:
        achieved = [s for s in specs if s.scenario == "achieved"]
        if achieved:
            achieved[0].laggard = True


# ------------------------------------------------------------------ series


def generate_series(spec: SeriesSpec, region: str, subregions: list[str], rng: np.random.Generator) -> pd.DataFrame:
    """Total and breakdown rows of one indicator following its scenario."""
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    if spec.scenario == "stale_data":
        years = years[years <= LAST_YEAR - config.STALE_AFTER]
    fam, up = spec.family, spec.upper
    step, noise_sd = STEP[fam], NOISE[fam]
    d = spec.direction or 1
    anchor = spec.anchor
    if np.isnan(anchor):
        anchor = _free_anchor(spec)
    if fam == "logit":
        anchor = min(max(anchor, up * 0.0004), up * 0.9996)
    if fam == "loglinear":
        anchor = max(anchor, 4e-4)
    scale = max(abs(anchor), 1e-3) if fam == "linear" else 1.0
    unit_step = step * scale
    z_a = _z(anchor, fam, up)
    horizon = max(spec.target_year - ANCHOR_YEAR, 3)
    needs = (_z(spec.bound, fam, up) - z_a) if spec.bound is not None else d * unit_step
    if spec.rate is not None:
        per_year = np.log1p(spec.rate / 100) if fam == "loglinear" else spec.rate
        needs = d * per_year * horizon
    slope = {
        "on_track": needs / horizon * 1.8,
        "widening_gap": needs / horizon * 1.8,
        "series_break": needs / horizon * 1.8,
        "stale_data": needs / horizon * 1.8,
        "off_track": needs / horizon * 0.25,
        "regressing": -d * max(abs(needs) / horizon * 0.6, 0.15 * unit_step),
        "achieved": d * 0.05 * unit_step,
        "volatile": needs / horizon * 0.5,
    }[spec.scenario]
    if spec.meets or (spec.scenario == "achieved"):
        slope = d * 0.05 * unit_step if spec.scenario in ("on_track", "achieved", "widening_gap", "series_break",
                                                          "stale_data") else slope
    if spec.rate is None and spec.bound is None and spec.scenario == "off_track":
        slope = -d * 0.01 * unit_step
    noise = noise_sd * (8 if spec.scenario == "volatile" else 1)
    z = z_a + slope * (years - ANCHOR_YEAR) + rng.normal(0, noise, len(years)) * scale
    if spec.anchor_source.startswith("plan text"):  # the plan states this year's value: keep it exact
        z = np.where(years == ANCHOR_YEAR, z_a, z)
    notes = np.full(len(years), "", dtype=object)
    if spec.scenario == "series_break":
        shift = d * 1.5 * unit_step
        z = z + np.where(years >= BREAK_YEAR, shift, 0.0)
        notes[years >= BREAK_YEAR] = BREAK_NOTE
    rows = [_rows(region, spec, years, z, notes, "total", "total", "")]
    pol = {"lower": 1, "higher": -1}.get(spec.indicator.polarity, 1)  # sign of "worse"
    t = years - FIRST_YEAR
    # group differences scale with the level (ratios stay put unless the scenario moves them)
    rel = np.clip(z / z_a, 0.2, 5.0) if fam == "linear" and z_a else np.ones(len(years))
    if spec.breakdown_area:
        base = 0.8 * unit_step
        delta = base * (0.4 + 0.18 * t) if spec.scenario == "widening_gap" else base * 0.96**t
        delta = delta * rel + rng.normal(0, noise * 0.3, len(years)) * scale
        rows.append(_rows(region, spec, years, z - pol * 0.4 * delta, notes, "total", "urban", ""))
        rows.append(_rows(region, spec, years, z + pol * 0.6 * delta, notes, "total", "rural", ""))
    if spec.breakdown_sex:
        delta = 0.2 * unit_step * 0.96**t * rel + rng.normal(0, noise * 0.3, len(years)) * scale
        rows.append(_rows(region, spec, years, z + pol * 0.5 * delta, notes, "male", "total", ""))
        rows.append(_rows(region, spec, years, z - pol * 0.5 * delta, notes, "female", "total", ""))
    if subregions:
        offsets = rng.normal(0, 0.5 * unit_step, len(subregions))
        offsets -= offsets.mean()
        for k, sub in enumerate(subregions):
            off = offsets[k] * (0.5 + 0.2 * t) if spec.scenario == "widening_gap" else offsets[k] * 0.97**t
            off = off * rel
            zs = z + off + rng.normal(0, noise * 0.5, len(years)) * scale
            if spec.laggard and k == len(subregions) - 1 and spec.bound is not None:
                zb = _z(spec.bound, fam, up)
                zs = np.minimum(zs, zb - 0.4 * unit_step) if d > 0 else np.maximum(zs, zb + 0.4 * unit_step)
            rows.append(_rows(region, spec, years, zs, notes, "total", "total", sub))
    return pd.concat(rows, ignore_index=True)


def _free_anchor(spec: SeriesSpec) -> float:
    """An anchor placed relative to the target: short of it, or past it for ``achieved``."""
    fam, up = spec.family, spec.upper
    if spec.bound is None:
        return _default_level(spec.indicator)
    zb = _z(spec.bound, fam, up)
    d = spec.direction or 1
    scale = max(abs(spec.bound), 1.0) if fam == "linear" else 1.0
    shift = STEP[fam] * scale * (0.5 if spec.scenario == "achieved" and not spec.laggard else -1.0)
    if spec.scenario == "achieved" and spec.laggard:
        shift = STEP[fam] * scale * 0.6
    value = float(inverse_transform(np.array(zb + d * shift), np.array(fam), np.array(up)))
    low, high = spec.indicator.bounds
    if low is not None:
        value = max(value, low + (abs(spec.bound) * 0.2 if d < 0 else 0))
    if high is not None:
        value = min(value, high)
    return value


def _z(x: float, fam: str, up: float) -> float:
    """``x`` on the family's fitting scale; values on the edge of the domain (full coverage,
    zero incidence) are moved just inside, to where they still round to the edge."""
    if fam == "logit":
        x = min(max(x, up * 0.0004), up * 0.9996)
    elif fam == "loglinear":
        x = max(x, 4e-4)
    return float(transform(np.array(float(x)), np.array(fam), np.array(up)))


def _rows(region: str, spec: SeriesSpec, years: np.ndarray, z: np.ndarray, notes: np.ndarray,
          sex: str, area: str, sub: str) -> pd.DataFrame:
    fam, up = spec.family, spec.upper
    if fam == "linear":
        values = z
    else:
        values = inverse_transform(z, np.full(len(z), fam), np.full(len(z), up))
    low, high = spec.indicator.bounds
    values = np.clip(values, low if low is not None else -np.inf, high if high is not None else np.inf)
    return pd.DataFrame({
        "region": region, "indicator": spec.indicator.name_zh, "year": years,
        "value": [_round(v) for v in values], "unit": spec.indicator.unit,
        "sex": _SEX[sex], "area": _AREA[area], "age_group": "", "subregion": sub,
        "source": SOURCE, "note": notes,
    })


def _round(v: float) -> float:
    a = abs(v)
    return round(float(v), 3 if a < 1 else 2 if a < 10 else 1 if a < 1000 else 0)


# ------------------------------------------------------------------ checking against the engine


def to_observations(frame: pd.DataFrame, indicators: IndicatorDictionary) -> pd.DataFrame:
    """The generated rows in the tidy form the engine reads (as the loader would give them)."""
    names = {ind.name_zh: ind.id for ind in indicators}
    return pd.DataFrame({
        "region": frame["region"], "indicator": frame["indicator"].map(names),
        "year": frame["year"].astype(int), "value": frame["value"].astype(float), "unit": frame["unit"],
        "sex": frame["sex"].map({"男": "male", "女": "female", "": "total"}),
        "area": frame["area"].map({"城镇": "urban", "农村": "rural", "": "total"}),
        "age_group": "total", "subregion": frame["subregion"], "source": frame["source"], "note": frame["note"],
    })


def failures(specs: list[SeriesSpec], plans: list[Plan], obs: pd.DataFrame,
             indicators: IndicatorDictionary) -> set[str]:
    """Indicator ids whose series does not show what its scenario is meant to show."""
    results = pd.concat([assess(obs, p, as_of=LAST_YEAR, regions=[p.region], indicators=indicators)
                         for p in plans], ignore_index=True)
    gaps = disparities(obs, as_of=LAST_YEAR, indicators=indicators)
    bad = set()
    for spec in specs:
        rows = results[results["indicator"] == spec.indicator.id]
        codes = set(";".join(rows["warnings"]).split(";")) - {""}
        want = SCENARIO_WARNING.get(spec.scenario)
        if want == "widening_gap":
            ok = bool((gaps[(gaps["indicator"] == spec.indicator.id)]["verdict"] == "widening").any())
        elif want == "series_break" and want not in WARNINGS:
            ok = True  # the engine in use has no break detection
        elif want:
            ok = want in codes
        elif spec.scenario == "achieved":
            ok = (rows["status"] == "achieved").any() and not (codes & {"regressing", "volatile"})
        else:
            ok = not (codes & {"off_track", "regressing"})
        if spec.scenario in ("on_track", "widening_gap", "achieved", "series_break", "stale_data") and not want == "off_track":
            ok = ok and "regressing" not in codes
        if not ok:
            bad.add(spec.indicator.id)
    return bad


# ------------------------------------------------------------------ driver


def region_rng(seed: int, *parts: object) -> np.random.Generator:
    """A generator seeded by ``seed`` and stable hashes of ``parts`` (not Python's salted hash)."""
    return np.random.default_rng([seed, *(zlib.crc32(str(p).encode("utf-8")) for p in parts)])


def make_region(
    plans: list[Plan],
    indicators: IndicatorDictionary,
    national: pd.DataFrame,
    seed: int = SEED,
    verify: bool = True,
) -> tuple[pd.DataFrame, list[SeriesSpec]]:
    """Generated rows (data-file layout) and the specs for the plans of one region."""
    region = plans[0].region
    level = max((p.level for p in plans), key=["county", "city", "province", "national"].index)
    subs = subregions_for(region, level)
    specs = build_specs(plans, indicators, national)
    assign_scenarios(specs, region_rng(seed, region, "scenarios"), bool(subs))
    frames = {s.indicator.id: generate_series(s, region, subs, region_rng(seed, region, s.indicator.id, 0))
              for s in specs}
    if verify:
        pending = {s.indicator.id for s in specs}
        for attempt in range(1, MAX_ATTEMPTS + 1):
            obs = to_observations(pd.concat([frames[i] for i in pending], ignore_index=True), indicators)
            bad = failures([s for s in specs if s.indicator.id in pending], _only(plans, pending), obs, indicators)
            pending = bad
            if not bad:
                break
            for s in specs:
                if s.indicator.id in bad:
                    s.attempt = attempt
                    frames[s.indicator.id] = generate_series(
                        s, region, subs, region_rng(seed, region, s.indicator.id, attempt))
        else:
            for s in specs:
                if s.indicator.id in bad:
                    s.notes.append(f"does not show {s.scenario} after {MAX_ATTEMPTS} draws")
    return pd.concat(frames.values(), ignore_index=True), specs


def _only(plans: list[Plan], indicator_ids: set[str]) -> list[Plan]:
    """The plans cut down to their targets for ``indicator_ids`` (plans left empty are dropped)."""
    out = []
    for p in plans:
        kept = [t for t in p.targets if t.indicator in indicator_ids]
        if kept:
            out.append(p.model_copy(update={"targets": kept}))
    return out


def subregions_for(region: str, level: str) -> list[str]:
    """Divisions used for the sub-region breakdown (none for county plans)."""
    if level not in ("city", "province"):
        return []
    for suffix, names in SUBREGIONS.items():
        if region.endswith(suffix):
            return names
    return GENERIC_SUBREGIONS[level]


def group_by_region(plans: Iterable[Plan]) -> dict[str, list[Plan]]:
    """Non-national plans grouped by region, in id order."""
    groups: dict[str, list[Plan]] = {}
    for p in sorted(plans, key=lambda p: p.id):
        if p.level != "national":
            groups.setdefault(p.region, []).append(p)
    return groups


def file_stem(plans: list[Plan]) -> str:
    """``jilin_city_children_…`` + ``jilin_city_women_…`` → ``jilin_city``; one plan → its id."""
    ids = [p.id for p in plans]
    if len(ids) == 1:
        return ids[0]
    prefix = ids[0]
    for other in ids[1:]:
        while not other.startswith(prefix):
            prefix = prefix[:-1]
    return prefix.rstrip("_") or "region_" + f"{zlib.crc32(plans[0].region.encode()):08x}"


def write_demo(
    plan_paths: list[Path],
    out: Path,
    seed: int = SEED,
    verify: bool = True,
    indicators: IndicatorDictionary | None = None,
) -> dict[str, dict]:
    """Generate and write one CSV per region, ``scenarios.json`` and ``README.md``."""
    indicators = indicators or load_indicators()
    plans = [load_plan(p, indicators) for p in plan_paths]
    national = _national(indicators)
    manifest: dict[str, dict] = {}
    out.mkdir(parents=True, exist_ok=True)
    for region, group in group_by_region(plans).items():
        frame, specs = make_region(group, indicators, national, seed, verify)
        stem = file_stem(group)
        csv = frame.rename(columns=_HEADINGS).sort_values(["指标", "子区域", "性别", "城乡", "年份"], kind="stable")
        atomic_write_text(out / f"{stem}.csv", csv.to_csv(index=False), encoding="utf-8-sig")
        manifest[stem] = {
            "region": region, "plans": [p.id for p in group], "file": f"{stem}.csv",
            "subregions": subregions_for(region, group[0].level), "rows": len(frame),
            "indicators": {s.indicator.id: {"name": s.indicator.name_zh, "scenario": s.scenario,
                                            "hidden_laggard": s.laggard, "anchor": _json_num(s.anchor),
                                            "anchor_source": s.anchor_source, "draw": s.attempt,
                                            "notes": s.notes} for s in specs},
        }
        print(f"{out / (stem + '.csv')}: {region}, {len(specs)} indicators, {len(frame)} rows", file=sys.stderr)
    atomic_write_text(out / "scenarios.json", json.dumps({"seed": seed, "source": SOURCE, "regions": manifest},
                                                         ensure_ascii=False, indent=1))
    atomic_write_text(out / "README.md", readme(manifest, seed))
    return manifest


def _json_num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def _national(indicators: IndicatorDictionary) -> pd.DataFrame:
    from childplan_analysis.io.sources import load_observations

    if not config.NATIONAL_DATA_DIR.exists():
        return pd.DataFrame(columns=["indicator", "year", "value"])
    obs = load_observations(config.NATIONAL_DATA_DIR, errors="report", indicators=indicators)
    return obs[(obs["sex"] == "total") & (obs["area"] == "total") & (obs["subregion"] == "")]


def readme(manifest: dict[str, dict], seed: int) -> str:
    """README of the demo folder: what the data are, how they were made, scenario per indicator."""
    lines = [
        "# 合成演示数据 · Synthetic demo data",
        "",
        "**本目录中的数据全部是合成演示数据（合成演示数据），不是真实统计数据，不能用于任何实际评估或引用。**",
        "**Everything in this folder is synthetic demo data, not real statistics. Do not cite or use it "
        "for any real assessment.**",
        "",
        f"Generated by `scripts/make_demo_data.py` (seed {seed}); rerun it to rebuild this folder. Every row's "
        f"`来源` (source) is `{SOURCE}`, and reports built on these files say so at the top.",
        "",
        f"- Years {FIRST_YEAR}–{LAST_YEAR}, one file per region (plans of one region share the file).",
        "- Every indicator that the region's plans target; totals plus breakdowns by sex (children's rate "
        "indicators), urban/rural (rate indicators) and, for city and province plans, by county / prefecture "
        "(real names of the divisions; the values are invented).",
        "- Anchored on the 2020 values the plan texts state where they state one (e.g. 大渡口区 neonatal, "
        "infant and under-5 mortality 1.21‰, 1.51‰, 2.12‰), else on the real national value, else placed "
        "relative to the target.",
        "- Scenarios: on track, achieved, off track (预计达标困难), regressing (逆向变化), volatile (波动较大), "
        f"stale data (last year {LAST_YEAR - config.STALE_AFTER}, 数据陈旧), a series break from {BREAK_YEAR} "
        "(备注: 统计口径调整), widening urban–rural and county gaps (差距扩大), and in city regions one county "
        "below a target the city as a whole has met (hidden laggard). `scenarios.json` lists the scenario of "
        "every indicator.",
        "",
        "| file | region | plans | indicators | rows |",
        "|---|---|---|---|---|",
    ]
    for m in manifest.values():
        lines.append(f"| `{m['file']}` | {m['region']} | {', '.join(m['plans'])} | {len(m['indicators'])} | {m['rows']} |")
    lines += ["", "Scenario counts per region:", ""]
    for m in manifest.values():
        counts = pd.Series([v["scenario"] for v in m["indicators"].values()]).value_counts()
        lines.append(f"- {m['region']}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines) + "\n"


def default_plan_paths(params: Path = config.PARAMS_DIR) -> list[Path]:
    """Every catalog in ``params`` except the indicator dictionary and national plans."""
    paths = []
    for path in sorted(params.glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        plan = load_plan(path)
        if plan.level != "national":
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", nargs="*", type=Path, help="plan catalogs (default: params/*.yaml, not national)")
    parser.add_argument("--out", type=Path, default=config.DATA_DIR / "demo")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-verify", action="store_true", help="skip the check against the engine")
    args = parser.parse_args(argv)
    paths = args.plans or default_plan_paths()
    if not paths:
        print("no regional plan catalogs found", file=sys.stderr)
        return 1
    write_demo(paths, args.out, args.seed, verify=not args.no_verify)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
