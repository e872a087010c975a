"""The monitoring database (监测数据库): yearly intake from departments, with audit trail.

One interface (:class:`~childplan_analysis.io.store.backend.Backend`) over two kinds of database:

* an embedded DuckDB file (the default: ``monitoring.duckdb``, ``duckdb:///monitoring.duckdb``),
  :mod:`~childplan_analysis.io.store.duckdb_backend`;
* any SQLAlchemy URL, e.g. a PostgreSQL server (``postgresql://user@host/db``, driven by
  psycopg 3), :mod:`~childplan_analysis.io.store.sql_backend`.

Rows reach the database in bulk as Arrow tables (DuckDB scans them in place; PostgreSQL gets
them through COPY), into a staging table, and one set of SQL statements compares, revises and
inserts them: :mod:`~childplan_analysis.io.store.duckdb_ingest` and
:mod:`~childplan_analysis.io.store.pg_ingest` (the first load into an empty store, and the
upsert into stored rows, with the key columns compared once per ingest). Tables are described
in :mod:`~childplan_analysis.io.store.schema`.

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
again changes nothing. Writers are serialised: a second process waits for a DuckDB file
(up to ``timeout``) and a PostgreSQL table lock; hashes are checked again once the lock is
held, so two processes ingesting the same file load it once.

>>> import tempfile, pathlib
>>> from childplan_analysis.core import config
>>> db = pathlib.Path(tempfile.mkdtemp()) / "monitoring.duckdb"
>>> with MonitoringStore(db) as store:
...     report = store.ingest([config.NATIONAL_DATA_DIR / "observations.csv"])
>>> int(report.files["inserted"].iloc[0]) > 200
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from childplan_analysis.core.columns import (
    KEY_COLUMNS,
    OBS_COLUMNS,
    OPTIONAL_COLUMNS,
    REJECT_COLUMNS,
)
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.io.loaders import LoadResult, conform, expand_paths, read_with_origin
from childplan_analysis.io.store import duckdb_ingest, pg_ingest
from childplan_analysis.io.store.backend import Backend, connect
from childplan_analysis.io.store.counting import staged_per_load
from childplan_analysis.io.store.duckdb_backend import DuckDBBackend
from childplan_analysis.io.store.matching import CHANGED, COMPARED, JOIN
from childplan_analysis.io.store.schema import (
    LOAD_COLUMNS,
    OPTIONAL_TEXT,
    SCHEMA_VERSION,
    STAGING,
    STAGING_COLUMNS,
    STAGING_DDL,
    STORED_COLUMNS,
    TABLES,
    VALUE_COLUMNS,
    add_column_ddl,
    column_type,
    rebuild_without_index_ddl,
    tables_ddl,
)
from childplan_analysis.io.store.sql_backend import SQLAlchemyBackend

INGEST_COLUMNS = [
    "file", "status", "load_id", "rows_read", "loaded", "rejected", "inserted", "revised",
    "unchanged", "sha256",
]
_JOIN_TARGET = " AND ".join(f"observations.{c} = s.{c}" for c in KEY_COLUMNS)
_CHANGED_TARGET = " OR ".join(f"observations.{c} <> s.{c}" for c in COMPARED)
_ARROW_TYPES = {"INTEGER": pa.int32(), "DOUBLE PRECISION": pa.float64(), "VARCHAR": pa.string()}
STAGING_SCHEMA = pa.schema([(c, _ARROW_TYPES[column_type(c)]) for c in STAGING_COLUMNS[:-2]]
                           + [("load_id", pa.int32()), ("src_row", pa.int32())])

#: PostgreSQL: batches of at least this many rows, and a tenth of the stored rows or more, are
#: matched to the stored rows by a hash join.
HASH_JOIN_ROWS = 20_000
#: ``work_mem`` of the PostgreSQL ingest transaction: this many bytes per stored or staged row
#: (the larger), within the bounds, so that the hash table of the join fits in memory (a hash
#: of 500,000 stored rows takes 75 MB; past ``work_mem`` it is written to disk in batches).
PG_WORK_MEM_PER_ROW = 256
PG_WORK_MEM_MB = (64, 1024)

# the names the store's fault-injection tests patch
_DuckDB = DuckDBBackend
_SQLAlchemy = SQLAlchemyBackend


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


@dataclass
class _Batch:
    """Sources of one ingest: names, content hashes, sizes, row accounting and the rows."""

    names: list[str]
    hashes: dict[str, str]
    sizes: dict[str, int]
    counts: pd.DataFrame  # per source: rows_read, loaded, rejected, skipped (index: name)
    rows: pa.Table  # STAGING_SCHEMA less load_id, plus _source (name)
    rejected: pd.DataFrame


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
    ``timeout``: seconds to wait for a DuckDB file another process is writing (default
    ``config.STORE_LOCK_TIMEOUT_S``); after that a :class:`DataError` names the file.
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, url: str | Path, *, create: bool = True, timeout: float | None = None):
        self.url = str(url)
        self._db: Backend = connect(self.url, create=create, timeout=timeout)
        try:
            if create:
                self._create_or_migrate()
            elif not self._db.has_table("observations"):
                raise DataError(f"{self._db.where}: not a monitoring database (no observations "
                                "table); create it with `childplan db ingest FILES --db …`")
            present = set(self._db.columns("observations"))
            self._stored = [c for c in STORED_COLUMNS if c in present]
        except BaseException:
            self.close()
            raise

    # -------------------------------------------------------------- context manager

    def __enter__(self) -> MonitoringStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -------------------------------------------------------------- schema

    def _create_or_migrate(self) -> None:
        db = self._db
        db.begin()
        try:
            for ddl in tables_ddl(db.dialect):
                db.execute(ddl)
            found = db.frame("SELECT value FROM childplan_meta WHERE key = 'schema_version'")
            if found.empty:
                db.execute("INSERT INTO childplan_meta (key, value) VALUES ('schema_version', :v)",
                           {"v": SCHEMA_VERSION})
            elif str(found["value"].iloc[0]) != SCHEMA_VERSION:
                self._migrate(str(found["value"].iloc[0]))
            if db.dialect == "postgresql":
                pg_ingest.leave_room_for_revisions(db)
            db.commit()
        except BaseException:
            db.rollback()
            raise

    def _migrate(self, version: str) -> None:
        """Bring a database of an older schema version to this one, in the open transaction."""
        db = self._db
        if not version.isdigit() or int(version) > int(SCHEMA_VERSION):
            raise DataError(f"{db.where}: database schema version {version}, this package reads "
                            f"version {SCHEMA_VERSION} (a newer package wrote it)")
        for table in ("observations", "observation_revisions"):
            present = db.columns(table)
            if db.dialect == "duckdb" and db.has_primary_key(table):
                for ddl in rebuild_without_index_ddl(table, present):
                    db.execute(ddl)
                continue
            for column in VALUE_COLUMNS:
                if column not in present:
                    db.execute(add_column_ddl(table, column, db.dialect))
        db.execute("UPDATE childplan_meta SET value = :v WHERE key = 'schema_version'",
                   {"v": SCHEMA_VERSION})

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
        todo, skipped = self._new_sources([str(f) for f in files], hashes, force)
        result = None
        if todo:
            obs, result = read_with_origin([Path(f) for f in todo], region=region, indicators=indicators)
            if strict and not result.ok:
                from childplan_analysis.io.loaders import format_rejections

                raise DataError("nothing ingested (--strict): " + format_rejections(result.rejected, 20),
                                rejected=result.rejected)
            rows = _staging_rows(obs.rename(columns={"_file": "_source"}), "_row")
            batch = _Batch(todo, hashes, {f: Path(f).stat().st_size for f in todo},
                           result.files.set_index("file"), rows, result.rejected)
            ingested, late = self._write(batch, force)
            skipped += late
        else:
            ingested = pd.DataFrame(columns=INGEST_COLUMNS)
        table = pd.concat([ingested, pd.DataFrame(skipped, columns=INGEST_COLUMNS)], ignore_index=True)
        order = {str(f): i for i, f in enumerate(files)}
        table = table.sort_values("file", key=lambda s: s.map(order), kind="stable")
        rejected = _no_rejects() if result is None else result.rejected
        late_files = {r["file"] for r in skipped}
        if len(rejected) and late_files:
            rejected = rejected[~rejected["file"].astype(str).isin(late_files)].reset_index(drop=True)
        return IngestReport(table.reset_index(drop=True), rejected, result)

    def ingest_frame(
        self, frame: pd.DataFrame | pa.Table, *, name: str = "<frame>", force: bool = False
    ) -> IngestReport:
        """Load an observations frame (the tidy columns of ``core.columns``; ``censor``
        optional) as one load named ``name``, with the same upsert, revision history and load
        log as :meth:`ingest`. The same rows (in the same order) ingested again are skipped.

        Raises :class:`DataError` naming the column for a missing column, a missing value or
        a wrong type, and naming a key given twice.
        """
        table = _frame_table(frame, name)
        digest = _content_sha256(table)
        todo, skipped = self._new_sources([name], {name: digest}, force)
        ingested = pd.DataFrame(columns=INGEST_COLUMNS)
        if todo:
            n = table.num_rows
            rows = table.append_column("src_row", pa.array(np.arange(1, n + 1, dtype=np.int32))) \
                        .append_column("_source", pa.array([name], pa.string()).take(np.zeros(n, np.int32)))
            counts = pd.DataFrame({"rows_read": [n], "loaded": [n], "rejected": [0], "skipped": [0]},
                                  index=pd.Index([name], name="file"))
            batch = _Batch([name], {name: digest}, {name: int(table.nbytes)}, counts, rows, _no_rejects())
            ingested, late = self._write(batch, force)
            skipped += late
        files = pd.concat([ingested, pd.DataFrame(skipped, columns=INGEST_COLUMNS)], ignore_index=True)
        return IngestReport(files, _no_rejects())

    def _new_sources(self, names: list[str], hashes: dict[str, str], force: bool
                     ) -> tuple[list[str], list[dict]]:
        """Sources to read (content not in the database, or ``force``) and rows for the skipped."""
        seen = self._known_hashes()
        todo, skipped, batch = [], [], set()
        for name in names:
            digest = hashes[name]
            if (digest in seen and not force) or digest in batch:
                skipped.append(_skipped_row(name, digest, seen.get(digest)))
                continue
            batch.add(digest)
            todo.append(name)
        return todo, skipped

    def _write(self, batch: _Batch, force: bool) -> tuple[pd.DataFrame, list[dict]]:
        """Write a batch in one transaction; sources another writer loaded meanwhile are skipped."""
        db = self._db
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        db.begin()
        try:
            db.lock()
            seen = {} if force else self._known_hashes()
            late = [n for n in batch.names if batch.hashes[n] in seen]
            names = [n for n in batch.names if n not in late]
            rows = batch.rows
            if late:
                rows = rows.filter(pc.invert(pc.is_in(rows["_source"], pa.array(late, pa.string()))))
            first = int(db.scalar("SELECT COALESCE(MAX(load_id), 0) FROM loads")) + 1
            load_ids = {n: first + i for i, n in enumerate(names)}
            ids = pa.array([load_ids[n] for n in names], pa.int32())
            position = pc.index_in(rows["_source"], pa.array(names, pa.string()))
            staging = rows.append_column("load_id", pc.take(ids, position)).select(STAGING_COLUMNS)
            empty = self._empty()
            if db.dialect == "postgresql" and empty:
                counts = pg_ingest.load_empty(db, staging)
            else:
                db.stage(STAGING, STAGING_DDL, staging)
                try:
                    counts = self._upsert(staging, empty)
                finally:
                    db.unstage(STAGING)  # after a failed statement: left to the rollback
            log = _load_log(names, batch, load_ids, counts, now)
            db.insert_frame("loads", log[LOAD_COLUMNS])
            rejected = batch.rejected
            if len(rejected) and late:
                rejected = rejected[~rejected["file"].astype(str).isin(late)]
            rejections = _rejection_rows(rejected, load_ids)
            if len(rejections):
                db.insert_frame("load_rejections", rejections)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        table = log.rename(columns={"rows_loaded": "loaded", "rows_rejected": "rejected",
                                    "rows_inserted": "inserted", "rows_revised": "revised",
                                    "rows_unchanged": "unchanged"}).assign(status="ingested")
        skipped = [_skipped_row(n, batch.hashes[n], seen[batch.hashes[n]]) for n in late]
        return table.reindex(columns=INGEST_COLUMNS), skipped

    def _empty(self) -> bool:
        """True when no observation is stored yet (checked under the write lock)."""
        return not bool(self._db.scalar("SELECT EXISTS (SELECT 1 FROM observations)"))

    def _upsert(self, staging: pa.Table, empty: bool) -> pd.DataFrame:
        """Staging rows into the observations: count, keep replaced values, revise, insert."""
        if self._db.dialect == "postgresql":
            return self._upsert_postgres(staging)
        if self._db.dialect == "duckdb":
            return (duckdb_ingest.load_empty if empty else duckdb_ingest.upsert)(self._db, staging)
        db = self._db
        counts = db.frame(
            f"""SELECT s.load_id,
                    SUM(CASE WHEN o.region IS NULL THEN 1 ELSE 0 END) AS inserted,
                    SUM(CASE WHEN o.region IS NOT NULL AND ({CHANGED}) THEN 1 ELSE 0 END) AS revised,
                    SUM(CASE WHEN o.region IS NOT NULL AND NOT ({CHANGED}) THEN 1 ELSE 0 END)
                        AS unchanged
                FROM {STAGING} s LEFT JOIN observations o ON {JOIN} GROUP BY s.load_id"""
        ).set_index("load_id")
        if int(counts["revised"].sum()):
            kept = ", ".join([*KEY_COLUMNS, *VALUE_COLUMNS, "load_id", "src_row"])
            db.execute(
                f"""INSERT INTO observation_revisions ({kept}, replaced_by)
                    SELECT {', '.join('o.' + c for c in kept.split(', '))}, s.load_id
                    FROM observations o JOIN {STAGING} s ON {JOIN} WHERE {CHANGED}""")
            sets = ", ".join(f"{c} = s.{c}" for c in [*VALUE_COLUMNS, "load_id", "src_row"])
            db.execute(f"""UPDATE observations SET {sets}
                           FROM {STAGING} s WHERE {_JOIN_TARGET} AND ({_CHANGED_TARGET})""")
        cols = ", ".join(STAGING_COLUMNS)
        if int(counts["inserted"].sum()) == int(counts.sum(axis=1).sum()):
            db.execute(f"INSERT INTO observations ({cols}) SELECT {cols} FROM {STAGING}")
        elif int(counts["inserted"].sum()):
            db.execute(
                f"""INSERT INTO observations ({cols})
                    SELECT {', '.join('s.' + c for c in STAGING_COLUMNS)} FROM {STAGING} s
                    WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE {JOIN})""")
        return counts

    def _upsert_postgres(self, staging: pa.Table) -> pd.DataFrame:
        """:func:`pg_ingest.upsert`; a large batch is matched to the stored rows by a hash join
        (the planner's estimate favours one index look-up per staging row, several times slower
        once the batch is a good part of the table)."""
        stored = float(self._db.scalar(
            "SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = 'observations'::regclass"))
        rows = staging.num_rows
        low, high = PG_WORK_MEM_MB
        work_mem = min(max(int(max(rows, stored) * PG_WORK_MEM_PER_ROW) >> 20, low), high)
        return pg_ingest.upsert(self._db, staged_per_load(staging),
                                hash_join=rows >= HASH_JOIN_ROWS and rows * 10 >= stored,
                                work_mem=f"{work_mem}MB")

    def _known_hashes(self) -> dict[str, int]:
        rows = self._db.frame("SELECT sha256, MIN(load_id) AS load_id FROM loads GROUP BY sha256")
        return dict(zip(rows["sha256"], rows["load_id"].astype(int), strict=True))

    # -------------------------------------------------------------- reading

    def _select(self, prefix: str = "") -> str:
        """The stored observation columns, a missing optional one as its default."""
        return ", ".join(
            f"{prefix}{c}" if c in self._stored else f"'{OPTIONAL_TEXT[c]}' AS {c}"
            for c in STORED_COLUMNS)

    def observations(
        self,
        *,
        regions: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        as_of_load: int | None = None,
    ) -> pd.DataFrame:
        """The tidy observations frame (as :func:`load_observations` returns from files).

        ``as_of_load`` gives the database as it was right after that load (values revised
        later are taken from the revision history). An optional column (``publication``) is
        included when some returned row fills it.
        """
        where, params = _filters(regions, indicators)
        cols = self._select()
        if as_of_load is None:
            sql = f"SELECT {cols} FROM observations{where}"
        else:
            params["as_of"] = int(as_of_load)
            extra = " AND " if where else " WHERE "
            sql = (f"SELECT {cols} FROM observations{where}{extra}load_id <= :as_of UNION ALL "
                   f"SELECT {cols} FROM observation_revisions{where}{extra}"
                   "load_id <= :as_of AND replaced_by > :as_of")
        raw = self._db.frame(sql, params)
        # conform keeps censor and the optional columns; an optional column no stored row fills
        # is left out, as files without it leave it out
        unfilled = [c for c in OPTIONAL_COLUMNS if c in raw and not (raw[c].astype(str) != OPTIONAL_TEXT[c]).any()]
        return conform(raw.drop(columns=unfilled))

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
            FROM (SELECT {self._select()}, load_id, NULL AS replaced_by FROM observations
                  UNION ALL
                  SELECT {self._select()}, load_id, replaced_by FROM observation_revisions) v
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


def _staging_rows(obs: pd.DataFrame, row_column: str) -> pa.Table:
    """Loaded rows (with ``_source`` and their source row) as an Arrow table for staging; a
    categorical column is taken from its categories by Arrow."""
    schema = pa.schema([*STAGING_SCHEMA.remove(STAGING_SCHEMA.get_field_index("load_id")),
                        ("_source", pa.string())])
    columns = []
    for field in schema:
        name = row_column if field.name == "src_row" else field.name
        if name in obs:
            columns.append(_arrow_column(obs[name], field.type))
        else:
            columns.append(_constant(OPTIONAL_TEXT[name], field.type, len(obs)))
    return pa.Table.from_arrays(columns, schema=schema)


def _constant(value, kind: pa.DataType, rows: int) -> pa.Array:
    """``rows`` times ``value`` (no Python object per row)."""
    return pa.repeat(pa.scalar(value, kind), rows)


def _arrow_column(column: pd.Series, kind: pa.DataType) -> pa.Array:
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = pa.array([str(c) for c in column.cat.categories], kind)
        return labels.take(pa.array(column.cat.codes.to_numpy()))
    if pa.types.is_string(kind):
        return pa.array(column.astype("str"), pa.large_string()).cast(kind)
    return pa.array(column.to_numpy()).cast(kind)


def _frame_table(frame: pd.DataFrame | pa.Table, name: str) -> pa.Table:
    """An observations frame checked and typed as the staging columns (less load and row)."""
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    required = [c for c in STORED_COLUMNS if c not in OPTIONAL_TEXT]
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise DataError(f"{name}: missing column(s) {', '.join(missing)}; columns seen: "
                        f"{', '.join(table.column_names)}; expected: {', '.join(STORED_COLUMNS)}")
    columns = []
    for field in STAGING_SCHEMA:
        if field.name in ("load_id", "src_row"):
            continue
        if field.name not in table.column_names:
            columns.append(_constant(OPTIONAL_TEXT[field.name], field.type, table.num_rows))
            continue
        column = table[field.name]
        nulls = column.null_count + (int(pc.sum(pc.is_nan(column)).as_py() or 0)
                                     if pa.types.is_floating(column.type) else 0)
        if nulls:
            raise DataError(f"{name}: column {field.name}: {nulls} missing value(s)")
        try:
            columns.append(column.cast(field.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise DataError(f"{name}: column {field.name}: not {column_type(field.name).lower()} "
                            f"({str(exc).splitlines()[0]})") from None
    out = pa.table(columns, names=[f.name for f in STAGING_SCHEMA if f.name not in ("load_id", "src_row")])
    twice = _first_duplicate(out)
    if twice is not None:
        key = ", ".join(f"{c}={twice[c]!r}" for c in KEY_COLUMNS)
        raise DataError(f"{name}: {twice['count_all']} rows with one key: {key}")
    return out.combine_chunks()


def _first_duplicate(table: pa.Table) -> dict | None:
    """A key given more than once (with its ``count_all``), or None.

    Each key column is dictionary-encoded and the codes combined into one integer per row (exact
    while the product of the columns' distinct counts fits in 62 bits), so the usual case is one
    count over integers — a table of counts where the keys span at most a few values per row, else
    a sort —; only when that finds a repeat are the keys grouped.
    """
    n = table.num_rows
    combined, radix = np.zeros(n, dtype=np.int64), 1
    for column in KEY_COLUMNS:
        encoded = pc.dictionary_encode(table[column]).combine_chunks()
        size = max(len(encoded.dictionary), 1)
        if radix * size >= 2**62:
            combined = None
            break
        combined *= size
        combined += encoded.indices.to_numpy(zero_copy_only=False)
        radix *= size
    if combined is not None:
        if radix <= _COUNTED_SPAN * max(n, 1):
            repeated = bool(np.bincount(combined, minlength=radix).max(initial=0) > 1)
        else:
            ordered = np.sort(combined)
            repeated = bool((ordered[1:] == ordered[:-1]).any())
        if not repeated:
            return None
    groups = table.group_by(KEY_COLUMNS).aggregate([([], "count_all")])
    if groups.num_rows == table.num_rows:
        return None
    return groups.filter(pc.greater(groups["count_all"], 1)).slice(0, 1).to_pylist()[0]


#: Keys spanning at most this many values per row are counted in a table, not sorted.
_COUNTED_SPAN = 4


def _content_sha256(table: pa.Table) -> str:
    """SHA-256 of a table's column names and values (its Arrow buffers, chunks combined)."""
    digest = hashlib.sha256()
    for name, column in zip(table.column_names, table.combine_chunks().columns, strict=True):
        digest.update(name.encode() + b"\0")
        for chunk in column.chunks:
            digest.update(f"{chunk.type}:{len(chunk)}".encode())
            for buffer in chunk.buffers():
                digest.update(b"" if buffer is None else buffer)
    return digest.hexdigest()


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


def _load_log(names: list[str], batch: _Batch, load_ids: dict[str, int], counts: pd.DataFrame,
              now) -> pd.DataFrame:
    rows = []
    for name in names:
        lid, stats = load_ids[name], batch.counts.loc[name]
        c = counts.loc[lid] if lid in counts.index else None
        rows.append({
            "load_id": lid, "file": name, "sha256": batch.hashes[name], "size_bytes": batch.sizes[name],
            "rows_read": int(stats["rows_read"]), "rows_loaded": int(stats["loaded"]),
            "rows_rejected": int(stats["rejected"]), "rows_skipped": int(stats["skipped"]),
            "rows_inserted": int(c["inserted"]) if c is not None else 0,
            "rows_revised": int(c["revised"]) if c is not None else 0,
            "rows_unchanged": int(c["unchanged"]) if c is not None else 0,
            "loaded_at": now,
        })
    return pd.DataFrame(rows, columns=LOAD_COLUMNS)


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


__all__ = ["Backend", "IngestReport", "MonitoringStore", "file_sha256"]
