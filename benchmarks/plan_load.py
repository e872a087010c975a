"""Plan catalog loading: generated catalogs of 1, 2.5 and 5 MB, next to ``yaml.safe_load``.

Writes plans with as many targets as fit in ``--mb`` megabytes (default 5: about 22,000 targets
over the dictionary's rate indicators, each with its clause text), and a fifth and a half of
that, and times, one run each, wall and CPU seconds:

- at the largest size, ``yaml.safe_load`` of the file (parsing only, PyYAML's default safe
  loader: the yardstick), the same through ``yaml.CSafeLoader`` (libyaml), and ``load_yaml``
  (the strict YAML that ``load_plan`` reads with);
- at each size, ``load_plan`` (strict YAML, validation, normalisation, indicator look-up, unit
  conversion), with its seconds per MB: the same at every size when time is linear in size;
- ``load_plans`` of the bundled catalogs folder (``params/``).

Run: ``.venv/bin/python benchmarks/plan_load.py [--mb 5]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from figures import record

from childplan_analysis.catalog.plans import load_plan, load_plans
from childplan_analysis.core import config
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.strict_yaml import load_yaml

COMPARATORS = ["<=", "<", ">=", ">"]


def write_catalog(path: Path, megabytes: float) -> int:
    """A plan catalog of about ``megabytes`` MB; returns its number of targets."""
    rates = [i for i in load_indicators() if i.unit in ("%", "‰", "1/10万")]
    sample = [_target(i, rates) for i in range(200)]
    one = len(yaml.safe_dump({"targets": sample}, allow_unicode=True).encode()) / len(sample)
    n = max(1, int(megabytes * 2**20 / one))
    plan = {"id": "generated", "title": "某省儿童发展规划（2021—2030年）", "region": "某省",
            "level": "province", "period": [2021, 2030], "targets": [_target(i, rates) for i in range(n)]}
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return n


def _target(i: int, rates: list) -> dict:
    ind = rates[i % len(rates)]
    value = round(1 + (i % 90) * 1.1, 1)
    comparator = COMPARATORS[i % 4]
    return {"id": f"{ind.id}_{i}", "indicator": ind.name_zh, "comparator": comparator, "value": value,
            "unit": ind.unit, "year": 2025 + 5 * (i % 2), "article": f"第{i // 20 + 1}章",
            "clause": f"（{i % 20 + 1}）到{2025 + 5 * (i % 2)}年，{ind.name_zh}{comparator}{value}{ind.unit}。"}


def c_safe_load(text: str):
    """``yaml.safe_load`` through libyaml's loader."""
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def timed(fn):
    """``fn()``, its wall seconds and its CPU seconds (this process)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    load_indicators()  # cached: not part of the timings
    sizes = [args.mb / 5, args.mb / 2, args.mb]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {mb: Path(tmp) / f"plan_{mb:g}mb.yaml" for mb in sizes}
        counts = {mb: write_catalog(path, mb) for mb, path in paths.items()}
        largest = paths[args.mb]
        size = largest.stat().st_size
        text = largest.read_text(encoding="utf-8")
        parsing = []
        for name, fn in [("yaml.safe_load (parse only)", lambda: yaml.safe_load(text)),
                         ("CSafeLoader (libyaml, parse only)", lambda: c_safe_load(text)),
                         ("load_yaml (strict YAML)", lambda: load_yaml(text))]:
            _, wall, cpu = timed(fn)
            parsing.append((name, wall, cpu))
        loads = []
        for mb, path in paths.items():
            plan, wall, cpu = timed(lambda path=path: load_plan(path))
            assert len(plan.targets) == counts[mb]
            loads.append((path.stat().st_size / 2**20, counts[mb], wall, cpu))
        folder, folder_wall, folder_cpu = timed(lambda: load_plans(config.PARAMS_DIR))
    base = parsing[0][1]
    n = counts[args.mb]
    print(f"Plan catalog of {size / 2**20:.1f} MB, {n:,} targets, one run each\n")
    print(f"{'step':<40} {'seconds':>8} {'CPU s':>7} {'MB/s':>7} {'vs safe_load':>13}")
    rows = [*parsing, ("load_plan (strict YAML + validation)", loads[-1][2], loads[-1][3])]
    for name, wall, cpu in rows:
        print(f"{name:<40} {wall:>8.2f} {cpu:>7.2f} {size / 2**20 / wall:>7.2f} {wall / base:>12.2f}x")
    print(f"\n{'load_plan by size':<22} {'targets':>8} {'seconds':>8} {'CPU s':>7} {'s per MB':>9} {'CPU s per MB':>13}")
    for mb, targets, wall, cpu in loads:
        print(f"{f'{mb:.1f} MB':<22} {targets:>8,} {wall:>8.2f} {cpu:>7.2f} {wall / mb:>9.2f} {cpu / mb:>13.2f}")
    print(f"\nload_plans(params/): {len(folder)} catalogs, {sum(len(p.targets) for p in folder):,} targets, "
          f"{folder_wall:.2f} s ({folder_cpu:.2f} s CPU)\n")
    load_time = loads[-1][2]
    record(f"plan load, {size / 2**20:.0f} MB catalog", load_time, " s", "< 5 s", load_time < 5,
           f"{load_time / base:.2f}× yaml.safe_load")
    growth = (loads[-1][3] / loads[-1][0]) / (loads[0][3] / loads[0][0])
    record(f"plan load CPU s per MB, {loads[-1][0]:.2g} MB ÷ {loads[0][0]:.2g} MB", growth, "×", "≤ 1.5 (linear)",
           growth <= 1.5, f"{loads[0][3] / loads[0][0]:.2f} CPU s per MB at {loads[0][0]:.2g} MB")


if __name__ == "__main__":
    main()
