"""Per-row facts of a (series × years) array that the engine reads for every indicator.

A row of a packed panel is short (one value a year), so numpy's reductions along it pay their
per-row set-up on every few values. Counting is done instead as one matrix–vector product of
the mask with ones (exact: a sum of ones), a row's largest value column by column, and a row's
last observed position by one ``argmax``, whose hit also tells whether the row has a value at all.

:class:`Observed` keeps these facts of one array once worked out, so that every reader of an
indicator's series (breaks, volatility, the ESCAP projection, latest and first values) shares them.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np


def row_counts(mask: np.ndarray) -> np.ndarray:
    """Number of ``True`` in every row of a 2-d boolean ``mask`` (``mask.sum(axis=1)``, int64).

    Single precision holds every count below 2²⁴ exactly, so rows narrower than that are
    counted in it (half the bytes of double precision); wider ones in double precision."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.shape[0] or not mask.shape[1]:
        return np.zeros(mask.shape[0], dtype=np.int64)
    dtype = np.float32 if mask.shape[1] < 1 << 24 else np.float64
    return (mask.astype(dtype) @ np.ones(mask.shape[1], dtype=dtype)).astype(np.int64)


def last_index(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a 2-d boolean ``mask`` with at least one column: the position of its last
    ``True`` (the last column for a row without one) and whether it has one."""
    last = mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1)
    return last, mask[np.arange(mask.shape[0]), last]  # a row without a True points at a False


def first_index(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a 2-d boolean ``mask`` with at least one column: the position of its first
    ``True`` (0 for a row without one) and whether it has one."""
    first = np.argmax(mask, axis=1)
    return first, mask[np.arange(mask.shape[0]), first]


def row_fmax(a: np.ndarray) -> np.ndarray:
    """Largest value of every row of a 2-d array with at least one column, NaNs left out (NaN for
    a row of NaNs): ``np.fmax.reduce(a, axis=1)``, one column at a time."""
    top = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        np.fmax(top, a[:, j], out=top)
    return top


class Observed:
    """Where the rows of a 2-d ``values`` array (series × years, NaN missing) have values, each
    fact worked out on first use and kept: the missing cells, the observed ones, their count per
    row, and every row's first and last observed position."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    @cached_property
    def missing(self) -> np.ndarray:
        """``np.isnan(values)``."""
        return np.isnan(self.values)

    @cached_property
    def mask(self) -> np.ndarray:
        """``~np.isnan(values)``."""
        return ~self.missing

    @cached_property
    def count(self) -> np.ndarray:
        """Values per row (:func:`row_counts` of :attr:`mask`)."""
        return row_counts(self.mask)

    @cached_property
    def last(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`last_index` of :attr:`mask` (position 0, none, for an array without columns)."""
        k, width = self.values.shape
        return last_index(self.mask) if width else (np.zeros(k, dtype=int), np.zeros(k, dtype=bool))

    @cached_property
    def first(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`first_index` of :attr:`mask` (position 0, none, for an array without columns)."""
        k, width = self.values.shape
        return first_index(self.mask) if width else (np.zeros(k, dtype=int), np.zeros(k, dtype=bool))


#: Croux & Rousseeuw (1992) small-sample factors b_n making 1.4826 × MAD an unbiased estimate of a
#: normal SD for n = 2 … 9 values; n / (n − 0.8) above (as in LIBRA's ``madc``).
_MAD_SMALL_SAMPLE = np.array([np.nan, np.nan, 1.196, 1.495, 1.363, 1.206, 1.200, 1.140, 1.129, 1.107])


#: Robust SD per mean absolute deviation from the median, for a normal sample (√(π/2)).
MEAN_AD_FACTOR = 1.2533


def robust_sd(mad: np.ndarray, mean_ad: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Robust SD of values from their MAD (× :func:`mad_factor`), or, where more than half of them
    are alike and the MAD is 0, from their mean absolute deviation (× 1.2533): the modified z-score's
    rule (Iglewicz and Hoaglin). A rare-event rate of zeros and one death is not all jumps."""
    return np.where(mad > 0, mad * mad_factor(n), MEAN_AD_FACTOR * mean_ad)


def mad_factor(n: np.ndarray) -> np.ndarray:
    """1.4826 × b_n per count ``n`` of values: the robust SD is this times their MAD. The MAD of four
    or five values, three of them alike, is near 0 without b_n, and any fourth value looks like a jump."""
    n = np.asarray(n, dtype=float)
    small = _MAD_SMALL_SAMPLE[np.clip(n, 0, 9).astype(int)]
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.4826 * np.where(n <= 9, small, n / (n - 0.8))

