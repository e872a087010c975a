"""Ingest speed: rows per second into the monitoring database, next to a plain bulk insert.

Builds a tidy observations frame (``--rows``, default 200 000: counties × townships ×
indicators × years × sex) and times, one run each:

* a plain ``duckdb`` ``INSERT … SELECT`` of the same frame into a new table of the same columns
  (no checks, no history: the yardstick);
* ``MonitoringStore.ingest_frame`` into a new DuckDB file (all keys new), then again with 10 % of
  the values revised (revision history, update, load log), each one transaction: the whole
  call, from the frame (column checks, key check, content hash, staging, SQL, load log);
* ``MonitoringStore.ingest`` of the same rows written as a tidy CSV file, into a new database:
  reading and validating the file by the loaders (row accounting) and then the same ingest;
* the same three on PostgreSQL when ``CHILDPLAN_TEST_PG_URL`` is set, e.g. after
  ``eval "$(scripts/start_test_postgres.sh)"``, next to their own yardsticks: a plain ``COPY``
  of the same frame into a new table with the same columns and primary key, once as CSV
  (written by Arrow) and once in PostgreSQL's binary format (encoded from the Arrow columns),
  each streamed in blocks through psycopg 3, timed from the frame to the commit, and the CSV
  ``COPY`` twice more into the table without its key, built afterwards in the same transaction
  (the rows as they come, and sorted by key first);
  the revised batch (staged by two connections at once) is followed by the revision undone
  (``force``) with the batch staged by one connection;
* reading the DuckDB database back as the tidy frame.

A few rows are inserted and ingested first, untimed (what a process pays once is not counted
per row). Each figure is printed as rows per second and as a ratio to its database's yardstick (the
fastest plain insert of that database). When the PostgreSQL server runs on this machine, the
CPU its server process spent per row on each plain ``COPY`` and key build is printed too: one
``COPY`` is served by one process, so that is the bound of a single load on one free core.

Run: ``.venv/bin/python benchmarks/ingest.py [--rows 1000000]``
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
import uuid
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from figures import record

from childplan_analysis.core.columns import OBS_COLUMNS
from childplan_analysis.io.store import MonitoringStore, pg_stage

INDICATORS = ["infant_mortality", "neonatal_mortality", "under5_mortality", "maternal_mortality",
              "preschool_gross_enrolment", "compulsory_education_retention",
              "senior_secondary_gross_enrolment", "child_injury_mortality", "caesarean_rate",
              "postpartum_visit_rate"]
SEXES = ["total", "male", "female"]
YEARS = list(range(2011, 2026))


def tidy_frame(rows: int, seed: int = 1) -> pd.DataFrame:
    """``rows`` distinct observations in the tidy columns of ``core.columns``."""
    rng = np.random.default_rng(seed)
    per_place = len(INDICATORS) * len(YEARS) * len(SEXES)
    i = np.arange(rows)
    place, rest = np.divmod(i, per_place)
    ind, rest = np.divmod(rest, len(YEARS) * len(SEXES))
    year, sex = np.divmod(rest, len(SEXES))
    county, town = np.divmod(place, 20)
    data = {
        "region": np.char.add(np.char.add("县", county.astype(str)), "区").astype(object),
        "indicator": np.array(INDICATORS, dtype=object)[ind],
        "year": np.array(YEARS, dtype="int64")[year],
        "value": np.round(1 + 90 * rng.random(rows), 2),
        "unit": "‰", "sex": np.array(SEXES, dtype=object)[sex], "area": "total", "age_group": "",
        "subregion": np.char.add("镇", town.astype(str)).astype(object),
        "source": "卫健委/教育局年报", "note": "",
    }
    return pd.DataFrame({c: data.get(c, "") for c in OBS_COLUMNS})


def revised(frame: pd.DataFrame, share: float = 0.1) -> pd.DataFrame:
    out = frame.copy()
    every = int(round(1 / share))
    out.loc[::every, "value"] = out.loc[::every, "value"] + 0.1
    return out


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def plain_duckdb(path: Path, frame: pd.DataFrame) -> float:
    """Seconds of one ``INSERT … SELECT`` of ``frame`` into a new table (open and create untimed)."""
    con = duckdb.connect(str(path))
    types = {"year": "INTEGER", "value": "DOUBLE"}
    con.execute("CREATE TABLE t (" + ", ".join(f"{c} {types.get(c, 'VARCHAR')}" for c in frame.columns) + ")")
    con.register("frame", frame)
    _, seconds = timed(lambda: con.execute("INSERT INTO t SELECT * FROM frame"))
    con.close()
    return seconds


BLOCK_ROWS = 50_000
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension
BINARY_TRAILER = b"\xff\xff"


def csv_blocks(data: pa.Table):
    """``data`` as CSV blocks, every value quoted (an empty text stays '', not NULL)."""
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    for start in range(0, data.num_rows, BLOCK_ROWS):
        block = io.BytesIO()
        pacsv.write_csv(data.slice(start, BLOCK_ROWS), block, options)
        yield block.getbuffer()


def _fixed(values: np.ndarray) -> pa.Array:
    """Each element of a structured array as one binary value of its bytes."""
    width = values.dtype.itemsize
    buffer = pa.py_buffer(np.ascontiguousarray(values).tobytes())
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(values), [None, buffer]).cast(pa.binary())


def binary_blocks(data: pa.Table):
    """``data`` in PostgreSQL's binary COPY format (text, int4 and float8 columns, no NULL),
    each row's fields joined by Arrow: field count, then each field's length and bytes."""
    yield BINARY_HEADER
    for start in range(0, data.num_rows, BLOCK_ROWS):
        block = data.slice(start, BLOCK_ROWS)
        n = block.num_rows
        parts = [_fixed(np.full(n, block.num_columns, ">i2"))]
        for column in block.columns:
            if pa.types.is_string(column.type):
                text = column.cast(pa.binary())
                parts += [_fixed(pc.binary_length(text).to_numpy().astype(">i4")), text]
                continue
            kind, size = (">i4", 4) if pa.types.is_integer(column.type) else (">f8", 8)
            field = np.empty(n, [("size", ">i4"), ("value", kind)])
            field["size"], field["value"] = size, column.to_numpy()
            parts.append(_fixed(field))
        rows = pc.binary_join_element_wise(*parts, b"").combine_chunks()
        offsets = np.frombuffer(rows.buffers()[1], np.int32)
        yield rows.buffers()[2][int(offsets[rows.offset]):int(offsets[rows.offset + n])]
    yield BINARY_TRAILER


def server_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of PostgreSQL server process ``pid``, when the server runs on
    this machine (else None)."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if not f.read().startswith("postgres"):
                return None
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def plain_postgres(url: str, frame: pd.DataFrame, fmt: str, key_after: bool = False,
                   sort: bool = False) -> tuple[float, dict[str, float]]:
    """Seconds of one ``COPY`` (``csv`` or ``binary``) of ``frame`` into a new table with the
    same columns and key, from the frame to the commit (create untimed); with ``key_after``
    into the table without its key, built afterwards in the same transaction by one process
    (no parallel workers); with ``sort`` the rows sorted by key first (by Arrow, timed). Also the
    server process's CPU seconds of each statement (empty when the server is not on this
    machine)."""
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    from childplan_analysis.core.columns import KEY_COLUMNS

    types = {"year": pa.int32(), "value": pa.float64()}
    sql_types = {"year": "INTEGER", "value": "DOUBLE PRECISION"}
    table = f"plain_{fmt}" + ("_key_after" if key_after else "") + ("_sorted" if sort else "")
    key = f"PRIMARY KEY ({', '.join(KEY_COLUMNS)})"
    with psycopg.connect(url) as con, con.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (" + ", ".join(f"{c} {sql_types.get(c, 'VARCHAR')} NOT NULL"
                                                          for c in frame.columns)
                    + ("" if key_after else f", {key}") + ")")
        con.commit()
        pid, cpu = con.info.backend_pid, {}
        before = server_cpu(pid)
        start = time.perf_counter()
        data = pa.Table.from_pandas(frame, preserve_index=False)
        data = pa.table([data[c].cast(types.get(c, pa.string())) for c in frame.columns], names=list(frame.columns))
        if sort:
            data = data.take(pc.sort_indices(data, sort_keys=[(c, "ascending") for c in KEY_COLUMNS]))
        blocks = csv_blocks(data) if fmt == "csv" else binary_blocks(data)
        sql = f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN (FORMAT {fmt})"
        with cur.copy(sql, writer=QueuedLibpqWriter(cur)) as copy:
            for block in blocks:
                copy.write(block)
        after = server_cpu(pid)
        if before is not None and after is not None:
            cpu["COPY" + (" (no key)" if key_after else " (keyed table)")] = after - before
        if key_after:
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cur.execute("SET LOCAL max_parallel_maintenance_workers = 0")
            cur.execute(f"ALTER TABLE {table} ADD {key}")
            built = server_cpu(pid)
            if after is not None and built is not None:
                cpu["primary key built after"] = built - after
        con.commit()
        return time.perf_counter() - start, cpu


def store_runs(url: str, label: str, frame: pd.DataFrame, again: pd.DataFrame) -> list[tuple]:
    """A new database, then 10 % revised; on PostgreSQL also the revision undone with the batch
    staged by one connection (next to the two connections of the run before)."""
    out = []
    changed = int((again["value"] != frame["value"]).sum())
    with MonitoringStore(url) as store:
        rep, t = timed(lambda: store.ingest_frame(frame, name="observations"))
        assert int(rep.files["inserted"].iloc[0]) == len(frame), rep.files
        out.append((f"{label}: ingest_frame, new database", len(frame), t))
        rep, t = timed(lambda: store.ingest_frame(again, name="observations (revised)"))
        assert int(rep.files["revised"].iloc[0]) == changed
        staged_by = f", {pg_stage.CONNECTIONS} staging connections" if label == "PostgreSQL" else ""
        out.append((f"{label}: ingest_frame again, 10 % revised{staged_by}", len(frame), t))
        if label == "PostgreSQL":
            connections, pg_stage.CONNECTIONS = pg_stage.CONNECTIONS, 1
            try:
                rep, t = timed(lambda: store.ingest_frame(frame, name="observations", force=True))
            finally:
                pg_stage.CONNECTIONS = connections
            assert int(rep.files["revised"].iloc[0]) == changed
            out.append((f"{label}: … revised back, 1 staging connection", len(frame), t))
    return out


def csv_run(url: str, label: str, csv: Path, rows: int) -> tuple:
    """``ingest`` of the frame written as a tidy CSV file into a new database: read, validate
    (row accounting) and ingest."""
    with MonitoringStore(url) as store:
        rep, t = timed(lambda: store.ingest([csv]))
    assert int(rep.files["inserted"].iloc[0]) == rows and rep.ok, rep.summary()
    return (f"{label}: ingest CSV file (+ read, validate)", rows, t)


def warm_up(folder: Path, rows: int = 1_000) -> None:
    """A plain insert and an ingest of a few rows, untimed: what a process pays once (loading
    DuckDB's and Arrow's kernels, the first allocations, about 0.1 s) is not counted per row."""
    small = tidy_frame(rows)
    plain_duckdb(folder / "warm_plain.duckdb", small)
    with MonitoringStore(folder / "warm.duckdb") as store:
        store.ingest_frame(small, name="warm-up")


def pg_database(admin_url: str):
    import sqlalchemy as sa

    name = f"childplan_bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()

    return f"{admin_url.rsplit('/', 1)[0]}/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    frame = tidy_frame(args.rows)
    again = revised(frame)
    results, server = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm_up(folder)
        t = plain_duckdb(folder / "plain.duckdb", frame)
        results.append(("plain duckdb INSERT … SELECT (no checks)", args.rows, t))
        db = folder / "monitoring.duckdb"
        results += store_runs(str(db), "DuckDB", frame, again)
        csv = folder / "observations.csv"
        frame.to_csv(csv, index=False)
        results.append(csv_run(str(folder / "from_csv.duckdb"), "DuckDB", csv, args.rows))
        with MonitoringStore(db, create=False) as store:
            back, t = timed(store.observations)
        assert len(back) == args.rows
        results.append(("DuckDB → tidy frame", args.rows, t))
        pg = os.environ.get("CHILDPLAN_TEST_PG_URL")
        if pg:
            url, drop = pg_database(pg)
            try:
                for fmt in ("csv", "binary"):
                    seconds, cpu = plain_postgres(url, frame, fmt)
                    results.append((f"plain PostgreSQL COPY {fmt} (no checks)", args.rows, seconds))
                    server[f"COPY {fmt} into the keyed table"] = cpu
                for sort in (False, True):
                    run = "COPY csv" + (" sorted by key" if sort else "") + ", key built after"
                    seconds, cpu = plain_postgres(url, frame, "csv", key_after=True, sort=sort)
                    results.append((f"plain PostgreSQL {run}", args.rows, seconds))
                    server[run] = cpu
                results += store_runs(url, "PostgreSQL", frame, again)
            finally:
                drop()
            url, drop = pg_database(pg)
            try:
                results.append(csv_run(url, "PostgreSQL", csv, args.rows))
            finally:
                drop()

    print(f"Ingest of {args.rows:,} tidy observations, one run each"
          + ("" if os.environ.get("CHILDPLAN_TEST_PG_URL") else " (PostgreSQL: set CHILDPLAN_TEST_PG_URL)")
          + "\n")
    print(f"{'step':<58} {'rows':>10} {'seconds':>8} {'rows/s':>11} {'vs plain':>9}")
    base, plain, figures = 1.0, False, []
    for name, n, seconds in results:
        rate = n / seconds
        if name.startswith("plain"):
            base = max(base, rate) if plain else rate  # the fastest plain insert above the rows
        plain = name.startswith("plain")
        print(f"{name:<58} {n:>10,} {seconds:>8.2f} {rate:>11,.0f} {rate / base:>8.2f}x")
        if name.endswith("ingest_frame, new database"):
            figures.append((f"{name.split(':')[0]} ingest, new database", rate, f"{rate / base:.2f}× plain insert"))
    print("(each database's rows are compared with its fastest plain insert, the rows above them;\n"
          " ingest_frame: the whole call from the frame; ingest CSV file: also reading and validating it)")
    if any(server.values()):
        print("\nPostgreSQL server process, CPU per row (what bounds one COPY: rows/s on one free core)")
        for run, steps in server.items():
            for step, seconds in steps.items():
                per_row = seconds / args.rows
                bound = f"{1 / per_row:>11,.0f}" if per_row else f"{'-':>11}"
                print(f"  {run + ': ' + step:<66} {per_row * 1e6:>6.2f} µs {bound} rows/s")
    for name, rate, anchor in figures:
        record(name, rate, " rows/s", "≥ 500,000", rate >= 500_000, anchor)


if __name__ == "__main__":
    main()
