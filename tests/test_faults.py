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
