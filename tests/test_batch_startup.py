"""Batch start-up and shared assets: the warm-up code, the plotly.js bundle per page, the order."""

from __future__ import annotations

import nbformat

from childplan_analysis.batch.assets import plotly_asset_name, plotly_bundle_asset
from childplan_analysis.batch.jobs import DEFAULT_NOTEBOOK
from childplan_analysis.batch.kernel import RegionTask, notebook_imports, rehearsal_sample
from childplan_analysis.core import config
from childplan_analysis.report.bundles import plotlyjs_version


def test_warm_up_code_is_the_notebooks_own_imports_each_guarded():
    code = notebook_imports(DEFAULT_NOTEBOOK.read_bytes())
    assert "from childplan_analysis.report import notebook as nb" in code
    assert "prepare_report" not in code  # imports only, nothing that needs the parameters
    compile(code, "warm-up", "exec")

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("import not_code"),
                nbformat.v4.new_code_cell("import os\nx = 1\nimport no_such_module_here"),
                nbformat.v4.new_code_cell("def broken(:\n    import sys"),
                nbformat.v4.new_code_cell("import os")]
    code = notebook_imports(nbformat.writes(nb).encode())
    assert "not_code" not in code and "sys" not in code and code.count("import os") == 1
    namespace: dict = {}
    exec(code, namespace)  # a missing module is the notebook's error to report, not the warm-up's
    assert "os" in namespace and "x" not in namespace
    assert notebook_imports(b"not a notebook") == ""


def test_each_page_loads_the_smallest_bundle_that_draws_it():
    basic, data = plotly_bundle_asset(frozenset({"scatter", "bar"}))
    assert basic == f"plotly-basic-{plotlyjs_version()}.min.js" and b"plotly.js (basic" in data[:300]
    cartesian, _ = plotly_bundle_asset(frozenset({"scatter", "heatmap"}))
    assert cartesian.startswith("plotly-cartesian-")
    for unknown in (None, frozenset({"sankey"})):  # a trace no partial bundle has, or unknown traces
        name, full = plotly_bundle_asset(unknown)
        assert name == plotly_asset_name() and len(full) > 3 * len(data)


def test_regions_with_the_most_to_report_sort_first():
    import pandas as pd

    def task(region: str, rows: int) -> RegionTask:
        return RegionTask("b", region, "p", "P", b"", region, b"x" * rows, None, None, "zh", None)

    tasks = [task("甲县", 10), task("乙县", 300), task("丙县", 50)]
    assert [t.region for t in sorted(tasks, key=lambda t: t.size, reverse=True)] == ["乙县", "丙县", "甲县"]

    def validated(region: str, indicators: int, years: int) -> RegionTask:
        obs = pd.DataFrame([{"indicator": f"i{i}", "year": 2000 + y} for i in range(indicators) for y in range(years)])
        return RegionTask("b", region, "p", "P", b"", region, b"", b"{}", None, "zh", None, observations=obs)

    # more indicators (more table rows and charts) before more years of fewer indicators
    tasks = [validated("甲县", 3, 20), validated("乙县", 12, 2), validated("丙县", 12, 5), validated("丁县", 1, 90)]
    assert [t.region for t in sorted(tasks, key=lambda t: t.size, reverse=True)] == ["丙县", "乙县", "甲县", "丁县"]


def test_the_rehearsed_region_is_the_smallest_cut_to_its_indicators_with_the_most_rows():
    import pandas as pd

    from childplan_analysis.batch.jobs import region_csv
    from childplan_analysis.io.sources import load_observations

    def task(region: str, obs: pd.DataFrame | None, notebook: bytes | None = b"{}") -> RegionTask:
        return RegionTask("b", region, "p", "P", b"plan", region, b"", notebook, None, "zh", 60,
                          observations=obs)

    obs = load_observations(config.NATIONAL_DATA_DIR)
    region = obs["region"].iloc[0]
    small = obs[obs["region"] == region].reset_index(drop=True)
    small.attrs = {}  # the rejected rows ride along; not needed here
    big = pd.concat([small, small.assign(year=small["year"] - 30)], ignore_index=True)
    sample = rehearsal_sample([task("big", big), task("small", small), task("none", None),
                               task("engine", small.iloc[:5], notebook=None)])
    rows = small["indicator"].value_counts()
    kept = set(sample.observations["indicator"])
    assert sample.region == "small" and sample.rehearsal and sample.key == "small#warm-up"
    assert len(kept) == 3 and min(rows[list(kept)]) >= rows.drop(list(kept)).max()
    assert len(sample.observations) == rows[list(kept)].sum()  # every row of those (breakdowns too)
    assert sample.data_csv == region_csv(sample.observations)
    assert rehearsal_sample([task("none", None), task("engine", small, notebook=None)]) is None


def test_batch_kernels_write_no_input_history(tmp_path):
    """Kernels of every worker would otherwise all write each cell to the profile's one SQLite
    history file; another kernel than IPython's gets no IPython option."""
    from types import SimpleNamespace

    from childplan_analysis.batch.kernel import KernelSlot, kernel_arguments

    slot = KernelSlot("python3", 2, str(tmp_path))
    try:
        slot.acquire(tmp_path)
        slot.run("assert not get_ipython().history_manager.enabled")
        slot.run("x = 1")
        slot.release()
        slot.acquire(tmp_path)  # the namespace reset works without a history
        slot.run("assert 'x' not in globals()")
    finally:
        slot.shutdown()
    other = SimpleNamespace(kernel_spec=SimpleNamespace(argv=["R", "--slave", "-e", "IRkernel::main()", "{connection_file}"]))
    assert kernel_arguments(other) == []
