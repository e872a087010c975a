"""Extraction benchmark: ``extract_targets`` on the seed plans vs the reviewed catalogs.

For each seed text in ``shared/seeds`` (override with ``CHILDPLAN_SEEDS``) the extracted
targets are compared with the reviewed catalog in ``params/`` (override with
``CHILDPLAN_PARAMS``; the indicator dictionary is read from the same folder) on
``(indicator, comparator, value, year)``, values in the indicator's unit.

* precision = matched / extracted (every extracted target, unresolved ones included);
* precision (resolved) = matched / extracted targets whose indicator was resolved;
* recall = matched / catalog targets.

The plan's end year (the default target year) is the catalog's ``period`` end.
Seed 004 holds two plans (women, then children); it is split at the second title.

A second table parses each catalog target's own ``clause`` with ``parse_target`` and counts
how often the catalogued target is among the results (clause-level recall), for every
catalog in the folder, including those without a seed text (the national outlines).

Usage: ``python benchmarks/extraction.py [--details]``
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from childplan_analysis.config import PARAMS_DIR
from childplan_analysis.extract import extract_targets, split_documents
from childplan_analysis.grammar import ParsedTarget, parse_table_cell, parse_target
from childplan_analysis.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.units import conversion_factor

SEEDS_DIR = Path(os.environ.get("CHILDPLAN_SEEDS") or Path(__file__).parents[1].parent / "shared" / "seeds")
CATALOG_DIR = Path(os.environ.get("CHILDPLAN_PARAMS") or PARAMS_DIR)
#: Seed file prefix → the reviewed catalogs of the plans it holds, in order.
SEED_PLANS: dict[str, list[str]] = {
    "000": ["panshi_children_2021_2030"],
    "001": ["xigang_children_2021_2030"],
    "002": ["dadukou_children_2021_2030"],
    "003": ["jilin_province_child_friendly_2022"],
    "004": ["jilin_city_women_2021_2030", "jilin_city_children_2021_2030"],
}
Key = tuple[str, str, float | None, int]


def _value_in(ind_unit: str | None, value: float | None, unit: str | None, comparator: str) -> float | None:
    if value is None:
        return None
    if comparator.startswith(("relative_", "annual_")):
        return round(value, 6)
    factor = conversion_factor(unit, ind_unit) or 1.0
    return round(value * factor, 6)


def catalog_keys(raw: dict, indicators: IndicatorDictionary) -> Counter[Key]:
    """(indicator id, comparator, value in the indicator's unit, year) of a reviewed catalog."""
    keys: Counter[Key] = Counter()
    for t in raw.get("targets") or []:
        ind = indicators.find(str(t.get("indicator")))
        ind_id = ind.id if ind else str(t.get("indicator"))
        comp = str(t.get("comparator"))
        value = _value_in(ind.unit if ind else None, t.get("value"), t.get("unit"), comp)
        keys[(ind_id, comp, value, int(t.get("year")))] += 1
    return keys


def extracted_keys(targets: list[ParsedTarget], indicators: IndicatorDictionary) -> Counter[Key]:
    keys: Counter[Key] = Counter()
    for t in targets:
        ind = indicators.by_id.get(t.indicator) if t.indicator else None
        ind_id = t.indicator or f"?{t.indicator_zh}"
        comp = t.comparator.value
        value = _value_in(ind.unit if ind else None, t.value, t.unit, comp)
        keys[(ind_id, comp, value, int(t.year or 0))] += 1
    return keys


def _documents() -> list[tuple[str, str]]:
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


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def run(details: bool = False) -> dict[str, tuple[int, int, int, int]]:
    """Print the precision/recall table; return plan → (matched, extracted, resolved, catalog)."""
    console = Console(width=150)
    indicators = load_indicators(CATALOG_DIR / "indicators.yaml")
    results: dict[str, tuple[int, int, int, int]] = {}
    missing = []
    for plan_id, text in _documents():
        path = CATALOG_DIR / f"{plan_id}.yaml"
        if not path.is_file():
            missing.append(path.name)
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        year_end = int((raw.get("period") or [2021, 2030])[1])
        targets = extract_targets(text, plan_year_end=year_end, indicators=indicators)
        got, want = extracted_keys(targets, indicators), catalog_keys(raw, indicators)
        matched = sum((got & want).values())
        resolved = sum(n for k, n in got.items() if not k[0].startswith("?"))
        results[plan_id] = (matched, sum(got.values()), resolved, sum(want.values()))
        if details:
            _print_details(console, plan_id, got, want)
    _print_table(console, results)
    if missing:
        console.print(f"[yellow]missing reviewed catalogs in {CATALOG_DIR}:[/] " + ", ".join(missing))
    return results


def _print_details(console: Console, plan_id: str, got: Counter, want: Counter) -> None:
    console.rule(plan_id)
    for k in sorted((want - got).elements(), key=str):
        console.print(f"  [red]missed[/]  {k}")
    for k in sorted((got - want).elements(), key=str):
        console.print(f"  [yellow]extra[/]   {k}")


def _print_table(console: Console, results: dict[str, tuple[int, int, int, int]]) -> None:
    table = Table(title="Target extraction vs reviewed catalogs")
    for col in ("plan", "catalog", "extracted", "resolved", "matched", "precision", "precision (resolved)", "recall"):
        table.add_column(col, justify="left" if col == "plan" else "right")
    totals = [0, 0, 0, 0]
    for plan_id, (m, e, r, c) in results.items():
        table.add_row(plan_id, str(c), str(e), str(r), str(m), _ratio(m, e), _ratio(m, r), _ratio(m, c))
        totals = [a + b for a, b in zip(totals, (m, e, r, c), strict=True)]
    m, e, r, c = totals
    table.add_row("overall", str(c), str(e), str(r), str(m), _ratio(m, e), _ratio(m, r), _ratio(m, c), style="bold")
    console.print(table)


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
    """Clause-level recall per catalog: plan → (targets found in their own clause, targets)."""
    console = Console(width=150)
    indicators = load_indicators(CATALOG_DIR / "indicators.yaml")
    results: dict[str, tuple[int, int]] = {}
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        if path.name == "indicators.yaml":
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        year_end = int((raw.get("period") or [2021, 2030])[1])
        found = 0
        targets = [t for t in raw.get("targets") or [] if t.get("clause")]
        for t in targets:
            want = catalog_keys({"targets": [t]}, indicators)
            got = extracted_keys(_parse_clause(t["clause"], int(t["year"]), year_end, indicators), indicators)
            if want & got:
                found += 1
            elif details:
                console.print(f"  [red]not parsed[/] {path.stem}: {next(iter(want))} ← {t['clause'][:60]}")
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


if __name__ == "__main__":
    run(details="--details" in sys.argv)
    run_clauses(details="--details" in sys.argv)
