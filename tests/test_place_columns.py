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


def _places_down(tmp_path: Path, place_heading: str, places: list[str], title: str) -> Path:
    """A one-year form with a row per place and a column per indicator (unit in the heading)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "分地区"
    ws.append([title])
    ws.append(["填报单位：卫生健康局"])
    ws.append(["序号", place_heading, "孕产妇死亡率（1/10万）", "5岁以下儿童死亡率（‰）"])
    rows = [(21.5, 8.2), (0, 6.1), ("12..4", 9.9), (14.0, "—")]
    for k, (place, (mmr, u5)) in enumerate(zip(places, rows, strict=False), start=1):
        ws.append([k, place, mmr, u5])
    ws.append(["注：孕产妇死亡率按常住人口计算。"])
    ws.append(["填表人：", None, "联系电话："])
    path = tmp_path / "places_down.xlsx"
    book.save(path)
    return path


def test_townships_down_the_rows_are_sub_regions_and_the_total_the_region(tmp_path):
    path = _places_down(tmp_path, "乡镇（街道）", ["合计", "北关街道", "柳湾镇", "石门乡"], "2023年某县分乡镇妇幼健康指标")
    report = read_observations(path, region="某县")
    got = {(r.subregion, r.indicator, int(r.year)): r.value for r in report.observations.itertuples()}
    assert got == {
        ("", "maternal_mortality", 2023): 21.5, ("", "under5_mortality", 2023): 8.2,
        ("北关街道", "maternal_mortality", 2023): 0.0, ("北关街道", "under5_mortality", 2023): 6.1,
        ("柳湾镇", "under5_mortality", 2023): 9.9, ("石门乡", "maternal_mortality", 2023): 14.0,
    }
    (bad,) = report.rejected.itertuples()  # 12..4: its row and column named
    assert (bad.row, bad.column, bad.value) == (6, "孕产妇死亡率（1/10万）", "12..4")
    assert report.rows_read == len(report.observations) + len(report.rejected) + len(report.conflicts)
    reasons = " ".join(map(str, report.skipped["reason"]))
    assert "未填报" in reasons and "说明行" in reasons and "签署栏" in reasons


def test_a_city_form_with_its_counties_down_the_rows(tmp_path):
    path = _places_down(tmp_path, "县（市、区）", ["东坝县", "西岭区"], "某市2022年各县区妇幼健康指标")
    report = read_observations(path)
    got = {(r.region, r.indicator): r.value for r in report.observations.itertuples()}
    assert got == {("东坝县", "maternal_mortality"): 21.5, ("东坝县", "under5_mortality"): 8.2,
                   ("西岭区", "maternal_mortality"): 0.0, ("西岭区", "under5_mortality"): 6.1}
    assert set(report.observations["year"]) == {2022} and report.rejected.empty


def test_places_down_without_a_year_in_the_title_are_rejected_not_guessed(tmp_path):
    path = _places_down(tmp_path, "乡镇", ["合计", "柳湾镇"], "某县分乡镇妇幼健康指标")
    report = read_observations(path, region="某县")
    assert report.observations.empty and len(report.rejected) == 2  # each place's row, saying what is missing
    assert all("年份" in r and "孕产妇死亡率（1/10万）" in r for r in report.rejected["reason"])


def test_places_down_for_half_a_year_are_rejected_not_read_as_the_whole_year(tmp_path):
    path = _places_down(tmp_path, "乡镇", ["合计", "柳湾镇"], "2024年1-6月某县分乡镇妇幼健康指标")
    report = read_observations(path, region="某县")
    assert report.observations.empty and len(report.rejected) == 2
