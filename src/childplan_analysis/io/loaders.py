"""Observation loaders: files or a database → one tidy long frame, every input row accounted for.

The tidy frame has the columns :data:`OBS_COLUMNS`. ``indicator`` holds dictionary ids,
``unit`` the indicator's canonical unit (values in another rate unit are converted).
Rows that cannot be used are rejected with file, sheet, row, column and reason.

Inputs: CSV (UTF-8, UTF-8 BOM, GBK/GB18030), Excel (``.xlsx``, ``.xlsm``, ``.xls``) and
``.ods`` in long or wide form (see :mod:`childplan_analysis.io.wide_forms`), Parquet, and the
monitoring database (``duckdb:///monitoring.duckdb``, ``postgresql://…``; see
:mod:`childplan_analysis.io.store`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.columns import (
    FILE_COLUMNS,
    KEY_COLUMNS,
    OBS_COLUMNS,
    REJECT_COLUMNS,
    REQUIRED,
    TEXT_COLUMNS,
)
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.units import canonical_unit, conversion_factor
from childplan_analysis.io.encoding import detect_encoding, garbled_text_problem
from childplan_analysis.io.wide_forms import (
    AREA_CODES,
    COLUMN_ALIASES,
    HEADER_SCAN_ROWS,
    SEX_CODES,
    RawTable,
    locate_header,
    read_workbook,
    table_from_grid,
)

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES | {".parquet"}

_MISSING = {"", "-", "—", "--", "——", "/", "／", "…", "...", "na", "n/a", "nan", "null", "none",
            "未统计", "暂无", "无", "无数据", "空", "x", "×", "不详", "未报", "缺", "缺失", "—-", "-—"}
_TOTAL_WORDS = {"", "合计", "全部", "总计", "小计", "total", "all"}
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(%|‰|1/10万|/10万|1/万|/万)?$")
_BOUND = re.compile(r"^(<|>|≤|≥|<=|>=|约|≈|~|不足|超过|小于|大于)\s*\d")
_EXCEL_ERROR = re.compile(r"^#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!)$", re.IGNORECASE)
_NAME_UNIT = re.compile(r"[(（]\s*(%|％|‰|1/10万|/10万|1/万|/万)\s*[)）]\s*$")


@dataclass
class LoadResult:
    """Loaded observations and the rows that were rejected, with counts per file.

    ``rows_read == len(observations) + len(rejected)``: every data row is loaded or rejected.
    ``skipped`` lists note rows (``填表人：…``, ``注：…``) that hold no data.
    """

    observations: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    rows_read: int = 0
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FILE_COLUMNS))
    skipped: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["file", "sheet", "row", "text"])
    )

    @property
    def ok(self) -> bool:
        return self.rejected.empty

    def summary(self) -> str:
        text = (
            f"{self.rows_read} rows read: {len(self.observations)} loaded, "
            f"{len(self.rejected)} rejected"
        )
        if len(self.skipped):
            text += f" ({len(self.skipped)} note row(s) skipped)"
        return text


# ------------------------------------------------------------------ public API


def read_with_origin(
    path: str | Path | list[str | Path],
    *,
    region: str | None = None,
    indicators: IndicatorDictionary | None = None,
) -> tuple[pd.DataFrame, LoadResult]:
    """Like :func:`read_observations`, also returning the loaded rows with their origin
    (``_file``, ``_sheet``, ``_row``), as the monitoring database records them."""
    indicators = indicators or load_indicators()
    files = expand_paths(path)
    goods, rejects, notes, counts = [], [], [], []
    for file in files:
        tables, file_rejects = read_tables(file)
        rejects.extend(file_rejects)
        n_file = sum(len(r) for r in file_rejects)
        for table in tables:
            good, bad = validate_table(table, region, indicators)
            # a table refused as a whole without data rows still counts as one rejected row
            n_file += len(table.records) or len(bad)
            goods.append(good)
            rejects.append(bad)
            if table.notes is not None and len(table.notes):
                notes.append(table.notes.assign(file=table.file, sheet=table.sheet))
        counts.append((str(file), n_file))
    obs = pd.concat(goods, ignore_index=True) if goods else _empty_obs(internal=True)
    obs, dup_rejects = _resolve_duplicates(obs)
    rejects.append(dup_rejects)
    rejected = _concat_rejects(rejects)
    skipped = (
        pd.concat(notes, ignore_index=True).rename(columns={"_row": "row"})[["file", "sheet", "row", "text"]]
        if notes else pd.DataFrame(columns=["file", "sheet", "row", "text"])
    )
    file_table = file_counts([f for f, _ in counts], obs, rejected, skipped, dict(counts))
    observations = conform(obs.drop(columns=["_file", "_sheet", "_row"]))
    result = LoadResult(observations, rejected, int(sum(n for _, n in counts)), file_table, skipped)
    return obs, result


def select(
    obs: pd.DataFrame,
    *,
    regions: list[str] | None = None,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``obs`` for the given regions and indicator ids (None = all)."""
    keep = np.ones(len(obs), dtype=bool)
    if regions:
        keep &= obs["region"].isin(regions).to_numpy()
    if indicators:
        keep &= obs["indicator"].isin(indicators).to_numpy()
    return obs if keep.all() else obs[keep].reset_index(drop=True)


def conform(obs: pd.DataFrame) -> pd.DataFrame:
    """The canonical tidy frame: :data:`OBS_COLUMNS` with fixed dtypes, sorted by key."""
    frame = pd.DataFrame(
        {
            **{c: obs[c].astype("str") for c in TEXT_COLUMNS},
            "year": obs["year"].astype("int64"),
            "value": obs["value"].astype("float64"),
        }
    )[OBS_COLUMNS]
    frame = frame.sort_values(KEY_COLUMNS, kind="stable").reset_index(drop=True)
    return frame


def format_rejections(rejected: pd.DataFrame, limit: int | None = None) -> str:
    """One line per rejected row: ``file [sheet] row N, column C: reason (value 'v')``."""
    lines = [f"{len(rejected)} row(s) rejected:"]
    shown = rejected if limit is None else rejected.head(limit)
    for r in shown.itertuples(index=False):
        where = f"{r.file}" + (f" [{r.sheet}]" if r.sheet else "")
        lines.append(f"  {where} row {r.row}, column {r.column!s}: {r.reason} (value {r.value!r})")
    if limit is not None and len(rejected) > limit:
        lines.append(f"  … and {len(rejected) - limit} more")
    return "\n".join(lines)


def observations_schema():
    """The pandera schema of the tidy frame (dtypes, codes, year range, unique keys)."""
    import pandera.pandas as pa

    text = {c: pa.Column(str) for c in TEXT_COLUMNS}
    text["region"] = pa.Column(str, pa.Check.str_length(min_value=1))
    text["indicator"] = pa.Column(str, pa.Check.str_length(min_value=1))
    text["sex"] = pa.Column(str, pa.Check.isin(sorted(set(SEX_CODES.values()))))
    text["area"] = pa.Column(str, pa.Check.isin(sorted(set(AREA_CODES.values()))))
    columns = {
        **text,
        "year": pa.Column("int64", pa.Check.in_range(config.MIN_YEAR, config.MAX_YEAR)),
        "value": pa.Column("float64", pa.Check(np.isfinite, element_wise=False)),
    }
    return pa.DataFrameSchema(
        {c: columns[c] for c in OBS_COLUMNS},
        unique=KEY_COLUMNS,
        strict=True,
        ordered=True,
    )


def check_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """Validate a tidy frame against :func:`observations_schema`; DataError listing failures."""
    import pandera.errors as pe

    try:
        return observations_schema().validate(obs, lazy=True)
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases.head(20)
        lines = [f"  column {c.column}: {c.check} (value {c.failure_case!r}, index {c.index})"
                 for c in cases.itertuples(index=False)]
        raise DataError("observations frame fails its schema:\n" + "\n".join(lines)) from None


def split_indicator_argument(
    indicators: IndicatorDictionary | Iterable[str] | None,
) -> tuple[IndicatorDictionary | None, list[str] | None]:
    if indicators is None or isinstance(indicators, IndicatorDictionary):
        return indicators, None
    names = [indicators] if isinstance(indicators, str) else list(indicators)
    dictionary = load_indicators()
    return None, [dictionary.resolve(name).id for name in names]


# ------------------------------------------------------------------ reading files


def expand_paths(path: str | Path | list[str | Path]) -> list[Path]:
    """Files named by ``path``: a file, a folder (read recursively) or a list of them."""
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


_expand = expand_paths


def read_tables(file: Path) -> tuple[list[RawTable], list[pd.DataFrame]]:
    """The tables of one file; a file that cannot be read at all gives one rejection."""
    suffix = file.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            return _text_tables(file)
        if suffix in WORKBOOK_SUFFIXES:
            tables = [table_from_grid(grid, str(file), name) for name, grid in read_workbook(file)]
            return [t for t in tables if t is not None], []
        if suffix == ".parquet":
            return _parquet_tables(file), []
    except DataError as exc:
        return [], [_reject_frame(file, "", 0, "", "", str(exc))]
    except Exception as exc:  # unreadable file: report it, don't crash the batch
        return [], [_reject_frame(file, "", 0, "", "", f"unreadable file: {type(exc).__name__}: {exc}")]
    return [], [_reject_frame(file, "", 0, "", "", f"unsupported file type {suffix!r}")]


def _text_tables(file: Path) -> tuple[list[RawTable], list[pd.DataFrame]]:
    data = file.read_bytes()
    if not data.strip():
        return [], [_reject_frame(file, "", 0, "", "", "empty file")]
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    garbled = garbled_text_problem(text)
    if garbled:
        raise DataError(garbled)
    if encoding not in ("utf-8", "utf-8-sig"):
        data = text.encode("utf-8")  # the C parser reads UTF-8 bytes fastest
    head = list(islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS + 5))
    delimiter = "\t" if file.suffix.lower() == ".tsv" or head[0].count("\t") > head[0].count(",") else ","
    width = _header_width(head, delimiter)
    try:
        # one spare column: a row with more fields than the header shows up in it
        grid = pd.read_csv(
            io.BytesIO(data), header=None, names=range(width + 1), index_col=False, dtype=object,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, sep=delimiter,
            encoding="utf-8-sig" if encoding == "utf-8-sig" else "utf-8",
        )
        spare = grid[width].to_numpy() != ""
        too_wide = pd.DataFrame({"_row": np.flatnonzero(spare) + 1})
        grid = grid.drop(columns=width)
    except pd.errors.ParserError:
        grid, too_wide = _ragged_csv(text, delimiter, width)
    table = table_from_grid(grid, str(file), "")
    rejects = []
    if table is not None and len(too_wide):
        hit = table.records["_row"].isin(set(too_wide["_row"])).to_numpy()
        rows = table.records.loc[hit, "_row"].to_numpy()
        rejects.append(pd.DataFrame({
            "file": str(file), "sheet": "", "row": rows, "column": "", "value": "",
            "reason": f"row has more fields than the header's {width} (an unquoted comma, e.g. in 1,200?)",
        }))
        table.records = table.records[~hit].reset_index(drop=True)
    return ([table] if table is not None else []), rejects


def _header_width(head: list[str], delimiter: str) -> int:
    """Number of fields of the header line (found among the first lines)."""
    rows = list(csv.reader(head, delimiter=delimiter))
    width = max((len(r) for r in rows), default=1)
    grid = pd.DataFrame([(r + [""] * width)[:width] for r in rows], dtype=object)
    header = locate_header(grid)
    if header is None:
        return width
    cells = rows[header.row]
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return max(len(cells), 1)


def _ragged_csv(text: str, delimiter: str, width: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slow path for CSV text the fast parser refuses: read it row by row, mark long rows."""
    rows, too_wide = [], []
    for i, fields in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        if any(f.strip() for f in fields[width:]):
            too_wide.append(i + 1)
        rows.append((fields + [""] * width)[:width])
    return pd.DataFrame(rows, dtype=object), pd.DataFrame({"_row": too_wide})


def _parquet_tables(file: Path) -> list[RawTable]:
    table = pd.read_parquet(file)
    cells = {}
    for j, col in enumerate(table.columns):
        s = table[col]
        text = s.astype("str") if not pd.api.types.is_float_dtype(s) else s.map(_float_text)
        cells[j] = pd.concat([pd.Series([str(col)]), text.where(s.notna(), "")], ignore_index=True)
    grid = pd.DataFrame(cells)
    found = table_from_grid(grid, str(file), "", row_offset=0)
    return [found] if found is not None else []


def _float_text(x: float) -> str:
    return "" if x != x else (str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x)))


def _reject_frame(file, sheet, row, column, value, reason) -> pd.DataFrame:
    return pd.DataFrame([[str(file), sheet, row, column, value, reason]], columns=REJECT_COLUMNS)


# ------------------------------------------------------------------ validating records


class _Flags:
    """Per-record rejection reasons; the first reason found for a record wins."""

    def __init__(self, n: int):
        self.reason = np.full(n, "", dtype=object)
        self.column = np.full(n, "", dtype=object)
        self.value = np.full(n, "", dtype=object)
        self.bad = np.zeros(n, dtype=bool)

    def flag(self, mask, column, value, why) -> None:
        new = np.asarray(mask, dtype=bool) & ~self.bad
        if not new.any():
            return
        self.bad |= new
        self.reason[new] = why[new] if isinstance(why, np.ndarray) else why
        self.column[new] = column[new] if isinstance(column, np.ndarray) else column
        self.value[new] = value[new] if isinstance(value, np.ndarray) else value


def validate_table(
    table: RawTable,
    region: str | None,
    indicators: IndicatorDictionary,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate one table; returns (good rows in tidy form, rejected rows)."""
    rec = table.records
    n = len(rec)
    rows = rec["_row"].to_numpy()
    if region is not None and "region" not in rec:
        rec = rec.assign(region=region)
        table.headings["region"] = "region"
    missing = [c for c in REQUIRED if c not in rec]
    if missing or table.problem:
        problem = table.problem or _missing_message(missing, table)
        column = table.problem_column or ",".join(missing)
        cells = rec["value"].astype(str).to_numpy() if "value" in rec else ""
        bad = pd.DataFrame({"file": table.file, "sheet": table.sheet, "row": rows, "column": column,
                            "value": cells, "reason": problem})
        if n == 0:
            bad = _reject_frame(table.file, table.sheet, 1, column, "", problem)
        return _empty_obs(internal=True), bad
    heading = table.headings
    col = {f: _clean(rec[f]) if f in rec else np.full(n, "", dtype=object) for f in OBS_COLUMNS
           if f not in ("value",)}
    value_raw = rec["value"].to_numpy(dtype=object)
    value_heading = rec["_col"].to_numpy(dtype=object)
    flags = _Flags(n)

    flags.flag(col["region"] == "", heading.get("region", "region"), col["region"], "region is empty")
    # indicator, units and bounds are worked out once per distinct combination
    lookup = _indicator_lookup(col["indicator"], col["unit"], rec["_unit_h"].to_numpy(dtype=object),
                               indicators)
    flags.flag(lookup["ind_reason"] != "", heading.get("indicator", "indicator"), col["indicator"],
               lookup["ind_reason"])
    year = _parse_years(col["year"])
    flags.flag(np.isnan(year) | (np.nan_to_num(year) % 1 != 0), heading.get("year", "year"),
               col["year"], "year is not a whole number")
    flags.flag((year < config.MIN_YEAR) | (year > config.MAX_YEAR), heading.get("year", "year"),
               col["year"], f"year outside {config.MIN_YEAR}–{config.MAX_YEAR}")
    value, value_reason, cell_unit = parse_values(value_raw)
    flags.flag(value_reason != "", value_heading, value_raw, value_reason)
    unit_res = _resolve_units(lookup, cell_unit)
    unit_column = heading.get("unit", value_heading)
    flags.flag(unit_res["reason"] != "", unit_column,
               np.where(col["unit"] != "", col["unit"], value_raw), unit_res["reason"])
    value = value * np.where(np.isnan(unit_res["factor"]), 1.0, unit_res["factor"])
    low, high = lookup["low"], lookup["high"]
    outside = (value < low) | (value > high)
    if outside.any():
        why = np.array([f"value {v:g} outside the natural bounds [{lo:g}, {hi:g}] of {i}"
                        if o else "" for v, lo, hi, i, o in
                        zip(value, low, high, lookup["ind_id"], outside, strict=True)], dtype=object)
        flags.flag(outside, value_heading, value_raw, why)
    sex = _codes(col["sex"], SEX_CODES)
    flags.flag(sex == None, heading.get("sex", "sex"), col["sex"],  # noqa: E711
               "sex must be 男/女/合计 (male/female/total)")
    area = _codes(col["area"], AREA_CODES)
    flags.flag(area == None, heading.get("area", "area"), col["area"],  # noqa: E711
               "area must be 城镇/农村/合计 (urban/rural/total)")

    good = ~flags.bad
    converted = good & (unit_res["factor"] != 1.0)
    note = col["note"].copy()
    if converted.any():
        note[converted] = [f"{x} converted from {u}".strip() for x, u in
                           zip(note[converted], unit_res["given"][converted], strict=True)]
    subregion = _subregion(col["subregion"], col["region"])
    obj = {"dtype": object}
    tidy = pd.DataFrame(
        {
            "region": pd.Series(col["region"][good], **obj),
            "indicator": pd.Series(lookup["ind_id"][good], **obj),
            "year": year[good].astype("int64"),
            "value": value[good],
            "unit": pd.Series(lookup["ind_unit"][good], **obj),
            "sex": pd.Series(sex[good], **obj),
            "area": pd.Series(area[good], **obj),
            "age_group": pd.Series(_age_group(col["age_group"])[good], **obj),
            "subregion": pd.Series(subregion[good], **obj),
            "source": pd.Series(col["source"][good], **obj),
            "note": pd.Series(note[good], **obj),
            "_file": table.file,
            "_sheet": table.sheet,
            "_row": rows[good],
        }
    )
    bad = pd.DataFrame(
        {"file": table.file, "sheet": table.sheet, "row": rows[~good], "column": flags.column[~good],
         "value": flags.value[~good].astype(str), "reason": flags.reason[~good]}
    )
    return tidy, bad


def _missing_message(missing: list[str], table: RawTable) -> str:
    found = ", ".join(table.headings.values()) or "none"
    hint = "; expected headings such as " + "; ".join(
        f"{m}: {'/'.join(COLUMN_ALIASES[m][:4])}" for m in missing
    )
    if "region" in missing:
        hint += ("; or name the region in a line such as '地区：磐石市' above the header, "
                 "or pass region=… (--region)")
    return f"missing column(s) {', '.join(missing)} (recognised: {found}){hint}"


def _clean(raw: pd.Series) -> np.ndarray:
    """NFKC-normalised, stripped text of each cell (computed once per distinct value)."""
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=False)
    cleaned = np.array([_clean_text(u) for u in uniques], dtype=object)
    return cleaned[codes] if len(codes) else np.array([], dtype=object)


def _clean_text(x: object) -> str:
    text = unicodedata.normalize("NFKC", "" if x is None else str(x)).strip()
    return "" if text.lower() == "nan" else text


def _codes(values: np.ndarray, codes: dict[str, str]) -> np.ndarray:
    codes_, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array([codes.get(str(u).lower()) for u in uniques], dtype=object)
    return mapped[codes_] if len(codes_) else np.array([], dtype=object)


def _age_group(values: np.ndarray) -> np.ndarray:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array(
        ["total" if str(u).lower() in _TOTAL_WORDS else re.sub(r"\s*[-~—–至到]\s*", "-", str(u))
         for u in uniques], dtype=object)
    return mapped[codes] if len(codes) else np.array([], dtype=object)


def _subregion(sub: np.ndarray, region: np.ndarray) -> np.ndarray:
    total = np.isin(sub, list(_TOTAL_WORDS)) | (sub == region)
    return np.where(total, "", sub).astype(object)


def _parse_years(text: np.ndarray) -> np.ndarray:
    year = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    slow = np.isnan(year)
    if slow.any():
        stripped = pd.Series(text[slow], dtype=object).str.replace(r"\s*年度?$", "", regex=True)
        year[slow] = pd.to_numeric(stripped, errors="coerce").to_numpy(dtype=float, copy=True)
    return year


def parse_values(raw: np.ndarray | pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse value cells: plain numbers fast; then thousands separators, full-width digits,
    a trailing ``%``/``‰`` and the usual "not reported" marks.

    Returns (value, reason for rejection or "", unit written in the cell).

    >>> v, why, unit = parse_values(["1,234.5", "９１．２%", "—", "<0.1"])
    >>> v[:2].tolist(), unit[:2].tolist(), why[2:].tolist()
    ([1234.5, 91.2], ['', '%'], ["no value reported ('—')", "value is a bound, not a number ('<0.1')"])
    """
    raw = np.asarray(raw, dtype=object)
    value = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    reason = np.full(len(raw), "", dtype=object)
    unit = np.full(len(raw), "", dtype=object)
    slow = np.flatnonzero(np.isnan(value))
    if len(slow):
        cells = pd.Series(raw[slow], dtype=object).map(_clean_text)
        text = cells.str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
        match = text.str.extract(_NUMBER)
        value[slow] = pd.to_numeric(match[0], errors="coerce").to_numpy(dtype=float, copy=True)
        unit[slow] = match[1].fillna("").to_numpy(dtype=object)
        lower = text.str.lower()
        why = np.where(np.isnan(value[slow]), "value is not a number", "").astype(object)
        is_missing = lower.isin(_MISSING).to_numpy()
        why[is_missing] = [("no value reported (empty cell)" if c == "" else f"no value reported ({c!r})")
                           for c in cells[is_missing]]
        is_bound = text.str.match(_BOUND).to_numpy()
        why[is_bound] = [f"value is a bound, not a number ({c!r})" for c in cells[is_bound]]
        is_error = text.str.match(_EXCEL_ERROR).to_numpy()
        why[is_error] = [f"spreadsheet error {c} instead of a value" for c in cells[is_error]]
        reason[slow] = why
    reason[~np.isfinite(value) & (reason == "")] = "value is not finite"
    value[reason != ""] = np.nan
    return value, reason, unit


def _indicator_lookup(
    names: np.ndarray, unit_col: np.ndarray, unit_heading: np.ndarray, indicators: IndicatorDictionary
) -> dict[str, np.ndarray]:
    """Indicator id, unit, bounds and the units given, per record (one look-up per distinct name)."""
    codes, uniques = pd.factorize(names, use_na_sentinel=False)
    per = [_indicator_facts(str(u), indicators) for u in uniques]
    out = {k: np.array([p[k] for p in per], dtype=object)[codes] if len(codes) else
           np.array([], dtype=object) for k in ("ind_id", "ind_unit", "ind_reason", "name_unit")}
    out["low"] = np.array([p["low"] for p in per], dtype=float)[codes] if len(codes) else np.array([])
    out["high"] = np.array([p["high"] for p in per], dtype=float)[codes] if len(codes) else np.array([])
    out["unit_col"] = unit_col
    out["unit_heading"] = unit_heading
    return out


def _indicator_facts(name: str, indicators: IndicatorDictionary) -> dict:
    found = indicators.find(name) if name else None
    if found is None:
        if name == "":
            reason = "indicator is empty"
        else:
            close = indicators.suggest(name)
            reason = f"unknown indicator {name!r}" + (f"; close matches: {', '.join(close)}" if close else
                                                      "; no close match in the indicator dictionary")
        return {"ind_id": "", "ind_unit": "", "ind_reason": reason, "name_unit": "",
                "low": -np.inf, "high": np.inf}
    low, high = found.bounds
    m = _NAME_UNIT.search(unicodedata.normalize("NFKC", name))
    return {"ind_id": found.id, "ind_unit": found.unit, "ind_reason": "",
            "name_unit": m.group(1) if m else "",
            "low": -np.inf if low is None else float(low), "high": np.inf if high is None else float(high)}


def _resolve_units(lookup: dict[str, np.ndarray], cell_unit: np.ndarray) -> dict[str, np.ndarray]:
    """The unit each value was given in, its conversion factor, or the reason it is unusable.

    Units may come from the unit column, the value cell (``5.2‰``), the column heading
    (``数值(‰)``) or the indicator name (``婴儿死亡率(‰)``); they must agree.
    """
    sources = {
        "unit column": lookup["unit_col"],
        "value cell": cell_unit,
        "heading": lookup["unit_heading"],
        "indicator name": lookup["name_unit"],
    }
    n = len(cell_unit)
    if n == 0:
        empty = np.array([], dtype=object)
        return {"factor": np.array([], dtype=float), "reason": empty, "given": empty}
    columns = [*sources.values(), lookup["ind_unit"], lookup["ind_id"]]
    key = np.zeros(n, dtype=np.int64)
    for values in columns:  # one integer per distinct combination
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes
    _, first, idx = np.unique(key, return_index=True, return_inverse=True)
    per = [_unit_facts(tuple(col[i] for col in columns)) for i in first]
    return {
        "factor": np.array([p[0] for p in per], dtype=float)[idx],
        "reason": np.array([p[1] for p in per], dtype=object)[idx],
        "given": np.array([p[2] for p in per], dtype=object)[idx],
    }


def _unit_facts(row) -> tuple[float, str, str]:
    given = {name: canonical_unit(u) for name, u in zip(
        ("unit column", "value cell", "heading", "indicator name"), row[:4], strict=True) if u}
    target, ind = row[4], row[5]
    if not ind:
        return 1.0, "", ""
    distinct = sorted(set(given.values()))
    if len(distinct) > 1:
        said = ", ".join(f"{k} says {v}" for k, v in given.items())
        return np.nan, f"conflicting units: {said}", ""
    unit = distinct[0] if distinct else None
    factor = conversion_factor(unit, target)
    if factor is None:
        return np.nan, f"unit {unit} cannot be converted to {target} (the unit of {ind})", unit or ""
    return float(factor), "", unit or ""


def _resolve_duplicates(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep one row per key; exact repeats and conflicting values are rejected with a reason."""
    if obs.empty:
        return obs, pd.DataFrame(columns=REJECT_COLUMNS)
    dup_any = obs.duplicated(KEY_COLUMNS, keep=False).to_numpy()
    if not dup_any.any():
        return obs, pd.DataFrame(columns=REJECT_COLUMNS)
    dups = obs[dup_any].copy()
    dups["_v"] = dups["value"].round(9)
    groups = dups.groupby(KEY_COLUMNS, sort=False)
    conflict = (groups["_v"].transform("nunique") > 1).to_numpy()
    one_place = (groups["_file"].transform("nunique") == 1) & (groups["_sheet"].transform("nunique") == 1)
    place = dups["_file"].astype(str) + np.where(dups["_sheet"] != "", " [" + dups["_sheet"] + "]", "")
    dups["_where"] = np.where(one_place, "row ", place + " row ") + dups["_row"].astype(str)
    rejects = []
    conflicting = dups[conflict]
    if len(conflicting):
        rows = conflicting.groupby(KEY_COLUMNS, sort=False)["_where"].transform(lambda r: ", ".join(r))
        rejects.append(pd.DataFrame({
            "file": conflicting["_file"], "sheet": conflicting["_sheet"], "row": conflicting["_row"],
            "column": "value", "value": conflicting["value"].map(lambda v: f"{v:g}"),
            "reason": "conflicting duplicate: " + rows + " give different values for the same "
            "region, indicator, year and breakdown",
        }))
    repeats = dups[~conflict]
    first_where = repeats.groupby(KEY_COLUMNS, sort=False)["_where"].transform("first")
    extra_mask = repeats.duplicated(KEY_COLUMNS, keep="first").to_numpy()
    extra = repeats[extra_mask]
    if len(extra):
        rejects.append(pd.DataFrame({
            "file": extra["_file"], "sheet": extra["_sheet"], "row": extra["_row"], "column": "",
            "value": extra["value"].map(lambda v: f"{v:g}"),
            "reason": "repeat of " + first_where[extra_mask] + " (same value, loaded once)",
        }))
    drop = obs.index.isin(conflicting.index) | obs.index.isin(extra.index)
    return obs[~drop], pd.concat(rejects, ignore_index=True)


def _concat_rejects(rejects: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [r[REJECT_COLUMNS] for r in rejects if len(r)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["row"] = out["row"].astype("int64")
    for c in ("file", "sheet", "column", "value", "reason"):
        out[c] = out[c].astype(str)
    return out.sort_values(["file", "sheet", "row"], kind="stable").reset_index(drop=True)


def file_counts(files, obs, rejected, skipped, rows_read=None) -> pd.DataFrame:
    loaded = obs["_file"].value_counts() if "_file" in obs else pd.Series({files[0]: len(obs)})
    rej = rejected["file"].value_counts() if rejected is not None else pd.Series(dtype=int)
    skp = skipped["file"].value_counts() if skipped is not None else pd.Series(dtype=int)
    return pd.DataFrame(
        {
            "file": files,
            "rows_read": [int((rows_read or {}).get(f, loaded.get(f, 0))) for f in files],
            "loaded": [int(loaded.get(f, 0)) for f in files],
            "rejected": [int(rej.get(f, 0)) for f in files],
            "skipped": [int(skp.get(f, 0)) for f in files],
        },
        columns=FILE_COLUMNS,
    )


def _empty_obs(internal: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in OBS_COLUMNS})
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    if internal:
        frame["_file"] = pd.Series(dtype="str")
        frame["_sheet"] = pd.Series(dtype="str")
        frame["_row"] = pd.Series(dtype="int64")
    return frame
