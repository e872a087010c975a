"""Ingest speed: rows per second into the monitoring database, next to a plain DuckDB insert.

Builds a tidy observations frame (``--rows``, default 200 000: counties × townships ×
indicators × years × sex) and times, one run each:

* a plain ``duckdb`` ``INSERT … SELECT`` of the same frame into a new table of the same columns
  (no checks, no history: the yardstick);
* ``MonitoringStore.ingest_frame`` into a new DuckDB file (all keys new), then again with 10 % of
  the values revised (revision history, update, load log), each one transaction;
* the same two on PostgreSQL (COPY) when ``CHILDPLAN_TEST_PG_URL`` is set, e.g. after
  ``eval "$(scripts/start_test_postgres.sh)"``, next to their own yardstick: a plain ``COPY``
  of the same frame (Arrow-written CSV through psycopg 3) into a new table with the same
  columns and primary key;
* reading the DuckDB database back as the tidy frame.

Each figure is printed as rows per second and as a ratio to its database's yardstick.

Run: ``.venv/bin/python benchmarks/ingest.py [--rows 1000000]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from childplan_analysis.core.columns import OBS_COLUMNS
from childplan_analysis.io.store import MonitoringStore

INDICATORS = ["infant_mortality", "neonatal_mortality", "under5_mortality", "maternal_mortality",
              "preschool_gross_enrollment", "compulsory_education_retention",
              "high_school_gross_enrollment", "child_injury_mortality", "caesarean_rate",
              "postnatal_visit_rate"]
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


def plain_postgres(url: str, frame: pd.DataFrame) -> float:
    """Seconds of one ``COPY`` of ``frame`` into a new table with the same columns and key."""
    import io

    import psycopg
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from childplan_analysis.core.columns import KEY_COLUMNS

    types = {"year": "INTEGER", "value": "DOUBLE PRECISION"}
    data = pa.Table.from_pandas(frame, preserve_index=False)
    with psycopg.connect(url) as con, con.cursor() as cur:
        cur.execute("CREATE TABLE plain (" + ", ".join(f"{c} {types.get(c, 'VARCHAR')} NOT NULL" for c in frame.columns)
                    + f", PRIMARY KEY ({', '.join(KEY_COLUMNS)}))")
        con.commit()
        start = time.perf_counter()
        buf = io.BytesIO()
        pacsv.write_csv(data, buf, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
        with cur.copy(f"COPY plain ({', '.join(frame.columns)}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(buf.getbuffer())
        con.commit()
        return time.perf_counter() - start


def store_runs(url: str, label: str, frame: pd.DataFrame, again: pd.DataFrame) -> list[tuple]:
    out = []
    with MonitoringStore(url) as store:
        rep, t = timed(lambda: store.ingest_frame(frame, name="observations"))
        assert int(rep.files["inserted"].iloc[0]) == len(frame), rep.files
        out.append((f"{label}: ingest, new database", len(frame), t))
        rep, t = timed(lambda: store.ingest_frame(again, name="observations (revised)"))
        assert int(rep.files["revised"].iloc[0]) == int((again["value"] != frame["value"]).sum())
        out.append((f"{label}: ingest again, 10 % revised", len(frame), t))
    return out


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
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = plain_duckdb(folder / "plain.duckdb", frame)
        results.append(("plain duckdb INSERT … SELECT (no checks)", args.rows, t))
        db = folder / "monitoring.duckdb"
        results += store_runs(str(db), "DuckDB", frame, again)
        with MonitoringStore(db, create=False) as store:
            back, t = timed(store.observations)
        assert len(back) == args.rows
        results.append(("DuckDB → tidy frame", args.rows, t))
        pg = os.environ.get("CHILDPLAN_TEST_PG_URL")
        if pg:
            url, drop = pg_database(pg)
            try:
                results.append(("plain PostgreSQL COPY (no checks)", args.rows, plain_postgres(url, frame)))
                results += store_runs(url, "PostgreSQL", frame, again)
            finally:
                drop()

    print(f"Ingest of {args.rows:,} tidy observations, one run each"
          + ("" if os.environ.get("CHILDPLAN_TEST_PG_URL") else " (PostgreSQL: set CHILDPLAN_TEST_PG_URL)")
          + "\n")
    print(f"{'step':<46} {'rows':>10} {'seconds':>8} {'rows/s':>11} {'vs plain':>9}")
    base = 1.0
    for name, n, seconds in results:
        rate = n / seconds
        if name.startswith("plain"):
            base = rate  # the yardstick of the rows below it
        print(f"{name:<46} {n:>10,} {seconds:>8.2f} {rate:>11,.0f} {rate / base:>8.2f}x")
    print("(each database's rows are compared with its own plain insert, the row above them)")


if __name__ == "__main__":
    main()
