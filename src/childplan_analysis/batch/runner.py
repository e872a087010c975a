"""Batch reports: one report per (plan, region), in parallel, resumable and fault tolerant.

:func:`run_batch` loads the plans and the observations once (:mod:`.jobs`), decides per
(plan, region) what to run, reuse or fail for lack of data, hands the rest to an executor
(:mod:`.executors`: process pool, Dask, or engine only) whose workers run
:func:`~childplan_analysis.batch.kernel.execute_region`, and writes every output atomically as
each region ends (:mod:`.outputs`). Output folder::

    OUT/summary.csv        every (plan, region): status, failure reason, partial output, counts
    OUT/warnings.xlsx      sheets 地区 (the summary), 预警 (targets with warnings), 数据问题 (rejected rows)
    OUT/index.html         every region, failures first, linking reports and partial outputs
    OUT/results.parquet    assessment of every region that succeeded (all plans)
    OUT/<plan id>/<region>/report.html, results.parquet, data.csv, plan.yaml, manifest.json
                           (report.ipynb with ``keep_notebooks``; a failed region:
                           report.failed.ipynb, error.txt; rejected.csv whenever input rows of
                           the region were rejected)

The parent keeps one scratch folder per batch in the system's temporary folder; workers on this
machine put their temporary folders (a region's working folder, a kernel's sockets) inside it,
and it is removed when the batch ends, however its workers ended. The process pool starts its
workers and their kernels while the parent is still loading the data; when each worker will run
more than one region, every worker (pool or Dask) rehearses a small sample region before its
first (:func:`~childplan_analysis.batch.kernel.warm_up`). The regions with the most to report
are started first, so no long region is left to run alone at the end; each region's assessment
is kept as its outcome arrives, so after the last region only the batch files are written.
:attr:`BatchResult.timings` says how long the parts took, :attr:`BatchResult.timeline` which
worker ran each region and when (:mod:`.timeline`).

``manifest.json`` is written last and records the input fingerprint; ``resume=True`` skips a
region whose manifest says ``ok`` for the same fingerprint and whose files are all present.
Engine-only mode (``notebooks=False``) assesses every region in one vectorised pass and writes
the combined results, summary, warnings and index without executing notebooks.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from rich.markup import escape

from childplan_analysis.batch.assets import write_assets
from childplan_analysis.batch.executors import ExecutorSettings, get_executor, prestart_pool
from childplan_analysis.batch.jobs import (
    DATA_FILE,
    ENGINE_STATE,
    PLAN_FILE,
    RESULTS_FILE,
    BatchData,
    BatchOptions,
    Job,
    RegionRecord,
    check_data_path,
    data_failure,
    engine_state,
    inside,
    is_complete,
    load_batch_data,
    load_plan_inputs,
    make_jobs,
    region_csv,
    unreadable,
)
from childplan_analysis.batch.kernel import (
    RegionOutcome,
    RegionTask,
    WarmUp,
    notebook_imports,
    rehearsal_sample,
    shared_assets_setup,
)
from childplan_analysis.batch.outputs import (
    counts_by_region,
    remove_temp_files,
    store_data_failure,
    store_outcome,
    write_batch_outputs,
    write_rejected,
    write_results,
)
from childplan_analysis.batch.timeline import Span, Timeline
from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.io.fileio import atomic_write_text


@dataclass
class BatchResult:
    """What a batch did: one record per (plan, region), and where the outputs are."""

    out: Path
    records: list[RegionRecord]
    interrupted: bool = False
    #: Seconds: ``total``; ``warm_up`` (batch start until the last worker was warm, when the
    #: executor reports it); ``before_regions`` (batch start until the first region started) and
    #: ``regions`` (from then until the last region ended and was stored). The parent's own work:
    #: ``loading`` the plans and the data, ``planning`` (jobs, fingerprints, resume checks, tasks),
    #: ``storing`` the regions' files as they arrive (of which ``assets``, the shared assets),
    #: and ``collecting`` (the combined results, summary, workbook and index, after the last region).
    timings: dict[str, float] = field(default_factory=dict)
    #: Which worker ran each region, and when (see :mod:`.timeline`).
    timeline: Timeline | None = None

    @property
    def failed(self) -> list[RegionRecord]:
        return [r for r in self.records if r.status != "ok"]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0


def executor_name(options: BatchOptions) -> str:
    """``engine`` without notebooks, ``dask`` with a scheduler, else ``pool``."""
    if not options.notebooks:
        return "engine"
    return "dask" if options.scheduler else "pool"


def run_batch(options: BatchOptions, console=None) -> BatchResult:
    """Run a batch (see the module docstring) and return its records; never stops at a region."""
    from rich.console import Console

    console = console or Console(stderr=True)
    began = time.time()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    remove_temp_files(out)
    name = executor_name(options)
    if name == "pool":
        prestart_pool()
    indicators = load_indicators()
    plans = load_plan_inputs(options.plans, indicators)
    check_data_path(options.data)
    workers = options.workers or os.cpu_count() or 1
    settings = ExecutorSettings(uuid.uuid4().hex[:12], timeout=options.timeout, scheduler=options.scheduler,
                                scratch=tempfile.mkdtemp(prefix="childplan-batch-"))
    if options.notebooks:
        settings.warm = warm_up_for(options, settings)
    executor = _early_pool(options, settings, workers) if name == "pool" else None
    clock = _Clock(began)
    try:
        data = load_batch_data(options.data, indicators)
        clock.mark("loading")
        regions = list(options.regions) if options.regions else data.regions()
        if not regions:
            raise ChildplanError(f"{options.data}: no region found in the data (数据中没有地区)")
        jobs = make_jobs(options, plans, regions, data)
        by_obs = dict(tuple(data.observations.groupby("region", sort=False)))
        by_rej = dict(tuple(data.rejected.groupby("region", sort=False))) if len(data.rejected) else {}
        for job in jobs:
            rejected = by_rej.get(job.region)
            job.record.rejected_rows = len(rejected) if rejected is not None else 0
            job.record.unreadable = unreadable(rejected)
        batch = _Batch(options, out, data, by_obs, by_rej, console, clock)
        todo = batch.prepare_reports(jobs) if options.notebooks else batch.prepare_engine(jobs)
        todo.sort(key=lambda jt: jt[1].size, reverse=True)  # the largest reports first
        settings.observations = None if options.notebooks else data.observations
        settings.plans = {p.plan.id: p.plan for p in plans}
        settings.workers = max(1, min(workers, len(todo) or 1))
        for _, task in todo:
            task.batch_id, task.scratch = settings.batch_id, settings.scratch
        # a rehearsal pays off only for a worker that runs more than one region
        sample = rehearsal_sample([t for _, t in todo]) if len(todo) > settings.workers else None
        if settings.warm is not None:
            settings.warm = replace(settings.warm, sample=sample)
        if executor is None:
            executor = get_executor(name, settings)
        else:
            executor.workers = settings.workers
            executor.rehearse(sample)
        clock.mark("planning")
        interrupted = batch.execute(jobs, todo, executor)
        ended = clock.last = time.time()
        results = batch.collect_reports(jobs) if options.notebooks else batch.collect_engine(jobs)
        write_batch_outputs(out, options, plans, jobs, results, data.rejected)
        clock.mark("collecting")
        clock.timeline.ended = time.time()
        timings = {**_timings(began, ended, getattr(executor, "phases", {}), clock.timeline), **clock.seconds}
        return BatchResult(out, [j.record for j in jobs], interrupted, timings, clock.timeline)
    finally:
        if executor is not None and hasattr(executor, "close"):
            executor.close()
        shutil.rmtree(settings.scratch, ignore_errors=True)


def _timings(began: float, ended: float, phases: dict[str, float], timeline: Timeline) -> dict[str, float]:
    """Seconds of the batch's parts from the executor's ``phases`` (``time.time()`` values) and
    the regions' timeline (when the first region started, as its worker saw it)."""
    timings = {"total": time.time() - began}
    if "ready" in phases:
        timings["warm_up"] = phases["ready"] - began
    first = timeline.first_start if timeline.spans else phases.get("first_start")
    if first is not None:
        timings["before_regions"] = first - began
        timings["regions"] = ended - first
    return timings


class _Clock:
    """The parent's time by part (``mark`` ends a part begun where the last one ended) and the
    regions' timeline."""

    def __init__(self, began: float):
        self.last = began
        self.seconds: dict[str, float] = {"storing": 0.0, "assets": 0.0}
        self.timeline = Timeline(began)

    def mark(self, part: str) -> None:
        now = time.time()
        self.seconds[part] = self.seconds.get(part, 0.0) + now - self.last
        self.last = now

    def stored(self, task: RegionTask, outcome: RegionOutcome, received: float, assets: float) -> None:
        """A region's outcome was received at ``received`` and stored now (``assets`` of which
        seconds writing shared assets)."""
        now = time.time()
        self.seconds["storing"] += now - received
        self.seconds["assets"] += assets
        if outcome.worker:
            self.timeline.spans.append(Span(task.key, outcome.worker, outcome.began, outcome.ended, received, now))


def _early_pool(options: BatchOptions, settings: ExecutorSettings, workers: int):
    """The process pool, its workers and their kernels already starting (not for a resumed
    batch, which may have little or nothing left to run)."""
    executor = get_executor("pool", settings)
    if not options.resume:
        executor.start(min(workers, len(options.regions)) if options.regions else workers)
    return executor


def warm_up_for(options: BatchOptions, settings: ExecutorSettings) -> WarmUp | None:
    """What a worker prepares before its first region: its kernel, the notebook's imports and
    the shared-asset renderer (None when the notebook cannot be read: its region reports it);
    the region it rehearses is added once the data are loaded."""
    try:
        notebook = Path(options.notebook).read_bytes()
    except OSError:
        return None
    code = notebook_imports(notebook)
    if options.shared_assets:
        code += "\n" + shared_assets_setup()
    return WarmUp(settings.batch_id, options.kernel_name, options.regions_per_kernel, settings.scratch, code)


class _Batch:
    """The parent's side of one batch: what to run, and storing each outcome as it arrives."""

    def __init__(self, options: BatchOptions, out: Path, data: BatchData, by_obs: dict, by_rej: dict, console,
                 clock: _Clock):
        self.options, self.out, self.data, self.console = options, out, data, console
        self.by_obs, self.by_rej, self.clock = by_obs, by_rej, clock
        self.engine_frames: list[pd.DataFrame] = []
        #: Each region's assessment, read as its outcome arrives (or, reused, as it is planned).
        self.results: dict[str, pd.DataFrame] = {}

    def _task(self, job: Job, data_csv: bytes, notebook: bytes | None) -> RegionTask:
        o = self.options
        return RegionTask("", job.key, job.plan.plan.id, job.plan.plan.title, job.plan.text, job.region,
                          data_csv, notebook, o.as_of, o.lang, o.timeout, o.kernel_name, o.regions_per_kernel,
                          keep_notebook=o.keep_notebooks, shared_assets=o.shared_assets,
                          plan=job.plan.plan,
                          observations=self._rows(job) if notebook is not None else None)

    def _rows(self, job: Job) -> pd.DataFrame | None:
        rows = self.by_obs.get(job.region)
        return None if rows is None else rows.reset_index(drop=True)

    def _folder(self, job: Job) -> Path:
        return inside(self.out, self.out / job.plan.plan.id / job.slug)

    # -------------------------------------------------------------- notebook mode

    def prepare_reports(self, jobs: list[Job]) -> list[tuple[Job, RegionTask]]:
        """Rejected rows, resume check and data check per region; the tasks left to run."""
        notebook = Path(self.options.notebook).read_bytes()
        todo = []
        for job in jobs:
            folder = self._folder(job)
            rejected = self.by_rej.get(job.region)
            write_rejected(folder, rejected)
            manifest = is_complete(folder, job.fingerprint) if self.options.resume else None
            if manifest is not None:
                job.reuse(manifest)
                self.results[job.key] = pd.read_parquet(folder / RESULTS_FILE)
                continue
            region_obs = self.by_obs.get(job.region)
            if region_obs is None or not len(region_obs):
                store_data_failure(folder, job, data_failure(job.region, self.options.data, rejected))
                continue
            todo.append((job, self._task(job, region_csv(region_obs), notebook)))
        return todo

    def store_report(self, job: Job, task: RegionTask, outcome: RegionOutcome, attempts: int) -> float:
        """Write the region's files (and any shared asset it brings); keep its assessment for
        the combined results. Returns the seconds spent writing shared assets."""
        start = time.time()
        if outcome.ok and outcome.assets:
            write_assets(self.out, outcome.assets)
        assets = time.time() - start
        inputs = {PLAN_FILE: task.plan_text, DATA_FILE: task.data_csv}
        store_outcome(self._folder(job), job, inputs, outcome, attempts)
        if job.record.status == "ok" and RESULTS_FILE in outcome.files:
            self.results[job.key] = pd.read_parquet(io.BytesIO(outcome.files[RESULTS_FILE]))
        return assets

    def collect_reports(self, jobs: list[Job]) -> pd.DataFrame:
        """Every succeeded region's assessment, in the jobs' order (read as they arrived)."""
        frames = [self.results[j.key] for j in jobs if j.record.status == "ok" and j.key in self.results]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    # -------------------------------------------------------------- engine only

    def prepare_engine(self, jobs: list[Job]) -> list[tuple[Job, RegionTask]]:
        """Regions without data fail; unchanged ones (resume) keep their previous rows."""
        previous, old = engine_state(self.out, self.options.resume)
        todo, reused = [], []
        for job in jobs:
            if job.region not in self.by_obs:
                job.record.fail("data", data_failure(job.region, self.options.data, self.by_rej.get(job.region)))
            elif previous.get(f"{job.plan.plan.id}/{job.region}") == job.fingerprint:
                job.record.status, job.record.action, job.record.attempts = "ok", "reused", 1
                reused.append(job)
            else:
                todo.append((job, self._task(job, b"", None)))
        if reused and old is not None:
            keys = pd.MultiIndex.from_tuples([(j.plan.plan.id, j.region) for j in reused])
            keep = old[pd.MultiIndex.from_frame(old[["plan_id", "region"]]).isin(keys)]
            self.engine_frames.append(keep)
            counts = counts_by_region(keep)
            for job in reused:
                job.record.counts = counts.get((job.plan.plan.id, job.region), {})
        return todo

    def store_engine(self, job: Job, outcome: RegionOutcome, attempts: int) -> None:
        r = job.record
        r.action, r.seconds, r.attempts, r.counts = "ran", outcome.seconds, attempts, outcome.counts
        if outcome.ok:
            r.status = "ok"
            self.engine_frames.append(outcome.results)
        else:
            r.fail(outcome.error_kind, outcome.reason)

    def collect_engine(self, jobs: list[Job]) -> pd.DataFrame:
        """The combined results, written with the engine state (fingerprints) for resume."""
        frames = [f for f in self.engine_frames if f is not None and len(f)]
        results = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if len(results):
            results = results.sort_values(["plan_id", "region"], kind="stable").reset_index(drop=True)
        state = {"fingerprints": {f"{j.plan.plan.id}/{j.region}": j.fingerprint
                                  for j in jobs if j.record.status == "ok"}}
        (self.out / ENGINE_STATE).unlink(missing_ok=True)
        write_results(self.out, results)
        atomic_write_text(self.out / ENGINE_STATE, json.dumps(state, ensure_ascii=False))
        return results

    # -------------------------------------------------------------- both

    def execute(self, jobs: list[Job], todo: list[tuple[Job, RegionTask]], executor) -> bool:
        """Run the tasks with a progress bar; returns True if interrupted (Ctrl-C)."""
        progress, bar = _progress(self.options, self.console, len(jobs))
        tally = Counter(j.record.status for j in jobs if j.record.status != "not_run")
        by_key = {t.key: j for j, t in todo}

        def advance() -> None:
            progress.update(bar, completed=sum(tally.values()), ok=tally["ok"], failed=tally["failed"],
                            left=len(jobs) - sum(tally.values()))

        def report(task: RegionTask, outcome: RegionOutcome, attempts: int) -> None:
            received, assets = time.time(), 0.0
            job = by_key[task.key]
            if self.options.notebooks:
                assets = self.store_report(job, task, outcome, attempts)
            else:
                self.store_engine(job, outcome, attempts)
            self.clock.stored(task, outcome, received, assets)
            if job.record.status == "failed":
                self._print_failure(job)
            tally[job.record.status] += 1
            advance()

        with progress:
            for job in jobs:
                if job.record.status == "failed":
                    self._print_failure(job)
            advance()
            try:
                if todo:
                    executor.run([t for _, t in todo], report)
            except KeyboardInterrupt:
                return True
        return False

    def _print_failure(self, job: Job) -> None:
        self.console.print(f"[red]✗ {job.plan.plan.id} · {escape(job.region)}: {escape(job.record.reason)}[/]",
                           markup=True, highlight=False, soft_wrap=True)


def _progress(options: BatchOptions, console, total: int):
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TextColumn("[green]{task.fields[ok]} ok[/] · [red]{task.fields[failed]} failed[/] · "
                   "{task.fields[left]} left"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, disable=not options.progress, transient=False,
    )
    task_id = progress.add_task("childplan batch", total=total, ok=0, failed=0, left=total)
    return progress, task_id
