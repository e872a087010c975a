"""The monitoring database, on DuckDB and on a real PostgreSQL server.

PostgreSQL tests need ``CHILDPLAN_TEST_PG_URL`` (``eval "$(scripts/start_test_postgres.sh)"``);
without it they skip locally and fail on CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid

import pandas as pd
import pytest
from typer.testing import CliRunner

from childplan_analysis.cli.app import app
from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError
from childplan_analysis.io.sources import load_observations, read_observations
from childplan_analysis.io.store import MonitoringStore, file_sha256

NATIONAL = config.NATIONAL_DATA_DIR / "observations.csv"
runner = CliRunner()

V1 = (
    "地区,乡镇,指标名称,年份,性别,城乡,数值,单位,数据来源\n"
    "磐石市,,婴儿死亡率,2021,,,4.6,‰,市卫健委2021年报\n"
    "磐石市,,婴儿死亡率,2022,,,4.2,‰,市卫健委2022年报\n"
    "磐石市,,婴儿死亡率,2022,男,,4.5,‰,市卫健委2022年报\n"
    "磐石市,明城镇,婴儿死亡率,2022,,农村,5.1,‰,市卫健委2022年报\n"
    "磐石市,,孕产妇死亡率,2022,,,0.0112%,,市卫健委2022年报\n"
    "桦甸市,,学前教育毛入园率,2022,,,91.3,%,市教育局\n"
    "桦甸市,,学前教育毛入园率,2023,,,9l.3,%,市教育局\n"
)
# a year later: 2022 infant mortality revised, 2023 added, the rest repeated unchanged
V2 = (
    "地区,指标名称,年份,数值,单位,数据来源\n"
    "磐石市,婴儿死亡率,2021,4.6,‰,市卫健委2023年报\n"
    "磐石市,婴儿死亡率,2022,4.3,‰,市卫健委2023年报(修订)\n"
    "磐石市,婴儿死亡率,2023,3.9,‰,市卫健委2023年报\n"
)


# ---------------------------------------------------------------- databases under test


def _postgres_url() -> str:
    url = os.environ.get("CHILDPLAN_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CHILDPLAN_TEST_PG_URL is not set on CI: .ci/run must start PostgreSQL "
                        "(scripts/start_test_postgres.sh)")
        pytest.skip('no test PostgreSQL: eval "$(scripts/start_test_postgres.sh)"')
    return url


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    import sqlalchemy as sa

    admin = _postgres_url().replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"childplan_t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    base = _postgres_url().rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with engine.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()


@pytest.fixture(params=["duckdb", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'monitoring.duckdb'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def files(tmp_path):
    v1 = tmp_path / "v1.csv"
    v1.write_text(V1, encoding="utf-8")
    v2 = tmp_path / "v2.csv"
    v2.write_text(V2, encoding="utf-8")
    wide = tmp_path / "wide.xlsx"
    _wide(wide)
    return {"v1": v1, "v2": v2, "wide": wide}


def _wide(path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教育局"
    ws["A1"] = "桦甸市2023年教育指标"
    ws["A2"] = "地区：桦甸市"
    ws.append(["指标名称", "单位", "2021年", "2022年", "2023年"])
    ws.append(["九年义务教育巩固率", "%", 96.1, 96.4, 96.9])
    ws.append(["高中阶段毛入学率", "%", 91.0, None, 93.5])
    wb.save(path)


def _snapshot(url: str) -> dict[str, pd.DataFrame]:
    with MonitoringStore(url) as store:
        return store.snapshot()


def _assert_same_content(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


# ---------------------------------------------------------------- round trip


def test_files_to_database_to_frame_equals_files_to_frame(db_url, files):
    inputs = [NATIONAL, files["v1"], files["wide"]]
    with MonitoringStore(db_url) as store:
        report = store.ingest(inputs)
    direct = load_observations(inputs, errors="report")
    assert len(direct.attrs["rejected"]) == 1  # the '9l.3' of 桦甸市 2023
    pd.testing.assert_frame_equal(load_observations(db_url), direct)
    assert report.files["status"].tolist() == ["ingested"] * 3
    assert report.files["loaded"].sum() == len(direct)

    one = load_observations(db_url, region="磐石市", indicators=["婴儿死亡率"])
    expected = load_observations(inputs, region="磐石市", indicators=["infant_mortality"], errors="report")
    pd.testing.assert_frame_equal(one, expected)
    assert len(one) == 4 and set(one["subregion"]) == {"", "明城镇"}
    mmr = load_observations(db_url, region="磐石市", indicators=["孕产妇死亡率"])
    assert mmr["value"].tolist() == [pytest.approx(11.2)]  # 0.0112% → 11.2 per 100 000


def test_duckdb_file_path_and_url_are_the_same_database(tmp_path, files):
    path = tmp_path / "m.duckdb"
    with MonitoringStore(path) as store:
        store.ingest([files["v1"]])
    pd.testing.assert_frame_equal(load_observations(path), load_observations(f"duckdb:///{path}"))


def test_reading_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="no such monitoring database"):
        load_observations(tmp_path / "none.duckdb")


# ---------------------------------------------------------------- idempotence and revisions


def test_ingesting_the_same_files_twice_changes_nothing(db_url, files, tmp_path):
    inputs = [files["v1"], files["wide"]]
    with MonitoringStore(db_url) as store:
        store.ingest(inputs)
    before = _snapshot(db_url)
    copy = tmp_path / "copy_of_v1.csv"
    copy.write_bytes(files["v1"].read_bytes())
    with MonitoringStore(db_url) as store:
        again = store.ingest([*inputs, copy])
    assert again.files["status"].tolist() == ["skipped"] * 3
    assert again.files["load_id"].tolist() == [1, 2, 1]
    _assert_same_content(before, _snapshot(db_url))


def test_a_revision_keeps_both_values_with_source_and_load(db_url, files):
    with MonitoringStore(db_url) as store:
        first = store.ingest([files["v1"]])
        second = store.ingest([files["v2"]])
        row = second.files.iloc[0]
        assert (row["inserted"], row["revised"], row["unchanged"]) == (1, 1, 1)
        assert first.files.iloc[0]["inserted"] == 6
        now = store.observations(regions=["磐石市"], indicators=["infant_mortality"])
        total = now.query("sex == 'total' and subregion == ''").set_index("year")["value"]
        assert total.to_dict() == {2021: 4.6, 2022: 4.3, 2023: 3.9}
        hist = store.revisions(regions=["磐石市"], indicators=["infant_mortality"], years=[2022])
        assert hist["value"].tolist() == [4.2, 4.3]
        assert hist["source"].tolist() == ["市卫健委2022年报", "市卫健委2023年报(修订)"]
        assert hist["file"].tolist() == [str(files["v1"]), str(files["v2"])]
        assert hist["replaced_by"].tolist()[0] == 2 and pd.isna(hist["replaced_by"].tolist()[1])
        assert hist["loaded_at"].notna().all()
        # the database as the first load left it equals the first file
        pd.testing.assert_frame_equal(store.observations(as_of_load=1),
                                      load_observations(files["v1"], errors="report"))
        loads = store.loads()
        assert loads["sha256"].tolist() == [file_sha256(files["v1"]), file_sha256(files["v2"])]
        assert loads[["rows_read", "rows_loaded", "rows_rejected"]].values.tolist() == [[7, 6, 1], [3, 3, 0]]


def test_rejected_rows_are_logged_with_their_load(db_url, files):
    with MonitoringStore(db_url) as store:
        report = store.ingest([files["v1"]])
        logged = store.rejections()
    assert not report.ok
    assert logged[["load_id", "row", "column", "value"]].values.tolist() == [[1, 8, "数值", "9l.3"]]
    assert logged["reason"].tolist() == ["数值不是数字（value is not a number）"]


def test_strict_ingest_refuses_a_batch_with_rejected_rows(db_url, files):
    with MonitoringStore(db_url) as store:
        store.ingest([files["v2"]])
    before = _snapshot(db_url)
    with MonitoringStore(db_url) as store, pytest.raises(DataError, match="nothing ingested"):
        store.ingest([files["v1"], files["wide"]], strict=True)
    _assert_same_content(before, _snapshot(db_url))


# ---------------------------------------------------------------- atomicity


def test_a_failed_ingest_leaves_the_database_as_it_was(db_url, files, monkeypatch):
    from childplan_analysis.io import store as store_module

    with MonitoringStore(db_url) as store:
        store.ingest([files["v1"]])
    before = _snapshot(db_url)

    def broken_insert(self, table, frame, _original=None):
        if table == "loads":
            raise RuntimeError("disk full")
        return originals[type(self)](self, table, frame)

    originals = {cls: cls.insert_frame for cls in (store_module._DuckDB, store_module._SQLAlchemy)}
    for cls in originals:
        monkeypatch.setattr(cls, "insert_frame", broken_insert)
    with MonitoringStore(db_url) as store, pytest.raises(RuntimeError, match="disk full"):
        store.ingest([files["v2"], files["wide"]])
    _assert_same_content(before, _snapshot(db_url))
    monkeypatch.undo()
    with MonitoringStore(db_url) as store:  # and the same files load normally afterwards
        assert store.ingest([files["v2"]]).files["status"].tolist() == ["ingested"]


KILL_MIDWAY = """
import os, signal, sys
from childplan_analysis.io import store
for cls in (store._DuckDB, store._SQLAlchemy):
    def execute(self, sql, params=None, _original=cls.execute):
        _original(self, sql, params)
        if sql.lstrip().startswith("UPDATE observations"):
            os.kill(os.getpid(), signal.SIGKILL)  # values already updated, nothing committed
    cls.execute = execute
with store.MonitoringStore(sys.argv[1]) as db:
    db.ingest(sys.argv[2:])
"""


def test_an_ingest_killed_midway_leaves_no_partial_load(db_url, files):
    with MonitoringStore(db_url) as store:
        store.ingest([files["v1"]])
    before = _snapshot(db_url)
    killed = subprocess.run([sys.executable, "-c", KILL_MIDWAY, db_url, str(files["v2"]), str(files["wide"])],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _assert_same_content(before, _snapshot(db_url))
    with MonitoringStore(db_url) as store:
        report = store.ingest([files["v2"]])
    assert report.files[["status", "revised", "inserted"]].values.tolist() == [["ingested", 1, 1]]


# ---------------------------------------------------------------- command line


def test_cli_ingest_loads_history_export(tmp_path, files):
    db = str(tmp_path / "monitoring.duckdb")
    res = runner.invoke(app, ["db", "ingest", str(files["v2"]), "--db", db], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "1 ingested" in res.output
    res = runner.invoke(app, ["db", "ingest", str(files["v1"]), str(files["v2"]), "--db", db],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 1  # v1 has a rejected row
    assert "not a number" in res.output and "skipped" in res.output
    res = runner.invoke(app, ["db", "loads", "--db", db], env={"COLUMNS": "250"})
    assert res.exit_code == 0 and "v1.csv" in res.output and "v2.csv" in res.output
    res = runner.invoke(app, ["db", "history", "--db", db, "--indicator", "婴儿死亡率"], env={"COLUMNS": "250"})
    assert res.exit_code == 0 and "4.3" in res.output and "4.2" in res.output
    out = tmp_path / "export.csv"
    res = runner.invoke(app, ["db", "export", str(out), "--db", db, "--as-of-load", "1"])
    assert res.exit_code == 0, res.output
    pd.testing.assert_frame_equal(load_observations(out), load_observations(files["v2"]))
    res = runner.invoke(app, ["db", "summary", "--db", db], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "磐石市" in res.output and "桦甸市" in res.output


def test_cli_reports_a_missing_database_without_traceback(tmp_path):
    res = runner.invoke(app, ["db", "loads", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2
    assert "no such monitoring database" in res.output and "Traceback" not in res.output


def test_cli_validate_prints_the_file_table_and_writes_the_report(tmp_path, files):
    out = tmp_path / "report.xlsx"
    res = runner.invoke(app, ["validate", str(files["v1"]), str(files["wide"]), "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 1
    assert "12 rows read: 11 loaded, 1 rejected" in res.output
    report = pd.read_excel(out, sheet_name=None)
    assert report["rejected"]["row"].tolist() == [8]
    assert report["files"]["rows_read"].tolist() == [7, 5]
    r = read_observations([files["v1"], files["wide"]])
    assert r.rows_read == 12


# ---------------------------------------------------------------- frames in bulk


def _tidy(rows: int) -> pd.DataFrame:
    """``rows`` distinct county observations in the tidy columns."""
    from childplan_analysis.core.columns import OBS_COLUMNS

    i = pd.RangeIndex(rows)
    data = {"region": "县" + (i // 300).astype(str), "indicator": "infant_mortality",
            "year": 2000 + (i % 300) // 10, "value": 1.0 + (i % 97) / 10, "unit": "‰",
            "sex": "total", "area": "total", "age_group": "", "subregion": "镇" + (i % 10).astype(str),
            "source": "县卫健委", "note": ""}
    return pd.DataFrame({c: data[c] for c in OBS_COLUMNS})


def test_a_frame_ingests_with_the_same_upsert_history_and_idempotence(db_url):
    frame = _tidy(3_000)
    later = frame.copy()
    later.loc[::100, "value"] += 0.5
    with MonitoringStore(db_url) as store:
        first = store.ingest_frame(frame, name="intake 2023")
        again = store.ingest_frame(frame.copy(), name="intake 2023 (again)")
        second = store.ingest_frame(later, name="intake 2024")
        now = store.observations()
        revised = store.revisions()
        loads = store.loads()
    assert first.files[["status", "inserted", "loaded"]].values.tolist() == [["ingested", 3_000, 3_000]]
    assert again.files[["status", "load_id"]].values.tolist() == [["skipped", 1]]
    assert second.files[["inserted", "revised", "unchanged"]].values.tolist() == [[0, 30, 2_970]]
    pd.testing.assert_frame_equal(now, load_observations(db_url))
    assert now["value"].sum() == pytest.approx(later["value"].sum())
    assert len(revised) == 60 and loads["file"].tolist() == ["intake 2023", "intake 2024"]


@pytest.mark.parametrize("hash_join", [False, True])
def test_postgres_batch_matched_by_either_join_gives_the_same_history(pg_url, tmp_path, monkeypatch, hash_join):
    """The same ingests on PostgreSQL (batches matched row by row through the key index, or by
    one hash join) and on DuckDB leave the same observations, revisions and counts."""
    import childplan_analysis.io.store as store_module

    monkeypatch.setattr(store_module, "HASH_JOIN_ROWS", 1 if hash_join else 10**9)
    frame = _tidy(2_000)
    later = frame.copy()
    later.loc[::50, "value"] += 0.25
    later.loc[1::400, "value"] -= 0.5
    later = pd.concat([later, _tidy(2_400).iloc[2_000:]], ignore_index=True)  # 400 new keys
    results = {}
    for url in (pg_url, f"duckdb:///{tmp_path / 'same.duckdb'}"):
        with MonitoringStore(url) as store:
            store.ingest_frame(frame, name="2023")
            report = store.ingest_frame(later, name="2024")
            results[url] = (report.files[["inserted", "revised", "unchanged"]].values.tolist(),
                            store.observations(), store.revisions().drop(columns=["loaded_at", "replaced_at"]))
    (pg_counts, pg_obs, pg_rev), (dk_counts, dk_obs, dk_rev) = results.values()
    assert pg_counts == dk_counts == [[400, 45, 1_955]]
    pd.testing.assert_frame_equal(pg_obs, dk_obs)
    pd.testing.assert_frame_equal(pg_rev, dk_rev, check_dtype=False)


def test_a_frame_with_a_repeated_key_or_a_missing_value_is_refused_whole(db_url):
    frame = _tidy(50)
    with MonitoringStore(db_url) as store:
        with pytest.raises(DataError, match=r"form\.xlsx: 2 rows with one key: region='县0'"):
            store.ingest_frame(pd.concat([frame, frame.iloc[[7]]]), name="form.xlsx")
        with pytest.raises(DataError, match="form.xlsx: column value: 1 missing value"):
            store.ingest_frame(frame.assign(value=frame["value"].where(frame.index != 3)), name="form.xlsx")
        with pytest.raises(DataError, match="missing column.*unit"):
            store.ingest_frame(frame.drop(columns="unit"), name="form.xlsx")
        assert store.loads().empty and store.observations().empty


# ---------------------------------------------------------------- two writers, one file

HOLD_AND_INGEST = """
import pathlib, sys, time
from childplan_analysis.io.store import MonitoringStore
db, file, hold, marker = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
with MonitoringStore(db) as store:
    pathlib.Path(marker).touch()  # the file is open for writing now
    time.sleep(hold)
    print(store.ingest([file]).summary())
"""


def _writer(db, file, hold, marker) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLD_AND_INGEST, str(db), str(file), str(hold), str(marker)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path, proc, seconds=60.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the first writer never opened the database"
        time.sleep(0.05)


def test_two_processes_ingesting_into_one_duckdb_file_both_land_once(tmp_path, files):
    db = tmp_path / "monitoring.duckdb"
    first = _writer(db, files["v1"], 2.0, tmp_path / "first.open")
    _wait_for(tmp_path / "first.open", first)
    second = _writer(db, files["wide"], 0.0, tmp_path / "second.open")  # must wait for the first
    out = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], out
    assert all("1 ingested" in stdout for stdout, _ in out), out
    expected = load_observations([files["v1"], files["wide"]], errors="report")
    pd.testing.assert_frame_equal(load_observations(db), expected)
    with MonitoringStore(db) as store:
        loads = store.loads()
    assert sorted(loads["file"]) == sorted([str(files["v1"]), str(files["wide"])])
    assert loads["load_id"].tolist() == [1, 2]


def test_a_writer_that_waited_too_long_gets_one_line_naming_the_file(tmp_path, files):
    db = tmp_path / "monitoring.duckdb"
    holder = _writer(db, files["v2"], 3.0, tmp_path / "open")
    try:
        _wait_for(tmp_path / "open", holder)
        with pytest.raises(DataError) as exc:
            MonitoringStore(db, timeout=0.5)
    finally:
        holder.communicate(timeout=120)
    message = str(exc.value)
    assert message.startswith(f"{db}: the monitoring database is in use by another process")
    assert "waited 0.5 s" in message and "\n" not in message
    assert holder.returncode == 0
    res = runner.invoke(app, ["db", "ingest", str(files["v1"]), "--db", str(db)], env={"COLUMNS": "200"})
    assert "1 ingested" in res.output  # free again once the holder has finished


# ---------------------------------------------------------------- schema: censor and migration

#: The tables of schema version 1 (before value columns were derived from core.columns).
V1_DDL = [
    "CREATE TABLE childplan_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    "INSERT INTO childplan_meta VALUES ('schema_version', '1')",
    *[f"""CREATE TABLE {t} (region VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year INTEGER NOT NULL,
        sex VARCHAR NOT NULL, area VARCHAR NOT NULL, age_group VARCHAR NOT NULL, subregion VARCHAR NOT NULL,
        value DOUBLE PRECISION NOT NULL, unit VARCHAR NOT NULL, source VARCHAR NOT NULL, note VARCHAR NOT NULL,
        load_id INTEGER NOT NULL, src_row INTEGER NOT NULL{extra})"""
      for t, extra in (("observations", ", PRIMARY KEY (region, indicator, year, sex, area, age_group, subregion)"),
                       ("observation_revisions", ", replaced_by INTEGER NOT NULL, PRIMARY KEY "
                        "(region, indicator, year, sex, area, age_group, subregion, replaced_by)"))],
    """CREATE TABLE loads (load_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
        size_bytes BIGINT NOT NULL, rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL,
        rows_rejected INTEGER NOT NULL, rows_skipped INTEGER NOT NULL, rows_inserted INTEGER NOT NULL,
        rows_revised INTEGER NOT NULL, rows_unchanged INTEGER NOT NULL, loaded_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE load_rejections (load_id INTEGER NOT NULL, file VARCHAR NOT NULL, sheet VARCHAR NOT NULL,
        src_row INTEGER NOT NULL, src_column VARCHAR NOT NULL, cell VARCHAR NOT NULL, reason VARCHAR NOT NULL)""",
    "INSERT INTO loads VALUES (1, 'old.csv', 'abc', 10, 2, 2, 0, 0, 2, 0, 0, TIMESTAMP '2023-03-01 08:00:00')",
    *[f"""INSERT INTO observations VALUES ('磐石市', 'infant_mortality', {y}, 'total', 'total', '', '',
          {v}, '‰', '市卫健委', '', 1, {r})""" for r, (y, v) in enumerate([(2021, 4.6), (2022, 4.2)], start=2)],
]


def _execute_all(url: str, statements: list[str]) -> None:
    import sqlalchemy as sa

    if url.startswith("duckdb:"):
        import duckdb

        con = duckdb.connect(url.removeprefix("duckdb:///"))
        for sql in statements:
            con.execute(sql)
        con.close()
        return
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(sa.text(sql))
    engine.dispose()


def test_a_version_1_database_gains_the_censor_column_and_keeps_its_rows(db_url):
    from childplan_analysis.io.store.schema import SCHEMA_VERSION

    _execute_all(db_url, V1_DDL)
    with MonitoringStore(db_url, create=False) as store:  # read as it is, not migrated
        old = store.observations()
    assert old["value"].tolist() == [4.6, 4.2]
    with MonitoringStore(db_url) as store:
        meta = store.snapshot()["childplan_meta"]
        assert meta.set_index("key")["value"].to_dict() == {"schema_version": SCHEMA_VERSION}
        observations = store.snapshot()["observations"]
        assert observations["censor"].tolist() == ["", ""]
        pd.testing.assert_frame_equal(store.observations(), old)
        censored = store.observations().assign(censor=["", ">="])
        censored.loc[1, "value"] = 4.0
        report = store.ingest_frame(censored, name="2024 report")
        assert report.files[["inserted", "revised"]].values.tolist() == [[0, 1]]
        history = store.revisions()
    assert history["value"].tolist() == [4.2, 4.0]


def test_censor_is_stored_and_read_back(db_url):
    frame = _tidy(40).assign(censor="")
    frame.loc[[3, 17], "censor"] = [">=", "<"]
    with MonitoringStore(db_url) as store:
        store.ingest_frame(frame, name="bounds")
        back = store.observations()
        exact = store.ingest_frame(frame.assign(censor=""), name="the same values, now exact")
        assert exact.files[["revised", "unchanged"]].values.tolist() == [[2, 38]]
        as_first = store.observations(as_of_load=1)
    assert list(back.columns[: len(frame.columns) - 1]) == [c for c in frame.columns if c != "censor"]
    merged = back.merge(frame, on=["region", "indicator", "year", "subregion"], suffixes=("", "_in"))
    assert len(merged) == 40 and (merged["censor"] == merged["censor_in"]).all()
    assert sorted(back["censor"]) == sorted(frame["censor"])
    assert sorted(as_first["censor"]) == sorted(frame["censor"])
