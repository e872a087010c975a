"""The layer contract in pyproject.toml: kept by the package, broken by an upward import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "childplan_analysis"
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def lint(src: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT), "--config", str(config), "--no-cache"], cwd=src.parent,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_package_keeps_its_layers():
    result = lint(ROOT / "src", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "childplan_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    units = src / "childplan_analysis" / "core" / "units.py"
    units.write_text(units.read_text(encoding="utf-8") + "\nfrom childplan_analysis.report import labels  # noqa\n",
                     encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    shutil.copy(ROOT / "pyproject.toml", config)
    result = lint(src, config)
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    assert "childplan_analysis.core.units -> childplan_analysis.report.labels" in result.stdout
