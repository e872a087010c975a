"""Packed integer keys of a tidy frame: the order that sorts it by key, and whether a key repeats.

Each key column is ranked by its distinct values (a categorical's categories ranked once by their
text, years as numbers) and the ranks are packed into one ``int64`` per row, so that sorting and
finding repeated keys are one integer sort and one comparison of neighbours. A frame already in
key order (checked in one pass) is not sorted at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class KeyOrder:
    """``order`` sorts the frame by key (stable: rows of one key keep their input order);
    ``repeats`` is True when some key is met on more than one row."""

    order: np.ndarray
    repeats: bool

    def kept(self, rows: np.ndarray, n: int) -> np.ndarray:
        """The order of the frame made of ``rows`` (positions, ascending) of the ``n`` rows
        ordered: the rows' own subsequence of :attr:`order`, numbered in the smaller frame."""
        keep = np.zeros(n, dtype=bool)
        keep[rows] = True
        renumbered = np.cumsum(keep) - 1
        return renumbered[self.order[keep[self.order]]]


def key_order(frame: pd.DataFrame, columns: list[str]) -> KeyOrder | None:
    """The key order of ``frame`` by ``columns`` (as ``sort_values(columns, kind="stable")``), or
    None when a key column cannot be ranked this way (a missing cell in a categorical, a column
    of another type) or the packed key would not fit in 63 bits."""
    ranks = []
    for c in columns:
        if _one_value(frame[c]):
            continue  # the same in every row: no part of the order
        rank = _rank(frame[c])
        if rank is None:
            return None
        ranks.append(rank)
    n = len(frame)
    if n == 0:
        return KeyOrder(np.arange(0), False)
    packed = _pack(ranks, n) if ranks else np.zeros(n, dtype=np.int64)
    if packed is None:
        return None
    if bool((packed[1:] >= packed[:-1]).all()):
        return KeyOrder(np.arange(n), bool((packed[1:] == packed[:-1]).any()))
    span = int(packed.max()) + 1
    if span <= _COUNTING_SPAN * n:
        counts = np.bincount(packed, minlength=span)
        if counts.max() == 1:  # distinct keys: each row's place is the number of smaller keys
            order = np.empty(n, dtype=np.intp)
            order[np.take(np.cumsum(counts) - 1, packed)] = np.arange(n)
            return KeyOrder(order, False)
    order = np.argsort(packed, kind="stable")
    ordered = packed[order]
    return KeyOrder(order, bool((ordered[1:] == ordered[:-1]).any()))


#: Keys spanning at most this many values per row are placed by counting rather than sorted.
_COUNTING_SPAN = 4


def _one_value(column: pd.Series) -> bool:
    """True for a categorical of one category and no missing cell."""
    return (isinstance(column.dtype, pd.CategoricalDtype) and len(column.cat.categories) == 1
            and not (len(column) and column.array.codes.min() < 0))


@dataclass(frozen=True)
class _Rank:
    """Per row, ``per_code[codes]`` (a categorical's rank by text, ``per_code`` None for numbers
    given as they are in ``codes``), all within ``low`` to ``high``."""

    codes: np.ndarray
    per_code: np.ndarray | None
    low: int
    high: int

    def add_to(self, out: np.ndarray) -> None:
        """``out`` += each row's rank less ``low`` (within the span of ``out``'s integers)."""
        if self.per_code is not None:  # categories ranked from 0
            out += np.take(self.per_code.astype(out.dtype), self.codes)
        else:
            out += self.codes - self.low if self.low else self.codes


def _rank(column: pd.Series) -> _Rank | None:
    """Integers ordered and equal as the column's values are (by text for a categorical: the rank
    of each category, taken to the rows when packed)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes
        if len(codes) and codes.min() < 0:
            return None
        text = np.asarray(column.cat.categories.astype(str), dtype=object)
        rank = np.empty(len(text), dtype=np.int64)
        rank[np.argsort(text, kind="stable")] = np.arange(len(text))
        return _Rank(codes, rank, 0, max(len(text) - 1, 0))  # ranks 0 … k-1
    if pd.api.types.is_integer_dtype(column.dtype):
        values = column.to_numpy(dtype=np.int64)
        if not len(values):
            return _Rank(values, None, 0, 0)
        return _Rank(values, None, int(values.min()), int(values.max()))
    return None


def _pack(ranks: list[_Rank], n: int) -> np.ndarray | None:
    """One integer per row ordered as the rows' tuples of ``ranks`` (None when it would overflow
    63 bits; 32 bits when they suffice)."""
    widths = [r.high - r.low + 1 for r in ranks]
    span = 1
    for width in widths:
        span *= width
        if span >= 2**62:
            return None
    out = np.zeros(n, dtype=np.int32 if span < 2**31 else np.int64)
    for r, width in zip(ranks, widths, strict=True):
        out *= width
        r.add_to(out)
    return out
