import numpy as np
import pandas as pd
import pytest
from conftest import make_plan
from typer.testing import CliRunner

from childplan_analysis.cli.app import app
from childplan_analysis.engine.disparity import (
    GAP_TREND_COLUMNS,
    gap_series,
    gap_summary,
    gap_table,
    gap_trends,
    hidden_laggards,
)
from childplan_analysis.report.gap_figures import gap_chart, subregion_chart

YEARS = range(2013, 2025)


def _row(region, indicator, year, value, sex="total", area="total", subregion="", age_group="total"):
    return {"region": region, "indicator": indicator, "year": year, "value": value, "unit": "",
            "sex": sex, "area": area, "age_group": age_group, "subregion": subregion, "source": "test", "note": ""}


def _urban_rural(region: str, rural_of_k, urban=5.0, sd=0.08, seed=0, indicator="infant_mortality"):
    rng = np.random.default_rng(seed)
    rows = []
    for k, y in enumerate(YEARS):
        rows.append(_row(region, indicator, y, urban + rng.normal(0, sd), area="urban"))
        rows.append(_row(region, indicator, y, rural_of_k(k) + rng.normal(0, sd), area="rural"))
    return rows


def _constructed() -> pd.DataFrame:
    rows = (_urban_rural("缩小县", lambda k: 9 - 0.3 * k, seed=1)
            + _urban_rural("扩大县", lambda k: 6 + 0.3 * k, seed=2)
            + _urban_rural("持平县", lambda k: 7.0, seed=3))
    return pd.DataFrame(rows)


def test_narrowing_widening_and_flat_gaps_get_the_right_verdicts():
    trends = gap_trends(gap_series(_constructed()))
    assert list(trends.columns) == GAP_TREND_COLUMNS
    gap = trends[trends["measure"] == "gap"].set_index("region")
    assert gap.loc["缩小县", "verdict"] == "narrowing"
    assert gap.loc["扩大县", "verdict"] == "widening"
    assert gap.loc["持平县", "verdict"] == "stable"
    # the gap is rural − urban, and its fitted annual change is what was built in
    assert gap.loc["缩小县", "annual_change"] == pytest.approx(-0.3, abs=0.03)
    assert gap.loc["扩大县", "annual_change"] == pytest.approx(0.3, abs=0.03)
    assert gap.loc["持平县", "last_value"] == pytest.approx(2.0, abs=0.4)
    assert gap.loc["扩大县", "p_widening"] > 0.99 and gap.loc["缩小县", "p_narrowing"] > 0.99
    # the ratio (rural / urban) tells the same story
    ratio = trends[trends["measure"] == "ratio"].set_index("region")
    assert ratio.loc["扩大县", "verdict"] == "widening" and ratio.loc["缩小县", "verdict"] == "narrowing"
    warned = trends[trends["warnings"] == "widening_gap"]
    assert set(warned["region"]) == {"扩大县"}
    assert (warned["warning_level"] == "yellow").all()
    # mortality: the group with the higher value is the worse off
    assert set(gap["worse_group"]) == {"rural"}
    # the projection for 2030 continues the trend, with an interval around it
    widen = gap.loc["扩大县"]
    assert widen["lower"] < widen["projected"] < widen["upper"]
    assert widen["projected"] == pytest.approx(1 + 0.3 * (2030 - 2013), abs=0.6)


def test_gap_that_closed_in_rounded_data_is_not_widening():
    rows = []
    for k, y in enumerate(YEARS):  # both groups at 100 % from 2018: the tiny early gap closed
        rows.append(_row("县", "immunization_coverage", y, 100.0 if k >= 5 else 99.8, area="urban"))
        rows.append(_row("县", "immunization_coverage", y, 100.0 if k >= 5 else 99.5 + 0.1 * k, area="rural"))
    gap = gap_trends(gap_series(pd.DataFrame(rows))).set_index("measure")
    assert gap.loc["gap", "verdict"] != "widening"


def test_sex_gap_orientation_and_polarity():
    rows = []
    for y in YEARS:
        rows.append(_row("县", "preschool_gross_enrolment", y, 90.0, sex="male"))
        rows.append(_row("县", "preschool_gross_enrolment", y, 88.0, sex="female"))
    series = gap_series(pd.DataFrame(rows))
    gap = series[series["measure"] == "gap"]
    assert (gap["value"] == -2.0).all()  # female − male
    assert (gap["groups"] == "female-male").all()
    assert (gap["worse_group"] == "female").all()  # higher is better for enrolment


def test_subregion_dispersion_cv_range_and_population_weighted_index():
    values = {"甲镇": 80.0, "乙镇": 90.0, "丙镇": 100.0}
    pops = {"甲镇": 100.0, "乙镇": 300.0, "丙镇": 600.0}
    rows = [_row("市", "immunization_coverage", y, v, subregion=s) for y in YEARS for s, v in values.items()]
    populations = pd.DataFrame({"region": "市", "subregion": list(pops), "population": list(pops.values())})
    series = gap_series(pd.DataFrame(rows), populations=populations)
    one = series[series["year"] == 2020].set_index("measure")["value"]
    x = np.array(list(values.values()))
    assert one["range"] == pytest.approx(20.0)
    assert one["max_min"] == pytest.approx(100 / 80)
    assert one["cv"] == pytest.approx(x.std() / x.mean())
    w = np.array(list(pops.values())) / 1000
    mean_w = (w * x).sum()
    assert one["weighted_cv"] == pytest.approx(np.sqrt((w * (x - mean_w) ** 2).sum()) / mean_w)
    worst = series[(series["year"] == 2020) & (series["measure"] == "range")]["worse_group"].item()
    assert worst == "甲镇"
    trends = gap_trends(series).set_index("measure")
    assert (trends["verdict"] == "stable").all()


def test_widening_dispersion_across_subregions():
    rows = []
    for k, y in enumerate(YEARS):
        for s, off in (("甲县", -1.0), ("乙县", 0.0), ("丙县", 1.0), ("丁县", 0.5)):
            rows.append(_row("市", "infant_mortality", y, 6.0 + off * (0.5 + 0.2 * k)))
            rows[-1]["subregion"] = s
    trends = gap_trends(gap_series(pd.DataFrame(rows)))
    cv = trends[trends["measure"] == "cv"].iloc[0]
    assert cv["verdict"] == "widening" and cv["warnings"] == "widening_gap"
    summary = gap_summary(trends)
    assert summary["any_widening"].all() and (summary["measure"] == "cv").all()


def test_too_few_years_is_insufficient():
    rows = _urban_rural("县", lambda k: 8.0)
    frame = pd.DataFrame(rows)
    trends = gap_trends(gap_series(frame[frame["year"] >= 2023]))
    assert (trends["verdict"] == "insufficient_data").all()
    assert trends["reason"].str.contains("only 2 year").all()
    assert trends["projected"].isna().all()


def test_as_of_hides_later_years():
    series = gap_series(_constructed())
    trends = gap_trends(series, as_of=2018).set_index(["region", "measure"])
    assert (trends["last_year"] == 2018).all()


def test_bad_dimension_is_rejected():
    with pytest.raises(ValueError, match="unknown breakdown dimension 'county'"):
        gap_series(_constructed(), ["county"])


def test_tables_and_figures_speak_chinese_by_default_and_english_on_request():
    series = gap_series(_constructed())
    trends = gap_trends(series)
    table = gap_table(trends)
    assert "判断" in table.columns and "差距扩大" in set(table["判断"]) and "农村−城镇" in set(table["比较组"])
    table_en = gap_table(trends, lang="en")
    assert "Widening" in set(table_en["Verdict"])
    one = series[(series["region"] == "扩大县") & (series["measure"] == "gap")]
    row = trends[(trends["region"] == "扩大县") & (trends["measure"] == "gap")].iloc[0]
    fig = gap_chart(one, row)
    assert "差距扩大" in fig.layout.title.text and "城乡" in fig.layout.title.text
    band = fig.data[0]
    assert max(band.x) == 2030  # projection band reaches the target year
    assert "Widening" in gap_chart(one, row, lang="en").layout.title.text


def _laggard_data() -> pd.DataFrame:
    rows = []
    for y in YEARS:
        rows.append(_row("测试市", "immunization_coverage", y, 96.0 + 0.1 * (y - 2013)))
        for s, v in (("甲县", 98.0), ("乙县", 97.0), ("丙县", 91.0), ("丁县", 93.0)):
            rows.append(_row("测试市", "immunization_coverage", y, v, subregion=s))
    return pd.DataFrame(rows)


def test_hidden_laggards_use_the_subregions_own_plan_where_there_is_one():
    city = make_plan([{"id": "imm", "indicator": "immunization_coverage", "comparator": ">=", "value": 95}],
                     id="city_plan", region="测试市", level="city")
    # 丁县 has its own, lower target (≥ 92): it meets it; 丙县 is held to the city's ≥ 95
    county = make_plan([{"id": "imm_c", "indicator": "immunization_coverage", "comparator": ">=", "value": 92}],
                       id="county_plan", region="测试市丁县", level="county")
    lag = hidden_laggards(_laggard_data(), city, plans=[county])
    assert list(lag["subregion"]) == ["丙县"]
    row = lag.iloc[0]
    assert row["region"] == "测试市" and row["region_value"] > 95
    assert row["subregion_value"] == 91.0 and row["shortfall"] == pytest.approx(4.0)
    assert row["subregion_plan_id"] == "city_plan"
    # without the county's own plan, 丁县 (93 < 95) lags too, larger shortfall listed last
    lag_all = hidden_laggards(_laggard_data(), city)
    assert list(lag_all["subregion"]) == ["丙县", "丁县"]
    # the region missing the target: nothing is hidden
    strict = make_plan([{"indicator": "immunization_coverage", "comparator": ">=", "value": 99}],
                       region="测试市", level="city")
    assert hidden_laggards(_laggard_data(), strict).empty


def test_subregion_dumbbell_marks_laggards():
    city = make_plan([{"id": "imm", "indicator": "immunization_coverage", "comparator": ">=", "value": 95}],
                     region="测试市", level="city")
    fig = subregion_chart(_laggard_data(), city.targets[0], "测试市")
    misses = [tr for tr in fig.data if tr.name == "未达到目标"][0]
    assert set(misses.y) == {"丙县", "丁县"}
    meets = [tr for tr in fig.data if tr.name == "达到目标"][0]
    assert set(meets.y) == {"甲县", "乙县"}
    fig_en = subregion_chart(_laggard_data(), city.targets[0], "测试市", lang="en")
    assert any(tr.name == "Below the target" for tr in fig_en.data)


def test_cli_gaps_prints_verdicts_and_writes_file(tmp_path):
    data = tmp_path / "obs.csv"
    _constructed().to_csv(data, index=False)
    plan = tmp_path / "plan.yaml"
    plan.write_text("id: p\ntitle: 测试\nregion: 扩大县\nlevel: county\nperiod: [2021, 2030]\n"
                    "targets:\n  - {id: imr, indicator: infant_mortality, comparator: '<', value: 5, year: 2030}\n",
                    encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["gaps", str(plan), str(data)])
    assert res.exit_code == 0, res.output
    assert "差距扩大" in res.output
    out = tmp_path / "gaps.csv"
    res = runner.invoke(app, ["gaps", str(plan), str(data), "--out", str(out)])
    assert res.exit_code == 0, res.output
    written = pd.read_csv(out)
    assert set(written["region"]) == {"扩大县"} and (written.loc[written["measure"] == "gap", "verdict"] == "widening").all()
