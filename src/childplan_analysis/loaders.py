"""Observation loaders: files → one tidy long frame, with every input row accounted for.

The tidy frame has the columns :data:`OBS_COLUMNS`. ``indicator`` holds dictionary ids,
``unit`` the indicator's canonical unit (values in another rate unit are converted).
Rows that cannot be used are rejected with file, sheet, row, column and reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from . import config
from .errors import DataError
from .indicators import IndicatorDictionary, load_indicators
from .units import canonical_unit, conversion_factor

OBS_COLUMNS = [
    "region",
    "indicator",
    "year",
    "value",
    "unit",
    "sex",
    "area",
    "age_group",
    "subregion",
    "source",
    "note",
]
KEY_COLUMNS = ["region", "indicator", "year", "sex", "area", "age_group", "subregion"]
SERIES_COLUMNS = ["region", "indicator", "sex", "area", "age_group", "subregion"]
REJECT_COLUMNS = ["file", "sheet", "row", "column", "value", "reason"]
REQUIRED = ["region", "indicator", "year", "value"]
SUPPORTED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".parquet"}

#: Column headings accepted for each tidy column (after NFKC and lower-casing).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "region": ("region", "地区", "区域", "行政区划", "地区名称", "区县", "县(市、区)"),
    "indicator": ("indicator", "indicator_zh", "indicator_id", "指标", "指标名称", "监测指标"),
    "year": ("year", "年份", "年度", "年"),
    "value": ("value", "数值", "值", "指标值", "监测值"),
    "unit": ("unit", "单位", "计量单位"),
    "sex": ("sex", "性别"),
    "area": ("area", "城乡", "城乡分类"),
    "age_group": ("age_group", "年龄组", "年龄段", "年龄"),
    "subregion": ("subregion", "子区域", "下辖区域", "乡镇街道", "乡镇(街道)", "乡镇", "街道", "县区"),
    "source": ("source", "source_url", "来源", "数据来源"),
    "note": ("note", "备注", "说明"),
}
_SEX = {
    "": "total", "total": "total", "合计": "total", "全部": "total", "总计": "total", "all": "total",
    "男": "male", "男性": "male", "male": "male", "m": "male", "男童": "male",
    "女": "female", "女性": "female", "female": "female", "f": "female", "女童": "female",
}
_AREA = {
    "": "total", "total": "total", "合计": "total", "全部": "total", "全域": "total", "all": "total",
    "城镇": "urban", "城市": "urban", "urban": "urban", "城区": "urban",
    "农村": "rural", "乡村": "rural", "rural": "rural",
}
_MISSING = {"", "-", "—", "--", "——", "/", "／", "…", "...", "na", "n/a", "nan", "null", "none",
            "未统计", "暂无", "无", "无数据", "空", "x", "×"}


@dataclass
class LoadResult:
    """Loaded observations and the rows that were rejected, with counts per file."""

    observations: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return self.rejected.empty

    def summary(self) -> str:
        return (
            f"{self.rows_read} rows read: {len(self.observations)} loaded, "
            f"{len(self.rejected)} rejected"
        )


def load_observations(
    path: str | Path | list[str | Path],
    *,
    errors: Literal["raise", "report"] = "raise",
    region: str | None = None,
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Read observations from a file, a folder of files, or a list of them.

    ``errors="raise"`` raises :class:`DataError` (with ``.rejected``) when any row is
    rejected; ``errors="report"`` returns the loaded rows and keeps the rejected ones in
    ``frame.attrs["rejected"]``. ``region`` fills a missing region column.

    >>> obs = load_observations(config.NATIONAL_DATA_DIR)
    >>> {"region", "indicator", "year", "value"} <= set(obs.columns)
    True
    """
    result = read_observations(path, region=region, indicators=indicators)
    if not result.ok and errors == "raise":
        raise DataError(format_rejections(result.rejected, limit=20), rejected=result.rejected)
    frame = result.observations
    frame.attrs["rejected"] = result.rejected
    frame.attrs["rows_read"] = result.rows_read
    return frame


def read_observations(
    path: str | Path | list[str | Path],
    *,
    region: str | None = None,
    indicators: IndicatorDictionary | None = None,
) -> LoadResult:
    """Read and validate observation files; never raises for bad rows (see :class:`LoadResult`)."""
    indicators = indicators or load_indicators()
    files = _expand(path)
    frames, rejects, rows_read = [], [], 0
    for file in files:
        raw, file_rejects = _read_raw(file)
        rejects.extend(file_rejects)
        for sheet, table in raw:
            rows_read += len(table)
            good, bad = _tidy(table, file, sheet, region, indicators)
            frames.append(good)
            rejects.append(bad)
    obs = pd.concat(frames, ignore_index=True) if frames else _empty_obs()
    obs, dup_rejects = _resolve_duplicates(obs)
    rejects.append(dup_rejects)
    obs = obs.drop(columns=["_file", "_sheet", "_row"]).sort_values(KEY_COLUMNS, kind="stable")
    rejected = pd.concat([r for r in rejects if len(r)], ignore_index=True) if any(
        len(r) for r in rejects
    ) else pd.DataFrame(columns=REJECT_COLUMNS)
    return LoadResult(obs.reset_index(drop=True)[OBS_COLUMNS], rejected[REJECT_COLUMNS], rows_read)


def format_rejections(rejected: pd.DataFrame, limit: int | None = None) -> str:
    """One line per rejected row: ``file[:sheet] row N, column C: reason (value 'v')``."""
    lines = [f"{len(rejected)} row(s) rejected:"]
    shown = rejected if limit is None else rejected.head(limit)
    for r in shown.itertuples(index=False):
        where = f"{r.file}" + (f" [{r.sheet}]" if r.sheet else "")
        lines.append(f"  {where} row {r.row}, column {r.column!s}: {r.reason} (value {r.value!r})")
    if limit is not None and len(rejected) > limit:
        lines.append(f"  … and {len(rejected) - limit} more")
    return "\n".join(lines)


# ------------------------------------------------------------------ reading files


def _expand(path: str | Path | list[str | Path]) -> list[Path]:
    paths = path if isinstance(path, list | tuple) else [path]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SUPPORTED_SUFFIXES
                                and not f.name.startswith((".", "~$"))))
        elif p.exists():
            files.append(p)
        else:
            raise DataError(f"{p}: no such file or folder")
    return files


def detect_encoding(data: bytes) -> str:
    """Encoding of a text file: UTF-8 (with or without BOM), else GB18030 (covers GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DataError("cannot detect the text encoding")
    return best.encoding


def _read_raw(file: Path) -> tuple[list[tuple[str, pd.DataFrame]], list[pd.DataFrame]]:
    suffix = file.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            data = file.read_bytes()
            if not data.strip():
                return [], [_reject_frame(file, "", 0, "", "", "empty file")]
            text = data.decode(detect_encoding(data))
            from io import StringIO

            table = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
            return [("", table)], []
        if suffix in (".xlsx", ".xlsm"):
            sheets = pd.read_excel(file, sheet_name=None, dtype=str, keep_default_na=False)
            return [(name, t) for name, t in sheets.items() if len(t.columns)], []
        if suffix == ".parquet":
            table = pd.read_parquet(file)
            return [("", table.astype(str).where(table.notna(), ""))], []
    except DataError as exc:
        return [], [_reject_frame(file, "", 0, "", "", str(exc))]
    except Exception as exc:  # unreadable file: report it, don't crash the batch
        return [], [_reject_frame(file, "", 0, "", "", f"unreadable file: {type(exc).__name__}: {exc}")]
    return [], [_reject_frame(file, "", 0, "", "", f"unsupported file type {suffix!r}")]


def _reject_frame(file, sheet, row, column, value, reason) -> pd.DataFrame:
    return pd.DataFrame([[str(file), sheet, row, column, value, reason]], columns=REJECT_COLUMNS)


def _normalise_header(name: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name))).lower()


def _map_columns(columns: list[str]) -> tuple[dict[str, str], list[str]]:
    lookup = {alias: tidy for tidy, aliases in COLUMN_ALIASES.items() for alias in aliases}
    mapping, duplicated = {}, []
    for col in columns:
        tidy = lookup.get(_normalise_header(col))
        if tidy is None:
            continue
        if tidy in mapping.values():
            duplicated.append(str(col))
            continue
        mapping[col] = tidy
    return mapping, duplicated


# ------------------------------------------------------------------ cleaning rows


def _tidy(
    table: pd.DataFrame,
    file: Path,
    sheet: str,
    region: str | None,
    indicators: IndicatorDictionary,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate one table; returns (good rows in tidy form, rejected rows)."""
    n = len(table)
    header_offset = 2  # spreadsheet row number of the first data row
    rows = np.arange(n) + header_offset
    mapping, duplicated = _map_columns(list(table.columns))
    tidy = pd.DataFrame({col: table[src].astype(str) for src, col in mapping.items()})
    if region is not None and "region" not in tidy:
        tidy["region"] = region
    missing = [c for c in REQUIRED if c not in tidy]
    if missing or duplicated:
        problem = (
            f"missing column(s) {', '.join(missing)} (found: {', '.join(map(str, table.columns))})"
            if missing
            else f"duplicate column(s) {', '.join(duplicated)}"
        )
        bad = pd.DataFrame(
            {"file": str(file), "sheet": sheet, "row": rows, "column": ",".join(missing or duplicated),
             "value": "", "reason": problem}
        )
        if n == 0:
            bad = _reject_frame(file, sheet, 1, ",".join(missing or duplicated), "", problem)
        return _empty_obs(), bad
    for col in OBS_COLUMNS:
        if col not in tidy:
            tidy[col] = ""
    tidy = tidy.apply(lambda s: s.map(_clean_text))
    reason = pd.Series("", index=tidy.index, dtype=object)
    column = pd.Series("", index=tidy.index, dtype=object)
    bad_value = pd.Series("", index=tidy.index, dtype=object)

    def flag(mask: pd.Series, col: str, why: pd.Series | str) -> None:
        new = mask & (reason == "")
        reason[new] = why[new] if isinstance(why, pd.Series) else why
        column[new] = col
        bad_value[new] = tidy.loc[new, col] if col in tidy else ""

    flag(tidy["region"] == "", "region", "region is empty")
    # indicator
    names = tidy["indicator"]
    uniq = {name: indicators.find(name) for name in names.unique()}
    ind_id = names.map(lambda x: uniq[x].id if uniq[x] else "")
    unknown_reason = names.map(
        lambda x: "" if uniq[x] else (
            "indicator is empty" if x == "" else
            f"unknown indicator{'; close matches: ' + ', '.join(indicators.suggest(x)) if indicators.suggest(x) else ''}"
        )
    )
    flag(ind_id == "", "indicator", unknown_reason)
    # year
    year = pd.to_numeric(tidy["year"].str.replace(r"\s*年$", "", regex=True), errors="coerce")
    bad_year = year.isna() | (year % 1 != 0)
    flag(bad_year, "year", "year is not a whole number")
    out_of_range = ~bad_year & ((year < config.MIN_YEAR) | (year > config.MAX_YEAR))
    flag(out_of_range, "year", f"year outside {config.MIN_YEAR}–{config.MAX_YEAR}")
    # value
    value, value_reason, value_unit = _parse_values(tidy["value"])
    flag(value_reason != "", "value", value_reason)
    # unit: explicit column, else unit written in the value cell
    unit = tidy["unit"].where(tidy["unit"] != "", value_unit).map(canonical_unit)
    ind_unit = ind_id.map(lambda i: indicators.by_id[i].unit if i else None)
    factor = pd.Series(
        [_factor(u, iu) for u, iu in zip(unit, ind_unit, strict=True)], index=tidy.index, dtype=float
    )
    flag(factor.isna() & (ind_id != ""), "unit",
         "unit " + unit.fillna("").astype(str) + " cannot be converted to " + ind_unit.fillna("").astype(str))
    value = value * factor.fillna(1.0)
    converted = (factor != 1.0) & factor.notna()
    # natural bounds
    low = ind_id.map(lambda i: _bound(indicators, i, 0))
    high = ind_id.map(lambda i: _bound(indicators, i, 1))
    outside = (value < low) | (value > high)
    flag(outside, "value", "value " + value.round(6).astype(str) + " outside the natural bounds ["
         + low.astype(str) + ", " + high.astype(str) + "] of " + ind_id)
    # disaggregations
    sex = tidy["sex"].str.lower().map(_SEX)
    flag(sex.isna(), "sex", "sex must be 男/女/合计 (male/female/total)")
    area = tidy["area"].str.lower().map(_AREA)
    flag(area.isna(), "area", "area must be 城镇/农村/合计 (urban/rural/total)")

    good_mask = reason == ""
    note = tidy["note"].where(~converted, (tidy["note"] + " converted from " + unit.fillna("")).str.strip())
    good = pd.DataFrame(
        {
            "region": tidy["region"],
            "indicator": ind_id,
            "year": year.fillna(0).astype(int),
            "value": value,
            "unit": ind_unit,
            "sex": sex,
            "area": area,
            "age_group": tidy["age_group"].replace("", "total").replace({"合计": "total", "全部": "total"}),
            "subregion": tidy["subregion"].replace({"合计": "", "全部": "", "total": ""}),
            "source": tidy["source"],
            "note": note,
            "_file": str(file),
            "_sheet": sheet,
            "_row": rows,
        }
    )[good_mask]
    bad = pd.DataFrame(
        {"file": str(file), "sheet": sheet, "row": rows, "column": column, "value": bad_value,
         "reason": reason}
    )[~good_mask]
    return good, bad


def _bound(indicators: IndicatorDictionary, ind_id: str, i: int) -> float:
    if not ind_id:
        return -np.inf if i == 0 else np.inf
    b = indicators.by_id[ind_id].bounds[i]
    return (-np.inf if i == 0 else np.inf) if b is None else float(b)


def _factor(unit: str | None, ind_unit: str | None) -> float:
    if ind_unit is None:
        return 1.0
    f = conversion_factor(unit, ind_unit)
    return np.nan if f is None else f


def _clean_text(x: object) -> str:
    text = unicodedata.normalize("NFKC", "" if x is None else str(x)).strip()
    return "" if text.lower() == "nan" else text


_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(%|‰|/10万|1/10万|/万|1/万)?$")
_BOUND = re.compile(r"^(<|>|≤|≥|<=|>=|约|≈|~)\s*\d")


def _parse_values(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse value cells: numbers (thousands separators, trailing %/‰ allowed).

    Returns (value, reason for rejection or "", unit found in the cell).
    """
    text = raw.str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
    match = text.str.extract(_NUMBER)
    value = pd.to_numeric(match[0], errors="coerce")
    unit = match[1].fillna("")
    reason = pd.Series("", index=raw.index, dtype=object)
    lower = text.str.lower()
    reason[value.isna()] = "value is not a number"
    reason[lower.isin(_MISSING)] = "no value reported (" + raw[lower.isin(_MISSING)] + ")"
    reason[text.str.match(_BOUND)] = "value is a bound, not a number (" + raw[text.str.match(_BOUND)] + ")"
    reason[value.notna() & ~np.isfinite(value.fillna(0))] = "value is not finite"
    return value.where(reason == ""), reason, unit


def _resolve_duplicates(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep one row per key; exact repeats and conflicting values are rejected with a reason."""
    if obs.empty:
        return obs, pd.DataFrame(columns=REJECT_COLUMNS)
    dup_any = obs.duplicated(KEY_COLUMNS, keep=False)
    if not dup_any.any():
        return obs, pd.DataFrame(columns=REJECT_COLUMNS)
    groups = obs[dup_any].groupby(KEY_COLUMNS, sort=False)
    conflict_keys = groups["value"].transform(lambda v: v.round(9).nunique() > 1)
    conflicting = obs[dup_any][conflict_keys]
    repeats = obs[dup_any][~conflict_keys]
    first_rows = repeats.groupby(KEY_COLUMNS, sort=False)["_row"].transform("first")
    first_file = repeats.groupby(KEY_COLUMNS, sort=False)["_file"].transform("first")
    extra = repeats[repeats.duplicated(KEY_COLUMNS, keep="first")]
    rejects = []
    if len(conflicting):
        rows = conflicting.groupby(KEY_COLUMNS, sort=False)["_row"].transform(
            lambda r: ",".join(map(str, r))
        )
        rejects.append(
            pd.DataFrame(
                {"file": conflicting["_file"], "sheet": conflicting["_sheet"], "row": conflicting["_row"],
                 "column": "value", "value": conflicting["value"].astype(str),
                 "reason": "conflicting duplicate: rows " + rows + " give different values for the same "
                 "region, indicator, year and breakdown"}
            )
        )
    if len(extra):
        rejects.append(
            pd.DataFrame(
                {"file": extra["_file"], "sheet": extra["_sheet"], "row": extra["_row"], "column": "",
                 "value": extra["value"].astype(str),
                 "reason": "repeat of " + first_file[extra.index] + " row " + first_rows[extra.index].astype(str)
                 + " (same value, loaded once)"}
            )
        )
    keep = ~dup_any | (dup_any & ~obs.index.isin(conflicting.index) & ~obs.index.isin(extra.index))
    return obs[keep], pd.concat(rejects, ignore_index=True)


def _empty_obs() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in OBS_COLUMNS})
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    for c in ("_file", "_sheet", "_row"):
        frame[c] = pd.Series(dtype=object)
    return frame
