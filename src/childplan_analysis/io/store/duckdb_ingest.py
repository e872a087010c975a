"""DuckDB bulk ingest: the staged batch (an Arrow table scanned in place) into the observations.

* **Empty store**: every row is new; one ``INSERT … SELECT`` from the staged table, no join.
* **Stored rows**: one join of the batch to the stored rows of its keys keeps only the rows to
  write — new keys, and keys whose value or censoring changed, each with the stored row's
  values and ``rowid`` — in a temporary table. The rest of the batch is counted as unchanged.
  The revision history is inserted from that table, the update finds each changed row by its
  ``rowid`` (an integer join, not a second join over the key columns) and the new keys are
  inserted from it: the key columns are compared once per ingest.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from childplan_analysis.core.columns import KEY_COLUMNS
from childplan_analysis.io.store.backend import Backend
from childplan_analysis.io.store.counting import all_inserted, counts_frame, staged_per_load
from childplan_analysis.io.store.matching import KEPT, MATCHED, match_staged
from childplan_analysis.io.store.schema import STAGING, STAGING_COLUMNS

_COLUMNS = ", ".join(STAGING_COLUMNS)


def load_empty(db: Backend, staging: pa.Table) -> pd.DataFrame:
    """The staged batch straight into the empty observations table; all rows inserted."""
    db.execute(f"INSERT INTO observations ({_COLUMNS}) SELECT {_COLUMNS} FROM {STAGING}")
    return all_inserted(staging)


def upsert(db: Backend, staging: pa.Table) -> pd.DataFrame:
    """The staged batch into stored rows: keep replaced values, revise, insert; counts per load."""
    match_staged(db, "rowid")
    found = db.frame(
        f"""SELECT load_id, COUNT(*) FILTER (WHERE o_rowid IS NULL) AS inserted,
                COUNT(o_rowid) AS revised
            FROM {MATCHED} GROUP BY load_id""").set_index("load_id")
    counts = counts_frame(staged_per_load(staging), found["inserted"], found["revised"])
    if int(counts["revised"].sum()):
        db.execute(
            f"""INSERT INTO observation_revisions ({', '.join([*KEY_COLUMNS, *KEPT])}, replaced_by)
                SELECT {', '.join([*KEY_COLUMNS, *(f'o_{c}' for c in KEPT)])}, load_id
                FROM {MATCHED} WHERE o_rowid IS NOT NULL""")
        sets = ", ".join(f"{c} = m.{c}" for c in KEPT)
        db.execute(f"""UPDATE observations SET {sets} FROM {MATCHED} m
                       WHERE observations.rowid = m.o_rowid""")
    if int(counts["inserted"].sum()):
        db.execute(f"""INSERT INTO observations ({_COLUMNS}) SELECT {_COLUMNS} FROM {MATCHED}
                       WHERE o_rowid IS NULL""")
    db.execute(f"DROP TABLE {MATCHED}")  # on failure the rollback drops it
    return counts
