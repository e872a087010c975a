"""Observation loaders: files → one tidy long frame, every input row accounted for.

The tidy frame has the columns :data:`OBS_COLUMNS`. ``indicator`` holds dictionary ids,
``unit`` the indicator's canonical unit (values in another rate unit are converted).
Every data row read is loaded, rejected (with file, sheet, row, column and reason) or
superseded by a later file's value for the same key; form furniture rows (``注：…``,
``填表人：…``, ``一、儿童与健康``) and values marked as not reported (``—``, ``无``, ``不适用``:
:mod:`childplan_analysis.io.placeholders`) are skipped with their reason. A region name that is
the filled-in region written with or without its administrative suffix (``广州`` for ``广州市``) is
read as that region (:mod:`childplan_analysis.io.region_names`).

Files are read by :mod:`childplan_analysis.io.readers` (CSV in UTF-8/GBK, Excel and ODS in long
or wide form — see :mod:`childplan_analysis.io.wide_forms` — and Parquet) and validated by
:mod:`childplan_analysis.io.validate`. The monitoring database is read through
:mod:`childplan_analysis.io.sources`.

**Conflicts between files.** Files are read in order: the files of a folder sorted by path,
files named one by one in the order given, and the files named by ``prefer`` last. When two files
give different values for the same region, indicator, year and breakdown, the later-read file
wins; every such conflict is listed in :attr:`LoadResult.conflicts` (both files, rows and
values). Different values for one key within a single file are rejected (there is no rule to
choose between them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from childplan_analysis.core import config
from childplan_analysis.core.columns import (
    CENSOR_CODES,
    CONFLICT_COLUMNS,
    FILE_COLUMNS,
    KEY_COLUMNS,
    LOADED_COLUMNS,
    OPTIONAL_COLUMNS,
    REJECT_COLUMNS,
    SKIP_COLUMNS,
    TEXT_COLUMNS,
)
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.core.text import describe_spelling, merged_spellings, normalise_array, zh_en
from childplan_analysis.io.coded import (
    Coded,
    as_text,
    combine,
    concat_tidy,
    count_codes,
    sort_order,
)
from childplan_analysis.io.keys import KeyOrder, key_order
from childplan_analysis.io.placeholders import missing_values
from childplan_analysis.io.readers import (
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    WORKBOOK_SUFFIXES,
    read_tables,
)
from childplan_analysis.io.region_names import merge_region_spellings
from childplan_analysis.io.validate import empty_obs, parse_values, validate_table
from childplan_analysis.io.wide_forms import AREA_CODES, SEX_CODES

__all__ = [
    "SUPPORTED_SUFFIXES", "TEXT_SUFFIXES", "WORKBOOK_SUFFIXES", "LoadResult", "check_observations",
    "conform", "expand_paths", "file_counts", "format_conflicts", "format_rejections", "group_rejections",
    "observations_schema", "parse_values", "read_tables", "read_with_origin", "select",
    "split_indicator_argument",
]


def _frame(columns: list[str]) -> pd.DataFrame:
    """An empty frame of text (object) columns."""
    return pd.DataFrame(np.empty((0, len(columns)), dtype=object), columns=columns)


@dataclass
class LoadResult:
    """Loaded observations and what became of every other row, with counts per file.

    ``rows_read == len(observations) + len(rejected) + len(conflicts)``: every data row is
    loaded, rejected, or superseded by a later file (listed in ``conflicts``). ``skipped`` lists
    form furniture (notes, sign-off lines, section headings) and values marked as not reported
    (``—``, ``无``), which are not read as rows, with the reason; ``warnings`` what
    the analyst should know although nothing was lost (e.g. a byte-order mark removed, two
    spellings of a name merged).
    """

    observations: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: _frame(REJECT_COLUMNS))
    rows_read: int = 0
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FILE_COLUMNS))
    skipped: pd.DataFrame = field(default_factory=lambda: _frame(SKIP_COLUMNS))
    conflicts: pd.DataFrame = field(default_factory=lambda: _frame(CONFLICT_COLUMNS))
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rejected.empty

    def summary(self) -> str:
        n_obs, n_rej, n_con, n_skip = len(self.observations), len(self.rejected), len(self.conflicts), len(self.skipped)
        zh = f"读取 {self.rows_read} 行：载入 {n_obs}，拒绝 {n_rej}"
        en = f"{self.rows_read} rows read: {n_obs} loaded, {n_rej} rejected"
        n_same = int(same_value(self.conflicts).sum()) if n_con else 0
        if n_con - n_same:
            zh += f"，{n_con - n_same} 行被后读入文件的不同数值取代"
            en += f", {n_con - n_same} superseded by a later file's different value"
        if n_same:
            zh += f"，{n_same} 行与后读入文件数值相同（只载入一次）"
            en += f", {n_same} repeating a later file's value (loaded once)"
        n_missing = len(missing_values(self.skipped)) if n_skip else 0
        if n_skip - n_missing:
            zh += f"；跳过 {n_skip - n_missing} 行表单说明"
            en += f"; {n_skip - n_missing} form note row(s) skipped"
        if n_missing:
            zh += f"；{n_missing} 个数值未填报（—、无 等），按缺失跳过"
            en += f"; {n_missing} value(s) marked as not reported (—, 无 …) skipped as missing"
        return zh_en(zh, en)


# ------------------------------------------------------------------ public API


def read_with_origin(
    path: str | Path | list[str | Path],
    *,
    region: str | None = None,
    indicators: IndicatorDictionary | None = None,
    prefer: Iterable[str | Path] | None = None,
) -> tuple[pd.DataFrame, LoadResult]:
    """Read and validate files; also returns the loaded rows with their origin (``_file``,
    ``_sheet``, ``_row``), as the monitoring database records them.

    ``region`` fills the region of tables that name none. ``prefer``: files (paths or names)
    read last, so that their values win conflicts.
    """
    indicators = indicators or load_indicators()
    files = order_files(expand_paths(path), prefer)
    goods, rejects, notes, counts, warnings = [], [], [], [], unread_files_warning(path)
    file_order: list[int] = []  # the order of the file each frame of goods was read from
    spellings: dict[str, list[np.ndarray]] = {"region": [], "indicator": []}
    for order, file in enumerate(files):
        read = read_tables(file)
        rejects.extend(read.rejects)
        warnings.extend(read.notes)
        n_file = sum(len(r) for r in read.rejects)
        for table in read.tables:
            good, bad = validate_table(table, region, indicators)
            # a table refused as a whole without data rows still counts as one rejected row
            n_file += len(table.records) or len(bad)
            goods.append(good)
            file_order.append(order)
            for f in ("region", "indicator"):
                if f in table.records:
                    spellings[f].append(Coded.of(table.records[f]).used_values())
            rejects.append(bad)
            warnings.extend(table.warnings)
            if table.notes is not None and len(table.notes):
                notes.append(table.notes.assign(file=table.file, sheet=table.sheet))
        counts.append((str(file), n_file))
    warnings.extend(_merge_warnings(spellings))
    obs = concat_tidy(goods) if goods else empty_obs(internal=True)
    obs, region_notes = merge_region_spellings(obs, region)  # 广州 in one file, 广州市 in another
    warnings.extend(region_notes)
    keys = key_order(obs, KEY_COLUMNS)
    if keys is None or keys.repeats:
        n_before = len(obs)
        obs = obs.assign(_order=np.repeat(np.array(file_order, dtype=np.int64), [len(g) for g in goods]))
        obs, yielded = _fractions_yield(obs)
        if yielded:
            warnings.append(zh_en(
                f"{yielded} 个按小数填写的百分比（如 0.915）与另一文件中同一数值的百分数（91.5）重复：采用百分数，不论文件先后",
                f"{yielded} percentage(s) written as fractions (0.915) repeat another file's percent (91.5) of the same "
                "figure: the percent is kept whichever file is read later"))
        obs, dup_rejects, conflicts = _resolve_duplicates(obs)
        obs = obs.drop(columns="_order")
        rejects.append(dup_rejects)
        if keys is not None:
            keys = KeyOrder(keys.kept(obs.index.to_numpy(), n_before), False)
    else:
        conflicts = _frame(CONFLICT_COLUMNS)
    rejected = _concat_rejects(rejects)
    skipped = (
        pd.concat(notes, ignore_index=True).rename(columns={"_row": "row"})[SKIP_COLUMNS]
        if notes else _frame(SKIP_COLUMNS)
    )
    file_table = file_counts([f for f, _ in counts], obs, rejected, skipped, dict(counts), conflicts)
    # conform takes the columns it names: the origin columns are left behind without a copy
    observations = conform(obs, None if keys is None else keys.order)
    result = LoadResult(observations, rejected, int(sum(n for _, n in counts)), file_table, skipped,
                        conflicts, list(dict.fromkeys(warnings)))
    return obs, result


def _merge_warnings(spellings: dict[str, list[np.ndarray]]) -> list[str]:
    """One warning per kind of name where several spellings became one name."""
    out = []
    for field_, zh in (("region", "地区"), ("indicator", "指标")):
        if not spellings[field_]:
            continue
        raw = pd.unique(np.concatenate(spellings[field_]))
        cleaned = normalise_array(raw)
        if len(pd.unique(cleaned)) == len(raw):
            continue  # each spelling its own name: none merged
        merged = merged_spellings(raw, cleaned)
        if merged:
            items = "; ".join(f"{name} ← {'、'.join(describe_spelling(v) for v in variants)}"
                              for name, variants in list(merged.items())[:20])
            out.append(zh_en(f"{zh}名称的不同写法已合并（全角/半角、不可见字符）：{items}",
                             f"{len(merged)} {field_} name(s) written in several ways were merged"))
    return out


def order_files(files: list[Path], prefer: Iterable[str | Path] | None) -> list[Path]:
    """``files`` with those named by ``prefer`` (a path, or a bare file name) moved to the end."""
    if not prefer:
        return files
    wanted = [Path(p) for p in prefer]

    def preferred(f: Path) -> bool:
        return any(f.resolve() == w.resolve() or (len(w.parts) == 1 and f.name == w.name) for w in wanted)

    unknown = [w for w in wanted if not any(f.resolve() == w.resolve() or f.name == w.name for f in files)]
    if unknown:
        raise DataError(zh_en(f"--prefer 指定的文件不在数据中：{', '.join(map(str, unknown))}",
                              f"--prefer names file(s) not among the data: {', '.join(map(str, unknown))}"))
    return [f for f in files if not preferred(f)] + [f for f in files if preferred(f)]


def select(
    obs: pd.DataFrame,
    *,
    regions: list[str] | None = None,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``obs`` for the given regions and indicator ids (None = all). An optional column
    (``publication``) none of the selected rows fills is left out, as a file without it would be."""
    keep = np.ones(len(obs), dtype=bool)
    if regions:
        keep &= obs["region"].isin(regions).to_numpy()
    if indicators:
        keep &= obs["indicator"].isin(indicators).to_numpy()
    if keep.all():
        return obs
    chosen = obs[keep].reset_index(drop=True)
    empty = [c for c in OPTIONAL_COLUMNS if c in chosen and not (chosen[c].astype(str) != "").any()]
    return chosen.drop(columns=empty)


def conform(obs: pd.DataFrame, order: np.ndarray | None = None) -> pd.DataFrame:
    """The canonical tidy frame: :data:`OBS_COLUMNS` and ``censor`` with fixed dtypes, sorted by key,
    then any :data:`OPTIONAL_COLUMNS` the frame carries ("" where a row has none).

    ``order``: the key order of the rows when already known (:func:`~childplan_analysis.io.keys.key_order`)."""
    if "censor" not in obs:  # frames from before censored values were kept: every value exact
        obs = obs.assign(censor="")
    extras = {c: obs[c].fillna("").astype("str").to_numpy() for c in OPTIONAL_COLUMNS if c in obs}
    if not any(isinstance(obs[c].dtype, pd.CategoricalDtype) for c in [*TEXT_COLUMNS, "censor"]):
        frame = pd.DataFrame(
            {
                **{c: obs[c].astype("str") for c in TEXT_COLUMNS},
                "year": obs["year"].astype("int64"),
                "value": obs["value"].astype("float64"),
                "censor": obs["censor"].astype("str"),
            }
        )[LOADED_COLUMNS].assign(**extras)
        return frame.sort_values(KEY_COLUMNS, kind="stable").reset_index(drop=True)
    # the validated frame: text columns are categorical, made ``str`` once, in sorted order
    if order is None:
        order = sort_order(obs, KEY_COLUMNS)
    written: dict[object, object] = {}  # the Arrow text of each column of one text, shared by its columns
    # numbers as Series of their own: taken as they are, not copied into one block
    numbers = {"year": "int64", "value": "float64"}
    frame = pd.DataFrame(
        {c: pd.Series(np.take(obs[c].to_numpy().astype(numbers[c], copy=False), order), copy=False)
         if c in numbers else _text(obs[c], order, written) for c in LOADED_COLUMNS},
        copy=False,
    )
    return frame.assign(**{c: pd.array(v[order], dtype="str") for c, v in extras.items()}) if extras else frame


def _text(column: pd.Series, order: np.ndarray, written: dict[object, object] | None = None) -> pd.Series:
    """A text column as ``str`` in ``order``; a categorical of one text is written out directly
    (once per text in ``written``: the Arrow array, immutable, is shared by the columns of that text,
    each with its own pandas array; its offsets by the texts of its length)."""
    if (not isinstance(column.dtype, pd.CategoricalDtype) or len(column.cat.categories) != 1
            or (len(column) and column.array.codes.min() < 0)):
        return as_text(column, order)
    import pyarrow as pa

    n, text = len(order), str(column.cat.categories[0]).encode("utf-8")
    written = {} if written is None else written
    array = written.get(text)
    if array is None:
        # the offsets of a text of one length are shared by the texts of that length
        offsets = written.get(len(text))
        if offsets is None:
            offsets = written[len(text)] = pa.py_buffer(
                np.arange(0, (n + 1) * len(text), len(text), dtype=np.int64) if text else np.zeros(n + 1, np.int64))
        array = written[text] = pa.LargeStringArray.from_buffers(n, offsets, pa.py_buffer(text * n))
    return pd.Series(pd.array(array, dtype="str"), copy=False)


def observations_schema():
    """The pandera schema of the tidy frame (dtypes, codes, year range, unique keys)."""
    import pandera.pandas as pa

    text = {c: pa.Column(str) for c in TEXT_COLUMNS}
    text["region"] = pa.Column(str, pa.Check.str_length(min_value=1))
    text["indicator"] = pa.Column(str, pa.Check.str_length(min_value=1))
    text["sex"] = pa.Column(str, pa.Check.isin(sorted(set(SEX_CODES.values()))))
    text["area"] = pa.Column(str, pa.Check.isin(sorted(set(AREA_CODES.values()))))
    text["censor"] = pa.Column(str, pa.Check.isin(list(CENSOR_CODES)))
    columns = {
        **text,
        "year": pa.Column("int64", pa.Check.in_range(config.MIN_YEAR, config.MAX_YEAR)),
        "value": pa.Column("float64", pa.Check(np.isfinite, element_wise=False)),
    }
    optional = {c: pa.Column(str, required=False) for c in OPTIONAL_COLUMNS}
    return pa.DataFrameSchema(
        {**{c: columns[c] for c in LOADED_COLUMNS}, **optional},
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


def group_rejections(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejections with the same file, sheet and reason as one row: ``count`` and ``rows``
    (``5–12, 15``), in the order first seen."""
    columns = ["file", "sheet", "reason", "count", "rows", "columns"]
    if rejected is None or rejected.empty:
        return pd.DataFrame(columns=columns)
    parts = {c: Coded.of(rejected[c].astype(str) if not isinstance(rejected[c].dtype, pd.CategoricalDtype)
                         else rejected[c]) for c in ("file", "sheet", "reason", "column")}
    group, first = combine(parts["file"].codes, parts["sheet"].codes, parts["reason"].codes)
    rows = rejected["row"].to_numpy().astype(np.int64)
    out = pd.DataFrame({c: np.asarray([str(v) for v in parts[c].values(first)], dtype=object)
                        for c in ("file", "sheet", "reason")})
    out["count"] = np.bincount(group, minlength=len(first))
    out["rows"] = _ranges(group, rows, len(first))
    col_group, col_first = combine(group, parts["column"].codes)
    names = [str(v) for v in parts["column"].values(col_first)]
    per_group: list[list[str]] = [[] for _ in first]
    for g, name in zip(group[col_first], names, strict=True):
        per_group[g].append(name)
    out["columns"] = [", ".join(n) for n in per_group]
    return out[columns]


def _ranges(group: np.ndarray, rows: np.ndarray, n_groups: int) -> list[str]:
    """Per group, its distinct rows as runs (``5–12, 15``): the first 8 runs, then how many."""
    order = np.lexsort((rows, group))
    g, r = group[order], rows[order]
    distinct = np.ones(len(g), dtype=bool)
    distinct[1:] = (g[1:] != g[:-1]) | (r[1:] != r[:-1])
    g, r = g[distinct], r[distinct]
    start = np.ones(len(g), dtype=bool)
    start[1:] = (g[1:] != g[:-1]) | (r[1:] != r[:-1] + 1)
    run_group, run_first, run_last = g[start], r[start], r[np.r_[start[1:], True]]
    runs_per_group = np.bincount(run_group, minlength=n_groups)
    rank = np.arange(len(run_group)) - np.r_[0, np.cumsum(runs_per_group)][run_group]
    text: list[list[str]] = [[] for _ in range(n_groups)]
    for k in np.flatnonzero(rank < 8):
        a, b = int(run_first[k]), int(run_last[k])
        text[run_group[k]].append(str(a) if a == b else f"{a}–{b}")
    return [", ".join(t) + (f" …（共 {m} 段）" if m > 8 else "") for t, m in zip(text, runs_per_group, strict=True)]


def format_rejections(rejected: pd.DataFrame, limit: int | None = None) -> str:
    """Rejections grouped by file, sheet and reason, one line each:
    ``file [sheet] row 5–12, column C（42 条）: reason``."""
    grouped = group_rejections(rejected)
    lines = [zh_en(f"{len(rejected)} 条记录被拒绝", f"{len(rejected)} row(s) rejected") + ":"]
    shown = grouped if limit is None else grouped.head(limit)
    for g in shown.itertuples(index=False):
        where = f"{g.file}" + (f" [{g.sheet}]" if g.sheet else "")
        rows = f"row {g.rows}, column {g.columns or '-'}" if g.rows != "0" else "整个文件（whole file）"
        lines.append(f"  {where} {rows}（{g.count} 条）: {g.reason}")
    if limit is not None and len(grouped) > limit:
        lines.append(f"  … 另有 {len(grouped) - limit} 种原因（and {len(grouped) - limit} more reasons）")
    return "\n".join(lines)


def same_value(conflicts: pd.DataFrame) -> np.ndarray:
    """Rows of ``conflicts`` where the earlier file gave the value that was kept (a repeat, not a
    disagreement)."""
    kept = pd.to_numeric(conflicts["kept_value"], errors="coerce").to_numpy(dtype=float)
    dropped = pd.to_numeric(conflicts["dropped_value"], errors="coerce").to_numpy(dtype=float)
    return np.round(kept, 9) == np.round(dropped, 9)


def format_conflicts(conflicts: pd.DataFrame, limit: int | None = None) -> str:
    """One line per conflict: the key, the value kept and the one dropped, with their places;
    then a count of the rows an earlier file repeated with the same value (and where)."""
    same = same_value(conflicts)
    differ, repeated = conflicts[~same], conflicts[same]
    lines: list[str] = []
    if len(differ):
        lines.append(zh_en(f"{len(differ)} 处文件间数值冲突，采用后读入文件的数值",
                           f"{len(differ)} conflicting value(s) between files; the later file's value is kept") + ":")
        shown = differ if limit is None else differ.head(limit)
        for c in shown.itertuples(index=False):
            lines.append(f"  {c.region} {c.indicator} {c.year}: 采用 {_place(c.kept_file, c.kept_sheet, c.kept_row)} "
                         f"的 {c.kept_value}，舍弃 {_place(c.dropped_file, c.dropped_sheet, c.dropped_row)} "
                         f"的 {c.dropped_value}")
        if limit is not None and len(differ) > limit:
            lines.append(f"  … 另有 {len(differ) - limit} 处（and {len(differ) - limit} more）")
    if len(repeated):
        pairs = repeated.groupby(["dropped_file", "kept_file"], sort=False).size()
        where = "；".join(f"{d} 与 {k} {n} 行" for (d, k), n in pairs.items())
        lines.append(zh_en(f"{len(repeated)} 行与后读入文件数值相同，只载入一次：{where}",
                           f"{len(repeated)} row(s) repeat a later file's value and are loaded once"))
    return "\n".join(lines)


def _place(file: str, sheet: str, row: int) -> str:
    return f"{file}" + (f" [{sheet}]" if sheet else "") + f" 第 {row} 行"


# ------------------------------------------------------------------ reading files


def expand_paths(path: str | Path | list[str | Path]) -> list[Path]:
    """Files named by ``path``: a file, a folder (read recursively, sorted by path) or a list."""
    paths = path if isinstance(path, list | tuple) else [path]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SUPPORTED_SUFFIXES
                                and not f.name.startswith((".", "~$"))))
        elif p.exists():
            files.append(p)
        else:
            raise DataError(zh_en(f"{p}：文件或文件夹不存在", f"{p}: no such file or folder"))
    return files


_expand = expand_paths


def unread_files_warning(path: str | Path | list[str | Path]) -> list[str]:
    """A warning naming the files of the folders in ``path`` that are not read (not a data file
    type: a 说明.docx, a WPS .et, a zipped workbook), so that none is passed over unseen."""
    paths = path if isinstance(path, list | tuple) else [path]
    unread = sorted(str(f) for p in map(Path, paths) if p.is_dir() for f in p.rglob("*")
                    if f.is_file() and f.suffix.lower() not in SUPPORTED_SUFFIXES
                    and not f.name.startswith((".", "~$")))
    if not unread:
        return []
    shown = "、".join(unread[:10]) + (" …" if len(unread) > 10 else "")
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return [zh_en(f"{len(unread)} 个文件不是可读的数据文件类型，未读取：{shown}（可读：{kinds}）",
                  f"{len(unread)} file(s) not read, not a data file type: {shown} (read: {kinds})")]


# ------------------------------------------------------------------ one row per key


#: Rows of one key compared pairwise for a fraction beside its percent (more are not two files' notations).
_FEW_FILES = 16


def _fractions_yield(obs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``obs`` with the rows of a percent indicator that are another row's figure written as a
    fraction (0.915 beside 91.5 for the same key, within half a unit of the last digit a percent
    is published to, in a series whose other values are percents) read as if from the earliest
    file, so that the percent wins the conflict whichever file comes later; and how many such
    rows there are. Two files disagreeing this way give one figure in two notations, not two."""
    percent = (obs["unit"].astype(str) == "%").to_numpy() if "unit" in obs else np.zeros(len(obs), bool)
    if not percent.any():
        return obs, 0
    gid, _ = combine(*[_key_codes(obs[k]) for k in KEY_COLUMNS])
    size = np.bincount(gid)[gid]
    # a key given by a few files (a group of many rows is a file at odds with itself, rejected as such)
    repeated = percent & (size > 1) & (size <= _FEW_FILES)
    if not repeated.any():
        return obs, 0
    at = np.flatnonzero(repeated)
    rows = pd.DataFrame({"g": gid[at], "v": obs["value"].to_numpy(dtype=float)[at], "at": at})
    pairs = rows.merge(rows, on="g", suffixes=("", "_o"))
    scaled = pairs["v"] * 100
    same = (pairs["v"].abs() <= 1) & ((scaled - pairs["v_o"]).abs() <= np.maximum(0.05, 5e-4 * pairs["v_o"].abs()))
    same &= pairs["v_o"].abs() > 1
    fractions = np.unique(pairs.loc[same, "at"].to_numpy())
    if not len(fractions):
        return obs, 0
    # only where the series' other values are percents too: a rate that is truly below 1 % (0.8 beside
    # a stray 80) keeps the rule of the later file
    series, _ = combine(*[_key_codes(obs[k]) for k in KEY_COLUMNS if k != "year"])
    others = pd.Series(obs["value"].to_numpy(dtype=float)).drop(index=fractions)
    level = others.groupby(series[others.index.to_numpy()]).median()
    fractions = fractions[level.reindex(series[fractions]).to_numpy() > 1]
    if not len(fractions):
        return obs, 0
    order = obs["_order"].to_numpy().copy()
    order[fractions] = order.min() - 1
    return obs.assign(_order=order), len(fractions)


def _resolve_duplicates(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One row per key. Between files the later-read file wins (the other rows are returned as
    conflicts, also when they repeat the kept value); within the file read last, repeats of one
    value are loaded once and different values are rejected.

    Keys are grouped as integers; reasons are written once per key and shared by its rows."""
    none = _frame(REJECT_COLUMNS), _frame(CONFLICT_COLUMNS)
    if obs.empty:
        return obs, *none
    gid, _ = combine(*[_key_codes(obs[k]) for k in KEY_COLUMNS])
    dup_any = np.bincount(gid)[gid] > 1
    if not dup_any.any():
        return obs, *none
    pos = np.flatnonzero(dup_any)
    file = Coded.of(obs["_file"].to_numpy(dtype=object)[pos])
    sheet = Coded.of(obs["_sheet"].to_numpy(dtype=object)[pos])
    dups = pd.DataFrame({
        "g": gid[pos], "_order": obs["_order"].to_numpy()[pos], "_row": obs["_row"].to_numpy()[pos],
        "value": obs["value"].to_numpy()[pos], "_v": obs["value"].to_numpy()[pos].round(9),
        "_f": file.codes, "_s": sheet.codes,
    }, index=obs.index[pos])
    groups = dups.groupby("g", sort=False)
    in_last = (dups["_order"] == groups["_order"].transform("max")).to_numpy()
    torn = (dups["_v"].where(in_last).groupby(dups["g"], sort=False).transform("nunique") > 1).to_numpy()
    one_place = ((groups["_f"].transform("nunique") == 1) & (groups["_s"].transform("nunique") == 1)).to_numpy()

    def where(at: np.ndarray) -> np.ndarray:
        """``row 5`` or, for keys met in several files or sheets, ``file [sheet] row 5``."""
        sheets = sheet.uniques[dups["_s"].to_numpy()[at]]
        files = file.uniques[dups["_f"].to_numpy()[at]]
        return np.array([("row " if one else f"{f}{f' [{s}]' if s != '' else ''} row ") + str(r)
                         for one, f, s, r in zip(one_place[at], files, sheets, dups["_row"].to_numpy()[at],
                                                 strict=True)], dtype=object)

    rejects = []
    conflicting = dups[torn]
    if len(conflicting):
        shown = np.flatnonzero(torn)[conflicting.groupby("g", sort=False).cumcount().to_numpy() < SHOWN_PLACES]
        places = pd.Series(where(shown)).groupby(dups["g"].to_numpy()[shown], sort=False).agg(", ".join)
        count = conflicting.groupby("g", sort=False).size()
        more = count.reindex(places.index) - SHOWN_PLACES
        rows = places.where(more <= 0, places + " … (+" + more.astype(str) + ")")
        reason = ("同一文件中数值矛盾：" + rows + " 对同一地区、指标、年份和分组给出不同数值（conflicting "
                  "duplicate: " + rows + " give different values for the same region, indicator, year and breakdown）")
        rejects.append(_dup_rejects(conflicting, file, sheet, "value", reason))
    rest = dups[~torn]
    rest_in_last = in_last[~torn]
    # the kept row of each key: the first row of the file read last
    keeper = rest[rest_in_last].groupby("g", sort=False).head(1)
    kept = keeper.set_index("g")[["_f", "_s", "_row", "_v", "value"]].assign(
        _where=where(dups.index.get_indexer(keeper.index)))
    others = rest.drop(index=keeper.index)
    joined = others.join(kept, on="g", rsuffix="_k")
    same = (joined["_v"] == joined["_v_k"]).to_numpy()
    # an earlier file repeating the kept value is superseded like a conflict (listed, not an error)
    earlier = ~pd.Series(in_last, index=dups.index).reindex(joined.index).to_numpy()
    repeats = joined[same & ~earlier]
    if len(repeats):
        reason = ("与 " + kept["_where"] + " 重复（数值相同，只载入一次）（repeat of " + kept["_where"]
                  + " (same value, loaded once)）")
        rejects.append(_dup_rejects(repeats, file, sheet, "", reason))
    superseded = joined[~same | earlier]
    at = obs.index.get_indexer(superseded.index)
    conflicts = pd.DataFrame({
        **{k: obs[k].to_numpy()[at] if k == "year" else as_text(obs[k], at) for k in KEY_COLUMNS},
        "kept_file": file.uniques[superseded["_f_k"].to_numpy()],
        "kept_sheet": sheet.uniques[superseded["_s_k"].to_numpy()],
        "kept_row": superseded["_row_k"].to_numpy(), "kept_value": superseded["value_k"].to_numpy(),
        "dropped_file": file.uniques[superseded["_f"].to_numpy()],
        "dropped_sheet": sheet.uniques[superseded["_s"].to_numpy()],
        "dropped_row": superseded["_row"].to_numpy(), "dropped_value": superseded["value"].to_numpy(),
    })[CONFLICT_COLUMNS]
    drop = obs.index.isin(conflicting.index) | obs.index.isin(others.index)
    return obs[~drop], _concat_rejects(rejects) if rejects else none[0], conflicts


def _key_codes(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes
    return pd.factorize(column, use_na_sentinel=False)[0]


def _dup_rejects(rows: pd.DataFrame, file: Coded, sheet: Coded, column: str, reason: pd.Series) -> pd.DataFrame:
    """Rejections of repeated keys: the reason of each key (indexed by key) shared by its rows."""
    per_key = Coded.of(reason.to_numpy(dtype=object))
    shared = Coded(per_key.codes[reason.index.get_indexer(rows["g"])], per_key.uniques).text(np.arange(len(rows)))
    values = Coded.of(rows["value"].to_numpy())
    return pd.DataFrame({
        "file": pd.Categorical.from_codes(rows["_f"].to_numpy(), categories=pd.Index(file.uniques, dtype="str")),
        "sheet": pd.Categorical.from_codes(rows["_s"].to_numpy(), categories=pd.Index(sheet.uniques, dtype="str")),
        "row": rows["_row"].to_numpy(), "column": column,
        "value": values.recode(np.array([f"{v:g}" for v in values.uniques], dtype=object)).text(
            np.arange(len(rows))),
        "reason": shared,
    })


#: Places of a conflicting key named in each row's reason; the others are counted.
SHOWN_PLACES = 5


def _concat_rejects(rejects: list[pd.DataFrame]) -> pd.DataFrame:
    """Rejections of every table, sorted by file, sheet and row; text columns categorical (each
    distinct reason stored once, however many rows share it)."""
    parts = [r[REJECT_COLUMNS].reset_index(drop=True) for r in rejects if len(r)]
    if not parts:
        return _frame(REJECT_COLUMNS)
    out = {"row": np.concatenate([p["row"].to_numpy().astype("int64") for p in parts])}
    for c in ("file", "sheet", "column", "value", "reason"):
        cats = [p[c].array if isinstance(p[c].dtype, pd.CategoricalDtype) else
                pd.Categorical(p[c].astype(str).to_numpy(dtype=object)) for p in parts]
        cats = [pd.Categorical.from_codes(x.codes, categories=x.categories.astype("str")) for x in cats]
        out[c] = pd.Series(union_categoricals(cats) if len(cats) > 1 else cats[0])
    frame = pd.DataFrame(out)[REJECT_COLUMNS]
    order = sort_order(frame, ["file", "sheet", "row"])
    return frame.iloc[order].reset_index(drop=True)


def file_counts(files, obs, rejected, skipped, rows_read=None, conflicts=None) -> pd.DataFrame:
    """Row accounting per file (:data:`FILE_COLUMNS`)."""
    loaded = _counts(obs["_file"]) if "_file" in obs else {files[0]: len(obs)}
    rej = _counts(rejected["file"]) if rejected is not None else {}
    skp = _counts(skipped["file"]) if skipped is not None else {}
    sup = _counts(conflicts["dropped_file"]) if conflicts is not None else {}
    return pd.DataFrame(
        {
            "file": files,
            "rows_read": [int((rows_read or {}).get(f, loaded.get(f, 0))) for f in files],
            "loaded": [int(loaded.get(f, 0)) for f in files],
            "rejected": [int(rej.get(f, 0)) for f in files],
            "superseded": [int(sup.get(f, 0)) for f in files],
            "skipped": [int(skp.get(f, 0)) for f in files],
        },
        columns=FILE_COLUMNS,
    )


def _counts(column: pd.Series) -> dict:
    """Rows per value of ``column`` (a categorical counted on its codes)."""
    if not len(column):
        return {}
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes
        counts = count_codes(codes if codes.min() >= 0 else codes[codes >= 0], len(column.cat.categories))
        return dict(zip(column.cat.categories, counts.tolist(), strict=True))
    return column.value_counts().to_dict()
