"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.core import config

DATA = Path(__file__).parent / "data"

# Property tests: the same generated cases on every run (derandomize), no per-example
# deadline (CI machines vary), no example database written into the working tree.
# Each test sets its own max_examples.
settings.register_profile(
    "childplan",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("childplan")


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def national_plan_path() -> Path:
    return config.NATIONAL_PLAN_FILE


def make_plan(targets: list[dict], **kwargs) -> object:
    """A small plan from target dicts (defaults filled in)."""
    base = {"id": "test_plan", "title": "测试规划", "region": "测试县", "level": "county",
            "period": [2021, 2030]}
    base.update(kwargs)
    full = []
    for i, tg in enumerate(targets):
        entry = {"id": f"t{i}", "year": 2030}
        entry.update(tg)
        full.append(entry)
    base["targets"] = full
    return plan_from_dict(base)


def series_frame(values: dict[int, float], indicator: str, region: str = "测试县") -> pd.DataFrame:
    """A tidy observations frame for one series."""
    rows = [
        {"region": region, "indicator": indicator, "year": y, "value": v, "unit": "", "sex": "total",
         "area": "total", "age_group": "total", "subregion": "", "source": "test", "note": ""}
        for y, v in values.items()
    ]
    return pd.DataFrame(rows)


#: A province plan under the national outline, for evaluations against a parent plan and region.
CHONGQING_PLAN = {
    "id": "chongqing_children_test", "title": "重庆市儿童发展规划（测试）", "region": "重庆市",
    "level": "province", "period": [2021, 2030], "parent": "national_children_2021_2030",
    "targets": [
        {"id": "infant_mortality_2030", "indicator": "婴儿死亡率", "comparator": "<", "value": 4.5,
         "unit": "‰", "year": 2030, "attribute": "binding", "responsible": ["市卫生健康委"]},
        {"id": "under5_mortality_2030", "indicator": "5岁以下儿童死亡率", "comparator": "<", "value": 6,
         "unit": "‰", "year": 2030, "attribute": "expected", "responsible": ["市卫生健康委"]},
        {"id": "preschool_gross_enrolment_2030", "indicator": "学前教育毛入园率", "comparator": "maintain_ge",
         "value": 95, "unit": "%", "year": 2030, "attribute": "expected", "responsible": ["市教委"]},
        {"id": "maternal_mortality_2030", "indicator": "孕产妇死亡率", "comparator": "<", "value": 12,
         "unit": "1/10万", "year": 2030, "attribute": "binding", "responsible": ["市卫生健康委", "市妇联"]},
    ],
}


@pytest.fixture(scope="session")
def plans_dir(tmp_path_factory) -> Path:
    """A params folder holding the national outline and :data:`CHONGQING_PLAN` (its child)."""
    import shutil

    import yaml

    folder = tmp_path_factory.mktemp("params")
    shutil.copy(config.NATIONAL_PLAN_FILE, folder / config.NATIONAL_PLAN_FILE.name)
    (folder / "chongqing.yaml").write_text(yaml.safe_dump(CHONGQING_PLAN, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory, plans_dir) -> Path:
    """Reports built once per session through the CLI: the national annual report with its
    workbook, the cross-region dashboard, and a mid-term evaluation (in English) of a province
    plan whose parent is the national outline."""
    from typer.testing import CliRunner

    from childplan_analysis.cli.app import app

    out = tmp_path_factory.mktemp("reports")
    runner = CliRunner()
    res = runner.invoke(app, ["report", "--plan", str(config.NATIONAL_PLAN_FILE), "--data",
                              str(config.NATIONAL_DATA_DIR), "--out", str(out), "--xlsx", "--dashboard"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["report", "--plan", str(plans_dir / "chongqing.yaml"), "--data",
                              str(config.NATIONAL_DATA_DIR), "--out", str(out / "evaluation"),
                              "--stage", "midterm", "--lang", "en"])
    assert res.exit_code == 0, res.output
    return out


def _load_module(path: Path, module_name: str):
    """The Python file at ``path`` imported as a module named ``module_name``."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def load_script(name: str):
    """A script of ``scripts/`` as a module (fixture builders whose tables the tests compare)."""
    return _load_module(config.PROJECT_ROOT / "scripts" / f"{name}.py", name)


def load_benchmark(name: str, module_name: str | None = None):
    """A benchmark of ``benchmarks/`` as a module (its tables and scorers), under ``module_name``
    when a test needs a copy of its own."""
    return _load_module(config.PROJECT_ROOT / "benchmarks" / f"{name}.py", module_name or f"{name}_benchmark")


def lean_notebook(path: Path, body: str) -> Path:
    """A small report notebook with the report's parameters (fast to run in tests)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('plan_path = ""\ndata_path = ""\nregion = None\nas_of = None\nlang = "zh"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def require_in_ci(reason: str) -> None:
    """Skip a test whose system dependency is missing, but fail when ``CI`` is set."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI: .ci/run installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from childplan_analysis.report.build import CHROMIUM_FLAGS, chromium_path

    exe = chromium_path()
    if exe is None:
        require_in_ci("Chromium not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_in_ci("playwright not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()
