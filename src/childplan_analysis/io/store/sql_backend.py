"""SQLAlchemy backend: any database SQLAlchemy drives; PostgreSQL bulk loads through COPY.

Rows go to PostgreSQL through COPY (:mod:`~childplan_analysis.io.store.pg_copy`); other databases
get batched ``executemany``.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from childplan_analysis.core.errors import DataError
from childplan_analysis.io.store import pg_stage
from childplan_analysis.io.store.backend import as_arrow
from childplan_analysis.io.store.pg_copy import copy_arrow


def redact(url: str) -> str:
    """``url`` with any password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse: say nothing of it beyond its scheme
        return url.split("://", 1)[0] + "://…"


class SQLAlchemyBackend:
    """Any SQLAlchemy database (PostgreSQL through psycopg 3)."""

    def __init__(self, url: str):
        import sqlalchemy as sa

        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self.where = redact(url)
        try:
            self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            self.conn = self.engine.connect()
        except Exception as exc:
            raise DataError(f"{self.where}: cannot connect: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0]}") from None
        self.dialect = self.engine.dialect.name
        self._tx = None
        self._scratch: dict[str, str] = {}  # staged name: scratch table of a parallel copy
        self._dropped: list[str] = []  # scratch tables dropped in the open transaction

    def begin(self) -> None:
        if self.conn.in_transaction():
            self.conn.commit()
        self._tx = self.conn.begin()

    def commit(self) -> None:
        self._tx.commit()
        self._tx = None
        self._dropped.clear()

    def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
        self._tx = None
        left = [*self._dropped, *self._scratch.values()]  # their drop was rolled back too
        self._dropped.clear()
        self._scratch.clear()
        try:
            for table in left:
                self.execute(f"DROP TABLE IF EXISTS {table}")
            if left:
                self.conn.commit()
        except Exception:  # connection lost: the next ingest drops it (pg_stage.orphans_sql)
            pass

    def lock(self) -> None:
        if self.dialect == "postgresql":
            self.execute("LOCK TABLE loads IN SHARE ROW EXCLUSIVE MODE")

    def execute(self, sql: str, params: dict | None = None) -> None:
        from sqlalchemy import text

        self.conn.execute(text(sql), params or {})

    def scalar(self, sql: str):
        from sqlalchemy import text

        return self.conn.execute(text(sql)).scalar()

    def frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        from sqlalchemy import text

        result = self.conn.execute(text(sql), params or {})
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        if self._tx is None and self.conn.in_transaction():
            self.conn.commit()  # end the implicit read transaction
        return frame

    def insert_frame(self, table: str, frame: pa.Table | pd.DataFrame) -> None:
        data = as_arrow(frame)
        if data.num_rows == 0:
            return
        if self.dialect == "postgresql":
            self._copy(table, data)
            return
        from sqlalchemy import text

        cols = data.column_names
        sql = text(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})")
        for batch in data.to_batches(50_000):
            self.conn.execute(sql, batch.to_pylist())

    def _copy(self, table: str, data: pa.Table) -> None:
        copy_arrow(self.conn.connection.driver_connection, table, data)

    def stage(self, name: str, ddl: str, rows: pa.Table) -> None:
        """A temporary table (no index, no WAL), filled in bulk; on PostgreSQL a large batch is
        copied by several connections at once (:mod:`~childplan_analysis.io.store.pg_stage`) and
        read through a temporary view of that name. Not analysed: the planner estimates its
        rows from its size, which is all the join of the upsert needs."""
        self.execute(f"DROP TABLE IF EXISTS {name}")
        if self._stage_in_parallel(name, ddl, rows):
            return
        self.execute(f"CREATE TEMPORARY TABLE {name} ({ddl})")
        self.insert_frame(name, rows)

    def _stage_in_parallel(self, name: str, ddl: str, rows: pa.Table) -> bool:
        """Stage ``rows`` over several connections; False when not worth it or not allowed."""
        from psycopg import OperationalError
        from psycopg.errors import InsufficientPrivilege

        if (self.dialect != "postgresql" or pg_stage.CONNECTIONS < 2
                or rows.num_rows < pg_stage.PARALLEL_ROWS
                or self.scalar("SHOW transaction_isolation") != "read committed"):
            return False
        for orphan in self.frame(pg_stage.orphans_sql())["relname"]:
            self.execute(f"DROP TABLE IF EXISTS {orphan}")
        table = pg_stage.scratch_name(self.conn.connection.driver_connection.info.backend_pid)
        try:
            pg_stage.copy_in_parallel(self._connect_raw, table, ddl, rows)
        except (InsufficientPrivilege, OperationalError):  # may not create tables, or no more
            return False  # connections: the ingest's own connection copies into a temporary table
        self._scratch[name] = table
        self.execute(f"CREATE TEMPORARY VIEW {name} AS SELECT * FROM {table}")
        return True

    def _connect_raw(self):
        """Another psycopg connection to the same database."""
        import psycopg

        url = self.engine.url.set(drivername="postgresql")
        return psycopg.connect(url.render_as_string(hide_password=False))

    def unstage(self, name: str) -> None:
        """Drop the staged table (and a scratch table, with the transaction); in a transaction a
        failed statement ended, nothing (any statement would fail there too and hide the first
        error; the rollback drops them)."""
        if self.failed():
            return
        scratch = self._scratch.pop(name, None)
        if scratch is None:
            self.execute(f"DROP TABLE IF EXISTS {name}")
            return
        self.execute(f"DROP VIEW IF EXISTS {name}")
        self.execute(f"DROP TABLE IF EXISTS {scratch}")
        self._dropped.append(scratch)

    def failed(self) -> bool:
        """True when a failed statement ended the open transaction (only a rollback is left)."""
        if self.dialect != "postgresql":
            return False
        from psycopg.pq import TransactionStatus

        status = self.conn.connection.driver_connection.info.transaction_status
        return status == TransactionStatus.INERROR

    def has_table(self, name: str) -> bool:
        import sqlalchemy as sa

        found = sa.inspect(self.conn).has_table(name)
        if self._tx is None and self.conn.in_transaction():
            self.conn.commit()
        return found

    def columns(self, table: str) -> list[str]:
        import sqlalchemy as sa

        found = [c["name"] for c in sa.inspect(self.conn).get_columns(table)]
        if self._tx is None and self.conn.in_transaction():
            self.conn.commit()
        return found

    def has_primary_key(self, table: str) -> bool:
        return True

    def close(self) -> None:
        try:
            self.rollback()
            self.conn.close()
        finally:
            self.engine.dispose()
