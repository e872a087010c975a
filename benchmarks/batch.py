"""Batch speed and size: a region's report against the floor (a kernel plus the notebook's
imports), two workers against one, bytes written per region, and engine-only regions/s.

    .venv/bin/python benchmarks/batch.py [--regions 12] [--rounds 3] [--engine-regions 1000]

Prints one table and, side by side, each figure against its aim; never asserts on time. Aims:
a region's report in a reused kernel ≤ 1.3× the floor, two workers ≥ 1.8× one, ≤ 300 KB per
region.

Two workers against one: the same regions, batched with one and with two workers in
``--rounds`` interleaved rounds (1, 2, then 2, 1, …), each side's best round kept. Each batch
is split as :attr:`BatchResult.timings` reports it: the warm-up (batch start until every worker
has its kernel and has rehearsed a sample region, in parallel) and the regions (first region
started until the last one ended, the slower worker's remaining warm-up included). The aim is
set on the regions; the whole batch (everything included) is printed beside it, with the cores
the regions got (CPU seconds of every process of the batch while they ran ÷ their wall seconds)
and the CPU seconds per region of the parent, the worker processes and the kernels, so a busy
machine shows. From each side's best round it prints every worker's busy seconds and waits and
the parent's parts; from the one-worker batch's timeline its serial fraction, and so the best
speed-up two workers could give (Amdahl's law; and with regions taken whole in the batch's
order), beside the measured one — a bound the machine's load does not move — and, measured
before each round, what the machine gives two processes then (two ÷ one): for a CPU-bound loop,
and for work shaped like a report's (arrays larger than a core's cache, lists written as JSON),
which shares the cores' common cache and memory as two kernels do.
The default size runs in about four minutes on two free cores.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from figures import record

from childplan_analysis import load_indicators, load_observations
from childplan_analysis.batch.jobs import DEFAULT_NOTEBOOK, BatchOptions, load_batch_data
from childplan_analysis.batch.kernel import (
    KernelSlot,
    RegionTask,
    WarmUp,
    execute_region,
    rehearsal_sample,
    shared_assets_setup,
    shutdown_kernels,
    warm_up,
)
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


def region_seconds(data: Path, repeats: int = 3) -> dict[str, float]:
    """One region's report in this process: in a fresh kernel (start included), then (median) in
    a reused one; then, in a new kernel warmed by :func:`warm_up` (kernel, imports, a rehearsed
    sample region), the warm-up and the first region after it."""
    frame = pd.read_csv(data)
    frame = frame[frame["region"] == "县0000"]
    obs = load_batch_data(data).observations
    obs = obs[obs["region"] == "县0000"].reset_index(drop=True)
    notebook = DEFAULT_NOTEBOOK.read_bytes()

    def task(batch: str) -> RegionTask:
        return RegionTask(batch, f"{batch}/县0000", batch, batch, config.NATIONAL_PLAN_FILE.read_bytes(), "县0000",
                          frame.to_csv(index=False).encode(), notebook, None, "zh", 900, observations=obs)

    def timed(t: RegionTask) -> float:
        start = time.perf_counter()
        outcome = execute_region(t)
        if not outcome.ok:
            raise RuntimeError(outcome.reason)
        return time.perf_counter() - start

    try:
        times = [timed(task("bench")) for _ in range(repeats + 1)]
        from childplan_analysis.batch.kernel import notebook_imports as guarded_imports

        warm = WarmUp("warm", "python3", 20, "", guarded_imports(notebook) + "\n" + shared_assets_setup(),
                      rehearsal_sample([task("warm")]))
        start = time.perf_counter()
        warm_up(warm)
        warming = time.perf_counter() - start
        first = timed(task("warm"))
    finally:
        shutdown_kernels()
    return {"cold": times[0], "reused": statistics.median(times[1:]), "warm_up": warming, "first": first}


class CpuMeter:
    """CPU seconds of this process and of every process under it (worker processes, kernels),
    sampled from a thread, so those that end before the batch does are counted too."""

    def __init__(self, every: float = 0.25):
        self.every, self.seen, self._stop = every, {}, threading.Event()
        self.samples: list[tuple[float, float]] = []  # (time.time(), CPU seconds of all so far)
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> CpuMeter:
        self._me = psutil.Process()
        self._before = self._cpu(self._me)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._take()
        self.parent = self._cpu(self._me) - self._before

    @staticmethod
    def _cpu(proc: psutil.Process) -> float:
        t = proc.cpu_times()
        return t.user + t.system

    def _take(self) -> None:
        depth = {self._me.pid: 0}
        for proc in self._me.children(recursive=True):  # parents before their children
            try:
                with proc.oneshot():
                    depth[proc.pid] = depth.get(proc.ppid(), 0) + 1
                    role = _role(" ".join(proc.cmdline()), depth[proc.pid])
                    self.seen[(proc.pid, proc.create_time())] = (role, self._cpu(proc))
            except psutil.Error:
                continue
        mine = self._cpu(self._me) - self._before
        self.samples.append((time.time(), mine + sum(cpu for _, cpu in self.seen.values())))

    def between(self, start: float, end: float) -> float:
        """CPU seconds of all the processes from ``start`` to ``end`` (``time.time()`` values)."""
        def at(when: float) -> float:
            return max((cpu for t, cpu in self.samples if t <= when), default=0.0)
        return at(end) - at(start)

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self._take()

    def by_role(self) -> dict[str, float]:
        roles = {"parent": self.parent}
        for role, cpu in self.seen.values():
            roles[role] = roles.get(role, 0.0) + cpu
        return roles


def _role(cmdline: str, depth: int) -> str:
    """The forkserver (a child of this process), the workers it forks, and their kernels."""
    if "ipykernel" in cmdline or depth >= 3:
        return "kernels"
    return "forkserver" if depth == 1 and "forkserver" in cmdline else "workers"


def timed_batch(**kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = run_batch(BatchOptions(progress=False, **kwargs))
    return time.perf_counter() - start, result


def _spin(n: int) -> int:
    """Pure-Python work that needs one core and nothing else."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _churn(n: int) -> int:
    """Work shaped like a report's: arrays larger than a core's cache made, scaled and summed,
    and lists of floats written as JSON (what building and exporting figures does)."""
    total = 0
    for i in range(n):
        a = np.random.default_rng(i).random(2_000_000)
        total += len(json.dumps(a[:20_000].tolist())) + int((a * 2.0).sum())
    return total


def machine_speedup(work: Callable[[int], int] = _spin, n: int = 4_000_000) -> float:
    """What the machine gives two processes right now: the same loop (``work(n)``, CPU-bound by
    default) run by one process, then by two at once, as work done per second, two ÷ one (2.0 on
    two free cores whose caches and memory do not limit the work)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as pool:
        list(pool.map(work, [1, 1]))  # both processes started
        start = time.perf_counter()
        pool.submit(work, n).result()
        one = time.perf_counter() - start
        start = time.perf_counter()
        list(pool.map(work, [n, n]))
        two = time.perf_counter() - start
    return 2 * one / two


def worker_rounds(data: Path, out: Path, regions: int, rounds: int) -> dict[int, list[dict[str, float]]]:
    """The same regions with one and with two workers, ``rounds`` times, interleaved (1, 2 then
    2, 1 …): per run its wall seconds, the parts :attr:`BatchResult.timings` reports, the CPU
    seconds of the parent, the worker processes and the kernels, and what the machine gave two
    processes just before the round (:func:`machine_speedup`)."""
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for r in range(rounds):
        machine = machine_speedup()
        churn = machine_speedup(_churn, 40)
        for workers in ((1, 2) if r % 2 == 0 else (2, 1)):
            with CpuMeter() as cpu:
                began = time.time()
                wall, result = timed_batch(data=data, out=out / f"r{r}w{workers}", workers=workers)
            assert result.exit_code == 0, [rec.reason for rec in result.failed]
            first = began + result.timings["before_regions"]
            regions_cpu = cpu.between(first, first + result.timings["regions"])
            runs[workers].append({"wall": wall, **result.timings, "regions_cpu": regions_cpu,
                                  "timeline": result.timeline, "load": os.getloadavg()[0], "machine": machine,
                                  "churn": churn,
                                  **{f"cpu_{k}": v for k, v in cpu.by_role().items()}})
    return runs


def print_timelines(best: dict[int, dict]) -> None:
    """Where each side's best round spent its time: per worker, its regions, busy seconds and
    waits (before its first region, between two, after its last, within the regions' window);
    the parent's parts; and, of the one-worker batch, the serial part (what no added worker
    shortens: before the first region, the worker's waits between regions, after the last)."""
    print(f"\n(c) best rounds by worker{'':6s} {'regions':>7s} {'busy s':>7s}   waited s: {'before':>6s} "
          f"{'between':>7s} {'after':>6s}")
    for workers, run in best.items():
        for i, (_, w) in enumerate(sorted(run["timeline"].workers().items()), 1):
            print(f"    --workers {workers}, worker {i}{'':8s} {w.regions:7d} {w.busy:7.2f}   {'':10s}{w.before:6.2f} "
                  f"{w.between:7.2f} {w.after:6.2f}")
    print(f"\n(c) parent s{'':19s} {'loading':>7s} {'planning':>8s} {'storing':>7s} {'assets':>6s} "
          f"{'collecting':>10s}  {'before 1st':>10s}")
    for workers, run in best.items():
        print(f"    --workers {workers}{'':16s} {run['loading']:7.2f} {run['planning']:8.2f} {run['storing']:7.2f} "
              f"{run['assets']:6.2f} {run['collecting']:10.2f}  {run['before_regions']:10.2f}")
    serial = best[1]["timeline"].serial()
    print(f"    serial part of the 1-worker batch: before the first region {serial['before']:.2f} s, "
          f"between regions {serial['between']:.2f} s, after the last {serial['after']:.2f} s; "
          f"regions busy {best[1]['timeline'].busy:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of one and of two workers")
    parser.add_argument("--engine-regions", type=int, default=1000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "regions.csv"
        synthetic_regions(args.regions).to_csv(data, index=False)
        floor = floor_seconds(DEFAULT_NOTEBOOK)
        rows.append(("(a) floor: kernel + notebook imports", floor, floor, 1.0, None))

        probe = region_seconds(data)
        cold, warm = probe["cold"], probe["reused"]
        rows.append(("(b) 1 region, fresh kernel (start included)", cold, cold, cold / floor, 1 / cold))
        rows.append(("(b) 1 region, reused kernel", warm, warm, warm / floor, 1 / warm))
        rows.append(("(b) warm_up(): kernel, imports, rehearsal", probe["warm_up"], None, None, None))
        rows.append(("(b) first region after warm_up()", probe["first"], probe["first"], probe["first"] / floor,
                     1 / probe["first"]))
        one, result = timed_batch(data=data, regions=("县0000",), out=tmp / "one", workers=1)
        assert result.exit_code == 0, [r.reason for r in result.failed]
        rows.append(("    1-region batch, everything included", one, one, one / floor, 1 / one))
        runs = worker_rounds(data, tmp, args.regions, args.rounds)
        best = {w: min(r, key=lambda run: run["regions"]) for w, r in runs.items()}
        for workers, run in best.items():
            per_region = run["regions"] * workers / args.regions
            rows.append((f"(c) {args.regions} regions, --workers {workers}: regions", run["regions"], per_region,
                         per_region / floor, args.regions / run["regions"]))
            rows.append(("    warm-up (in parallel, before the first)", run["warm_up"], None, None, None))
            rows.append(("    whole batch, everything included", run["wall"], run["wall"] * workers / args.regions,
                         None, args.regions / run["wall"]))
        sizes = output_sizes(tmp / "r0w1")

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
    print_rounds(runs, args.regions)
    print_timelines(best)
    speedup = best[1]["regions"] / best[2]["regions"]
    whole = min(r["wall"] for r in runs[1]) / min(r["wall"] for r in runs[2])
    cores = {w: run["regions_cpu"] / run["regions"] for w, run in best.items()}
    one = best[1]["timeline"]
    machine = [run["machine"] for run in runs[1]]
    churn = [run["churn"] for run in runs[1]]
    per_region = {w: {k: run.get(f"cpu_{k}", 0.0) / args.regions for k in ("parent", "workers", "kernels")}
                  for w, run in best.items()}
    print(f"\n{'figure':44s} {'value':>10s} {'aim':>10s}")
    figures = [
        ("report per region (reused kernel) ÷ floor", f"{warm / floor:.2f}×", "≤ 1.3×"),
        ("  in the 1-worker batch, files included ÷ floor",
         f"{best[1]['regions'] / args.regions / floor:.2f}×", ""),
        ("first region after warm-up ÷ reused kernel", f"{probe['first'] / warm:.2f}×", ""),
        ("2 workers ÷ 1 worker (speed-up), regions", f"{speedup:.2f}×", "≥ 1.8×"),
        (f"  Amdahl bound (serial {one.serial_fraction(whole=False):.1%} of 1 worker's)",
         f"{one.amdahl_bound(2, whole=False):.2f}×", ""),
        ("  bound with regions whole, in the batch's order", f"{one.schedule_bound(2, whole=False):.2f}×", ""),
        ("  whole batches, warm-up included", f"{whole:.2f}×", ""),
        (f"  Amdahl bound (serial {one.serial_fraction():.1%} of 1 worker's)", f"{one.amdahl_bound(2):.2f}×", ""),
        ("  bound with regions whole, in the batch's order", f"{one.schedule_bound(2):.2f}×", ""),
        ("  cores the regions got, 1 and 2 workers", f"{cores[1]:.2f}, {cores[2]:.2f}", ""),
        ("  speed-up ÷ (cores got, 2 ÷ 1)", f"{speedup / (cores[2] / cores[1]):.2f}", ""),
        ("  the machine's 2 ÷ 1 (a CPU-bound loop), by round", ", ".join(f"{m:.2f}" for m in machine), ""),
        ("  the machine's 2 ÷ 1 (arrays and JSON), by round", ", ".join(f"{m:.2f}" for m in churn), ""),
        *((f"  CPU s/region, {w} worker{'s' if w > 1 else ''}: parent, workers, kernels",
           ", ".join(f"{v:.2f}" for v in cpu.values()), "") for w, cpu in per_region.items()),
        ("  load average after the best 1- and 2-worker round", f"{best[1]['load']:.1f}, {best[2]['load']:.1f}", ""),
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
           f"regions, best of {args.rounds}; Amdahl bound {one.amdahl_bound(2, whole=False):.2f}×, "
           f"{one.schedule_bound(2, whole=False):.2f}× with whole regions; cores got {cores[1]:.2f} and "
           f"{cores[2]:.2f}; machine's 2 ÷ 1 {best[2]['machine']:.2f} (CPU-bound), {best[2]['churn']:.2f} (arrays and "
           f"JSON); whole batches {whole:.2f}×; "
           f"load average {os.getloadavg()[0]:.1f}")
    record("bytes per region (its folder)", sizes["region"] / 1e3, " KB", "≤ 300 KB", sizes["region"] <= 300e3,
           f"shared assets {sizes['assets'] / 1e6:.1f} MB once")


def print_rounds(runs: dict[int, list[dict[str, float]]], regions: int) -> None:
    """Every round of (c): seconds of its parts, the cores its regions got (CPU seconds of every
    process of the batch while the regions ran ÷ their wall seconds), and CPU seconds per region
    of the whole batch by process (warm-up included)."""
    print(f"\n(c) rounds{'':20s} {'whole':>7s} {'warm-up':>8s} {'regions':>8s} {'cores':>6s}   CPU s/region: "
          f"{'parent':>6s} {'workers':>7s} {'kernels':>7s} {'all':>6s}  machine 2÷1")
    for workers, rounds in runs.items():
        for i, run in enumerate(rounds):
            cpu = {k: run.get(f"cpu_{k}", 0.0) / regions for k in ("parent", "workers", "kernels")}
            total = sum(v for k, v in run.items() if k.startswith("cpu_")) / regions
            print(f"    --workers {workers}, run {i + 1}{'':10s} {run['wall']:7.2f} {run['warm_up']:8.2f} "
                  f"{run['regions']:8.2f} {run['regions_cpu'] / run['regions']:6.2f}   {'':14s}{cpu['parent']:6.2f} "
                  f"{cpu['workers']:7.2f} {cpu['kernels']:7.2f} {total:6.2f}  {run['machine']:11.2f}")
        spread = [r["regions"] for r in rounds]
        print(f"    --workers {workers}: regions best {min(spread):.2f} s, worst {max(spread):.2f} s "
              f"({max(spread) / min(spread) - 1:.0%} apart)")


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
