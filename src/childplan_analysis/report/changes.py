"""What changed since the previous report: status changes, new and cleared warnings.

Each report folder keeps the results it showed as ``results_<as-of year>.parquet``
(:func:`results_file`); the next year's report finds the latest earlier one
(:func:`previous_results`) or is given one, and lists the differences (:func:`compare_results`).
Results are read defensively: only ``region``, ``target_id``, ``status`` and ``warnings`` are
needed, further columns are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import WARNINGS
from childplan_analysis.io.fileio import atomic_write
from childplan_analysis.report.labels import count_en, status_label, t

#: Columns kept in a report folder's results file.
KEPT_COLUMNS = ["region", "target_id", "indicator", "target_year", "status", "warning_level", "warnings",
                "last_year", "last_value", "unit", "p_meet"]
NEEDED = ("region", "target_id", "status", "warnings")
_FILE = re.compile(r"results_(\d{4})\.parquet$")
CHANGE_COLUMNS = ["region", "target_id", "indicator", "status_before", "status", "warnings_new",
                  "warnings_cleared"]


def results_file(folder: str | Path, year: int) -> Path:
    """Where a report folder keeps the results of the report as of ``year``."""
    return Path(folder) / f"results_{int(year)}.parquet"


def keep_results(results: pd.DataFrame, folder: str | Path, year: int) -> Path:
    """Write the columns of :data:`KEPT_COLUMNS` that ``results`` has, atomically."""
    small = results[[c for c in KEPT_COLUMNS if c in results]]
    return atomic_write(results_file(folder, year), lambda tmp: small.to_parquet(tmp, index=False))


def previous_results(folder: str | Path, year: int) -> Path | None:
    """The latest results file in ``folder`` from before ``year``, if any."""
    found = [(int(m.group(1)), p) for p in Path(folder).glob("results_*.parquet")
             if (m := _FILE.search(p.name)) and int(m.group(1)) < int(year)]
    return max(found)[1] if found else None


def year_of(path: str | Path) -> int | None:
    """The as-of year in a results file's name (``results_2023.parquet`` → 2023)."""
    m = _FILE.search(Path(path).name)
    return int(m.group(1)) if m else None


def read_previous(path: str | Path) -> pd.DataFrame:
    """A previous report's results (parquet, CSV or Excel written by ``childplan``), checked for
    the columns a comparison needs."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the previous report's results: {exc}") from exc
    missing = [c for c in NEEDED if c not in frame]
    if missing:
        raise DataError(f"{path}: not a results table (missing columns {', '.join(missing)})")
    return frame


def _codes(text: object) -> set[str]:
    return {c for c in str(text if isinstance(text, str) else "").split(";") if c}


def compare_results(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """One row per (region, target) present in both whose status changed or whose warnings
    differ: :data:`CHANGE_COLUMNS` (warning codes ``;``-joined). Targets only in one of the two
    (a revised plan) are left out."""
    keys = ["region", "target_id"]
    prev = previous[[*keys, "status", "warnings"]].astype({"region": str, "target_id": str})
    cur_cols = [*keys, "status", "warnings"] + (["indicator"] if "indicator" in current else [])
    both = current[cur_cols].astype({"region": str, "target_id": str}).merge(
        prev.drop_duplicates(keys), on=keys, how="inner", suffixes=("", "_before"))
    rows = []
    for r in both.itertuples(index=False):
        now, before = _codes(r.warnings), _codes(r.warnings_before)
        if r.status == r.status_before and now == before:
            continue
        rows.append({"region": r.region, "target_id": r.target_id, "indicator": getattr(r, "indicator", ""),
                     "status_before": r.status_before, "status": r.status,
                     "warnings_new": ";".join(sorted(now - before)),
                     "warnings_cleared": ";".join(sorted(before - now))})
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _warning_words(codes: str, lang: str) -> str:
    sep = "; " if lang == "en" else "；"
    return sep.join(WARNINGS[c][lang] if c in WARNINGS else c for c in codes.split(";") if c)


def changes_table(changes: pd.DataFrame, plan: Plan | None = None, lang: str = "zh",
                  indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """The changes for people: indicator and target in words, statuses and warnings in words."""
    indicators = indicators or load_indicators()

    def target(tid: str) -> str:
        try:
            return plan.target(tid).describe(lang) if plan is not None else tid
        except KeyError:
            return tid

    frame = pd.DataFrame({
        "region": changes["region"],
        "indicator": [indicators.display_name(i, lang) for i in changes["indicator"]],
        "target": changes["target_id"].map(target),
        "status_before": changes["status_before"].map(lambda s: status_label(s, lang)),
        "status": changes["status"].map(lambda s: status_label(s, lang)),
        "warnings_new": changes["warnings_new"].map(lambda c: _warning_words(c, lang)),
        "warnings_cleared": changes["warnings_cleared"].map(lambda c: _warning_words(c, lang)),
    })
    return frame.rename(columns=lambda c: t(c, lang))


#: At most this many targets are named per kind of change in the summary sentence.
NAMED = 6


def changes_summary(changes: pd.DataFrame, year_before: int | None, lang: str = "zh",
                    indicators: IndicatorDictionary | None = None) -> str:
    """One sentence: the targets that changed status (before → now), and those with new and
    with cleared warnings, each named by indicator (the first :data:`NAMED` of each)."""
    indicators = indicators or load_indicators()
    zh = lang != "en"

    def name(i: object) -> str:
        return indicators.display_name(i, lang)

    def listed(items: list[str]) -> str:
        more = len(items) - NAMED
        text = ("；" if zh else "; ").join(items[:NAMED])
        return text + ((f"等{len(items)}项" if zh else f" and {more} more") if more > 0 else "")

    moved = changes[changes["status"] != changes["status_before"]]
    status = [f"{name(r.indicator)}（{status_label(r.status_before, lang)}→{status_label(r.status, lang)}）" if zh
              else f"{name(r.indicator)} ({status_label(r.status_before, lang)} → {status_label(r.status, lang)})"
              for r in moved.itertuples()]
    new = [f"{name(r.indicator)}（{_warning_words(r.warnings_new, lang)}）" if zh
           else f"{name(r.indicator)} ({_warning_words(r.warnings_new, lang)})"
           for r in changes[changes["warnings_new"].ne("")].itertuples()]
    cleared = [name(r.indicator) for r in changes[changes["warnings_cleared"].ne("")].itertuples()]
    if zh:
        since = f"与{year_before}年报告相比" if year_before else "与上期报告相比"
        parts = [f"{len(status)}项目标状态变化" + (f"（{listed(status)}）" if status else ""),
                 f"{len(new)}项新增预警" + (f"（{listed(new)}）" if new else ""),
                 f"{len(cleared)}项预警解除" + (f"（{listed(cleared)}）" if cleared else "")]
        return f"{since}：" + "，".join(parts) + "。"
    since = f"Since the {year_before} report" if year_before else "Since the previous report"
    parts = [f"{count_en(len(status), 'target')} changed status" + (f" ({listed(status)})" if status else ""),
             f"{len(new)} {'has' if len(new) == 1 else 'have'} new warnings" + (f" ({listed(new)})" if new else ""),
             f"{len(cleared)} had warnings cleared" + (f" ({listed(cleared)})" if cleared else "")]
    return f"{since}: " + ", ".join(parts) + "."
