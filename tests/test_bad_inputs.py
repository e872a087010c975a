"""The broken-input corpus (tests/data/bad/): each file gives its exact error message.

Plan catalogs are ``plan_*.yaml``; data files are shared with tests/test_loaders.py, which
checks their row accounting.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.core.errors import PlanError
from childplan_analysis.io.sources import read_observations

BAD = Path(__file__).parent / "data" / "bad"

COMPARATORS = ("'<=', '<', '>=', '>', 'maintain_ge', 'maintain_le', 'around', 'range', 'decrease', "
               "'increase', 'maintain', 'relative_decrease_pct', 'relative_increase_pct', "
               "'annual_decrease_pts', 'annual_increase_pts', 'annual_decrease_pct' or 'annual_increase_pct'")


def _at(name: str, line: int, column: int) -> str:
    return f'\n  in "{BAD / name}", line {line}, column {column}'


#: plan file → the exact (yaml path, message) problems it must give
PLAN_ERRORS: dict[str, list[tuple[str, str]]] = {
    "plan_duplicate_target_id.yaml": [
        ("<root>", "duplicate target id 'infant_mortality_2030' (targets[0] and targets[1])"),
    ],
    "plan_target_without_year.yaml": [("targets[1].year", "Field required")],
    "plan_unknown_comparator.yaml": [("targets[0].comparator", f"Input should be {COMPARATORS}")],
    "plan_unknown_indicator.yaml": [
        ("targets[0].indicator", "unknown indicator '婴儿死忙率'; close matches: 婴儿死亡率 (infant_mortality), "
         "1岁以下婴儿死亡率 (infant_mortality), 新生儿死亡率 (neonatal_mortality)"),
    ],
    "plan_value_in_wrong_unit.yaml": [
        ("targets[0].unit", "unit '人' cannot be converted to '‰' (infant_mortality)"),
    ],
    "plan_not_a_number.yaml": [("targets[0].value", "Input should be a finite number")],
    "plan_not_utf8.yaml": [("<file>", "not UTF-8 text (looks like GBK/GB18030; save the file as UTF-8)")],
    "plan_not_a_mapping.yaml": [("<root>", "expected a mapping with keys id, title, targets, …")],
    "plan_python_tag.yaml": [
        ("<yaml>", "not valid YAML: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
         "(only plain YAML data)" + _at("plan_python_tag.yaml", 3, 8)),
    ],
    "plan_duplicate_key.yaml": [
        ("<yaml>", "not valid YAML: while constructing a mapping" + _at("plan_duplicate_key.yaml", 9, 3)
         + "\nduplicate key 'value'" + _at("plan_duplicate_key.yaml", 13, 3)),
    ],
    "plan_yaml_syntax.yaml": [
        ("<yaml>", "not valid YAML: while scanning for the next token\nfound character '\\t' that cannot "
         "start any token" + _at("plan_yaml_syntax.yaml", 14, 1)),
    ],
}


def test_every_plan_file_has_a_test():
    assert {p.name for p in BAD.glob("plan_*.yaml")} == set(PLAN_ERRORS)


@pytest.mark.parametrize("name", sorted(PLAN_ERRORS))
def test_bad_plan_gives_its_exact_error(name):
    with pytest.raises(PlanError) as exc:
        load_plan(BAD / name)
    assert exc.value.problems == PLAN_ERRORS[name]
    assert exc.value.file == str(BAD / name)
    expected = "invalid plan catalog\n" + "\n".join(f"{BAD / name}: {p}: {m}" for p, m in PLAN_ERRORS[name])
    assert str(exc.value) == expected


def test_python_tag_in_a_plan_is_never_run(tmp_path):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(PlanError):
            load_plan(BAD / "plan_python_tag.yaml")
    finally:
        os.chdir(cwd)
    assert list(tmp_path.iterdir()) == []


def test_bad_plan_on_the_command_line_gives_the_message_not_a_traceback(tmp_path):
    result = CliRunner().invoke(app, ["assess", str(BAD / "plan_unknown_indicator.yaml"), str(BAD / "negative_mortality.csv")])
    assert result.exit_code == 2
    assert "unknown indicator '婴儿死忙率'" in result.output
    assert "Traceback" not in result.output


def test_plan_target_in_percent_for_a_permille_indicator_is_converted(tmp_path):
    text = (BAD / "plan_value_in_wrong_unit.yaml").read_text(encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace('value: 4\n  unit: "人"', 'value: 0.4\n  unit: "%"'), encoding="utf-8")
    target = load_plan(path).targets[0]
    assert (target.value, target.unit) == (pytest.approx(4.0), "‰")


#: data file → exact (row, column, reason) of each rejection
DATA_ERRORS = {
    "negative_mortality.csv": [
        (3, "数值", "数值 -2 超出 neonatal_mortality 的合理范围 [0, 1000]（value -2 outside the natural bounds [0, 1000] of neonatal_mortality）"),
    ],
    "gbk_read_as_latin1_saved_utf8.csv": [
        (0, "", "garbled text (乱码): the file looks like GBK text that was opened as Western "
         "(Windows-1252) and saved again (its first line reads '地区,指标名称,年份,数值,单位,数据来源'); "
         "save it again from the original as UTF-8 or GBK"),
    ],
    "gbk_read_as_utf8_saved.csv": [
        (0, "", "garbled text (乱码): the file contains replacement characters (\ufffd), so it was "
         "converted from another encoding (e.g. GBK opened as UTF-8) and characters were lost; "
         "export it again from the original"),
    ],
    "corrupt_workbook.xlsx": [
        (0, "", "无法读取文件（unreadable file: BadZipFile: File is not a zip file）"),
    ],
    "empty_file.csv": [(0, "", "空文件（empty file）")],
}


@pytest.mark.parametrize("name", sorted(DATA_ERRORS))
def test_bad_data_file_gives_its_exact_error(name):
    r = read_observations(BAD / name)
    got = list(zip(r.rejected["row"], r.rejected["column"], r.rejected["reason"], strict=True))
    assert got == DATA_ERRORS[name]
    assert r.rows_read == len(r.observations) + len(r.rejected)


def test_data_in_percent_for_a_permille_indicator_is_converted_and_noted(tmp_path):
    path = tmp_path / "imr.csv"
    path.write_text("地区,指标名称,年份,数值,单位\n磐石市,婴儿死亡率,2022,4.2,‰\n磐石市,婴儿死亡率,2023,0.39,%\n",
                    encoding="utf-8")
    obs = read_observations(path).observations.set_index("year")
    assert obs.loc[2023, "value"] == pytest.approx(3.9)
    assert obs.loc[2023, "note"] == "converted from %"
    assert set(obs["unit"]) == {"‰"}


def test_csv_saved_with_old_mac_line_endings_loads(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes("地区,指标,年份,数值\r磐石市,婴儿死亡率,2022,4.2\r磐石市,婴儿死亡率,2023,3.9\r".encode("gbk"))
    r = read_observations(path)
    assert r.ok and list(r.observations["value"]) == [4.2, 3.9]


def test_value_typed_in_percent_under_a_permille_heading_shows_as_a_series_break(tmp_path):
    from childplan_analysis.engine.quality import find_breaks

    path = tmp_path / "imr.csv"
    rows = "".join(f"磐石市,婴儿死亡率,{y},{v},‰\n" for y, v in
                   [(2016, 5.6), (2017, 5.3), (2018, 5.0), (2019, 4.8), (2020, 4.6), (2021, 4.4), (2022, 0.42)])
    path.write_text("地区,指标名称,年份,数值,单位\n" + rows, encoding="utf-8")
    obs = read_observations(path).observations
    breaks = find_breaks(obs)
    assert breaks[["indicator", "year"]].values.tolist() == [["infant_mortality", 2022]]


# ------------------------------------------------------------------ hostile files: bounded cost, a clear error

import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "data"))
from build_bad_files import build_hostile, raw_workbook  # noqa: E402

from childplan_analysis.core import config  # noqa: E402


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build_hostile(folder)


@pytest.mark.parametrize("name", ["far_cell.xlsx", "far_column.xlsx", "declared_dimension.xlsx",
                                  "shared_strings_declared.xlsx", "worksheet_bomb.xlsx"])
def test_hostile_workbook_is_one_rejection_with_its_exact_message(hostile, name):
    folder, cases = hostile
    r = read_observations(folder / name)
    assert (r.rows_read, len(r.observations), len(r.rejected)) == (1, 0, 1)
    reason = r.rejected["reason"].iloc[0]
    assert reason.startswith(f"{folder / name}：") and f"（{folder / name}: " in reason
    assert cases[name] in reason and "\n" not in reason


def test_hostile_workbook_on_the_command_line_exits_1_with_one_line_and_no_traceback(hostile):
    folder, _ = hostile
    res = CliRunner().invoke(app, ["validate", str(folder / "far_cell.xlsx")], env={"COLUMNS": "400"})
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "MAX_SHEET_CELLS" in res.output


def test_a_crashing_reader_rejects_its_file_and_the_others_still_load(hostile, tmp_path, monkeypatch):
    """Without the checks, the far cell makes the workbook reader abort (SIGABRT): in its child
    process that is one file's error, and the process goes on."""
    import childplan_analysis.io.readers as readers

    folder, _ = hostile
    monkeypatch.setattr(readers, "check_workbook", lambda path: None)
    good = tmp_path / "good.csv"
    good.write_text("地区,指标,年份,数值\n磐石市,婴儿死亡率,2022,4.1\n", encoding="utf-8")
    r = read_observations([folder / "far_cell.xlsx", good])
    assert len(r.observations) == 1
    reason = r.rejected["reason"].iloc[0]
    assert "the workbook reader crashed (SIGABRT)" in reason or "reading needs more than" in reason


def test_file_size_rows_and_columns_limits_name_the_file(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("地区,指标,年份,数值\n" + "磐石市,婴儿死亡率,2022,4.1\n" * 50, encoding="utf-8")
    monkeypatch.setattr(config, "MAX_ROWS", 20)
    assert read_observations(path).rejected["reason"].tolist() == [
        f"{path}：52 行，超过上限 20（{path}: 52 rows, above the limit of 20 (MAX_ROWS)）"]
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 100)
    size = path.stat().st_size
    assert read_observations(path).rejected["reason"].tolist() == [
        f"{path}：文件大小 {size:,} 字节，超过上限 100（{path}: file of {size:,} bytes is above the limit of 100 "
        "(MAX_FILE_BYTES)）"]


def test_many_rows_in_a_workbook_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_ROWS", 1_000)
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, 1_100))
    path = raw_workbook(tmp_path / "rows.xlsx", '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                        f'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')
    reason = read_observations(path).rejected["reason"].iloc[0]
    assert "worksheet xl/worksheets/sheet1.xml has more than 1,000 rows (MAX_ROWS)" in reason


def test_two_spellings_of_a_region_are_merged_with_a_warning(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("地区,指标,年份,数值\n磐石市,婴儿死亡率,2021,4.4\n磐石市\u200b,婴儿死亡率,2022,4.1\n"
                    "ＡＢ县,婴儿死亡率,2022,5.0\nAB县,婴儿死亡率,2023,4.9\n", encoding="utf-8")
    r = read_observations(path)
    assert sorted(set(r.observations["region"])) == ["AB县", "磐石市"]
    merged = [w for w in r.warnings if "写法已合并" in w]
    assert len(merged) == 1 and "磐石市<U+200B>" in merged[0] and "ＡＢ县" in merged[0]
