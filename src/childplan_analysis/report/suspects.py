"""Observations an analyst must look at before a report is trusted: rows of another region
than the one reported, and shares typed as fractions (0.953 for 95.3 %)."""

from __future__ import annotations

import pandas as pd

#: Units whose values are written as numbers on their own scale: a value at most 1 in a
#: series that otherwise reads tens is most likely typed as a fraction.
SCALES = {"%": 100.0, "‰": 1000.0}
SERIES_KEYS = ["region", "indicator", "sex", "area", "age_group", "subregion"]


def rows_outside(obs: pd.DataFrame, region: str) -> pd.DataFrame:
    """Rows per region other than ``region`` (columns ``region, rows``), most rows first."""
    other = obs.loc[obs["region"].astype(str) != region, "region"].astype(str)
    counts = other.value_counts()
    return pd.DataFrame({"region": counts.index, "rows": counts.to_numpy()})


def suspect_fractions(obs: pd.DataFrame) -> pd.DataFrame:
    """Values of a ``%``/``‰`` series in (0, 1] where the median of the series' values above 1 is
    at least 10 and the value on the unit's scale (×100, ×1000) lies nearer that median: a share
    typed as a fraction.

    Columns: the series keys, ``year, value, unit, median, suggested`` (value on the unit's scale).
    """
    cols = [*SERIES_KEYS, "year", "value", "unit", "median", "suggested"]
    if obs.empty or "unit" not in obs:
        return pd.DataFrame(columns=cols)
    frame = obs[obs["unit"].isin(list(SCALES))].copy()
    if frame.empty:
        return pd.DataFrame(columns=cols)
    keys = [k for k in SERIES_KEYS if k in frame]
    # the median of the series' other values, those above 1 (the fraction-like ones left out)
    frame["median"] = frame["value"].where(frame["value"] > 1).groupby(
        [frame[k] for k in keys], dropna=False).transform("median")
    scale = frame["unit"].astype(object).map(SCALES).astype(float)
    value = frame["value"].astype(float)
    small = (value > 0) & (value <= 1)
    # the value times the scale lies nearer the series' median than the value itself does
    nearer = (value * scale - frame["median"]).abs() < (value - frame["median"]).abs()
    hit = frame[small & (frame["median"] >= 10) & nearer].copy()
    hit["suggested"] = (hit["value"].astype(float) * scale[hit.index]).round(6)
    for k in SERIES_KEYS:
        if k not in hit:
            hit[k] = ""
    return hit[cols].sort_values(["region", "indicator", "year"]).reset_index(drop=True)
