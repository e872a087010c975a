"""The result frame, assembled once from the columns of every target.

Each target gives its columns for all regions (:func:`assemble` reads them as one block per
target): arrays of one value per region, or a 0-d array for a value the target's rows share.
Rows come out sorted by region, then target id (stable), without sorting the frame itself:
the order is worked out on integer ranks and every column is taken once in that order.
Repeated strings are built as Arrow string arrays from their few distinct values. Columns
worked out for every row at once (``stacked``, rows in target order) come whole; a
:class:`pandas.Categorical` among them is taken by its codes, its strings never repeated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


class Labels:
    """Distinct texts of the result's text columns and their codes; code 0 is ``""``."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {"": 0}

    def code(self, text: str) -> int:
        """The code of ``text``, added on first use."""
        return self._codes.setdefault(text, len(self._codes))

    def codes(self, texts: np.ndarray) -> np.ndarray:
        """The code of every text in ``texts``, each distinct one looked up once."""
        texts = np.asarray(texts)
        if len(texts) and (texts == texts[0]).all():  # one text, as a fixed model's names are
            return np.full(len(texts), self.code(str(texts[0])), dtype=np.int64)
        index, uniques = pd.factorize(texts.astype(object, copy=False))
        return np.asarray([self.code(str(t)) for t in uniques], dtype=np.int64)[index] if len(index) else (
            np.zeros(0, dtype=np.int64))

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        """The texts of ``codes`` as a categorical of every label."""
        return pd.Categorical.from_codes(codes, categories=list(self._codes))

    @property
    def labels(self) -> list[str]:
        return list(self._codes)


def _string_dtype():
    """The dtype pandas gives a column of Python strings (``str`` by default, object if not)."""
    return pd.Series(np.array([""], dtype=object)).dtype


def string_array(labels: Sequence[str], codes: np.ndarray, dtype=None):
    """``labels[codes]`` (a code of -1 is missing) with the dtype pandas infers for strings
    (``dtype``: that dtype, when already known)."""
    codes = np.asarray(codes, dtype=np.int64)
    dtype = dtype or _string_dtype()
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        out = np.asarray(list(labels) + [np.nan], dtype=object)[codes]
        return pd.array(out, dtype=dtype)
    labels = list(labels)
    if len(codes) and codes.min() >= 0 and codes.min() == codes.max():  # one text for every row
        return pd.array(pa.repeat(pa.scalar(labels[int(codes[0])], type=pa.large_string()), len(codes)),
                        dtype=dtype)
    dictionary = pa.array(labels, type=pa.large_string())
    taken = dictionary.take(pa.array(codes, mask=codes < 0))
    return pd.array(taken, dtype=dtype)


def _all_strings(values) -> bool:
    return len(values) > 0 and all(isinstance(v, str) for v in values)


def _column(blocks: list[np.ndarray], k: int, order: np.ndarray, target_of: np.ndarray, dtype):
    """One result column from each target's block, in row ``order`` (``dtype``: of strings)."""
    if all(np.ndim(b) == 0 for b in blocks):
        shared = [b.item() if isinstance(b, np.ndarray) else b for b in blocks]
        if _all_strings(shared):
            return string_array(shared, target_of, dtype)
        return np.asarray([np.asarray(b) for b in blocks])[target_of]
    arrays = [np.asarray(b) for b in blocks]
    values = np.empty(len(blocks) * k, dtype=np.result_type(*arrays))  # the dtype np.concatenate gives
    for i, b in enumerate(arrays):
        values[i * k:(i + 1) * k] = b  # a shared value fills the target's rows
    values = values[order]
    if values.dtype.kind not in "OU":
        return values
    codes, uniques = pd.factorize(values.astype(object, copy=False), use_na_sentinel=True)
    if not _all_strings(list(uniques)):
        return values
    return string_array(list(uniques), codes, dtype)


def _stacked_column(values, order: np.ndarray, dtype):
    """A column given for every row in target order, taken in row ``order`` (``dtype``: of strings)."""
    if isinstance(values, pd.Categorical):
        return string_array(list(values.categories), values.codes[order], dtype)
    return np.asarray(values)[order]


def assemble(parts: list[dict[str, np.ndarray]], regions: list[str],
             stacked: dict[str, np.ndarray | pd.Categorical] | None = None) -> pd.DataFrame:
    """One row per (target, region), sorted by region then target id (ties in target order).

    ``parts`` are the targets' columns (same names, same order); ``regions`` the rows of each
    target, distinct. ``stacked`` are columns of every row at once, target after target (the
    targets' blocks concatenated), placed after the parts' columns. The ``region`` column is
    added here, after ``plan_id`` and ``target_id`` when those come first.
    """
    stacked = stacked or {}
    k, n_targets = len(regions), len(parts)
    names = list(parts[0]) + [n for n in stacked if n not in parts[0]]
    head = [n for n in names if n in ("plan_id", "target_id")]
    ordered = [*head, "region", *[n for n in names if n not in head]]
    if not k:
        empty = {n: np.concatenate([np.broadcast_to(np.asarray(p[n]), (0,)) for p in parts]) for n in parts[0]}
        empty.update({n: np.asarray(v, dtype=object) if isinstance(v, pd.Categorical) else np.asarray(v)
                      for n, v in stacked.items()})
        return pd.DataFrame({n: empty.get(n, np.asarray([], dtype=object)) for n in ordered})
    region_arr = np.asarray(regions, dtype=object)
    region_rank = np.empty(k, dtype=np.int64)
    region_rank[np.argsort(region_arr, kind="stable")] = np.arange(k)
    target_ids = np.asarray([np.asarray(p["target_id"]).item() for p in parts], dtype=object)
    _, target_rank = np.unique(target_ids, return_inverse=True)
    order = np.lexsort((np.repeat(target_rank.ravel(), k), np.tile(region_rank, n_targets)))
    target_of, region_of = order // k, order % k
    columns, done = {}, {}
    dtype = _string_dtype()
    for name in parts[0]:
        blocks = [p[name] for p in parts]
        key = tuple(id(b) for b in blocks)  # columns that are the same arrays are built once
        if key not in done:
            done[key] = _column(blocks, k, order, target_of, dtype)
        columns[name] = done[key]
    for name, values in stacked.items():
        if id(values) not in done:
            done[id(values)] = _stacked_column(values, order, dtype)
        columns[name] = done[id(values)]
    columns["region"] = string_array(list(regions), region_of, dtype)
    # the columns are the frame's own (built here), so it takes them without copying; a column
    # built once for several names is given to the second and later as a copy of its own
    seen: set[int] = set()
    for name in ordered:
        if id(columns[name]) in seen:
            columns[name] = columns[name].copy()
        seen.add(id(columns[name]))
    return pd.DataFrame({n: columns[n] for n in ordered}, copy=False)
