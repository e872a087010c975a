"""One interface over the databases the monitoring store runs on, and the choice between them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa


class Backend(Protocol):
    """A connection the store runs its SQL on (named ``:param`` placeholders).

    ``insert_frame`` is the bulk path: an Arrow table (or a pandas frame, converted once) into
    an existing table, in the open transaction.
    """

    #: SQL dialect name: ``duckdb``, ``postgresql``, ``sqlite``, …
    dialect: str
    #: Where the database is, without any password (for messages).
    where: str

    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def lock(self) -> None:
        """Serialise writers for the rest of the transaction."""
    def execute(self, sql: str, params: dict | None = None) -> None: ...
    def scalar(self, sql: str) -> Any: ...
    def frame(self, sql: str, params: dict | None = None) -> pd.DataFrame: ...
    def insert_frame(self, table: str, frame: pa.Table | pd.DataFrame) -> None: ...
    def stage(self, name: str, ddl: str, rows: pa.Table) -> None:
        """Make ``rows`` readable as table ``name`` (columns ``ddl``) in the open transaction."""
    def unstage(self, name: str) -> None: ...
    def has_table(self, name: str) -> bool: ...
    def columns(self, table: str) -> list[str]: ...
    def close(self) -> None: ...


def as_arrow(frame: pa.Table | pd.DataFrame) -> pa.Table:
    """An Arrow table (a pandas frame converted without its index)."""
    if isinstance(frame, pa.Table):
        return frame
    return pa.Table.from_pandas(frame, preserve_index=False)


def connect(url: str | Path, *, create: bool, timeout: float | None = None) -> Backend:
    """The backend for ``url``: a DuckDB path or ``duckdb://`` URL, or any SQLAlchemy URL.

    ``timeout``: seconds a DuckDB file held by another process is waited for (default
    :data:`~childplan_analysis.core.config.STORE_LOCK_TIMEOUT_S`).
    """
    # io.sources imports the store, so its one database-URL test is imported when used
    from childplan_analysis.io.sources import is_database

    text = str(url)
    if text.startswith("duckdb:") or not (is_database(text) and "://" in text):
        from childplan_analysis.io.store.duckdb_backend import DuckDBBackend, duckdb_path

        return DuckDBBackend(duckdb_path(text), create=create, timeout=timeout)
    from childplan_analysis.io.store.sql_backend import SQLAlchemyBackend

    return SQLAlchemyBackend(text)
