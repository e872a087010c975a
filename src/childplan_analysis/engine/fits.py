"""Every (region, indicator) series of one assessment, packed once and fitted once.

:class:`SeriesFits` holds the packed panel of the region totals, fits every series with the
chosen (or a fixed) model family in one vectorised pass, and hands each target the rows of its
regions. Targets stated as annual rates read an OLS fit on a fixed scale, cached per indicator.
With automatic model choice, series shorter than ``POOL_BELOW`` take the partially pooled trend
of their indicator's series and of its family (:mod:`childplan_analysis.models.pooling`) when these allow.

The pooling group of an indicator is every region's series of it in the observations of the
call (``pool``), not only the regions being reported: a region's result is a function of the
observations, the plan and the options, whichever regions are asked for. The model choice
itself is per series, so only the reported series are fitted.

When the (indicator × region) grid is nearly full, the series are laid out once in *block
order* — every indicator's rows one after the other, one per region, a series the data lack
given as an empty one — so that each indicator's values and fits are slices of one array, a
fixed model is fitted on that layout directly, and what every series gets from its fit
(:meth:`SeriesFits.of_fit`) is worked out once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from functools import cached_property

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.engine.methods import escap_projection
from childplan_analysis.engine.rowstats import Observed
from childplan_analysis.engine.tails import slope_quantiles
from childplan_analysis.engine.warnings import series_breaks, volatile
from childplan_analysis.models import (
    SeriesPanel,
    TrendFit,
    choose,
    default_family,
    fit_model,
    fit_trend,
    take,
)
from childplan_analysis.models.fit import STATE_FIELDS
from childplan_analysis.models.kin import kin_noise
from childplan_analysis.models.pooling import PooledTrend, kin_codes, pooled_trend, scale_families
from childplan_analysis.models.reference import default_reference
from childplan_analysis.models.scales import carried_scales
from childplan_analysis.models.select import select_models


def _bound(x: float | None) -> float:
    return np.nan if x is None else float(x)


def _indicator_codes(panel: SeriesPanel, keys: dict[str, tuple[np.ndarray, pd.Index]] | None
                     ) -> tuple[np.ndarray, pd.Index]:
    """Each series' indicator as a code into the indicators in order of first appearance (from the
    series' key codes when given, else from the panel's key text)."""
    if keys is None:
        return pd.factorize(panel.keys["indicator"])
    codes, uniques = keys["indicator"]
    inner, used = pd.factorize(codes)  # first appearance, as factorizing the text gives
    return inner, uniques.take(used)


def _series_info(ind_codes: np.ndarray, ind_uniq: pd.Index, indicators: IndicatorDictionary, scale_type=str
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each series' natural scale, lower and upper bound, from its indicator code (``scale_type``:
    the scales' dtype; ``object`` shares one string per indicator among its series, as a fitter
    taking them as objects reads them without converting every series' text)."""
    info = [indicators.by_id[i] for i in ind_uniq]
    natural = np.array([default_family(i.unit, i.polarity, i.bounds) for i in info], dtype=scale_type)[ind_codes]
    low = np.array([_bound(i.bounds[0]) for i in info], dtype=float)[ind_codes]
    high = np.array([_bound(i.bounds[1]) for i in info], dtype=float)[ind_codes]
    return natural, low, high


#: The block layout is used while it has at most this many rows per series of the panel.
BLOCK_DENSITY = 1.25


def _slice_fit(fit: TrendFit, start: int, stop: int) -> TrendFit:
    """Rows ``start`` … ``stop − 1`` of ``fit``, as views of its arrays."""
    return TrendFit(**{f.name: getattr(fit, f.name)[start:stop] for f in fields(TrendFit)})


def _key_index(keys: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([keys["region"].to_numpy(), keys["indicator"].to_numpy()])


class SeriesFits:
    """Every (region, indicator) series fitted once; targets read their regions' rows."""

    def __init__(self, panel: SeriesPanel, regions: list[str], indicators: IndicatorDictionary, model: str,
                 *, observed: SeriesPanel | None = None, censor: np.ndarray | None = None,
                 pool: SeriesPanel | None = None, keys: dict[str, tuple[np.ndarray, pd.Index]] | None = None):
        """``keys``, when given, are the ``region`` and ``indicator`` of every series of ``panel`` as
        codes into their distinct values (read instead of the panel's key text)."""
        self.panel = panel  # exact values of the reported regions (fitted)
        self.observed = observed  # every value, bounds included (None: all exact)
        self.censor = censor  # mark of every observed value
        self.regions = regions
        self.indicators = indicators
        self.model = model
        self._rate_fits: dict[tuple[str, str], tuple[TrendFit, np.ndarray, np.ndarray]] = {}
        self._series: dict[str, SeriesPanel] = {}
        self._kept: dict[str, dict[tuple, object]] = {}  # per indicator, worked out once (:meth:`_once`)
        self._block: dict[str, int] | None = None  # each indicator's block (None: no block layout)
        self._of_block: dict[tuple, np.ndarray] = {}  # :meth:`of_fit` of every block row
        # the pooling population: every region's series (None: the reported ones are all there is)
        self.pool = pool if pool is not None and pool.n_series > panel.n_series else None
        if self.pool is not None:
            self._pool_index = _key_index(self.pool.keys).get_indexer(_key_index(panel.keys))
        else:
            self._pool_index = np.arange(panel.n_series)
        if panel.n_series:
            ind_codes, ind_uniq = _indicator_codes(panel, keys)
            self.natural, self.low, self.high = _series_info(ind_codes, ind_uniq, indicators)
            self.natural = carried_scales(self.natural, panel.values)
            self.ind_codes = ind_codes
            self.ind_uniq = ind_uniq
            if keys is None:
                region_pos = pd.Index(regions).get_indexer(panel.keys["region"])
            else:  # each distinct region looked up once
                codes, uniques = keys["region"]
                region_pos = pd.Index(regions).get_indexer(uniques)[codes]
            order = np.argsort(ind_codes, kind="stable")
            starts = np.searchsorted(ind_codes[order], np.arange(len(ind_uniq) + 1))
            self._rows = {}
            for c, ind in enumerate(ind_uniq):
                sel = order[starts[c]:starts[c + 1]]
                rows = np.full(len(regions), -1)
                rows[region_pos[sel]] = sel
                self._rows[ind] = rows
            if len(ind_uniq) * len(regions) <= BLOCK_DENSITY * panel.n_series:
                self._block = {ind: c for c, ind in enumerate(ind_uniq)}
                self._block_rows = np.concatenate([self._rows[ind] for ind in ind_uniq])
                self._block_info = _series_info(np.repeat(np.arange(len(ind_uniq)), len(regions)), ind_uniq,
                                                indicators)
        else:
            self.ind_codes = np.array([], dtype=int)
            self.natural = np.array([], dtype=str)
            self.low = self.high = np.array([])
            self._rows = {}

    @cached_property
    def selection(self) -> tuple[TrendFit, np.ndarray]:
        """The fit of every series and how its model was chosen."""
        if not self.panel.n_series:
            return fit_trend(self.panel, "linear"), np.array([], dtype=str)
        if self.model == "auto":
            sel = select_models(self.panel, self.natural, self.high, self.low)
            return self._kin(*self._pool(sel.fit, sel.method, lambda: self.pooled))
        fit = fit_model(self.panel, self.model, self.natural, self.high, self.low)
        return fit, np.full(self.panel.n_series, "fixed")

    @cached_property
    def _no_keys(self) -> pd.DataFrame:
        """The panel's key columns without rows (an indicator's series carry no keys: no reader needs them)."""
        return self.panel.keys.iloc[:0]

    def slope_quantile(self, indicator: str, prob: float) -> np.ndarray | None:
        """:func:`.tails.slope_quantiles` of the fit of :meth:`fit` (with the block layout, once for
        every series; None without it)."""
        span = self._block_span(indicator)
        if span is None:
            return None
        key = ("slope_quantile", prob)
        if key not in self._of_block:
            self._of_block[key] = slope_quantiles(self.block_fit[0], prob)
        return self._of_block[key][span]

    @cached_property
    def block_values(self) -> np.ndarray:
        """The values of every block row (a series the data lack: all missing); the panel's own
        values, read-only, when its series already come in block order."""
        rows = self._block_rows
        if len(rows) == self.panel.n_series and np.array_equal(rows, np.arange(len(rows))):
            values = self.panel.values.view()
            values.flags.writeable = False
            return values
        return self.panel.take_values(rows)

    @cached_property
    def block_fit(self) -> tuple[TrendFit, np.ndarray]:
        """The fit of every block row and how its model was chosen ("" for a series the data lack).

        A fixed model is fitted on the block rows themselves (each series' fit is its own, so
        the layout changes nothing); a model chosen per series is taken from :attr:`selection`.
        """
        rows = self._block_rows
        present = rows >= 0
        if self.model == "auto":
            fit, how = self.selection
            return take(fit, rows), np.where(present, how[np.where(present, rows, 0)], "")
        _, low, high = self._block_info
        natural = self._block_scales
        block = SeriesPanel(self._no_keys, self.panel.years, self.block_values)
        fit = fit_model(block, self.model, natural, high, low)
        # as :func:`~childplan_analysis.models.take` leaves them: no missing spreads
        fit = replace(fit, **{name: np.nan_to_num(getattr(fit, name)) for name in ("drift", *STATE_FIELDS)})
        return fit, np.where(present, "fixed", "")

    @cached_property
    def _block_scales(self) -> np.ndarray:
        """The natural scale of every block row as its indicator's one string (objects): a fitter
        reads them without converting every row's text."""
        natural = _series_info(np.repeat(np.arange(len(self._block)), len(self.regions)), list(self._block),
                               self.indicators, object)[0]
        return carried_scales(natural, self.block_values)

    def _block_span(self, indicator: str) -> slice | None:
        """The block rows of ``indicator`` (None without a block layout or a series of it)."""
        if self._block is None or indicator not in self._block:
            return None
        k = len(self.regions)
        c = self._block[indicator]
        return slice(c * k, (c + 1) * k)

    @cached_property
    def pooled(self) -> PooledTrend:
        """Every reported series' trend pooled with every region's series of its indicator
        (natural scale)."""
        if self.pool is None:
            return pooled_trend(self.panel, self.natural, self.high, self.low, self.ind_codes,
                                families=scale_families(self.natural), reference=default_reference(),
                                indicator=np.asarray(self.ind_uniq)[self.ind_codes])
        codes, uniques = _indicator_codes(self.pool, None)
        natural, low, high = _series_info(codes, uniques, self.indicators)
        natural = carried_scales(natural, self.pool.values)
        return _take_pooled(pooled_trend(self.pool, natural, high, low, codes, families=scale_families(natural),
                                         reference=default_reference(), indicator=np.asarray(uniques)[codes]),
                            self._pool_index)

    @staticmethod
    def _pool(fit: TrendFit, how: np.ndarray, pooled: Callable[[], PooledTrend | None]
              ) -> tuple[TrendFit, np.ndarray]:
        """Short series take the pooled trend where their group gives one (``pooled`` is only
        worked out when some series is short)."""
        short = fit.n < config.POOL_BELOW
        if not short.any():
            return fit, how
        trend = pooled()
        if trend is None:
            return fit, how
        use = short & trend.has_prior
        if not use.any():
            return fit, how
        return choose([fit, trend.fit], use.astype(int)), np.where(use, "pooled", how)

    def _kin(self, fit: TrendFit, how: np.ndarray) -> tuple[TrendFit, np.ndarray]:
        """Short series that neither backtest nor pool take the noise and wander of the call's
        other indicators of their kin (:func:`childplan_analysis.models.kin.kin_noise`)."""
        asks = (fit.n >= config.MIN_POINTS) & (fit.n < config.POOL_BELOW) & (how != "pooled")
        if not asks.any():
            return fit, how
        population = self.pool if self.pool is not None else self.panel
        codes, uniques = _indicator_codes(population, None)
        natural, low, high = _series_info(codes, uniques, self.indicators)
        unit = np.array([self.indicators.by_id[i].unit for i in uniques], dtype=object)[codes]
        fit, _ = kin_noise(fit, asks, population, natural, high, low, codes, kin_codes(natural, unit),
                           self._pool_index, reference=default_reference(), indicator=np.asarray(uniques)[codes])
        return fit, how

    def shrinkage(self, indicator: str, choice: np.ndarray) -> np.ndarray:
        """Weight of the group's trend in each pooled row's slope (NaN for rows not pooled)."""
        rows = self.rows(indicator)
        if not self.panel.n_series or not (choice == "pooled").any():
            return np.full(len(rows), np.nan)
        value = self.pooled.shrinkage[np.where(rows >= 0, rows, 0)]
        return np.where((rows >= 0) & (choice == "pooled"), value, np.nan)

    def rows(self, indicator: str) -> np.ndarray:
        return self._rows.get(indicator, np.full(len(self.regions), -1))

    def series(self, indicator: str) -> SeriesPanel:
        """The exact values of the indicator's rows (one per region; keys left out, no reader needs them)."""
        if indicator not in self._series:
            span = self._block_span(indicator)
            if not len(self.panel.years):
                sub = SeriesPanel(pd.DataFrame(index=range(len(self.regions))), np.array([0]),
                                  np.full((len(self.regions), 1), np.nan))
            elif span is not None:
                sub = SeriesPanel(self._no_keys, self.panel.years, self.block_values[span])
            else:
                sub = SeriesPanel(self._no_keys, self.panel.years, self.panel.take_values(self.rows(indicator)))
            self._series[indicator] = sub
        return self._series[indicator]

    def has_values(self, indicator: str) -> Observed:
        """Where the indicator's rows (:meth:`series`) have values, shared by every reader of them."""
        return self._once(indicator, ("has_values",), lambda: Observed(self.series(indicator).values))

    def breaks(self, indicator: str) -> np.ndarray:
        """Whether each of the indicator's rows has a break (:func:`.warnings.series_breaks`),
        worked out once per indicator whatever the number of its targets."""
        return self._once(indicator, ("breaks",), lambda: series_breaks(self.series(indicator),
                                                                        self.has_values(indicator)))

    def escap_projection(self, indicator: str, year: int) -> tuple[np.ndarray, np.ndarray]:
        """:func:`.methods.escap_projection` of the indicator's rows to ``year``, once per indicator and year."""
        sub = self.series(indicator)
        return self._once(indicator, ("escap", year), lambda: escap_projection(
            sub.years, sub.values, year, self.has_values(indicator)))

    def volatile(self, indicator: str) -> np.ndarray:
        """Whether each of the indicator's rows fluctuates (:func:`.warnings.volatile`, its noise
        against a year of the trend change of :meth:`fit`), once per indicator. A pooled row is
        weighed against its own OLS line's change: the pooled line leans toward its group's slope."""
        def judged() -> np.ndarray:
            sub, (fit, how) = self.series(indicator), self.fit(indicator)
            out = volatile(sub, fit, self.of_fit(indicator, "annual_change"), self.has_values(indicator))
            pooled = how == "pooled"
            if pooled.any():
                own = volatile(sub, fit_trend(sub, "linear"), observed=self.has_values(indicator))
                out = np.where(pooled, own, out)
            return out

        return self._once(indicator, ("volatile",), judged)

    def of_fit(self, indicator: str, name: str, *args) -> np.ndarray:
        """``fit.<name>(*args)`` of the fit of :meth:`fit`, once per indicator and arguments (with the
        block layout, once for every series)."""
        span = self._block_span(indicator)
        if span is None:
            return self._once(indicator, (name, *args), lambda: getattr(self.fit(indicator)[0], name)(*args))
        key = (name, *args)
        if key not in self._of_block:
            self._of_block[key] = getattr(self.block_fit[0], name)(*args)
        return self._of_block[key][span]

    def predicted(self, indicator: str, year: int) -> tuple[np.ndarray, np.ndarray]:
        """``fit.predict(year)`` of the fit of :meth:`fit` (with the block layout, worked out once for
        every series)."""
        span = self._block_span(indicator)
        if span is None:
            return self.fit(indicator)[0].predict(float(year))
        mean, scale = self.block_fit[0].predict(float(year))
        return mean[span], scale[span]

    def _once(self, indicator: str, key: tuple, compute: Callable[[], object]):
        """``compute()``, kept under ``key`` until the indicator is released (its arrays are not
        changed once made)."""
        kept = self._kept.setdefault(indicator, {})
        if key not in kept:
            kept[key] = compute()
        return kept[key]

    def release(self, indicator: str) -> None:
        """Forget what was kept for the indicator (its targets are done): memory is reused."""
        self._kept.pop(indicator, None)
        self._series.pop(indicator, None)
        for key in [k for k in self._rate_fits if k[0] == indicator]:
            del self._rate_fits[key]

    def observed_series(self, indicator: str) -> tuple[SeriesPanel | None, np.ndarray | None]:
        """Every value of the indicator's rows (bounds included) and their marks; (None, None)
        when all values are exact (then :meth:`series` is all there is)."""
        if self.observed is None:
            return None, None
        rows = self.rows(indicator)
        ok = rows >= 0
        marks = np.full((len(rows), len(self.panel.years)), "", dtype=object)
        marks[ok] = self.censor[rows[ok]]
        return self.observed.take(rows), marks

    def fit(self, indicator: str) -> tuple[TrendFit, np.ndarray]:
        """The fits of the indicator's rows and how each model was chosen, taken once per indicator
        (a fit is not changed once made, so its targets share it)."""
        span = self._block_span(indicator)
        if span is not None:
            fit, how = self.block_fit
            return self._once(indicator, ("fit",), lambda: (_slice_fit(fit, span.start, span.stop), how[span]))

        def taken() -> tuple[TrendFit, np.ndarray]:
            fit, how = self.selection
            rows = self.rows(indicator)
            choice = np.where(rows >= 0, how[np.where(rows >= 0, rows, 0)] if len(how) else "", "")
            return take(fit, rows), choice

        return self._once(indicator, ("fit",), taken)

    def rate_fit(self, indicator: str, scale: str) -> tuple[TrendFit, np.ndarray, np.ndarray]:
        """OLS fit of a fixed scale, for targets stated as annual rates (short series pooled)."""
        key = (indicator, scale)
        if key not in self._rate_fits:
            sub = self.series(indicator)
            ind = self.indicators.by_id[indicator]
            up, lo = _bound(ind.bounds[1]), _bound(ind.bounds[0])
            fit = fit_trend(sub, scale, up, lo)
            how = np.full(sub.n_series, "fixed")
            shrink = np.full(sub.n_series, np.nan)
            if self.model == "auto":
                taken = {}

                def pooled() -> PooledTrend | None:
                    taken["trend"] = self._rate_pool(indicator, scale, up, lo)
                    return taken["trend"]

                fit, how = self._pool(fit, how, pooled)
                if taken.get("trend") is not None:
                    shrink = np.where(how == "pooled", taken["trend"].shrinkage, np.nan)
            self._rate_fits[key] = (fit, how, shrink)
        return self._rate_fits[key]


    def _rate_pool(self, indicator: str, scale: str, up: float, lo: float) -> PooledTrend | None:
        """Pooled OLS trends on ``scale`` of the reported regions' series of ``indicator``, pooled
        with every region's series of it (None when no reported region has data)."""
        rows = self.rows(indicator)
        if not (rows >= 0).any():
            return None
        population = self.pool if self.pool is not None else self.panel
        ids = np.where(rows >= 0, self._pool_index[np.where(rows >= 0, rows, 0)], -1)
        members = np.flatnonzero(population.keys["indicator"].to_numpy() == indicator)
        inner = population.take(members)
        m = inner.n_series
        pooled = pooled_trend(inner, np.full(m, scale), np.full(m, up), np.full(m, lo), np.zeros(m, dtype=int))
        position = np.full(population.n_series, -1)
        position[members] = np.arange(m)
        return _take_pooled(pooled, np.where(ids >= 0, position[np.maximum(ids, 0)], -1))


def _take_pooled(pooled: PooledTrend, rows: np.ndarray) -> PooledTrend:
    ok = rows >= 0
    safe = np.where(ok, rows, 0)
    return PooledTrend(fit=take(pooled.fit, rows), shrinkage=np.where(ok, pooled.shrinkage[safe], np.nan),
                       has_prior=ok & pooled.has_prior[safe], own_slope=pooled.own_slope[safe],
                       prior_mean=pooled.prior_mean[safe], prior_sd=pooled.prior_sd[safe])
