"""The monitoring database's tables, derived from the observation columns of :mod:`core.columns`.

The stored value columns are the observation columns outside the key, so a column added to
:data:`~childplan_analysis.core.columns.OBS_COLUMNS` is persisted without touching this module,
plus :data:`OPTIONAL_TEXT`: text columns a frame may not carry yet, stored with their default.
An existing database gains any missing value column (``ALTER TABLE … ADD COLUMN … DEFAULT``)
when it is opened for writing; read-only it is read as it is, missing columns filled.
"""

from __future__ import annotations

from childplan_analysis.core.columns import KEY_COLUMNS, OBS_COLUMNS

#: Version 2: value columns derived from ``core.columns`` (``censor`` added), and on DuckDB no
#: primary-key index on the observation tables (see :func:`tables_ddl`).
SCHEMA_VERSION = "2"

#: Text columns kept even when a frame lacks them, with their default: ``censor`` is ``""`` for
#: an exact value, or ``>=``, ``>``, ``<=``, ``<`` for a value published as a bound;
#: ``publication`` is the official publication a figure comes from (``""`` when not given).
OPTIONAL_TEXT = {"censor": "", "publication": ""}

VALUE_COLUMNS = [c for c in OBS_COLUMNS if c not in KEY_COLUMNS] + [
    c for c in OPTIONAL_TEXT if c not in OBS_COLUMNS
]
#: Every stored observation column, in frame order (key and value columns).
STORED_COLUMNS = [*OBS_COLUMNS, *[c for c in VALUE_COLUMNS if c not in OBS_COLUMNS]]
STAGING = "childplan_staging"
STAGING_COLUMNS = [*KEY_COLUMNS, *VALUE_COLUMNS, "load_id", "src_row"]
LOAD_COLUMNS = [
    "load_id", "file", "sha256", "size_bytes", "rows_read", "rows_loaded", "rows_rejected",
    "rows_skipped", "rows_inserted", "rows_revised", "rows_unchanged", "loaded_at",
]
TABLES = ["childplan_meta", "loads", "observations", "observation_revisions", "load_rejections"]
KEY_LIST = ", ".join(KEY_COLUMNS)

_TYPES = {"year": "INTEGER", "value": "DOUBLE PRECISION"}
#: Per cent of each page of PostgreSQL's observations filled by inserts (room for revisions).
PG_FILLFACTOR = 90


def column_type(name: str) -> str:
    """SQL type of an observation column (text unless listed in ``_TYPES``)."""
    return _TYPES.get(name, "VARCHAR")


def _columns_ddl(names: list[str]) -> str:
    return ", ".join(f"{c} {column_type(c)} NOT NULL" for c in names)


OBS_DDL = _columns_ddl([*KEY_COLUMNS, *VALUE_COLUMNS])
STAGING_DDL = f"{OBS_DDL}, load_id INTEGER NOT NULL, src_row INTEGER NOT NULL"


def tables_ddl(dialect: str) -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` statements for a new database.

    DuckDB keeps key uniqueness without a primary-key index: a bulk insert into an ART index is
    about three times slower than the insert itself, and the ingest alone writes (one process per
    file), adding only keys that are absent, from a staging table whose keys are unique.

    PostgreSQL fills the observations' pages to :data:`PG_FILLFACTOR` per cent: a revised value
    is then written next to the old one on its page and, no key column changing, without a new
    entry in the key index (a heap-only update, about three times cheaper per revised row).
    Measured on 200,000 rows: of revisions spread over the table (2, 5, 10 % of the rows) 100,
    99 and 90 % are heap-only; of 10 % in runs (an indicator-year revised for every township,
    rows next to each other in key order) 38 %, the page's room being used up.
    """
    indexed = dialect != "duckdb"
    obs_pk = f", PRIMARY KEY ({KEY_LIST})" if indexed else ""
    obs_with = f" WITH (fillfactor = {PG_FILLFACTOR})" if dialect == "postgresql" else ""
    rev_pk = f", PRIMARY KEY ({KEY_LIST}, replaced_by)" if indexed else ""
    return [
        "CREATE TABLE IF NOT EXISTS childplan_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS observations ({OBS_DDL},
            load_id INTEGER NOT NULL, src_row INTEGER NOT NULL{obs_pk}){obs_with}""",
        f"""CREATE TABLE IF NOT EXISTS observation_revisions ({OBS_DDL},
            load_id INTEGER NOT NULL, src_row INTEGER NOT NULL, replaced_by INTEGER NOT NULL{rev_pk})""",
        """CREATE TABLE IF NOT EXISTS loads (load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, rows_read INTEGER NOT NULL,
            rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL, rows_skipped INTEGER NOT NULL,
            rows_inserted INTEGER NOT NULL, rows_revised INTEGER NOT NULL,
            rows_unchanged INTEGER NOT NULL, loaded_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS load_rejections (load_id INTEGER NOT NULL, file VARCHAR NOT NULL,
            sheet VARCHAR NOT NULL, src_row INTEGER NOT NULL, src_column VARCHAR NOT NULL,
            cell VARCHAR NOT NULL, reason VARCHAR NOT NULL)""",
    ]


def add_column_ddl(table: str, column: str, dialect: str) -> str:
    """``ALTER TABLE`` adding a missing text value column with its default."""
    default = OPTIONAL_TEXT.get(column, "").replace("'", "''")
    not_null = "" if dialect == "duckdb" else " NOT NULL"  # DuckDB adds no constraint in ALTER
    return f"ALTER TABLE {table} ADD COLUMN {column} {column_type(column)}{not_null} DEFAULT '{default}'"


def rebuild_without_index_ddl(table: str, present: list[str]) -> list[str]:
    """Statements that copy ``table`` into a new one without its primary-key index (DuckDB has
    no ``DROP CONSTRAINT``): the schema of ``tables_ddl("duckdb")``, the same rows, columns
    missing from ``present`` filled with their default."""
    create = next(d for d in tables_ddl("duckdb") if f"EXISTS {table} (" in d)
    tmp = f"{table}_v{SCHEMA_VERSION}"
    target = [c for c in (*KEY_COLUMNS, *VALUE_COLUMNS, "load_id", "src_row", "replaced_by")
              if c in present or c in VALUE_COLUMNS]
    values = [c if c in present else "'" + OPTIONAL_TEXT.get(c, "").replace("'", "''") + "'"
              for c in target]
    return [
        create.replace(f"EXISTS {table} (", f"EXISTS {tmp} ("),
        f"INSERT INTO {tmp} ({', '.join(target)}) SELECT {', '.join(values)} FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE {tmp} RENAME TO {table}",
    ]
