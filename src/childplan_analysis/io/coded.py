"""Columns as integer codes into their distinct values, and rejections kept as row indices.

Validation works on each column's distinct values (a file of a million rows has a few hundred
region, indicator or unit spellings): a :class:`Coded` column is ``codes`` (one integer per row)
into ``uniques``; a function of the cell text runs once per distinct value and its result is
taken back to the rows with ``numpy`` indexing. :class:`Rejections` keeps the rows refused so far
as index arrays with their column, cell and reason (scalars, or arrays for those rows only), so
no per-row text is built for rows that are loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from childplan_analysis.core.columns import REJECT_COLUMNS


@dataclass
class Coded:
    """A column as ``uniques[codes]``."""

    codes: np.ndarray  # integers (of any width), one per row
    uniques: np.ndarray  # object, the distinct values

    @classmethod
    def of(cls, values: pd.Series | np.ndarray) -> Coded:
        """Codes of ``values``: a categorical's own codes and categories (a category no row uses
        is harmless: whatever is worked out for it reaches no row); else pandas' factorize
        (Arrow-backed text is encoded by Arrow's dictionary kernel)."""
        if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.array.codes
            if not len(codes) or codes.min() >= 0:  # no missing cells
                # the categorical's own (small) integer codes: indexing takes any integer type
                return cls(codes, values.cat.categories.to_numpy(dtype=object))
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return cls(np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object))

    def used_only(self) -> Coded:
        """The column without the distinct values no row holds (a categorical's categories of
        header or note rows only): what is worked out per distinct value skips them."""
        if not len(self.codes):
            return self
        if (self.codes == self.codes[0]).all():  # one value on every row: no count needed
            return Coded(np.zeros(len(self.codes), dtype=np.int8), self.uniques[self.codes[:1]])
        used = count_codes(self.codes, len(self.uniques)) > 0
        if used.all():
            return self
        new = np.cumsum(used) - 1
        return Coded(np.take(new.astype(self.codes.dtype), self.codes), self.uniques[used])

    def used_values(self) -> np.ndarray:
        """The distinct values :meth:`used_only` keeps (those some row holds; all of a column of no
        rows), without renumbering the rows."""
        if not len(self.codes):
            return self.uniques
        return self.uniques[count_codes(self.codes, len(self.uniques)) > 0]

    def map(self, fn: Callable[[object], object]) -> Coded:
        """``fn`` of each distinct value; values that become equal share one code."""
        mapped = np.array([fn(u) for u in self.uniques], dtype=object)
        return self.recode(mapped)

    def recode(self, mapped: np.ndarray) -> Coded:
        """The column with ``uniques`` replaced by ``mapped`` (equal values merged)."""
        inner, distinct = pd.factorize(mapped, use_na_sentinel=False)
        inner = np.asarray(inner, dtype=np.intp)
        if len(distinct) == len(inner) and (inner == np.arange(len(inner))).all():
            return Coded(self.codes, np.asarray(distinct, dtype=object))  # no values merged: codes stay
        if len(distinct) == 1:  # every value the same: no look-up per row
            return Coded(np.zeros(len(self.codes), dtype=np.int8), np.asarray(distinct, dtype=object))
        return Coded(np.take(narrow(inner, len(distinct)), self.codes) if len(self.codes) else self.codes,
                     np.asarray(distinct, dtype=object))

    def per_row(self, per_unique: np.ndarray) -> np.ndarray:
        """``per_unique[codes]``: a value computed once per distinct value, for every row."""
        per_unique = np.asarray(per_unique)
        if not len(self.codes):
            return per_unique[:0]
        return np.take(per_unique, self.codes)

    def where(self, per_unique: np.ndarray) -> np.ndarray:
        """The rows whose value is marked in the boolean ``per_unique`` (no pass over the rows
        when none or every distinct value is marked)."""
        per_unique = np.asarray(per_unique, dtype=bool)
        if not per_unique.any():
            return np.zeros(len(self.codes), dtype=bool)
        if per_unique.all():
            return np.ones(len(self.codes), dtype=bool)
        return marked_rows(self.codes, per_unique)

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The object values of ``rows`` (all rows when None)."""
        codes = self.codes if rows is None else self.codes[rows]
        return self.uniques[codes] if len(codes) else np.array([], dtype=object)

    def text(self, rows: np.ndarray | slice) -> pd.Categorical:
        """The values of ``rows`` (positions, or a slice) as a categorical of text (made ``str``
        once, by :func:`as_text`)."""
        inner, labels = pd.factorize(np.array([str(u) for u in self.uniques], dtype=object))
        codes = self.codes[rows] if isinstance(rows, slice) or len(rows) else np.array([], dtype=np.intp)
        if len(labels) != len(inner) or (inner != np.arange(len(inner))).any():
            codes = np.take(narrow(inner, len(labels)), codes)  # texts that are equal share one code
        return categorical(codes, text_index(labels))


def text_index(labels: np.ndarray | list[str]) -> pd.Index:
    """An index of distinct texts; a few (codes, units, names of a form's columns) are made once
    per process and copied (an index of the same texts each time, its data shared)."""
    if len(labels) > _FEW_LABELS:
        return pd.Index(np.asarray(labels, dtype=object), dtype="str")
    return _small_text_index(tuple(labels)).copy()


@lru_cache(maxsize=4096)
def _small_text_index(labels: tuple[str, ...]) -> pd.Index:
    return pd.Index(np.asarray(labels, dtype=object), dtype="str")


#: Distinct texts up to this many make an index kept for the next time.
_FEW_LABELS = 64


def categorical(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    """``categories[codes]`` as a categorical, the categories being distinct already (an Arrow
    dictionary, the uniques of a factorization): neither they nor the codes are checked again,
    which for text categories would make a Python string of each."""
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fast is None:  # a pandas without it: the categories are checked
        return pd.Categorical.from_codes(codes, categories=categories, validate=False)
    return pd.Categorical.from_codes(codes, dtype=fast(categories, False), validate=False)


def narrow(codes: np.ndarray, k: int) -> np.ndarray:
    """Codes ``0 … k-1`` in the smallest integer type that holds them (taken to the rows, they are
    then as small as a categorical keeps them)."""
    for kind in (np.int8, np.int16, np.int32):
        if k <= np.iinfo(kind).max:
            return np.asarray(codes, dtype=kind)
    return np.asarray(codes, dtype=np.int64)


def count_codes(codes: np.ndarray, k: int) -> np.ndarray:
    """Rows per code ``0 … k-1``: a few codes counted by comparison (no full-length copy of small
    integer codes, as ``bincount`` makes), more by ``bincount``."""
    if k <= _FEW_TO_COUNT:
        return np.array([np.count_nonzero(codes == j) for j in range(k)], dtype=np.int64)
    return np.bincount(codes, minlength=k)


#: Codes up to this many are counted by comparing them.
_FEW_TO_COUNT = 16


def marked_rows(codes: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """The rows whose code is marked in the boolean ``marked`` (one per distinct value): a few
    marked values compared directly, else looked up."""
    hits = np.flatnonzero(marked)
    if not len(hits):
        return np.zeros(len(codes), dtype=bool)
    if len(hits) <= _FEW:
        out = codes == hits[0]
        for k in hits[1:]:
            out |= codes == k
        return out
    return np.take(marked, codes)


#: Marked values up to this many are found by comparing codes (faster than a look-up per row).
_FEW = 4

_STR = pd.Series([""], dtype="str")


def constant(text: str, n: int) -> pd.Categorical:
    """``n`` rows of one text (a file, sheet or heading), as a categorical: the text stored once."""
    return categorical(np.zeros(n, dtype=np.int8), text_index([text]))


def as_text(column: pd.Series, order: np.ndarray | None = None) -> pd.Series:
    """A text column as ``str`` (rows in ``order`` when given); a categorical is taken from its
    categories by Arrow, without a Python object per row."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        codes = column.array.codes if order is None else np.take(column.array.codes, order)
        labels = pa.array([str(c) for c in column.cat.categories] or [""], pa.large_string())
        if len(codes) and codes.min() < 0:  # a missing cell: the last label, as numpy indexing does
            codes = codes % len(labels)
        text = _runs_decoded(codes, labels)
        if text is None:
            text = pc.take(labels, pa.array(codes))
        return pd.Series(type(_STR.array)(text, dtype=_STR.dtype), copy=False)
    text = column.astype("str")
    return text if order is None else text.iloc[order].reset_index(drop=True)


def _runs_decoded(codes: np.ndarray, labels):
    """``labels[codes]`` (Arrow text) where equal codes come in runs of :data:`_ROWS_PER_RUN` rows
    or more on average (a key column in key order): one label per run, decoded by Arrow's
    run-end kernel; None for shorter runs (then a take per row costs less)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(codes)
    starts = np.flatnonzero(codes[1:] != codes[:-1])
    if not n or len(starts) + 1 > n // _ROWS_PER_RUN:
        return None
    starts += 1
    ends = np.append(starts, n).astype(np.int32 if n < 2**31 else np.int64)
    values = pc.take(labels, pa.array(codes[np.concatenate((np.zeros(1, dtype=starts.dtype), starts))]))
    return pc.run_end_decode(pa.RunEndEncodedArray.from_arrays(pa.array(ends), values))


#: Rows per run of equal codes at least, on average, for a text column to be decoded run by run.
_ROWS_PER_RUN = 8


def sort_order(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The stable order that sorts ``frame`` by ``columns`` (as ``sort_values(kind="stable")``):
    each column ranked by its distinct values, the ranks packed into one integer per row."""
    keys = []
    for c in columns:
        column = frame[c]
        if isinstance(column.dtype, pd.CategoricalDtype):
            rank = np.argsort(np.argsort(np.asarray(column.cat.categories.astype(str), dtype=object),
                                         kind="stable"), kind="stable")
            keys.append(rank[column.array.codes] if len(rank) else column.array.codes)
        else:
            keys.append(pd.factorize(column, sort=True)[0])
    if not keys or not len(frame):
        return np.arange(len(frame))
    packed = _packed(keys)
    return np.argsort(packed, kind="stable") if packed is not None else np.lexsort(keys[::-1])


def _packed(keys: list[np.ndarray]) -> np.ndarray | None:
    """One int64 per row ordered as the rows' tuples of ``keys`` (None when it would overflow)."""
    out = np.zeros(len(keys[0]), dtype=np.int64)
    span = 1
    for k in keys:
        k = np.asarray(k, dtype=np.int64)
        low, high = int(k.min()), int(k.max())
        width = high - low + 1
        span *= width
        if span >= 2**62:
            return None
        out = out * width + (k - low)
    return out


def concat_tidy(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one under the other; categorical columns stay categorical (categories united). A
    column only some frames carry (an optional text column) is "" in the rows of the others."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    out = {}
    for c in columns:
        parts = [f[c] if c in f else pd.Series([""] * len(f), dtype=object) for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            out[c] = pd.Series(union_categoricals([p.array for p in parts]))
        else:
            out[c] = pd.concat([p.reset_index(drop=True) for p in parts], ignore_index=True)
    return pd.DataFrame(out)


def combine(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One dense code per distinct combination of several code arrays (numbered in order of first
    appearance), and the row of the first occurrence of each combination."""
    n = len(codes[0])
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for c in codes:
        c = np.asarray(c, dtype=np.int64)
        width = int(c.max(initial=0)) + 2  # codes from -1
        if span * width >= 2**62:
            key, uniques = pd.factorize(key)  # dense again, so the product never overflows
            key, span = np.asarray(key, dtype=np.int64), len(uniques)
        key = key * width + c + 1
        span *= width
    key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    # codes are numbered in order of appearance: a row starts a new combination where its code
    # exceeds every code before it
    before = np.maximum.accumulate(np.r_[np.int64(-1), key[:-1]]) if n else key
    return key, np.flatnonzero(key > before)


def combine_any(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`combine`, one dense code per distinct combination of several code arrays and a row
    holding each, where neither the numbering nor which row of a combination is named matters:
    combinations of small codes are counted in a table (no hashing of the rows), others go to
    :func:`combine`."""
    n = len(codes[0])
    widths = [int(np.max(c, initial=0)) + 2 for c in codes]  # codes from -1
    span = int(np.prod(widths, dtype=np.float64))
    if not n or span > max(_TABLE_PER_ROW * n, 2**16):
        return combine(*codes)
    key = np.zeros(n, dtype=np.int32 if span < 2**31 else np.int64)
    for c, width in zip(codes, widths, strict=True):
        key *= width
        key += c
        key += 1
    # every combination present starts a run of equal keys somewhere: where the rows are grouped
    # by these columns (few runs, as files mostly are) the runs' first rows name them all; else
    # every row is counted and written
    change = key[1:] != key[:-1]
    if np.count_nonzero(change) < n // _RUNS_PER_ROW:
        at = np.flatnonzero(change)
        at += 1
        at = np.concatenate((np.zeros(1, dtype=at.dtype), at))
        first = key[at]
        seen = np.zeros(span, dtype=bool)
        seen[first] = True
        present = np.flatnonzero(seen)
        row = np.empty(span, dtype=np.intp)
        row[first] = at  # a row of each combination (the start of one of its runs)
    else:
        present = np.flatnonzero(np.bincount(key, minlength=span))
        row = np.empty(span, dtype=np.int32)
        row[key] = np.arange(n, dtype=np.int32)  # a row of each combination (whichever is written last)
    dense = np.full(span, -1, dtype=narrow(present[:0], len(present)).dtype)
    dense[present] = np.arange(len(present))
    return np.take(dense, key), row[present].astype(np.intp)


#: Combinations spanning at most this many table cells per row are counted, not hashed.
_TABLE_PER_ROW = 4
#: Combinations are named from the first rows of runs of equal keys when there are fewer runs than
#: one in this many rows.
_RUNS_PER_ROW = 8


Value = object | np.ndarray | Coded | Callable[[np.ndarray], np.ndarray]


def _pick(what: Value, rows: np.ndarray) -> object:
    """``what`` for ``rows``: a scalar as it is, an array or a coded column indexed, a function
    called with the rows."""
    if isinstance(what, Coded):
        return what.values(rows)
    if isinstance(what, np.ndarray):
        return what[rows]
    if callable(what):
        return what(rows)
    return what


#: The rejections of a table with none: text columns and an integer row.
_NO_REJECTIONS = pd.DataFrame(np.empty((0, len(REJECT_COLUMNS)), dtype=object), columns=REJECT_COLUMNS).astype(
    {"row": "int64"})


class Rejections:
    """Rows refused so far; the first reason found for a row wins."""

    def __init__(self, n: int):
        self.bad = np.zeros(n, dtype=bool)
        self._parts: list[tuple[np.ndarray, object, object, object]] = []

    def flag(self, mask: np.ndarray, column: Value, value: Value, why: Value) -> None:
        """Refuse the rows of ``mask`` not refused yet, with their column, cell and reason."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask & ~self.bad)
        if not len(rows):
            return
        self.bad[rows] = True
        self._parts.append((rows, _pick(column, rows), _pick(value, rows), _pick(why, rows)))

    def frame(self, file: str, sheet: str, source_rows: np.ndarray) -> pd.DataFrame:
        """The refused rows in input order (:data:`REJECT_COLUMNS`)."""
        if not self._parts:
            return _NO_REJECTIONS.copy(deep=False)
        index = np.concatenate([p[0] for p in self._parts])
        order = np.argsort(index, kind="stable")

        def joined(k: int) -> np.ndarray:
            pieces = [np.broadcast_to(np.asarray(p[k], dtype=object), len(p[0])) for p in self._parts]
            return np.concatenate(pieces)[order]

        # cells as text as a fixed-width text array gives them (trailing NUL characters dropped)
        return pd.DataFrame({
            "file": file, "sheet": sheet, "row": source_rows[index[order]],
            "column": joined(1), "value": [str(v).rstrip("\0") for v in joined(2)], "reason": joined(3),
        })
