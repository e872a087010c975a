"""The one join of an ingest into stored rows: the staged rows to write, with the stored row of
their key (both databases; the row's physical address is DuckDB's ``rowid``, PostgreSQL's ``ctid``)."""

from __future__ import annotations

from childplan_analysis.core.columns import KEY_COLUMNS
from childplan_analysis.io.store.backend import Backend
from childplan_analysis.io.store.schema import STAGING, VALUE_COLUMNS

#: Rows of the batch that need writing, with the stored row of their key (if any).
MATCHED = "childplan_matched"
#: Columns of a stored row kept beside the staged one (its values and where they came from).
KEPT = [*VALUE_COLUMNS, "load_id", "src_row"]
#: A stored value is revised when its value or its censoring changes.
COMPARED = [c for c in ("value", "censor") if c in VALUE_COLUMNS]
#: Staged row ``s`` and stored row ``o`` of the same key.
JOIN = " AND ".join(f"o.{c} = s.{c}" for c in KEY_COLUMNS)
#: Their values differ.
CHANGED = " OR ".join(f"o.{c} <> s.{c}" for c in COMPARED)


def match_staged(db: Backend, address: str) -> None:
    """Create :data:`MATCHED`: the staged rows of new keys and of changed values, each with the
    stored row's ``address`` (as ``o_<address>``, NULL for a new key) and kept columns."""
    db.execute(f"DROP TABLE IF EXISTS {MATCHED}")
    db.execute(
        f"""CREATE TEMPORARY TABLE {MATCHED} AS
            SELECT s.*, o.{address} AS o_{address}, {', '.join(f'o.{c} AS o_{c}' for c in KEPT)}
            FROM {STAGING} s LEFT JOIN observations o ON {JOIN}
            WHERE o.{address} IS NULL OR {CHANGED}""")
