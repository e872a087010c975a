"""Annual series packed into a (series × years) array, as statsforecast does with grouped arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


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
        values = np.full((len(rows), len(self.years)), np.nan)
        ok = rows >= 0
        if self.values.size:
            values[ok] = self.values[rows[ok]]
        keys = self.keys.iloc[np.where(ok, rows, 0)].reset_index(drop=True) if len(self.keys) else self.keys
        return SeriesPanel(keys, self.years, values)

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
    codes = []
    uniques = []
    for col in key_cols:
        c, u = pd.factorize(obs[col], sort=False)
        codes.append(c)
        uniques.append(u)
    combined = np.zeros(len(obs), dtype=np.int64)
    for c, u in zip(codes, uniques, strict=True):
        combined = combined * len(u) + c
    series_idx, combo = pd.factorize(combined, sort=False)
    key_data = {}
    rest = np.asarray(combo, dtype=np.int64)
    for col, u in reversed(list(zip(key_cols, uniques, strict=True))):
        key_data[col] = np.asarray(u)[rest % len(u)]
        rest = rest // len(u)
    keys = pd.DataFrame({col: key_data[col] for col in key_cols})
    year_values = obs["year"].to_numpy(dtype=int)
    first = int(year_values.min())
    years = np.flatnonzero(np.bincount(year_values - first)) + first  # np.unique, by counting
    year_idx = np.searchsorted(years, year_values)
    values = np.full((len(keys), len(years)), np.nan)
    values[series_idx, year_idx] = obs["value"].to_numpy(dtype=float)
    return SeriesPanel(keys, years, values)


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
