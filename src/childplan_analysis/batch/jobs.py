"""What a batch runs: options, inputs read once, per-region jobs, fingerprints and resume.

A *job* is one (plan, region); its input fingerprint hashes the plan file, the region's data,
the notebook, the package and the parameters. ``manifest.json`` in a region folder records it
when the region is done, so ``resume`` can skip a region whose inputs did not change.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from childplan_analysis import __version__
from childplan_analysis.batch.assets import missing_assets
from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.columns import OBS_COLUMNS, OPTIONAL_COLUMNS, REJECT_COLUMNS
from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import STATUSES
from childplan_analysis.io.loaders import SUPPORTED_SUFFIXES
from childplan_analysis.io.safety import safe_path_component
from childplan_analysis.io.sources import is_database, load_observations

#: The report notebook run for every region (papermill parameters
#: ``plan_path, data_path, region, as_of, lang, results_path``).
DEFAULT_NOTEBOOK = config.NOTEBOOKS_DIR / "region_report.ipynb"
#: Seconds one region may take (kernel start, notebook, HTML export) before it fails.
DEFAULT_TIMEOUT = 900.0
#: Regions executed in one kernel before it is replaced by a fresh one.
DEFAULT_REGIONS_PER_KERNEL = 20
WARNING_LEVELS = ("red", "yellow", "green")
SUMMARY_COLUMNS = [
    "plan_id", "plan_title", "region", "status", "action", "error_kind", "reason", "folder",
    "report", "partial_output", "targets", *STATUSES, *WARNING_LEVELS, "rejected_rows",
    "unreadable_files", "seconds", "attempts",
]
PLAN_FILE, DATA_FILE, RESULTS_FILE = "plan.yaml", "data.csv", "results.parquet"


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
    #: Keep the executed ``report.ipynb`` of a region that succeeded (a failed region always
    #: keeps ``report.failed.ipynb``).
    keep_notebooks: bool = False
    #: Reference plotly.js and the page styles once per output folder (``OUT/assets/``)
    #: instead of embedding them in every report (False: each report stands alone).
    shared_assets: bool = True


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


def inside(root: Path, path: Path) -> Path:
    """``path``, checked to lie inside ``root``."""
    if not path.resolve().is_relative_to(root.resolve()):
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
    check_data_path(data)
    path = Path(data)
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


def check_data_path(data: str | Path) -> None:
    """Raise if ``data`` is neither a database URL nor an existing file or folder."""
    if not is_database(data) and not Path(data).exists():
        raise ChildplanError(f"{data}: no such file or folder (数据文件不存在)")


def _data_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                  and not any(part.startswith((".", "~$")) for part in f.relative_to(folder).parts))


def _attributed(rejected: pd.DataFrame | None, region: str) -> pd.DataFrame:
    frame = pd.DataFrame(columns=REJECT_COLUMNS) if rejected is None else rejected.copy()
    frame.insert(0, "region", region)
    return frame


def unreadable(rejected: pd.DataFrame | None) -> list[tuple[str, str]]:
    """(file, reason) of each file among a region's rejected rows that gave no row at all
    (rejected whole, at row 0), in the order met."""
    if rejected is None or not len(rejected):
        return []
    whole = rejected[pd.to_numeric(rejected["row"], errors="coerce") == 0].drop_duplicates("file")
    return [(str(f), str(r)) for f, r in zip(whole["file"], whole["reason"], strict=True)]


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


def region_csv(frame: pd.DataFrame) -> bytes:
    """A region's observations as the notebook reads them (``data.csv``), with the optional
    columns (``publication``) the frame carries."""
    columns = [*OBS_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in frame)]
    return frame[columns].to_csv(index=False).encode("utf-8-sig")


def data_failure(region: str, data: str | Path, rejected: pd.DataFrame | None) -> str:
    """Why a region has nothing to report: no rows at all, or every row rejected (and why)."""
    if rejected is None or not len(rejected):
        return f"no observations for this region in {data} (数据中没有该地区)"
    reasons = list(dict.fromkeys(f"{Path(str(f)).name}: {r}"
                                 for f, r in zip(rejected["file"], rejected["reason"], strict=True)))
    more = f"; … {len(reasons) - 3} more" if len(reasons) > 3 else ""
    return f"no usable observations: {len(rejected)} input row(s) rejected — " + "; ".join(reasons[:3]) + more


# ------------------------------------------------------------------ fingerprints


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


def file_digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ------------------------------------------------------------------ jobs and their records


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
    #: (file, reason) of the region's data files that gave no row at all (empty, truncated, no workbook).
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    attempts: int = 0

    def row(self) -> dict[str, object]:
        base = {k: getattr(self, k) for k in ("plan_id", "plan_title", "region", "status", "action",
                                                "error_kind", "reason", "folder", "report", "partial_output")}
        base["targets"] = self.counts.get("targets", 0)
        base.update({k: self.counts.get(k, 0) for k in (*STATUSES, *WARNING_LEVELS)})
        base.update(rejected_rows=self.rejected_rows, unreadable_files=self.unreadable_files,
                    seconds=round(self.seconds, 2), attempts=self.attempts)
        return base

    @property
    def unreadable_files(self) -> int:
        return len(self.unreadable)

    def fail(self, kind: str, reason: str) -> None:
        self.status, self.action, self.error_kind, self.reason = "failed", "ran", kind, reason


@dataclass
class Job:
    """One (plan, region) of the batch, its summary record and its input fingerprint."""

    plan: PlanInput
    region: str
    slug: str
    record: RegionRecord
    fingerprint: str
    inputs: dict[str, object]

    @property
    def key(self) -> str:
        return f"{self.plan.plan.id}/{self.slug}"

    def manifest(self) -> dict:
        """What ``manifest.json`` records (the file sizes are added when the files are written)."""
        r = self.record
        return {"plan_id": r.plan_id, "region": r.region, "status": r.status, "fingerprint": self.fingerprint,
                "inputs": self.inputs, "package_version": __version__, "counts": r.counts,
                "error_kind": r.error_kind, "reason": r.reason, "seconds": round(r.seconds, 3),
                "attempts": r.attempts, "rejected_rows": r.rejected_rows, "unreadable_files": r.unreadable_files,
                "finished": datetime.now(UTC).isoformat(timespec="seconds")}

    def reuse(self, manifest: dict) -> None:
        """Take the record of an earlier run whose outputs are complete (resume)."""
        r = self.record
        r.status, r.action = "ok", "reused"
        r.counts = manifest.get("counts", {})
        r.seconds = float(manifest.get("seconds", 0.0))
        r.attempts = int(manifest.get("attempts", 1))
        r.report = f"{r.folder}/report.html" if "report.html" in manifest.get("files", {}) else ""


def make_jobs(options: BatchOptions, plans: list[PlanInput], regions: list[str], data: BatchData) -> list[Job]:
    """One job per (plan, region), with its fingerprint."""
    data_hashes = region_data_hashes(data)
    common = {"package": package_fingerprint(), "as_of": options.as_of, "lang": options.lang,
              "notebook": file_digest(options.notebook) if options.notebooks else None,
              "keep_notebooks": options.keep_notebooks if options.notebooks else None,
              "shared_assets": options.shared_assets if options.notebooks else None}
    jobs = []
    for p in plans:
        for region in regions:
            slug = region_slug(region)
            inputs = {**common, "plan": p.digest, "data": data_hashes.get(region, "")}
            folder = f"{p.plan.id}/{slug}" if options.notebooks else ""
            record = RegionRecord(p.plan.id, p.plan.title, region, folder=folder)
            jobs.append(Job(p, region, slug, record, fingerprint(inputs), inputs))
    return jobs


# ------------------------------------------------------------------ resume


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
    if missing_assets(folder.parent.parent, m.get("assets", {})):
        return None
    return m


ENGINE_STATE = "engine_manifest.json"


def engine_state(out: Path, resume: bool) -> tuple[dict[str, str], pd.DataFrame | None]:
    """Engine-only resume: the fingerprints of the previous run and its combined results."""
    state_file = out / ENGINE_STATE
    if resume and state_file.is_file() and (out / RESULTS_FILE).is_file():
        previous = json.loads(state_file.read_text(encoding="utf-8")).get("fingerprints", {})
        return previous, pd.read_parquet(out / RESULTS_FILE)
    return {}, None
