"""PostgreSQL: a large batch staged by several connections copying at once.

One ``COPY`` is served by one server process, which spends most of its time parsing rows and
forming tuples; a batch of :data:`PARALLEL_ROWS` rows or more is cut into
:data:`CONNECTIONS` slices copied at once, by connections of their own, into an ``UNLOGGED``
scratch table (no index, no WAL), each committed. The ingest's transaction then reads that table
under the staging name (a temporary view), and drops it as part of its commit; after a rollback
the backend drops it. So the store itself is still written in one transaction: the scratch
table holds only the batch, and a failure anywhere leaves the store as it was.

The scratch table is named after the ingest's server process (``childplan_staging_<pid>``); one
left behind by a killed process (its pid no longer a session) is dropped by the next ingest.
Used only when the ingest's transaction is ``READ COMMITTED`` (PostgreSQL's default), whose
statements see rows committed after the transaction began; otherwise, or when the role may not
create tables, the batch is copied into a temporary table by the ingest's own connection.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa

from childplan_analysis.io.store.pg_copy import copy_arrow

#: Batches of at least this many rows are staged by several connections.
PARALLEL_ROWS = 100_000
#: Connections copying one batch at once.
CONNECTIONS = 2
SCRATCH_PREFIX = "childplan_staging_"


def scratch_name(pid: int) -> str:
    """The scratch table of the ingest served by server process ``pid``."""
    return f"{SCRATCH_PREFIX}{int(pid)}"


def orphans_sql() -> str:
    """Names of scratch tables, owned by the connected role, whose server process is no longer
    a session."""
    return f"""SELECT c.relname FROM pg_class c
               WHERE c.relkind = 'r' AND c.relpersistence = 'u'
                 AND c.relname LIKE '{SCRATCH_PREFIX.replace('_', chr(92) + '_')}%'
                 AND c.relnamespace = current_schema()::regnamespace
                 AND pg_has_role(c.relowner, 'USAGE')
                 AND substr(c.relname, {len(SCRATCH_PREFIX) + 1}) NOT IN
                     (SELECT pid::text FROM pg_stat_activity)"""


def copy_in_parallel(connect, table: str, ddl: str, rows: pa.Table, connections: int = CONNECTIONS) -> int:
    """Create ``table`` (``UNLOGGED``, columns ``ddl``) and copy ``rows`` into it over
    ``connections`` new connections (``connect()`` opens one), each slice committed; the rows
    the server took. A failure drops the table and raises."""
    opened = [connect() for _ in range(connections)]
    try:
        first = opened[0]
        with first.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(f"CREATE UNLOGGED TABLE {table} ({ddl})")
        first.commit()
        step = -(-rows.num_rows // connections)

        def copy(i: int) -> int:
            done = copy_arrow(opened[i], table, rows.slice(i * step, step))
            opened[i].commit()
            return done

        try:
            with ThreadPoolExecutor(connections) as pool:
                return sum(pool.map(copy, range(connections)))
        except BaseException:
            for con in opened:
                con.rollback()
            with first.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            first.commit()
            raise
    finally:
        for con in opened:
            con.close()
