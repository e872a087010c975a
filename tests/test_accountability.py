import pandas as pd
import pytest
from conftest import make_plan, series_frame
from openpyxl import load_workbook
from typer.testing import CliRunner

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.core import config
from childplan_analysis.engine.accountability import (
    UNASSIGNED,
    by_unit,
    explain,
    sheet_names,
    split_units,
    unit_sheets,
    unit_summary,
    write_unit_workbook,
)
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.sources import load_observations

DEMO = config.DATA_DIR / "demo"


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("区卫健委、区教委", ["区卫健委", "区教委"]),
        ("区卫健委，区教委;区公安分局", ["区卫健委", "区教委", "区公安分局"]),
        ("区卫健委（牵头）、区教委、区卫健委", ["区卫健委", "区教委"]),
        (["区妇联", "区教委、区民政局"], ["区妇联", "区教委", "区民政局"]),
        ("区住房和城乡建设委", ["区住房和城乡建设委"]),  # 和 is part of a name, not a separator
        ("", []),
        (None, []),
    ],
)
def test_split_units(text, units):
    assert split_units(text) == units


def _results() -> pd.DataFrame:
    plan = make_plan([
        {"id": "imr", "indicator": "infant_mortality", "comparator": "<", "value": 3.0,
         "responsible": ["区卫健委"]},
        {"id": "pre", "indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95,
         "responsible": ["区教委、区卫健委"]},
        {"id": "imm", "indicator": "immunization_coverage", "comparator": ">=", "value": 99},
    ])
    obs = pd.concat([
        series_frame({y: 6.0 * 0.93 ** (y - 2014) for y in range(2014, 2025)}, "infant_mortality"),
        series_frame({y: 90 - 0.5 * (y - 2014) for y in range(2014, 2025)}, "preschool_gross_enrolment"),
        series_frame({y: 99.5 for y in range(2014, 2025)}, "immunization_coverage"),
    ])
    return assess(obs, plan)


def test_each_target_is_listed_under_every_responsible_unit():
    results = _results()
    frame = by_unit(results)
    listed = frame.groupby("responsible_unit")["target_id"].apply(set).to_dict()
    assert listed == {"区卫健委": {"imr", "pre"}, "区教委": {"pre"}, UNASSIGNED["zh"]: {"imm"}}
    shared = frame.set_index(["responsible_unit", "target_id"])["shared_with"]
    assert shared[("区教委", "pre")] == "区卫健委" and shared[("区卫健委", "imr")] == ""
    summary = unit_summary(results).set_index("unit")
    assert summary.loc["区卫健委", "targets"] == 2
    assert summary.loc["区教委", "regressing"] == 1 and summary.loc["区教委", "red"] == 1
    assert summary.index[0] in ("区卫健委", "区教委")  # units with red targets come first


def test_explanation_says_why_in_words():
    results = _results().set_index("target_id")
    text = explain(results.loc["pre"])
    assert text.startswith("逆向变化：") and "2024年为" in text and "%" in text
    assert "达标概率" in text and "向目标反方向变化" in text
    assert explain(results.loc["imm"]).startswith("已达标")
    en = explain(results.loc["pre"], lang="en")
    assert en.startswith("Regressing: ") and "moving away from the target" in en


def test_sheet_names_are_valid_and_unique():
    long = "某某区人民政府办公室某某某某某某某某某某某某某某某某某某某某"
    names = sheet_names(["区卫健委/区教委", long, long + "甲", "a[1]"])
    assert names["区卫健委/区教委"] == "区卫健委_区教委"
    assert all(len(n) <= 31 for n in names.values())
    assert len(set(n.lower() for n in names.values())) == 4
    assert names["a[1]"] == "a_1_"


def test_workbook_from_the_demo_run_has_one_sheet_per_unit(tmp_path):
    plan = load_plan(config.PARAMS_DIR / "dadukou_children_2021_2030.yaml")
    obs = load_observations(DEMO, errors="raise")
    results = assess(obs, plan, regions=[plan.region])
    path = write_unit_workbook(results, tmp_path / "units.xlsx", plan)
    units = set(u for r in results["responsible"] for u in split_units(r))
    if (results["responsible"] == "").any():
        units.add(UNASSIGNED["zh"])
    wb = load_workbook(path)
    assert set(wb.sheetnames) == {sheet_names(sorted(units))[u] for u in units}
    assert len(units) >= 5  # 区卫健委, 区教委, 区公安分局, 区妇联, 区残联, …
    expected = by_unit(results).groupby("responsible_unit").size()
    for unit in units:
        ws = wb[sheet_names([unit])[unit]]
        rows = list(ws.iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        assert "说明" in header and "状态" in header and "预警等级" in header
        assert len(body) == expected[unit]
        explanation = header.index("说明")
        assert all(r[explanation] for r in body)
    health = pd.read_excel(path, sheet_name="区卫健委")
    assert health["预警等级"].iloc[0] == "红" or not (results["warning_level"] == "red").any()


def test_workbook_summary_sheet_and_english(tmp_path):
    results = _results()
    path = write_unit_workbook(results, tmp_path / "u.xlsx", lang="en", summary=True)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Summary" and "区卫健委" in wb.sheetnames
    assert "Explanation" in pd.read_excel(path, sheet_name="区教委").columns
    with pytest.raises(ValueError, match=r"\.xlsx"):
        write_unit_workbook(results, tmp_path / "u.csv")


def test_unit_sheets_english_headings():
    sheets = unit_sheets(_results(), lang="en")
    assert set(sheets) == {"区卫健委", "区教委", UNASSIGNED["en"]}
    assert "Responsible unit" not in sheets["区教委"].columns and "Shared with" in sheets["区教委"].columns


def test_cli_accountability_writes_workbook(tmp_path):
    out = tmp_path / "units.xlsx"
    plan = config.PARAMS_DIR / "dadukou_children_2021_2030.yaml"
    res = CliRunner().invoke(app, ["accountability", str(plan), str(DEMO), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "区卫健委" in load_workbook(out).sheetnames
