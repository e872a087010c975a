"""Scale figures of every benchmark, side by side, after one run of each.

Runs ``batch.py``, ``load.py``, ``ingest.py``, ``plan_load.py`` and ``engine.py`` one after
another (each in its own process, as an analyst would run it) and prints each figure an aim is
set on as a ratio to its anchor, next to the aim:

    report per region ÷ floor, 2 workers ÷ 1, bytes per region, validated load ÷ read_csv,
    ingest rows/s, plan load time of a 5 MB catalog, engine fixed model ÷ bare fit,
    model choice for 180,000 series.

Figures are measured, never asserted. The PostgreSQL ingest runs when
``CHILDPLAN_TEST_PG_URL`` is set (``eval "$(scripts/start_test_postgres.sh)"``).

Run: ``.venv/bin/python benchmarks/scale.py [--quick]`` (``--quick``: smaller sizes, for a
first look; the aims are set on the default sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import FIGURES_ENV, shown

HERE = Path(__file__).resolve().parent
#: Each benchmark with its arguments at the default and the quick size.
RUNS = {
    "batch.py": ([], ["--regions", "4", "--engine-regions", "200"]),
    "load.py": ([], ["--rows", "50000", "--excel-rows", "5000", "--repeat", "1"]),
    "ingest.py": ([], ["--rows", "50000"]),
    "plan_load.py": ([], ["--mb", "1"]),
    "engine.py": ([], ["--regions", "600", "--subset", "200"]),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (not the sizes the aims are set on)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks (e.g. load.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sink = Path(tmp) / "figures.jsonl"
        env = {**os.environ, FIGURES_ENV: str(sink)}
        took = {}
        for script, (default, quick) in RUNS.items():
            if args.only and script not in args.only:
                continue
            print(f"== {script}", flush=True)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, str(HERE / script), *(quick if args.quick else default)],
                                  env=env, check=False)
            took[script] = (time.perf_counter() - start, done.returncode)
        figures = [json.loads(line) for line in sink.read_text(encoding="utf-8").splitlines()] if sink.exists() else []
    print(f"\nScale figures ({'quick sizes' if args.quick else 'default sizes'}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)\n")
    print(f"{'figure':<48} {'value':>14} {'aim':>12}  {'':7} anchor")
    for f in figures:
        value = shown(f["value"], f["unit"])
        verdict = {True: "met", False: "not met", None: ""}[f["met"]]
        print(f"{f['name']:<48} {value:>14} {f['aim']:>12}  {verdict:7} {f['anchor']}")
    failed = [s for s, (_, rc) in took.items() if rc != 0]
    print("\n" + ", ".join(f"{s} {t:.0f} s" for s, (t, _) in took.items()))
    if failed:
        print("benchmarks that failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
