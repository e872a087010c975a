"""Batch runs: per-region reports in worker processes or on Dask, failures, kill and resume."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import lean_notebook
from typer.testing import CliRunner

from childplan_analysis import assess, load_indicators, load_observations, load_plan
from childplan_analysis.batch.jobs import (
    BatchOptions,
    load_batch_data,
    region_data_hashes,
    region_slug,
)
from childplan_analysis.batch.outputs import remove_temp_files
from childplan_analysis.batch.runner import run_batch
from childplan_analysis.cli.app import app
from childplan_analysis.core import config

PLAN = config.NATIONAL_PLAN_FILE
PLAN_ID = "national_children_2021_2030"
GOOD = ["甲县", "乙县", "丁县", "戊县"]
BAD = "丙县"


def national_totals() -> pd.DataFrame:
    obs = load_observations(config.NATIONAL_DATA_DIR)
    obs = obs[(obs["sex"] == "total") & (obs["area"] == "total") & (obs["age_group"] == "total")
              & (obs["subregion"] == "")]
    frame = obs.drop_duplicates(["indicator", "year"])[["indicator", "year", "value", "unit"]].copy()
    frame.attrs = {}
    return frame.reset_index(drop=True)


def synthetic_region(base: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The national series scaled by a region factor with small yearly noise (labelled synthetic)."""
    rng = np.random.default_rng(seed)
    frame = base.copy()
    value = frame["value"] * rng.uniform(0.9, 1.1) * rng.normal(1, 0.01, len(frame))
    bounds = load_indicators().by_id
    high = frame["indicator"].map(lambda i: bounds[i].bounds[1] if bounds[i].bounds[1] is not None else np.inf)
    frame["value"] = value.clip(upper=high).round(3)
    frame["source"] = "合成演示数据"
    return frame


@pytest.fixture(scope="module")
def region_folder(tmp_path_factory) -> Path:
    """One CSV per region (no region column: the file name says it); 丙县.csv is corrupt."""
    folder = tmp_path_factory.mktemp("regions")
    base = national_totals()
    for i, name in enumerate(GOOD):
        synthetic_region(base, i).to_csv(folder / f"{name}.csv", index=False)
    (folder / f"{BAD}.csv").write_bytes(b"PK\x03\x04\x00\x00garbage\xff\xfe")
    return folder


def summary(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "summary.csv", encoding="utf-8-sig", keep_default_na=False).set_index("region")


def expected_results(folder: Path, region: str) -> pd.DataFrame:
    obs = load_observations(folder / f"{region}.csv", region=region)
    return assess(obs, load_plan(PLAN), regions=[region])


# ------------------------------------------------------------------ names and inputs


def test_region_slug_keeps_every_hostile_name_inside_the_output_folder(tmp_path):
    names = ["../x", "..", ".", ".hidden", "<script>alert(1)</script>", "a\x00b", "CON", "con.txt",
             "LPT1", "a/b", "a_b", "a\\b", " 甲县 ", "x" * 300, "甲县", "a:b|c?*"]
    slugs = [region_slug(n) for n in names]
    assert len(set(slugs)) == len(names)  # no two regions share a folder
    assert region_slug("甲县") == "甲县" and region_slug("a_b") == "a_b"  # readable names unchanged
    for slug in slugs:
        assert not re.search(r'[\x00-\x1f/\\<>:"|?*]', slug) and not slug.startswith(".")
        assert slug.split(".")[0].upper() not in {"CON", "LPT1"} and len(slug) <= 100
        folder = (tmp_path / slug).resolve()
        assert folder.parent == tmp_path.resolve()


def test_region_data_hash_changes_only_for_the_region_whose_data_changed(tmp_path):
    base = national_totals()
    for i, name in enumerate(["甲县", "乙县"]):
        synthetic_region(base, i).to_csv(tmp_path / f"{name}.csv", index=False)
    before = region_data_hashes(load_batch_data(tmp_path))
    changed = pd.read_csv(tmp_path / "乙县.csv")
    changed.loc[0, "value"] += 0.5
    changed.to_csv(tmp_path / "乙县.csv", index=False)
    after = region_data_hashes(load_batch_data(tmp_path))
    assert before["甲县"] == after["甲县"] and before["乙县"] != after["乙县"]


# ------------------------------------------------------------------ notebook batches


@pytest.fixture(scope="module")
def pool_batch(region_folder, tmp_path_factory):
    """The real report notebook over five regions, one with corrupt data, two workers."""
    out = tmp_path_factory.mktemp("pool") / "reports"
    result = CliRunner().invoke(app, ["batch", "--plans", str(PLAN), "--data", str(region_folder),
                                      "--out", str(out), "--workers", "2", "--quiet"])
    return out, result


def test_corrupt_region_fails_alone_and_is_named_with_its_reason(pool_batch, region_folder):
    out, result = pool_batch
    assert result.exit_code == 1, result.output
    table = summary(out)
    assert sorted(table.index) == sorted([*GOOD, BAD])
    assert table.loc[BAD, "status"] == "failed" and table.loc[BAD, "error_kind"] == "data"
    assert f"{BAD}.csv" in table.loc[BAD, "reason"] and "rejected" in table.loc[BAD, "reason"]
    assert (out / table.loc[BAD, "partial_output"]).is_file()
    assert (table.loc[GOOD, "status"] == "ok").all()
    assert BAD in result.output and "1 failed" in result.output
    for region in GOOD:
        folder = out / PLAN_ID / region
        got = pd.read_parquet(folder / "results.parquet")
        want = expected_results(region_folder, region)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        page = (folder / "report.html").read_text(encoding="utf-8")
        # every kernel (fresh or reused) embeds plotly and draws one chart per target with data
        # status and domain overview charts, then one fan chart per target with data
        assert page.count('class="plotly-graph-div"') == 2 + int((want["n_points"] > 0).sum())
        assert "window.PlotlyConfig" in page and region in page
        assert json.loads((folder / "manifest.json").read_text())["status"] == "ok"
        assert table.loc[region, "targets"] == len(want)
        assert table.loc[region, "achieved"] == int((want["status"] == "achieved").sum())
    combined = pd.read_parquet(out / "results.parquet")
    assert sorted(combined["region"].unique()) == sorted(GOOD)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(name in index for name in [*GOOD, BAD]) and "失败" in index
    assert index.index(BAD) < min(index.index(g) for g in GOOD)  # failures listed first
    sheets = pd.read_excel(out / "warnings.xlsx", sheet_name=None)
    regions_sheet = sheets["地区 regions"].set_index("地区")
    assert regions_sheet.loc[BAD, "运行状态"] == "failed" and len(regions_sheet) == 5
    assert (sheets["数据问题 rejected rows"]["region"] == BAD).any()


def test_reports_share_plotly_and_styles_once_per_output_folder(pool_batch):
    out, _ = pool_batch
    assets = sorted(p.name for p in (out / "assets").iterdir())
    assert len(assets) == 2 and assets[0].startswith("plotly-") and assets[1].startswith("report-")
    plotly_js = (out / "assets" / assets[0]).read_text(encoding="utf-8")
    assert "plotly.js" in plotly_js[:500]
    for region in GOOD:
        folder = out / PLAN_ID / region
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert f'<script src="../../assets/{assets[0]}"></script>' in page
        assert f'href="../../assets/{assets[1]}"' in page
        assert plotly_js[-2000:] not in page and len(page) < len(plotly_js) / 4  # referenced, not embedded
        assert not (folder / "report.ipynb").exists()  # executed notebooks are kept only on request
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["assets"] == {a: (out / "assets" / a).stat().st_size for a in assets}


#: Random ids in a report: plotly's figure ids, pandas' table style ids, papermill's parameters cell id.
_RANDOM_IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|T_[0-9a-f]{5}\b"
                         r"|cell-id=[0-9a-f]{8}\b")


def test_one_worker_writes_the_same_outputs_as_two(pool_batch, region_folder, tmp_path):
    """The same regions with one worker: every file the same as with two (but for run times,
    timestamps and random ids), whatever order the regions ended in; the
    timeline names the worker and the times of every region that ran."""
    two, _ = pool_batch
    one = tmp_path / "reports"
    result = run_batch(BatchOptions(plans=(PLAN,), data=region_folder, out=one, workers=1, progress=False))
    assert result.exit_code == 1
    volatile = {"seconds", "finished"}
    files = sorted(f.relative_to(two) for f in two.rglob("*") if f.is_file())
    assert files == sorted(f.relative_to(one) for f in one.rglob("*") if f.is_file())
    for name in files:
        a, b = (root / name for root in (one, two))
        if name.suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))
        elif name.name == "manifest.json":
            ma, mb = (json.loads(f.read_text()) for f in (a, b))
            assert {k: v for k, v in ma.items() if k not in volatile} == {
                k: v for k, v in mb.items() if k not in volatile}
        elif name.name == "summary.csv":
            pd.testing.assert_frame_equal(pd.read_csv(a).drop(columns="seconds"), pd.read_csv(b).drop(columns="seconds"))
        elif name.suffix == ".xlsx":
            sa, sb = (pd.read_excel(f, sheet_name=None) for f in (a, b))
            assert list(sa) == list(sb)
            for sheet in sa:
                drop = [c for c in sa[sheet].columns if c in ("seconds", "用时(秒)")]
                pd.testing.assert_frame_equal(sa[sheet].drop(columns=drop), sb[sheet].drop(columns=drop))
        elif name.name == "report.html":
            pa, pb = (_RANDOM_IDS.sub("id", f.read_text(encoding="utf-8")) for f in (a, b))
            assert pa == pb, name
        else:
            assert a.read_bytes() == b.read_bytes(), name
    ran = [r for r in result.records if r.action == "ran" and r.error_kind != "data"]
    spans = result.timeline.spans
    assert sorted(s.key for s in spans) == sorted(f"{PLAN_ID}/{r.region}" for r in ran)
    assert len({s.worker for s in spans}) == 1
    for s in spans:
        assert result.timeline.began <= s.began <= s.ended <= s.received <= s.stored <= result.timeline.ended
    waits = result.timeline.workers()[spans[0].worker]
    assert waits.busy + waits.before + waits.between + waits.after == pytest.approx(result.timeline.regions_window)
    assert result.timings["regions"] >= result.timeline.regions_window
    assert all(result.timings[k] >= 0 for k in ("loading", "planning", "storing", "assets", "collecting"))


def test_dask_local_cluster_gives_the_same_results_as_the_process_pool(pool_batch, region_folder, tmp_path):
    from distributed import LocalCluster

    pool_out, _ = pool_batch
    out = tmp_path / "dask"
    regions = ("甲县", "乙县", BAD)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        result = run_batch(BatchOptions(plans=(PLAN,), data=region_folder, out=out, regions=regions,
                                        scheduler=cluster.scheduler_address, progress=False))
    assert result.exit_code == 1
    dask_summary, pool_summary = summary(out), summary(pool_out).loc[list(regions)]
    cols = ["status", "error_kind", "reason", "targets", "achieved", "on_track", "red", "yellow"]
    pd.testing.assert_frame_equal(dask_summary.sort_index()[cols], pool_summary.sort_index()[cols])
    for region in regions[:2]:
        a = pd.read_parquet(out / PLAN_ID / region / "results.parquet")
        b = pd.read_parquet(pool_out / PLAN_ID / region / "results.parquet")
        pd.testing.assert_frame_equal(a, b)
        pages = [(o / PLAN_ID / region / "report.html").read_text(encoding="utf-8") for o in (out, pool_out)]
        assert pages[0].count("plotly-graph-div") == pages[1].count("plotly-graph-div")


def test_dask_workers_each_warm_one_kernel_and_a_bad_region_is_still_reported(region_folder, tmp_path, monkeypatch):
    """Each Dask worker thread starts one kernel and rehearses a small sample region before the
    regions are submitted; its regions then run in that kernel, nothing of the rehearsal is
    written, and a region without usable data still fails alone."""
    import threading

    from distributed import LocalCluster

    from childplan_analysis.batch import kernel

    starts, rehearsals = [], []
    real_start, real_execute = kernel.KernelSlot.start, kernel.execute_region

    def start(self, cwd):
        if self.km is None:
            starts.append(threading.get_ident())
        real_start(self, cwd)

    def execute(task):
        outcome = real_execute(task)
        if task.rehearsal:
            rehearsals.append((len(task.observations), outcome.ok))
        return outcome

    monkeypatch.setattr(kernel.KernelSlot, "start", start)
    monkeypatch.setattr(kernel, "execute_region", execute)
    out = tmp_path / "dask"
    regions = ("甲县", "乙县", "丁县", BAD)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = run_batch(BatchOptions(plans=(PLAN,), data=region_folder, out=out, regions=regions,
                                        scheduler=cluster.scheduler_address, progress=False))
    table = summary(out)
    assert result.exit_code == 1
    assert table.loc[BAD, "status"] == "failed" and table.loc[BAD, "error_kind"] == "data"
    assert (table.loc[list(regions[:3]), "status"] == "ok").all()
    full = len(pd.read_csv(out / PLAN_ID / "甲县" / "data.csv"))
    assert len(starts) == 2 and len(set(starts)) == 2  # one kernel per worker thread, none per region
    assert len(rehearsals) == 2 and all(ok and 0 < rows < full for rows, ok in rehearsals)
    assert result.timings["warm_up"] > 0 and 0 < result.timings["regions"] < result.timings["total"]
    assert sorted(p.name for p in (out / PLAN_ID).iterdir()) == sorted(regions)  # no rehearsal folder
    assert len(list((out / "assets").iterdir())) == 2  # the rehearsal did not keep the assets back


def _complete_outputs(out: Path) -> None:
    """Every visible output is whole: HTML closes, Parquet and JSON parse."""
    for f in out.rglob("*"):
        if f.name.startswith("."):
            continue
        if f.name == "report.html":
            assert f.read_text(encoding="utf-8").rstrip().endswith("</html>"), f
        elif f.suffix == ".parquet":
            pd.read_parquet(f)
        elif f.suffix in (".json", ".ipynb"):
            json.loads(f.read_text(encoding="utf-8"))


def test_killed_batch_resumes_without_half_written_files_and_redoes_only_the_rest(region_folder, tmp_path):
    out = tmp_path / "reports"
    notebook = lean_notebook(tmp_path / "lean.ipynb", "import time\ntime.sleep(1.5)\nprint(region)")
    common = ["--plans", str(PLAN), "--data", str(region_folder), "--regions", ",".join(GOOD), "--out", str(out),
              "--notebook", str(notebook), "--workers", "1", "--quiet"]
    cmd = [sys.executable, "-m", "childplan_analysis.cli.app", "batch", *common]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if list(out.glob(f"{PLAN_ID}/*/manifest.json")):
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the batch ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    done_before = {p.parent.name: p.parent.joinpath("report.html").stat().st_mtime_ns
                   for p in out.glob(f"{PLAN_ID}/*/manifest.json")}
    assert 0 < len(done_before) < len(GOOD)
    assert not (out / "summary.csv").exists()
    _complete_outputs(out)

    resumed = CliRunner().invoke(app, ["batch", *common, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    table = summary(out)
    assert set(table.index[table["action"] == "reused"]) == set(done_before)
    assert set(table.index[table["action"] == "ran"]) == set(GOOD) - set(done_before)
    for region, mtime in done_before.items():  # reused outputs were not rewritten
        assert (out / PLAN_ID / region / "report.html").stat().st_mtime_ns == mtime
    assert not [f for f in out.rglob(".*") if f.is_file()]  # no temporary files left
    _complete_outputs(out)

    again = run_batch(BatchOptions(plans=(PLAN,), data=region_folder, regions=tuple(GOOD), out=out,
                                   notebook=notebook, resume=True, progress=False))
    assert [r.action for r in again.records] == ["reused"] * len(GOOD)


def test_timeout_and_a_killed_worker_fail_their_region_only(region_folder, tmp_path):
    notebook = lean_notebook(tmp_path / "lean.ipynb", (
        "import os, signal, time\n"
        "if region == '丁县':\n    os.kill(os.getppid(), signal.SIGKILL)  # the worker process dies\n"
        "if region == '戊县':\n    time.sleep(600)\n"
        "print(sorted(os.listdir('.')))"))
    out = tmp_path / "reports"
    result = run_batch(BatchOptions(plans=(PLAN,), data=region_folder, regions=tuple(GOOD), out=out,
                                    notebook=notebook, workers=2, timeout=4, progress=False, keep_notebooks=True))
    assert result.exit_code == 1
    table = summary(out)
    assert table.loc["丁县", "status"] == "failed" and table.loc["丁县", "error_kind"] == "worker"
    assert "SIGKILL" in table.loc["丁县", "reason"] and table.loc["丁县", "attempts"] == 2
    assert table.loc["戊县", "status"] == "failed" and table.loc["戊县", "error_kind"] == "timeout"
    assert (out / table.loc["戊县", "partial_output"]).name == "report.failed.ipynb"
    assert (table.loc[["甲县", "乙县"], "status"] == "ok").all()
    executed = nbformat.read(str(out / PLAN_ID / "甲县" / "report.ipynb"), as_version=4)
    assert "'data.csv', 'input.ipynb', 'plan.yaml'" in executed.cells[-1].outputs[0]["text"]


def test_notebook_exception_and_hostile_region_names(tmp_path):
    names = ["../x", "<script>alert(1)</script>", "CON", "a\x00b", '=HYPERLINK("http://e.x")', "甲县"]
    base = national_totals()
    frames = [synthetic_region(base, i).assign(region=name) for i, name in enumerate(names)]
    pd.concat(frames).to_parquet(tmp_path / "all.parquet")
    notebook = lean_notebook(tmp_path / "lean.ipynb", (
        "import json\nprint(json.dumps(region))\n"
        "if region == '甲县':\n    raise ValueError('数据口径不一致')"))
    out = tmp_path / "reports"
    result = run_batch(BatchOptions(plans=(PLAN,), data=tmp_path / "all.parquet", out=out, notebook=notebook,
                                    workers=1, progress=False, keep_notebooks=True))
    assert result.exit_code == 1
    table = summary(out)
    assert table.loc["甲县", "error_kind"] == "notebook" and "数据口径不一致" in table.loc["甲县", "reason"]
    assert (out / table.loc["甲县", "partial_output"]).is_file()
    root = out.resolve()
    assert all(f.resolve().is_relative_to(root) for f in out.rglob("*"))
    assert not (tmp_path / "x").exists()
    for record in result.records:
        if record.region == "甲县":
            continue
        assert record.status == "ok", record.reason
        executed = nbformat.read(str(out / record.report.replace("report.html", "report.ipynb")), as_version=4)
        assert json.loads(executed.cells[-1].outputs[0]["text"]) == record.region  # passed as data
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    regions_sheet = pd.read_excel(out / "warnings.xlsx", sheet_name="地区 regions")
    assert '\'=HYPERLINK("http://e.x")' in set(regions_sheet["地区"])  # shown as text, never a formula


# ------------------------------------------------------------------ engine only


def test_engine_only_assesses_every_region_in_one_pass_and_resumes(tmp_path):
    base = national_totals()
    regions = [f"县{i:03d}" for i in range(120)]
    frames = [synthetic_region(base, i).assign(region=r) for i, r in enumerate(regions)]
    data = tmp_path / "all.csv"
    pd.concat(frames).to_csv(data, index=False)
    out = tmp_path / "reports"
    args = ["batch", "--plans", str(PLAN), "--data", str(data), "--out", str(out), "--no-notebooks", "--quiet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    combined = pd.read_parquet(out / "results.parquet")
    want = assess(load_observations(data), load_plan(PLAN), regions=regions)
    pd.testing.assert_frame_equal(combined.sort_values(["region", "target_id"]).reset_index(drop=True), want,
                                  check_dtype=False)
    table = summary(out)
    assert len(table) == 120 and (table["status"] == "ok").all() and (table["action"] == "ran").all()
    assert table.loc["县007", "achieved"] == int((want.loc[want["region"] == "县007", "status"] == "achieved").sum())
    assert not list(out.glob(f"{PLAN_ID}/*"))  # no per-region notebooks
    warnings = pd.read_excel(out / "warnings.xlsx", sheet_name="预警 warnings")
    assert len(warnings) == int(((want["warnings"] != "") | (want["warning_level"] == "red")).sum())

    before = combined.sort_values(["region", "target_id"]).reset_index(drop=True)
    changed = pd.read_csv(data)
    changed.loc[changed["region"] == "县005", "value"] *= 0.99
    changed.to_csv(data, index=False)
    result = CliRunner().invoke(app, [*args, "--resume"])
    assert result.exit_code == 0, result.output
    table = summary(out)
    assert list(table.index[table["action"] == "ran"]) == ["县005"]
    combined = pd.read_parquet(out / "results.parquet").sort_values(["region", "target_id"]).reset_index(drop=True)
    want = assess(load_observations(data), load_plan(PLAN), regions=regions)
    # the region that ran again reads as in a fresh run over all the data (its short series pool
    # with every region's, though it was assessed alone) ...
    rerun = (combined["region"] == "县005").to_numpy()
    pd.testing.assert_frame_equal(combined[rerun].reset_index(drop=True), want[rerun].reset_index(drop=True),
                                  check_dtype=False)
    # ... and the reused regions keep their previous rows, the same as a fresh run wherever no
    # series borrowed from the changed region
    pd.testing.assert_frame_equal(combined[~rerun].reset_index(drop=True), before[~rerun].reset_index(drop=True),
                                  check_dtype=False)
    # (a row that borrowed carries its shrinkage, also where its status needs no projection)
    own = ~rerun & (want["model_choice"] != "pooled").to_numpy() & want["shrinkage"].isna().to_numpy()
    pd.testing.assert_frame_equal(combined[own].reset_index(drop=True), want[own].reset_index(drop=True),
                                  check_dtype=False)


def test_engine_only_names_a_requested_region_without_data(tmp_path):
    data = tmp_path / "甲县.csv"
    synthetic_region(national_totals(), 1).to_csv(data, index=False)
    out = tmp_path / "reports"
    result = run_batch(BatchOptions(plans=(PLAN,), data=tmp_path, regions=("甲县", "无数据县"), out=out,
                                    notebooks=False, progress=False))
    assert result.exit_code == 1
    table = summary(out)
    assert table.loc["甲县", "status"] == "ok"
    assert table.loc["无数据县", "status"] == "failed" and "no observations" in table.loc["无数据县", "reason"]


def test_leftover_temporary_files_are_removed(tmp_path):
    (tmp_path / "p" / "r").mkdir(parents=True)
    leftover = tmp_path / "p" / "r" / ".report.abc123_x.tmp.html"
    leftover.write_text("<html>half")
    keep = tmp_path / "p" / "r" / "report.html"
    keep.write_text("<html></html>")
    assert remove_temp_files(tmp_path) == 1
    assert not leftover.exists() and keep.exists()


def test_cli_rejects_a_missing_data_path(tmp_path):
    result = CliRunner().invoke(app, ["batch", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "o"),
                                      "--no-notebooks", "--quiet"])
    assert result.exit_code == 2 and "no such file" in result.output


def test_batch_kernels_use_local_sockets_and_print_no_tcp_warning(region_folder, tmp_path):
    notebook = lean_notebook(tmp_path / "lean.ipynb", "print(region)")
    cmd = [sys.executable, "-m", "childplan_analysis.cli.app", "batch", "--plans", str(PLAN), "--data",
           str(region_folder), "--regions", "甲县", "--out", str(tmp_path / "out"), "--notebook", str(notebook),
           "--workers", "1", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "without encryption" not in done.stderr + done.stdout
    assert "unknown parameter" not in done.stderr  # results_path only goes to notebooks that declare it
    assert "1 ok" in done.stderr


def test_self_contained_reports_embed_plotly_and_keep_notebooks_on_request(region_folder, tmp_path):
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["batch", "--plans", str(PLAN), "--data", str(region_folder), "--regions", "甲县",
                                      "--out", str(out), "--workers", "1", "--self-contained", "--keep-notebooks",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    folder = out / PLAN_ID / "甲县"
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "../../assets/" not in page and not (out / "assets").exists()
    assert "window.PlotlyConfig" in page and len(page) > 1_000_000  # the library is in the page
    assert page.count("<script data-plotlyjs=") == 1  # once, the smallest bundle that draws the page
    executed = nbformat.read(str(folder / "report.ipynb"), as_version=4)
    assert any(c.get("outputs") for c in executed.cells)
