"""Extraction benchmark: ``extract_targets`` on plan texts vs reviewed catalogs.

Three tables:

1. **Seed plans** — each text in ``shared/seeds`` (override with ``CHILDPLAN_SEEDS``) against
   its reviewed catalog in ``params/`` (override with ``CHILDPLAN_PARAMS``; the indicator
   dictionary is read from the same folder).
2. **Held-out excerpts** — the plan excerpts in ``tests/data/heldout/`` (``NAME.txt`` with the
   expected targets in ``NAME.yaml``), written in the style of other regions' plans with
   wording and layouts the seeds do not have (a women's plan, markdown / tab-separated
   tables, a province programme with 2025 goals); they show whether the seed scores generalise.
3. **Real held-out texts** — published texts in ``tests/data/heldout_real/`` (news reports,
   interpretations and plan excerpts, each with hand-annotated targets in ``NAME.yaml`` and
   its source URL in the file's ``# Source:`` line and the folder's README), never used to
   develop the extractor. A target annotated ``indicator: null`` with a ``phrase`` matches an
   unresolved extracted target whose name contains the phrase or is contained in it (same
   comparator, value and year; 的 and quotation marks ignored on both sides, as extracted names never keep them); a
   phrase that is, as written, a name or alias of the indicator dictionary counts as that indicator
   (annotations are written against the dictionary of their day).
   The table names each text's source.
   The texts of this split were read while the extractor was improved (**tuned**).
4. **Fresh real texts** — ``tests/data/heldout_real/fresh/``, annotated by hand and committed
   before the extractor was first run on it. Its first score (P 0.53, R 0.50) was untuned;
   the extractor was then improved on the general causes of its errors, so it now counts as
   tuned. ``tests/data/heldout_real/fresh2/``, collected and annotated after that, scored
   P 0.40, R 0.77 on its first run (untuned); results-only reports gave the false positives,
   and the look-back rule was widened on them (``提高了``, ``截至2023年``), so it is tuned too.
   ``tests/data/heldout_real/fresh3/`` (first run P 0.73, R 0.70) and ``fresh4/`` (women's plans
   and monitoring reports; first run P 0.22, R 0.68) were then used to fix qualified names and
   results reports, so they are tuned too. ``tests/data/heldout_real/fresh5/``, collected and
   annotated last, scored P 0.18, R 0.56 on its first run (the honest **untuned** figure of the
   second round) and was then tuned on. ``fresh6/`` (results reports only, no target) was
   collected after that and is **untuned**: its first run extracted nothing. ``fresh7/``
   (women's goal lists, a city's 十四五 chapter, results reports; first run P 0.69, R 0.78) was
   tuned on in the third round, as was ``fresh8/`` (first run P 0.50, R 0.47); ``fresh9/``
   (results reports and preambles, no target), collected last, is **untuned**: its first run
   extracted 9 targets, all from one results report. ``fresh10/`` (goal chapters cut from their
   title, one spun; results reports, preambles; first run P 0.24, R 0.24) was tuned on in the
   fourth round; ``fresh11/`` (lectures, meetings, monitoring news, no target), collected last, is
   **untuned**: its first run extracted 5 targets from two of its eleven texts. ``fresh12/`` (county
   and city plan texts: goals that lost the ‰ sign, a city's education goals, a province's health
   goals in news, a city's 十三五 plans in news; county prefaces, reviews and evaluations) scored
   P 0.61, R 0.74 on its first run, before the fifth round; ``fresh13/`` (a city's goal list, a
   national programme's goals in a journal abstract, results and prefaces), collected after the
   first changes of that round, scored P 0.78, R 0.70 on its first run; ``fresh14/`` (an aim
   restated in one news item, a city programme's aims, a province's counts; a report, a post, a
   notice), collected after every change of the round, scored P 0.78, R 0.78; all three were then
   tuned on the general causes of their errors (fifth round). ``fresh15/`` (goal lists of
   1996—2000 and 2001—2010 plans, an untitled goal list, leadership goals in news; monitoring
   reports, an interpretation, prefaces), collected after the fifth round, scored P 0.19, R 0.16
   on its first run: the untuned measure of the extractor as that round left it; it was then
   tuned on the general causes of its errors (sixth round). ``fresh16/`` (mainly results reports,
   a preface, an interpretation; two targets), collected after the sixth round's changes, scored
   P 0.17, R 1.00 on its first run; it was then tuned on its results told as changes between past
   years, in the past tense and in a report opening with goals reached (seventh round: P 1.00,
   R 1.00). ``fresh17/`` (a province programme's aim in news, a spun interpretation quoting the
   national injury aim; prefaces, results and news; two targets), collected after the seventh
   round's changes, extracted nothing on its first run (0 of 2 targets, no false positive); it was
   then tuned on a spun verb of change and a share of units before an activity (eighth round).
   ``fresh18/`` (breastfeeding programmes' aims of the nation and two provinces, a city's
   minor-protection stations, the family-education plan, aims quoted by news and reports; prefaces
   and results), collected after the eighth round's changes, scored P 0.85, R 0.68 on its first run
   (17 of 25 targets, 20 extracted); two judgement calls of its annotation were then corrected
   (``基本建成`` no share of 100%, ``每学期两次`` a count a term), giving 17 of 22 (R 0.77), and it was
   tuned on in the ninth round. ``fresh19/`` (livelihood projects of a province, a results report
   quoting the year's aims, a district's election aims for women, an untitled MCH plan and district
   children's plan, a region's preschool aims; district plan pages and results; 55 targets),
   collected after the ninth round's changes, scored P 0.17, R 0.15 on its first run (8 of 55
   targets, 48 extracted); it was then tuned on in the tenth round. ``fresh20/`` (a city's 十四五
   education plan and a province's children's plan in news, election aims for women restated in
   results and a province's yearly priorities; a CPPCC meeting's calls, a district's analysis,
   reviews, results, a draft's opening, a masked copy; 28 targets), collected after the tenth
   round's changes, scored P 0.14, R 0.18 on its first run (5 of 28 targets, 35 extracted); it was
   then tuned on in the eleventh round. ``fresh21/`` (a county's 十四五 education indicator table with
   each cell on a line of its own, a district's health-action opinions, a past election's aims in
   research, a district's planned screenings, a province's livelihood project; results, prefaces, an
   almanac entry, a spam-renamed page, a masked street plan; 35 targets), collected after the eleventh
   round's changes, scored P 0.40, R 0.17 on its first run (6 of 35 targets, 15 extracted); it was
   then tuned on in the twelfth round (tables flattened one cell per line, planned counts of people
   served, a year without 年 dating the event told, a share of units holding a member, a press
   conference on a past period as a results report). ``fresh22/`` (a city's education goals with a 2015 milestone, the 健康中国2030 goals as a
   two-column table in an exam question, news of the national 十四五 health plan, a year's practical
   projects of women's federations; a review, a preface, a notice, an evaluation; 49 targets),
   collected during the twelfth round and first run before its last three rules, scored P 0.45, R 0.20
   (10 of 49 targets, 22 extracted); it was then tuned on in the thirteenth round (a change by an
   amount in a unit of its own, a yearly change with a bare 降/升, a two-column table with one ``|`` a
   row, bracketed notes of table cells, the 等 of 高等教育, a suffix inside a list of values).
   ``fresh23/`` (a county's 十四五 health goals, a city's 十三五 health indicator table with a results and
   a targets column, a district's women's plan table run into its text, a city plan's aim in news;
   monitoring reports, results, a drafting note; 35 targets), collected after the thirteenth round's
   changes, scored P 0.56, R 0.29 (10 of 35 targets, 18 extracted); it was then tuned on in the
   fourteenth round (tables one cell per line with results and aims columns, tables run into the
   text, a level from a base level, results told as history). ``fresh24/`` (a province's children's
   plan as a target-responsibility table, a city's decision-making goals, child-friendly programmes,
   a province's 2030 health plan and two five-year plans in news, a city's aims for a year; 87
   targets), collected and annotated by hand during the fourteenth round and first run after its
   changes, scored P 0.76, R 0.62 (54 of 87 targets, 71 extracted); it was then tuned on in the fifteenth round
   (responsible units on lines of their own, goals set off by ——, a year's aims dated by the year the text gives,
   lists of kinds sharing a tail, benefit standards, ranges of pilots, coverage of kinds of places, counts in 万 and
   亿). ``fresh25/`` (a year's livelihood projects of a district and a county, a town's yearly programme goals,
   news of a province's plans and of a child-health action, a city's myopia goals, preschool plans of a province,
   a county-level city and a county whose copy lost its digits; three plan openings; 52 targets), annotated by
   hand during the fifteenth round and first run after its changes, scored P 0.51, R 0.35 (18 of 52 targets, 35
   extracted); it was then tuned on in the sixteenth round (the year of a year's aims: a one-year programme's
   title, 今年 dated by the text's dates, years before a quoted plan's period; a year's projects counted; kinds
   listed with 均; levels listed with 、; a region's profile; a task stated before its progress).
   ``fresh26/`` (a province's women's plan 2021—2030 health goals, the national myopia plan's goals and a copy of
   its news that lost a digit, a hospital's list of the 24 elimination-of-transmission indicators, a city's
   elimination aims in news, the Healthy China opinions in news, a province's 2020 aims for child directors,
   national basic-education aims; two plan openings without targets; 71 targets), annotated by hand during the
   sixteenth round and first run after its changes, scored P 0.54, R 0.39 (28 of 71 targets, 52 extracted); it was
   then tuned on in the seventeenth round (one aim under milestones listed together held at each, the year of
   aims quoted in news after a run of whole years of results, counts a place, rates of infected mothers and of
   the children they bore, notes counting an item's indicators). ``fresh27/`` (a province's women's outline in news,
   a district women's plan page, girls' HPV vaccination aims, student mental-health plans, child-health and
   oral-health plans in news, a child-obesity plan, two nutrition plans, one with every year replaced by X; 77
   targets), annotated by hand during the seventeenth round and first run after its changes, scored P 0.53, R 0.42
   (32 of 77 targets, 60 extracted); it was then tuned on in the eighteenth round (goals listed under each of two
   milestone clauses, changes from an undated base, rates of one group sharing a tail, kinds of schools before 的,
   size classes of places, counts of beneficiaries, place-first shares, one aim of two quoted plans, 今年 dated by a
   notice on the year's work). ``fresh28/`` (women's federations' and cities' yearly projects, nursing rooms in public
   places, older women's plans and party opinions in news, special-education plans; 58 targets), annotated by hand during
   the eighteenth round and first run after its changes, scored P 0.31, R 0.17 (10 of 58 targets, 32 extracted); it was
   then tuned on in the nineteenth round (counts of people, rooms and services named by the thing counted, a milestone
   dating its own sentence when the quoted plan speaks without brackets, relative rises of amounts shared by groups,
   years said relative to the text, levels of government, full shares of units, headings asked as questions, rates
   named by their head alone restating a named aim). ``fresh29/`` (federations' and congresses' aims, women cadres' aims,
   a city's health-year aims; 67 targets), first run P 0.27, R 0.15, was tuned on in the twentieth round; ``fresh30/``
   (a year's projects of a county, a city, a district federation and a province, older plans' goal and measures pages,
   a federation's election aims; 54 targets), first run P 0.34, R 0.20, in the twenty-first (counts of people served or
   mobilised named by what is done and who, a count for each activity, shares of units having at least so many, a
   five-year plan named only as the place of the text's year; such a count of people is compared in either order,
   ``康复训练的残疾儿童人数`` also as ``残疾儿童康复训练``).
   Texts annotated ``year_in_text: false`` name
   no year (their annotated years are a reviewer's judgement from outside the text); they are scored as the others and, on a line of
   their own under their split's table, with the year unknown: an assumed year
   (``year_assumed``) matches any annotated one. Each is scored the
   same way, its sources listed in its README,
   and each table's title gives its first-run score and says whether the split was tuned on
   (``FRESH_SPLITS``); one line pools the first runs of all fresh splits, the untuned figure.
5. **Clause level** — each catalog target's own ``clause`` parsed with ``parse_target``: how
   often the catalogued target is among the results, for every catalog in the folder
   (including the national outlines, which have no seed text).

Targets are compared on ``(indicator, comparator, value, year)``, values in the indicator's
unit. precision = matched / extracted (unresolved indicators included), precision (resolved)
= matched with a resolved indicator / extracted with a resolved indicator, recall = matched /
catalog targets.

Extraction gets the text only: the default target year is inferred from the document
(``extract.infer_goal_year``), never taken from the catalog. Seed 004 holds two plans
(women, then children); it is split at the second title.

Usage: ``python benchmarks/extraction.py [-v]`` — ``-v`` (or ``--details``) lists, per plan,
the missed and the spurious targets with their clauses.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from childplan_analysis.catalog.extract import extract_targets, split_documents
from childplan_analysis.catalog.grammar import (
    ParsedTarget,
    normalize_text,
    parse_table_cell,
    parse_target,
)
from childplan_analysis.core.config import PARAMS_DIR
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators, normalize_name
from childplan_analysis.core.units import conversion_factor

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("CHILDPLAN_SEEDS") or ROOT.parent / "shared" / "seeds")
CATALOG_DIR = Path(os.environ.get("CHILDPLAN_PARAMS") or PARAMS_DIR)
HELDOUT_DIR = ROOT / "tests" / "data" / "heldout"
REAL_DIR = ROOT / "tests" / "data" / "heldout_real"
FRESH_DIR = REAL_DIR / "fresh"


@dataclass(frozen=True)
class FreshSplit:
    """A fresh real split: its folder, its first-run counts (matched, extracted, annotated targets,
    taken before the extractor was changed on it) and whether it was tuned on afterwards."""

    name: str
    first_run: tuple[int, int, int]
    tuned: bool

    @property
    def folder(self) -> Path:
        return REAL_DIR / self.name

    @property
    def label(self) -> str:
        m, e, c = self.first_run
        first = f"P {_ratio(m, e)} R {_ratio(m, c)} ({m} of {c}, {e} extracted)"
        if self.tuned:
            return f"first run untuned: {first}; since tuned on its errors"
        return f"untuned; first run: {first}"


#: Every fresh split in the order collected, with its first (untuned) run as recorded in its README.
FRESH_SPLITS: tuple[FreshSplit, ...] = (
    FreshSplit("fresh", (16, 30, 32), tuned=True),
    FreshSplit("fresh2", (10, 25, 13), tuned=True),
    FreshSplit("fresh3", (19, 26, 27), tuned=True),
    FreshSplit("fresh4", (13, 59, 19), tuned=True),
    FreshSplit("fresh5", (5, 28, 9), tuned=True),
    FreshSplit("fresh6", (0, 0, 0), tuned=False),
    FreshSplit("fresh7", (29, 42, 37), tuned=True),
    FreshSplit("fresh8", (7, 14, 15), tuned=True),
    FreshSplit("fresh9", (0, 9, 0), tuned=False),
    FreshSplit("fresh10", (7, 29, 29), tuned=True),
    FreshSplit("fresh11", (0, 5, 0), tuned=False),
    FreshSplit("fresh12", (17, 28, 23), tuned=True),
    FreshSplit("fresh13", (7, 9, 10), tuned=True),
    FreshSplit("fresh14", (7, 9, 9), tuned=True),
    FreshSplit("fresh15", (14, 75, 88), tuned=True),
    FreshSplit("fresh16", (2, 12, 2), tuned=True),
    FreshSplit("fresh17", (0, 0, 2), tuned=True),
    FreshSplit("fresh18", (17, 20, 22), tuned=True),  # first annotation: 17 of 25 (corrected, README)
    FreshSplit("fresh19", (8, 48, 55), tuned=True),
    FreshSplit("fresh20", (5, 35, 28), tuned=True),
    FreshSplit("fresh21", (6, 15, 35), tuned=True),
    FreshSplit("fresh22", (10, 22, 49), tuned=True),
    FreshSplit("fresh23", (10, 18, 35), tuned=True),
    FreshSplit("fresh24", (54, 71, 87), tuned=True),
    FreshSplit("fresh25", (18, 35, 52), tuned=True),
    FreshSplit("fresh26", (28, 52, 71), tuned=True),
    FreshSplit("fresh27", (32, 60, 77), tuned=True),
    FreshSplit("fresh28", (10, 32, 58), tuned=True),
    FreshSplit("fresh29", (10, 37, 67), tuned=True),
    FreshSplit("fresh30", (11, 32, 54), tuned=True),
    FreshSplit("fresh31", (12, 32, 58), tuned=True),
    FreshSplit("fresh32", (18, 33, 38), tuned=True),
    FreshSplit("fresh33", (3, 14, 33), tuned=True),
    FreshSplit("fresh34", (4, 13, 36), tuned=True),
    FreshSplit("fresh35", (4, 28, 23), tuned=True),
    FreshSplit("fresh36", (25, 37, 87), tuned=True),
    FreshSplit("fresh37", (31, 47, 64), tuned=True),
    FreshSplit("fresh38", (22, 31, 42), tuned=True),
    FreshSplit("fresh39", (3, 31, 52), tuned=True),
    FreshSplit("fresh40", (3, 7, 26), tuned=False),
)
#: Seed file prefix → the reviewed catalogs of the plans it holds, in order.
SEED_PLANS: dict[str, list[str]] = {
    "000": ["panshi_children_2021_2030"],
    "001": ["xigang_children_2021_2030"],
    "002": ["dadukou_children_2021_2030"],
    "003": ["jilin_province_child_friendly_2022"],
    "004": ["jilin_city_women_2021_2030", "jilin_city_children_2021_2030"],
}
Key = tuple[str, str, float | None, int]
CLIP = 70


@dataclass
class Score:
    """Comparison of extracted with catalogued targets for one plan."""

    matched: int = 0
    extracted: int = 0
    resolved: int = 0
    matched_resolved: int = 0
    catalog: int = 0
    missed: list[tuple[Key, str]] = field(default_factory=list)
    spurious: list[tuple[Key, str]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.extracted += other.extracted
        self.resolved += other.resolved
        self.matched_resolved += other.matched_resolved
        self.catalog += other.catalog

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else float("nan")

    @property
    def recall(self) -> float:
        return self.matched / self.catalog if self.catalog else float("nan")


#: A count written in 万 or 亿 of its classifier (``28万人``, ``5.3亿人``): the same count in the classifier.
_MAGNITUDES = {"万": 10_000, "亿": 100_000_000}


def _value_in(ind_unit: str | None, value: float | None, unit: str | None, comparator: str) -> float | None:
    if value is None:
        return None
    if comparator.startswith(("relative_", "annual_")):
        return round(value, 6)
    factor = conversion_factor(unit, ind_unit) or 1.0
    if factor == 1.0 and unit and len(unit) > 1 and unit[0] in _MAGNITUDES and "/" not in unit:
        factor = _MAGNITUDES[unit[0]]  # 10 万人次 counted as 100000 人次
    return round(value * factor, 6)


def catalog_keys(raw: dict, indicators: IndicatorDictionary) -> dict[Key, list[str]]:
    """(indicator id, comparator, value in the indicator's unit, year) → the clauses stating it."""
    keys: dict[Key, list[str]] = defaultdict(list)
    for t in raw.get("targets") or []:
        # a phrase that is a dictionary name or alias as written names that indicator (annotations
        # are written against the dictionary of their day; it grows)
        name = t.get("indicator") or t.get("phrase")
        ind = indicators.find(str(name)) if name else None
        ind_id = ind.id if ind else (str(t["indicator"]) if t.get("indicator") else f"?{t.get('phrase', '')}")
        comp = str(t.get("comparator"))
        value = _value_in(ind.unit if ind else None, t.get("value"), t.get("unit"), comp)
        keys[(ind_id, comp, value, int(t.get("year")))].append(str(t.get("clause") or ""))
    return keys


def extracted_keys(
    targets: list[ParsedTarget], indicators: IndicatorDictionary, year_unknown: bool = False
) -> dict[Key, list[str]]:
    """The same key for extracted targets (unresolved names as ``?名称``) → their clauses.
    With ``year_unknown`` a target whose year was assumed (``year_assumed``) gets year 0: unknown."""
    keys: dict[Key, list[str]] = defaultdict(list)
    for t in targets:
        ind = indicators.by_id.get(t.indicator) if t.indicator else None
        ind_id = t.indicator or f"?{t.indicator_zh}"
        comp = t.comparator.value
        value = _value_in(ind.unit if ind else None, t.value, t.unit, comp)
        year = 0 if year_unknown and "year_assumed" in t.flags else int(t.year or 0)
        keys[(ind_id, comp, value, year)].append(t.clause)
    return keys


def _year_unknown(keys: dict[Key, list[str]]) -> dict[Key, list[str]]:
    """Annotated keys with the year set to 0 (unknown): for texts that state no year."""
    out: dict[Key, list[str]] = defaultdict(list)
    for (ind, comp, value, _), clauses in keys.items():
        out[(ind, comp, value, 0)] += clauses
    return out


def _phrase(name: str) -> str:
    """A name or an annotated phrase compared without 的 and quotation marks (extracted names never keep
    them: ``“互联网 医疗健康”服务`` is ``互联网医疗健康服务``)."""
    return re.sub(r"[的“”\"‘’']", "", normalize_name(normalize_text(name.removeprefix("?"))))


#: A count's verb before the thing counted (``培育…基地数``, ``开展巡讲场次``) and its word for "the number of"
#: after it: neither is part of what is counted, so names are compared without them.
_COUNT_VERB = re.compile(r"^(?:新建|建设|建成|建立|培育|培养|培训|开展|举办|组织|打造|推出|推树|宣树|发放|创建|实施|帮助|资助|救助)")
_COUNT_WORD = re.compile(r"(?:个数|数量|场次|人次|人数|数)$")


def _counted(phrase: str) -> str:
    """The thing a count names, without the counting verb before it and the 数 after it
    (``培育星级巾帼家政基地数`` → ``星级巾帼家政基地``); the phrase itself when that would leave under two characters."""
    core = _COUNT_WORD.sub("", _COUNT_VERB.sub("", phrase))
    return core if len(core) >= 2 else phrase


#: A count of people named by what is done and who is counted (``孤独症筛查的0-6岁儿童人数``).
_PEOPLE_COUNT = re.compile(r"^(?P<act>[^的]+)的(?P<who>[^的]+?)(?:人数|人次)$")


def align_unresolved(got: dict[Key, list[str]], want: dict[Key, list[str]]) -> dict[Key, list[str]]:
    """Rename an unresolved extracted key (``?名称``) to an annotated unresolved key whose
    phrase it contains or is contained in, when comparator, value and year agree; a count is
    compared by the thing counted (see ``_counted``), a count of people (``康复训练的残疾儿童人数``) also
    with the people named first (``残疾儿童康复训练``), as annotations name them either way."""
    wanted = [k for k in want if k[0].startswith("?") and _phrase(k[0])]
    out: dict[Key, list[str]] = defaultdict(list)
    for key, clauses in got.items():
        if key[0].startswith("?"):
            name = _phrase(key[0])
            same = [w for w in wanted if w[1:] == key[1:] and name]
            # the phrase written as the name first (职工代表大会… is not 教职工代表大会…), then one it contains or is in
            exact = [w for w in same if _phrase(w[0]) == name]
            near = [w for w in same if _phrase(w[0]) in name or name in _phrase(w[0])]
            if not near:
                core = _counted(name)
                near = [w for w in same if (c := _counted(_phrase(w[0]))) in core or core in c]
            if not near and (people := _PEOPLE_COUNT.match(normalize_name(normalize_text(key[0][1:])))):
                # 筛查的妇女人数 is 妇女筛查人数: the people and what is done for them in either order
                swapped = _phrase(people["who"] + people["act"])
                near = [w for w in same if _phrase(w[0]) in swapped or swapped in _phrase(w[0])]
            key = (exact or near or [key])[0]
        out[key] += clauses
    return out


def score(got: dict[Key, list[str]], want: dict[Key, list[str]]) -> Score:
    """Multiset comparison of extracted and catalogued keys."""
    got = align_unresolved(got, want)
    g = Counter({k: len(v) for k, v in got.items()})
    w = Counter({k: len(v) for k, v in want.items()})
    s = Score(
        matched=sum((g & w).values()),
        extracted=sum(g.values()),
        resolved=sum(n for k, n in g.items() if not k[0].startswith("?")),
        matched_resolved=sum(n for k, n in (g & w).items() if not k[0].startswith("?")),
        catalog=sum(w.values()),
    )
    for k, n in sorted((w - g).items(), key=str):
        s.missed += [(k, c) for c in want[k][-n:]]
    for k, n in sorted((g - w).items(), key=str):
        s.spurious += [(k, c) for c in got[k][-n:]]
    return s


def _seed_documents() -> list[tuple[str, str]]:
    """(catalog id, plan text) for every seed plan."""
    docs = []
    for prefix, plan_ids in SEED_PLANS.items():
        files = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        if not files:
            print(f"seed {prefix}_*.txt not found in {SEEDS_DIR}", file=sys.stderr)
            continue
        text = files[0].read_text(encoding="utf-8")
        parts = split_documents(text) if len(plan_ids) > 1 else [text]
        if len(parts) != len(plan_ids):
            print(f"seed {prefix}: {len(parts)} documents for {len(plan_ids)} plans", file=sys.stderr)
        docs += list(zip(plan_ids, parts, strict=False))
    return docs


def _evaluate(
    docs: list[tuple[str, str, Path]], indicators: IndicatorDictionary, undated: dict[str, Score] | None = None
) -> tuple[dict[str, Score], list[str]]:
    """Score each text against its annotation. A text annotated ``year_in_text: false`` (its
    years a reviewer's judgement, the text naming none) is also scored with the year unknown
    into ``undated``: an assumed year matches any annotated one, a year read from the text none."""
    results: dict[str, Score] = {}
    missing = []
    for name, text, catalog in docs:
        if not catalog.is_file():
            missing.append(str(catalog))
            continue
        raw = yaml.safe_load(catalog.read_text(encoding="utf-8"))
        targets = extract_targets(text, indicators=indicators)
        want = catalog_keys(raw, indicators)
        results[name] = score(extracted_keys(targets, indicators), want)
        if undated is not None and raw.get("year_in_text") is False:
            undated[name] = score(extracted_keys(targets, indicators, year_unknown=True), _year_unknown(want))
    return results, missing


def run(details: bool = False) -> dict[str, Score]:
    """Seed plans vs reviewed catalogs; returns plan → score."""
    console = Console(width=160)
    indicators = load_indicators(CATALOG_DIR / "indicators.yaml")
    docs = [(pid, text, CATALOG_DIR / f"{pid}.yaml") for pid, text in _seed_documents()]
    results, missing = _evaluate(docs, indicators)
    _print_table(console, "Target extraction: seed plans vs reviewed catalogs", results)
    if missing:
        console.print("[yellow]missing reviewed catalogs:[/] " + ", ".join(missing))
    if details:
        _print_details(console, results)
    return results


def run_heldout(details: bool = False, folder: Path = HELDOUT_DIR) -> dict[str, Score]:
    """Held-out excerpts (``NAME.txt`` + expected ``NAME.yaml``); returns excerpt → score."""
    console = Console(width=160)
    indicators = load_indicators(CATALOG_DIR / "indicators.yaml")
    docs = [(p.stem, p.read_text(encoding="utf-8"), p.with_suffix(".yaml")) for p in sorted(folder.glob("*.txt"))]
    results, missing = _evaluate(docs, indicators)
    _print_table(console, "Target extraction: held-out excerpts (tests/data/heldout)", results)
    if missing:
        console.print("[yellow]held-out texts without expected targets:[/] " + ", ".join(missing))
    if details:
        _print_details(console, results)
    return results


def _sources(folder: Path) -> dict[str, str]:
    """Text name → where it came from: the ``# Source:`` line of its YAML, else the README row."""
    found: dict[str, str] = {}
    readme = folder / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 5 and (folder / f"{cells[0]}.txt").is_file():
                found[cells[0]] = f"{cells[3]} — {cells[4]}"
    for path in folder.glob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines()[:5]:
            if line.startswith("# Source:"):
                url = line.removeprefix("# Source:").strip().split(" ")[0]
                found[path.stem] = found.get(path.stem, url) if url in found.get(path.stem, "") else url
    return found


def run_real(details: bool = False, folder: Path = REAL_DIR, label: str | None = None) -> dict[str, Score]:
    """Real held-out texts (``NAME.txt`` + annotated ``NAME.yaml``); returns text → score.
    ``label`` says whether the extractor was improved on these texts (tuned) or not (untuned);
    by default a split listed in ``FRESH_SPLITS`` is labelled as listed there, the first real
    split as tuned, and a folder not yet listed as untuned."""
    if label is None:
        listed = {split.folder.resolve(): split.label for split in FRESH_SPLITS}
        listed[REAL_DIR.resolve()] = "tuned"
        label = listed.get(folder.resolve(), "untuned; not yet listed in FRESH_SPLITS")
    console = Console(width=160)
    if not folder.is_dir() or not any(folder.glob("*.txt")):
        console.print(f"[yellow]no real held-out texts in {folder}[/]")
        return {}
    indicators = load_indicators(CATALOG_DIR / "indicators.yaml")
    docs = [(p.stem, p.read_text(encoding="utf-8"), p.with_suffix(".yaml")) for p in sorted(folder.glob("*.txt"))]
    undated: dict[str, Score] = {}
    results, missing = _evaluate(docs, indicators, undated)
    where = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    _print_table(console, f"Target extraction: real held-out texts ({where}; {label})", results)
    if undated:
        print_undated(console, undated, results)
    sources = _sources(folder)
    table = Table(title=f"Sources of the real held-out texts ({where})")
    table.add_column("text")
    table.add_column("source")
    for name in results:
        table.add_row(name, escape(sources.get(name, "?")))
    console.print(table)
    if missing:
        console.print("[yellow]real texts without annotated targets:[/] " + ", ".join(missing))
    if details:
        _print_details(console, results)
    return results


def _clip(s: str) -> str:
    s = " ".join(s.split())
    return escape(s if len(s) <= CLIP else s[: CLIP - 1] + "…")


def _fmt(key: Key) -> str:
    ind, comp, value, year = key
    v = "" if value is None else f" {value:g}"
    return escape(f"{ind} {comp}{v} @{year}")


def _print_details(console: Console, results: dict[str, Score]) -> None:
    for name, s in results.items():
        if not s.missed and not s.spurious:
            continue
        console.rule(f"{name}: {len(s.missed)} missed, {len(s.spurious)} spurious")
        for key, clause in s.missed:
            console.print(f"  [red]missed  [/] {_fmt(key):<60} ← {_clip(clause)}", soft_wrap=True)
        for key, clause in s.spurious:
            console.print(f"  [yellow]spurious[/] {_fmt(key):<60} ← {_clip(clause)}", soft_wrap=True)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def _print_table(console: Console, title: str, results: dict[str, Score]) -> None:
    table = Table(title=title)
    for col in ("plan", "catalog", "extracted", "resolved", "matched", "precision", "precision (resolved)", "recall"):
        table.add_column(col, justify="left" if col == "plan" else "right")
    total = Score()
    for name, s in results.items():
        table.add_row(
            name, str(s.catalog), str(s.extracted), str(s.resolved), str(s.matched),
            _ratio(s.matched, s.extracted), _ratio(s.matched_resolved, s.resolved), _ratio(s.matched, s.catalog),
        )
        total.add(s)
    t = total
    table.add_row(
        "overall", str(t.catalog), str(t.extracted), str(t.resolved), str(t.matched),
        _ratio(t.matched, t.extracted), _ratio(t.matched_resolved, t.resolved), _ratio(t.matched, t.catalog),
        style="bold",
    )
    console.print(table)


def print_undated(console: Console, undated: dict[str, Score], results: dict[str, Score]) -> Score:
    """A separate line for the texts that state no year (``year_in_text: false``): scored with
    the year unknown, beside the strict table above (which compares the annotated years)."""
    total, strict = Score(), Score()
    for name, s in undated.items():
        total.add(s)
        strict.add(results[name])
    console.print(
        f"[bold]Year unknown[/] ({len(undated)} text{'s' if len(undated) > 1 else ''} stating no year: {', '.join(undated)}): "
        f"{total.matched} of {total.catalog} targets, {total.extracted} extracted — precision "
        f"{_ratio(total.matched, total.extracted)}, recall {_ratio(total.matched, total.catalog)} "
        f"(with the annotated years: {strict.matched} of {strict.catalog})",
        soft_wrap=True,
    )
    return total


def _parse_clause(
    clause: str, year: int, year_end: int, indicators: IndicatorDictionary
) -> list[ParsedTarget]:
    """A sentence, or a table row written as cells joined by `` | `` (serial, name, value, …)."""
    if " | " not in clause:
        return parse_target(clause, year=year_end, indicators=indicators)
    cells = [c.strip() for c in clause.split(" | ")]
    if cells and cells[0].isdigit():
        cells = cells[1:]
    return parse_table_cell(cells[0], cells[1], year, indicators) if len(cells) >= 2 else []


def run_clauses(details: bool = False) -> dict[str, tuple[int, int]]:
    """Clause-level recall per catalog: plan → (targets found in their own clause, targets).

    A clause names its own year or none; a clause without a year is parsed with the
    target's year as the default, so this table measures the grammar, not year inference.
    """
    console = Console(width=160)
    indicators = load_indicators(CATALOG_DIR / "indicators.yaml")
    results: dict[str, tuple[int, int]] = {}
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found = 0
        targets = [t for t in raw.get("targets") or [] if t.get("clause")]
        for t in targets:
            want = catalog_keys({"targets": [t]}, indicators)
            got = extracted_keys(_parse_clause(t["clause"], int(t["year"]), int(t["year"]), indicators), indicators)
            if set(want) & set(got):
                found += 1
            elif details:
                console.print(f"  [red]not parsed[/] {path.stem}: {_fmt(next(iter(want)))} ← {_clip(t['clause'])}")
        results[path.stem] = (found, len(targets))
    table = Table(title="Clause-level recall (each catalog target parsed from its own clause)")
    for col in ("plan", "targets", "found", "recall"):
        table.add_column(col, justify="left" if col == "plan" else "right")
    for plan_id, (f, n) in results.items():
        table.add_row(plan_id, str(n), str(f), _ratio(f, n))
    f, n = sum(v[0] for v in results.values()), sum(v[1] for v in results.values())
    table.add_row("overall", str(n), str(f), _ratio(f, n), style="bold")
    console.print(table)
    return results


def print_pooled_first_runs(splits: tuple[FreshSplit, ...] = FRESH_SPLITS) -> Score:
    """One line pooling the first (untuned) runs of every fresh split: the honest figure."""
    pooled = Score()
    for split in splits:
        m, e, c = split.first_run
        pooled.add(Score(matched=m, extracted=e, catalog=c))
    names = ", ".join(s.name for s in splits)
    Console(width=160).print(
        f"[bold]Pooled first runs (untuned) of {names}:[/] {pooled.matched} of {pooled.catalog} targets, "
        f"{pooled.extracted} extracted — precision {_ratio(pooled.matched, pooled.extracted)}, "
        f"recall {_ratio(pooled.matched, pooled.catalog)}"
    )
    return pooled


if __name__ == "__main__":
    verbose = bool({"-v", "--verbose", "--details"} & set(sys.argv[1:]))
    run(details=verbose)
    run_heldout(details=verbose)
    run_real(details=verbose)
    for split in FRESH_SPLITS:
        run_real(details=verbose, folder=split.folder, label=split.label)
    print_pooled_first_runs()
    run_clauses(details=verbose)
