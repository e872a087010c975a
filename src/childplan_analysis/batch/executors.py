"""Where regions run: one small :class:`Executor` interface and a registry of them by name.

Every executor takes the batch's :class:`~childplan_analysis.batch.kernel.RegionTask` list and
calls ``report(task, outcome, attempts)`` once per task, as each region finishes, in the parent
process (which writes every output). Built in:

``pool``    worker processes on this machine (forkserver); a dead worker is replaced, its region
            retried, a stuck one killed. :meth:`PoolExecutor.start` starts the workers and their
            kernels while the parent is still loading the data; :meth:`PoolExecutor.rehearse`
            then hands each worker the region it rehearses.
``dask``    a Dask cluster (``scheduler="tcp://host:8786"``, or ``"local"`` for a LocalCluster);
            every worker thread warms a kernel before the regions are submitted.

Both warm their workers with :func:`~childplan_analysis.batch.kernel.warm_up` (kernel, notebook
imports, one rehearsed sample region), and record in ``phases`` when the last worker was warm
(``ready``) and when the first region started (``first_start``), as ``time.time()`` values.
``engine``  no notebooks: every region of a plan assessed in one vectorised pass, in this process.

Add one with :func:`register_executor` (``@register_executor("name")`` on a class taking
:class:`ExecutorSettings`). An executor may also offer ``start(workers)`` (begin before the
tasks are known) and ``close()`` (release what ``start`` took when ``run`` is never called).
"""

from __future__ import annotations

import os
import queue as queue_mod
import shutil
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import pandas as pd

from childplan_analysis.batch.kernel import (
    RegionOutcome,
    RegionTask,
    WarmUp,
    execute_region,
    failed_outcome,
    kill_kernels,
    kill_pid,
    set_event_queue,
    shutdown_kernels,
    warm_up,
)
from childplan_analysis.batch.outputs import counts_by_region
from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.errors import ChildplanError

#: Called by an executor as each region ends: the task, its outcome, the runs it took.
Report = Callable[[RegionTask, RegionOutcome, int], None]
#: Times a region is tried when its worker process dies under it.
MAX_ATTEMPTS = 2
#: Extra seconds (kernel start, HTML export) the parent waits past the timeout before it kills
#: a stuck worker.
KILL_GRACE = 120.0


@dataclass
class ExecutorSettings:
    """What an executor may need to know about the batch."""

    batch_id: str
    workers: int = 1
    timeout: float | None = None
    scheduler: str | None = None
    #: Engine only: every region's observations and the plans by id (the parent has them).
    observations: pd.DataFrame | None = None
    plans: dict[str, Plan] = field(default_factory=dict)
    #: The parent's scratch folder for this batch (workers on this machine put temporary
    #: folders there; whoever ends last removes it).
    scratch: str = ""
    #: What each worker prepares before its first region (pool and Dask).
    warm: WarmUp | None = None


class Executor(Protocol):
    """Runs tasks and reports each outcome; never stops at a failed region."""

    def run(self, tasks: Sequence[RegionTask], report: Report) -> None: ...


EXECUTORS: dict[str, Callable[[ExecutorSettings], Executor]] = {}


def register_executor(name: str):
    """Class decorator: make an executor available by ``name``."""

    def add(factory):
        EXECUTORS[name] = factory
        return factory

    return add


def get_executor(name: str, settings: ExecutorSettings) -> Executor:
    """The executor registered as ``name``, set up for this batch."""
    try:
        factory = EXECUTORS[name]
    except KeyError:
        raise ChildplanError(f"unknown batch executor {name!r} (known: {', '.join(sorted(EXECUTORS))})") from None
    return factory(settings)


# ------------------------------------------------------------------ engine only


@register_executor("engine")
class EngineExecutor:
    """No notebooks: one vectorised assessment per plan for all its regions, in this process."""

    def __init__(self, settings: ExecutorSettings):
        self.settings = settings

    def run(self, tasks: Sequence[RegionTask], report: Report) -> None:
        from childplan_analysis.engine.assess import assess

        obs = self.settings.observations
        for plan_id in dict.fromkeys(t.plan_id for t in tasks):
            plan_tasks = [t for t in tasks if t.plan_id == plan_id]
            start = time.monotonic()
            try:
                results = assess(obs, self.settings.plans[plan_id], as_of=plan_tasks[0].as_of,
                                 regions=[t.region for t in plan_tasks])
            except Exception as exc:
                for task in plan_tasks:
                    report(task, failed_outcome(task.key, "assess", exc, start), 1)
                continue
            seconds = (time.monotonic() - start) / len(plan_tasks)
            counts = counts_by_region(results)
            parts = dict(tuple(results.groupby("region", sort=False)))
            for task in plan_tasks:
                part = parts.get(task.region, results.iloc[:0])
                report(task, RegionOutcome(task.key, True, seconds=seconds, results=part,
                                           counts=counts.get((plan_id, task.region), {})), 1)


# ------------------------------------------------------------------ process pool


#: Imported once by the forkserver, so that every worker forked from it has them: the batch
#: and report code, and what runs and exports a notebook (papermill, nbclient, nbconvert).
_PRELOAD = ["childplan_analysis.batch.kernel", "childplan_analysis.report.build", "papermill",
            "papermill.engines", "papermill.clientwrap", "jupyter_client.manager", "nbconvert"]


def _mp_context():
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return mp.get_context("spawn")


def prestart_pool() -> None:
    """Start the forkserver (it imports :data:`_PRELOAD`) while the parent goes on."""
    ctx = _mp_context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


#: Regions submitted beyond one per worker: a worker that ends a region takes the next at once,
#: without waiting for the parent to store the last one and submit another.
QUEUED = 2

#: Longest a pool worker waits for the parent to name the region it rehearses.
SAMPLE_WAIT = 600.0


def _init_worker(events, parent_pid: int, scratch: str = "", warm: WarmUp | None = None, samples=None) -> None:
    """Process-pool worker set-up: report to the parent, end with it, warm up (its kernel, and
    the region to rehearse from ``samples`` when ``warm`` does not carry one)."""
    set_event_queue(events)
    from multiprocessing import util

    util.Finalize(None, shutdown_kernels, exitpriority=10)
    threading.Thread(target=_watch_parent, args=(parent_pid, scratch), daemon=True).start()
    if warm is not None:
        warm_up(warm, None if samples is None else lambda: _next_sample(samples))


def _next_sample(samples):
    """The region this worker rehearses, as the parent sends it (None: nothing to rehearse)."""
    try:
        return samples.get(timeout=SAMPLE_WAIT)
    except (queue_mod.Empty, OSError, EOFError):
        return None


def _watch_parent(parent_pid: int, scratch: str = "") -> None:
    """End this worker, its kernel and the batch's scratch folder once the parent is gone."""
    while True:
        time.sleep(1.0)
        if not _pid_alive(parent_pid):
            kill_kernels()
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
            os._exit(1)


def _ready() -> int:
    """A trivial call that makes the pool start a worker process."""
    return os.getpid()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kernel_pid_ok(pid: int) -> bool:
    """Whether ``pid`` still is a Jupyter kernel (guards against a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return _pid_alive(pid) and not Path("/proc").is_dir()
    return b"kernel" in cmdline


@register_executor("pool")
class PoolExecutor:
    """Worker processes on this machine; a worker that dies is replaced.

    A region whose worker process dies (killed, out of memory, crash) is tried again, and fails
    after :data:`MAX_ATTEMPTS`; regions that were running beside it in other workers are simply
    resubmitted. A worker stuck past the timeout is killed with its kernel.
    """

    def __init__(self, settings: ExecutorSettings):
        self.workers = max(1, settings.workers)
        self.timeout = settings.timeout
        self.settings = settings
        self._ctx = None
        self._events = None
        self._pool = None
        self._started = 0
        #: Samples to rehearse, for workers started before the parent knew them (:meth:`start`).
        self._samples = None
        self._launcher: threading.Thread | None = None
        self.phases: dict[str, float] = {}

    def _context(self):
        if self._ctx is None:
            self._ctx = _mp_context()
            self._events = self._ctx.Queue()
        return self._ctx

    def _new_pool(self, workers: int, samples=None):
        from concurrent.futures import ProcessPoolExecutor

        s = self.settings
        return ProcessPoolExecutor(max_workers=workers, mp_context=self._context(), initializer=_init_worker,
                                   initargs=(self._events, os.getpid(), s.scratch, s.warm, samples))

    def start(self, workers: int | None = None) -> None:
        """Start ``workers`` worker processes (and, with a warm-up, their kernels) now, from a
        thread: the caller goes on (loading the data) while the forkserver imports the worker
        code and the workers start. Each worker then waits for :meth:`rehearse`."""
        if self._pool is not None:
            return
        n = max(1, workers or self.workers)
        if self.settings.warm is not None and self.settings.warm.sample is None:
            self._samples = self._context().Queue()
        self._pool, self._started = self._new_pool(n, self._samples), n
        self._launcher = threading.Thread(target=_launch, args=(self._pool, n), daemon=True)
        self._launcher.start()

    def rehearse(self, sample: RegionTask | None) -> None:
        """The region each worker rehearses before its first (None: none, each worker only
        starts its kernel): sent to the workers already started, kept for any started later."""
        if self.settings.warm is not None:
            self.settings.warm = replace(self.settings.warm, sample=sample)
        self._send_samples(sample)

    def _send_samples(self, sample: RegionTask | None) -> None:
        samples, self._samples = self._samples, None
        if samples is not None:
            for _ in range(self._started):
                samples.put(sample)

    def close(self) -> None:
        """Shut down workers started by :meth:`start` that :meth:`run` did not use."""
        self._send_samples(None)  # a worker still waiting for its sample stops waiting
        pool, self._pool = self._pool, None
        if self._launcher is not None:
            self._launcher.join()
            self._launcher = None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def run(self, tasks: Sequence[RegionTask], report: Report) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        workers, timeout = self.workers, self.timeout
        if self._pool is not None and self._started < workers:
            self.close()
        self._send_samples(self.settings.warm.sample if self.settings.warm is not None else None)
        queue: deque[RegionTask] = deque(tasks)
        attempts: Counter[str] = Counter()  # runs that ended (outcome, or death of its worker)
        submitted: Counter[str] = Counter()
        kernels: dict[int, set[int]] = {}
        started: dict[tuple[str, int], tuple[int, float]] = {}
        processes: dict = {}
        while queue:
            executor, self._pool = self._pool or self._new_pool(workers), None
            events = self._events
            inflight: dict = {}
            lost: list[RegionTask] = []
            killed: set[str] = set()
            finished = broken = False
            try:
                while (queue or inflight) and not lost and not broken:
                    while queue and len(inflight) < workers + QUEUED:
                        task = queue[0]
                        task.attempt = submitted[task.key] + 1
                        try:  # a worker that died since the last round has broken the pool
                            inflight[executor.submit(execute_region, task)] = task
                        except BrokenProcessPool:
                            broken = True
                            break
                        submitted[task.key] += 1
                        queue.popleft()
                    done, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
                    processes.update(getattr(executor, "_processes", None) or {})
                    _drain_events(events, started, kernels, self.phases)
                    for fut in done:
                        task = inflight.pop(fut)
                        try:
                            outcome = fut.result()
                        except BrokenProcessPool:
                            lost.append(task)
                            continue
                        except Exception as exc:  # e.g. an outcome that could not be sent back
                            outcome = failed_outcome(task.key, "internal", exc, time.monotonic())
                        attempts[task.key] += 1
                        report(task, outcome, attempts[task.key])
                    if timeout:
                        for task in inflight.values():
                            pid, t0 = started.get((task.key, task.attempt), (None, time.time()))
                            if pid and time.time() - t0 > timeout + KILL_GRACE and task.key not in killed:
                                killed.add(task.key)
                                for kpid in kernels.get(pid, ()):
                                    kill_pid(kpid)
                                kill_pid(pid)
                if lost or broken:
                    wait(list(inflight), timeout=30)
                    for fut, task in list(inflight.items()):
                        if fut.done() and not fut.cancelled() and fut.exception() is None:
                            attempts[task.key] += 1
                            report(task, fut.result(), attempts[task.key])
                        else:
                            lost.append(task)
                    inflight.clear()
                finished = not lost and not broken
            finally:
                executor.shutdown(wait=finished, cancel_futures=True)
                if not finished:
                    for proc in list(processes.values()):
                        if proc.exitcode is None:
                            proc.kill()
                for pid, kpids in list(kernels.items()):
                    if not _pid_alive(pid) or not finished:
                        for kpid in kpids:
                            if _kernel_pid_ok(kpid):
                                kill_pid(kpid)
                        kernels.pop(pid, None)
            _drain_events(events, started, kernels, self.phases)  # start events sent before the break
            if lost and self._warm_up_broke(lost, started):
                queue.extendleft(reversed(lost))
            elif lost:
                _handle_lost(lost, started, processes, killed, attempts, timeout, queue, report)


    def _warm_up_broke(self, lost: list[RegionTask], started: dict) -> bool:
        """Whether the pool broke before any of its lost regions started (a worker died while
        rehearsing): the regions are not charged, and the next workers warm up without a rehearsal."""
        warm = self.settings.warm
        if warm is None or warm.sample is None or any((t.key, t.attempt) in started for t in lost):
            return False
        self.settings.warm = replace(warm, sample=None)
        return True


def _launch(pool, workers: int) -> None:
    """Make ``pool`` start its ``workers`` processes (blocks until the forkserver has them)."""
    for _ in range(workers):
        try:
            pool.submit(_ready)
        except RuntimeError:  # shut down meanwhile
            return


def _drain_events(events, started: dict, kernels: dict, phases: dict) -> None:
    while True:
        try:
            event = events.get_nowait()
        except (queue_mod.Empty, OSError, EOFError):
            return
        if event[0] == "start":
            started[event[1]] = (event[2], event[3])
            phases["first_start"] = min(phases.get("first_start", event[3]), event[3])
        elif event[0] == "kernel" and event[2]:
            kernels.setdefault(event[1], set()).add(event[2])
        elif event[0] == "ready":
            phases["ready"] = max(phases.get("ready", event[2]), event[2])


def _handle_lost(lost, started, processes, killed, attempts, timeout, queue, report) -> None:
    """Sort the regions of a broken pool into culprits (their worker died) and bystanders."""

    def died(task: RegionTask) -> int | None:
        pid = started.get((task.key, task.attempt), (None, 0))[0]
        proc = processes.get(pid)
        code = getattr(proc, "exitcode", None) if proc is not None else None
        return code if code not in (None, 0, -signal.SIGTERM) else None

    culprits = {t.key for t in lost if t.key in killed or died(t) is not None}
    if not culprits:  # cannot tell which worker died first: every running region is a suspect
        culprits = {t.key for t in lost if (t.key, t.attempt) in started} or {t.key for t in lost}
    retry = []
    for task in lost:
        if task.key not in culprits:
            retry.append(task)
            continue
        attempts[task.key] += 1
        if task.key in killed:
            outcome = RegionOutcome(task.key, False, error_kind="timeout",
                                    reason=f"did not finish within {timeout:g} s; its worker was killed")
        elif attempts[task.key] >= MAX_ATTEMPTS:
            code = died(task)
            how = f" (exit code {code}{_signal_name(code)})" if code is not None else ""
            outcome = RegionOutcome(task.key, False, error_kind="worker",
                                    reason=f"the worker process died while running this region{how}; "
                                           f"tried {attempts[task.key]} times")
        else:
            retry.append(task)
            continue
        report(task, outcome, attempts[task.key])
    queue.extendleft(reversed(retry))


def _signal_name(code: int | None) -> str:
    if code is None or code >= 0:
        return ""
    try:
        return f": {signal.Signals(-code).name}"
    except ValueError:
        return ""


# ------------------------------------------------------------------ Dask


@register_executor("dask")
class DaskExecutor:
    """A Dask cluster: ``scheduler`` is an address (``tcp://host:8786``) or ``local``
    (a LocalCluster of ``workers`` single-threaded worker processes). Each thread of each
    worker warms a kernel (:func:`~childplan_analysis.batch.kernel.warm_up`) before the regions
    are submitted."""

    def __init__(self, settings: ExecutorSettings):
        self.scheduler = settings.scheduler or "local"
        self.workers = max(1, settings.workers)
        self.batch_id = settings.batch_id
        self.settings = settings
        self.phases: dict[str, float] = {}

    def run(self, tasks: Sequence[RegionTask], report: Report) -> None:
        from distributed import Client, LocalCluster
        from distributed import wait as dask_wait

        cluster = None
        if self.scheduler == "local":
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(self.scheduler, timeout="60s")
        try:
            self._warm(client, len(tasks))
            self.phases["first_start"] = time.time()
            # in the batch's order (the largest regions first), as the process pool takes them
            pending = {client.submit(execute_region, t, key=f"childplan-{self.batch_id}-{i}", pure=False,
                                     priority=len(tasks) - i): t
                       for i, t in enumerate(tasks)}
            while pending:
                try:
                    dask_wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                for fut in [f for f in pending if f.done()]:
                    task = pending.pop(fut)
                    try:
                        outcome = fut.result()
                    except Exception as exc:  # KilledWorker: the region kept killing its workers
                        kind = "worker" if type(exc).__name__ == "KilledWorker" else "internal"
                        outcome = failed_outcome(task.key, kind, exc, time.monotonic())
                        if kind == "worker":
                            outcome.reason = f"the Dask worker died while running this region ({exc})"
                    report(task, outcome, 1)
        finally:
            try:
                client.run(shutdown_kernels, self.batch_id)
            except Exception:
                pass
            client.close()
            if cluster is not None:
                cluster.close()

    def _warm(self, client, tasks: int) -> None:
        """One warm-up per thread of every worker (at most one per region), each pinned to its
        worker, all at once; the regions are submitted once they are done (a failed warm-up is
        left to the first region). No rehearsal when no thread will run a second region."""
        from distributed import wait as dask_wait

        warm = self.settings.warm
        if warm is None:
            return
        if self.scheduler == "local":
            client.wait_for_workers(self.workers, timeout=120)
        nthreads = client.nthreads()
        threads = [addr for j in range(max(nthreads.values(), default=0))  # one per worker first
                   for addr, n in nthreads.items() if j < n]
        if tasks <= len(threads):
            warm = replace(warm, sample=None)
        futures = [client.submit(warm_up, warm, key=f"childplan-{self.batch_id}-warm-{i}", workers=[addr],
                                 allow_other_workers=False, pure=False)
                   for i, addr in enumerate(threads[:tasks])]
        if futures:
            dask_wait(futures)
            self.phases["ready"] = time.time()
            self.phases["rehearsed"] = sum(1 for f in futures if f.status == "finished" and f.result())
        client.cancel(futures)
