"""Slope wander of short windows learnt from a reference of long real series (the national data).

A short series borrows the wander of its slope, q (:mod:`.wander`), from the long series of its
family or group in the same call (:func:`.pooling.borrowed_wander`). A call may hold no window
at all: a county whose monitoring began with its plan, assessed alone, sends two or three years
of every indicator. No window is no evidence that trends do not bend, so such a series takes q
from a *reference*: long real series of the same family (the indicators on the same relative
scale, as in the call), else of the same indicator (linear scales have no family), with every
value after the call's last observed year hidden, so that a backtest never looks ahead.

The default reference is the package's national data (``config.NATIONAL_DATA_DIR``), loaded
once per process; the wander sums are worked out once per (last year, window length).
``config.POOL_REFERENCE`` turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models.fit import _bounds, _prepare
from childplan_analysis.models.panel import SeriesPanel, pack_series
from childplan_analysis.models.scales import indicator_scales
from childplan_analysis.models.wander import wander_sums

#: Keys of a reference series (every breakdown of the national data is a series of its own).
REFERENCE_KEYS = ["region", "indicator", "sex", "area", "age_group", "subregion"]


@dataclass(eq=False)
class WanderReference:
    """Long real series on their conventional scales, and their wander sums per (last year, length)."""

    panel: SeriesPanel
    indicator: np.ndarray  # indicator id of every reference series
    scale: np.ndarray  # conventional (fitting) scale of every reference series
    upper: np.ndarray
    lower: np.ndarray
    _sums: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def sums(self, last_year: int, length: int) -> tuple[np.ndarray, np.ndarray]:
        """Σ (e² − σ² mult) h² and Σ h⁴ of every reference series over its windows of ``length``
        years, with every value after ``last_year`` hidden (cached)."""
        key = (int(last_year), int(length))
        if key not in self._sums:
            past = self.panel.up_to(int(last_year))
            up, lo = _bounds(past, self.upper, self.lower)
            z, mask = _prepare(past, self.scale, up, lo)
            self._sums[key] = wander_sums(np.ascontiguousarray(z), np.ascontiguousarray(mask), past.years,
                                          length, config.BACKTEST_HORIZON)
        return self._sums[key]

    def wander(self, indicator: np.ndarray, scale: np.ndarray, window: np.ndarray, last_year: float,
               families: tuple[str, ...]) -> np.ndarray:
        """√q per asked series (indicator id, fitting scale, window length 3 …), NaN where the
        reference holds no window: from the reference series of its family (same scale, one of
        ``families``), else of its indicator on the same scale; windows of the series' length,
        else the longest shorter ones (as in the call)."""
        indicator = np.asarray(indicator).astype(str)
        scale = np.asarray(scale).astype(str)
        window = np.asarray(window, dtype=int)
        out = np.full(len(indicator), np.nan)
        if not len(out) or not np.isfinite(last_year) or not self.panel.n_series:
            return out
        for length in range(3, int(window.max()) + 1):
            num, den = self.sums(int(last_year), length)
            q = np.full(len(out), np.nan)
            for s in np.unique(scale):
                asked = scale == s
                same_scale = self.scale == s
                if s in families and den[same_scale].sum() > 0:
                    q[asked] = num[same_scale].sum() / den[same_scale].sum()
                    continue
                for ind in np.unique(indicator[asked]):
                    own = same_scale & (self.indicator == ind)
                    if den[own].sum() > 0:
                        q[asked & (indicator == ind)] = num[own].sum() / den[own].sum()
            rows = (window >= length) & np.isfinite(q)
            out[rows] = np.sqrt(np.maximum(q[rows], 0.0))
        return out


def build_reference(observations: pd.DataFrame, indicators: IndicatorDictionary | None = None) -> WanderReference:
    """A reference from a long observations frame (every key of :data:`REFERENCE_KEYS` a series)."""
    indicators = load_indicators() if indicators is None else indicators
    obs = observations[observations["indicator"].isin(list(indicators.by_id))]
    obs = obs[np.isfinite(obs["value"].to_numpy(dtype=float))]
    panel = pack_series(obs[[*REFERENCE_KEYS, "year", "value"]], REFERENCE_KEYS)
    scale, upper, lower = indicator_scales([indicators.by_id[i] for i in panel.keys["indicator"]])
    return WanderReference(panel=panel, indicator=panel.keys["indicator"].to_numpy().astype(str),
                           scale=scale, upper=upper, lower=lower)


@lru_cache(maxsize=1)
def national_reference() -> WanderReference | None:
    """The package's national data as a reference, loaded once per process (None without it)."""
    if not config.NATIONAL_DATA_DIR.is_dir():
        return None
    return build_reference(load_observations(config.NATIONAL_DATA_DIR))


def default_reference() -> WanderReference | None:
    """The national reference when ``config.POOL_REFERENCE`` is on, else None."""
    return national_reference() if config.POOL_REFERENCE else None
