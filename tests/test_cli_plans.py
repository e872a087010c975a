"""The extract-targets and check-plans commands, mounted on a throwaway typer app."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from childplan_analysis.cli.common import set_language
from childplan_analysis.cli.plans import register

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
    args = ["extract-targets", str(DATA / "sample_plan.txt"), "--out", str(out)]
    set_language("en")
    try:
        result = CliRunner().invoke(_app(), args)
    finally:
        set_language("zh")
    assert result.exit_code == 0, result.output
    assert "targets in sample_plan.txt" in result.output
    assert "read as targets for 2030" in " ".join(result.output.split())
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["targets"]
    chinese = CliRunner().invoke(_app(), args)
    assert "未写年份的条款按2030年目标读取" in "".join(chinese.output.split())


def test_extract_targets_reads_gbk(tmp_path: Path) -> None:
    gbk = tmp_path / "plan.txt"
    gbk.write_bytes("主要目标：\n1.婴儿死亡率控制在5‰以下，孕产妇死亡率控制在10/10万以下。\n".encode("gb18030"))
    result = CliRunner().invoke(_app(), ["extract-targets", str(gbk), "--format", "csv", "-o", str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    assert "infant_mortality" in (tmp_path / "d.csv").read_text(encoding="utf-8")


def test_check_plans_command_on_empty_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["check-plans", str(tmp_path)])
    assert result.exit_code == 0
    assert "无可比较" in result.output


def _catalog(pid: str, title: str, parent: str | None, targets: list[dict]) -> dict:
    return {
        "id": pid, "title": title, "region": pid, "level": "county", "period": [2021, 2030],
        "parent": parent, "population": "children",
        "targets": [{"id": f"t{i}", **t} for i, t in enumerate(targets)],
    }


def test_check_plans_command_reports_and_writes_csv(tmp_path: Path) -> None:
    nation = _catalog("nation", "中国儿童发展纲要（2021—2030年）", None, [
        {"indicator": "infant_mortality", "comparator": "<", "value": 5.0, "unit": "‰", "year": 2030},
        {"indicator": "child_drowning_mortality", "comparator": "decrease", "year": 2030},
    ])
    county = _catalog("county", "某县儿童发展规划（2021—2030年）", "nation", [
        {"indicator": "infant_mortality", "comparator": "<=", "value": 6.0, "unit": "‰", "year": 2030},
    ])
    programme = _catalog("friendly", "某省儿童友好城市建设实施方案", "nation", [
        {"indicator": "immunization_coverage", "comparator": ">=", "value": 90, "unit": "%", "year": 2025},
    ])
    for c in (nation, county, programme):
        (tmp_path / f"{c['id']}.yaml").write_text(yaml.safe_dump(c, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out" / "issues.csv"
    result = CliRunner().invoke(_app(), ["check-plans", str(tmp_path), "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output  # a target laxer than its parent's is an error
    text = "".join(result.output.split())
    assert "1项错误" in text and "1项警告" in text
    assert "否：programme" in text
    # each check in words: the indicator's name, both targets, the detail with its unit
    assert "婴儿死亡率" in text and "≤6‰（2030年）" in text and "上限6‰高于上级规划的5‰" in text
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    # the CSV has every row, the programme's missing indicators included as info
    assert sorted((r["plan_id"], r["severity"]) for r in rows) == [
        ("county", "error"), ("county", "warning"), ("friendly", "info"), ("friendly", "info"),
    ]
