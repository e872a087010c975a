"""Rebuild the broken-input corpus in tests/data/bad/ (one file per fault, named for it).

Run: .venv/bin/python tests/data/build_bad_files.py
Each file looks like a department's yearly return with one kind of fault in it; the
expected error and row accounting of each are asserted in tests/test_loaders.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

BAD = Path(__file__).parent / "bad"
HEAD = "地区,指标名称,年份,数值,单位,数据来源\n"


def csv(name: str, body: str, head: str = HEAD, encoding: str = "utf-8") -> None:
    (BAD / name).write_bytes((head + body).encode(encoding))


def build_csv() -> None:
    csv("unknown_indicator.csv",
        "磐石市,婴儿死亡率,2022,4.1,‰,市卫健委\n"
        "磐石市,婴儿死忙率,2023,3.9,‰,市卫健委\n"
        "磐石市,地区生产总值,2023,88,%,市统计局\n")
    csv("year_not_a_number.csv",
        "磐石市,新生儿死亡率,2022,2.1,‰,市卫健委\n"
        "磐石市,新生儿死亡率,20x3,2.0,‰,市卫健委\n"
        "磐石市,新生儿死亡率,2023.5,1.9,‰,市卫健委\n")
    csv("year_out_of_range.csv",
        "磐石市,孕产妇死亡率,1900,30.2,1/10万,市卫健委\n"
        "磐石市,孕产妇死亡率,2023,9.8,1/10万,市卫健委\n"
        "磐石市,孕产妇死亡率,2203,9.5,1/10万,市卫健委\n")
    csv("value_not_reported.csv",
        "磐石市,5岁以下儿童死亡率,2020,6.2,‰,市卫健委\n"
        "磐石市,5岁以下儿童死亡率,2021,—,‰,市卫健委\n"
        "磐石市,5岁以下儿童死亡率,2022,/,‰,市卫健委\n"
        "磐石市,5岁以下儿童死亡率,2023,未统计,‰,市卫健委\n"
        "磐石市,5岁以下儿童死亡率,2024,,‰,市卫健委\n")
    csv("value_is_a_bound.csv",
        "磐石市,孕产妇死亡率,2022,0,1/10万,市卫健委\n"
        "磐石市,孕产妇死亡率,2023,<0.1,1/10万,市卫健委\n"
        "磐石市,学前教育毛入园率,2023,≥95,%,市教育局\n")
    csv("value_not_a_number.csv",
        "磐石市,学前教育毛入园率,2022,91.5,%,市教育局\n"
        "磐石市,学前教育毛入园率,2023,九十二,%,市教育局\n"
        "磐石市,学前教育毛入园率,2024,92.1.3,%,市教育局\n")
    csv("mortality_above_natural_bound.csv",
        "磐石市,婴儿死亡率,2022,4.2,‰,市卫健委\n"
        "磐石市,婴儿死亡率,2023,1200,‰,市卫健委\n"
        "磐石市,学前教育毛入园率,2023,120.5,%,市教育局\n")
    csv("unit_not_convertible.csv",
        "磐石市,婴儿死亡率,2022,4.2,‰,市卫健委\n"
        "磐石市,婴儿死亡率,2023,37,人,市卫健委\n")
    csv("unit_conflict.csv",
        "磐石市,新生儿死亡率,2022,2.4,‰,市卫健委\n"
        "磐石市,新生儿死亡率,2023,2.2‰,%,市卫健委\n")
    csv("conflicting_duplicates.csv",
        "磐石市,婴儿死亡率,2022,4.2,‰,市卫健委\n"
        "磐石市,婴儿死亡率,2023,3.9,‰,市卫健委\n"
        "磐石市,婴儿死亡率,2023,4.4,‰,市统计局\n")
    csv("repeated_rows.csv",
        "磐石市,婴儿死亡率,2022,4.2,‰,市卫健委\n"
        "磐石市,婴儿死亡率,2023,3.9,‰,市卫健委\n"
        "磐石市,婴儿死亡率,2023,3.9,‰,市卫健委\n")
    csv("missing_year_column.csv",
        "磐石市,婴儿死亡率,4.2,‰\n磐石市,新生儿死亡率,2.1,‰\n",
        head="地区,指标名称,数值,单位\n")
    csv("duplicate_columns.csv",
        "磐石市,婴儿死亡率,2023,4.2,3.9\n磐石市,新生儿死亡率,2023,2.1,2.0\n",
        head="地区,指标名称,年份,数值,数值\n")
    csv("bad_sex_code.csv",
        "磐石市,婴儿死亡率,2023,男,4.4,‰\n磐石市,婴儿死亡率,2023,女,3.6,‰\n"
        "磐石市,婴儿死亡率,2023,不详,4.0,‰\n",
        head="地区,指标名称,年份,性别,数值,单位\n")
    csv("bad_area_code.csv",
        "磐石市,孕产妇死亡率,2023,城镇,8.1,1/10万\n磐石市,孕产妇死亡率,2023,郊区,9.9,1/10万\n",
        head="地区,指标名称,年份,城乡,数值,单位\n")
    csv("empty_region.csv",
        "磐石市,婴儿死亡率,2023,3.9,‰,市卫健委\n,婴儿死亡率,2022,4.2,‰,市卫健委\n")
    csv("unquoted_thousands_separator.csv",
        "磐石市,每千名儿童拥有儿科执业(助理)医师数,2023,0.92,名,市卫健委\n"
        "磐石市,孕产妇死亡率,2023,1,200,1/10万,市卫健委\n")
    (BAD / "empty_file.csv").write_bytes(b"")
    csv("gbk_unknown_indicator.csv", "磐石市,婴儿死亡率,2023,3.9,‰,市卫健委\n磐石市,婴儿存活率,2023,99.6,%,市卫健委\n",
        encoding="gbk")


def build_xlsx() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "卫健委"
    _wide_header(ws, "2023年磐石市妇女儿童发展规划监测数据（卫健委填报）", "地区：磐石市")
    ws.append(["婴儿死亡率", "‰", 4.6, 4.2, 3.9])
    ws.append(["新生儿死亡率", "‰", 2.6, "2.4", 22])  # 22‰ is plausible: kept
    ws.append(["婴儿死忙率", "‰", 4.6, None, None])
    ws.append(["孕产妇死亡率", "1/10万", 11.2, 10.3, 120000])
    ws.append(["填表人：李四  审核人：王五"])
    wb.save(BAD / "wide_unknown_indicator_and_bound.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教育局"
    _wide_header(ws, "2023年学前教育指标（教育局填报）", "")
    ws.append(["学前教育毛入园率", "%", 90.1, 91.0, 92.3])
    ws.append(["普惠性幼儿园覆盖率", "%", 85.0, 86.2, 88.0])
    wb.save(BAD / "wide_without_region.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "卫健委"
    ws.append(["地区", "指标名称", "年份", "数值", "单位"])
    ws.append(["磐石市", "婚前医学检查率", 2022, 68.2, "%"])
    ws.append(["磐石市", "婚前医学检查率", 2023, "#DIV/0!", "%"])
    wb.save(BAD / "spreadsheet_error_cell.xlsx")

    data = (BAD / "wide_without_region.xlsx").read_bytes()
    (BAD / "corrupt_workbook.xlsx").write_bytes(data[: len(data) // 2])


def _wide_header(ws, title: str, region_line: str) -> None:
    ws["A1"] = title
    ws.merge_cells("A1:E1")
    ws["A2"] = region_line
    ws["A3"] = "指标名称"
    ws.merge_cells("A3:A4")
    ws["B3"] = "单位"
    ws.merge_cells("B3:B4")
    ws["C3"] = "年份"
    ws.merge_cells("C3:E3")
    for j, year in enumerate((2021, 2022, 2023)):
        ws.cell(4, 3 + j, f"{year}年")


# ------------------------------------------------------------------ hostile workbooks (built at test time)

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>指标</t></is></c></row>'


def raw_workbook(path: Path, sheet: str | bytes | None = None, shared: str | None = None,
                 sheet_stream=None) -> Path:
    """A minimal .xlsx written part by part, so that it can declare or hold what openpyxl never writes.
    ``sheet_stream`` yields the worksheet XML in pieces (for parts too big to build in memory)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {_MAIN} xmlns:r="{rel}"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
                   'Target="sharedStrings.xml"/></Relationships>')
        if sheet_stream is not None:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for piece in sheet_stream:
                    f.write(piece)
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", shared or f'<?xml version="1.0"?><sst {_MAIN} count="0" uniqueCount="0"/>')
    return path


def _sheet(body: str, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0"?><worksheet {_MAIN}>{dim}<sheetData>{_HEAD}{body}</sheetData></worksheet>'


def build_hostile(folder: Path) -> dict[str, str]:
    """Small workbooks that declare or unpack to huge things; name → the English part of the exact
    one-line error (the file's path comes first)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}
    name = "far_cell.xlsx"  # one cell at the last row: the reader would allocate 1 M × 1 000 cells
    raw_workbook(folder / name, _sheet('<row r="1048576"><c r="ALL1048576"><v>1</v></c></row>'))
    cases[name] = ("worksheet xl/worksheets/sheet1.xml spans 1,048,576,000 cells, above the limit of "
                   "2,000,000 (MAX_SHEET_CELLS)")
    name = "far_column.xlsx"  # a cell in Excel's last column
    raw_workbook(folder / name, _sheet('<row r="2"><c r="XFD2"><v>1</v></c></row>'))
    cases[name] = ("worksheet xl/worksheets/sheet1.xml reaches column 16,384, above the limit of 1,000 "
                   "(MAX_COLUMNS)")
    name = "declared_dimension.xlsx"  # <dimension> claiming the whole grid
    raw_workbook(folder / name, _sheet("", dimension="A1:XFD1048576"))
    cases[name] = ("worksheet xl/worksheets/sheet1.xml declares dimension A1:XFD1048576 with "
                   "17,179,869,184 cells, above the limit of 2,000,000 (MAX_SHEET_CELLS)")
    name = "shared_strings_declared.xlsx"  # a shared-string table announcing 50 M entries
    raw_workbook(folder / name, _sheet(""), shared=f'<?xml version="1.0"?><sst {_MAIN} count="50000000" '
                 'uniqueCount="50000000"><si><t>x</t></si></sst>')
    cases[name] = ("the shared-string table declares 50,000,000 strings, above the limit of 1,000,000 "
                   "(MAX_SHARED_STRINGS)")
    name = "worksheet_bomb.xlsx"  # 64 MB of one repeated cell in a few hundred kB
    cell = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    raw_workbook(folder / name, sheet_stream=[f'<?xml version="1.0"?><worksheet {_MAIN}><sheetData>'.encode()]
                 + [cell * (2**20 // len(cell))] * 64 + [b"</sheetData></worksheet>"])
    cases[name] = "part xl/worksheets/sheet1.xml expands"
    return cases


if __name__ == "__main__":
    BAD.mkdir(exist_ok=True)
    build_csv()
    build_xlsx()
    print(f"written: {', '.join(sorted(p.name for p in BAD.iterdir()))}")
