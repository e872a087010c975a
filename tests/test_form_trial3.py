"""A city's departmental forms as they arrive at 桐江市 (three counties: 溪桥县, 梅岭县, 南湾区):
statistics returns with 本年/上年/增减 columns, cells typed as offices type them, formulas a program
wrote but never calculated, county-by-indicator forms with a 全市 row and 城镇/农村 sub-columns, units
other than the catalog's. Each form is written here as a department fills it; every input row is
loaded, rejected or skipped with its reason."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from childplan_analysis.io.sources import read_observations

CITY = "桐江市"


def _book(path: Path, rows: list[list], *, merged: tuple[str, ...] = (), title: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for span in merged:
        ws.merge_cells(span)
    wb.save(path)
    return path


def _accounted(result) -> None:
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(result.conflicts)


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
