"""Batch reports: one report per (plan, region), in parallel, resumable and fault tolerant.

:func:`run_batch` loads the plans and the observations once, splits the data by region and
runs the report notebook (papermill) for every (plan, region) in worker processes — a local
process pool, or a Dask cluster (``scheduler="tcp://…"`` or ``"local"``). Each worker keeps
one Jupyter kernel and reuses it for several regions (namespace reset between regions), so
starting Python and importing the libraries is paid once per worker, not once per region.

Every task is self-contained (plan text, the region's data, the notebook), so workers need no
shared file system; the parent process writes every output atomically. Output folder::

    OUT/summary.csv        every (plan, region): status, failure reason, partial output, counts
    OUT/warnings.xlsx      sheets 地区 (the summary), 预警 (targets with warnings), 数据问题 (rejected rows)
    OUT/index.html         every region, failures first, linking reports and partial outputs
    OUT/results.parquet    assessment of every region that succeeded (all plans)
    OUT/<plan id>/<region>/report.ipynb, report.html, results.parquet, data.csv, plan.yaml,
                           manifest.json  (a failed region: report.failed.ipynb, error.txt;
                           rejected.csv whenever input rows of the region were rejected)

``manifest.json`` is written last and records the input fingerprint (hashes of the plan file,
the region's data, the notebook, the package and the parameters); ``resume=True`` skips a
region whose manifest says ``ok`` for the same fingerprint and whose files are all present.
Engine-only mode (``notebooks=False``) assesses every region in one vectorised pass and writes
the combined results, summary, warnings and index without executing notebooks.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import traceback
import unicodedata
import urllib.parse
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from rich.markup import escape

from childplan_analysis import __version__
from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.columns import OBS_COLUMNS, REJECT_COLUMNS
from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import LEVEL_LABELS, STATUS_LABELS, STATUSES, assess
from childplan_analysis.io.fileio import atomic_write, atomic_write_bytes, atomic_write_text
from childplan_analysis.io.loaders import SUPPORTED_SUFFIXES
from childplan_analysis.io.safety import excel_safe_frame, safe_path_component
from childplan_analysis.io.sources import is_database, load_observations

#: The report notebook run for every region (papermill parameters
#: ``plan_path, data_path, region, as_of, lang``).
DEFAULT_NOTEBOOK = config.NOTEBOOKS_DIR / "region_report.ipynb"
#: Seconds one region may take (kernel start, notebook, HTML export) before it fails.
DEFAULT_TIMEOUT = 900.0
#: Regions executed in one kernel before it is replaced by a fresh one.
DEFAULT_REGIONS_PER_KERNEL = 20
#: Times a region is tried when its worker process dies under it.
MAX_ATTEMPTS = 2
#: Extra seconds (kernel start, HTML export) the parent waits past the timeout before it kills
#: a stuck worker.
KILL_GRACE = 120.0
WARNING_LEVELS = ("red", "yellow", "green")
SUMMARY_COLUMNS = [
    "plan_id", "plan_title", "region", "status", "action", "error_kind", "reason", "folder",
    "report", "partial_output", "targets", *STATUSES, *WARNING_LEVELS, "rejected_rows",
    "seconds", "attempts",
]
_PLAN_FILE, _DATA_FILE = "plan.yaml", "data.csv"
_OK_FILES = ("report.ipynb", "report.html", "results.parquet")
_FAILED_FILES = ("report.failed.ipynb", "error.txt")


# ------------------------------------------------------------------ options and names


@dataclass(frozen=True)
class BatchOptions:
    """What a batch runs and how. See ``docs/batch.md``."""

    plans: tuple[Path, ...] = (config.NATIONAL_PLAN_FILE,)
    data: str | Path = config.NATIONAL_DATA_DIR
    out: Path = config.REPORTS_DIR
    regions: tuple[str, ...] | None = None
    notebook: Path = DEFAULT_NOTEBOOK
    as_of: int | None = None
    lang: str = "zh"
    workers: int | None = None
    scheduler: str | None = None
    resume: bool = False
    notebooks: bool = True
    timeout: float | None = DEFAULT_TIMEOUT
    regions_per_kernel: int = DEFAULT_REGIONS_PER_KERNEL
    kernel_name: str = "python3"
    progress: bool = True


def region_slug(name: str) -> str:
    """A folder name for a region that stays inside the output folder on any system
    (see :func:`childplan_analysis.io.safety.safe_path_component`): readable names are kept as
    they are (``甲县``); a changed name gets a short hash of the original, so two names never
    share a folder."""
    return safe_path_component(name, max_bytes=_MAX_SLUG_BYTES)


_MAX_SLUG_BYTES = 100


def normalise_region(name: str) -> str:
    """A region name as the loaders store it (NFKC, stripped)."""
    return unicodedata.normalize("NFKC", str(name)).strip()


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ValueError(f"{path} would be written outside {root}")
    return path


# ------------------------------------------------------------------ inputs


@dataclass
class PlanInput:
    """A plan catalog and the bytes it was read from."""

    path: Path
    plan: Plan
    text: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text).hexdigest()


@dataclass
class BatchData:
    """Every observation of the batch and every rejected input row, attributed to a region
    where possible (``region`` is empty for rows that belong to no known region)."""

    observations: pd.DataFrame
    rejected: pd.DataFrame
    file_regions: set[str] = field(default_factory=set)

    def regions(self) -> list[str]:
        """Regions with observations, or with a data file of their own that failed to load."""
        return sorted(set(self.observations["region"].unique()) | self.file_regions)


def load_batch_data(data: str | Path, indicators: IndicatorDictionary | None = None) -> BatchData:
    """Read the batch's observations once.

    ``data`` is a file, a database URL, or a folder. In a folder, a file (or a sub-folder)
    named after a region holds that region's data: its rows need no region column, and if it
    cannot be read the failure is charged to that region (``丙县.csv`` → region 丙县).
    """
    indicators = indicators or load_indicators()
    if is_database(data):
        frame = load_observations(str(data), errors="report", indicators=indicators)
        rejected, frame.attrs = frame.attrs.get("rejected"), {}
        return BatchData(frame, _attributed(rejected, ""))
    path = Path(data)
    if not path.exists():
        raise ChildplanError(f"{path}: no such file or folder (数据文件不存在)")
    if path.is_file():
        frame = load_observations(path, errors="report", indicators=indicators)
        rejected, frame.attrs = frame.attrs.get("rejected"), {}
        return BatchData(frame, _attributed(rejected, ""))
    frames, rejects, file_regions = [], [], set()
    for file in _data_files(path):
        hint = normalise_region(file.relative_to(path).parts[0] if file.parent != path else file.stem)
        frame = load_observations(file, errors="report", region=hint, indicators=indicators)
        rejected = frame.attrs.get("rejected")
        frame.attrs = {}
        owners = set(frame["region"].unique())
        if not owners:
            file_regions.add(hint)
        owner = hint if not owners else (owners.pop() if len(owners) == 1 else "")
        frames.append(frame)
        rejects.append(_attributed(rejected, owner))
    obs = pd.concat(frames, ignore_index=True) if frames else load_observations([], errors="report")
    obs = obs.drop_duplicates().sort_values(["region", "indicator", "year"], kind="stable")
    rejected = pd.concat([r for r in rejects if len(r)], ignore_index=True) if any(
        len(r) for r in rejects) else _attributed(None, "")
    return BatchData(obs.reset_index(drop=True), rejected, file_regions)


def _data_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                  and not any(part.startswith((".", "~$")) for part in f.relative_to(folder).parts))


def _attributed(rejected: pd.DataFrame | None, region: str) -> pd.DataFrame:
    frame = pd.DataFrame(columns=REJECT_COLUMNS) if rejected is None else rejected.copy()
    frame.insert(0, "region", region)
    return frame


def load_plan_inputs(paths: Iterable[str | Path], indicators: IndicatorDictionary) -> list[PlanInput]:
    """Every plan catalog named (a folder means its ``*.yaml`` except ``indicators.yaml``)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.glob("*.yaml") if f.name != "indicators.yaml"))
        else:
            files.append(p)
    plans, seen = [], {}
    for f in files:
        plan = load_plan(f, indicators)
        if plan.id in seen:
            raise ChildplanError(f"{f}: plan id {plan.id!r} is also used by {seen[plan.id]}")
        seen[plan.id] = f
        plans.append(PlanInput(f, plan, f.read_bytes()))
    if not plans:
        raise ChildplanError("no plan catalog given (--plans)")
    return plans


def package_fingerprint() -> str:
    """Hash of the package version, its source files and the indicator dictionary."""
    h = hashlib.sha256(__version__.encode())
    for f in sorted(config.PACKAGE_DIR.rglob("*.py")):
        h.update(f.relative_to(config.PACKAGE_DIR).as_posix().encode())
        h.update(f.read_bytes())
    if config.INDICATORS_FILE.is_file():
        h.update(config.INDICATORS_FILE.read_bytes())
    return h.hexdigest()


def region_data_hashes(data: BatchData) -> dict[str, str]:
    """Per region, a hash of its observations and of its rejected input rows."""
    parts: dict[str, dict[str, str]] = {}
    for tag, frame, columns in (("observations", data.observations, OBS_COLUMNS),
                                ("rejected", data.rejected, ["region", *REJECT_COLUMNS])):
        if frame.empty:
            continue
        rows = pd.util.hash_pandas_object(frame[columns].astype(str), index=False).to_numpy()
        for region, idx in frame.groupby("region", sort=False).indices.items():
            parts.setdefault(region, {})[tag] = hashlib.sha256(rows[idx].tobytes()).hexdigest()
    return {region: fingerprint(p) for region, p in parts.items()}


def fingerprint(parts: dict[str, object]) -> str:
    """One hash of a region's inputs (plan, data, notebook, package, parameters)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# ------------------------------------------------------------------ worker side


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


_EVENTS = None  # multiprocessing queue to the parent (process-pool workers only)
_SLOTS: dict[tuple[str, int], KernelSlot] = {}
#: Clears a kernel's namespace (modules stay imported), from a folder that will not vanish.
_RESET_CODE = ("import os as _os, tempfile as _tf; _os.chdir(_tf.gettempdir()); del _os, _tf\n"
               "get_ipython().run_line_magic('reset', '-f')")
_SLOTS_LOCK = threading.Lock()


def _emit(*event: object) -> None:
    if _EVENTS is not None:
        try:
            _EVENTS.put(event)
        except Exception:  # the parent is gone; the watchdog ends this process
            pass


class KernelSlot:
    """One Jupyter kernel, reused for several regions with a clean namespace for each."""

    def __init__(self, kernel_name: str, max_uses: int):
        self.kernel_name = kernel_name
        self.max_uses = max(1, max_uses)
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
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None and (self.uses >= self.max_uses or not run_sync(self.km.is_alive)()):
            self.shutdown()
        if self.km is not None:
            try:
                self._prepare(cwd)
            except Exception:
                self.shutdown()
        if self.km is None:
            km = AsyncKernelManager(kernel_name=self.kernel_name, **self._transport())
            run_sync(km.start_kernel)(cwd=str(cwd))
            self.km, self.uses, self.released = km, 0, False
            _emit("kernel", os.getpid(), self.pid)
        self.uses += 1
        return self.km

    def _transport(self) -> dict[str, str]:
        """Unix sockets in a private folder where available (no TCP ports on the machine)."""
        if os.name != "posix":
            return {}
        self._ipc_dir = tempfile.mkdtemp(prefix="childplan-kernel-")
        return {"transport": "ipc", "ip": os.path.join(self._ipc_dir, "kernel")}

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
        msg_id = self._shell().execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + 60
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"kernel reset failed: {content.get('ename')}: {content.get('evalue')}")

    def kill(self) -> None:
        """Stop the kernel at once (from another thread: the region ran out of time)."""
        pid = self.pid
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def shutdown(self) -> None:
        km, self.km = self.km, None
        kc, self.kc = self.kc, None
        if kc is not None:
            kc.stop_channels()
        if km is None:
            return
        from jupyter_core.utils import run_sync

        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:
            self.kill_process(km)
        if self._ipc_dir:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            self._ipc_dir = None

    @staticmethod
    def kill_process(km) -> None:
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _slot_for(task: RegionTask) -> KernelSlot:
    key = (task.batch_id, threading.get_ident())
    with _SLOTS_LOCK:
        slot = _SLOTS.get(key)
        if slot is None:
            slot = _SLOTS[key] = KernelSlot(task.kernel_name, task.regions_per_kernel)
    return slot


def shutdown_kernels(batch_id: str | None = None) -> int:
    """Shut down the kernels this process keeps for ``batch_id`` (all batches if None)."""
    with _SLOTS_LOCK:
        keys = [k for k in _SLOTS if batch_id is None or k[0] == batch_id]
        slots = [_SLOTS.pop(k) for k in keys]
    for slot in slots:
        slot.shutdown()
    return len(slots)


_ENGINE_NAME = "childplan_reused_kernel"


def _register_engine() -> None:
    """A papermill engine that runs in a kernel the caller owns and closes its client."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    if _ENGINE_NAME in papermill_engines._engines:
        return

    class ReusedKernelEngine(NBClientEngine):
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


def execute_region(task: RegionTask) -> RegionOutcome:
    """Assess one region and run its report notebook. Never raises: failures are outcomes."""
    start = time.monotonic()
    _emit("start", (task.key, task.attempt), os.getpid(), time.time())
    outcome = RegionOutcome(task.key, ok=False)
    try:
        with tempfile.TemporaryDirectory(prefix="childplan-region-") as tmp:
            folder = Path(tmp)
            (folder / _PLAN_FILE).write_bytes(task.plan_text)
            (folder / _DATA_FILE).write_bytes(task.data_csv)
            try:
                results = _assess_region(folder, task)
            except Exception as exc:
                return _failed(outcome, "assess", exc, start)
            outcome.counts = result_counts(results)
            buf = io.BytesIO()
            results.to_parquet(buf, index=False)
            files = {"results.parquet": buf.getvalue()}
            if task.notebook is not None:
                notebook_files, failure = _run_notebook(folder, task, start)
                if failure is not None:
                    kind, reason, detail = failure
                    outcome.files = notebook_files
                    outcome.error_kind, outcome.reason, outcome.detail = kind, reason, detail
                    outcome.seconds = time.monotonic() - start
                    return outcome
                files.update(notebook_files)
            outcome.files, outcome.ok = files, True
    except Exception as exc:  # anything unexpected still becomes this region's failure
        return _failed(outcome, "internal", exc, start)
    outcome.seconds = time.monotonic() - start
    return outcome


def _failed(outcome: RegionOutcome, kind: str, exc: BaseException, start: float) -> RegionOutcome:
    outcome.error_kind = kind
    outcome.reason = f"{type(exc).__name__}: {exc}".strip()
    outcome.detail = "".join(traceback.format_exception(exc))
    outcome.seconds = time.monotonic() - start
    return outcome


def _assess_region(folder: Path, task: RegionTask) -> pd.DataFrame:
    plan = load_plan(folder / _PLAN_FILE)
    obs = load_observations(folder / _DATA_FILE, errors="report")
    return assess(obs, plan, as_of=task.as_of, regions=[task.region])


def _run_notebook(folder: Path, task: RegionTask, start: float
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
        return {}, ("kernel", f"kernel did not start: {type(exc).__name__}: {exc}",
                    traceback.format_exc())
    remaining = task.timeout or None  # the clock starts once the kernel is ready

    def expire() -> None:
        timed_out.set()
        slot.kill()

    watchdog = threading.Timer(remaining, expire) if remaining else None
    if watchdog:
        watchdog.daemon = True
        watchdog.start()
    params = {"plan_path": _PLAN_FILE, "data_path": _DATA_FILE, "region": task.region,
              "as_of": task.as_of, "lang": task.lang}
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
    return {"report.ipynb": nb_out.read_bytes(), "report.html": page.encode("utf-8")}, None


def result_counts(results: pd.DataFrame) -> dict[str, int]:
    """Targets per status and per warning level, plus the number of targets."""
    counts = {s: int((results["status"] == s).sum()) for s in STATUSES}
    counts.update({lv: int((results["warning_level"] == lv).sum()) for lv in WARNING_LEVELS})
    counts["targets"] = len(results)
    return counts


def counts_by_region(results: pd.DataFrame) -> dict[tuple[str, str], dict[str, int]]:
    """:func:`result_counts` for every (plan, region) of a combined results table, vectorised."""
    if results.empty:
        return {}
    keys = [results["plan_id"], results["region"]]
    table = pd.concat([pd.crosstab(keys, results["status"]), pd.crosstab(keys, results["warning_level"])], axis=1)
    table = table.reindex(columns=[*STATUSES, *WARNING_LEVELS], fill_value=0)
    table["targets"] = table[list(STATUSES)].sum(axis=1)
    return {key: {k: int(v) for k, v in row.items()} for key, row in zip(table.index, table.to_dict("records"), strict=True)}


def _init_worker(events, parent_pid: int) -> None:
    """Process-pool worker set-up: report to the parent, and end with it."""
    global _EVENTS
    _EVENTS = events
    from multiprocessing import util

    util.Finalize(None, shutdown_kernels, exitpriority=10)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(1.0)
        if not _pid_alive(parent_pid):
            with _SLOTS_LOCK:
                slots = list(_SLOTS.values())
            for slot in slots:
                slot.kill()
            os._exit(1)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ------------------------------------------------------------------ executors

Report = Callable[[RegionTask, RegionOutcome, int], None]


def _mp_context():
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["childplan_analysis.batch.runner", "childplan_analysis.report.build"])
        return ctx
    return mp.get_context("spawn")


def _kernel_pid_ok(pid: int) -> bool:
    """Whether ``pid`` still is a Jupyter kernel (guards against a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return _pid_alive(pid) and not Path("/proc").is_dir()
    return b"kernel" in cmdline


def _kill(pid: int | None) -> None:
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def run_with_pool(tasks: Sequence[RegionTask], workers: int, timeout: float | None, report: Report) -> None:
    """Run ``tasks`` in a pool of worker processes; a worker that dies is replaced.

    A region whose worker process dies (killed, out of memory, crash) is tried again, and fails
    after :data:`MAX_ATTEMPTS`; regions that were running beside it in other workers are simply
    resubmitted. A worker stuck past the timeout is killed with its kernel.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = _mp_context()
    events = ctx.Queue()
    queue: deque[RegionTask] = deque(tasks)
    attempts: Counter[str] = Counter()  # runs that ended (outcome, or death of its worker)
    submitted: Counter[str] = Counter()
    kernels: dict[int, set[int]] = {}
    started: dict[tuple[str, int], tuple[int, float]] = {}
    processes: dict = {}
    while queue:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                       initargs=(events, os.getpid()))
        inflight: dict = {}
        lost: list[RegionTask] = []
        killed: set[str] = set()
        finished = False
        try:
            while (queue or inflight) and not lost:
                while queue and len(inflight) < workers:
                    task = queue.popleft()
                    submitted[task.key] += 1
                    task.attempt = submitted[task.key]
                    inflight[executor.submit(execute_region, task)] = task
                done, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
                processes.update(getattr(executor, "_processes", None) or {})
                _drain_events(events, started, kernels)
                for fut in done:
                    task = inflight.pop(fut)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        lost.append(task)
                        continue
                    except Exception as exc:  # e.g. an outcome that could not be sent back
                        outcome = _failed(RegionOutcome(task.key, ok=False), "internal", exc, time.monotonic())
                    attempts[task.key] += 1
                    report(task, outcome, attempts[task.key])
                if timeout:
                    for task in inflight.values():
                        pid, t0 = started.get((task.key, task.attempt), (None, time.time()))
                        if pid and time.time() - t0 > timeout + KILL_GRACE and task.key not in killed:
                            killed.add(task.key)
                            for kpid in kernels.get(pid, ()):
                                _kill(kpid)
                            _kill(pid)
            if lost:
                wait(list(inflight), timeout=30)
                for fut, task in list(inflight.items()):
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        attempts[task.key] += 1
                        report(task, fut.result(), attempts[task.key])
                    else:
                        lost.append(task)
                inflight.clear()
            finished = not lost
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
                            _kill(kpid)
                    kernels.pop(pid, None)
        if lost:
            _handle_lost(lost, started, processes, killed, attempts, timeout, queue, report)


def _drain_events(events, started: dict, kernels: dict) -> None:
    import queue as queue_mod

    while True:
        try:
            event = events.get_nowait()
        except (queue_mod.Empty, OSError, EOFError):
            return
        if event[0] == "start":
            started[event[1]] = (event[2], event[3])
        elif event[0] == "kernel" and event[2]:
            kernels.setdefault(event[1], set()).add(event[2])


def _handle_lost(lost, started, processes, killed, attempts, timeout, queue, report) -> None:
    """Sort the regions of a broken pool into culprits (their worker died) and bystanders."""

    def died(task: RegionTask) -> int | None:
        pid = started.get((task.key, task.attempt), (None, 0))[0]
        proc = processes.get(pid)
        code = getattr(proc, "exitcode", None) if proc is not None else None
        return code if code not in (None, 0, -signal.SIGTERM) else None

    culprits = {t.key for t in lost if t.key in killed or died(t) is not None}
    if not culprits:  # cannot tell which worker died first: every running region is a suspect
        culprits = {t.key for t in lost}
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


def run_with_dask(tasks: Sequence[RegionTask], scheduler: str, workers: int, report: Report,
                  batch_id: str) -> None:
    """Run ``tasks`` on a Dask cluster: ``scheduler`` is an address or ``local`` (LocalCluster)."""
    from distributed import Client, LocalCluster
    from distributed import wait as dask_wait

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="60s")
    try:
        pending = {client.submit(execute_region, t, key=f"childplan-{batch_id}-{i}", pure=False): t
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
                    outcome = _failed(RegionOutcome(task.key, ok=False), kind, exc, time.monotonic())
                    if kind == "worker":
                        outcome.reason = f"the Dask worker died while running this region ({exc})"
                report(task, outcome, 1)
    finally:
        try:
            client.run(shutdown_kernels, batch_id)
        except Exception:
            pass
        client.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------ outputs


@dataclass
class RegionRecord:
    """One row of the summary."""

    plan_id: str
    plan_title: str
    region: str
    status: str = "not_run"
    action: str = ""
    error_kind: str = ""
    reason: str = ""
    folder: str = ""
    report: str = ""
    partial_output: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    rejected_rows: int = 0
    seconds: float = 0.0
    attempts: int = 0

    def row(self) -> dict[str, object]:
        base = {k: getattr(self, k) for k in ("plan_id", "plan_title", "region", "status", "action",
                                                "error_kind", "reason", "folder", "report", "partial_output")}
        base["targets"] = self.counts.get("targets", 0)
        base.update({k: self.counts.get(k, 0) for k in (*STATUSES, *WARNING_LEVELS)})
        base.update(rejected_rows=self.rejected_rows, seconds=round(self.seconds, 2), attempts=self.attempts)
        return base


_TEMP_FILE = re.compile(r"^\..+\.tmp(\.[^.]+)?$")


def remove_temp_files(out: Path) -> int:
    """Delete temporary files a killed batch left behind (atomic writes that never finished)."""
    n = 0
    if out.is_dir():
        for f in out.rglob(".*"):
            if f.is_file() and _TEMP_FILE.match(f.name):
                f.unlink(missing_ok=True)
                n += 1
    return n


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a region folder, or None if missing or unreadable."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_complete(folder: Path, fp: str) -> dict | None:
    """The manifest if the region finished ``ok`` with fingerprint ``fp`` and all its files are there."""
    m = read_manifest(folder)
    if not m or m.get("status") != "ok" or m.get("fingerprint") != fp:
        return None
    for name, size in m.get("files", {}).items():
        f = folder / name
        if not f.is_file() or f.stat().st_size != size:
            return None
    return m


def store_region(folder: Path, files: dict[str, bytes], manifest: dict, stale: Iterable[str]) -> None:
    """Write a region's files atomically, drop files of an earlier run, write the manifest last."""
    (folder / "manifest.json").unlink(missing_ok=True)
    for name, data in files.items():
        atomic_write_bytes(folder / name, data)
    for name in stale:
        if name not in files:
            (folder / name).unlink(missing_ok=True)
    manifest = {**manifest, "files": {n: len(d) for n, d in files.items()}}
    atomic_write_text(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))


def write_summary(out: Path, records: list[RegionRecord]) -> Path:
    """``summary.csv`` (UTF-8 with BOM so Excel reads the Chinese), one row per (plan, region)."""
    frame = pd.DataFrame([r.row() for r in records], columns=SUMMARY_COLUMNS)
    return atomic_write_text(out / "summary.csv", frame.to_csv(index=False), encoding="utf-8-sig")


_SUMMARY_HEADINGS = {
    "plan_id": "规划编号", "plan_title": "规划", "region": "地区", "status": "运行状态", "action": "本次",
    "error_kind": "失败类型", "reason": "原因", "folder": "输出目录", "report": "报告",
    "partial_output": "部分输出", "targets": "目标数", "rejected_rows": "被拒绝的数据行",
    "seconds": "用时(秒)", "attempts": "尝试次数",
    **{s: STATUS_LABELS[s]["zh"] for s in STATUSES}, **{lv: f"{LEVEL_LABELS[lv]['zh']}色预警" for lv in WARNING_LEVELS},
}


def write_warnings(out: Path, records: list[RegionRecord], warnings: pd.DataFrame,
                   rejected: pd.DataFrame, lang: str = "zh") -> Path:
    """``warnings.xlsx``: 地区 (every region's run status), 预警 (targets with a warning), 数据问题.

    Text is always written as text: a region called ``=HYPERLINK(…)`` stays a name, not a formula.
    """
    summary = pd.DataFrame([r.row() for r in records], columns=SUMMARY_COLUMNS)
    if lang == "zh":
        summary = summary.rename(columns=_SUMMARY_HEADINGS)
    sheets = {"地区 regions": summary, "预警 warnings": warnings, "数据问题 rejected rows": rejected}
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

    def write(tmp: str) -> None:
        with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
            for title, frame in sheets.items():
                if len(frame) > _XLSX_MAX_ROWS:  # Excel's limit; the CSV files have every row
                    more = len(frame) - _XLSX_MAX_ROWS
                    note = pd.DataFrame([{frame.columns[0]: f"… {more} more rows not shown (Excel row limit)"}])
                    frame = pd.concat([frame.head(_XLSX_MAX_ROWS), note], ignore_index=True)
                excel_safe_frame(frame).to_excel(xw, sheet_name=title, index=False)

    return atomic_write(out / "warnings.xlsx", write)


_XLSX_MAX_ROWS = 1_000_000


def warning_rows(results: pd.DataFrame, plans: dict[str, Plan], lang: str = "zh") -> pd.DataFrame:
    """Targets with an early warning (预计达标困难, 波动较大, 逆向变化, 数据陈旧) or a red level,
    localized, one row per (plan, region, target)."""
    from childplan_analysis.report.build import scorecard

    frames = []
    flagged = results[(results["warnings"] != "") | (results["warning_level"] == "red")]
    for plan_id, part in flagged.groupby("plan_id", sort=True):
        card = scorecard(part.reset_index(drop=True), plans[plan_id], lang)
        card.insert(0, "规划" if lang == "zh" else "Plan", plans[plan_id].title)
        frames.append(card)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


_RUN_LABELS = {
    "ok": {"zh": "完成", "en": "Done"},
    "failed": {"zh": "失败", "en": "Failed"},
    "not_run": {"zh": "未运行", "en": "Not run"},
}


def write_batch_index(out: Path, records: list[RegionRecord], title: str, lang: str = "zh") -> Path:
    """``index.html``: every (plan, region) with run status, failure reason, partial output
    and status counts; failures first. Every name is escaped and every link is relative."""
    zh = lang != "en"
    n = Counter(r.status for r in records)
    order = {"failed": 0, "not_run": 1, "ok": 2}
    rows = []
    for r in sorted(records, key=lambda r: (order.get(r.status, 3), r.plan_id, r.region)):
        region = html.escape(r.region)
        if r.report:
            region = f'<a href="{_href(r.report)}">{region}</a>'
        partial = f'<a href="{_href(r.partial_output)}">{html.escape(r.partial_output)}</a>' if r.partial_output else ""
        counts = " ".join(
            f'<span class="s {s}">{html.escape(STATUS_LABELS[s][lang])} {r.counts.get(s, 0)}</span>'
            for s in STATUSES if r.counts.get(s))
        levels = " ".join(f'<span class="lv {lv}">{html.escape(LEVEL_LABELS[lv][lang])} {r.counts.get(lv, 0)}</span>'
                          for lv in ("red", "yellow") if r.counts.get(lv))
        reason = html.escape(r.reason)
        if r.rejected_rows:
            reason += html.escape(f"{'；' if reason else ''}{r.rejected_rows} 行数据被拒绝" if zh
                                  else f"{'; ' if reason else ''}{r.rejected_rows} data rows rejected")
        rows.append(
            f'<tr class="{r.status}"><td>{html.escape(r.plan_title)}</td><td>{region}</td>'
            f'<td class="run">{html.escape(_RUN_LABELS[r.status][lang])}</td><td>{counts}</td>'
            f"<td>{levels}</td><td>{reason}</td><td>{partial}</td></tr>")
    stats = (f"共 {len(records)} 个 · 完成 {n['ok']} · 失败 {n['failed']}" + (f" · 未运行 {n['not_run']}" if n["not_run"] else "")
             if zh else f"{len(records)} reports · {n['ok']} done · {n['failed']} failed"
             + (f" · {n['not_run']} not run" if n["not_run"] else ""))
    head = (["规划", "地区", "运行", "目标状态", "预警", "原因 / 说明", "部分输出"] if zh
            else ["Plan", "Region", "Run", "Targets", "Warnings", "Reason / note", "Partial output"])
    page = f"""<!DOCTYPE html>
<html lang="{'zh-CN' if zh else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;}}
table{{border-collapse:collapse;width:100%;}} td,th{{border-bottom:1px solid #ddd;padding:.35em;text-align:left;vertical-align:top;}}
tr.failed td.run{{color:#d73027;font-weight:bold}} tr.not_run td.run{{color:#777}}
.s,.lv{{display:inline-block;margin-right:.6em;white-space:nowrap}} .achieved{{color:#1a9850}} .on_track{{color:#4d9221}}
.acceleration_needed{{color:#d46b08}} .regressing{{color:#d73027}} .insufficient_data{{color:#777}}
.lv.red{{color:#d73027}} .lv.yellow{{color:#b8860b}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(stats)} · <a href="summary.csv">summary.csv</a> · <a href="warnings.xlsx">warnings.xlsx</a></p>
<table><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    return atomic_write_text(out / "index.html", page)


def _href(relative: str) -> str:
    return html.escape(urllib.parse.quote(relative), quote=True)


# ------------------------------------------------------------------ the batch


@dataclass
class BatchResult:
    """What a batch did: one record per (plan, region), and where the outputs are."""

    out: Path
    records: list[RegionRecord]
    interrupted: bool = False

    @property
    def failed(self) -> list[RegionRecord]:
        return [r for r in self.records if r.status != "ok"]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0


@dataclass
class _Job:
    plan: PlanInput
    region: str
    slug: str
    record: RegionRecord
    fingerprint: str
    inputs: dict[str, object]


def parse_regions(values: Iterable[str] | None) -> tuple[str, ...] | None:
    """Region names from options: repeated, comma separated, or ``@file`` with one per line."""
    if not values:
        return None
    names: list[str] = []
    for value in values:
        if value.startswith("@"):
            names.extend(Path(value[1:]).read_text(encoding="utf-8-sig").splitlines())
        else:
            names.extend(re.split(r"[,，]", value))
    cleaned = [normalise_region(n) for n in names]
    return tuple(dict.fromkeys(n for n in cleaned if n)) or None


def run_batch(options: BatchOptions, console=None) -> BatchResult:
    """Run a batch (see the module docstring) and return its records; never stops at a region."""
    from rich.console import Console

    console = console or Console(stderr=True)
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    remove_temp_files(out)
    indicators = load_indicators()
    plans = load_plan_inputs(options.plans, indicators)
    data = load_batch_data(options.data, indicators)
    regions = list(options.regions) if options.regions else data.regions()
    if not regions:
        raise ChildplanError(f"{options.data}: no region found in the data (数据中没有地区)")
    data_hashes = region_data_hashes(data)
    common = {"package": package_fingerprint(), "as_of": options.as_of, "lang": options.lang,
              "notebook": _file_digest(options.notebook) if options.notebooks else None}
    jobs = []
    for p in plans:
        for region in regions:
            slug = region_slug(region)
            inputs = {**common, "plan": p.digest, "data": data_hashes.get(region, "")}
            folder = f"{p.plan.id}/{slug}" if options.notebooks else ""
            record = RegionRecord(p.plan.id, p.plan.title, region, folder=folder)
            jobs.append(_Job(p, region, slug, record, fingerprint(inputs), inputs))
    by_region_obs = dict(tuple(data.observations.groupby("region", sort=False)))
    by_region_rej = dict(tuple(data.rejected.groupby("region", sort=False))) if len(data.rejected) else {}
    for job in jobs:
        job.record.rejected_rows = len(by_region_rej.get(job.region, ()))
    runner = _run_notebooks if options.notebooks else _run_engine
    interrupted = runner(options, out, jobs, data, by_region_obs, by_region_rej, console)
    records = [j.record for j in jobs]
    _write_batch_outputs(out, options, plans, jobs, data)
    return BatchResult(out, records, interrupted)


def _file_digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _data_failure(region: str, data: str | Path, rejected: pd.DataFrame | None) -> str:
    if rejected is None or not len(rejected):
        return f"no observations for this region in {data} (数据中没有该地区)"
    reasons = list(dict.fromkeys(f"{Path(str(f)).name}: {r}" for f, r in zip(rejected["file"], rejected["reason"], strict=True)))
    more = f"; … {len(reasons) - 3} more" if len(reasons) > 3 else ""
    return f"no usable observations: {len(rejected)} input row(s) rejected — " + "; ".join(reasons[:3]) + more


def _region_csv(frame: pd.DataFrame) -> bytes:
    return frame[OBS_COLUMNS].to_csv(index=False).encode("utf-8-sig")


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


def _run_notebooks(options, out, jobs, data, by_obs, by_rej, console) -> bool:
    """Notebook mode: resume check, data checks, then the executor; returns True if interrupted."""
    todo: list[tuple[_Job, RegionTask]] = []
    progress, bar = _progress(options, console, len(jobs))
    tally = Counter()

    def advance(job: _Job) -> None:
        tally[job.record.status] += 1
        progress.update(bar, advance=1, ok=tally["ok"], failed=tally["failed"], left=len(jobs) - sum(tally.values()))

    batch_id = uuid.uuid4().hex[:12]
    notebook = Path(options.notebook).read_bytes()
    with progress:
        for job in jobs:
            folder = _inside(out, out / job.plan.plan.id / job.slug)
            rejected = by_rej.get(job.region)
            if rejected is not None and len(rejected):
                atomic_write_text(folder / "rejected.csv", rejected.to_csv(index=False), encoding="utf-8-sig")
            elif (folder / "rejected.csv").exists():
                (folder / "rejected.csv").unlink()
            manifest = is_complete(folder, job.fingerprint) if options.resume else None
            if manifest is not None:
                _reuse(job, manifest)
                advance(job)
                continue
            region_obs = by_obs.get(job.region)
            if region_obs is None or not len(region_obs):
                _fail(job, "data", _data_failure(job.region, options.data, rejected))
                store_region(folder, {"error.txt": f"data: {job.record.reason}\n".encode()}, _manifest(job),
                             (*_OK_FILES, *_FAILED_FILES, _PLAN_FILE, _DATA_FILE))
                partial = "rejected.csv" if job.record.rejected_rows else "error.txt"
                job.record.partial_output = f"{job.record.folder}/{partial}"
                advance(job)
                continue
            task = RegionTask(batch_id, f"{job.plan.plan.id}/{job.slug}", job.plan.plan.id, job.plan.plan.title,
                              job.plan.text, job.region, _region_csv(region_obs), notebook, options.as_of,
                              options.lang, options.timeout, options.kernel_name, options.regions_per_kernel)
            todo.append((job, task))
        by_key = {t.key: j for j, t in todo}

        def report(task: RegionTask, outcome: RegionOutcome, attempts: int) -> None:
            job = by_key[task.key]
            _store_outcome(out, job, task, outcome, attempts)
            if job.record.status == "failed":
                console.print(f"[red]✗ {job.plan.plan.id} · {escape(job.region)}: {escape(job.record.reason)}[/]",
                              markup=True, highlight=False, soft_wrap=True)
            advance(job)

        tasks = [t for _, t in todo]
        workers = max(1, min(options.workers or os.cpu_count() or 1, len(tasks) or 1))
        try:
            if tasks and options.scheduler:
                run_with_dask(tasks, options.scheduler, workers, report, batch_id)
            elif tasks:
                run_with_pool(tasks, workers, options.timeout, report)
        except KeyboardInterrupt:
            return True
    return False


def _reuse(job: _Job, manifest: dict) -> None:
    r = job.record
    r.status, r.action = "ok", "reused"
    r.counts = manifest.get("counts", {})
    r.seconds = float(manifest.get("seconds", 0.0))
    r.attempts = int(manifest.get("attempts", 1))
    r.report = f"{r.folder}/report.html" if "report.html" in manifest.get("files", {}) else ""


def _fail(job: _Job, kind: str, reason: str) -> None:
    r = job.record
    r.status, r.action, r.error_kind, r.reason = "failed", "ran", kind, reason


def _manifest(job: _Job) -> dict:
    r = job.record
    return {"plan_id": r.plan_id, "region": r.region, "status": r.status, "fingerprint": job.fingerprint,
            "inputs": job.inputs, "package_version": __version__, "counts": r.counts,
            "error_kind": r.error_kind, "reason": r.reason, "seconds": round(r.seconds, 3),
            "attempts": r.attempts, "rejected_rows": r.rejected_rows,
            "finished": datetime.now(UTC).isoformat(timespec="seconds")}


def _store_outcome(out: Path, job: _Job, task: RegionTask, outcome: RegionOutcome, attempts: int) -> None:
    r = job.record
    r.action, r.seconds, r.attempts, r.counts = "ran", outcome.seconds, attempts, outcome.counts
    folder = _inside(out, out / job.plan.plan.id / job.slug)
    inputs = {_PLAN_FILE: task.plan_text, _DATA_FILE: task.data_csv}
    if outcome.ok:
        r.status, r.report = "ok", f"{r.folder}/report.html"
        store_region(folder, {**inputs, **outcome.files}, _manifest(job), _OK_FILES + _FAILED_FILES)
        return
    _fail(job, outcome.error_kind, outcome.reason)
    r.seconds, r.attempts = outcome.seconds, attempts
    files = dict(outcome.files)
    files["error.txt"] = f"{outcome.error_kind}: {outcome.reason}\n\n{outcome.detail}".encode()
    partial = "report.failed.ipynb" if "report.failed.ipynb" in files else "error.txt"
    r.partial_output = f"{r.folder}/{partial}"
    store_region(folder, {**inputs, **files}, _manifest(job), _OK_FILES + _FAILED_FILES)


_ENGINE_STATE = "engine_manifest.json"


def _run_engine(options, out, jobs, data, by_obs, by_rej, console) -> bool:
    """Engine-only mode: one vectorised assessment per plan for every region that needs it."""
    state_file = out / _ENGINE_STATE
    previous: dict[str, str] = {}
    old_results = None
    if options.resume and state_file.is_file() and (out / "results.parquet").is_file():
        previous = json.loads(state_file.read_text(encoding="utf-8")).get("fingerprints", {})
        old_results = pd.read_parquet(out / "results.parquet")
    frames = []
    start = time.monotonic()
    for plan_id in dict.fromkeys(j.plan.plan.id for j in jobs):
        plan_jobs = [j for j in jobs if j.plan.plan.id == plan_id]
        run, reused = [], []
        for job in plan_jobs:
            if job.region not in by_obs:
                _fail(job, "data", _data_failure(job.region, options.data, by_rej.get(job.region)))
            elif previous.get(f"{plan_id}/{job.region}") == job.fingerprint:
                reused.append(job)
            else:
                run.append(job)
        if reused and old_results is not None:
            keep = old_results[(old_results["plan_id"] == plan_id)
                               & old_results["region"].isin({j.region for j in reused})]
            frames.append(keep)
        if run:
            frames.append(assess(data.observations, plan_jobs[0].plan.plan, as_of=options.as_of,
                                 regions=[j.region for j in run]))
        for job, action in [(j, "reused") for j in reused] + [(j, "ran") for j in run]:
            job.record.status, job.record.action, job.record.attempts = "ok", action, 1
    results = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    elapsed = time.monotonic() - start
    counts = counts_by_region(results)
    n_ok = sum(j.record.status == "ok" for j in jobs)
    for job in jobs:
        if job.record.status == "ok":
            job.record.counts = counts.get((job.plan.plan.id, job.region), {})
            job.record.seconds = elapsed / max(n_ok, 1)
    state = {"fingerprints": {f"{j.plan.plan.id}/{j.region}": j.fingerprint for j in jobs if j.record.status == "ok"}}
    state_file.unlink(missing_ok=True)
    _write_results(out, results)
    atomic_write_text(state_file, json.dumps(state, ensure_ascii=False))
    for job in jobs:
        if job.record.status == "failed":
            console.print(f"[red]✗ {job.plan.plan.id} · {escape(job.region)}: {escape(job.record.reason)}[/]",
                          markup=True, highlight=False, soft_wrap=True)
    return False


def _write_results(out: Path, results: pd.DataFrame) -> Path:
    from childplan_analysis.engine.assess import RESULT_COLUMNS

    frame = results if len(results) else pd.DataFrame(columns=RESULT_COLUMNS)
    return atomic_write(out / "results.parquet", lambda tmp: frame.to_parquet(tmp, index=False))


def _write_batch_outputs(out: Path, options: BatchOptions, plans: list[PlanInput], jobs: list[_Job],
                         data: BatchData) -> None:
    records = [j.record for j in jobs]
    if options.notebooks:
        frames = []
        for job in jobs:
            f = out / job.record.folder / "results.parquet"
            if job.record.status == "ok" and f.is_file():
                frames.append(pd.read_parquet(f))
        results = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        _write_results(out, results)
    else:
        results = pd.read_parquet(out / "results.parquet")
    plan_map = {p.plan.id: p.plan for p in plans}
    warnings = warning_rows(results, plan_map, options.lang) if len(results) else pd.DataFrame()
    write_summary(out, records)
    write_warnings(out, records, warnings, data.rejected, options.lang)
    title = ("批量监测报告" if options.lang != "en" else "Batch monitoring reports") + " · " + "、".join(
        p.plan.title for p in plans)
    write_batch_index(out, records, title, options.lang)
