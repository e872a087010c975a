"""The series an assessment reads, packed: from observations, or from a panel packed beforehand.

:func:`from_observations` picks the region totals of a long observations frame (sex, area and
age group ``total``, no subregion), keeps the years of the fit window up to ``as_of`` and packs
the series of the plan's indicators (:mod:`childplan_analysis.models.panel`) with their region
and indicator as integer codes. :func:`from_panel` reads the same from a :class:`SeriesPanel`
of region totals packed beforehand (:func:`pack_totals`): an analyst assessing one panel under
several models or plans packs it once. Either gives a :class:`PackedRows`; the assessment of a
panel is that of the observations it was packed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError
from childplan_analysis.io.sources import load_observations
from childplan_analysis.models import SeriesPanel, pack_codes
from childplan_analysis.models.panel import factorize_key, pack_keyed

#: Marks of the optional ``censor`` column: "" exact, else the value is a bound.
CENSOR_MARKS = ("", ">=", ">", "<=", "<")
KEY_COLUMNS = ("region", "indicator")


@dataclass(frozen=True)
class PackedRows:
    """What an assessment reads of its data."""

    panel: SeriesPanel  # exact values of the reported regions' series of the plan (fitted)
    observed: SeriesPanel | None  # every value, bounds included (None: all exact)
    censor: np.ndarray | None  # mark of every observed value
    keys: dict[str, tuple[np.ndarray, pd.Index]]  # each series' region and indicator, as codes
    pool: SeriesPanel | None  # every region's series of the plan (None: the reported ones are all)
    regions: list[str]
    as_of: int


def from_observations(obs: pd.DataFrame, plan: Plan, as_of: int | None, regions: list[str] | None) -> PackedRows:
    """The region totals of ``obs`` within the fit window up to ``as_of`` (default: the latest
    year of a total), packed; ``regions`` default to every region in ``obs``."""
    keep = totals(obs)
    years = obs["year"].to_numpy()
    if as_of is None:  # the latest year of a total
        as_of = int((years if keep.all() else years[keep]).max()) if keep.any() else max(plan.period)
    keys = {col: factorize_key(obs[col]) for col in KEY_COLUMNS}
    if regions is None:
        categorical = isinstance(obs["region"].dtype, pd.CategoricalDtype)  # categories may go unused
        regions = _present(*keys["region"], every_used=not categorical) if len(obs) else [plan.region]
    regions = list(dict.fromkeys(regions))
    shown = keep & (years <= as_of) & (years > as_of - config.FIT_WINDOW)
    visible = _visible(obs, shown)
    every = bool(shown.all())
    coded = {col: (codes if every else codes[shown], uniques) for col, (codes, uniques) in keys.items()}
    in_plan = code_in(coded["indicator"], plan.indicators)
    reported = in_plan & code_in(coded["region"], regions)
    marks = _censor_codes(visible, in_plan, reported)
    panel, observed, censor, series_keys = _pack(coded, visible, marks, reported)
    # short series borrow from every region's series of their indicator, reported or not
    pool = None if reported.sum() == in_plan.sum() else _pack(coded, visible, marks, in_plan)[0]
    series_keys = {col: (codes, coded[col][1]) for col, codes in series_keys.items()}
    return PackedRows(panel, observed, censor, series_keys, pool, regions, as_of)


def from_panel(panel: SeriesPanel, plan: Plan, as_of: int | None, regions: list[str] | None) -> PackedRows:
    """:func:`from_observations` of the observations ``panel`` was packed from (its series are
    region totals keyed by ``region`` and ``indicator``, every value exact). ``as_of`` defaults
    to the latest year with a value, ``regions`` to every region of the panel."""
    missing = [col for col in KEY_COLUMNS if col not in panel.keys.columns]
    if missing:
        raise DataError(f"the series panel's keys lack column(s) {missing}; pack it with pack_totals()")
    years = np.asarray(panel.years, dtype=int)
    has = ~np.isnan(panel.values)
    any_year = has.any(axis=0) if has.size else np.zeros(len(years), dtype=bool)
    if as_of is None:
        as_of = int(years[any_year].max()) if any_year.any() else max(plan.period)
    keys = {col: factorize_key(panel.keys[col]) for col in KEY_COLUMNS}
    _check_one_series_a_key(panel, keys)
    if regions is None:
        categorical = isinstance(panel.keys["region"].dtype, pd.CategoricalDtype)
        regions = _present(*keys["region"], every_used=not categorical) if panel.n_series else [plan.region]
    regions = list(dict.fromkeys(regions))
    # the years packing the observations of the window would give: those with a value
    columns = np.flatnonzero(any_year & (years <= as_of) & (years > as_of - config.FIT_WINDOW))
    every_column = len(columns) == len(years)
    seen = has if every_column else has[:, columns]
    in_plan = (seen.any(axis=1) if len(columns) else np.zeros(panel.n_series, dtype=bool)) & code_in(
        keys["indicator"], plan.indicators)
    reported = in_plan & code_in(keys["region"], regions)

    def take(rows: np.ndarray) -> tuple[SeriesPanel, dict[str, tuple[np.ndarray, pd.Index]]]:
        if rows.all():
            values = panel.values if every_column else panel.values[:, columns]
            return SeriesPanel(panel.keys[list(KEY_COLUMNS)], years[columns], values), keys
        index = np.flatnonzero(rows)
        values = panel.values[index] if every_column else panel.values[np.ix_(index, columns)]
        frame = panel.keys[list(KEY_COLUMNS)].iloc[index].reset_index(drop=True)
        return SeriesPanel(frame, years[columns], values), {c: (k[index], u) for c, (k, u) in keys.items()}

    packed, series_keys = take(reported)
    pool = None if reported.sum() == in_plan.sum() else take(in_plan)[0]
    return PackedRows(packed, None, None, series_keys, pool, regions, as_of)


def _check_one_series_a_key(panel: SeriesPanel, keys: dict[str, tuple[np.ndarray, pd.Index]]) -> None:
    """A (region, indicator) given to two series of ``panel``, or a missing key, is an error."""
    (region, regions), (indicator, indicators) = (keys[col] for col in KEY_COLUMNS)
    missing = (region < 0) | (indicator < 0)
    if missing.any():
        raise DataError(f"series panel row {int(np.argmax(missing))}: missing region or indicator")
    combined = region.astype(np.int64) * len(indicators) + indicator
    counts = np.bincount(combined, minlength=len(regions) * len(indicators)) if len(combined) else np.zeros(0, int)
    if len(counts) and counts.max() > 1:
        twice = int(np.argmax(counts > 1))
        raise DataError(f"series panel: region {regions[twice // len(indicators)]!r}, indicator "
                        f"{indicators[twice % len(indicators)]!r} has {int(counts[twice])} series; pack it with "
                        f"pack_totals(), which keeps one")


def pack_totals(observations: pd.DataFrame | str | Path) -> SeriesPanel:
    """The region totals of ``observations`` (a frame, a file or a database), every year, packed
    once for :func:`~childplan_analysis.engine.assess.assess` to read as often as asked.

    Keys are ``region`` and ``indicator``. A value given as a bound (``censor``) cannot be held
    by a panel: such observations are assessed as they are.
    """
    obs = observations if isinstance(observations, pd.DataFrame) else load_observations(observations)
    keep = totals(obs)
    visible = _visible(obs, keep)
    every = np.ones(len(visible), dtype=bool)
    marks = _censor_codes(visible, every, every)
    if marks is not None and (marks > 0).any():
        raise DataError("column 'censor': some values are bounds; a series panel holds exact values only, "
                        "assess the observations themselves")
    keys = {col: factorize_key(obs[col]) for col in KEY_COLUMNS}
    coded = {col: (codes if keep.all() else codes[keep], uniques) for col, (codes, uniques) in keys.items()}
    return _pack(coded, visible, None, every)[0]


def totals(obs: pd.DataFrame) -> np.ndarray:
    """Per row: whether it is a region total (sex, area, age group ``total``, no subregion)."""
    required = {"region", "indicator", "year", "value"}
    missing = required - set(obs.columns)
    if missing:
        raise ValueError(f"observations lack column(s) {sorted(missing)}")
    tests = [(col, "total", False) for col in ("sex", "area", "age_group") if col in obs.columns]
    if "subregion" in obs.columns:
        tests.append(("subregion", "", True))  # a missing subregion is none
    keep = np.ones(len(obs), dtype=bool)
    arrow = None  # the tests of Arrow-backed text columns, combined before one conversion
    for col, text, missing in tests:
        column = obs[col]
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            hit = pc.fill_null(pc.equal(column.array.__arrow_array__(), text), missing)
            arrow = hit if arrow is None else pc.and_(arrow, hit)
        else:
            keep &= ((column.fillna("") if missing else column) == text).to_numpy()
    if arrow is not None:
        keep &= arrow.to_numpy(zero_copy_only=False)
    return keep


def code_in(coded: tuple[np.ndarray, pd.Index], wanted) -> np.ndarray:
    """Per row: whether its value (given as factorize codes) is one of ``wanted``."""
    codes, uniques = coded
    wanted = set(wanted)
    # a missing value (code -1) is never wanted
    lookup = np.fromiter((u in wanted for u in uniques), dtype=bool, count=len(uniques))
    if lookup.all():  # every value is wanted: only a missing one is not
        return codes >= 0
    return np.append(lookup, False)[codes]


def _visible(obs: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The columns the engine reads, of the rows in ``rows`` (a mask), copied only when some are left out."""
    cols = [c for c in ("year", "value", "censor") if c in obs.columns]
    return obs[cols] if rows.all() else obs[cols][rows]


def _present(codes: np.ndarray, uniques: pd.Index, every_used: bool = False) -> list[str]:
    """The values some row has (codes as :func:`~childplan_analysis.models.panel.factorize_key`
    gives them), sorted; ``every_used``: each of ``uniques`` is known to be some row's (they were
    factorized from the rows, not a categorical's categories)."""
    if every_used:
        return sorted(uniques)
    present = codes if codes.min(initial=0) >= 0 else codes[codes >= 0]  # a missing value (-1) is none
    return sorted(uniques[np.bincount(present, minlength=len(uniques)) > 0])


def _censor_codes(visible: pd.DataFrame, in_plan: np.ndarray, reported: np.ndarray) -> np.ndarray | None:
    """Index in :data:`CENSOR_MARKS` of every row's mark (None without a ``censor`` column);
    an unknown mark among the rows assessed is an error."""
    if "censor" not in visible.columns:
        return None
    row_codes, uniques = factorize_key(visible["censor"])  # each distinct mark read once
    marks = np.append(pd.Series(uniques, dtype=object).fillna("").astype(str).str.strip().to_numpy(), "")
    codes = pd.Index(CENSOR_MARKS).get_indexer(marks)[row_codes]  # a missing mark (-1) is the last: ""
    for rows in (reported, in_plan):
        bad = (codes < 0) & rows
        if bad.any():
            found = sorted(set(marks[row_codes[bad]]))
            raise DataError(f"column 'censor': unknown mark(s) {found}; use one of {list(CENSOR_MARKS)} "
                            f"(empty for an exact value)")
    return codes


def _pack(coded: dict[str, tuple[np.ndarray, pd.Index]], visible: pd.DataFrame, marks: np.ndarray | None,
          rows: np.ndarray) -> tuple[SeriesPanel, SeriesPanel | None, np.ndarray | None, dict[str, np.ndarray]]:
    """The panel of exact values to fit and, when some values are bounds, every value and its mark;
    and each series' code of every key column.

    A bound (``censor`` ≠ "") can prove a target met or missed but is not an exact point: it is
    left out of the trend fit.
    """
    every = bool(rows.all())  # then the columns are read as they are, not copied

    def pick(arr: np.ndarray) -> np.ndarray:
        return arr if every else arr[rows]

    keys = {col: (pick(codes), uniques) for col, (codes, uniques) in coded.items()}
    years = pick(visible["year"].to_numpy(dtype=int))
    values = pick(visible["value"].to_numpy(dtype=float))
    observed, series_keys = pack_keyed(keys, years, values)
    if marks is None or not (marks[rows] > 0).any():
        return observed, None, None, series_keys
    coded_marks = pack_codes(keys, years, pick(marks).astype(float))
    mark_arr = np.asarray(CENSOR_MARKS, dtype=object)[np.nan_to_num(coded_marks.values, nan=0).astype(int)]
    exact = SeriesPanel(observed.keys, observed.years, np.where(mark_arr == "", observed.values, np.nan))
    return exact, observed, mark_arr, series_keys
