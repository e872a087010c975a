"""Rebuild the broken-input corpus in tests/data/bad/ (one file per fault, named for it).

Run: .venv/bin/python tests/data/build_bad_files.py
Each file looks like a department's yearly return with one kind of fault in it; the
expected error and row accounting of each are asserted in tests/test_loaders.py.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    BAD.mkdir(exist_ok=True)
    build_csv()
    build_xlsx()
    print(f"written: {', '.join(sorted(p.name for p in BAD.iterdir()))}")
