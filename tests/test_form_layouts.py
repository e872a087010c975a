"""Departmental forms in the other layouts offices send: years down the rows, places across the
columns, and columns no layout reads (named in a warning, never silently dropped)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from childplan_analysis.io.sources import read_observations


def _book(path: Path, *sheets: tuple[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _accounted(result) -> None:
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(result.conflicts)


def test_years_down_the_rows_with_a_title_and_units_in_headings(tmp_path: Path) -> None:
    path = _book(tmp_path / "人社局.xlsx", ("人社", [
        ["柳溪县妇女就业和社会保障指标（2021—2023年）"],
        ["年份", "女性就业人员占比(%)", "村委会成员中女性比例（%）", "孕产妇死亡率（1/10万）"],
        [2021, 44.1, 24.0, 15.2],
        ["2022年", 44.3, 25.5, ""],
        [2023, 44.0, 27.0, 13.1],
        ["注：2023年为快报数。"],
    ]))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    obs = result.observations.set_index(["indicator", "year"])["value"]
    assert len(obs) == 8 and result.rejected.empty
    assert obs[("female_share_village_committee", 2022)] == 25.5
    assert obs[("maternal_mortality", 2023)] == 13.1
    assert ("maternal_mortality", 2022) not in obs.index  # an empty cell is no observation
    assert set(result.observations["unit"]) >= {"%", "1/10万"}
    assert list(result.skipped["reason"]) == ["说明行（note row）"]


def test_years_down_with_an_unnamed_year_column(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", ("s", [
        ["", "婴儿死亡率(‰)", "5岁以下儿童死亡率(‰)"],
        [2022, 4.8, 6.6],
        [2023, 4.6, 6.2],
    ]))
    result = read_observations(path, region="某县")
    _accounted(result)
    assert len(result.observations) == 4 and result.rejected.empty
    assert sorted(result.observations["year"].unique()) == [2022, 2023]


def test_a_bad_cell_in_a_years_down_form_names_its_row_and_column(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", ("s", [
        ["年份", "婴儿死亡率(‰)", "新生儿死亡率(‰)"],
        [2022, 4.8, "12.3.4"],  # junk (a mark such as 不详 is a value not reported, skipped)
    ]))
    result = read_observations(path, region="某县")
    _accounted(result)
    assert len(result.observations) == 1
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column) == (2, "新生儿死亡率(‰)")


def test_places_across_the_columns_take_the_year_from_the_title(tmp_path: Path) -> None:
    path = _book(tmp_path / "乡镇.xlsx", ("s", [
        ["2024年各乡镇儿童健康指标"],
        ["指标", "单位", "全县", "城关镇", "河西乡"],
        ["婴儿死亡率", "‰", 4.3, 3.9, 5.2],
        ["5岁以下儿童死亡率", "‰", 6.0, 5.1, ""],
    ]))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    obs = result.observations
    assert len(obs) == 5 and result.rejected.empty and set(obs["year"]) == {2024}
    whole = obs[obs["subregion"] == ""].set_index("indicator")["value"]
    assert whole.to_dict() == {"infant_mortality": 4.3, "under5_mortality": 6.0}
    assert set(obs["subregion"]) == {"", "城关镇", "河西乡"}


@pytest.mark.parametrize("title", [["各乡镇儿童健康指标"], ["2023—2024年各乡镇儿童健康指标"]])
def test_places_across_without_one_title_year_are_not_guessed(tmp_path: Path, title: list) -> None:
    path = _book(tmp_path / "f.xlsx", ("s", [title, ["指标", "单位", "全县", "城关镇"], ["婴儿死亡率", "‰", 4.3, 3.9]]))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.observations.empty and len(result.rejected) == 1
    assert "year" in result.rejected["column"].iloc[0]


def test_columns_no_layout_reads_are_named_in_a_warning(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", ("c", [
        ["序号", "指标", "2022年", "2023年", "2024年1-6月", "2023年比上年增减"],
        [1, "婴儿死亡率（‰）", 5.1, 4.8, 2.1, -0.3],
        [2, "学前教育毛入园率(%)", 90.2, 91.0, "", 0.8],
    ]))
    result = read_observations(path, region="某县")
    _accounted(result)
    assert len(result.observations) == 4
    (warning,) = [w for w in result.warnings if "未读取的列" in w]
    assert "2024年1-6月（1）" in warning and "2023年比上年增减（2）" in warning
    assert "序号" not in warning


def test_text_columns_no_layout_reads_are_not_taken_for_values(tmp_path: Path) -> None:
    """Provenance and remarks (the page a figure was read from, its wording) hold no values."""
    path = tmp_path / "long.csv"
    path.write_text("地区,指标,年份,数值,出处原文,核对人\n"
                    "某县,婴儿死亡率,2023,4.6,“婴儿死亡率为4.6‰”,张三\n"
                    "某县,婴儿死亡率,2024,4.3,“下降到4.3‰”,李四\n", encoding="utf-8")
    result = read_observations(path)
    _accounted(result)
    assert len(result.observations) == 2
    assert not [w for w in result.warnings if "未读取的列" in w]


def test_files_in_a_data_folder_that_are_not_read_are_named(tmp_path: Path) -> None:
    _book(tmp_path / "卫健局.xlsx", ("s", [["指标", "2023年"], ["婴儿死亡率", 4.6]]))
    (tmp_path / "教育局.et").write_bytes(b"\xd0\xcf\x11\xe0 not a workbook this reader knows")
    (tmp_path / "~$卫健局.xlsx").write_bytes(b"lock file of an open workbook")
    result = read_observations(tmp_path, region="某县")
    assert len(result.observations) == 1
    (warning,) = [w for w in result.warnings if "未读取" in w and "文件" in w]
    assert "教育局.et" in warning and "~$" not in warning


def _one_year_sheets(path, titles: dict[str, str | None]):
    """A workbook of one-year forms: indicator, unit and value columns, no year column."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for k, (sheet, title) in enumerate(titles.items()):
        ws = book.create_sheet(sheet)
        if title:
            ws.append([title])
        ws.append(["指标名称", "单位", "数值"])
        ws.append(["孕产妇死亡率", "1/10万", 17.0 - k])
        ws.append(["新生儿死亡率", "‰", 3.1 - k / 10])
    book.save(path)
    return path


def test_a_one_year_form_takes_its_year_from_its_title_or_its_sheet_name(tmp_path):
    path = _one_year_sheets(tmp_path / "历年.xlsx", {"2022年": None, "Sheet2": "2023年柳溪县妇幼健康统计表",
                                                     "2024年度": None})
    result = read_observations(path, region="柳溪县")
    got = {(o.indicator, int(o.year)): o.value for o in result.observations.itertuples()}
    assert got == {("maternal_mortality", 2022): 17.0, ("neonatal_mortality", 2022): 3.1,
                   ("maternal_mortality", 2023): 16.0, ("neonatal_mortality", 2023): 3.0,
                   ("maternal_mortality", 2024): 15.0, ("neonatal_mortality", 2024): 2.9}
    assert result.rejected.empty


@pytest.mark.parametrize("sheet, title", [("汇总", None), ("2024年1-6月", None), ("Sheet1", "2024年1-6月妇幼健康统计表"),
                                          ("Sheet1", "2022—2023年妇幼健康统计表")])
def test_a_form_without_one_whole_year_written_is_rejected_not_guessed(tmp_path, sheet, title):
    result = read_observations(_one_year_sheets(tmp_path / "f.xlsx", {sheet: title}), region="柳溪县")
    assert result.observations.empty and len(result.rejected) == 2
    assert all("年份" in r for r in result.rejected["reason"])
