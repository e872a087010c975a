import csv
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError
from childplan_analysis.io import readers
from childplan_analysis.io.encoding import detect_encoding
from childplan_analysis.io.sources import load_observations, read_observations

CSV = "地区,指标,年份,数值,单位\n磐石市,婴儿死亡率,2020,4.5,‰\n磐石市,学前教育毛入园率,2020,91.2,%\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding(tmp_path, encoding):
    path = tmp_path / "obs.csv"
    path.write_bytes(CSV.encode(encoding))
    obs = load_observations(path)
    assert list(obs["indicator"]) == ["infant_mortality", "preschool_gross_enrolment"]
    assert list(obs["value"]) == [4.5, 91.2]
    assert set(obs["region"]) == {"磐石市"}


def test_detect_encoding():
    assert detect_encoding("婴儿".encode("gbk")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"


def test_units_are_converted_and_noted(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("region,indicator,year,value,unit\nA,新生儿死亡率,2020,0.25,%\nA,孕产妇死亡率,2020,0.15,‰\n",
                    encoding="utf-8")
    obs = load_observations(path).set_index("indicator")
    assert obs.loc["neonatal_mortality", "value"] == pytest.approx(2.5)
    assert obs.loc["neonatal_mortality", "unit"] == "‰"
    assert "converted from %" in obs.loc["neonatal_mortality", "note"]
    assert obs.loc["maternal_mortality", "value"] == pytest.approx(15.0)


def test_every_row_is_loaded_or_rejected_with_reason(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "region,indicator,year,value,unit,sex\n"
        "A,婴儿死亡率,2019,5.1,‰,\n"          # ok
        "A,婴儿死忙率,2019,5.1,‰,\n"          # unknown indicator
        "A,婴儿死亡率,20x9,5.1,‰,\n"          # bad year
        "A,婴儿死亡率,2018,—,‰,\n"            # not reported: skipped
        "A,婴儿死亡率,2017,1200,‰,\n"         # outside natural bounds
        "A,婴儿死亡率,2016,5,张,\n"            # incompatible unit
        "A,婴儿死亡率,2015,<0.1,‰,\n"         # a published bound: kept, censored
        "A,婴儿死亡率,2014,５．２,‰,男\n"      # full-width digits -> ok
        "A,婴儿死亡率,2013,\"1,000\",1/10万,\n"  # thousands separator, converted -> ok
        "A,婴儿死亡率,2012,6,‰,x\n",          # bad sex
        encoding="utf-8",
    )
    result = read_observations(path)
    assert result.rows_read == 9 and len(result.skipped) == 1
    assert len(result.observations) + len(result.rejected) == 9
    assert len(result.observations) == 4
    reasons = dict(zip(result.rejected["row"], result.rejected["reason"], strict=True))
    assert "unknown indicator" in reasons[3] and "infant_mortality" in reasons[3]
    assert "year" in reasons[4]
    assert result.skipped[["row", "reason"]].values.tolist() == [[5, "未填报（—）（not reported (—)）"]]
    assert "natural bounds" in reasons[6]
    assert "cannot be converted" in reasons[7]
    assert 8 not in reasons
    assert "sex" in reasons[11]
    cols = dict(zip(result.rejected["row"], result.rejected["column"], strict=True))
    assert cols[3] == "indicator" and cols[6] == "value" and cols[7] == "unit"
    ok = result.observations.set_index("year")
    assert ok.loc[2014, "value"] == pytest.approx(5.2) and ok.loc[2014, "sex"] == "male"
    assert ok.loc[2013, "value"] == pytest.approx(10.0)
    with pytest.raises(DataError) as exc:
        load_observations(path)
    assert "row 3, column indicator" in str(exc.value)
    assert len(exc.value.rejected) == 5


def test_conflicting_and_repeated_duplicates(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "region,indicator,year,value\nA,婴儿死亡率,2019,5.1\nA,婴儿死亡率,2019,5.1\n"
        "A,婴儿死亡率,2020,5.0\nA,婴儿死亡率,2020,4.0\nA,婴儿死亡率,2021,4.8\n",
        encoding="utf-8",
    )
    r = read_observations(path)
    assert r.rows_read == 5
    assert list(r.observations["year"]) == [2019, 2021]
    reasons = list(r.rejected.sort_values("row")["reason"])
    assert "repeat of" in reasons[0]
    assert all("conflicting duplicate" in x for x in reasons[1:])


def test_missing_required_column_rejects_every_row(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("region,indicator,value\nA,婴儿死亡率,5\nA,婴儿死亡率,6\n", encoding="utf-8")
    r = read_observations(path)
    assert len(r.rejected) == 2 and r.observations.empty
    assert "missing column(s) year" in r.rejected["reason"].iloc[0]


def test_empty_file_and_folder_of_files(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "a.csv").write_text("region,indicator,year,value\nA,婴儿死亡率,2020,5\n", encoding="utf-8")
    r = read_observations(tmp_path)
    assert len(r.observations) == 1
    assert r.rejected["reason"].tolist() == ["空文件（empty file）"]


def test_excel_long_form(tmp_path):
    path = tmp_path / "obs.xlsx"
    pd.DataFrame({"地区": ["A", "A"], "指标": ["婴儿死亡率", "新生儿死亡率"], "年份": [2020, 2020],
                  "数值": [5.0, 2.0]}).to_excel(path, index=False)
    obs = load_observations(path)
    assert sorted(obs["indicator"]) == ["infant_mortality", "neonatal_mortality"]


def test_bundled_national_data_loads_cleanly():
    r = read_observations(config.NATIONAL_DATA_DIR)
    assert r.ok, r.rejected
    assert r.rows_read == len(r.observations) > 200
    assert r.observations["source"].str.startswith("http").all()
    imr = r.observations.query("region == '全国' and indicator == 'infant_mortality' and area == 'total'")
    assert imr.set_index("year").loc[2020, "value"] == pytest.approx(5.4)


# ---------------------------------------------------------------- broken inputs, one per fault

BAD = config.PROJECT_ROOT / "tests" / "data" / "bad"
# file: (rows read, loaded, [(row, column, reason fragment), ...] in report order)
BAD_FILES = {
    "unknown_indicator.csv": (3, 1, [
        (3, "指标名称", "unknown indicator '婴儿死忙率'; close matches: 婴儿死亡率 (infant_mortality)"),
        (4, "指标名称", "unknown indicator '地区生产总值'; no close match"),
    ]),
    "gbk_unknown_indicator.csv": (2, 1, [
        (3, "指标名称", "unknown indicator '婴儿存活率'; close matches: 婴儿死亡率 (infant_mortality)"),
    ]),
    "year_not_a_number.csv": (3, 1, [
        (3, "年份", "year is not a whole number"), (4, "年份", "year is not a whole number"),
    ]),
    "year_out_of_range.csv": (3, 1, [
        (2, "年份", "year outside 1949–2100"), (4, "年份", "year outside 1949–2100"),
    ]),
    # —, / and 未统计 say "not reported": skipped, not read (test_placeholders_are_skipped_not_rejected)
    "value_not_reported.csv": (2, 1, [(6, "数值", "no value reported (empty cell)")]),
    # published bounds are kept, value and censor (test_published_bounds_are_kept_with_their_comparator)
    "value_is_a_bound.csv": (3, 3, []),
    "value_not_a_number.csv": (3, 1, [
        (3, "数值", "value is not a number"), (4, "数值", "value is not a number"),
    ]),
    "mortality_above_natural_bound.csv": (3, 2, [
        (3, "数值", "value 1200 outside the natural bounds [0, 1000] of infant_mortality"),
    ]),
    "unit_not_convertible.csv": (2, 1, [
        (3, "单位", "unit 人 cannot be converted to ‰ (the unit of infant_mortality)"),
    ]),
    "unit_conflict.csv": (2, 1, [
        (3, "单位", "conflicting units: unit column says %, value cell says ‰"),
    ]),
    "conflicting_duplicates.csv": (3, 1, [
        (3, "value", "conflicting duplicate: row 3, row 4 give different values"),
        (4, "value", "conflicting duplicate: row 3, row 4 give different values"),
    ]),
    "repeated_rows.csv": (3, 2, [(4, "", "repeat of row 3 (same value, loaded once)")]),
    "missing_year_column.csv": (2, 0, [
        (2, "year", "missing column(s) year; columns seen: 地区, 指标名称, 数值, 单位"),
        (3, "year", "missing column(s) year"),
    ]),
    "duplicate_columns.csv": (2, 0, [
        (2, "数值", "duplicate column(s) 数值"), (3, "数值", "duplicate column(s) 数值"),
    ]),
    "bad_sex_code.csv": (3, 2, [(4, "性别", "sex must be 男/女/合计")]),
    "bad_area_code.csv": (2, 1, [(3, "城乡", "area must be 城镇/农村/合计")]),
    "empty_region.csv": (2, 1, [(3, "地区", "region is empty")]),
    "unquoted_thousands_separator.csv": (2, 1, [
        (3, "", "row has more fields than the header's 6 (an unquoted comma"),
    ]),
    "empty_file.csv": (1, 0, [(0, "", "空文件（empty file）")]),
    "corrupt_workbook.xlsx": (1, 0, [(0, "", "unreadable file: BadZipFile")]),
    "spreadsheet_error_cell.xlsx": (2, 1, [(3, "数值", "spreadsheet error #DIV/0! instead of a value")]),
    "wide_unknown_indicator_and_bound.xlsx": (10, 8, [
        (7, "指标名称", "unknown indicator '婴儿死忙率'; close matches: 婴儿死亡率"),
        (8, "2023年", "value 120000 outside the natural bounds [0, 100000] of maternal_mortality"),
    ]),
    "negative_mortality.csv": (2, 1, [
        (3, "数值", "数值 -2 超出 neonatal_mortality 的合理范围 [0, 1000]（value -2 outside the natural bounds [0, 1000] of neonatal_mortality）"),
    ]),
    "gbk_read_as_latin1_saved_utf8.csv": (1, 0, [(0, "", "garbled text (乱码)")]),
    "gbk_read_as_utf8_saved.csv": (1, 0, [(0, "", "garbled text (乱码)")]),
    "wide_without_region.xlsx": (6, 0, [
        (r, "region", "missing column(s) region") for r in (5, 5, 5, 6, 6, 6)
    ]),
}


def test_every_fault_has_a_file_and_every_file_a_test():
    assert {p.name for p in BAD.iterdir() if p.suffix not in (".py", ".yaml")} == set(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_its_error_and_exact_row_accounting(name):
    rows_read, loaded, expected = BAD_FILES[name]
    r = read_observations(BAD / name)
    assert (r.rows_read, len(r.observations), len(r.rejected)) == (rows_read, loaded, len(expected))
    assert r.rows_read == len(r.observations) + len(r.rejected)
    got = list(zip(r.rejected["row"], r.rejected["column"], r.rejected["reason"], strict=True))
    for (row, column, fragment), (g_row, g_column, g_reason) in zip(expected, got, strict=True):
        assert (g_row, g_column) == (row, column), g_reason
        assert fragment in g_reason
    assert set(r.rejected["file"]) == ({str(BAD / name)} if expected else set())
    assert r.files[["rows_read", "loaded", "rejected"]].iloc[0].tolist() == [rows_read, loaded, len(expected)]
    if not expected:
        return
    with pytest.raises(DataError) as exc:
        load_observations(BAD / name)
    assert expected[0][2] in str(exc.value) and "Traceback" not in str(exc.value)


def test_bad_files_together_account_for_every_row_per_file():
    r = read_observations(BAD)
    assert r.rows_read == sum(v[0] for v in BAD_FILES.values())
    # every row is loaded, rejected, or superseded by a later file's value (listed as a conflict)
    assert r.rows_read == len(r.observations) + len(r.rejected) + len(r.conflicts)
    files = r.files.assign(name=r.files["file"].map(lambda f: f.rsplit("/", 1)[-1])).set_index("name")
    assert (files["rows_read"] == files["loaded"] + files["rejected"] + files["superseded"]).all()
    assert files["rows_read"].to_dict() == {k: v[0] for k, v in BAD_FILES.items()}
    # the same key in several files: the file read last (by name) wins, the other is listed
    assert len(r.conflicts) and (r.conflicts["kept_file"] > r.conflicts["dropped_file"]).all()
    # an earlier file's repeat of the kept value is superseded too, never rejected as an error
    assert (r.conflicts["kept_value"] != r.conflicts["dropped_value"]).any()
    assert not r.rejected["reason"].astype(str).str.contains(r"repeat of \S+\.\w+ ", regex=True).any()


def test_enrolment_above_100_is_allowed_where_the_indicator_allows_it():
    obs = read_observations(BAD / "mortality_above_natural_bound.csv").observations.set_index("indicator")
    assert obs.loc["preschool_gross_enrolment", "value"] == pytest.approx(120.5)


def test_wide_form_reports_the_note_row_it_skipped():
    r = read_observations(BAD / "wide_unknown_indicator_and_bound.xlsx")
    assert r.skipped[["sheet", "row"]].values.tolist() == [["卫健委", 9]]
    assert r.skipped["text"].iloc[0].startswith("填表人")
    obs = r.observations.set_index(["indicator", "year"])
    assert set(obs.index.get_level_values(0)) == {"infant_mortality", "neonatal_mortality",
                                                  "maternal_mortality"}
    assert obs.loc[("neonatal_mortality", 2022), "value"] == pytest.approx(2.4)
    assert set(r.observations["region"]) == {"磐石市"}  # from the '地区：磐石市' line


# ---------------------------------------------------------------- the wide departmental form


def _wide_workbook(path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "卫健委"
    ws["A1"] = "2023年磐石市儿童发展规划监测指标（卫健委）"
    ws.merge_cells("A1:F1")
    ws.append(["序号", "指标名称", "单位", "2021年", "2022年", "2023年"])
    ws.append(["一、", "儿童与健康", None, None, None, None])  # section row: no values
    ws.append([1, "婴儿死亡率", "‰", 4.6, "4.2", "3.9"])
    ws.append([2, "孕产妇死亡率", "1/10万", 11.2, None, 10.3])
    ws.append([2, "5岁以下儿童死亡率", None, None, None, "0.62%"])  # unit in the cell: 6.2‰
    ws.append([3, "新生儿死亡率（%）", None, 0.25, 0.23, 0.2])  # unit in the name: converted to ‰
    ws.append([4, "学前教育毛入园率", "%", "９１．２", "92.0", "1,00"])
    ws2 = wb.create_sheet("教育局")
    ws2["A1"] = "指标"
    ws2["B1"] = "2022年"
    ws2.merge_cells("B1:C1")
    ws2["D1"] = "2023年"
    ws2.merge_cells("D1:E1")
    for j, code in enumerate(["城镇", "农村", "城镇", "农村"]):
        ws2.cell(2, 2 + j, code)
    ws2["A3"] = "九年义务教育巩固率"
    for j, v in enumerate([97.1, 94.0, 97.5, 95.2]):
        ws2.cell(3, 2 + j, v)
    wb.save(path)
    return path


def test_wide_excel_form_with_title_rows_units_and_merged_year_headers(tmp_path):
    path = _wide_workbook(tmp_path / "departments.xlsx")
    r = read_observations(path, region="磐石市")
    assert r.rows_read == 16 and len(r.observations) == 16 and r.ok
    obs = r.observations.set_index(["indicator", "year", "area"])["value"]
    assert obs[("infant_mortality", 2022, "total")] == pytest.approx(4.2)
    assert obs[("maternal_mortality", 2023, "total")] == pytest.approx(10.3)
    assert ("maternal_mortality", 2022, "total") not in obs.index  # empty cell: no record
    assert obs[("under5_mortality", 2023, "total")] == pytest.approx(6.2)
    assert obs[("neonatal_mortality", 2021, "total")] == pytest.approx(2.5)
    assert obs[("preschool_gross_enrolment", 2021, "total")] == pytest.approx(91.2)
    assert obs[("preschool_gross_enrolment", 2023, "total")] == pytest.approx(100.0)
    assert obs[("compulsory_education_retention", 2022, "rural")] == pytest.approx(94.0)
    assert obs[("compulsory_education_retention", 2023, "urban")] == pytest.approx(97.5)
    neo = r.observations.query("indicator == 'neonatal_mortality'")
    assert (neo["unit"] == "‰").all() and neo["note"].str.contains("converted from %").all()


def test_placeholders_are_skipped_not_rejected(tmp_path):
    """—, ／, …, 无, 不适用 say "not reported": each is a skipped row naming what is missing, not a
    rejection; junk next to them (12.3.4, 约九成) and an empty value cell stay rejections."""
    from childplan_analysis.io.placeholders import missing_values

    r = read_observations(BAD / "value_not_reported.csv")
    assert r.skipped[["row", "reason"]].values.tolist() == [
        [3, "未填报（—）（not reported (—)）"], [4, "未填报（/）（not reported (/)）"],
        [5, "未填报（未统计）（not reported (未统计)）"]]
    path = tmp_path / "form.csv"
    path.write_text("地区,指标,年份,数值\n甲县,婴儿死亡率,2019,－\n甲县,婴儿死亡率,2020,…\n甲县,婴儿死亡率,2021, 无 \n"
                    "甲县,婴儿死亡率,2022,不适用\n甲县,婴儿死亡率,2023,12.3.4\n甲县,学前教育毛入园率,2023,约九成\n"
                    "甲县,婴儿死亡率,2024,4.1\n", encoding="utf-8")
    r = read_observations(path)
    assert (r.rows_read, len(r.observations), len(r.skipped)) == (3, 1, 4)
    assert r.rejected[["row", "column"]].values.tolist() == [[6, "数值"], [7, "数值"]]
    assert r.files[["rows_read", "loaded", "rejected", "skipped"]].iloc[0].tolist() == [3, 1, 2, 4]
    missing = missing_values(r.skipped)
    assert missing[["region", "indicator", "year", "mark"]].values.tolist() == [
        ["甲县", "婴儿死亡率", 2019, "－"], ["甲县", "婴儿死亡率", 2020, "…"], ["甲县", "婴儿死亡率", 2021, "无"],
        ["甲县", "婴儿死亡率", 2022, "不适用"]]
    assert load_observations(path, errors="report").attrs["skipped"]["reason"].str.startswith("未填报").all()


def test_wide_csv_in_gbk_is_read_like_the_excel_form(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes("指标名称,单位,2022年,2023年\n婴儿死亡率,‰,4.2,3.9\n学前教育毛入园率,%,92,—\n"
                     .encode("gbk"))
    r = read_observations(path, region="磐石市")
    assert (r.rows_read, len(r.observations), len(r.rejected)) == (3, 3, 0)
    assert r.skipped[["row", "text"]].values.tolist() == [[3, "磐石市 · 学前教育毛入园率 · 2023年"]]


def test_long_excel_with_title_row_and_merged_region_cells(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "各县区2023年儿童健康指标"
    ws.append(["地区", "指标", "年份", "性别", "数值(‰)"])
    ws.append(["磐石市", "婴儿死亡率", 2023, "男", 4.1])
    ws.append([None, "婴儿死亡率", 2023, "女", 3.5])
    ws.merge_cells("A3:A4")
    path = tmp_path / "long.xlsx"
    wb.save(path)
    obs = load_observations(path)
    assert obs[["region", "sex", "value", "unit"]].values.tolist() == [
        ["磐石市", "female", 3.5, "‰"], ["磐石市", "male", 4.1, "‰"]]


def test_breakdowns_and_totals_coexist(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "地区,乡镇,指标,年份,性别,城乡,年龄组,数值\n"
        "磐石市,,婴儿死亡率,2023,,,,3.9\n"
        "磐石市,,婴儿死亡率,2023,男,,,4.2\n"
        "磐石市,,婴儿死亡率,2023,,农村,,4.6\n"
        "磐石市,明城镇,婴儿死亡率,2023,,,,5.0\n"
        "磐石市,磐石市,婴儿死亡率,2022,合计,合计,合计,4.1\n"
        "磐石市,,高中阶段毛入学率,2023,,,15～17岁,93\n",
        encoding="utf-8",
    )
    obs = load_observations(path)
    assert len(obs) == 6
    keys = obs[["year", "sex", "area", "age_group", "subregion"]].values.tolist()
    assert [2023, "total", "total", "total", ""] in keys
    assert [2023, "male", "total", "total", ""] in keys
    assert [2023, "total", "rural", "total", ""] in keys
    assert [2023, "total", "total", "total", "明城镇"] in keys
    assert [2022, "total", "total", "total", ""] in keys  # 合计 and the region itself = total
    assert [2023, "total", "total", "15-17岁", ""] in keys


def test_parquet_and_filters(tmp_path):
    path = tmp_path / "obs.parquet"
    pd.DataFrame({"region": ["A", "A", "B"], "indicator": ["婴儿死亡率", "新生儿死亡率", "婴儿死亡率"],
                  "year": [2020, 2020, 2021], "value": [5.0, 2.0, 4.5]}).to_parquet(path)
    assert len(load_observations(path)) == 3
    one = load_observations(path, region="A", indicators=["婴儿死亡率"])
    assert one[["region", "indicator", "value"]].values.tolist() == [["A", "infant_mortality", 5.0]]
    with pytest.raises(Exception, match="close matches"):
        load_observations(path, indicators=["婴儿死忙率"])


def test_region_argument_fills_and_selects(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("指标,年份,数值\n婴儿死亡率,2020,5\n", encoding="utf-8")
    assert load_observations(path, region="磐石市")["region"].tolist() == ["磐石市"]
    with pytest.raises(DataError, match="missing column"):
        load_observations(path)


def test_frame_has_fixed_dtypes_and_passes_its_schema(tmp_path):
    from childplan_analysis.core.columns import LOADED_COLUMNS, OPTIONAL_COLUMNS
    from childplan_analysis.io.loaders import check_observations

    obs = load_observations(config.NATIONAL_DATA_DIR)
    assert list(obs.columns) == [*LOADED_COLUMNS, *OPTIONAL_COLUMNS]  # the national data name publications
    assert str(obs["year"].dtype) == "int64" and str(obs["value"].dtype) == "float64"
    check_observations(obs)
    broken = obs.copy()
    broken.loc[0, "sex"] = "unknown"
    with pytest.raises(DataError, match="sex"):
        check_observations(broken)


def test_csv_loader_is_vectorised_over_many_rows(tmp_path):
    import numpy as np

    n = 20_000
    years = 1990 + np.arange(n) % 30
    regions = np.char.add("县", (np.arange(n) // 30).astype(str))
    frame = pd.DataFrame({"地区": regions, "指标": "婴儿死亡率", "年份": years,
                          "数值": np.round(np.linspace(1, 9, n), 3).astype(str)})
    frame.loc[7, "数值"] = "—"  # not reported: skipped
    frame.loc[8, "数值"] = "9.9.9"  # junk: rejected
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    r = read_observations(path)
    assert (r.rows_read, len(r.observations), len(r.rejected), len(r.skipped)) == (n - 1, n - 2, 1, 1)
    assert r.rejected["row"].tolist() == [10] and r.skipped["row"].tolist() == [9]


# ------------------------------------------------------------------ a county's own forms (issue: intake never lies)

QINGHE_PLAN = """\
id: qinghe_children_2021_2030
title: 青禾县儿童发展规划（2021—2030年）
region: 青禾县
level: county
period: [2021, 2030]
targets:
- {id: infant_mortality_2030, indicator: infant_mortality, domain: health, comparator: "<=", value: 4,
   unit: ‰, year: 2030, clause: 婴儿死亡率控制在4‰以下}
- {id: under5_mortality_2030, indicator: under5_mortality, domain: health, comparator: "<=", value: 5,
   unit: ‰, year: 2030, clause: 5岁以下儿童死亡率控制在5‰以下}
- {id: maternal_mortality_2030, indicator: maternal_mortality, domain: health, comparator: "<=", value: 10,
   unit: 1/10万, year: 2030, clause: 孕产妇死亡率控制在10/10万以下}
- {id: preschool_2030, indicator: preschool_gross_enrolment, domain: education, comparator: ">=", value: 95,
   unit: "%", year: 2030, clause: 学前教育毛入园率达到95%以上}
"""


def health_bureau_form(path, years=(2019, 2020, 2021, 2022, 2023)):
    """A 卫健局 return as departments send it: title, 填报单位 line, merged year header, unit
    column, section rows, a 注 row and sign-off rows, and no 地区 line."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "卫健局"
    last = openpyxl.utils.get_column_letter(2 + len(years))
    ws["A1"] = "青禾县妇女儿童发展规划监测指标统计表"
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = "填报单位（盖章）：青禾县卫生健康局"
    ws.merge_cells("A2:C2")
    ws["A3"], ws["B3"], ws["C3"] = "指标名称", "计量单位", "年份"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells(f"C3:{last}3")
    for j, year in enumerate(years):
        ws.cell(4, 3 + j, f"{year}年")
    rows = [
        ["一、儿童与健康"],
        ["婴儿死亡率", "‰", 5.4, 5.1, 4.9, 4.6, 4.4],
        ["5岁以下儿童死亡率", "‰", 7.0, 6.7, 6.3, 6.0, 5.8],
        ["孕产妇死亡率", "1/10万", 14.1, 13.5, 12.8, 12.1, 11.6],
        ["二、儿童与教育"],
        ["学前教育毛入园率", "%", 86.0, 87.5, 89.1, 90.4, 91.8],
        ["注：1.死亡率按常住人口口径统计；2.2023年为快报数。"],
        ["填表人：张三", None, "审核人：李四", None, "联系电话：0432-1234567"],
        ["单位负责人：王五", None, None, "填报日期：2024年3月1日"],
    ]
    for row in rows:
        ws.append(row[: 2 + len(years)] if len(row) > 2 else row)
        if len(row) == 1 and row[0].startswith(("一", "二", "注")):
            ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
    wb.save(path)
    return path


@pytest.fixture
def county(tmp_path):
    (tmp_path / "data").mkdir()
    form = health_bureau_form(tmp_path / "data" / "卫健局2023.xlsx")
    plan = tmp_path / "qinghe.yaml"
    plan.write_text(QINGHE_PLAN, encoding="utf-8")
    return {"form": form, "plan": plan, "dir": tmp_path}


def _cli(args):
    from typer.testing import CliRunner

    from childplan_analysis.cli.app import app

    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_form_furniture_is_skipped_with_its_reason_and_the_plan_region_fills_the_form(county):
    from childplan_analysis.catalog.plans import load_plan

    r = read_observations(county["form"], plan=load_plan(county["plan"]))
    assert (r.rows_read, len(r.observations), len(r.rejected)) == (20, 20, 0)
    assert set(r.observations["region"]) == {"青禾县"}
    skipped = dict(zip(r.skipped["row"], r.skipped["reason"], strict=True))
    assert skipped == {5: "分组标题行（section heading）", 9: "分组标题行（section heading）",
                       11: "说明行（note row）", 12: "签署栏（sign-off row: 填表人/审核人/联系电话…）",
                       13: "签署栏（sign-off row: 填表人/审核人/联系电话…）"}
    assert "联系电话：0432-1234567" in r.skipped.set_index("row").loc[12, "text"]
    assert r.files[["rows_read", "loaded", "rejected", "superseded", "skipped"]].iloc[0].tolist() == [20, 20, 0, 0, 5]


def test_validate_exits_0_on_a_clean_form_with_the_plan_and_groups_reasons_without_it(county):
    res = _cli(["validate", county["form"], "--plan", county["plan"]])
    assert res.exit_code == 0, res.output
    assert "20 rows read: 20 loaded, 0 rejected" in res.output and "5 form note row(s) skipped" in res.output
    res = _cli(["validate", county["form"]])
    assert res.exit_code == 1
    # the 20 cells share one reason: it is printed once, with its count, in Chinese first
    assert res.output.count("缺少地区列") == 1
    line = next(x for x in res.output.splitlines() if "缺少地区列" in x)
    assert "（20 条）" in line and "row 6–8, 10" in line


def test_every_command_fills_the_plan_region(county):
    res = _cli(["assess", county["plan"], county["dir"] / "data"])
    assert res.exit_code == 0, res.output
    assert "数据不足" not in res.output and "insufficient" not in res.output
    res = _cli(["quality", county["dir"] / "data", "--plan", county["plan"]])
    assert res.exit_code == 0 and "青禾县" in res.output


def test_a_plan_whose_region_is_not_in_the_data_is_an_error_listing_the_regions(county, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("地区,指标,年份,数值\n" + "".join(f"磐石市,婴儿死亡率,{y},{5 - (y - 2018) * 0.2:.1f}\n"
                                                   for y in range(2018, 2024)) + "桦甸市,婴儿死亡率,2022,4.8\n",
                     encoding="utf-8")
    res = _cli(["assess", county["plan"], other])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "青禾县" in res.output and "磐石市" in res.output and "桦甸市" in res.output
    res = _cli(["validate", other, "--plan", county["plan"]])
    assert res.exit_code == 1 and "regions found: 桦甸市, 磐石市" in res.output
    # unless the analyst names the region
    res = _cli(["assess", county["plan"], other, "--region", "磐石市"])
    assert res.exit_code == 0, res.output


def test_assess_exits_1_with_the_reason_when_no_target_can_be_monitored(county, tmp_path):
    thin = tmp_path / "thin.csv"
    thin.write_text("地区,指标,年份,数值\n青禾县,新生儿死亡率,2022,2.2\n", encoding="utf-8")
    res = _cli(["assess", county["plan"], thin])
    assert res.exit_code == 1
    assert "没有任何目标可以监测" in res.output and "no target can be monitored" in res.output


def test_two_files_disagreeing_the_later_file_wins_and_every_conflict_is_listed(tmp_path):
    head = "地区,指标名称,年份,数值,单位\n"
    old = tmp_path / "2023年报.csv"
    old.write_text(head + "".join(f"青禾县,婴儿死亡率,{y},{v},‰\n" for y, v in
                                  [(2018, 6.0), (2019, 5.6), (2020, 5.3), (2021, 5.0), (2022, 4.8)]), encoding="utf-8")
    new = tmp_path / "2024年报.csv"
    new.write_text(head + "".join(f"青禾县,婴儿死亡率,{y},{v},‰\n" for y, v in
                                  [(2021, 4.9), (2022, 4.6), (2023, 4.3)]), encoding="utf-8")
    r = read_observations(tmp_path)
    # no year disappears: 2018–2023 all loaded, overlapping years from the later file
    obs = r.observations.set_index("year")["value"]
    assert obs.to_dict() == {2018: 6.0, 2019: 5.6, 2020: 5.3, 2021: 4.9, 2022: 4.6, 2023: 4.3}
    assert r.ok and r.rows_read == len(r.observations) + len(r.conflicts) == 8
    c = r.conflicts.sort_values("year")
    assert c[["year", "kept_value", "dropped_value", "kept_row", "dropped_row"]].values.tolist() == [
        [2021, 4.9, 5.0, 2, 5], [2022, 4.6, 4.8, 3, 6]]
    assert set(c["kept_file"]) == {str(new)} and set(c["dropped_file"]) == {str(old)}
    assert r.files.set_index("file").loc[str(old), "superseded"] == 2
    # --prefer turns the rule round
    r2 = read_observations(tmp_path, prefer=[old.name])
    assert r2.observations.set_index("year")["value"].loc[[2021, 2022]].tolist() == [5.0, 4.8]
    res = _cli(["validate", tmp_path])
    assert res.exit_code == 0
    assert "2 处文件间数值冲突" in res.output and "采用" in res.output and "4.8" in res.output
    res = _cli(["validate", tmp_path, "--prefer", tmp_path / "nope.csv"])
    assert res.exit_code == 1 and "nope.csv" in res.output


def test_two_files_agreeing_on_a_year_load_it_once_without_an_error(tmp_path):
    """Departments often send last year's figure again: a repeat of the later file's value is
    superseded and counted, not rejected, so `validate` passes; a disagreement is still listed."""
    head = "地区,指标名称,年份,数值,单位\n"
    old = tmp_path / "a_卫健局.csv"
    old.write_text(head + "".join(f"青禾县,婴儿死亡率,{y},{v},‰\n" for y, v in [(2021, 5.0), (2022, 4.8)]),
                   encoding="utf-8")
    new = tmp_path / "b_统计局.csv"
    new.write_text(head + "".join(f"青禾县,婴儿死亡率,{y},{v},‰\n" for y, v in [(2021, 5.0), (2022, 4.6), (2023, 4.3)]),
                   encoding="utf-8")
    r = read_observations(tmp_path)
    assert r.ok and r.rejected.empty
    assert r.observations.set_index("year")["value"].to_dict() == {2021: 5.0, 2022: 4.6, 2023: 4.3}
    assert r.rows_read == len(r.observations) + len(r.conflicts) == 5
    assert r.files.set_index("file").loc[str(old), "superseded"] == 2
    assert "1 行与后读入文件数值相同" in r.summary() and "1 行被后读入文件的不同数值取代" in r.summary()
    res = _cli(["validate", tmp_path])
    assert res.exit_code == 0
    assert "1 处文件间数值冲突" in res.output and "4.8" in res.output
    assert "青禾县 婴儿死亡率 2022" in res.output  # the indicator by its name, not its id
    assert "1 行与后读入文件数值相同" in res.output


def test_a_header_without_a_value_column_is_an_error_naming_the_columns(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("region,indicator,year,amount\n磐石市,婴儿死亡率,2022,4.1\n磐石市,婴儿死亡率,2023,3.9\n",
                    encoding="utf-8")
    r = read_observations(path)
    assert (r.rows_read, len(r.rejected)) == (2, 2)
    reason = r.rejected["reason"].iloc[0]
    assert "缺少数值列" in reason and "columns seen: region, indicator, year, amount" in reason
    assert "value/数值/值" in reason
    res = _cli(["validate", path])
    assert res.exit_code == 1 and "0 rows read" not in res.output


def test_a_bom_in_the_middle_of_a_csv_is_removed_with_a_note_and_no_row_vanishes(tmp_path):
    part = "地区,指标,年份,数值\n磐石市,婴儿死亡率,{},4.1\n"
    path = tmp_path / "pasted.csv"
    path.write_bytes(("\ufeff" + part.format(2022) + "\ufeff" + part.format(2023)).encode("utf-8"))
    r = read_observations(path)
    assert r.ok and r.observations["year"].tolist() == [2022, 2023]
    assert set(r.observations["region"]) == {"磐石市"}
    assert r.skipped["reason"].tolist() == ["重复的表头行（repeated header row）"]
    assert any("字节顺序标记" in w and "line(s) 3" in w for w in r.warnings)


def test_published_bounds_are_kept_with_their_comparator(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("地区,指标,年份,数值,单位\n" + "".join(
        f"磐石市,{ind},{y},{v},%\n" for ind, y, v in [
            ("免疫规划疫苗接种率", 2021, "≥90"), ("免疫规划疫苗接种率", 2022, ">99"),
            ("免疫规划疫苗接种率", 2023, "90%以上"), ("免疫规划疫苗接种率", 2020, "约95.1"),
            ("学前教育毛入园率", 2021, "不足5"), ("学前教育毛入园率", 2022, "超过99"),
            ("学前教育毛入园率", 2023, "<5"), ("学前教育毛入园率", 2020, "88.0")]), encoding="utf-8")
    r = read_observations(path)
    assert r.ok, r.rejected
    got = {(o.indicator, o.year): (o.value, o.censor) for o in r.observations.itertuples()}
    imm = [k for k in got if k[0] != "preschool_gross_enrolment"][0][0]
    assert [got[(imm, y)] for y in (2020, 2021, 2022, 2023)] == [(95.1, ""), (90.0, ">="), (99.0, ">"), (90.0, ">=")]
    assert [got[("preschool_gross_enrolment", y)] for y in (2020, 2021, 2022, 2023)] == [
        (88.0, ""), (5.0, "<"), (99.0, ">"), (5.0, "<")]
    note = r.observations.set_index("year").loc[2020]
    assert "约95.1" in note[note["indicator"] == imm]["note"].iloc[0]


# ---------------------------------------------------------------- the Arrow CSV path


def _result_tables(result) -> dict:
    """Every table of a load, text columns as plain objects (dtypes differ only in storage)."""
    def plain(frame):
        return frame.reset_index(drop=True).astype(
            {c: object for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])})
    return {"obs": plain(result.observations), "rejected": plain(result.rejected),
            "skipped": plain(result.skipped), "conflicts": plain(result.conflicts), "files": plain(result.files),
            "warnings": result.warnings, "rows_read": result.rows_read}


def _assert_same_load(a, b) -> None:
    for key, value in a.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[key], check_dtype=False, check_index_type=False, obj=key)
        else:
            assert value == b[key], key


_JUNK = st.sampled_from(["", " ", "—", "注：口径调整", "填表人：张三", '说"明"', "1,234", "a\nb", "x\r\ny", "１２",
                         "\u200b磐石市", "合计", "男", "农村"]) | st.text(
    alphabet=st.sampled_from(list('0123456789.,"\n\r -中县%‰')), max_size=6)
#: Mostly usable cells per column, so that rows reach the later checks (value, unit, bounds).
_CELLS = {
    "地区": st.sampled_from(["磐石市", "吉林市", " 磐石市", "磐石市\u200b"]) | _JUNK,
    "指标": st.sampled_from(["婴儿死亡率", "学前教育毛入园率", "孕产妇死亡率(1/10万)", "新生儿死亡率"]) | _JUNK,
    "年份": st.sampled_from(["2021", "2021年", "2022", " 2020 "]) | _JUNK,
    "数值": st.sampled_from(["4.5", "4.5‰", "0.45%", "≥95", "约3.2", "91.2", "1,234", "a\nb", '"5"']) | _JUNK,
    "单位": st.sampled_from(["‰", "%", "1/10万", ""]) | _JUNK,
    "性别": st.sampled_from(["男", "女", "合计", ""]) | _JUNK,
    "备注": _JUNK,
    "乡镇": st.sampled_from(["明城镇", "合计", ""]) | _JUNK,
}


@st.composite
def _regular_csv(draw):
    """A header and rows of the same width: the shape the Arrow parser takes."""
    header = draw(st.permutations(["地区", "指标", "年份", "数值", draw(st.sampled_from(["单位", "性别", "备注", "乡镇"]))]))
    rows = draw(st.lists(st.tuples(*[_CELLS[h] for h in header]).map(list), max_size=15))
    return header, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=_regular_csv(), n=st.integers(0, 10**9))
def test_arrow_csv_path_loads_exactly_as_the_row_exact_reader(tmp_path, monkeypatch, table, n):
    header, rows = table
    buf = io.StringIO()
    bare_cr = any("\r" in c for r in [header, *rows] for c in r)
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if bare_cr else csv.QUOTE_MINIMAL).writerows(
        [header, *rows])
    path = tmp_path / f"obs_{n}.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    fast = _result_tables(read_observations(path))
    with monkeypatch.context() as m:
        m.setattr(readers, "_arrow_grid", lambda *a: None)
        exact = _result_tables(read_observations(path))
    _assert_same_load(fast, exact)


def test_a_regular_csv_is_read_by_arrow_and_an_irregular_one_row_by_row(tmp_path):
    regular = tmp_path / "regular.csv"
    regular.write_text(CSV, encoding="utf-8")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("地区：磐石市\n指标,年份,数值,单位\n婴儿死亡率,2020,4.5,‰\n学前教育毛入园率,2020,91.2,%\n",
                      encoding="utf-8")
    grid = readers._arrow_grid(regular.read_bytes(), ",", 5)
    assert grid is not None and grid.shape == (3, 5) and isinstance(grid[0].dtype, pd.CategoricalDtype)
    assert grid[1].tolist() == ["指标", "婴儿死亡率", "学前教育毛入园率"]
    assert readers._arrow_grid(ragged.read_bytes(), ",", 4) is None  # the title line has one field
    obs = load_observations(ragged)
    assert obs["region"].tolist() == ["磐石市", "磐石市"] and obs["value"].tolist() == [4.5, 91.2]


def test_a_section_number_in_its_own_column_marks_a_section_heading_row(tmp_path):
    """一、 in the 序号 column and 儿童健康 beside it, no value in any year: a section heading, skipped
    with its reason and no 'row without values' warning; numbered indicator rows load."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "指标", "单位", 2022, 2023])
    ws.append(["一、", "儿童健康", None, None, None])
    ws.append([1, "婴儿死亡率", "‰", 4.8, 4.6])
    ws.append(["（二）", "儿童教育", None, None, None])
    ws.append([2, "学前教育毛入园率", "%", 90.5, 91.0])
    path = tmp_path / "form.xlsx"
    wb.save(path)
    r = read_observations(path, region="甲县")
    assert (r.rows_read, len(r.observations), len(r.rejected)) == (4, 4, 0)
    skipped = dict(zip(r.skipped["row"], r.skipped["reason"], strict=True))
    assert skipped == {2: "分组标题行（section heading）", 4: "分组标题行（section heading）"}
    assert r.skipped.set_index("row").loc[2, "text"] == "一、 | 儿童健康"
    assert not any("没有填任何年份" in w for w in r.warnings)


def test_a_later_file_writing_percentages_as_fractions_does_not_win_over_the_percent(tmp_path):
    """An office's sheet holding 0.915 where the collection form has 91.5 gives one figure in two
    notations: the percent is kept whichever file comes later, a real disagreement still follows
    the later file, and every row is accounted for."""
    head = "地区,指标名称,年份,数值,单位\n"
    form = tmp_path / "a_填报表.csv"
    form.write_text(head + "".join(f"青禾县,学前教育毛入园率,{y},{v},%\n" for y, v in
                                   [(2021, 89.6), (2022, 90.4), (2023, 91.5)]), encoding="utf-8")
    office = tmp_path / "b_教育局.csv"
    office.write_text(head + "".join(f"青禾县,学前教育毛入园率,{y},{v},%\n" for y, v in
                                     [(2021, 0.896), (2022, 0.9042), (2023, 0.93)]), encoding="utf-8")
    r = read_observations(tmp_path)
    got = r.observations.set_index("year")["value"].to_dict()
    assert got == {2021: 89.6, 2022: 90.4, 2023: 0.93}  # 0.93 is not 91.5 in other notation: the later file wins
    assert r.rows_read == len(r.observations) + len(r.conflicts) + len(r.rejected) == 6
    kept = r.conflicts.set_index("year")["kept_value"].to_dict()
    assert kept == {2021: 89.6, 2022: 90.4, 2023: 0.93}
    assert any("按小数填写的百分比" in w and w.startswith("2 ") for w in r.warnings)


def test_a_rate_truly_below_one_percent_keeps_the_later_file_rule(tmp_path):
    """0.8 beside a stray 80 in a series of values near 1 %: no notation to mend, the later file wins."""
    head = "地区,指标名称,年份,数值,单位\n"
    (tmp_path / "a.csv").write_text(head + "".join(f"青禾县,学前教育毛入园率,{y},{v},%\n" for y, v in
                                                   [(2020, 0.7), (2021, 0.8), (2022, 0.9)]), encoding="utf-8")
    (tmp_path / "b.csv").write_text(head + "青禾县,学前教育毛入园率,2021,80,%\n", encoding="utf-8")
    r = read_observations(tmp_path)
    assert r.observations.set_index("year")["value"].to_dict() == {2020: 0.7, 2021: 80.0, 2022: 0.9}
    assert not any("按小数填写的百分比" in w for w in r.warnings)
