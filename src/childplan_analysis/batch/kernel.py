"""The worker side: one region's task, its outcome, and the reused Jupyter kernel it runs in.

:func:`execute_region` is what every executor runs for a region (in a pool process, on a Dask
worker, or in this process). Each worker thread keeps one :class:`KernelSlot`, reused for
several regions with a clean namespace for each, so starting Python and importing the libraries
is paid once per worker, not once per region. Before its first region a worker warms up
(:func:`warm_up`, the same for a pool worker and a Dask worker): it starts its kernel, runs the
notebook's imports in it, then rehearses a small sample region of the batch through the same
code path as a region (assessment, papermill, figures, HTML export) and throws the result away,
so the first-call work of every library is done before the first region is timed. Kernels talk
over Unix sockets in a private folder (ipc transport, with their connection file), never over
unencrypted TCP ports.

Temporary folders (a region's working folder, a kernel's sockets) are made inside the batch's
scratch folder when the worker can see it (:attr:`RegionTask.scratch`), so the parent removes
whatever a killed worker or kernel left behind by removing that one folder.
"""

from __future__ import annotations

import ast
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pandas as pd

from childplan_analysis.batch.assets import (
    FROM_REGION,
    PLOTLY_PENDING,
    kernel_setup_code,
    plotly_bundle_asset,
    share_styles,
)
from childplan_analysis.batch.jobs import (
    DATA_FILE,
    DEFAULT_REGIONS_PER_KERNEL,
    PLAN_FILE,
    RESULTS_FILE,
    region_csv,
)
from childplan_analysis.batch.outputs import result_counts
from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.sources import load_observations


@dataclass
class RegionTask:
    """Everything a worker needs to report one region; no file paths of the parent."""

    batch_id: str
    key: str
    plan_id: str
    plan_title: str
    plan_text: bytes
    region: str
    data_csv: bytes
    notebook: bytes | None
    as_of: int | None
    lang: str
    timeout: float | None
    kernel_name: str = "python3"
    regions_per_kernel: int = DEFAULT_REGIONS_PER_KERNEL
    attempt: int = 1
    keep_notebook: bool = False
    #: Reference plotly.js and the page styles in ``OUT/assets/`` instead of embedding them.
    shared_assets: bool = True
    #: The notebook declares ``results_path``: hand it the worker's assessment (None: the worker
    #: reads the notebook's parameters cell itself).
    takes_results: bool | None = None
    #: The batch's scratch folder (the parent's); temporary folders go there when it exists here.
    scratch: str = ""
    #: The plan and the region's validated observations as the parent loaded them (the worker
    #: then assesses them as they are instead of reading ``plan_text`` and ``data_csv`` again).
    plan: Plan | None = None
    observations: pd.DataFrame | None = None
    #: A warm-up run (:func:`warm_up`): no events to the parent, outputs thrown away.
    rehearsal: bool = False

    @property
    def size(self) -> tuple[int, int]:
        """How much the region's report has to show, to start the largest first: its indicators
        (each a table row and a chart), then its rows (breakdowns, years). Without validated rows,
        only the bytes of its data."""
        if self.observations is None:
            return 0, len(self.data_csv)
        return int(self.observations["indicator"].nunique()), len(self.observations)


@dataclass
class RegionOutcome:
    """What a worker sends back: the files of the region, or why it failed."""

    key: str
    ok: bool
    files: dict[str, bytes] = field(default_factory=dict)
    error_kind: str = ""
    reason: str = ""
    detail: str = ""
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    #: The assessment as a frame, when the executor runs in the parent (engine only).
    results: pd.DataFrame | None = None
    #: Shared assets the report references (name → size), and the bytes of those this worker
    #: process has not sent for this batch yet.
    asset_refs: dict[str, int] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    #: Where and when it ran: the worker (:func:`worker_id`) and the wall-clock start and end
    #: (``time.time()``), for the batch's timeline.
    worker: str = ""
    began: float = 0.0
    ended: float = 0.0


def worker_id() -> str:
    """This worker thread, as the timeline names it: ``host:pid:thread``."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_native_id()}"


def shared_assets_setup() -> str:
    """Kernel code: plotly's ``notebook`` renderer loads plotly.js from the shared assets."""
    return kernel_setup_code(FROM_REGION + PLOTLY_PENDING)


def notebook_parameters(notebook: Path) -> set[str]:
    """The parameters a notebook declares (its ``parameters`` cell); empty if it has none."""
    import papermill as pm

    try:
        return set(pm.inspect_notebook(str(notebook)))
    except Exception:
        return set()


@cache
def _declares_results(notebook: bytes) -> bool:
    """Whether a notebook (its bytes) declares ``results_path``; read once per worker process."""
    with tempfile.TemporaryDirectory(prefix="childplan-nb-") as tmp:
        path = Path(tmp) / "notebook.ipynb"
        path.write_bytes(notebook)
        return "results_path" in notebook_parameters(path)


def failed_outcome(key: str, kind: str, exc: BaseException, start: float,
                   outcome: RegionOutcome | None = None) -> RegionOutcome:
    """``exc`` as the region's failure of kind ``kind``."""
    outcome = outcome or RegionOutcome(key, ok=False)
    outcome.error_kind = kind
    outcome.reason = f"{type(exc).__name__}: {exc}".strip()
    outcome.detail = "".join(traceback.format_exception(exc))
    outcome.seconds = time.monotonic() - start
    return outcome


# ------------------------------------------------------------------ events to the parent

_EVENTS = None  # multiprocessing queue to the parent (process-pool workers only)


def set_event_queue(events) -> None:
    """Send ``start`` and ``kernel`` events to ``events`` (the process pool's parent)."""
    global _EVENTS
    _EVENTS = events


def _emit(*event: object) -> None:
    if _EVENTS is not None:
        try:
            _EVENTS.put(event)
        except Exception:  # the parent is gone; the watchdog ends this process
            pass


# ------------------------------------------------------------------ the kernel slot

#: Clears a kernel's namespace (modules stay imported), from a folder that will not vanish.
_RESET_CODE = ("import os as _os, tempfile as _tf; _os.chdir(_tf.gettempdir()); del _os, _tf\n"
               "get_ipython().run_line_magic('reset', '-f')")


#: Thread pools of the numeric libraries, capped in batch kernels: each worker already has a
#: core's worth of work, and nested BLAS/OpenMP threads only make the workers contend.
_THREAD_CAPS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def kernel_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a batch kernel: the worker's own, with single-threaded numeric libraries
    unless the caller set their thread counts."""
    env = dict(os.environ if environ is None else environ)
    for name in _THREAD_CAPS:
        env.setdefault(name, "1")
    return env


#: Batch kernels keep no input history: every kernel of every worker would otherwise write each
#: cell, and each namespace reset, to the one SQLite history file of the user's IPython profile,
#: waiting for its lock and its disk writes. Their own log stays off the analyst's terminal (a
#: kernel stopped while busy logs "KeyboardInterrupt caught in kernel"); what a failing
#: kernel means for a region is reported as that region's failure.
_IPYKERNEL_ARGUMENTS = ("--HistoryManager.enabled=False", "--IPKernelApp.log_level=CRITICAL")


def kernel_arguments(km) -> list[str]:
    """Command-line options for a batch kernel: :data:`_IPYKERNEL_ARGUMENTS` for an IPython
    kernel, none for another (or an unknown) kernel."""
    try:
        argv = km.kernel_spec.argv
    except Exception:  # no such kernel: starting it reports why
        return []
    return list(_IPYKERNEL_ARGUMENTS) if any("ipykernel" in str(a) for a in argv) else []


#: Longest path of a Unix socket (``sun_path`` holds 108 bytes on Linux, 104 on macOS, NUL included).
_MAX_SOCKET_PATH = 103


def _socket_fits(folder: str) -> bool:
    """Whether the kernel's socket files in ``folder`` (``kernel-<n>``) have short enough paths."""
    return len(os.fsencode(os.path.join(folder, "kernel-99999"))) <= _MAX_SOCKET_PATH


class KernelSlot:
    """One Jupyter kernel, reused for several regions with a clean namespace for each."""

    def __init__(self, kernel_name: str, max_uses: int, scratch: str | None = None):
        self.kernel_name = kernel_name
        self.max_uses = max(1, max_uses)
        self.scratch = scratch
        self.km = None
        self.kc = None
        self.uses = 0
        self.released = False
        self._ipc_dir: str | None = None

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self.km, "provisioner", None)
        return getattr(provisioner, "pid", None)

    def acquire(self, cwd: Path):
        """A running kernel whose namespace is empty and whose working folder is ``cwd``.

        The manager is asynchronous, as nbclient expects (a blocking client would stall its
        event loop and hide a dead kernel or a cell past its timeout).
        """
        from jupyter_core.utils import run_sync

        if self.km is not None and (self.uses >= self.max_uses or not run_sync(self.km.is_alive)()):
            self.shutdown()
        if self.km is not None:
            try:
                self._prepare(cwd)
            except Exception:
                self.shutdown()
        if self.km is None:
            self.start(cwd)
        self.uses += 1
        return self.km

    def start(self, cwd: Path) -> None:
        """Start the kernel now if none is running (it boots while the caller goes on)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None:
            return
        km = AsyncKernelManager(kernel_name=self.kernel_name, **self._transport())
        try:
            run_sync(km.start_kernel)(cwd=str(cwd), env=kernel_environment(), extra_arguments=kernel_arguments(km))
        except BaseException:
            self._remove_ipc_dir()
            raise
        self.km, self.uses, self.released = km, 0, False
        _emit("kernel", os.getpid(), self.pid)

    def _transport(self) -> dict[str, str]:
        """A private folder for the kernel's connection file and, where available, its Unix
        sockets (no TCP ports on the machine); removed with the kernel. The folder is made in
        the batch's scratch folder unless the socket paths would be too long there (a deep
        ``$TMPDIR``), then in the system's temporary folder; TCP on localhost only when even
        that is too deep for a socket path."""
        self._remove_ipc_dir()
        folder = tempfile.mkdtemp(prefix="k", dir=self.scratch) if self.scratch else None
        if folder is not None and not _socket_fits(folder):
            shutil.rmtree(folder, ignore_errors=True)
            folder = None
        self._ipc_dir = folder = folder or tempfile.mkdtemp(prefix="childplan-kernel-")
        settings = {"connection_file": os.path.join(folder, "kernel.json")}
        if os.name == "posix" and _socket_fits(folder):
            settings |= {"transport": "ipc", "ip": os.path.join(folder, "kernel")}
        return settings

    def _remove_ipc_dir(self) -> None:
        if self._ipc_dir:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            self._ipc_dir = None

    def release(self) -> None:
        """Clear the kernel's namespace for the next region, without waiting: the kernel does it
        while this worker exports the report."""
        if self.km is not None and not self.released:
            try:
                self._shell().execute(_RESET_CODE, silent=True, store_history=False)
                self.released = True
            except Exception:
                self.shutdown()

    def _shell(self):
        if self.kc is None:  # shell channel only: no copy of the notebooks' output piles up here
            self.kc = self.km.blocking_client()
            self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        return self.kc

    def _prepare(self, cwd: Path) -> None:
        code = (f"import os as _os; _os.chdir({str(cwd)!r}); del _os\n"
                "get_ipython().execution_count = 1")
        if not self.released:
            code = f"{_RESET_CODE}\n{code}"
        self.released = False
        self.run(code)

    def send(self, code: str) -> None:
        """Queue ``code`` in the kernel without waiting for it (it runs before the next code)."""
        self._shell().execute(code, silent=True, store_history=False)

    def run(self, code: str, timeout: float = 180) -> None:
        """Run ``code`` silently in the kernel and wait for it; raise if it failed."""
        msg_id = self._shell().execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")

    def kill(self) -> None:
        """Stop the kernel at once (from another thread: the region ran out of time)."""
        kill_pid(self.pid)

    def shutdown(self) -> None:
        km, self.km = self.km, None
        kc, self.kc = self.kc, None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            from jupyter_core.utils import run_sync

            pid = getattr(getattr(km, "provisioner", None), "pid", None)
            # killed first: shutdown_kernel interrupts a live kernel before killing it, and the
            # kernel would print "KeyboardInterrupt caught in kernel" on the analyst's terminal
            kill_pid(pid)
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:
                kill_pid(pid)
        self._remove_ipc_dir()


def kill_pid(pid: int | None) -> None:
    """SIGKILL ``pid`` if it is set and still there."""
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


_SLOTS: dict[tuple[str, int], KernelSlot] = {}
#: Warmed kernels of a batch not yet taken by a thread (a Dask worker warms them in its own
#: threads; whichever thread runs a region first takes one).
_SPARE: dict[str, list[KernelSlot]] = {}
_SLOTS_LOCK = threading.Lock()


def scratch_dir(scratch: str) -> str | None:
    """The batch's scratch folder if this process can see it (a remote Dask worker cannot:
    its temporary folders then go to the system's temporary folder)."""
    return scratch if scratch and os.path.isdir(scratch) else None


def _slot(batch_id: str, kernel_name: str, max_uses: int, scratch: str, spare: bool = True) -> KernelSlot:
    """This thread's kernel slot for the batch: its own, else a warmed spare (``spare``), else new."""
    key = (batch_id, threading.get_ident())
    with _SLOTS_LOCK:
        slot = _SLOTS.get(key)
        if slot is None:
            warmed = _SPARE.get(batch_id) if spare else None
            slot = _SLOTS[key] = warmed.pop() if warmed else KernelSlot(kernel_name, max_uses, scratch_dir(scratch))
    return slot


def _slot_for(task: RegionTask) -> KernelSlot:
    return _slot(task.batch_id, task.kernel_name, task.regions_per_kernel, task.scratch)


@dataclass(frozen=True)
class WarmUp:
    """What a worker prepares before its first region: its kernel, the code run in it, and a
    small region of the batch to rehearse (see :func:`warm_up`)."""

    batch_id: str
    kernel_name: str
    regions_per_kernel: int
    scratch: str
    code: str
    sample: RegionTask | None = None


#: Indicators (those with the most rows) a rehearsal keeps of its region's data.
SAMPLE_INDICATORS = 3


def rehearsal_sample(tasks: list[RegionTask], indicators: int = SAMPLE_INDICATORS) -> RegionTask | None:
    """A small region to rehearse: the task with the least data, cut to the ``indicators`` with
    the most rows (their breakdowns and sub-regions kept, so tables, fan charts and gap charts
    all appear); None without a notebook task that carries its rows."""
    tasks = [t for t in tasks if t.notebook is not None and t.observations is not None and len(t.observations)]
    if not tasks:
        return None
    task = min(tasks, key=lambda t: t.size)
    obs = task.observations
    keep = obs["indicator"].value_counts(sort=True).index[:indicators]
    obs = obs[obs["indicator"].isin(keep)].reset_index(drop=True)
    return replace(task, key=f"{task.key}#warm-up", observations=obs, data_csv=region_csv(obs),
                   rehearsal=True, keep_notebook=False, attempt=0)


def warm_up(warm: WarmUp, sample: Callable[[], RegionTask | None] | None = None) -> bool:
    """Warm this worker for the batch, in this thread: start a kernel and run ``warm.code`` in
    it (the notebook's imports, the shared-asset set-up); then, while the kernel imports, take
    the region to rehearse (``warm.sample``, else ``sample()``, which may wait for the parent)
    and run it as a region is run, throwing its outputs away, so that the first real region
    finds every library imported and past its first call (first assessment, table, figure,
    export). The warmed kernel is left for the first thread that runs a region of the batch.

    Returns whether the rehearsal ran and succeeded. Failures are left to the first region,
    which starts a kernel again if needed and reports why it could not.
    """
    slot = _slot(warm.batch_id, warm.kernel_name, warm.regions_per_kernel, warm.scratch, spare=False)
    rehearsed = False
    try:
        slot.start(Path(slot.scratch or tempfile.gettempdir()))
        if warm.code:
            slot.send(warm.code)
        task = warm.sample if warm.sample is not None else sample() if sample is not None else None
        if task is not None and slot.max_uses > 1:  # with one region per kernel, nothing to keep warm
            task = replace(task, batch_id=warm.batch_id, scratch=warm.scratch, rehearsal=True)
            rehearsed = execute_region(task).ok
        if slot.km is not None:
            slot.run("None")  # the kernel is idle: its imports and the namespace reset are done
        slot.uses = 0  # the rehearsal is not one of the kernel's regions
    except Exception:
        slot.shutdown()
    with _SLOTS_LOCK:
        if _SLOTS.get((warm.batch_id, threading.get_ident())) is slot:
            del _SLOTS[(warm.batch_id, threading.get_ident())]
            _SPARE.setdefault(warm.batch_id, []).append(slot)
    _emit("ready", os.getpid(), time.time())
    return rehearsed


def notebook_imports(notebook: bytes) -> str:
    """The import statements of a notebook's code cells, each guarded (a failing import is the
    notebook's own error to report, not the warm-up's)."""
    import json

    try:
        cells = json.loads(notebook.decode("utf-8")).get("cells", [])
    except (ValueError, UnicodeDecodeError, AttributeError):
        return ""
    lines = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                lines.append(f"try:\n    {ast.unparse(node)}\nexcept Exception:\n    pass")
    return "\n".join(dict.fromkeys(lines))


def shutdown_kernels(batch_id: str | None = None) -> int:
    """Shut down the kernels this process keeps for ``batch_id`` (all batches if None)."""
    with _SLOTS_LOCK:
        keys = [k for k in _SLOTS if batch_id is None or k[0] == batch_id]
        slots = [_SLOTS.pop(k) for k in keys]
        for key in [k for k in _SPARE if batch_id is None or k == batch_id]:
            slots += _SPARE.pop(key)
    for slot in slots:
        slot.shutdown()
    return len(slots)


def kill_kernels() -> None:
    """Kill every kernel of this process at once (its parent is gone)."""
    with _SLOTS_LOCK:
        slots = [*_SLOTS.values(), *(s for spare in _SPARE.values() for s in spare)]
    for slot in slots:
        slot.kill()


# ------------------------------------------------------------------ papermill in a reused kernel

_ENGINE_NAME = "childplan_reused_kernel"


def _register_engine() -> None:
    """A papermill engine that runs in a kernel the caller owns and closes its client."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if _ENGINE_NAME in papermill_engines._engines:
        return

    class SaveAtEnd(NotebookExecutionManager):
        """Writes the notebook when it ends (also after a failure or a dead kernel), not twice per
        cell: each write re-validates every output so far."""

        final = False

        def save(self, **kwargs):
            if self.final:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            self.final = True
            super().notebook_complete(**kwargs)

    class ReusedKernelEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=False, log_output=False,
                             autosave_cell_every=30, **kwargs):
            nb_man = SaveAtEnd(nb, output_path=output_path, progress_bar=False, log_output=log_output,
                               autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file, **kwargs)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_ENGINE_NAME, ReusedKernelEngine)


# ------------------------------------------------------------------ one region


def execute_region(task: RegionTask) -> RegionOutcome:
    """Assess one region and run its report notebook. Never raises: failures are outcomes.
    The outcome says which worker ran it, and from when until when."""
    began = time.time()
    if not task.rehearsal:
        _emit("start", (task.key, task.attempt), os.getpid(), began)
    outcome = _run_region(task)
    outcome.worker, outcome.began, outcome.ended = worker_id(), began, time.time()
    return outcome


def _run_region(task: RegionTask) -> RegionOutcome:
    start = time.monotonic()
    outcome = RegionOutcome(task.key, ok=False)
    try:
        with tempfile.TemporaryDirectory(prefix="childplan-region-", dir=scratch_dir(task.scratch)) as tmp:
            folder = Path(tmp)
            (folder / PLAN_FILE).write_bytes(task.plan_text)
            (folder / DATA_FILE).write_bytes(task.data_csv)
            try:
                results = _assess_region(folder, task)
            except Exception as exc:
                return failed_outcome(task.key, "assess", exc, start, outcome)
            outcome.counts = result_counts(results)
            results.to_parquet(folder / RESULTS_FILE, index=False)  # the notebook shows it as is
            files = {RESULTS_FILE: (folder / RESULTS_FILE).read_bytes()}
            if task.notebook is not None:
                notebook_files, failure = _run_notebook(folder, task, outcome)
                if failure is not None:
                    kind, reason, detail = failure
                    outcome.files = notebook_files
                    outcome.error_kind, outcome.reason, outcome.detail = kind, reason, detail
                    outcome.seconds = time.monotonic() - start
                    return outcome
                files.update(notebook_files)
            outcome.files, outcome.ok = files, True
    except Exception as exc:  # anything unexpected still becomes this region's failure
        return failed_outcome(task.key, "internal", exc, start, outcome)
    outcome.seconds = time.monotonic() - start
    return outcome


def _assess_region(folder: Path, task: RegionTask) -> pd.DataFrame:
    """The region's assessment, from the parent's plan and rows when the task carries them."""
    plan = task.plan if task.plan is not None else load_plan(folder / PLAN_FILE)
    obs = task.observations
    if obs is None:
        obs = load_observations(folder / DATA_FILE, errors="report")
    return assess(obs, plan, as_of=task.as_of, regions=[task.region])


def _run_notebook(folder: Path, task: RegionTask, outcome: RegionOutcome
                  ) -> tuple[dict[str, bytes], tuple[str, str, str] | None]:
    """Execute the notebook in the worker's kernel; (files, None) or (partial files, failure)."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from childplan_analysis.report.build import notebook_to_html

    _register_engine()
    nb_in, nb_out = folder / "input.ipynb", folder / "report.ipynb"
    nb_in.write_bytes(task.notebook or b"")
    slot = _slot_for(task)
    timed_out = threading.Event()
    try:
        km = slot.acquire(folder)
    except Exception as exc:
        slot.shutdown()
        return {}, ("kernel", f"kernel did not start: {type(exc).__name__}: {exc}", traceback.format_exc())
    if task.shared_assets:
        try:
            slot.run(shared_assets_setup())
        except Exception as exc:
            slot.shutdown()
            return {}, ("kernel", f"kernel set-up failed: {type(exc).__name__}: {exc}", traceback.format_exc())
    remaining = task.timeout or None  # the clock starts once the kernel is ready

    def expire() -> None:
        timed_out.set()
        slot.kill()

    watchdog = threading.Timer(remaining, expire) if remaining else None
    if watchdog:
        watchdog.daemon = True
        watchdog.start()
    params = {"plan_path": PLAN_FILE, "data_path": DATA_FILE, "region": task.region,
              "as_of": task.as_of, "lang": task.lang}
    takes_results = task.takes_results
    if takes_results is None:
        takes_results = _declares_results(task.notebook or b"")
    if takes_results:
        params["results_path"] = RESULTS_FILE
    failure = None
    try:
        pm.execute_notebook(str(nb_in), str(nb_out), parameters=params, engine_name=_ENGINE_NAME,
                            km=km, kernel_name=task.kernel_name, progress_bar=False,
                            log_output=False, execution_timeout=int(remaining) if remaining else None)
    except pm.PapermillExecutionError as exc:
        where = f" (cell {exc.exec_count})" if exc.exec_count else ""
        failure = ("notebook", f"{exc.ename}: {exc.evalue}{where}", "\n".join(exc.traceback or []))
    except (CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as exc:
        slot.shutdown()
        if timed_out.is_set() or isinstance(exc, CellTimeoutError | TimeoutError):
            failure = ("timeout", f"did not finish within {task.timeout:g} s", traceback.format_exc())
        else:
            failure = ("kernel", f"the kernel died: {type(exc).__name__}: {exc}", traceback.format_exc())
    finally:
        if watchdog:
            watchdog.cancel()
    slot.release()
    if failure is not None:
        partial = {"report.failed.ipynb": nb_out.read_bytes()} if nb_out.exists() else {}
        return partial, failure
    try:
        page = notebook_to_html(nb_out, title=f"{task.region} · {task.plan_title}")
    except Exception as exc:
        return ({"report.failed.ipynb": nb_out.read_bytes()},
                ("export", f"HTML export failed: {type(exc).__name__}: {exc}", traceback.format_exc()))
    if task.shared_assets:
        page = _with_shared_assets(page, task, outcome, _trace_types(nb_out))
    files = {"report.html": page.encode("utf-8")}
    if task.keep_notebook:
        files["report.ipynb"] = nb_out.read_bytes()
    return files, None


_SENT: set[tuple[str, str]] = set()  # (batch, asset) this process has sent to the parent
_SENT_LOCK = threading.Lock()


def _trace_types(notebook: Path) -> set[str] | None:
    """Trace types of the executed notebook's figures (None: unknown, so the full library)."""
    import json

    import nbformat

    from childplan_analysis.report.bundles import notebook_trace_types

    try:
        return notebook_trace_types(nbformat.from_dict(json.loads(notebook.read_bytes())))
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def _with_shared_assets(page: str, task: RegionTask, outcome: RegionOutcome,
                        trace_types: set[str] | None) -> str:
    """The page loading the smallest plotly.js bundle that draws its figures and with its head
    styles moved to a shared file; the outcome names the assets the page references and carries
    the bytes of those this process has not sent yet."""
    page, styles = share_styles(page)
    name, data = plotly_bundle_asset(None if trace_types is None else frozenset(trace_types))
    page = page.replace(FROM_REGION + PLOTLY_PENDING, FROM_REGION + name)
    assets = {name: data, **styles}
    outcome.asset_refs = {name: len(data) for name, data in assets.items()}
    if task.rehearsal:  # thrown away: the first real page of the batch sends the assets
        return page
    with _SENT_LOCK:
        for name, data in assets.items():
            if (task.batch_id, name) not in _SENT:
                _SENT.add((task.batch_id, name))
                outcome.assets[name] = data
    return page
