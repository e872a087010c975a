"""桐江市's batch over its three counties, one county's folder holding what departments really send
when something went wrong: an empty file, a truncated workbook, a zip of something else. The
others are reported; each bad file is named with what it is, and the command exits 1."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from childplan_analysis.cli.app import app
from childplan_analysis.io.sources import read_observations

PLAN = """id: tongjiang_children_2021_2030
title: 桐江市儿童发展规划（2021—2030年）
region: 桐江市
level: city
period: [2021, 2030]
targets:
- id: infant_mortality_2030
  indicator: infant_mortality
  comparator: <=
  value: 4.5
  unit: ‰
  year: 2030
- id: preschool_2030
  indicator: preschool_gross_enrolment
  comparator: '>='
  value: 92
  unit: '%'
  year: 2030
"""

def _form(path: Path, base: float) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标名称", "单位", "2021年", "2022年", "2023年", "2024年"])
    ws.append(["婴儿死亡率", "‰", *[round(base - 0.2 * k, 1) for k in range(4)]])
    ws.append(["学前教育毛入园率", "%", 88.0, 89.1, 90.0, 91.2])
    wb.save(path)
    return path


@pytest.fixture
def city(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    for county, base in [("溪桥县", 4.8), ("梅岭县", 4.2), ("南湾区", 3.9)]:
        (data / county).mkdir(parents=True)
        _form(data / county / "卫健教育.xlsx", base)
    good = (data / "南湾区" / "卫健教育.xlsx").read_bytes()
    (data / "南湾区" / "民政.xlsx").write_bytes(good[: len(good) // 2])  # cut off in the copy
    with zipfile.ZipFile(data / "南湾区" / "妇联.xlsx", "w") as z:  # a zip of scans, named .xlsx
        z.writestr("扫描件/第1页.jpg", b"\xff\xd8\xff")
    (data / "南湾区" / "公安.xlsx").write_bytes(b"")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    return data, plan


def test_each_bad_file_says_what_it_is(city: tuple[Path, Path]) -> None:
    data, _ = city
    result = read_observations(data / "南湾区")
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(result.conflicts)
    whole = result.rejected[result.rejected["row"] == 0].set_index("file")["reason"]
    assert whole[str(data / "南湾区" / "公安.xlsx")] == "空文件（empty file）"
    assert "zip 压缩包" in whole[str(data / "南湾区" / "妇联.xlsx")]
    assert "扫描件/第1页.jpg" in whole[str(data / "南湾区" / "妇联.xlsx")]
    assert "无法读取文件" in whole[str(data / "南湾区" / "民政.xlsx")]


def test_the_batch_reports_the_others_names_each_bad_file_and_exits_1(city: tuple[Path, Path], tmp_path: Path) -> None:
    data, plan = city
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["batch", "--plans", str(plan), "--data", str(data), "--out", str(out),
                                      "--no-notebooks", "--quiet"])
    assert result.exit_code == 1, result.output
    summary = pd.read_csv(out / "summary.csv", encoding="utf-8-sig", keep_default_na=False).set_index("region")
    assert set(summary.index) == {"溪桥县", "梅岭县", "南湾区"} and (summary["status"] == "ok").all()
    assert summary.loc["南湾区", "rejected_rows"] == 3
    assert summary.loc["南湾区", "unreadable_files"] == 3 and summary.loc["溪桥县", "unreadable_files"] == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "3 个数据文件无法读取" in index  # the index says it beside the county's report, not only "ok"
    text = " ".join(result.output.split())
    assert "3 个数据文件无法读取" in text
    for name in ("公安.xlsx", "民政.xlsx", "妇联.xlsx"):
        assert f"南湾区 · {data / '南湾区' / name}" in text
    assert "空文件" in text and "zip 压缩包" in text


def test_a_batch_whose_files_all_read_still_exits_0(city: tuple[Path, Path], tmp_path: Path) -> None:
    data, plan = city
    result = CliRunner().invoke(app, ["batch", "--plans", str(plan), "--data", str(data), "--regions", "溪桥县,梅岭县",
                                      "--out", str(tmp_path / "r"), "--no-notebooks", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "无法读取" not in result.output



def test_assess_names_the_file_it_could_not_read(city: tuple[Path, Path]) -> None:
    """One county's folder: the grouped reasons said "1 × 空文件", not which file."""
    data, plan = city
    result = CliRunner().invoke(app, ["assess", str(plan), str(data / "南湾区"), "--region", "南湾区"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for name in ("公安.xlsx", "民政.xlsx", "妇联.xlsx"):
        assert f"无法读取的文件 {data / '南湾区' / name}" in text
