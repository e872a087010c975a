"""A reporting system's "export to Excel": a web page table saved as .xls, read as a workbook."""

from __future__ import annotations

from pathlib import Path

from childplan_analysis.io.html_sheets import is_html_workbook
from childplan_analysis.io.sources import read_observations

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<style>td {{ mso-number-format:'\\@'; }}</style></head><body>
<table border="1"><caption>2022—2024年妇幼健康指标</caption>
<tr><td rowspan="2">指标名称</td><td rowspan="2">单位</td><td colspan="3">年份</td></tr>
<tr><td>2022年</td><td>2023年</td><td>2024年</td></tr>
<tr><td>孕产妇死亡率</td><td>1/10万</td><td>19.8</td><td>{bad}</td><td>17.2</td></tr>
<tr><td>新生儿死亡率</td><td>‰</td><td>2.9</td><td>2.7</td><td>—</td></tr>
<tr><td colspan="5">注：2024年为快报数。</td></tr>
</table></body></html>"""


def _export(path: Path, bad: str = "18.5") -> Path:
    path.write_bytes(PAGE.format(bad=bad).encode("gb18030"))
    return path


def test_a_web_page_saved_as_xls_is_read_with_its_spanned_header(tmp_path: Path) -> None:
    path = _export(tmp_path / "系统导出.xls")
    assert is_html_workbook(path)
    r = read_observations(path, region="柳溪县")
    got = {(o.indicator, int(o.year)): o.value for o in r.observations.itertuples()}
    assert got == {("maternal_mortality", 2022): 19.8, ("maternal_mortality", 2023): 18.5,
                   ("maternal_mortality", 2024): 17.2, ("neonatal_mortality", 2022): 2.9,
                   ("neonatal_mortality", 2023): 2.7}
    assert r.rejected.empty and set(r.observations["region"]) == {"柳溪县"}
    reasons = " ".join(map(str, r.skipped["reason"]))
    assert "未填报" in reasons and "说明行" in reasons  # the — cell and the 注 row, each accounted for


def test_a_bad_cell_of_such_a_page_names_its_table_row_and_column(tmp_path: Path) -> None:
    r = read_observations(_export(tmp_path / "系统导出.xls", bad="18.5.1"), region="柳溪县")
    (bad,) = r.rejected.itertuples()
    assert (bad.sheet, bad.row, bad.column, bad.value) == ("2022—2024年妇幼健康指标", 3, "2023年", "18.5.1")


def test_a_real_xls_is_not_taken_for_a_web_page(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("表1")
    for c, v in enumerate(["指标名称", "单位", "2024年"]):
        sheet.write(0, c, v)
    for c, v in enumerate(["新生儿死亡率", "‰", 2.5]):
        sheet.write(1, c, v)
    book.save(str(tmp_path / "real.xls"))
    assert not is_html_workbook(tmp_path / "real.xls")
    r = read_observations(tmp_path / "real.xls", region="柳溪县")
    assert r.observations["value"].tolist() == [2.5]


def test_a_page_whose_spans_would_fill_millions_of_cells_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "spans.xls"
    path.write_text("<html><body><table>" + '<tr><td rowspan="900000" colspan="900">x</td></tr>' * 3
                    + "</table></body></html>", encoding="utf-8")
    r = read_observations(path, region="柳溪县")
    assert r.observations.empty and len(r.rejected) == 1
    (bad,) = r.rejected.itertuples()
    assert "spans.xls" in bad.reason and "MAX_SHEET_CELLS" in bad.reason
