"""The monitoring database's bulk paths: the first load into an empty PostgreSQL store (key
dropped and built again), and the upsert of a batch into stored rows, against each other and
against DuckDB.

PostgreSQL tests need ``CHILDPLAN_TEST_PG_URL`` (``eval "$(scripts/start_test_postgres.sh)"``).
"""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from test_store import _postgres_url, _tidy, db_url, pg_url  # noqa: F401  (fixtures)

from childplan_analysis.core.errors import DataError
from childplan_analysis.io.sources import load_observations
from childplan_analysis.io.store import MonitoringStore

COUNTS = ["status", "inserted", "revised", "unchanged"]


def _batches() -> list[tuple[str, pd.DataFrame]]:
    """A first intake (with censored values and a publication), a later one revising values and
    censoring and adding keys, and the first one again under another name."""
    first = _tidy(3_000).assign(censor="", publication="2023年统计年鉴")
    first.loc[[5, 70], "censor"] = [">=", "<"]
    later = pd.concat([first, _tidy(3_400).iloc[3_000:].assign(censor="", publication="")], ignore_index=True)
    later.loc[::60, "value"] += 0.5
    later.loc[[5], "censor"] = ""
    return [("intake 2023", first), ("intake 2024", later), ("intake 2023 (copy)", first)]


def _run(url: str) -> tuple[list, dict[str, pd.DataFrame]]:
    """Counts of each batch and every table afterwards (load times left out)."""
    with MonitoringStore(url) as store:
        counts = [store.ingest_frame(frame, name=name).files[COUNTS].values.tolist()
                  for name, frame in _batches()]
        tables = store.snapshot()
    tables["loads"] = tables["loads"].drop(columns="loaded_at")
    return counts, tables


def _assert_same_tables(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name].reset_index(drop=True), b[name].reset_index(drop=True),
                                      check_dtype=False, obj=name)


def test_first_load_path_and_upsert_path_leave_the_same_database(db_url, tmp_path, monkeypatch):  # noqa: F811
    """Into an empty store (PostgreSQL: key built after the copy) and through the upsert (the
    empty-store path turned off) the same batches give the same counts, observations, revision
    history, load log and rejections, and the same as DuckDB."""
    fast = _run(db_url)
    with monkeypatch.context() as patch:
        patch.setattr(MonitoringStore, "_empty", lambda self: False)
        slow = _run(f"duckdb:///{tmp_path / 'upsert.duckdb'}" if db_url.startswith("duckdb")
                    else _fresh_pg(db_url))
    reference = _run(f"duckdb:///{tmp_path / 'reference.duckdb'}")
    assert fast[0] == slow[0] == reference[0] == [
        [["ingested", 3_000, 0, 0]], [["ingested", 400, 51, 2_949]], [["skipped", 0, 0, 0]]]
    _assert_same_tables(fast[1], slow[1])
    _assert_same_tables(fast[1], reference[1])
    revised = fast[1]["observation_revisions"]
    assert len(revised) == 51 and set(revised["replaced_by"]) == {2}
    assert sorted(fast[1]["observations"]["censor"].unique()) == ["", "<"]


def _fresh_pg(url: str) -> str:
    """Another empty database on the server of ``url`` (dropped with the server's test run)."""
    import sqlalchemy as sa

    name = f"childplan_t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    _CREATED.append(name)
    return f"{url.rsplit('/', 1)[0]}/{name}"


_CREATED: list[str] = []


@pytest.fixture(autouse=True)
def _drop_created(request):
    yield
    if not _CREATED:
        return
    import sqlalchemy as sa

    engine = sa.create_engine(_postgres_url().replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        while _CREATED:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {_CREATED.pop()} WITH (FORCE)"))
    engine.dispose()


def _primary_key(url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = sa.inspect(conn).get_pk_constraint("observations")
    engine.dispose()
    return found["constrained_columns"]


def test_postgres_first_load_keeps_the_key_and_a_failed_one_leaves_it_in_place(pg_url, monkeypatch):  # noqa: F811
    from childplan_analysis.core.columns import KEY_COLUMNS
    from childplan_analysis.io import store as store_module

    original = store_module._SQLAlchemy.insert_frame

    def broken(self, table, frame):
        if table == "loads":
            raise RuntimeError("disk full")
        return original(self, table, frame)

    with monkeypatch.context() as patch:
        patch.setattr(store_module._SQLAlchemy, "insert_frame", broken)
        with MonitoringStore(pg_url) as store, pytest.raises(RuntimeError, match="disk full"):
            store.ingest_frame(_tidy(500), name="first")
    assert _primary_key(pg_url) == KEY_COLUMNS  # the drop was rolled back with the copy
    with MonitoringStore(pg_url) as store:
        assert store.observations().empty and store.loads().empty
        store.ingest_frame(_tidy(500), name="first")
    assert _primary_key(pg_url) == KEY_COLUMNS  # built again after the copy
    import sqlalchemy as sa

    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.connect() as conn, pytest.raises(sa.exc.IntegrityError, match="observations_pkey"):
        conn.execute(sa.text("INSERT INTO observations SELECT * FROM observations LIMIT 1"))
    engine.dispose()


def test_postgres_first_load_by_a_role_that_does_not_own_the_tables(pg_url):  # noqa: F811
    """A writer that may not drop the key copies into the keyed table: same database."""
    import sqlalchemy as sa

    role = f"childplan_w_{uuid.uuid4().hex[:8]}"
    MonitoringStore(pg_url).close()  # tables created by their owner
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(sa.text(f"GRANT CREATE ON SCHEMA public TO {role}"))  # CREATE TABLE IF NOT EXISTS
        conn.execute(sa.text(f"GRANT TEMPORARY ON DATABASE {pg_url.rsplit('/', 1)[1]} TO {role}"))
    try:
        writer = pg_url.replace("postgres@", f"{role}@", 1)
        with MonitoringStore(writer) as store:
            counts = [store.ingest_frame(frame, name=name).files[COUNTS].values.tolist()
                      for name, frame in _batches()]
        assert counts[1] == [["ingested", 400, 51, 2_949]]
        assert _primary_key(pg_url)  # never dropped
        pd.testing.assert_frame_equal(load_observations(writer), load_observations(pg_url))
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))
        engine.dispose()


def test_the_same_file_again_changes_nothing_even_when_forced(db_url, tmp_path):  # noqa: F811
    csv = tmp_path / "county.csv"
    _tidy(2_000).to_csv(csv, index=False)
    with MonitoringStore(db_url) as store:
        first = store.ingest([csv])
        before = store.snapshot()
        again = store.ingest([csv])
        assert again.files["status"].tolist() == ["skipped"]
        after = store.snapshot()
        forced = store.ingest([csv], force=True)
        forced_tables = store.snapshot()
    assert first.files[["inserted", "loaded"]].values.tolist() == [[2_000, 2_000]]
    _assert_same_tables(before, after)
    assert forced.files[COUNTS].values.tolist() == [["ingested", 0, 0, 2_000]]
    for table in ("observations", "observation_revisions", "load_rejections"):
        pd.testing.assert_frame_equal(forced_tables[table], before[table], obj=table)
    assert forced_tables["loads"]["load_id"].tolist() == [1, 2]


@pytest.mark.parametrize("failing", ["CREATE TEMPORARY TABLE childplan_matched", "UPDATE observations",
                                     "INSERT INTO observations"])
def test_a_statement_failing_midway_is_reported_itself_and_changes_nothing(db_url, monkeypatch, failing):  # noqa: F811
    """The database's own error (not a later one about the aborted transaction) reaches the
    caller, and the store keeps its rows, history and load log; the same batch loads after."""
    from childplan_analysis.io import store as store_module

    first, later = _batches()[0][1], _batches()[1][1]
    with MonitoringStore(db_url) as store:
        store.ingest_frame(first, name="intake 2023")
        before = store.snapshot()
    originals = {cls: cls.execute for cls in (store_module._DuckDB, store_module._SQLAlchemy)}

    def broken(self, sql, params=None):
        if sql.lstrip().startswith(failing):
            sql = sql.replace("observations", "no_such_table_here", 1)
        return originals[type(self)](self, sql, params)

    with monkeypatch.context() as patch:
        for cls in originals:
            patch.setattr(cls, "execute", broken)
        with MonitoringStore(db_url) as store, pytest.raises(Exception, match="no_such_table_here") as raised:
            store.ingest_frame(later, name="intake 2024")
    assert "aborted" not in str(raised.value)
    with MonitoringStore(db_url) as store:
        _assert_same_tables(store.snapshot(), before)
        report = store.ingest_frame(later, name="intake 2024")
    assert report.files[COUNTS].values.tolist() == [["ingested", 400, 51, 2_949]]


# ---------------------------------------------------------------- PostgreSQL: staging over several connections


def _scratch_tables(url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT relname FROM pg_class WHERE relname LIKE 'childplan\\_staging\\_%'"
                                     " ORDER BY relname")).scalars().all()
    engine.dispose()
    return list(found)


@pytest.fixture
def parallel(monkeypatch):
    """Every batch staged by two connections at once."""
    from childplan_analysis.io.store import pg_stage

    monkeypatch.setattr(pg_stage, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(pg_stage, "CONNECTIONS", 2)
    return pg_stage


def test_postgres_batches_staged_by_two_connections_leave_the_same_database(pg_url, tmp_path, parallel):  # noqa: F811
    copied = []
    original = parallel.copy_in_parallel

    def counted(*args, **kwargs):
        copied.append(original(*args, **kwargs))
        return copied[-1]

    parallel.copy_in_parallel = counted
    try:
        with_two = _run(_fresh_pg(pg_url))
    finally:
        parallel.copy_in_parallel = original
    reference = _run(f"duckdb:///{tmp_path / 'reference.duckdb'}")
    assert copied == [3_400]  # the upsert staged in parallel (the first load copies into the table)
    assert with_two[0] == reference[0]
    _assert_same_tables(with_two[1], reference[1])
    assert _scratch_tables(pg_url) == []


def test_postgres_failed_ingest_after_a_parallel_staging_changes_nothing_and_drops_it(pg_url, parallel, monkeypatch):  # noqa: F811
    from childplan_analysis.io import store as store_module

    first, later = _batches()[0][1], _batches()[1][1]
    with MonitoringStore(pg_url) as store:
        store.ingest_frame(first, name="intake 2023")
        before = store.snapshot()
    original = store_module._SQLAlchemy.insert_frame

    def broken(self, table, frame):
        if table == "loads":  # after the staging, the upsert and the scratch table's drop
            raise RuntimeError("disk full")
        return original(self, table, frame)

    with monkeypatch.context() as patch:
        patch.setattr(store_module._SQLAlchemy, "insert_frame", broken)
        with MonitoringStore(pg_url) as store, pytest.raises(RuntimeError, match="disk full"):
            store.ingest_frame(later, name="intake 2024")
    assert _scratch_tables(pg_url) == []
    with MonitoringStore(pg_url) as store:
        _assert_same_tables(store.snapshot(), before)


KILLED_AFTER_STAGING = """
import os, signal, sys
import pandas as pd
from childplan_analysis.io import store
from childplan_analysis.io.store import pg_stage
pg_stage.PARALLEL_ROWS = 1
def execute(self, sql, params=None, _original=store._SQLAlchemy.execute):
    _original(self, sql, params)
    if sql.lstrip().startswith("UPDATE observations"):
        os.kill(os.getpid(), signal.SIGKILL)  # staged, values updated, nothing committed
store._SQLAlchemy.execute = execute
with store.MonitoringStore(sys.argv[1]) as db:
    db.ingest_frame(pd.read_pickle(sys.argv[2]), name="intake 2024")
"""


def test_postgres_ingest_killed_after_a_parallel_staging_changes_nothing_and_the_next_cleans_up(
        pg_url, parallel, tmp_path):  # noqa: F811
    import subprocess
    import sys
    import time

    first, later = _batches()[0][1], _batches()[1][1]
    with MonitoringStore(pg_url) as store:
        store.ingest_frame(first, name="intake 2023")
        before = store.snapshot()
    later.to_pickle(tmp_path / "later.pkl")
    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_STAGING, pg_url, str(tmp_path / "later.pkl")],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    left = _scratch_tables(pg_url)
    assert len(left) == 1  # committed by the staging connections, its ingest gone
    deadline = time.monotonic() + 20
    while _backend_alive(pg_url, left[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    with MonitoringStore(pg_url) as store:
        _assert_same_tables(store.snapshot(), before)
        report = store.ingest_frame(later, name="intake 2024")
    assert report.files[COUNTS].values.tolist() == [["ingested", 400, 51, 2_949]]
    assert _scratch_tables(pg_url) == []


def _backend_alive(url: str, scratch: str) -> bool:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        alive = conn.execute(sa.text("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :pid"),
                             {"pid": int(scratch.rsplit("_", 1)[1])}).scalar()
    engine.dispose()
    return bool(alive)


def test_postgres_scratch_table_of_a_live_session_is_left_alone(pg_url, parallel):  # noqa: F811
    import psycopg

    with psycopg.connect(pg_url) as other:
        mine = parallel.scratch_name(other.info.backend_pid)
        other.execute(f"CREATE UNLOGGED TABLE {mine} (x int)")
        other.execute(f"CREATE UNLOGGED TABLE {parallel.scratch_name(2**31 - 1)} (x int)")  # no such session
        other.commit()
        with MonitoringStore(pg_url) as store:
            store.ingest_frame(_tidy(500), name="first")
            store.ingest_frame(_tidy(600), name="second")
        assert _scratch_tables(pg_url) == [mine]


def test_postgres_first_load_is_copied_in_key_order_and_keeps_every_source_row(pg_url):  # noqa: F811
    """A database collating text by its bytes gets the first load sorted by key (the key build
    then finds its input in order); each row keeps its own source row number."""
    import sqlalchemy as sa

    from childplan_analysis.core.columns import KEY_COLUMNS
    from childplan_analysis.io.store import pg_ingest

    frame = _tidy(3_000).sample(frac=1, random_state=3).reset_index(drop=True)
    with MonitoringStore(pg_url) as store:
        if not pg_ingest.byte_ordered(store._db):
            pytest.skip("the test database does not collate text by its bytes")
        store.ingest_frame(frame, name="shuffled")
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(sa.text(
            f"SELECT {', '.join(KEY_COLUMNS)}, value, src_row FROM observations ORDER BY ctid")).fetchall())
    engine.dispose()
    keys = list(stored[KEY_COLUMNS].itertuples(index=False, name=None))
    assert keys == sorted(keys) and keys != list(frame[KEY_COLUMNS].itertuples(index=False, name=None))
    back = frame.iloc[stored["src_row"].to_numpy() - 1]
    assert back["value"].tolist() == stored["value"].tolist()
    assert list(back[KEY_COLUMNS].itertuples(index=False, name=None)) == keys


def test_postgres_writer_allowed_one_connection_stages_by_its_own(pg_url, parallel):  # noqa: F811
    """A role limited to one connection cannot open the staging connections: its own connection
    stages the batch, with the same result."""
    import sqlalchemy as sa

    role = f"childplan_one_{uuid.uuid4().hex[:8]}"
    MonitoringStore(pg_url).close()
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 1"))
        conn.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(sa.text(f"GRANT CREATE ON SCHEMA public TO {role}"))
        conn.execute(sa.text(f"GRANT TEMPORARY ON DATABASE {pg_url.rsplit('/', 1)[1]} TO {role}"))
    try:
        with MonitoringStore(pg_url.replace("postgres@", f"{role}@", 1)) as store:
            counts = [store.ingest_frame(frame, name=name).files[COUNTS].values.tolist()
                      for name, frame in _batches()]
        assert counts == [[["ingested", 3_000, 0, 0]], [["ingested", 400, 51, 2_949]], [["skipped", 0, 0, 0]]]
        assert _scratch_tables(pg_url) == []
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))
        engine.dispose()


def _fillfactor(url: str) -> list[str] | None:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT reloptions FROM pg_class WHERE oid = 'observations'::regclass")).scalar()
    engine.dispose()
    return found


def test_postgres_store_keeps_room_for_revisions_also_when_created_before(pg_url):  # noqa: F811
    """New stores fill pages to 90 % (revised values are written next to the old ones); a store
    created without it gets it when opened for writing, and its rows stay as they were."""
    import sqlalchemy as sa

    with MonitoringStore(pg_url) as store:
        store.ingest_frame(_tidy(500), name="first")
        before = store.snapshot()
    assert _fillfactor(pg_url) == ["fillfactor=90"]
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE observations RESET (fillfactor)"))
    engine.dispose()
    assert _fillfactor(pg_url) is None
    with MonitoringStore(pg_url, create=False) as store:  # read-only: nothing changed
        pass
    assert _fillfactor(pg_url) is None
    with MonitoringStore(pg_url) as store:
        _assert_same_tables(store.snapshot(), before)
    assert _fillfactor(pg_url) == ["fillfactor=90"]


@pytest.mark.parametrize("spread", [False, True])
def test_a_key_repeated_far_down_a_large_frame_is_refused_whole(tmp_path, spread):
    """Keys are packed into one integer per row and counted (keys spanning few values) or sorted
    (a township per row: keys spanning many): either way a key repeated at row 150,000 of a frame
    is named, and the store is left empty; the same frame without the repeat loads whole."""
    frame = _tidy(160_000)
    if spread:
        frame = frame.assign(subregion=[f"镇{i}" for i in range(len(frame))])
    twice = pd.concat([frame.iloc[:150_000], frame.iloc[[42]], frame.iloc[150_000:]], ignore_index=True)
    key = twice.iloc[42]
    with MonitoringStore(tmp_path / "large.duckdb") as store:
        with pytest.raises(DataError, match=rf"form\.xlsx: 2 rows with one key: region='{key['region']}'.*"
                                            rf"subregion='{key['subregion']}'"):
            store.ingest_frame(twice, name="form.xlsx")
        assert store.observations().empty and store.loads().empty
        report = store.ingest_frame(frame, name="form.xlsx")
        assert int(report.files["inserted"].iloc[0]) == len(frame)
