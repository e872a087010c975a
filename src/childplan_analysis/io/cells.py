"""Which cells of a grid hold text, column by column, without a row-by-column matrix.

A column with no empty cell (a categorical without ``""`` among its categories: every column of a
plain long CSV) is known to be filled from its distinct texts alone; only the other columns keep
one flag per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class FilledCells:
    """Per column of a grid of ``n`` rows: one flag per row (True where the cell is not ``""``),
    or None when every cell of the column is filled."""

    n: int
    columns: tuple[np.ndarray | None, ...]

    @classmethod
    def of(cls, grid: pd.DataFrame) -> FilledCells:
        return cls(len(grid), tuple(_filled(column) for _, column in grid.items()))

    @property
    def width(self) -> int:
        return len(self.columns)

    def full(self, j: int) -> bool:
        """True when every cell of column ``j`` is filled."""
        return self.columns[j] is None

    def rows(self, at: slice | np.ndarray) -> FilledCells:
        """The flags of the rows ``at`` (a slice, or a boolean mask)."""
        n = len(range(self.n)[at]) if isinstance(at, slice) else int(np.count_nonzero(at))
        return FilledCells(n, tuple(None if c is None else c[at] for c in self.columns))

    def any(self, columns: list[int] | None = None) -> np.ndarray:
        """Rows with some filled cell (among ``columns``, every column when None)."""
        chosen = [self.columns[j] for j in (range(self.width) if columns is None else columns)]
        if any(c is None for c in chosen):
            return np.ones(self.n, dtype=bool)
        out = np.zeros(self.n, dtype=bool)
        for c in chosen:
            out |= c
        return out

    def first(self) -> np.ndarray:
        """The column of each row's first filled cell (0 for a row with none)."""
        out = np.zeros(self.n, dtype=np.intp)
        if not self.width or self.columns[0] is None:
            return out
        pending = ~self.columns[0]
        for j, c in enumerate(self.columns[1:], start=1):
            if c is None:
                out[pending] = j
                break
            out[pending & c] = j
            pending &= ~c
        return out


def _filled(column: pd.Series) -> np.ndarray | None:
    """Where a column's cells are not ``""``; None when all are (a categorical without ``""``
    among its categories is known to be full without a look at its rows)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        empty = _position(column.cat.categories, "")
        if empty < 0:
            return None
        return column.array.codes != empty
    flags = (column != "").to_numpy(dtype=bool)
    return None if flags.all() else flags


def _position(texts: pd.Index, text: str) -> int:
    """The position of ``text`` among distinct ``texts`` (-1 when absent): found by Arrow's kernel
    for Arrow-backed text, else by comparison."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        arrow = pa.array(texts.array)
    except (TypeError, ValueError, ImportError):
        arrow = None
    if arrow is not None and (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        return int(pc.index(arrow, pa.scalar(text, arrow.type)).as_py())
    hits = np.flatnonzero(np.asarray(texts == text))
    return int(hits[0]) if len(hits) else -1
