"""A county's own departmental forms, as offices fill them in Excel: percent-formatted cells,
numbers typed as text, 本年/上年 columns, total rows, footnote marks, stacked tables and
indicators merged over their breakdown rows. Each number is read as the form shows it, or
refused with file, sheet, row and column; every row is accounted for."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from typer.testing import CliRunner
from workbooks import form_book

from childplan_analysis.cli.app import app
from childplan_analysis.io.cell_formats import is_percent_format
from childplan_analysis.io.loaders import format_rejections
from childplan_analysis.io.sources import read_observations


def _book(path: Path, rows: list[list], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None,
          sheet: str = "卫健") -> Path:
    return form_book(path, rows, merges, formats, sheet)


def _csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def _ods(path: Path, rows: list[list], sheet: str = "卫健") -> Path:
    """An OpenDocument spreadsheet as office suites write it: a cell is text, a number, None
    (empty; runs of empty cells written once with ``number-columns-repeated``) or ``("%", 0.953)``
    (a percentage, shown 95.3%)."""
    def cells(row: list) -> str:
        out, k = [], 0
        while k < len(row):
            v = row[k]
            if v is None:
                run = next((i for i in range(k, len(row)) if row[i] is not None), len(row)) - k
                out.append(f'<table:table-cell table:number-columns-repeated="{run}"/>')
                k += run
                continue
            if isinstance(v, tuple):
                out.append(f'<table:table-cell office:value-type="percentage" office:value="{v[1]}">'
                           f"<text:p>{v[1] * 100:g}%</text:p></table:table-cell>")
            elif isinstance(v, int | float):
                out.append(f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                           "</table:table-cell>")
            else:
                out.append(f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>')
            k += 1
        return "".join(out)

    body = "".join(f"<table:table-row>{cells(r)}</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
               '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", manifest)
        book.writestr("content.xml", content)
    return path


def _accounted(result) -> None:
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(result.conflicts)
    assert (result.files["rows_read"] == result.files["loaded"] + result.files["rejected"]
            + result.files["superseded"]).all()


def _values(result) -> dict:
    obs = result.observations
    return {(r.indicator, r.year, r.sex, r.area, r.subregion): r.value for r in obs.itertuples()}


# ------------------------------------------------------------------ percent-formatted cells


def test_percent_formatted_cells_load_as_the_form_shows_them(tmp_path: Path) -> None:
    path = _book(tmp_path / "妇幼.xlsx", [
        ["2023年柳溪县妇幼健康指标"],
        ["指标名称", "单位", "2022年", "2023年"],
        ["孕产妇系统管理率", "%", 0.953, 0.961],
        ["3岁以下儿童系统管理率", "%", 0.9, 92.5],  # one cell formatted 0%, one typed as 92.5
        ["婴儿死亡率", "‰", 4.6, 4.2],
    ], formats={"C3": "0.0%", "D3": "0.00%", "C4": "0%"})
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = _values(result)
    assert got[("maternal_systematic_management", 2022, "total", "total", "")] == pytest.approx(95.3)
    assert got[("maternal_systematic_management", 2023, "total", "total", "")] == pytest.approx(96.1)
    assert got[("child_systematic_management_under3", 2022, "total", "total", "")] == pytest.approx(90.0)
    assert got[("child_systematic_management_under3", 2023, "total", "total", "")] == pytest.approx(92.5)
    assert got[("infant_mortality", 2023, "total", "total", "")] == pytest.approx(4.2)


def test_a_percent_cell_storing_a_whole_percent_is_refused_not_mixed(tmp_path: Path) -> None:
    # 95.3 typed into a cell formatted as a percentage shows 9530%: the form itself is wrong
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "2022年", "2023年"],
        ["孕产妇系统管理率", "%", 0.953, 95.3],
    ], formats={"C2": "0.0%", "D2": "0.0%"})
    result = read_observations(path, region="某县")
    _accounted(result)
    assert _values(result) == {("maternal_systematic_management", 2022, "total", "total", ""): pytest.approx(95.3)}
    (bad,) = result.rejected.itertuples()
    assert (bad.sheet, bad.row, bad.column, bad.value) == ("卫健", 2, "2023年", "9530%")
    assert "9530" in bad.reason


def test_a_fraction_among_percents_of_one_indicator_is_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "2021年", "2022年", "2023年"],
        ["孕产妇系统管理率", "%", 92.1, 0.953, 95.8],
        ["低出生体重发生率", "%", 0.8, 1.2, 0.9],  # small per-cent values, all on one scale
    ])
    result = read_observations(path, region="某县")
    _accounted(result)
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column, bad.value) == (2, "2022年", "0.953")
    assert "95.3%" in bad.reason and "fraction" in bad.reason
    assert len(result.observations) == 5
    assert sorted(result.observations.query("indicator == 'low_birth_weight'")["value"]) == [0.8, 0.9, 1.2]


def test_a_value_converted_from_per_mille_is_not_taken_for_a_fraction(tmp_path: Path) -> None:
    """1.5‰ of a % indicator is 0.15 % once converted: written in its own unit, not as a fraction."""
    path = tmp_path / "long.csv"
    path.write_text("地区,指标名称,年份,数值,单位\n" + "".join(
        f"某县,剖宫产率,{y},{v},{u}\n" for y, v, u in
        [(2020, 1.5, "‰"), (2021, 38.2, "%"), (2022, 37.5, "%"), (2023, 36.9, "%")]), encoding="utf-8")
    result = read_observations(path)
    _accounted(result)
    assert result.rejected.empty
    got = result.observations.set_index("year")["value"]
    assert got[2020] == pytest.approx(0.15) and got[2023] == pytest.approx(36.9)


def test_percentage_cells_of_an_ods_form_load_as_shown(tmp_path: Path) -> None:
    path = _ods(tmp_path / "妇幼.ods", [
        ["2023年柳溪县妇幼健康指标"],
        ["指标名称", "单位", None, "2022年", "2023年"],
        ["孕产妇系统管理率", "%", None, ("%", 0.953), 96.1],
        ["婴儿死亡率", "‰", None, 4.6, 4.2],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = result.observations.set_index(["indicator", "year"])["value"]
    assert got[("maternal_systematic_management", 2022)] == pytest.approx(95.3)
    assert got[("maternal_systematic_management", 2023)] == pytest.approx(96.1)
    assert got[("infant_mortality", 2022)] == pytest.approx(4.6)


def _xls(path: Path, rows: list[list], formats: dict[tuple[int, int], str] | None = None) -> Path:
    """An Excel 97–2003 workbook; ``formats`` gives the number format of (row, column) cells, 0-based."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    ws = book.add_sheet("卫健")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                code = (formats or {}).get((i, j))
                ws.write(i, j, v, xlwt.easyxf(num_format_str=code)) if code else ws.write(i, j, v)
    book.save(str(path))
    return path


def test_percent_formatted_cells_of_an_xls_form_load_as_shown(tmp_path: Path) -> None:
    path = _xls(tmp_path / "妇幼.xls", [
        ["2023年柳溪县妇幼健康指标"],
        ["指标名称", "单位", "2022年", "2023年"],
        ["孕产妇系统管理率", "%", 0.953, 0.961],
        ["3岁以下儿童系统管理率", "%", 0.9, 92.5],  # one cell formatted 0%, one typed as 92.5
        ["婴儿死亡率", "‰", 4.6, 4.2],
        ["剖宫产率", "%", 0.352, 36.0],  # a fraction typed in a plain cell: refused, not mixed
    ], formats={(2, 2): "0.0%", (2, 3): "0.00%", (3, 2): "0%", (4, 2): "0.00", (5, 3): '0.0"%"'})
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    got = _values(result)
    assert got[("maternal_systematic_management", 2022, "total", "total", "")] == pytest.approx(95.3)
    assert got[("maternal_systematic_management", 2023, "total", "total", "")] == pytest.approx(96.1)
    assert got[("child_systematic_management_under3", 2022, "total", "total", "")] == pytest.approx(90.0)
    assert got[("child_systematic_management_under3", 2023, "total", "total", "")] == pytest.approx(92.5)
    assert got[("infant_mortality", 2022, "total", "total", "")] == pytest.approx(4.6)
    assert got[("caesarean_rate", 2023, "total", "total", "")] == pytest.approx(36.0)  # a quoted % is text
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column, bad.value) == (6, "2022年", "0.352")
    assert not [w for w in result.warnings if "between 0 and 1" in w]


def test_a_per_cent_series_all_fractions_is_named_in_a_warning(tmp_path: Path) -> None:
    # the cell formats of a CSV export are not seen: 0.953 cannot be told from 0.953 %
    path = _csv(tmp_path / "f.csv", [
        ["指标名称", "单位", "2022年", "2023年"],
        ["孕产妇系统管理率", "%", "0.953", "0.961"],
        ["剖宫产率", "%", "35.2", "36.0"],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    (warning,) = [w for w in result.warnings if "between 0 and 1" in w]
    assert "maternal_systematic_management（2）" in warning and "caesarean" not in warning


@pytest.mark.parametrize(("code", "percent"), [
    ("0%", True), ("0.00%", True), ('0.0%;[Red]-0.0%', True), ('0.0"%"', False), ("0.0\\%", False),
    ("0.00", False), ("General", False),
])
def test_percent_number_formats_are_told_from_others(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


# ------------------------------------------------------------------ numbers typed as text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_numbers_typed_as_text_read_as_the_number_shown(tmp_path: Path, suffix: str) -> None:
    rows = [
        ["指标名称", "单位", "2022年", "2023年"],
        ["孕产妇系统管理率", "%", "９５．３", "95.3% "],
        ["婴儿死亡率", "‰", "3.2‰", "<5"],
        ["学前教育毛入园率", "%", "≥90", " 92.5 "],
        ["产前检查率", "%", "12人", "1,000"],
    ]
    path = _book(tmp_path / f"f{suffix}", rows) if suffix == ".xlsx" else _csv(tmp_path / f"f{suffix}", rows)
    result = read_observations(path, region="某县")
    _accounted(result)
    got = result.observations.set_index(["indicator", "year"])
    assert got.loc[("maternal_systematic_management", 2022), "value"] == pytest.approx(95.3)
    assert got.loc[("maternal_systematic_management", 2023), "value"] == pytest.approx(95.3)
    assert got.loc[("infant_mortality", 2022), "value"] == pytest.approx(3.2)
    assert tuple(got.loc[("infant_mortality", 2023), ["value", "censor"]]) == (5.0, "<")
    assert tuple(got.loc[("preschool_gross_enrolment", 2022), ["value", "censor"]]) == (90.0, ">=")
    assert got.loc[("preschool_gross_enrolment", 2023), "value"] == pytest.approx(92.5)
    rejected = result.rejected.set_index("column")
    assert "value cell says 人" in rejected.loc["单位", "reason"]  # a head count is no per-cent rate
    assert "1000" in rejected.loc["2023年", "reason"]  # above 100 %: outside the natural bounds
    assert set(rejected["row"]) == {5}


# ------------------------------------------------------------------ 本年 / 上年


@pytest.mark.parametrize(("title", "this", "last"), [
    ("2024年柳溪县妇女儿童发展统计表", "本年", "上年"),
    ("柳溪县卫生健康统计报表（2024年1-12月）", "本期", "上年同期"),
])
def test_this_year_and_last_year_columns_take_the_title_year(tmp_path: Path, title, this, last) -> None:
    path = _book(tmp_path / "f.xlsx", [
        [title],
        ["序号", "指标名称", "单位", this, last, "备注"],
        [1, "婴儿死亡率", "‰", 4.1, 4.4, "快报数"],
        [2, "孕产妇死亡率", "1/10万", 10.2, "", ""],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = result.observations.set_index(["indicator", "year"])
    assert got.loc[("infant_mortality", 2024), "value"] == 4.1
    assert got.loc[("infant_mortality", 2023), "value"] == 4.4
    assert got.loc[("infant_mortality", 2024), "note"] == "快报数"
    assert got.loc[("maternal_mortality", 2024), "value"] == 10.2
    assert len(got) == 3
    assert not any(this in w for w in result.warnings)  # read, so not named as an unread column


@pytest.mark.parametrize(("title", "why"), [
    ("柳溪县妇女儿童发展统计表", "no single year"),
    ("2024年1-6月柳溪县妇幼卫生报表", "not a whole year"),
    ("2023—2024年柳溪县统计表", "no single year"),
])
def test_this_year_columns_without_one_whole_title_year_are_refused(tmp_path: Path, title, why) -> None:
    path = _book(tmp_path / "f.xlsx", [
        [title],
        ["指标名称", "单位", "本年", "上年"],
        ["婴儿死亡率", "‰", 4.1, 4.4],
        ["孕产妇死亡率", "1/10万", 10.2, 11.0],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.observations.empty
    assert list(result.rejected["row"]) == [3, 4]
    assert set(result.rejected["column"]) == {"本年,上年"}
    assert all(why in r for r in result.rejected["reason"])


# ------------------------------------------------------------------ totals, notes, footnote marks


def test_a_total_row_among_townships_is_the_county_and_notes_are_kept(tmp_path: Path) -> None:
    path = _book(tmp_path / "乡镇.xlsx", [
        ["2024年各乡镇儿童健康指标"],
        ["序号", "乡镇", "指标名称", "单位", "2024年", "备注"],
        [1, "城关镇", "婴儿死亡率", "‰", 3.9, "快报数待核"],
        [2, "河西乡", "婴儿死亡率", "‰", 5.2, ""],
        [3, "全县", "婴儿死亡率", "‰", 4.3, ""],
        [4, "合计", "5岁以下儿童死亡率", "‰", 6.0, ""],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = _values(result)
    assert got[("infant_mortality", 2024, "total", "total", "")] == 4.3
    assert got[("under5_mortality", 2024, "total", "total", "")] == 6.0
    assert got[("infant_mortality", 2024, "total", "total", "城关镇")] == 3.9
    assert set(result.observations["subregion"]) == {"", "城关镇", "河西乡"}
    assert result.observations.set_index("subregion").loc["城关镇", "note"] == "快报数待核"


def test_a_total_word_in_the_region_column_is_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "市.xlsx", [
        ["地区", "指标名称", "年份", "数值"],
        ["柳溪县", "婴儿死亡率", 2024, 3.9],
        ["河东区", "婴儿死亡率", 2024, 4.6],
        ["合计", "婴儿死亡率", 2024, 4.3],
    ])
    result = read_observations(path)
    _accounted(result)
    assert sorted(result.observations["region"]) == ["柳溪县", "河东区"]
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column, bad.value) == (4, "地区", "合计")


def test_footnote_marks_after_indicator_names(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["序号", "指标名称", "单位", "2023年", "备注"],
        [1, "新生儿死亡率①", "‰", 2.1, "卫健局提供"],
        [2, "婴儿死亡率（‰）", "", 4.2, ""],
        [3, "5岁以下儿童死亡率*", "‰", 5.9, "同比下降0.3"],
        [4, "孕产妇死亡率[2]", "1/10万", 10.5, ""],
        ["注：①按常住人口计算；*为快报数；[2]含流动人口。"],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    assert sorted(result.observations["indicator"]) == [
        "infant_mortality", "maternal_mortality", "neonatal_mortality", "under5_mortality"]
    assert list(result.skipped["row"]) == [6]


def test_footnote_marks_after_values_are_no_digits(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "2022年", "2023年"],
        ["婴儿死亡率", "‰", "4.6", "4.2①"],
        ["孕产妇死亡率", "1/10万", "12.1*", "11.0¹"],
        ["新生儿死亡率", "‰", "*", "2.0"],
        ["注：①快报数；*按户籍人口；¹含流动人口。"],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    got = result.observations.set_index(["indicator", "year"])
    assert got.loc[("infant_mortality", 2023), "value"] == 4.2  # not 4.21
    assert got.loc[("maternal_mortality", 2022), "value"] == 12.1
    assert got.loc[("maternal_mortality", 2023), "value"] == 11.0  # not 11.01
    assert "4.2①" in got.loc[("infant_mortality", 2023), "note"]
    (bad,) = result.rejected.itertuples()  # a mark alone is no value
    assert (bad.row, bad.column, bad.value) == (4, "2022年", "*")


def test_a_unit_line_above_the_header_is_the_unit_of_values_that_name_none(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["柳溪县儿童健康指标（单位：%）"],
        ["填报单位：柳溪县卫生健康局"],
        ["指标名称", "单位", "2022年", "2023年①"],
        ["婴儿死亡率", "", 0.46, "4.2‰"],  # 0.46 % is 4.6 ‰; the cell's own ‰ wins
        ["孕产妇死亡率（1/10万）", "", 12.0, 11.0],  # the name's unit wins
        ["新生儿死亡率", "‰", 2.1, 2.0],  # the unit column wins
        ["剖宫产率", "", 35.1, 36.2],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = result.observations.set_index(["indicator", "year"])["value"]
    assert got[("infant_mortality", 2022)] == pytest.approx(4.6)
    assert got[("infant_mortality", 2023)] == pytest.approx(4.2)  # year heading 2023年① read as 2023
    assert got[("maternal_mortality", 2022)] == 12.0 and got[("neonatal_mortality", 2022)] == 2.1
    assert got[("caesarean_rate", 2023)] == 36.2


def test_a_years_target_beside_its_actual_value_is_not_an_observation(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "2022年", "2023年", None],
        [None, None, "完成", "目标值", "完成"],
        ["婴儿死亡率", "‰", 4.6, 5.0, 4.2],
        ["孕产妇死亡率", "1/10万", 12.0, 12.0, 11.1],
    ], merges=("A1:A2", "B1:B2", "D1:E1"))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty and result.skipped.empty
    got = result.observations.set_index(["indicator", "year"])["value"]
    assert dict(got) == {("infant_mortality", 2022): 4.6, ("infant_mortality", 2023): 4.2,
                         ("maternal_mortality", 2022): 12.0, ("maternal_mortality", 2023): 11.1}
    (warning,) = [w for w in result.warnings if "target column" in w]
    assert "2023年/目标值（2）" in warning


# ------------------------------------------------------------------ stacked tables


def test_two_tables_stacked_in_one_sheet_are_both_read(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["表1  儿童与健康"],
        ["指标名称", "单位", "2022年", "2023年"],
        ["婴儿死亡率", "‰", 4.6, 4.2],
        ["孕产妇死亡率", "1/10万", 12.0, 11.1],
        ["注：2023年为快报数。"],
        [],
        ["表2  儿童与教育"],
        ["指标名称", "单位", "2021年", "2022年", "2023年"],
        ["学前教育毛入园率", "%", 88, 90, 92.5],
    ], merges=("A1:D1", "A7:E7"))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = result.observations.set_index(["indicator", "year"])["value"]
    assert len(got) == 7
    assert got[("infant_mortality", 2022)] == 4.6 and got[("maternal_mortality", 2023)] == 11.1
    assert got[("preschool_gross_enrolment", 2021)] == 88
    assert list(result.skipped["row"]) == [5]
    assert any("2 tables stacked" in w for w in result.warnings)


def test_stacked_tables_in_a_csv_with_another_layout(tmp_path: Path) -> None:
    path = _csv(tmp_path / "f.csv", [
        ["指标名称", "单位", "2022年", "2023年"],
        ["婴儿死亡率", "‰", "4.6", "4.2"],
        ["", "", "", ""],
        ["地区", "指标名称", "年份", "数值"],
        ["柳溪县", "学前教育毛入园率", "2023", "92.5"],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = result.observations.set_index(["indicator", "year"])["value"]
    assert dict(got) == {("infant_mortality", 2022): 4.6, ("infant_mortality", 2023): 4.2,
                         ("preschool_gross_enrolment", 2023): 92.5}


def test_a_repeated_header_is_still_furniture_not_a_new_table(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "2022年", "2023年"],
        ["婴儿死亡率", "‰", 4.6, 4.2],
        ["指标名称", "单位", "2022年", "2023年"],
        ["孕产妇死亡率", "1/10万", 12.0, 11.1],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert len(result.observations) == 4 and list(result.skipped["row"]) == [3]
    assert not any("stacked" in w for w in result.warnings)


# ------------------------------------------------------------------ merged indicator over breakdown rows


def test_an_indicator_merged_over_sex_and_area_rows(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "分组", "2022年", "2023年"],
        ["5岁以下儿童死亡率", "合计", 5.8, 5.6],
        [None, "男", 6.1, 5.9],
        [None, "女", 5.5, 5.3],
        [None, "城镇", 5.0, 4.8],
        [None, "农村", 6.3, 6.1],
        ["婴儿死亡率", "合计", 4.6, 4.2],
    ], merges=("A2:A6",))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert result.rejected.empty
    got = _values(result)
    assert len(got) == 12
    assert got[("under5_mortality", 2022, "male", "total", "")] == 6.1
    assert got[("under5_mortality", 2023, "female", "total", "")] == 5.3
    assert got[("under5_mortality", 2022, "total", "urban", "")] == 5.0
    assert got[("under5_mortality", 2023, "total", "rural", "")] == 6.1
    assert got[("under5_mortality", 2023, "total", "total", "")] == 5.6
    assert got[("infant_mortality", 2022, "total", "total", "")] == 4.6


def test_a_number_merged_over_several_cells_is_refused_not_copied(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "性别", "2022年", "2023年"],
        ["5岁以下儿童死亡率", "男", 6.1, 5.9],
        [None, "女", None, 5.3],
        ["婴儿死亡率", "合计", 4.4, None],
    ], merges=("A2:A3", "C2:C3", "C4:D4"))
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    got = _values(result)
    assert got == {("under5_mortality", 2023, "male", "total", ""): 5.9,
                   ("under5_mortality", 2023, "female", "total", ""): 5.3}
    rejected = result.rejected.sort_values(["row", "column"])
    assert list(zip(rejected["row"], rejected["column"], strict=True)) == [
        (2, "2022年"), (3, "2022年"), (4, "2022年"), (4, "2023年")]
    assert all("merged over C2:C3" in r for r in rejected["reason"][:2])
    assert "value 4.4" in rejected["reason"].iloc[3] and "C4:D4" in rejected["reason"].iloc[3]


def test_a_breakdown_written_after_the_indicator_name(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "单位", "性别", "2022年"],
        ["5岁以下儿童死亡率", "‰", "", 5.8],
        ["5岁以下儿童死亡率（男）", "‰", "", 6.1],
        ["5岁以下儿童死亡率(女)①", "‰", "女", 5.5],
        ["婴儿死亡率-农村", "‰", "", 5.0],
        ["婴儿死亡率：城镇", "‰", "", 4.0],
        ["新生儿死亡率（男）", "‰", "女", 1.9],  # the name and the sex cell disagree: refused
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert _values(result) == {
        ("under5_mortality", 2022, "total", "total", ""): 5.8,
        ("under5_mortality", 2022, "male", "total", ""): 6.1,
        ("under5_mortality", 2022, "female", "total", ""): 5.5,
        ("infant_mortality", 2022, "total", "rural", ""): 5.0,
        ("infant_mortality", 2022, "total", "urban", ""): 4.0,
    }
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column) == (7, "指标名称")


def test_breakdown_rows_under_an_indicator_written_once(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", [
        ["指标名称", "性别", "2022年", "2023年"],
        ["5岁以下儿童死亡率", "合计", 5.8, 5.6],
        ["", "男", 6.1, 5.9],
        ["", "女", 5.5, 5.3],
        ["", "", 1.0, 2.0],  # no indicator and no breakdown: refused, not guessed
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert len(result.observations) == 6
    assert set(result.observations["sex"]) == {"total", "male", "female"}
    assert set(result.rejected["row"]) == {5}
    assert any("rows 3, 4" in w for w in result.warnings)


@pytest.mark.parametrize(("title", "warned"), [
    ("河西县2024年妇女儿童发展统计表", True),
    ("吉林省柳溪县2024年妇女儿童发展统计表", False),
    ("2024年全县各乡镇儿童健康指标", False),
])
def test_a_title_naming_another_place_than_the_region_given_is_warned(tmp_path: Path, title, warned) -> None:
    path = _book(tmp_path / "f.xlsx", [
        [title],
        ["指标名称", "单位", "2024年"],
        ["婴儿死亡率", "‰", 4.1],
    ])
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    assert list(result.observations["region"]) == ["柳溪县"]
    hits = [w for w in result.warnings if "another place's form" in w]
    assert bool(hits) is warned
    assert not hits or "河西县" in hits[0]


# ------------------------------------------------------------------ the command an analyst runs


def test_validate_reads_a_county_form_and_names_what_it_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "柳溪县卫健局.xlsx", [
        ["2024年柳溪县妇幼健康统计表"],
        ["填报单位：柳溪县卫生健康局"],
        ["序号", "指标名称", "单位", "本年", "上年", "备注"],
        ["一、儿童与健康"],
        [1, "孕产妇系统管理率①", "%", 0.953, 0.948, ""],
        [2, "婴儿死亡率", "‰", "４．１", "4.4‰", ""],
        [3, "3岁以下儿童系统管理率", "%", 93.2, 0.921, "上年为小数"],
        ["填表人：张三", None, None, "审核人：李四"],
    ], formats={"D5": "0.0%", "E5": "0.0%"})
    res = CliRunner().invoke(app, ["validate", str(path), "--region", "柳溪县"], env={"COLUMNS": "250"})
    assert res.exit_code == 1, res.output
    result = read_observations(path, region="柳溪县")
    _accounted(result)
    got = result.observations.set_index(["indicator", "year"])["value"]
    assert got[("maternal_systematic_management", 2024)] == pytest.approx(95.3)
    assert got[("maternal_systematic_management", 2023)] == pytest.approx(94.8)
    assert got[("infant_mortality", 2024)] == pytest.approx(4.1)
    assert got[("infant_mortality", 2023)] == pytest.approx(4.4)
    (bad,) = result.rejected.itertuples()
    assert (bad.row, bad.column) == (7, "上年（2023年）")
    assert "0.921" in format_rejections(result.rejected) and "row 7" in res.output
    assert sorted(result.skipped["row"]) == [4, 8]


def test_a_hidden_sheet_is_not_read_as_data_and_is_named(tmp_path: Path) -> None:
    """A department's workbook keeps last year's copy in a hidden sheet: its numbers do not compete
    with the visible form's, and the analyst is told the sheet was passed over."""
    book = openpyxl.Workbook()
    form = book.active
    form.title = "2023年"
    form.append(["地区：青禾县"])
    form.append(["指标名称", "2022年", "2023年"])
    form.append(["婴儿死亡率", 4.1, 3.9])
    old = book.create_sheet("旧表")
    old.sheet_state = "hidden"
    old.append(["地区：青禾县"])
    old.append(["指标名称", "2022年"])
    old.append(["婴儿死亡率", 5.6])
    codes = book.create_sheet("代码")
    codes.sheet_state = "veryHidden"
    book.save(tmp_path / "卫健局.xlsx")
    result = read_observations([tmp_path])
    assert sorted(zip(result.observations["year"], result.observations["value"], strict=True)) == [
        (2022, 4.1), (2023, 3.9)]
    assert result.conflicts.empty and result.rejected.empty
    hidden = [w for w in result.warnings if "隐藏的工作表" in w]
    assert len(hidden) == 1 and "'旧表'" in hidden[0] and "3 行非空" in hidden[0]  # the empty one is not named


def test_a_value_with_its_status_in_brackets_loads_with_the_status_as_its_note(tmp_path: Path) -> None:
    """``10.8(快报)``, ``95.1（初步核算数）``: the number is the value and the status is kept as its note;
    a bracket that is no status (``(待核)`` is not one of them) leaves the cell rejected as before."""
    book = openpyxl.Workbook()
    form = book.active
    form.append(["地区：青禾县"])
    form.append(["指标名称", "2022年", "2023年", "2024年"])
    form.append(["孕产妇死亡率", 11.9, "10.8(快报)", "9.6（预计）"])
    form.append(["九年义务教育巩固率", "95.1（初步核算数）", 95.6, "96(待核)"])
    book.save(tmp_path / "卫健局.xlsx")
    result = read_observations([tmp_path])
    obs = result.observations.set_index(["indicator", "year"])
    assert obs.loc[("maternal_mortality", 2023), "value"] == 10.8
    assert "快报" in obs.loc[("maternal_mortality", 2023), "note"]
    assert obs.loc[("maternal_mortality", 2024), "value"] == 9.6
    assert "预计" in obs.loc[("maternal_mortality", 2024), "note"]
    assert obs.loc[("compulsory_education_retention", 2022), "value"] == 95.1
    assert obs.loc[("maternal_mortality", 2022), "note"] == ""
    assert len(result.rejected) == 1 and result.rejected.iloc[0]["value"] == "96(待核)"
