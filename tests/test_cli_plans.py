"""The extract-targets and check-plans commands, mounted on a throwaway typer app."""

from __future__ import annotations

from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from childplan_analysis.cli_plans import register

DATA = Path(__file__).parent / "data"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app."""

    register(app)
    return app


def test_extract_targets_writes_draft(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(_app(), ["extract-targets", str(DATA / "sample_plan.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "targets in sample_plan.txt" in result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["targets"]


def test_extract_targets_reads_gbk(tmp_path: Path) -> None:
    gbk = tmp_path / "plan.txt"
    gbk.write_bytes("主要目标：\n1.婴儿死亡率控制在5‰以下，孕产妇死亡率控制在10/10万以下。\n".encode("gb18030"))
    result = CliRunner().invoke(_app(), ["extract-targets", str(gbk), "--format", "csv", "-o", str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    assert "infant_mortality" in (tmp_path / "d.csv").read_text(encoding="utf-8")


def test_check_plans_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["check-plans", str(tmp_path)])
    assert result.exit_code == 0
    assert "No inconsistencies" in result.output
