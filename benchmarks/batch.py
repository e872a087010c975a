"""Batch speed and size: a region's report against the floor (a kernel plus the notebook's
imports), two workers against one, bytes written per region, and engine-only regions/s.

    .venv/bin/python benchmarks/batch.py [--regions 8] [--engine-regions 1000]

Prints one table and, side by side, each figure against its aim; never asserts on time. Aims:
a region's report in a reused kernel ≤ 1.3× the floor, two workers ≥ 1.8× one, ≤ 300 KB per
region. The default size runs in about two minutes on two cores.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from figures import record

from childplan_analysis import load_indicators, load_observations
from childplan_analysis.batch.jobs import DEFAULT_NOTEBOOK, BatchOptions, load_batch_data
from childplan_analysis.batch.kernel import KernelSlot, RegionTask, execute_region, shutdown_kernels
from childplan_analysis.batch.runner import run_batch
from childplan_analysis.core import config


def synthetic_regions(n: int) -> pd.DataFrame:
    """``n`` regions: the national series scaled by a region factor with yearly noise."""
    obs = load_observations(config.NATIONAL_DATA_DIR)
    obs = obs[(obs["sex"] == "total") & (obs["area"] == "total") & (obs["age_group"] == "total")
              & (obs["subregion"] == "")]
    base = obs.drop_duplicates(["indicator", "year"])[["indicator", "year", "value", "unit"]].reset_index(drop=True)
    indicators = load_indicators().by_id
    high = base["indicator"].map(lambda i: indicators[i].bounds[1] if indicators[i].bounds[1] is not None else np.inf)
    rng = np.random.default_rng(7)
    factor = np.repeat(rng.uniform(0.9, 1.1, n), len(base))
    noise = rng.normal(1, 0.01, n * len(base))
    frame = pd.concat([base] * n, ignore_index=True)
    frame.insert(0, "region", np.repeat([f"县{i:04d}" for i in range(n)], len(base)))
    frame["value"] = (frame["value"] * factor * noise).clip(upper=np.tile(high, n)).round(3)
    frame["source"] = "合成演示数据"
    return frame


def notebook_imports(notebook: Path) -> str:
    """The import statements of the notebook's code cells (what the floor must import)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        lines += [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return "\n".join(lines)


def floor_seconds(notebook: Path, repeats: int = 3) -> float:
    """Start a kernel the way the batch does and run the notebook's imports, nothing else."""
    code = notebook_imports(notebook)
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            slot = KernelSlot("python3", 1)
            start = time.perf_counter()
            km = slot.acquire(Path(tmp))
            kc = km.blocking_client()
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
            times.append(time.perf_counter() - start)
            kc.stop_channels()
            slot.shutdown()
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"imports failed: {reply['content']}")
    return statistics.median(times)


def region_seconds(data: Path, repeats: int = 3) -> tuple[float, float]:
    """One region's report in this process: in a fresh kernel, then (median) in a reused one."""
    frame = pd.read_csv(data)
    frame = frame[frame["region"] == "县0000"]
    task = RegionTask("bench", "bench/县0000", "bench", "bench", config.NATIONAL_PLAN_FILE.read_bytes(), "县0000",
                      frame.to_csv(index=False).encode(), DEFAULT_NOTEBOOK.read_bytes(), None, "zh", 900)
    times = []
    try:
        for _ in range(repeats + 1):
            start = time.perf_counter()
            outcome = execute_region(task)
            times.append(time.perf_counter() - start)
            if not outcome.ok:
                raise RuntimeError(outcome.reason)
    finally:
        shutdown_kernels("bench")
    return times[0], statistics.median(times[1:])


def timed_batch(**kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = run_batch(BatchOptions(progress=False, **kwargs))
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=8)
    parser.add_argument("--engine-regions", type=int, default=1000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "regions.csv"
        synthetic_regions(args.regions).to_csv(data, index=False)
        floor = floor_seconds(DEFAULT_NOTEBOOK)
        rows.append(("(a) floor: kernel + notebook imports", floor, floor, 1.0, None))

        cold, warm = region_seconds(data)
        rows.append(("(b) 1 region, fresh kernel (start included)", cold, cold, cold / floor, 1 / cold))
        rows.append(("(b) 1 region, reused kernel", warm, warm, warm / floor, 1 / warm))
        one, result = timed_batch(data=data, regions=("县0000",), out=tmp / "one", workers=1)
        assert result.exit_code == 0, [r.reason for r in result.failed]
        rows.append(("    1-region batch, everything included", one, one, one / floor, 1 / one))
        per_worker = {}
        for workers in (1, 2):
            wall, result = timed_batch(data=data, out=tmp / f"w{workers}", workers=workers)
            assert result.exit_code == 0, [r.reason for r in result.failed]
            per_worker[workers] = wall
            per_region = wall * workers / args.regions
            rows.append((f"(c) {args.regions} regions, --workers {workers}", wall, per_region, per_region / floor,
                         args.regions / wall))
        sizes = output_sizes(tmp / "w1")

        data = tmp / "national.csv"
        synthetic_regions(args.engine_regions).to_csv(data, index=False)
        start = time.perf_counter()
        load_batch_data(data)
        load = time.perf_counter() - start
        engine, result = timed_batch(data=data, out=tmp / "engine", notebooks=False)
        assert result.exit_code == 0
        rows.append((f"(d) {args.engine_regions} regions, engine only", engine, engine / args.engine_regions, None,
                     args.engine_regions / engine))
        rows.append(("    of which loading and validating the data", load, None, None, None))

    print(f"{'step':46s} {'seconds':>9s} {'s/region':>9s} {'× floor':>8s} {'regions/s':>10s}")
    for name, seconds, per_region, ratio, rate in rows:
        print(f"{name:46s} {seconds:9.2f} {_fmt(per_region, 9, 3)} {_fmt(ratio, 8, 2)} {_fmt(rate, 10, 2)}")
    speedup = per_worker[1] / per_worker[2]
    print(f"\n{'figure':44s} {'value':>10s} {'aim':>10s}")
    figures = [
        ("report per region (reused kernel) ÷ floor", f"{warm / floor:.2f}×", "≤ 1.3×"),
        ("  in the 1-worker batch, files included ÷ floor", f"{per_worker[1] / args.regions / floor:.2f}×", ""),
        ("2 workers ÷ 1 worker (speed-up)", f"{speedup:.2f}×", "≥ 1.8×"),
        ("bytes per region (its folder)", f"{sizes['region'] / 1e3:.0f} KB", "≤ 300 KB"),
        ("  of which report.html", f"{sizes['html'] / 1e3:.0f} KB", ""),
        ("shared assets, once per output folder", f"{sizes['assets'] / 1e6:.1f} MB", ""),
        ("engine only, regions/s", f"{args.engine_regions / engine:.0f}", ""),
    ]
    for name, value, aim in figures:
        print(f"{name:44s} {value:>10s} {aim:>10s}")
    print(f"(floor {floor:.2f} s; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end)")
    record("report per region (reused kernel) ÷ floor", warm / floor, "×", "≤ 1.3×", warm / floor <= 1.3,
           f"floor {floor:.2f} s")
    record("2 workers ÷ 1 worker (speed-up)", speedup, "×", "≥ 1.8×", speedup >= 1.8,
           f"load average {os.getloadavg()[0]:.1f}")
    record("bytes per region (its folder)", sizes["region"] / 1e3, " KB", "≤ 300 KB", sizes["region"] <= 300e3,
           f"shared assets {sizes['assets'] / 1e6:.1f} MB once")


def output_sizes(out: Path) -> dict[str, float]:
    """Mean bytes of a region folder and of its report.html; bytes of the shared assets."""
    folders = [m.parent for m in out.glob("*/*/manifest.json")]
    region = statistics.mean(sum(f.stat().st_size for f in d.iterdir() if f.is_file()) for d in folders)
    html = statistics.mean((d / "report.html").stat().st_size for d in folders)
    assets = sum(f.stat().st_size for f in (out / "assets").iterdir()) if (out / "assets").is_dir() else 0
    return {"region": region, "html": html, "assets": assets}


def _fmt(value: float | None, width: int, digits: int) -> str:
    return f"{value:{width}.{digits}f}" if value is not None else " " * width


if __name__ == "__main__":
    sys.exit(main())
