"""The region filled in or named for a load, applied to every file's region names: a name that
is the region written with or without its administrative suffix is read as the region (the
rule is :mod:`childplan_analysis.core.regions`), before values of one key in several files are
compared, so that ``广州`` in one file and ``广州市`` in another are one series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.core.regions import region_spellings, spelling_note


def merge_region_spellings(obs: pd.DataFrame, region: str | None) -> tuple[pd.DataFrame, list[str]]:
    """``obs`` (the loaders' frame, with ``_file``) with the names taken for ``region`` renamed to
    it, and the note saying which names were merged, with their files (a name left apart because
    another place could be meant is named by the checks the commands print, and by the error when
    the data lack the region)."""
    if not region or obs.empty:
        return obs, []
    column = obs["region"]
    categorical = isinstance(column.dtype, pd.CategoricalDtype)
    names = column.cat.categories if categorical else pd.unique(column.astype(str))
    found = region_spellings([str(n) for n in names], region)
    if not found.same:
        return obs, []
    # each row's name as a code into ``names`` (a categorical's own codes)
    codes = column.cat.codes.to_numpy() if categorical else pd.Index(names).get_indexer(column.astype(str))
    origin = obs["_file"].to_numpy()
    files = {name: sorted({Path(str(f)).name for f in pd.unique(origin[codes == list(names).index(name)])})
             for name in found.same}
    if categorical:
        inner, labels = pd.factorize(np.array([found.same.get(str(c), str(c)) for c in names], dtype=object))
        renamed = pd.Categorical.from_codes(np.where(codes >= 0, np.asarray(inner)[codes], -1),
                                            categories=pd.Index(np.asarray(labels, dtype=object), dtype="str"))
    else:
        renamed = column.astype(str).replace(found.same)
    return obs.assign(region=renamed), [spelling_note(found.same, files)]


__all__ = ["merge_region_spellings"]
