"""A city's departmental forms as they arrive at 桐江市 (three counties: 溪桥县, 梅岭县, 南湾区):
statistics returns with 本年/上年/增减 columns, cells typed as offices type them, formulas a program
wrote but never calculated, county-by-indicator forms with a 全市 row and 城镇/农村 sub-columns, units
other than the catalog's. Each form is written here as a department fills it; every input row is
loaded, rejected or skipped with its reason."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from workbooks import assert_accounted as _accounted
from workbooks import form_book

from childplan_analysis.io.sources import read_observations

CITY = "桐江市"
_book = form_book




def _values(obs, **key) -> dict:
    rows = obs
    for column, value in key.items():
        rows = rows[rows[column] == value]
    return {(r.indicator, r.year): r.value for r in rows.itertuples()}


def test_a_formula_never_calculated_is_rejected_naming_its_cell_not_read_as_blank(tmp_path: Path) -> None:
    """openpyxl (like many reporting scripts) writes a formula without its value."""
    path = _book(tmp_path / "卫健委.xlsx", [
        ["指标名称", "单位", "2023年", "2024年", "死亡数", "活产数"],
        ["婴儿死亡率", "‰", 4.2, "=E2/F2*1000", 12, 3000],
        ["孕产妇死亡率", "1/10万", 10.1, "=E3/F3*100000", 0, 3000],
    ])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert _values(result.observations) == {("infant_mortality", 2023): 4.2, ("maternal_mortality", 2023): 10.1}
    rejected = result.rejected.sort_values("row")
    assert rejected["row"].tolist() == [2, 3] and set(rejected["column"]) == {"2024年"}
    assert "D2" in rejected["reason"].iloc[0] and "=E2/F2*1000" in rejected["reason"].iloc[0]
    assert rejected["reason"].str.contains("Excel 或 WPS").all()


def test_a_formula_in_the_last_cell_of_the_sheet_is_found_too(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [["指标名称", "单位", "2023年", "2024年"],
                                       ["婴儿死亡率", "‰", 4.2, "=C2*0.98"]])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert len(result.observations) == 1 and result.rejected["reason"].str.contains("=C2\\*0.98").all()


def test_a_calculated_formula_is_read_as_its_value(tmp_path: Path) -> None:
    """The same workbook as Excel saves it: formula and value both stored."""
    import zipfile

    path = _book(tmp_path / "f.xlsx", [["指标名称", "单位", "2023年", "2024年"], ["婴儿死亡率", "‰", 4.2, "=C2*0.98"]])
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(saved, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"<f>C2*0.98</f><v></v>", b"<f>C2*0.98</f><v>4.116</v>")
                assert b"<v>4.116</v>" in data
            dst.writestr(item, data)
    result = read_observations(saved, region=CITY)
    _accounted(result)
    assert result.rejected.empty and _values(result.observations)[("infant_mortality", 2024)] == 4.116


def test_of_which_columns_are_the_totals_groups_not_places_named_qizhong(tmp_path: Path) -> None:
    """``其中：城镇`` ended in 镇 and ``其中：农村`` in 村: they were read as two townships."""
    path = _book(tmp_path / "教育局.xlsx", [
        ["2024年桐江市学前教育统计表"],
        ["指标", "单位", "全市", "其中：城镇", "其中：农村", "其中：梅岭县"],
        ["学前教育毛入园率", "%", 91.5, 95.0, 87.2, 90.4],
    ])
    result = read_observations(path, region=CITY)
    _accounted(result)
    obs = result.observations.set_index(["area", "subregion"])["value"].to_dict()
    assert obs == {("total", ""): 91.5, ("urban", ""): 95.0, ("rural", ""): 87.2, ("total", "梅岭县"): 90.4}


def test_of_which_under_a_year_is_that_group_of_the_year(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标", "单位", "2023年", None, "2024年", None],
        [None, None, "合计", "其中：女", "合计", "其中：女"],
        ["学前教育毛入园率", "%", 90.2, 90.4, 91.5, 91.8],
    ], merges=("A1:A2", "B1:B2", "C1:D1", "E1:F1"))
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert _values(result.observations, sex="female") == {("preschool_gross_enrolment", 2023): 90.4,
                                                          ("preschool_gross_enrolment", 2024): 91.8}
    assert _values(result.observations, sex="total") == {("preschool_gross_enrolment", 2023): 90.2,
                                                         ("preschool_gross_enrolment", 2024): 91.5}


def _county_form(path: Path, title: str = "2024年桐江市各县（区）妇幼健康指标", whole: str = "全市") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年"
    for row in [
        [title],
        ["县（市、区）", "婴儿死亡率（‰）", "孕产妇死亡率（1/10万）", "3岁以下儿童系统管理率（%）", None],
        [None, None, None, "城镇", "农村"],
        [whole, 4.1, 10.5, 93.0, 90.1],
        ["溪桥县", 4.6, 12.0, 92.1, 89.0],
        ["梅岭县", 3.8, 0, 94.5, 91.2],
        ["南湾区", 3.9, 9.8, 95.0, 92.3],
        ["填表人：张三    审核人：李四"],
    ]:
        ws.append(row)
    for span in ("A2:A3", "B2:B3", "C2:C3", "D2:E2"):
        ws.merge_cells(span)
    old = wb.create_sheet("2023年模板")  # last year's copy, hidden
    old.sheet_state = "hidden"
    old.append(["县（市、区）", "婴儿死亡率（‰）"])
    old.append(["全市", 9.9])
    wb.save(path)
    return path


def test_a_citys_county_form_reads_groups_under_an_indicator_and_the_citys_own_row(tmp_path: Path) -> None:
    result = read_observations(_county_form(tmp_path / "卫健委.xlsx"))
    _accounted(result)
    obs = result.observations
    assert result.rejected.empty and len(obs) == 16 and set(obs["year"]) == {2024}
    city = obs[obs["region"] == CITY]
    assert _values(city, area="total") == {("infant_mortality", 2024): 4.1, ("maternal_mortality", 2024): 10.5}
    assert _values(city, area="urban") == {("child_systematic_management_under3", 2024): 93.0}
    assert _values(city, area="rural") == {("child_systematic_management_under3", 2024): 90.1}
    # the groups are no total of the indicator, nor an indicator named 城镇
    assert not ((obs["indicator"] == "child_systematic_management_under3") & (obs["area"] == "total")).any()
    assert _values(obs[obs["region"] == "梅岭县"], area="total")[("maternal_mortality", 2024)] == 0.0
    assert set(obs["region"]) == {CITY, "溪桥县", "梅岭县", "南湾区"} and set(obs["subregion"]) == {""}
    assert [s.row for s in result.skipped.itertuples()] == [8]
    assert any("全市 行按标题中的 桐江市 读取" in w for w in result.warnings)
    assert any("2023年模板" in n for n in result.warnings)
    assert 9.9 not in obs["value"].tolist()


def test_a_bad_cell_in_a_group_column_names_the_indicator_and_its_group(tmp_path: Path) -> None:
    path = _county_form(tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["2024年"]["E6"] = "九十一"
    wb.save(path)
    result = read_observations(path)
    _accounted(result)
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column) == (6, "3岁以下儿童系统管理率（%）/农村")


def test_a_total_row_the_title_does_not_resolve_stays_rejected(tmp_path: Path) -> None:
    """全县 under a city's title, or 全市 under a title naming no place: which region is not written."""
    for name, title, whole in [("a.xlsx", "2024年桐江市各县（区）妇幼健康指标", "全县"),
                               ("b.xlsx", "2024年各县（区）妇幼健康指标", "全市")]:
        result = read_observations(_county_form(tmp_path / name, title, whole))
        _accounted(result)
        assert set(result.rejected["row"]) == {4} and len(result.rejected) == 4
        assert CITY not in set(result.observations["region"])


def test_a_range_is_rejected_as_a_range(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "2022年", "2023年", "2024年"],
        ["3岁以下儿童系统管理率", "%", "95-96", "９５．２", "94～95%"],
    ])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert _values(result.observations) == {("child_systematic_management_under3", 2023): 95.2}
    reasons = result.rejected.set_index("column")["reason"]
    assert reasons["2022年"].startswith("数值是一个范围 95-96") and "范围" in reasons["2024年"]


def test_a_change_column_is_named_as_a_change_not_as_data_to_rename(tmp_path: Path) -> None:
    """``增减(%)`` beside 本年 | 上年: renaming it to a year, as the old message advised, would load
    the change as a value."""
    path = _book(tmp_path / "统计局.xlsx", [
        ["2024年桐江市卫生健康统计报表"],
        ["指标名称", "计量单位", "本年", "上年", "增减(%)"],
        ["婴儿死亡率", "‰", 4.1, 4.4, -6.8],
        ["孕产妇死亡率", "1/10万", 10.5, 11.9, -11.8],
    ])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert _values(result.observations) == {("infant_mortality", 2024): 4.1, ("infant_mortality", 2023): 4.4,
                                            ("maternal_mortality", 2024): 10.5, ("maternal_mortality", 2023): 11.9}
    (warning,) = [w for w in result.warnings if "增减(%)（2）" in w]
    assert "变化量" in warning and "改为年份" not in warning


def test_a_change_column_among_other_unread_columns_is_told_apart(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标", "单位", "2024年", "2023年", "同比增减", "2024年1-6月"],
        ["学前教育毛入园率", "%", 91.5, 90.2, 1.3, 90.8],
    ])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert len(result.observations) == 2
    (warning,) = [w for w in result.warnings if "未读取的列" in w]
    assert "改为年份" in warning and "其中 同比增减（1） 是增减、同比列" in warning


def test_this_year_and_last_take_the_sheets_year_when_the_title_names_none(tmp_path: Path) -> None:
    path = _book(tmp_path / "统计局.xlsx", [
        ["桐江市卫生健康统计报表"],
        ["指标名称", "计量单位", "本年", "上年", "增减(%)"],
        ["婴儿死亡率", "‰", 4.1, 4.4, -6.8],
    ], sheet="2024年")
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert _values(result.observations) == {("infant_mortality", 2024): 4.1, ("infant_mortality", 2023): 4.4}


def test_this_year_with_no_year_in_title_or_sheet_is_rejected_saying_so(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [["桐江市教育事业统计表"], ["指标", "单位", "本年"], ["学前教育毛入园率", "%", 91.5]])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert result.observations.empty
    (reason,) = result.rejected["reason"]
    assert "标题和工作表名中都没有写明唯一的全年年份" in reason


def test_the_date_a_form_was_filled_in_is_not_its_period(tmp_path: Path) -> None:
    """``填报日期：2025年1月15日`` above the header: neither a second year nor a one-month period."""
    for rows in ([["填报日期：2025年1月15日"], ["桐江市卫生健康统计报表（2024年）"]],
                 [["桐江市卫生健康统计报表（2024年）"], ["填报单位：桐江市卫生健康委员会", None, "填报日期：", "2025年1月"]]):
        path = _book(tmp_path / "f.xlsx", [*rows, ["指标名称", "单位", "本年", "上年"], ["婴儿死亡率", "‰", 4.1, 4.4]])
        result = read_observations(path, region=CITY)
        _accounted(result)
        assert _values(result.observations) == {("infant_mortality", 2024): 4.1, ("infant_mortality", 2023): 4.4}


def test_of_which_rows_are_groups_of_the_indicator_above(tmp_path: Path) -> None:
    """``其中：女`` under 学前教育毛入园率 was an unknown indicator and its values were lost."""
    path = _book(tmp_path / "教育局.xlsx", [
        ["指标", "单位", "2023年", "2024年"],
        ["学前教育毛入园率", "%", 90.2, 91.5],
        ["其中：女", "%", 90.4, 91.8],
        ["其中：农村", "%", 88.0, 89.1],
        ["婴儿死亡率", "‰", 4.2, 4.1],
        ["  其中:城镇", "‰", 3.9, 3.8],
    ])
    result = read_observations(path, region=CITY)
    _accounted(result)
    obs = result.observations
    assert result.rejected.empty and len(obs) == 10
    assert _values(obs, sex="female") == {("preschool_gross_enrolment", 2023): 90.4,
                                          ("preschool_gross_enrolment", 2024): 91.8}
    assert _values(obs, area="rural") == {("preschool_gross_enrolment", 2023): 88.0,
                                          ("preschool_gross_enrolment", 2024): 89.1}
    assert _values(obs, area="urban") == {("infant_mortality", 2023): 3.9, ("infant_mortality", 2024): 3.8}
    assert _values(obs, sex="total", area="total")[("preschool_gross_enrolment", 2024)] == 91.5
    assert any("第 3, 4, 6 行" in w for w in result.warnings)


def test_an_of_which_row_with_nothing_above_stays_rejected(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [["指标", "单位", "2024年"], ["其中：女", "%", 91.8], ["学前教育毛入园率", "%", 91.5]])
    result = read_observations(path, region=CITY)
    _accounted(result)
    assert len(result.observations) == 1 and result.rejected["row"].tolist() == [2]


def _xlsxwriter_form(path: Path, result: float | None = None) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["指标名称", "单位", "2023年", "2024年", "死亡数", "活产数"])
    sheet.write_row(1, 0, ["婴儿死亡率", "‰", 4.2])
    if result is None:
        sheet.write_formula(1, 3, "=E2/F2*1000")  # stored as 0, the workbook marked fullCalcOnLoad
    else:
        sheet.write_formula(1, 3, "=E2/F2*1000", None, result)
    sheet.write_row(1, 4, [12, 3000])
    book.close()
    return path


def test_a_zero_stored_for_a_formula_never_calculated_is_not_a_zero_rate(tmp_path: Path) -> None:
    result = read_observations(_xlsxwriter_form(tmp_path / "系统导出.xlsx"), region=CITY)
    _accounted(result)
    assert _values(result.observations) == {("infant_mortality", 2023): 4.2}
    (reason,) = result.rejected["reason"]
    assert "D2" in reason and "=E2/F2*1000" in reason


def test_a_result_the_writing_program_stored_is_read(tmp_path: Path) -> None:
    result = read_observations(_xlsxwriter_form(tmp_path / "f.xlsx", result=4.0), region=CITY)
    _accounted(result)
    assert result.rejected.empty and _values(result.observations)[("infant_mortality", 2024)] == 4.0


def test_a_calculated_zero_is_a_zero(tmp_path: Path) -> None:
    """Saved by an application that calculated it (no fullCalcOnLoad mark): 0 deaths give 0."""
    import zipfile

    path = _xlsxwriter_form(tmp_path / "f.xlsx")
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(saved, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                assert b' fullCalcOnLoad="1"' in data
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            dst.writestr(item, data)
    result = read_observations(saved, region=CITY)
    _accounted(result)
    assert result.rejected.empty and _values(result.observations)[("infant_mortality", 2024)] == 0.0
