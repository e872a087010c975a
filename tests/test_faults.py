"""Faults: interrupted writes keep the previous output, and the same inputs give the same bytes.

A killed DuckDB ingest is covered in tests/test_store.py
(``test_an_ingest_killed_midway_leaves_no_partial_load``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import lean_notebook

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.core import config
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.fileio import atomic_write, atomic_write_text
from childplan_analysis.io.sources import load_observations
from childplan_analysis.report.build import write_results

PLAN = config.NATIONAL_PLAN_FILE
DATA = config.NATIONAL_DATA_DIR


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# ------------------------------------------------------------------ atomic writes


def test_writer_failing_midway_leaves_the_previous_output(tmp_path):
    out = tmp_path / "results.csv"
    atomic_write_text(out, "old,complete\n")

    def half_then_fail(tmp: str) -> None:
        Path(tmp).write_text("new,half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(out, half_then_fail)
    assert out.read_text(encoding="utf-8") == "old,complete\n"
    assert _leftovers(tmp_path, {"results.csv"}) == []


def test_interrupt_midway_leaves_the_previous_output(tmp_path):
    out = tmp_path / "report.html"
    atomic_write_text(out, "<p>old</p>")

    def interrupted(tmp: str) -> None:
        Path(tmp).write_text("<p>ne", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(out, interrupted)
    assert out.read_text(encoding="utf-8") == "<p>old</p>"
    assert _leftovers(tmp_path, {"report.html"}) == []


KILLED_WRITER = """
import sys, time
from pathlib import Path
from childplan_analysis.io.fileio import atomic_write

def slow(tmp):
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("new,partial\\n")
        fh.flush()
        Path(sys.argv[2]).touch()   # tell the test we are midway
        time.sleep(60)

atomic_write(sys.argv[1], slow)
"""


def test_process_killed_midway_leaves_the_previous_output(tmp_path):
    out = tmp_path / "results.csv"
    atomic_write_text(out, "old,complete\n")
    midway = tmp_path / "midway.flag"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(out), str(midway)])
    try:
        deadline = time.monotonic() + 60
        while not midway.exists():
            assert proc.poll() is None, "writer exited early"
            assert time.monotonic() < deadline, "writer never got midway"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_text(encoding="utf-8") == "old,complete\n"
    # the unfinished temporary file is hidden (dot-file) and never mistaken for the output
    assert all(name.startswith(".results.") for name in _leftovers(tmp_path, {"results.csv", "midway.flag"}))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".json"])
def test_results_writer_failing_keeps_the_previous_file(tmp_path, monkeypatch, suffix):
    results = pd.DataFrame({"region": ["磐石市"], "target_id": ["t1"], "p_meet": [0.5]})
    out = tmp_path / f"results{suffix}"
    write_results(results, out)
    before = out.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("writer crashed")

    for method in ("to_csv", "to_excel", "to_parquet", "to_dict"):
        monkeypatch.setattr(pd.DataFrame, method, broken)
    with pytest.raises(RuntimeError, match="writer crashed"):
        write_results(results.assign(p_meet=0.9), out)
    assert out.read_bytes() == before
    assert _leftovers(tmp_path, {out.name}) == []


# ------------------------------------------------------------------ determinism


def test_assess_twice_gives_identical_results():
    obs = load_observations(DATA, errors="report")
    plan = load_plan(PLAN)
    first = assess(obs, plan)
    second = assess(obs.sample(frac=1.0, random_state=7), plan)  # row order must not matter
    pd.testing.assert_frame_equal(first, second)
    assert first.to_csv(index=False) == second.to_csv(index=False)


def _cli_assess(out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    cmd = [sys.executable, "-m", "childplan_analysis.cli.app", "assess", str(PLAN), str(DATA), "--out", str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_cli_assess_twice_gives_byte_identical_files(tmp_path, suffix):
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    _cli_assess(a, "1")
    _cli_assess(b, "2")  # a different hash seed: no dict/set ordering may leak into the output
    assert a.read_bytes() == b.read_bytes()
    assert len(a.read_bytes()) > 1000


# ------------------------------------------------------------------ temporary folders of a batch


def _region_files(folder: Path, names: list[str]) -> Path:
    """One CSV per region: the national totals, each region a little apart (synthetic)."""
    obs = load_observations(DATA)
    obs = obs[(obs["sex"] == "total") & (obs["area"] == "total") & (obs["age_group"] == "total")
              & (obs["subregion"] == "")]
    base = obs.drop_duplicates(["indicator", "year"])[["indicator", "year", "value", "unit"]]
    folder.mkdir()
    for i, name in enumerate(names):
        base.assign(value=(base["value"] * (1 + i / 1000)).round(3), source="合成演示数据").to_csv(
            folder / f"{name}.csv", index=False)
    return folder


@pytest.fixture
def temp_folder():
    """An empty folder for ``$TMPDIR``, as short as the system's own (a kernel's Unix socket
    path must fit in about 104 bytes)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="cpt-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _batch_command(tmp_path: Path, temp: Path, body: str, *extra: str) -> tuple[list[str], dict[str, str], Path]:
    """A ``childplan batch`` command over three regions whose temporary folder is ``temp``."""
    data = _region_files(tmp_path / "regions", ["甲县", "乙县", "丙县"])
    notebook = lean_notebook(tmp_path / "lean.ipynb", body)
    cmd = [sys.executable, "-m", "childplan_analysis.cli.app", "batch", "--plans", str(PLAN), "--data", str(data),
           "--notebook", str(notebook), "--out", str(tmp_path / "out"), "--quiet", *extra]
    return cmd, dict(os.environ, TMPDIR=str(temp)), temp


def _temp_leftovers(temp: Path) -> list[str]:
    """What a batch left in its temporary folder: childplan-* folders, connection files."""
    return sorted(p.name for p in temp.iterdir() if p.name.startswith("childplan-") or p.suffix == ".json")


def _processes_using(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (a kernel started with a connection file in it)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(folder).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _settled(check, seconds: float = 30.0):
    """``check()`` once it is empty, or its last value after ``seconds``."""
    deadline = time.monotonic() + seconds
    while (value := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_batch_with_a_killed_worker_and_a_timeout_leaves_no_temporary_folders(tmp_path, temp_folder):
    body = ("import os, signal, time\n"
            "if region == '乙县':\n    os.kill(os.getppid(), signal.SIGKILL)  # the worker process dies\n"
            "if region == '丙县':\n    time.sleep(600)\n"
            "print(region)")
    cmd, env, temp = _batch_command(tmp_path, temp_folder, body, "--workers", "2", "--timeout", "10")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "without encryption" not in done.stderr  # the kernels' sockets were in the scratch folder
    assert (tmp_path / "out" / "summary.csv").is_file(), done.stderr
    table = pd.read_csv(tmp_path / "out" / "summary.csv", encoding="utf-8-sig").set_index("region")
    assert list(table.loc[["甲县", "乙县", "丙县"], "status"]) == ["ok", "failed", "failed"], table["reason"]
    assert list(table.loc[["乙县", "丙县"], "error_kind"]) == ["worker", "timeout"]
    assert _settled(lambda: _temp_leftovers(temp)) == []
    assert _settled(lambda: _processes_using(temp)) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_killed_batch_leaves_no_temporary_folders_or_kernels(tmp_path, temp_folder):
    cmd, env, temp = _batch_command(tmp_path, temp_folder, "import time\ntime.sleep(600)", "--workers", "2")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kernels = _settled(lambda: len(_processes_using(temp)) < 2, seconds=180)
        assert not kernels, "the batch never started its kernels"
        assert _temp_leftovers(temp)  # its scratch folder is there while it runs
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert _settled(lambda: _temp_leftovers(temp)) == []
    assert _settled(lambda: _processes_using(temp)) == []
