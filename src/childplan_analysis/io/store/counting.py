"""Rows inserted, revised and unchanged per load, from the rows staged and the rows written."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa


def staged_per_load(staging: pa.Table) -> pd.Series:
    """Rows of the batch per load (index: load_id)."""
    per_load = staging.group_by("load_id").aggregate([([], "count_all")]).to_pandas()
    index = pd.Index(per_load["load_id"].to_numpy(), name="load_id")
    return pd.Series(per_load["count_all"].to_numpy(), index=index)


def counts_frame(staged: pd.Series, inserted: pd.Series, revised: pd.Series) -> pd.DataFrame:
    """Inserted / revised / unchanged per load: unchanged is the rest of each load's rows."""
    out = pd.DataFrame({"inserted": inserted.reindex(staged.index, fill_value=0).astype("int64"),
                        "revised": revised.reindex(staged.index, fill_value=0).astype("int64")})
    out["unchanged"] = staged.astype("int64") - out["inserted"] - out["revised"]
    return out


def all_inserted(staging: pa.Table) -> pd.DataFrame:
    """Counts of a batch whose every row is a new key (a load into an empty store)."""
    staged = staged_per_load(staging)
    return counts_frame(staged, staged, pd.Series(dtype="int64"))
