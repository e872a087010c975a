"""Plan-catalog load time: a generated catalog of about 5 MB, read by ``load_plan`` (strict safe
YAML, schema validation, indicator resolution) beside PyYAML's own loaders on the same file.

Usage: ``python benchmarks/plan_load.py [--mb 5]``. The catalog repeats the national children's
outline's targets with new ids until the file reaches the size asked for.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.core import config


def make_catalog(path: Path, megabytes: float) -> int:
    raw = yaml.safe_load(config.NATIONAL_PLAN_FILE.read_text(encoding="utf-8"))
    base = raw["targets"]
    one = len(yaml.safe_dump(base, allow_unicode=True).encode())
    copies = max(1, round(megabytes * 2**20 / one))
    targets = [dict(t, id=f"{t['id']}_{i}") for i in range(copies) for t in base]
    path.write_text(yaml.safe_dump({**raw, "targets": targets}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return len(targets)


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="catalog size in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large_plan.yaml"
        n = make_catalog(path, args.mb)
        size = path.stat().st_size / 2**20
        plan = best_of(lambda: load_plan(path))
        c_yaml = best_of(lambda: yaml.CSafeLoader(path.read_text(encoding="utf-8")).get_single_data())
        py_yaml = best_of(lambda: yaml.safe_load(path.read_text(encoding="utf-8")), runs=1)
    table = Table(title=f"plan catalog of {size:.1f} MB, {n:,} targets (best of 3)")
    for col in ("reader", "seconds", "÷ yaml.CSafeLoader"):
        table.add_column(col, justify="right" if col != "reader" else "left")
    for name, secs in (("load_plan (strict YAML + validation)", plan), ("yaml.CSafeLoader", c_yaml),
                       ("yaml.safe_load (pure Python)", py_yaml)):
        table.add_row(name, f"{secs:.2f}", f"{secs / c_yaml:.2f}")
    Console().print(table)
    Console().print(f"aim: load_plan of a 5 MB catalog < 5 s — measured {plan:.2f} s")


if __name__ == "__main__":
    main()
