"""Annual series packed into a (series × years) array, as statsforecast does with grouped arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class SeriesPanel:
    """Annual series packed as arrays: ``values[i, j]`` is series ``i`` in ``years[j]`` (NaN if missing)."""

    keys: pd.DataFrame
    years: np.ndarray
    values: np.ndarray

    @property
    def n_series(self) -> int:
        return self.values.shape[0]

    def take(self, rows: np.ndarray) -> SeriesPanel:
        """Sub-panel of ``rows``; a row index of -1 gives an all-missing series."""
        rows = np.asarray(rows, dtype=int)
        ok = rows >= 0
        keys = self.keys.iloc[np.where(ok, rows, 0)].reset_index(drop=True) if len(self.keys) else self.keys
        return SeriesPanel(keys, self.years, self.take_values(rows))

    def take_values(self, rows: np.ndarray) -> np.ndarray:
        """The values of ``rows`` (a row index of -1 gives an all-missing row)."""
        rows = np.asarray(rows, dtype=int)
        ok = rows >= 0
        if ok.all() and self.values.size:
            return self.values[rows]
        values = np.full((len(rows), len(self.years)), np.nan)
        if self.values.size:
            values[ok] = self.values[rows[ok]]
        return values

    def up_to(self, year: int) -> SeriesPanel:
        """The same series with every value after ``year`` hidden."""
        values = np.where(self.years[None, :] <= year, self.values, np.nan)
        return SeriesPanel(self.keys, self.years, values)


def pack_series(obs: pd.DataFrame, key_cols: list[str]) -> SeriesPanel:
    """Pack a long frame (``key_cols`` + ``year``, ``value``) into a :class:`SeriesPanel`.

    A (key, year) pair given twice keeps the last row.
    """
    if obs.empty:
        return SeriesPanel(pd.DataFrame(columns=key_cols), np.array([], dtype=int), np.empty((0, 0)))
    coded = [pd.factorize(obs[col], sort=False) for col in key_cols]
    return pack_codes(dict(zip(key_cols, coded, strict=True)), obs["year"].to_numpy(dtype=int),
                      obs["value"].to_numpy(dtype=float))


#: Runs of equal neighbouring values this long on average (sorted data) are factorized run by run.
_RUN_LENGTH = 8


def factorize_key(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=False)`` of a key column, as :func:`pack_codes` takes it.

    A categorical gives its own codes and categories (a category no row uses is harmless);
    a column whose equal values come in long runs (observations sorted by key) is factorized
    on the first value of every run. Either way a missing value has code -1.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.array.codes, dtype=np.intp), values.cat.categories
    n = len(values)
    if n >= 64 * _RUN_LENGTH:
        probe = np.linspace(0, n - 2, 256).astype(np.intp)  # neighbours compared at 256 places
        if np.count_nonzero(_take_rows(values, probe) != _take_rows(values, probe + 1)) * _RUN_LENGTH <= 256:
            head = np.empty(n, dtype=bool)
            head[0] = True
            head[1:] = _differs_from_previous(values)
            first = np.flatnonzero(head)
            codes, uniques = pd.factorize(_take_rows(values, first), sort=False)
            lengths = np.diff(first, append=n)  # every row takes the code of its run
            return np.repeat(np.asarray(codes, dtype=np.intp), lengths), pd.Index(uniques)
    codes, uniques = pd.factorize(values, sort=False)
    return np.asarray(codes, dtype=np.intp), uniques


def _arrow_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _take_rows(values: pd.Series, rows: np.ndarray):
    """``values.array.take(rows)`` for ascending ``rows``. Arrow-backed text is taken chunk by
    chunk: pyarrow's take of an array in many chunks (a column concatenated from many frames)
    first joins them all into one."""
    chunked = values.array.__arrow_array__() if _arrow_text(values) else None
    if chunked is None or chunked.num_chunks <= 1:
        return values.array.take(rows)
    pieces, lo, start = [], 0, 0
    for chunk in chunked.chunks:
        end = start + len(chunk)
        hi = int(np.searchsorted(rows, end))  # the rows before this chunk's end
        if hi > lo:
            pieces.append(chunk.take(pa.array(rows[lo:hi] - start)))
        lo, start = hi, end
    return pd.array(pa.chunked_array(pieces, type=chunked.type), dtype=values.dtype)


def _differs_from_previous(values: pd.Series) -> np.ndarray:
    """Per row after the first: whether its value differs from the one before (a missing value
    differs from every value), as ``values.array[1:] != values.array[:-1]``.

    Arrow-backed text is compared chunk by chunk, each chunk with itself shifted by one and its
    first value with the last of the chunk before: a column concatenated from many frames is
    not realigned.
    """
    if not _arrow_text(values):
        return np.asarray(values.array[1:] != values.array[:-1], dtype=bool)
    out = np.empty(len(values) - 1, dtype=bool)
    start, last = 0, None  # where the chunk starts among the rows; the chunk before's last value
    for chunk in values.array.__arrow_array__().chunks:
        m = len(chunk)
        if not m:
            continue
        if last is not None:
            first = chunk[0]
            out[start - 1] = not (first.is_valid and last.is_valid and first.as_py() == last.as_py())
        if m > 1:
            inner = pc.fill_null(pc.not_equal(chunk.slice(1), chunk.slice(0, m - 1)), True)
            out[start:start + m - 1] = inner.to_numpy(zero_copy_only=False)
        start, last = start + m, chunk[m - 1]
    return out


def pack_codes(keys: dict[str, tuple[np.ndarray, pd.Index]], years: np.ndarray, values: np.ndarray) -> SeriesPanel:
    """Pack rows given as integer codes of each key column (``{name: (codes, uniques)}``, as
    :func:`pandas.factorize` returns them), their years and values.

    Series come in the order of their first row; a (key, year) pair given twice keeps the last row.
    """
    return pack_keyed(keys, years, values)[0]


def pack_keyed(keys: dict[str, tuple[np.ndarray, pd.Index]], years: np.ndarray, values: np.ndarray
               ) -> tuple[SeriesPanel, dict[str, np.ndarray]]:
    """:func:`pack_codes`, and the code of every series in each key column (into that column's uniques)."""
    names = list(keys)
    if not len(years):
        empty = SeriesPanel(pd.DataFrame(columns=names), np.array([], dtype=int), np.empty((0, 0)))
        return empty, {name: np.array([], dtype=np.int64) for name in names}
    combined = None  # the row's code in every key column, as one integer (worked out in place)
    size = 1
    for codes, uniques in keys.values():
        if combined is None:
            combined = np.array(codes, dtype=np.int64)
        else:
            combined *= len(uniques)
            combined += codes
        size *= len(uniques)
    if combined is None:  # no key column: one series
        combined = np.zeros(len(years), dtype=np.int64)
    series_idx, combo = _first_seen(combined, size)
    key_data, key_codes = {}, {}
    rest = np.asarray(combo, dtype=np.int64)
    for name in reversed(names):
        uniques = keys[name][1]
        key_codes[name] = rest % len(uniques)
        taken = uniques.take(key_codes[name])
        key_data[name] = taken.array if isinstance(taken.dtype, pd.StringDtype) else np.asarray(taken)
        rest = rest // len(uniques)
    frame = pd.DataFrame({name: key_data[name] for name in names})
    offset = np.asarray(years, dtype=int) - int(np.min(years))
    present = np.bincount(offset) > 0
    grid = np.flatnonzero(present) + int(np.min(years))  # np.unique, by counting
    column = np.cumsum(present) - 1  # position in the grid of every year from the first
    packed = np.full((len(frame), len(grid)), np.nan)
    # each value's place in the flat array, written in row order (a place given twice keeps the last row)
    place = np.multiply(series_idx, len(grid), dtype=np.int64)
    place += offset if present.all() else column[offset]  # every year a column: its offset
    packed.ravel()[place] = values
    return SeriesPanel(frame, grid, packed), {name: key_codes[name] for name in names}


def _first_seen(combined: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(combined, sort=False)`` for codes in ``0 … size − 1``: by the first row of
    every code (one pass, no hashing) when ``size`` is not much larger than the rows."""
    n = len(combined)
    if size > 8 * n + (1 << 20) or (n and combined.min() < 0):  # sparse, or a missing key (code −1)
        return pd.factorize(combined, sort=False)
    # a code's first row starts a run of equal codes: only run heads can be first (few, when the
    # rows come grouped by series)
    heads = np.flatnonzero(combined[1:] != combined[:-1]) + 1
    heads = np.concatenate(([0], heads)) if n else heads
    codes = combined[heads]
    if np.bincount(codes, minlength=size).max(initial=0) <= 1:  # every code one run: heads come first-seen
        uniques = codes
    else:
        first = np.full(size, n, dtype=np.int64)
        np.minimum.at(first, codes, heads.astype(np.int64))
        present = np.flatnonzero(first < n)
        uniques = present[np.argsort(first[present], kind="stable")]  # in order of first appearance
    rank = np.empty(size, dtype=np.int64)
    rank[uniques] = np.arange(len(uniques))
    return np.repeat(rank[codes], np.diff(heads, append=n)), uniques  # a run's rows share its code


def observed_span(panel: SeriesPanel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per series: number of values, first year, last year and last value (NaN when empty)."""
    mask = ~np.isnan(panel.values)
    n = mask.sum(axis=1)
    if not len(panel.years):
        nan = np.full(panel.n_series, np.nan)
        return n, nan, nan, nan
    any_obs = n > 0
    last_idx = mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1)
    first_idx = np.argmax(mask, axis=1)
    rows = np.arange(panel.n_series)
    years = panel.years.astype(float)
    first = np.where(any_obs, years[first_idx], np.nan)
    last = np.where(any_obs, years[last_idx], np.nan)
    last_value = np.where(any_obs, panel.values[rows, last_idx], np.nan)
    return n, first, last, last_value
