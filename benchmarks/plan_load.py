"""Plan catalog loading: a generated catalog of about 5 MB, next to ``yaml.safe_load`` of it.

Writes a plan with as many targets as fit in ``--mb`` megabytes (default 5: about 30,000
targets over the dictionary's rate indicators, each with its clause text) and times, one run
each, ``yaml.safe_load`` of the file (parsing only, PyYAML's default safe loader: the yardstick),
the same through ``yaml.CSafeLoader`` (libyaml), and ``load_plan`` (strict YAML, validation,
normalisation, indicator look-up, unit conversion).

Run: ``.venv/bin/python benchmarks/plan_load.py [--mb 5]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from figures import record

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.core.indicators import load_indicators

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
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        n = write_catalog(path, args.mb)
        size = path.stat().st_size
        text = path.read_text(encoding="utf-8")
        load_indicators()  # cached: not part of the timings
        results = []
        _, t = timed(lambda: yaml.safe_load(text))
        results.append(("yaml.safe_load (parse only)", t))
        _, t = timed(lambda: c_safe_load(text))
        results.append(("CSafeLoader (libyaml, parse only)", t))
        plan, t = timed(lambda: load_plan(path))
        assert len(plan.targets) == n
        results.append(("load_plan (strict YAML + validation)", t))
    base = results[0][1]
    print(f"Plan catalog of {size / 2**20:.1f} MB, {n:,} targets, one run each\n")
    print(f"{'step':<40} {'seconds':>8} {'MB/s':>7} {'vs safe_load':>13}")
    for name, seconds in results:
        print(f"{name:<40} {seconds:>8.2f} {size / 2**20 / seconds:>7.2f} {seconds / base:>12.2f}x")
    load_time = results[-1][1]
    record(f"plan load, {size / 2**20:.0f} MB catalog", load_time, " s", "< 5 s", load_time < 5,
           f"{load_time / base:.2f}× yaml.safe_load")


if __name__ == "__main__":
    main()
