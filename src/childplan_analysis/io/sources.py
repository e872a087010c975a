"""Where observations come from: files and folders, or a monitoring database URL.

The one place that tells a database from a file (:func:`is_database`) and dispatches to the file
readers (:mod:`childplan_analysis.io.loaders`) or the store (:mod:`childplan_analysis.io.store`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from childplan_analysis.core.columns import REJECT_COLUMNS
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.core.regions import region_spellings
from childplan_analysis.core.text import zh_en
from childplan_analysis.io.loaders import (
    LoadResult,
    file_counts,
    format_rejections,
    read_with_origin,
    select,
    split_indicator_argument,
)
from childplan_analysis.io.store import MonitoringStore

DATABASE_SUFFIXES = {".duckdb", ".ddb"}


def is_database(source: object) -> bool:
    """True for a database URL (``duckdb:///…``, ``postgresql://…``) or a ``.duckdb`` file."""
    if not isinstance(source, str | Path):
        return False
    text = str(source)
    return bool(re.match(r"^[a-z][a-z0-9+]*://", text)) or Path(text).suffix.lower() in DATABASE_SUFFIXES


def load_observations(
    source: str | Path | list[str | Path],
    *,
    errors: Literal["raise", "report"] = "raise",
    region: str | list[str] | None = None,
    indicators: IndicatorDictionary | Iterable[str] | None = None,
    plan: object | None = None,
    prefer: Iterable[str | Path] | None = None,
) -> pd.DataFrame:
    """Observations from files, a folder, a list of them, or a monitoring database URL.

    ``region``: for files, fills a missing region column; in every case only that region
    (or those regions) is returned. ``plan`` (anything with a ``region``): when no region is
    named, the plan's region fills files that name none, and data without the plan's region
    are an error (:class:`DataError` listing the regions found). ``indicators``: an
    :class:`IndicatorDictionary` to resolve names with, or indicator names/ids to keep.
    ``prefer``: files whose values win conflicts (see :mod:`childplan_analysis.io.loaders`).
    ``errors="raise"`` raises :class:`DataError` (with ``.rejected``) when any row is
    rejected; ``errors="report"`` returns the loaded rows and keeps the rejected ones in
    ``frame.attrs["rejected"]`` (also ``conflicts``, ``skipped``, ``warnings``, ``files``).

    >>> obs = load_observations(config.NATIONAL_DATA_DIR, region="全国", indicators=["婴儿死亡率"])
    >>> sorted(set(obs["indicator"]))
    ['infant_mortality']
    """
    dictionary, wanted = split_indicator_argument(indicators)
    regions = [region] if isinstance(region, str) else region
    if is_database(source):
        with MonitoringStore(str(source), create=False) as store:
            frame = store.observations(regions=regions, indicators=wanted)
        if plan is not None and not regions:
            check_plan_region(frame, plan, str(source))
        frame.attrs.update(rejected=pd.DataFrame(columns=REJECT_COLUMNS), rows_read=len(frame))
        return frame
    fill = region if isinstance(region, str) else None
    result = read_observations(source, region=fill, indicators=dictionary, plan=None if regions else plan,
                               prefer=prefer)
    if not result.ok and errors == "raise":
        raise DataError(format_rejections(result.rejected, limit=20), rejected=result.rejected)
    frame = select(result.observations, regions=regions, indicators=wanted)
    frame.attrs.update(rejected=result.rejected, rows_read=result.rows_read, files=result.files,
                       conflicts=result.conflicts, skipped=result.skipped, warnings=result.warnings)
    return frame


def read_observations(
    path: str | Path | list[str | Path],
    *,
    region: str | None = None,
    indicators: IndicatorDictionary | None = None,
    plan: object | None = None,
    prefer: Iterable[str | Path] | None = None,
) -> LoadResult:
    """Read and validate observation files; never raises for bad rows (see :class:`LoadResult`).

    With ``plan`` and no ``region``, the plan's region fills files that name none, and a
    :class:`DataError` is raised when the data hold other regions only.
    """
    if is_database(path):
        obs = load_observations(path, plan=plan if region is None else None)  # type: ignore[arg-type]
        return LoadResult(obs, rows_read=len(obs), files=file_counts([str(path)], obs, None, None))
    plan_region = getattr(plan, "region", None) if region is None else None
    _, result = read_with_origin(path, region=region or plan_region or None, indicators=indicators,
                                 prefer=prefer)
    if plan_region:
        check_plan_region(result.observations, plan, path)
    return result


def check_plan_region(obs: pd.DataFrame, plan: object, source: object) -> None:
    """Raise :class:`DataError` when ``obs`` has rows but none for the plan's region."""
    region = getattr(plan, "region", "")
    if not region or obs.empty or (obs["region"] == region).any():
        return
    found = sorted(obs["region"].unique())
    shown = "、".join(found[:20]) + (" …" if len(found) > 20 else "")
    title = getattr(plan, "title", "") or getattr(plan, "id", "")
    unclear = region_spellings(found, region).unclear
    why_zh = "".join(f"（「{n}」可能是 {region}，也可能是 {'、'.join(o)}，无法确定）" for n, o in unclear.items())
    why_en = "".join(f" ({n!r} may be {region!r} or {', '.join(o)})" for n, o in unclear.items())
    raise DataError(zh_en(
        f"数据中没有规划「{title}」的地区 {region}；数据中的地区：{shown}{why_zh}。"
        "请检查数据是否用错，在文件中写明地区全称，或用 --region 指定要评估的地区",
        f"the plan's region {region!r} is not in the data {source}; regions found: {', '.join(found[:20])}{why_en}; "
        "name the region to assess with --region"))
