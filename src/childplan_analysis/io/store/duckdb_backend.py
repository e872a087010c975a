"""DuckDB backend: an embedded database file, bulk loads straight from Arrow tables.

DuckDB lets one process at a time open a file for writing. A second process waits for the
file, retrying with growing pauses, up to a timeout, then fails with one line naming the file.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError
from childplan_analysis.io.store.backend import as_arrow

_VIEW = "_childplan_arrow"


def duckdb_path(url: str) -> str:
    """The file of a DuckDB URL or path (``:memory:`` for an empty one)."""
    for prefix in ("duckdb:///", "duckdb://"):
        if url.startswith(prefix):
            return url[len(prefix):] or ":memory:"
    return url


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


class DuckDBBackend:
    """DuckDB through its own Python API."""

    dialect = "duckdb"

    def __init__(self, path: str, *, create: bool, timeout: float | None = None):
        import duckdb

        self.where = path
        self._unstage_after_rollback: list[str] = []
        if not create and path != ":memory:" and not Path(path).exists():
            raise DataError(f"{path}: no such monitoring database")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        wait = config.STORE_LOCK_TIMEOUT_S if timeout is None else timeout
        deadline = time.monotonic() + wait
        pause = 0.05
        while True:
            try:
                self.con = duckdb.connect(path, read_only=not create and path != ":memory:")
                break
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise DataError(f"{path}: cannot open the monitoring database: "
                                    f"{str(exc).splitlines()[0]}") from None
                if time.monotonic() + pause > deadline:
                    holder = re.search(r"PID (\d+)", str(exc))
                    by = f" (process {holder.group(1)})" if holder else ""
                    raise DataError(f"{path}: the monitoring database is in use by another process{by}; "
                                    f"waited {wait:g} s, try again when it has finished") from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    def begin(self) -> None:
        self.con.begin()

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        try:
            self.con.rollback()
        except Exception:  # no transaction open (it failed before starting)
            pass
        while self._unstage_after_rollback:
            self.con.unregister(self._unstage_after_rollback.pop())

    def lock(self) -> None:
        """The file lock taken at connection already keeps every other process out."""

    def execute(self, sql: str, params: dict | None = None) -> None:
        self.con.execute(_dollar(sql), params or {}).fetchall()  # finished: the connection is free

    def scalar(self, sql: str):
        return self.con.execute(sql).fetchall()[0][0]

    def frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return self.con.execute(_dollar(sql), params or {}).df()

    def insert_frame(self, table: str, frame: pa.Table | pd.DataFrame) -> None:
        data = as_arrow(frame)
        if data.num_rows == 0:
            return
        self.con.register(_VIEW, data)
        try:
            cols = ", ".join(data.column_names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {_VIEW}")
        finally:
            self.con.unregister(_VIEW)

    def stage(self, name: str, ddl: str, rows: pa.Table) -> None:
        """The Arrow table itself, scanned in place (no copy)."""
        self.con.register(name, rows)

    def unstage(self, name: str) -> None:
        """Forget the staged table; in a transaction a failed statement ended, after the
        rollback (DuckDB refuses every statement before it)."""
        import duckdb

        try:
            self.con.unregister(name)
        except duckdb.TransactionException:
            self._unstage_after_rollback.append(name)

    def has_table(self, name: str) -> bool:
        found = self.con.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
        return bool(found[0])

    def columns(self, table: str) -> list[str]:
        rows = self.con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                "ORDER BY ordinal_position", [table]).fetchall()
        return [r[0] for r in rows]

    def has_primary_key(self, table: str) -> bool:
        found = self.con.execute("SELECT COUNT(*) FROM duckdb_constraints() WHERE table_name = ? "
                                 "AND constraint_type = 'PRIMARY KEY'", [table]).fetchone()
        return bool(found[0])

    def close(self) -> None:
        self.con.close()


def _dollar(sql: str) -> str:
    """``:name`` placeholders as DuckDB's ``$name``."""
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"$\1", sql)
