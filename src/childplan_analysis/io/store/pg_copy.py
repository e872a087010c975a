"""Arrow tables into a PostgreSQL table through ``COPY … FROM STDIN``, on a psycopg 3 connection.

Rows go as CSV written by Arrow's C++ writer, every value quoted (an empty text is ``''``, never
NULL), in blocks: Arrow writes a block (without the GIL) while psycopg's writer thread sends the
one before, so the client keeps the server busy.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pacsv

#: Rows per block streamed to COPY.
COPY_BLOCK_ROWS = 50_000


def copy_arrow(connection, table: str, data: pa.Table) -> int:
    """COPY ``data`` into ``table`` (its columns by name) in the connection's open transaction;
    the rows the server took."""
    from psycopg.copy import QueuedLibpqWriter

    cols = ", ".join(data.column_names)
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    sql = f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)"
    with connection.cursor() as cur:
        with cur.copy(sql, writer=QueuedLibpqWriter(cur)) as copy:
            for start in range(0, data.num_rows, COPY_BLOCK_ROWS):
                block = io.BytesIO()
                pacsv.write_csv(data.slice(start, COPY_BLOCK_ROWS), block, options)
                copy.write(block.getbuffer())
        return cur.rowcount
