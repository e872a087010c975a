"""A city analyst's trial: a city (临川港市) with four counties, its own plans under the national
outlines, a county plan of its own, data broken down by sex, urban/rural and county, and the
commands that read them: gaps, check-plans, accountability."""

from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from childplan_analysis.catalog.consistency import check_plans
from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.engine.accountability import (
    by_unit,
    explain,
    split_units,
    unit_sheets,
    write_unit_workbook,
)
from childplan_analysis.engine.assess import assess
from childplan_analysis.engine.disparity import (
    disparities,
    gap_table,
    hidden_laggards,
    subregion_coverage,
    subregions_ahead,
)
from childplan_analysis.io.sources import load_observations
from childplan_analysis.report.plan_checks import plan_check_table
from childplan_analysis.report.tables import overview, row_units

PARAMS = Path(__file__).resolve().parents[1] / "params"
CITY = "临川港市"
COUNTIES = ("青石县", "白沙县", "渔湾区", "石门县")
YEARS = range(2019, 2024)


def _target(tid, indicator, comparator, value, unit, year, responsible=None):
    out = {"id": tid, "indicator": indicator, "domain": "health", "comparator": comparator, "value": value,
           "unit": unit, "year": year}
    if responsible:
        out["responsible"] = responsible
    return out


def _plans(folder: Path) -> Path:
    """The national outlines, the city's children and women plans and 青石县's own plan."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("national_children_2021_2030.yaml", "national_women_2021_2030.yaml"):
        (folder / name).write_text((PARAMS / name).read_text(encoding="utf-8"), encoding="utf-8")
    city = {
        "id": "lcg_children", "title": f"{CITY}儿童发展规划（2021—2030年）", "region": CITY, "level": "city",
        "period": [2021, 2030], "parent": "national_children_2021_2030", "population": "children",
        "targets": [
            _target("u5_2025", "under5_mortality", "<=", 5.5, "‰", 2025, ["市卫健委"]),
            _target("u5_2030", "under5_mortality", "<=", 5.0, "‰", 2030, ["市卫健委、市教育局"]),
            _target("pre_2030", "preschool_gross_enrolment", ">=", 92, "%", 2030, ["市教育局和市发展改革委"]),
            _target("imr_2030", "infant_mortality", "<=", 0.45, "%", 2030, ["卫健委"]),
        ],
    }
    women = {
        "id": "lcg_women", "title": f"{CITY}妇女发展规划（2021—2030年）", "region": CITY, "level": "city",
        "period": [2021, 2030], "parent": "national_women_2021_2030", "population": "women",
        "targets": [_target("mmr_2030", "maternal_mortality", "<=", 0.13, "‰", 2030, ["市卫健委"])],
    }
    county = {
        "id": "qingshi_children", "title": "青石县儿童发展规划（2021—2030年）", "region": f"{CITY}青石县",
        "level": "county", "period": [2021, 2030], "parent": "lcg_children", "population": "children",
        "targets": [
            _target("u5_2030", "under5_mortality", "<=", 5.8, "‰", 2030, ["县卫健局"]),
            _target("pre_2030", "preschool_gross_enrolment", ">=", 95, "%", 2030, ["县教育局"]),
            _target("imr_2030", "infant_mortality", "<=", 4.0, "‰", 2030, ["县卫健局"]),
        ],
    }
    for name, plan in (("lcg_children.yaml", city), ("lcg_women.yaml", women), ("qingshi.yaml", county)):
        (folder / name).write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _rows() -> list[tuple]:
    """(地区, 指标, 年份, 数值, 单位, 性别, 城乡, 县区) rows of the city's tidy return."""
    rows = []

    def add(indicator, values, unit, sex="", area="", county=""):
        for year, value in values.items():
            rows.append((CITY, indicator, year, value, unit, sex, area, county))

    add("5岁以下儿童死亡率", dict(zip(YEARS, [5.6, 5.3, 5.0, 4.8, 4.6], strict=True)), "‰")
    add("5岁以下儿童死亡率", dict(zip(YEARS, [6.0, 5.7, 5.4, 5.2, 5.0], strict=True)), "‰", sex="男")
    add("5岁以下儿童死亡率", {2019: 5.1, 2022: 4.3, 2023: 4.1}, "‰", sex="女")  # 2020, 2021 not reported
    add("5岁以下儿童死亡率", {2022: 4.0, 2023: 3.8}, "‰", area="城镇")
    add("5岁以下儿童死亡率", {2022: 5.9, 2023: 5.6}, "‰", area="农村")
    for county, values in (("青石县", [6.5, 6.3, 6.2, 6.1, 6.0]), ("白沙县", [5.0, 4.8, 4.5, 4.3, 4.1]),
                           ("渔湾区", [4.0, 3.9, 3.7, 3.6, 3.4])):
        add("5岁以下儿童死亡率", dict(zip(YEARS, values, strict=True)), "‰", county=county)
    add("学前教育毛入园率", dict(zip(YEARS, [85, 86, 86.5, 87, 88], strict=True)), "%")
    for county, values in (("青石县", [80, 81, 82, 82, 83]), ("白沙县", [92, 93, 94, 95, 96]),
                           ("渔湾区", [88, 89, 90, 90, 91])):
        add("学前教育毛入园率", dict(zip(YEARS, values, strict=True)), "%", county=county)
    add("婴儿死亡率", dict(zip(YEARS, [5.2, 5.0, 4.9, 4.6, 4.5], strict=True)), "‰")
    add("孕产妇死亡率", dict(zip(YEARS, [14, 13.5, 13, 12.6, 12.6], strict=True)), "1/10万")
    return rows


@pytest.fixture()
def city(tmp_path: Path) -> dict:
    plans = _plans(tmp_path / "plans")
    data = tmp_path / "data"
    data.mkdir()
    frame = pd.DataFrame(_rows(), columns=["地区", "指标", "年份", "数值", "单位", "性别", "城乡", "县区"])
    frame.to_csv(data / "市监测数据.csv", index=False, encoding="utf-8")
    return {"plans": plans, "data": data, "obs": load_observations(data),
            "plan": load_plan(plans / "lcg_children.yaml"), "county": load_plan(plans / "qingshi.yaml"),
            "women": load_plan(plans / "lcg_women.yaml")}


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return result.output


# ------------------------------------------------------------------ gaps


def test_a_sex_gap_with_years_of_one_sex_missing_says_which_and_on_how_many_years(city):
    trends = disparities(city["obs"], city["plan"])
    sex = trends[(trends["dimension"] == "sex") & (trends["measure"] == "gap")].iloc[0]
    assert sex["missing"] == "female:2020,2021" and sex["n_points"] == 3
    table = gap_table(trends[(trends["dimension"] == "sex")], "zh").iloc[0]
    assert table["依据年数"] == "3"
    assert table["说明"] == "女缺2020、2021年数值，差距按其余3年计算"
    en = gap_table(trends[(trends["dimension"] == "sex")], "en").iloc[0]
    assert en["Note"] == "female: no value for 2020, 2021; the gap is measured on the other 3 years"


def test_a_gap_on_two_years_says_why_it_has_no_verdict_in_chinese(city):
    trends = disparities(city["obs"], city["plan"])
    area = gap_table(trends[(trends["dimension"] == "area") & (trends["measure"] == "gap")], "zh").iloc[0]
    assert area["判断"] == "数据不足" and area["说明"] == "仅有2年数据，判断趋势至少需要3年"
    assert area["分组"] == "城乡"
    county = gap_table(trends[trends["dimension"] == "subregion"], "zh")
    assert set(county["分组"]) == {"下辖地区"} and set(county["比较组"]) == {"3个下辖地区"}


def test_a_county_reporting_some_indicators_only_is_named_in_the_spread(city):
    obs = city["obs"].copy()
    obs.attrs = {}
    extra = obs[(obs["subregion"] == "白沙县") & (obs["indicator"] == "under5_mortality")].assign(subregion="石门县")
    obs = pd.concat([obs, extra.iloc[-2:]], ignore_index=True)  # 石门县: two years of one indicator only
    trends = disparities(obs, city["plan"])
    pre = trends[(trends["indicator"] == "preschool_gross_enrolment") & (trends["dimension"] == "subregion")]
    assert set(pre["missing"]) == {"石门县:"}
    u5 = trends[(trends["indicator"] == "under5_mortality") & (trends["dimension"] == "subregion")]
    assert set(u5["missing"]) == {"石门县:2019,2020,2021"}
    note = gap_table(pre, "zh")["说明"].iloc[0]
    assert note == "石门县无数据，差距按有数据的各组计算"


def test_a_county_with_no_data_at_all_is_named_by_its_own_plan(city, tmp_path):
    plans = [city["county"], load_plan(_with_region(tmp_path, f"{CITY}石门县"))]
    cover = subregion_coverage(city["obs"], city["plan"], plans=plans)
    first = cover.iloc[0]
    assert (first["subregion"], first["with_data"], first["indicators"]) == ("石门县", 0, 2)
    assert set(first["without_data"].split("、")) == {"under5_mortality", "preschool_gross_enrolment"}
    assert "青石县" not in set(cover["subregion"])  # it reports both


def _with_region(tmp_path: Path, region: str) -> Path:
    path = tmp_path / "shimen.yaml"
    plan = {"id": "shimen_children", "title": "石门县儿童发展规划", "region": region, "level": "county",
            "period": [2021, 2030], "targets": [_target("u5", "under5_mortality", "<=", 5.0, "‰", 2030)]}
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def test_a_county_plan_without_the_city_milestone_is_held_to_the_city_milestone(city):
    lag = hidden_laggards(city["obs"], city["plan"], plans=[city["county"]])
    by_target = lag[lag["subregion"] == "青石县"].set_index("target_id")
    # 2025: the county plan has no 2025 target, so the city's 2025 milestone applies, not its 2030 one
    assert by_target.loc["u5_2025", "subregion_target"] == "≤5.5‰（2025年）"
    assert by_target.loc["u5_2025", "subregion_plan_id"] == "lcg_children"
    assert by_target.loc["u5_2030", "subregion_target"] == "≤5.8‰（2030年）"


def test_a_county_meeting_the_target_the_city_misses_is_listed(city):
    ahead = subregions_ahead(city["obs"], city["plan"])
    assert list(ahead["subregion"]) == ["白沙县"]
    row = ahead.iloc[0]
    assert row["target_id"] == "pre_2030" and row["region_status"] != "achieved"
    assert row["subregion_value"] == pytest.approx(96) and row["region_value"] == pytest.approx(88)


def test_gaps_command_shows_notes_laggards_counties_ahead_and_counties_without_data(city, tmp_path):
    _with_region(city["plans"], f"{CITY}石门县")
    out = _cli("gaps", str(city["plans"] / "lcg_children.yaml"), str(city["data"]))
    assert "女缺2020、2021年数值" in out and "依据年数" in out
    assert "全域未达标、但已达到目标的下辖地区" in out and "白沙县" in out
    assert "缺少数据的下辖地区" in out and "石门县" in out
    en = _cli("gaps", str(city["plans"] / "lcg_children.yaml"), str(city["data"]), "--lang", "en")
    assert "Sub-regions meeting a target the region as a whole does not" in en
    assert "≥92% (2030)" in en and "（2030年）" not in en
    header = next(line for line in en.splitlines() if "Sub-region value" in line)
    assert "Region value" in header


# ------------------------------------------------------------------ accountability


@pytest.mark.parametrize(("text", "units"), [
    ("市教育局和市发展改革委", ["市教育局", "市发展改革委"]),
    ("市卫健委及市妇联", ["市卫健委", "市妇联"]),
    ("市人力资源和社会保障局", ["市人力资源和社会保障局"]),
    ("市住房和城乡建设局、市文化和旅游局", ["市住房和城乡建设局", "市文化和旅游局"]),
    ("市发展和改革委员会与团市委（牵头）", ["市发展和改革委员会", "团市委"]),
])
def test_units_joined_by_he_are_two_units_names_with_he_inside_stay_one(text, units):
    assert split_units(text) == units


def test_a_unit_written_with_and_without_the_city_is_one_unit(city):
    results = pd.concat([assess(city["obs"], city["plan"]), assess(city["obs"], city["women"])],
                        ignore_index=True)
    listed = by_unit(results).groupby("responsible_unit")["target_id"].apply(set).to_dict()
    assert listed == {
        "市卫健委": {"u5_2025", "u5_2030", "imr_2030", "mmr_2030"},
        "市教育局": {"u5_2030", "pre_2030"},
        "市发展改革委": {"pre_2030"},
    }
    # the report's warnings by unit read the same lists
    units = [u for u, _ in row_units(results)]
    assert units[list(results["target_id"]).index("imr_2030")] == ["市卫健委"]


def test_a_unit_spelled_with_the_city_name_is_the_same_unit(city):
    results = assess(city["obs"], city["plan"])
    results.loc[results["target_id"] == "imr_2030", "responsible"] = f"{CITY}卫健委"
    assert set(by_unit(results)["responsible_unit"]) == {"市卫健委", "市教育局", "市发展改革委"}


def test_units_of_two_regions_are_kept_apart(city):
    a = assess(city["obs"], city["plan"])
    b = a.assign(region="别的市", responsible="卫健委")
    names = set(by_unit(pd.concat([a, b], ignore_index=True))["responsible_unit"])
    assert "卫健委" in names and "市卫健委" in names


def test_a_rate_per_100000_reads_right_after_a_number(city):
    results = assess(city["obs"], city["women"]).iloc[0]
    assert "2023年为12.6/10万" in explain(results)
    assert "12.6 per 100,000 in 2023" in explain(results, "en")


def test_accountability_command_is_chinese_by_default_and_english_with_lang(city, tmp_path):
    plans = city["plans"]
    out = _cli("accountability", str(plans / "lcg_children.yaml"), str(city["data"]),
               "--plan", str(plans / "lcg_women.yaml"), "--out", str(tmp_path / "责任清单.xlsx"))
    assert "责任单位" in out and "已达标" in out and "achieved" not in out
    assert "3 个责任单位、5 项目标已写入" in out
    en = _cli("accountability", str(plans / "lcg_children.yaml"), str(city["data"]), "--lang", "en",
              "--out", str(tmp_path / "units.xlsx"))
    assert "3 responsible units, 4 targets written to" in en and "Achieved" in en
    sheets = pd.read_excel(tmp_path / "责任清单.xlsx", sheet_name=None, engine="openpyxl")
    assert set(sheets) == {"市卫健委", "市教育局", "市发展改革委"}
    assert len(sheets["市卫健委"]) == 4


def test_unit_sheets_hold_each_units_own_targets(city, tmp_path):
    results = assess(city["obs"], city["plan"])
    sheets = unit_sheets(results, city["plan"])
    assert len(sheets["市发展改革委"]) == 1 and sheets["市发展改革委"]["共同责任单位"].iloc[0] == "市教育局"
    path = write_unit_workbook(results, tmp_path / "x.xlsx", city["plan"])
    assert path.is_file()


# ------------------------------------------------------------------ check-plans


def test_a_parent_milestone_the_child_lacks_is_reported(city):
    df = check_plans(city["plans"])
    county = df[df["plan_id"] == "qingshi_children"]
    lacking = county[county["issue"] == "missing_milestone"]
    assert list(zip(lacking["indicator"], lacking["year"], strict=True)) == [("under5_mortality", 2025)]
    laxer = county[county["issue"] == "laxer_than_parent"]
    assert list(laxer["indicator"]) == ["under5_mortality"]


def test_a_parent_in_another_unit_is_compared_in_one_unit(city):
    df = check_plans(city["plans"])
    women = df[(df["plan_id"] == "lcg_women") & (df["issue"] == "laxer_than_parent")]
    assert list(women["indicator"]) == ["maternal_mortality"]  # 0.13‰ = 13/10万 > 12/10万
    city_rows = df[(df["plan_id"] == "lcg_children") & (df["issue"] == "laxer_than_parent")]
    assert city_rows.empty  # 0.45% = 4.5‰ ≤ 5‰


def test_plan_check_table_is_chinese_with_names_and_units(city):
    table = plan_check_table(city["plans"], "zh")
    women = table[table["规划"] == f"{CITY}妇女发展规划（2021—2030年）"]
    row = women[women["问题"] == "低于上级规划要求"].iloc[0]
    assert row["指标"] == "孕产妇死亡率" and row["严重程度"] == "错误" and row["上级规划"].startswith("中国妇女发展纲要")
    assert row["说明"] == "上限13/10万高于上级规划的12/10万"
    assert row["本规划目标"] == "≤13/10万（2030年）"
    county = table[table["规划"] == "青石县儿童发展规划（2021—2030年）"]
    milestone = county[county["问题"] == "缺少上级规划阶段目标"].iloc[0]
    assert milestone["说明"] == "上级规划设有2025年阶段目标，本规划没有2025年目标"
    assert milestone["上级规划目标"] == "≤5.5‰（2025年）" and milestone["严重程度"] == "提示"
    en = plan_check_table(city["plans"], "en")
    row = en[en["Issue"] == "laxer than the parent"].set_index("Indicator").loc["Maternal mortality ratio"]
    assert row["Detail"] == "upper bound 13 per 100,000 above the parent's 12 per 100,000"


# ------------------------------------------------------------------ the report's words


def test_one_red_warning_and_one_target_read_in_the_singular(city):
    results = assess(city["obs"], city["plan"])
    red = results[results["target_id"] == "pre_2030"]
    assert (red["warning_level"] == "red").all()
    lines = overview(red, city["plan"], "en")
    assert lines[0].startswith("1 target monitored") and "(1 needs faster progress, " in lines[0]
    assert any(line.startswith("1 red warning: ") for line in lines)
    assert "0 yellow warnings." in lines
    # the red warning is listed under each of the two units joined by 和
    red_line = next(line for line in lines if line.startswith("1 red warning"))
    assert "市教育局:" in red_line and "市发展改革委:" in red_line


def test_the_dashboard_names_a_county_plan_with_no_data(city):
    from childplan_analysis.report import notebook as nb

    plans, data = city["plans"], city["data"]
    counties = pd.DataFrame([(c, "学前教育毛入园率", y, v, "%") for c, base in (("青石县", 80), ("白沙县", 93))
                             for y, v in zip(YEARS, range(base, base + 5), strict=True)],
                            columns=["地区", "指标", "年份", "数值", "单位"])
    counties.to_csv(data / "各县.csv", index=False, encoding="utf-8")
    shimen = yaml.safe_load(_with_region(plans, f"{CITY}石门县").read_text(encoding="utf-8"))
    shimen["parent"] = "lcg_children"
    (plans / "shimen.yaml").write_text(yaml.safe_dump(shimen, allow_unicode=True), encoding="utf-8")
    ctx = nb.prepare_dashboard(plans / "lcg_children.yaml", data, lang="en")
    assert ctx.no_data == ["石门县"] and "石门县" in ctx.regions
    assert "青石县" in ctx.regions  # its plan's region 临川港市青石县 is the data's 青石县
    shimen_rows = ctx.results[ctx.results["region"] == "石门县"]
    assert len(shimen_rows) == len(city["plan"].targets) and (shimen_rows["status"] == "insufficient_data").all()
    assert len(ctx.ranking()) == len(ctx.regions)
    heading = ctx.heading()
    assert "Regions: **临川港市, 白沙县, 青石县, 石门县**" in heading and "4 targets" in heading


def test_english_tables_and_charts_read_per_100000(city):
    from childplan_analysis.report.figures import fan_chart
    from childplan_analysis.report.tables import scorecard

    results = assess(city["obs"], city["women"])
    card = scorecard(results, city["women"], "en")
    assert card["Target"].iloc[0] == "≤13 per 100,000 (2030)"
    assert card["Latest value"].iloc[0].startswith("12.6 per 100,000")
    zh = scorecard(results, city["women"], "zh")
    assert zh["目标"].iloc[0] == "≤13/10万（2030年）" and zh["最新值"].iloc[0].startswith("12.6/10万")
    series = city["obs"][city["obs"]["indicator"] == "maternal_mortality"]
    fig = fan_chart(series, city["women"].targets[0], results.iloc[0], lang="en")
    assert fig.layout.yaxis.title.text == "per 100,000" and "per 100,000" in fig.layout.title.text


def test_a_county_plan_under_another_parent_region_is_not_a_dashboard_row(city):
    from childplan_analysis.report.expected_regions import regions_without_data

    plans = city["plans"]
    other = yaml.safe_load(_with_region(plans, "别的省别的县").read_text(encoding="utf-8"))
    other["parent"] = "lcg_children"
    (plans / "shimen.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    assert regions_without_data(city["plan"], plans, [CITY]) == ["青石县"]  # its own county, not 别的县
    national = load_plan(plans / "national_children_2021_2030.yaml")
    assert regions_without_data(national, plans, ["北京市"]) == []  # the city's plan is not under 全国's name


def test_the_report_holds_a_county_to_its_own_plan_and_names_counties_without_data(city):
    from childplan_analysis.report import notebook as nb

    _with_region(city["plans"], f"{CITY}石门县")
    shimen = yaml.safe_load((city["plans"] / "shimen.yaml").read_text(encoding="utf-8"))
    shimen["parent"] = "lcg_children"
    (city["plans"] / "shimen.yaml").write_text(yaml.safe_dump(shimen, allow_unicode=True), encoding="utf-8")
    ctx = nb.prepare_report(city["plans"] / "lcg_children.yaml", city["data"])
    assert {p.id for p in ctx.sub_plans} == {"qingshi_children", "shimen_children"}
    lag = hidden_laggards(ctx.observations, ctx.plan, plans=ctx.sub_plans)
    own = lag[(lag["subregion"] == "青石县") & (lag["target_id"] == "u5_2030")]
    assert list(own["subregion_plan_id"]) == ["qingshi_children"]
    cover = subregion_coverage(ctx.observations, ctx.plan, plans=ctx.sub_plans)
    assert cover.iloc[0]["subregion"] == "石门县" and cover.iloc[0]["with_data"] == 0
