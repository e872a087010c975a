"""Forms with places across the columns and a year over or under each place (分乡镇 forms)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from childplan_analysis.io.sources import read_observations


def _form(path: Path, places_on_top: bool) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "分乡镇"
    ws.append(["某县妇幼健康主要指标（分乡镇）"])
    places, years = ["全县", "东坝镇", "西岭乡"], ["2022年", "2023年"]
    if places_on_top:
        top = [p for p in places for _ in years]
        low = [y for _ in places for y in years]
    else:
        top = [y for y in years for _ in places]
        low = [p for _ in years for p in places]
    ws.append(["指标名称", "计量单位", *top])
    ws.append([None, None, *low])
    for first in range(3, 3 + len(top), 2 if places_on_top else 3):
        span = 2 if places_on_top else 3
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + span - 1)
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    values = {"全县": (92.0, 93.5), "东坝镇": (95.1, 96.0), "西岭乡": (88.4, "—")}
    row = []
    if places_on_top:
        for p in places:
            row += list(values[p])
    else:
        for k in range(2):
            row += [values[p][k] for p in places]
    ws.append(["3岁以下儿童系统管理率", "%", *row])
    ws.append(["注：西岭乡2023年数据待核。"])
    path = path / "form.xlsx"
    book.save(path)
    return path


def _check(tmp_path: Path, places_on_top: bool) -> None:
    path = _form(tmp_path, places_on_top)
    report = read_observations(path, region="某县")
    obs = report.observations
    got = {(r.subregion, int(r.year)): r.value for r in obs.itertuples()}
    assert got == {("", 2022): 92.0, ("", 2023): 93.5, ("东坝镇", 2022): 95.1, ("东坝镇", 2023): 96.0,
                   ("西岭乡", 2022): 88.4}
    assert set(obs["region"]) == {"某县"}
    assert report.rejected.empty
    reasons = " ".join(map(str, report.skipped["reason"])) if len(report.skipped) else ""
    assert "未填报" in reasons and "说明行" in reasons


def test_places_over_the_years_are_sub_regions(tmp_path):
    _check(tmp_path, places_on_top=True)


def test_places_under_the_years_are_sub_regions(tmp_path):
    _check(tmp_path, places_on_top=False)


@pytest.mark.parametrize("merged", [False, True])
@pytest.mark.parametrize(
    ("groups", "column", "codes"),
    [(["城镇", "农村"], "area", ["urban", "rural"]), (["男", "女"], "sex", ["male", "female"]),
     (["全县", "城关镇"], "subregion", ["", "城关镇"])],
)
def test_groups_over_the_years_are_breakdowns_and_places_sub_regions(tmp_path, merged, groups, column, codes):
    """A row over the year columns names urban/rural or sex groups (their codes) or places (sub-regions);
    a 城镇 over the years is the urban group, not a township."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["指标", "单位", groups[0], None, groups[1], None])
    ws.append(["指标" if merged else None, "单位" if merged else None, "2022年", "2023年", "2022年", "2023年"])
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:F1")
    ws.append(["婴儿死亡率", "‰", 3.1, 3.0, 5.2, 5.0])
    book.save(tmp_path / "form.xlsx")
    report = read_observations(tmp_path / "form.xlsx", region="某县")
    assert report.rejected.empty
    got = {(getattr(r, column), int(r.year)): r.value for r in report.observations.itertuples()}
    assert got == {(codes[0], 2022): 3.1, (codes[0], 2023): 3.0, (codes[1], 2022): 5.2, (codes[1], 2023): 5.0}


@pytest.mark.parametrize(
    ("columns", "column", "codes"),
    [(["全县", "城镇", "农村"], "area", ["total", "urban", "rural"]),
     (["合计", "男", "女"], "sex", ["total", "male", "female"]),
     (["全县", "城关镇", "河西乡"], "subregion", ["", "城关镇", "河西乡"])],
)
def test_a_one_year_form_with_groups_or_places_across(tmp_path, columns, column, codes):
    """The year in the title, one column per group or place: 城镇 | 农村 and 男 | 女 are breakdowns of the
    region's values (not townships, not rejected), township names are sub-regions."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2024年某县儿童健康指标"])
    ws.append(["指标", "单位", *columns])
    ws.append(["婴儿死亡率", "‰", 3.1, 3.0, 5.2])
    book.save(tmp_path / "form.xlsx")
    report = read_observations(tmp_path / "form.xlsx", region="某县")
    assert report.rejected.empty
    got = {getattr(r, column): r.value for r in report.observations.itertuples()}
    assert got == dict(zip(codes, [3.1, 3.0, 5.2], strict=True))
    assert set(report.observations["year"].astype(int)) == {2024}
