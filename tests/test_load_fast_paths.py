"""The CSV reader parses UTF-8 bytes directly and decodes only the first lines in Python: what lies
past those lines (bytes in another encoding, a byte-order mark of a second file pasted in) is
still found, and the file reads as the decoding reader reads it."""

import pandas as pd

from childplan_analysis.io.sources import read_observations

HEADER = "region,indicator,year,value,unit\n"


def _lines(n: int, region: str = "Region") -> str:
    return "".join(f"{region}{i},婴儿死亡率,{2000 + i % 20},{3 + (i % 50) / 10:.1f},‰\n" for i in range(n))


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.observations, b.observations)
    assert a.rows_read == b.rows_read and len(a.rejected) == len(b.rejected)


def test_gbk_text_past_the_first_lines_is_decoded(tmp_path):
    """The first 16 kB are ASCII (valid UTF-8); Chinese GBK text comes after them."""
    text = HEADER + _lines(600).replace("婴儿死亡率", "infant_mortality").replace(",‰", ",") + _lines(50, "甲县")
    assert len(text.split("甲县")[0].encode()) > 20_000
    gbk, utf8 = tmp_path / "gbk.csv", tmp_path / "utf8.csv"
    gbk.write_bytes(text.encode("gbk"))
    utf8.write_bytes(text.encode("utf-8"))
    r = read_observations(gbk)
    assert r.ok and len(r.observations) == 650 and r.observations["region"].str.startswith("甲县").sum() == 50
    _same(r, read_observations(utf8))


def test_a_byte_order_mark_far_into_the_file_is_removed_and_reported(tmp_path):
    first = HEADER + _lines(500)
    second = HEADER + _lines(30, "乙县")
    pasted = tmp_path / "pasted.csv"
    pasted.write_bytes(("\ufeff" + first + "\ufeff" + second).encode("utf-8"))
    r = read_observations(pasted)
    line = first.count("\n") + 1
    assert any("byte-order mark" in w and f"line(s) {line}" in w for w in r.warnings)
    assert len(r.observations) == 530 and r.ok
    assert r.skipped["reason"].str.contains("repeated header").sum() == 1


def test_workbook_cells_are_written_as_text_once_per_value_yet_exactly(tmp_path):
    """Each workbook column is turned into text per distinct value; values that are equal but read
    differently (TRUE and 1, FALSE and 0) keep their own text, as cell by cell."""
    import datetime

    import openpyxl
    from python_calamine import CalamineWorkbook

    from childplan_analysis.io.wide_forms import cell_text, read_workbook

    cells = [True, 1, 1.0, 1.5, "1", 0, False, 0.0, 1e16, 2, 2.0, None, "甲县",
             datetime.datetime(2021, 5, 1), 1, True, -0.0, 123456789012345678]
    book = openpyxl.Workbook()
    for v in cells:
        book.active.append([v, "x", v])
    path = tmp_path / "cells.xlsx"
    book.save(path)
    (_, grid), = read_workbook(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    by_cell = [[cell_text(v) for v in row] for row in rows]
    assert grid.to_numpy().tolist() == by_cell
    assert grid[0].tolist()[:3] == ["True", "1", "1"] and grid[0].tolist()[5:7] == ["0", "False"]
