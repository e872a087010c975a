"""What a batch writes, always atomically (a reader sees the old file or the new one).

Per region: its files, then ``manifest.json`` last. Per batch: ``results.parquet`` (every region
that succeeded), ``summary.csv``, ``warnings.xlsx`` and ``index.html`` (the report layer's index
writer, failures first).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from childplan_analysis.batch.jobs import (
    SUMMARY_COLUMNS,
    WARNING_LEVELS,
    BatchOptions,
    Job,
    PlanInput,
    RegionRecord,
)
from childplan_analysis.catalog.plans import Plan
from childplan_analysis.engine.assess import LEVEL_LABELS, RESULT_COLUMNS, STATUS_LABELS, STATUSES
from childplan_analysis.io.fileio import atomic_write, atomic_write_bytes, atomic_write_text
from childplan_analysis.io.safety import excel_safe_frame

#: Files of an earlier run that a new run of the region replaces or removes.
REGION_FILES = ("report.ipynb", "report.html", "results.parquet", "report.failed.ipynb", "error.txt")

#: The sheet of ``warnings.xlsx`` with the rejected input rows.
REJECTED_SHEET = "数据问题 rejected rows"


# ------------------------------------------------------------------ counts


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
    return {key: {k: int(v) for k, v in row.items()}
            for key, row in zip(table.index, table.to_dict("records"), strict=True)}


# ------------------------------------------------------------------ region folders


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


def write_rejected(folder: Path, rejected: pd.DataFrame | None) -> None:
    """``rejected.csv`` of a region whose input rows were rejected (removed when there are none)."""
    if rejected is not None and len(rejected):
        atomic_write_text(folder / "rejected.csv", rejected.to_csv(index=False), encoding="utf-8-sig")
    elif (folder / "rejected.csv").exists():
        (folder / "rejected.csv").unlink()


def store_data_failure(folder: Path, job: Job, reason: str) -> None:
    """A region with no usable data: ``error.txt`` (and ``rejected.csv`` if rows were rejected)."""
    r = job.record
    r.fail("data", reason)
    store_region(folder, {"error.txt": f"data: {reason}\n".encode()}, job.manifest(),
                 (*REGION_FILES, "plan.yaml", "data.csv"))
    r.partial_output = f"{r.folder}/{'rejected.csv' if r.rejected_rows else 'error.txt'}"


def store_outcome(folder: Path, job: Job, inputs: dict[str, bytes], outcome, attempts: int) -> None:
    """A worker's outcome for ``job``: its files (or partial files and ``error.txt``) and record
    (the shared assets it carries are written by the caller, :func:`~.assets.write_assets`)."""
    r = job.record
    r.action, r.seconds, r.attempts, r.counts = "ran", outcome.seconds, attempts, outcome.counts
    if outcome.ok:
        r.status = "ok"
        r.report = f"{r.folder}/report.html" if "report.html" in outcome.files else ""
        manifest = {**job.manifest(), "assets": outcome.asset_refs}
        store_region(folder, {**inputs, **outcome.files}, manifest, REGION_FILES)
        return
    r.fail(outcome.error_kind, outcome.reason)
    files = dict(outcome.files)
    files["error.txt"] = f"{outcome.error_kind}: {outcome.reason}\n\n{outcome.detail}".encode()
    r.partial_output = f"{r.folder}/{'report.failed.ipynb' if 'report.failed.ipynb' in files else 'error.txt'}"
    store_region(folder, {**inputs, **files}, job.manifest(), REGION_FILES)


# ------------------------------------------------------------------ batch files


def write_results(out: Path, results: pd.DataFrame) -> Path:
    """``results.parquet``: the assessment of every region that succeeded (all plans)."""
    frame = results if len(results) else pd.DataFrame(columns=RESULT_COLUMNS)
    return atomic_write(out / "results.parquet", lambda tmp: frame.to_parquet(tmp, index=False))


def write_summary(out: Path, records: list[RegionRecord]) -> Path:
    """``summary.csv`` (UTF-8 with BOM so Excel reads the Chinese), one row per (plan, region)."""
    frame = pd.DataFrame([r.row() for r in records], columns=SUMMARY_COLUMNS)
    return atomic_write_text(out / "summary.csv", frame.to_csv(index=False), encoding="utf-8-sig")


_SUMMARY_HEADINGS = {
    "plan_id": "规划编号", "plan_title": "规划", "region": "地区", "status": "运行状态", "action": "本次",
    "error_kind": "失败类型", "reason": "原因", "folder": "输出目录", "report": "报告",
    "partial_output": "部分输出", "targets": "目标数", "rejected_rows": "被拒绝的数据行", "unreadable_files": "无法读取的数据文件",
    "seconds": "用时(秒)", "attempts": "尝试次数",
    **{s: STATUS_LABELS[s]["zh"] for s in STATUSES},
    **{lv: f"{LEVEL_LABELS[lv]['zh']}色预警" for lv in WARNING_LEVELS},
}
_XLSX_MAX_ROWS = 1_000_000


def write_warnings(out: Path, records: list[RegionRecord], warnings: pd.DataFrame,
                   rejected: pd.DataFrame, lang: str = "zh") -> Path:
    """``warnings.xlsx``: 地区 (every region's run status), 预警 (targets with a warning), 数据问题.

    Text is always written as text: a region called ``=HYPERLINK(…)`` stays a name, not a formula.
    """
    summary = pd.DataFrame([r.row() for r in records], columns=SUMMARY_COLUMNS)
    if lang == "zh":
        summary = summary.rename(columns=_SUMMARY_HEADINGS)
    sheets = {"地区 regions": summary, "预警 warnings": warnings, REJECTED_SHEET: rejected}
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
_RUN_ORDER = {"failed": 0, "not_run": 1, "ok": 2}


def index_entries(records: list[RegionRecord], lang: str = "zh") -> list[dict]:
    """The batch's rows for the report layer's index writer: failures first; the link is the
    report, or the partial output of a failed region; the note says the run status, the reason,
    the warning levels and the rejected rows. Links are relative and URL-quoted."""
    zh = lang != "en"
    entries = []
    for r in sorted(records, key=lambda r: (_RUN_ORDER.get(r.status, 3), r.plan_id, r.region)):
        parts = [_RUN_LABELS[r.status][lang]]
        if r.reason:
            parts.append(r.reason)
        parts += [f"{LEVEL_LABELS[lv][lang]}{'色预警 ' if zh else ' warnings '}{r.counts[lv]}"
                  for lv in ("red", "yellow") if r.counts.get(lv)]
        if r.unreadable_files:
            parts.append(f"{r.unreadable_files} 个数据文件无法读取" if zh else f"{r.unreadable_files} data file(s) unreadable")
        if r.rejected_rows:
            parts.append(f"{r.rejected_rows} 行数据被拒绝" if zh else f"{r.rejected_rows} data rows rejected")
        entry = {"title": r.plan_title, "region": r.region, "counts": {s: r.counts.get(s, 0) for s in STATUSES},
                 "note": ("；" if zh else "; ").join(parts), "status": r.status, "error_kind": r.error_kind}
        link = r.report or r.partial_output
        if link:
            entry["href"] = urllib.parse.quote(link)
        if r.partial_output:
            entry["partial_output"] = urllib.parse.quote(r.partial_output)
        entries.append(entry)
    return entries


def write_batch_index(out: Path, records: list[RegionRecord], title: str, lang: str = "zh") -> Path:
    """``index.html`` (and ``index.json``) of the batch, by the report layer's index writer."""
    from childplan_analysis.report.build import write_index

    return write_index(out, index_entries(records, lang), title=title, lang=lang)


def write_batch_outputs(out: Path, options: BatchOptions, plans: list[PlanInput], jobs: list[Job],
                        results: pd.DataFrame, rejected: pd.DataFrame) -> None:
    """The batch files: combined results, summary, warnings workbook and index."""
    records = [j.record for j in jobs]
    write_results(out, results)
    plan_map = {p.plan.id: p.plan for p in plans}
    warnings = warning_rows(results, plan_map, options.lang) if len(results) else pd.DataFrame()
    write_summary(out, records)
    write_warnings(out, records, warnings, rejected, options.lang)
    title = ("批量监测报告" if options.lang != "en" else "Batch monitoring reports") + " · " + "、".join(
        p.plan.title for p in plans)
    write_batch_index(out, records, title, options.lang)
