"""The monitoring database (监测数据库): yearly intake from departments, with audit trail.

One interface over two kinds of database:

* an embedded DuckDB file (the default: ``monitoring.duckdb``, ``duckdb:///monitoring.duckdb``);
* any SQLAlchemy URL, e.g. a PostgreSQL server (``postgresql://user@host/db``, driven by
  psycopg 3).

Tables
------
``observations``
    The current value of every (region, indicator, year, sex, area, age_group, subregion),
    with the load that brought it.
``observation_revisions``
    Values that a later load replaced, with the load that brought them (``load_id``) and the
    load that replaced them (``replaced_by``): nothing is ever overwritten without a trace.
``loads``
    The load log: file, SHA-256 of its content, rows read / loaded / rejected / skipped,
    rows inserted / revised / unchanged, time.
``load_rejections``
    Every rejected row of every load, with file, sheet, row, column and reason.

Ingest is one transaction: a failed or killed ingest leaves the database as it was.
A file whose content (hash) was ingested before is skipped, so ingesting the same files
again changes nothing.

>>> import tempfile, pathlib
>>> from childplan_analysis import config
>>> db = pathlib.Path(tempfile.mkdtemp()) / "monitoring.duckdb"
>>> with MonitoringStore(db) as store:
...     report = store.ingest([config.NATIONAL_DATA_DIR / "observations.csv"])
>>> int(report.files["inserted"].iloc[0]) > 200
True
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from childplan_analysis.core.columns import KEY_COLUMNS, OBS_COLUMNS, REJECT_COLUMNS
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.io.loaders import (
    LoadResult,
    conform,
    expand_paths,
    read_with_origin,
)

SCHEMA_VERSION = "1"
VALUE_COLUMNS = ["value", "unit", "source", "note"]
LOAD_COLUMNS = [
    "load_id", "file", "sha256", "size_bytes", "rows_read", "rows_loaded", "rows_rejected",
    "rows_skipped", "rows_inserted", "rows_revised", "rows_unchanged", "loaded_at",
]
INGEST_COLUMNS = [
    "file", "status", "load_id", "rows_read", "loaded", "rejected", "inserted", "revised",
    "unchanged", "sha256",
]

_KEY_DDL = """
    region VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
    sex VARCHAR NOT NULL, area VARCHAR NOT NULL, age_group VARCHAR NOT NULL,
    subregion VARCHAR NOT NULL"""
_VALUE_DDL = """
    value DOUBLE PRECISION NOT NULL, unit VARCHAR NOT NULL, source VARCHAR NOT NULL,
    note VARCHAR NOT NULL"""
_KEY_LIST = ", ".join(KEY_COLUMNS)
SCHEMA_DDL = [
    "CREATE TABLE IF NOT EXISTS childplan_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    f"""CREATE TABLE IF NOT EXISTS observations ({_KEY_DDL}, {_VALUE_DDL},
        load_id INTEGER NOT NULL, src_row INTEGER NOT NULL, PRIMARY KEY ({_KEY_LIST}))""",
    f"""CREATE TABLE IF NOT EXISTS observation_revisions ({_KEY_DDL}, {_VALUE_DDL},
        load_id INTEGER NOT NULL, src_row INTEGER NOT NULL, replaced_by INTEGER NOT NULL,
        PRIMARY KEY ({_KEY_LIST}, replaced_by))""",
    """CREATE TABLE IF NOT EXISTS loads (load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, rows_read INTEGER NOT NULL,
        rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL, rows_skipped INTEGER NOT NULL,
        rows_inserted INTEGER NOT NULL, rows_revised INTEGER NOT NULL,
        rows_unchanged INTEGER NOT NULL, loaded_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS load_rejections (load_id INTEGER NOT NULL, file VARCHAR NOT NULL,
        sheet VARCHAR NOT NULL, src_row INTEGER NOT NULL, src_column VARCHAR NOT NULL,
        cell VARCHAR NOT NULL, reason VARCHAR NOT NULL)""",
]
TABLES = ["childplan_meta", "loads", "observations", "observation_revisions", "load_rejections"]
STAGING = "childplan_staging"
STAGING_COLUMNS = [*KEY_COLUMNS, *VALUE_COLUMNS, "load_id", "src_row"]
_JOIN = " AND ".join(f"o.{c} = s.{c}" for c in KEY_COLUMNS)
_JOIN_TARGET = " AND ".join(f"observations.{c} = s.{c}" for c in KEY_COLUMNS)


@dataclass
class IngestReport:
    """What an ingest did: one row per file (``files``), and the rows rejected."""

    files: pd.DataFrame
    rejected: pd.DataFrame
    result: LoadResult | None = None

    @property
    def ok(self) -> bool:
        return self.rejected.empty

    def summary(self) -> str:
        f = self.files
        new = f[f["status"] == "ingested"]
        return (
            f"{len(f)} file(s): {len(new)} ingested, {int((f['status'] == 'skipped').sum())} skipped "
            f"(already in the database); rows: {int(new['loaded'].sum())} loaded "
            f"({int(new['inserted'].sum())} new, {int(new['revised'].sum())} revised, "
            f"{int(new['unchanged'].sum())} unchanged), {int(new['rejected'].sum())} rejected"
        )


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's content."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MonitoringStore:
    """The monitoring database at ``url`` (a DuckDB path or URL, or any SQLAlchemy URL).

    ``create=False`` opens an existing database only (and read-only for DuckDB).
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, url: str | Path, *, create: bool = True):
        self.url = str(url)
        self._db = _connect(self.url, create=create)
        if create:
            self._db.begin()
            try:
                for ddl in SCHEMA_DDL:
                    self._db.execute(ddl)
                self._set_schema_version()
                self._db.commit()
            except BaseException:
                self._db.rollback()
                raise
        elif not self._db.has_table("observations"):
            self.close()
            raise DataError(f"{_redact(self.url)}: not a monitoring database (no observations table); "
                            "create it with `childplan db ingest FILES --db …`")

    # -------------------------------------------------------------- context manager

    def __enter__(self) -> MonitoringStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -------------------------------------------------------------- ingest

    def ingest(
        self,
        paths: str | Path | Sequence[str | Path],
        *,
        region: str | None = None,
        indicators: IndicatorDictionary | None = None,
        strict: bool = False,
        force: bool = False,
    ) -> IngestReport:
        """Load files into the database in one transaction.

        Files whose content was ingested before are skipped (``force=True`` reads them
        again). New keys are inserted; a changed value replaces the current one, which moves
        to ``observation_revisions``; equal values are left alone. Rejected rows are logged in
        ``load_rejections``; ``strict=True`` refuses the whole batch if any row is rejected.
        """
        files = expand_paths(list(paths) if isinstance(paths, list | tuple) else paths)
        hashes = {str(f): file_sha256(f) for f in files}
        seen = self._known_hashes()
        todo, skipped_rows, batch = [], [], set()
        for f in files:
            digest = hashes[str(f)]
            if (digest in seen and not force) or digest in batch:
                skipped_rows.append(_skipped_row(str(f), digest, seen.get(digest)))
                continue
            batch.add(digest)
            todo.append(f)
        if not todo:
            return IngestReport(pd.DataFrame(skipped_rows, columns=INGEST_COLUMNS), _no_rejects())
        obs, result = read_with_origin(todo, region=region, indicators=indicators)
        if strict and not result.ok:
            from childplan_analysis.io.loaders import format_rejections

            raise DataError("nothing ingested (--strict): " + format_rejections(result.rejected, 20),
                            rejected=result.rejected)
        ingested = self._write(todo, hashes, obs, result)
        table = pd.concat([ingested, pd.DataFrame(skipped_rows, columns=INGEST_COLUMNS)],
                          ignore_index=True)
        order = {str(f): i for i, f in enumerate(files)}
        table = table.sort_values("file", key=lambda s: s.map(order), kind="stable")
        return IngestReport(table.reset_index(drop=True), result.rejected, result)

    def _write(self, files: list[Path], hashes: dict[str, str], obs: pd.DataFrame,
               result: LoadResult) -> pd.DataFrame:
        db = self._db
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        db.begin()
        try:
            db.lock()
            first = int(db.scalar("SELECT COALESCE(MAX(load_id), 0) FROM loads")) + 1
            load_ids = {str(f): first + i for i, f in enumerate(files)}
            staging = obs.assign(load_id=obs["_file"].map(load_ids).astype("int64"),
                                 src_row=obs["_row"].astype("int64"))[STAGING_COLUMNS]
            db.execute(f"DROP TABLE IF EXISTS {STAGING}")
            db.execute(f"CREATE TEMPORARY TABLE {STAGING} ({_KEY_DDL}, {_VALUE_DDL}, "
                       "load_id INTEGER NOT NULL, src_row INTEGER NOT NULL)")
            db.insert_frame(STAGING, staging)
            counts = db.frame(
                f"""SELECT s.load_id,
                        SUM(CASE WHEN o.region IS NULL THEN 1 ELSE 0 END) AS inserted,
                        SUM(CASE WHEN o.region IS NOT NULL AND o.value <> s.value THEN 1 ELSE 0 END)
                            AS revised,
                        SUM(CASE WHEN o.region IS NOT NULL AND o.value = s.value THEN 1 ELSE 0 END)
                            AS unchanged
                    FROM {STAGING} s LEFT JOIN observations o ON {_JOIN} GROUP BY s.load_id"""
            ).set_index("load_id")
            db.execute(
                f"""INSERT INTO observation_revisions ({_KEY_LIST}, value, unit, source, note,
                        load_id, src_row, replaced_by)
                    SELECT {', '.join('o.' + c for c in KEY_COLUMNS)}, o.value, o.unit, o.source,
                        o.note, o.load_id, o.src_row, s.load_id
                    FROM observations o JOIN {STAGING} s ON {_JOIN} WHERE o.value <> s.value"""
            )
            db.execute(
                f"""UPDATE observations SET value = s.value, unit = s.unit, source = s.source,
                        note = s.note, load_id = s.load_id, src_row = s.src_row
                    FROM {STAGING} s WHERE {_JOIN_TARGET} AND observations.value <> s.value"""
            )
            db.execute(
                f"""INSERT INTO observations ({', '.join(STAGING_COLUMNS)})
                    SELECT {', '.join('s.' + c for c in STAGING_COLUMNS)} FROM {STAGING} s
                    WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE {_JOIN})"""
            )
            db.execute(f"DROP TABLE {STAGING}")
            log = _load_log(files, hashes, load_ids, result, counts, now)
            db.insert_frame("loads", log[LOAD_COLUMNS])
            rejections = _rejection_rows(result.rejected, load_ids)
            if len(rejections):
                db.insert_frame("load_rejections", rejections)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return log.rename(columns={"rows_read": "rows_read", "rows_loaded": "loaded",
                                   "rows_rejected": "rejected", "rows_inserted": "inserted",
                                   "rows_revised": "revised", "rows_unchanged": "unchanged"}
                          ).assign(status="ingested")[INGEST_COLUMNS]

    def _known_hashes(self) -> dict[str, int]:
        rows = self._db.frame("SELECT sha256, MIN(load_id) AS load_id FROM loads GROUP BY sha256")
        return dict(zip(rows["sha256"], rows["load_id"].astype(int), strict=True))

    def _set_schema_version(self) -> None:
        found = self._db.frame("SELECT value FROM childplan_meta WHERE key = 'schema_version'")
        if found.empty:
            self._db.execute("INSERT INTO childplan_meta (key, value) VALUES ('schema_version', :v)",
                             {"v": SCHEMA_VERSION})
        elif str(found["value"].iloc[0]) != SCHEMA_VERSION:
            raise DataError(f"{_redact(self.url)}: database schema version {found['value'].iloc[0]}, "
                            f"this package reads version {SCHEMA_VERSION}")

    # -------------------------------------------------------------- reading

    def observations(
        self,
        *,
        regions: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        as_of_load: int | None = None,
    ) -> pd.DataFrame:
        """The tidy observations frame (as :func:`load_observations` returns from files).

        ``as_of_load`` gives the database as it was right after that load (values revised
        later are taken from the revision history).
        """
        where, params = _filters(regions, indicators)
        cols = ", ".join(OBS_COLUMNS)
        if as_of_load is None:
            sql = f"SELECT {cols} FROM observations{where}"
        else:
            params["as_of"] = int(as_of_load)
            extra = " AND " if where else " WHERE "
            sql = (f"SELECT {cols} FROM observations{where}{extra}load_id <= :as_of UNION ALL "
                   f"SELECT {cols} FROM observation_revisions{where}{extra}"
                   "load_id <= :as_of AND replaced_by > :as_of")
        return conform(self._db.frame(sql, params))

    def history(
        self,
        *,
        regions: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
    ) -> pd.DataFrame:
        """Every value each key has had: current and replaced, with file and load time."""
        where, params = _filters(regions, indicators, years, prefix="v.")
        cols = ", ".join(f"v.{c}" for c in OBS_COLUMNS)
        sql = f"""
            SELECT {cols}, v.load_id, l.file, l.loaded_at, v.replaced_by, r.loaded_at AS replaced_at
            FROM (SELECT {', '.join(OBS_COLUMNS)}, load_id, NULL AS replaced_by FROM observations
                  UNION ALL
                  SELECT {', '.join(OBS_COLUMNS)}, load_id, replaced_by FROM observation_revisions) v
            JOIN loads l ON l.load_id = v.load_id
            LEFT JOIN loads r ON r.load_id = v.replaced_by{where}"""
        frame = self._db.frame(sql, params)
        if frame.empty:
            return frame
        frame["replaced_by"] = frame["replaced_by"].astype("Int64")
        return frame.sort_values([*KEY_COLUMNS, "load_id"], kind="stable").reset_index(drop=True)

    def revisions(self, **filters) -> pd.DataFrame:
        """Keys whose value changed at least once, with every value they had (see :meth:`history`)."""
        hist = self.history(**filters)
        if hist.empty:
            return hist
        changed = hist.groupby(KEY_COLUMNS, sort=False)["load_id"].transform("size") > 1
        return hist[changed].reset_index(drop=True)

    def loads(self) -> pd.DataFrame:
        """The load log, oldest first."""
        return self._db.frame(f"SELECT {', '.join(LOAD_COLUMNS)} FROM loads ORDER BY load_id")

    def rejections(self, load_id: int | None = None) -> pd.DataFrame:
        """Rows rejected by a load (all loads when None)."""
        where = "" if load_id is None else " WHERE load_id = :load_id"
        params = {} if load_id is None else {"load_id": int(load_id)}
        return self._db.frame(
            "SELECT load_id, file, sheet, src_row AS row, src_column AS \"column\", cell AS value, reason "
            f"FROM load_rejections{where} ORDER BY load_id, file, sheet, src_row", params)

    def snapshot(self) -> dict[str, pd.DataFrame]:
        """The content of every table, in a canonical order (for comparisons and backups)."""
        out = {}
        for table in TABLES:
            frame = self._db.frame(f"SELECT * FROM {table}")
            out[table] = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)
        return out

    def summary(self) -> pd.DataFrame:
        """Rows, indicators, years and last load per region."""
        return self._db.frame(
            """SELECT o.region, COUNT(*) AS observations, COUNT(DISTINCT o.indicator) AS indicators,
                   MIN(o.year) AS first_year, MAX(o.year) AS last_year, MAX(l.loaded_at) AS last_load
               FROM observations o JOIN loads l ON l.load_id = o.load_id
               GROUP BY o.region ORDER BY o.region"""
        )


# ------------------------------------------------------------------ helpers


def _filters(regions, indicators, years=None, prefix: str = "") -> tuple[str, dict]:
    clauses, params = [], {}
    for name, values in (("region", regions), ("indicator", indicators), ("year", years)):
        if values is None:
            continue
        values = [values] if isinstance(values, str | int) else list(values)
        if not values:
            clauses.append("1 = 0")
            continue
        keys = [f"{name}_{i}" for i in range(len(values))]
        params.update({k: (int(v) if name == "year" else str(v)) for k, v in zip(keys, values, strict=True)})
        clauses.append(f"{prefix}{name} IN ({', '.join(':' + k for k in keys)})")
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _skipped_row(file: str, digest: str, load_id: int | None) -> dict:
    return {"file": file, "status": "skipped", "load_id": load_id, "rows_read": 0, "loaded": 0,
            "rejected": 0, "inserted": 0, "revised": 0, "unchanged": 0, "sha256": digest}


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS})


def _load_log(files, hashes, load_ids, result: LoadResult, counts: pd.DataFrame, now) -> pd.DataFrame:
    per_file = result.files.set_index("file")
    rows = []
    for f in files:
        name, lid = str(f), load_ids[str(f)]
        stats = per_file.loc[name]
        c = counts.loc[lid] if lid in counts.index else None
        rows.append({
            "load_id": lid, "file": name, "sha256": hashes[name], "size_bytes": Path(f).stat().st_size,
            "rows_read": int(stats["rows_read"]), "rows_loaded": int(stats["loaded"]),
            "rows_rejected": int(stats["rejected"]), "rows_skipped": int(stats["skipped"]),
            "rows_inserted": int(c["inserted"]) if c is not None else 0,
            "rows_revised": int(c["revised"]) if c is not None else 0,
            "rows_unchanged": int(c["unchanged"]) if c is not None else 0,
            "loaded_at": now,
        })
    return pd.DataFrame(rows)


def _rejection_rows(rejected: pd.DataFrame, load_ids: dict[str, int]) -> pd.DataFrame:
    if rejected.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "load_id": rejected["file"].map(load_ids).astype("int64"),
        "file": rejected["file"].astype(str),
        "sheet": rejected["sheet"].astype(str),
        "src_row": rejected["row"].astype("int64"),
        "src_column": rejected["column"].astype(str),
        "cell": rejected["value"].astype(str),
        "reason": rejected["reason"].astype(str),
    })


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


# ------------------------------------------------------------------ database back-ends


def _connect(url: str, *, create: bool):
    text = str(url)
    if text.startswith("duckdb://") or "://" not in text:
        return _DuckDB(_duckdb_path(text), create=create)
    return _SQLAlchemy(text)


def _duckdb_path(url: str) -> str:
    if url.startswith("duckdb:///"):
        rest = url[len("duckdb:///"):]
        return rest or ":memory:"
    if url.startswith("duckdb://"):
        return url[len("duckdb://"):] or ":memory:"
    return url


class _DuckDB:
    """DuckDB through its own Python API (bulk loads straight from pandas)."""

    def __init__(self, path: str, *, create: bool):
        import duckdb

        if not create and path != ":memory:" and not Path(path).exists():
            raise DataError(f"{path}: no such monitoring database")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(path, read_only=not create and path != ":memory:")
        except duckdb.Error as exc:
            raise DataError(f"{path}: cannot open the monitoring database: {exc}") from None

    def begin(self) -> None:
        self.con.begin()

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        try:
            self.con.rollback()
        except Exception:  # no transaction open (it failed before starting)
            pass

    def lock(self) -> None:
        """DuckDB allows one writing process per file; nothing more to lock."""

    def execute(self, sql: str, params: dict | None = None) -> None:
        self.con.execute(_dollar(sql), params or {})

    def scalar(self, sql: str):
        return self.con.execute(sql).fetchone()[0]

    def frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return self.con.execute(_dollar(sql), params or {}).df()

    def insert_frame(self, table: str, frame: pd.DataFrame) -> None:
        self.con.register("_childplan_frame", frame)
        try:
            cols = ", ".join(frame.columns)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _childplan_frame")
        finally:
            self.con.unregister("_childplan_frame")

    def has_table(self, name: str) -> bool:
        found = self.con.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
        return bool(found[0])

    def close(self) -> None:
        self.con.close()


def _dollar(sql: str) -> str:
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"$\1", sql)


class _SQLAlchemy:
    """Any SQLAlchemy database; PostgreSQL bulk loads go through COPY (psycopg 3)."""

    def __init__(self, url: str):
        import sqlalchemy as sa

        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        try:
            self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            self.conn = self.engine.connect()
        except Exception as exc:
            raise DataError(f"{_redact(url)}: cannot connect: {type(exc).__name__}: "
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

    def insert_frame(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        if self.dialect == "postgresql":
            self._copy(table, frame)
            return
        from sqlalchemy import text

        cols = list(frame.columns)
        sql = text(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})")
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        for start in range(0, len(records), 50_000):
            self.conn.execute(sql, records[start : start + 50_000])

    def _copy(self, table: str, frame: pd.DataFrame, chunk: int = 200_000) -> None:
        raw = self.conn.connection.driver_connection
        cols = ", ".join(frame.columns)
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as copy:
            for start in range(0, len(frame), chunk):
                part = frame.iloc[start : start + chunk]
                copy.write(part.to_csv(index=False, header=False, quoting=csv.QUOTE_NONNUMERIC,
                                       lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S"))

    def has_table(self, name: str) -> bool:
        import sqlalchemy as sa

        found = sa.inspect(self.conn).has_table(name)
        if self.conn.in_transaction():
            self.conn.commit()
        return found

    def close(self) -> None:
        try:
            self.rollback()
            self.conn.close()
        finally:
            self.engine.dispose()


__all__ = ["IngestReport", "MonitoringStore", "file_sha256"]
