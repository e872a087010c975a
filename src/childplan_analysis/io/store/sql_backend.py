"""SQLAlchemy backend: any database SQLAlchemy drives; PostgreSQL bulk loads through COPY.

Rows go to PostgreSQL as CSV written by Arrow's C++ writer, streamed through psycopg 3's
``cursor.copy`` in blocks by a writer thread, so the next block is written while the server
parses the last one; other databases get batched ``executemany``.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from childplan_analysis.core.errors import DataError
from childplan_analysis.io.store.backend import as_arrow

#: Rows per block streamed to COPY.
COPY_BLOCK_ROWS = 50_000


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

    def begin(self) -> None:
        if self.conn.in_transaction():
            self.conn.commit()
        self._tx = self.conn.begin()

    def commit(self) -> None:
        self._tx.commit()
        self._tx = None

    def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
        self._tx = None

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
        """COPY in CSV: every value quoted, so an empty text is '' and never NULL. Arrow writes a
        block (without the GIL) while psycopg's writer thread sends the one before."""
        from psycopg.copy import QueuedLibpqWriter

        raw = self.conn.connection.driver_connection
        cols = ", ".join(data.column_names)
        options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
        sql = f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)"
        with raw.cursor() as cur, cur.copy(sql, writer=QueuedLibpqWriter(cur)) as copy:
            for start in range(0, data.num_rows, COPY_BLOCK_ROWS):
                block = io.BytesIO()
                pacsv.write_csv(data.slice(start, COPY_BLOCK_ROWS), block, options)
                copy.write(block.getbuffer())

    def stage(self, name: str, ddl: str, rows: pa.Table) -> None:
        """A temporary table (no index, no WAL), filled in bulk. Not analysed: the planner
        estimates its rows from its size, which is all the join of the upsert needs."""
        self.execute(f"DROP TABLE IF EXISTS {name}")
        self.execute(f"CREATE TEMPORARY TABLE {name} ({ddl})")
        self.insert_frame(name, rows)

    def unstage(self, name: str) -> None:
        """Drop the staged table; in a transaction a failed statement ended, nothing (any
        statement would fail there too and hide the first error; the rollback drops it)."""
        if not self.failed():
            self.execute(f"DROP TABLE IF EXISTS {name}")

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
