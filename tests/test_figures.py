import numpy as np
import pandas as pd
import pytest
from conftest import make_plan

from childplan_analysis.core import config
from childplan_analysis.report.figures import (
    MILESTONE_YEARS,
    STATUS_COLOURS,
    backtest_chart,
    fan_chart,
    scorecard_chart,
    status_heatmap,
)
from childplan_analysis.report.notebook import backtest


def _series(years, values) -> pd.DataFrame:
    return pd.DataFrame({"year": list(years), "value": list(values)})


def _trace(fig, name):
    return [d for d in fig.data if d.name == name]


def test_fan_chart_shows_observed_projection_target_and_milestones():
    plan = make_plan([{"id": "imr_2025", "indicator": "infant_mortality", "comparator": "<=", "value": 6, "year": 2025},
                      {"id": "imr_2030", "indicator": "infant_mortality", "comparator": "<=", "value": 5}])
    years = np.arange(2015, 2023)
    values = 10 * 0.95 ** (years - 2015)  # exact constant rate of decline
    result = pd.Series({"model": "loglinear", "baseline_value": np.nan})
    fig = fan_chart(_series(years, values), plan.target("imr_2030"), result,
                    milestones=[plan.target("imr_2025")])
    observed = _trace(fig, "观测值")[0]
    assert list(observed.x) == list(years) and np.allclose(observed.y, values)
    trend = _trace(fig, "趋势预测")[0]
    assert trend.x[-1] == 2030 and trend.y[-1] == pytest.approx(10 * 0.95 ** 15, rel=1e-6)
    band = _trace(fig, "80%预测区间")[0]
    assert band.mode == "lines" and max(band.x) == 2030
    targets = [d for d in fig.data if d.name and d.name.startswith("目标")]
    assert sorted((d.name, d.y[0]) for d in targets) == [("目标 2025", 6), ("目标 2030", 5)]
    assert sorted(s.x0 for s in fig.layout.shapes) == list(MILESTONE_YEARS)
    assert "婴儿死亡率" in fig.layout.title.text


def test_fan_chart_in_english_with_held_out_values_and_no_projection_for_two_points():
    plan = make_plan([{"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95}])
    fig = fan_chart(_series([2020, 2021], [88, 89]), plan.targets[0], lang="en",
                    held_out=_series([2022, 2023], [90, 91]))
    names = [d.name for d in fig.data]
    assert "Observed" in names and "Actual" in names
    assert "Projection" not in names  # fewer than three points: no trend
    assert "Mid-term (2025)" in [a.text for a in fig.layout.annotations]


def test_status_heatmap_places_each_status():
    res = pd.DataFrame({
        "region": ["甲", "甲", "乙", "乙"], "target_id": ["a", "b", "a", "b"],
        "indicator": ["infant_mortality", "preschool_gross_enrolment"] * 2, "target_year": [2030] * 4,
        "status": ["achieved", "regressing", "on_track", "insufficient_data"],
    })
    fig = status_heatmap(res, "en")
    heat = fig.data[0]
    order = list(STATUS_COLOURS)
    assert list(heat.y) == ["甲", "乙"]
    assert heat.x[0].startswith("Infant mortality")
    assert heat.z.tolist() == [[order.index("achieved"), order.index("regressing")],
                               [order.index("on_track"), order.index("insufficient_data")]]
    assert heat.text[0][1] == "Regressing"


def test_scorecard_chart_stacks_statuses_per_domain():
    res = pd.DataFrame({"domain": ["health", "health", "education", "health"],
                        "status": ["achieved", "on_track", "achieved", "achieved"]})
    fig = scorecard_chart(res)
    bars = {d.name: dict(zip(d.y, d.x, strict=True)) for d in fig.data}
    assert bars["已达标"] == {"健康": 2, "教育": 1}
    assert bars["按期可达标"] == {"健康": 1, "教育": 0}


def test_backtest_of_an_exact_trend_has_no_error():
    years = np.arange(2011, 2021)
    frame = backtest(_series(years, 50 + 2 * (years - 2011)), "linear")
    assert len(frame) == sum(range(1, 8))  # origins 2013..2019, each forecasting every later year
    assert frame["origin"].min() == 2013 and frame["origin"].max() == 2019
    assert np.allclose(frame["error"], 0, atol=1e-9)
    assert (frame["horizon"] == frame["year"] - frame["origin"]).all()
    fig = backtest_chart(frame, _series(years, 50 + 2 * (years - 2011)))
    assert len(fig.data) == 1 + 7


def test_backtest_interval_coverage_on_noisy_series():
    rng = np.random.default_rng(3)
    years = np.arange(2000, 2021)
    values = 30 - 0.8 * (years - 2000) + rng.normal(0, 1, len(years))
    frame = backtest(_series(years, values), "linear")
    inside = (frame["actual"] >= frame["lower"]) & (frame["actual"] <= frame["upper"])
    assert (inside == frame["covered"]).all()
    assert 0.5 < frame["covered"].mean() <= 1  # an 80 % interval covers most outcomes
    assert backtest(_series([2020, 2021, 2022], [1, 2, 3]), "linear").empty


def test_fan_chart_band_is_the_assessed_projection():
    from childplan_analysis import assess, load_indicators, load_observations, load_plan
    from childplan_analysis.report.figures import projection

    obs = load_observations(config.NATIONAL_DATA_DIR)
    plan = load_plan(config.NATIONAL_PLAN_FILE)
    results = assess(obs, plan, regions=["全国"])
    totals = obs[(obs["region"] == "全国") & (obs["sex"] == "total") & (obs["area"] == "total")]
    dictionary = load_indicators()
    checked = 0
    for _, row in results[results["projected"].notna()].iterrows():
        series = totals[totals["indicator"] == row["indicator"]][["year", "value"]]
        path = projection(series, dictionary.by_id[row["indicator"]], int(row["target_year"]), row)
        at_target = path[path["year"] == row["target_year"]].iloc[0]
        assert path.attrs["model"] == row["model"]
        assert at_target["fitted"] == pytest.approx(row["projected"], rel=1e-9)
        assert at_target["lower"] == pytest.approx(row["lower"], rel=1e-9)
        assert at_target["upper"] == pytest.approx(row["upper"], rel=1e-9)
        checked += 1
    assert checked >= 5


def test_fan_chart_draws_published_bounds_as_triangles_not_points():
    plan = make_plan([{"id": "imm_2030", "indicator": "immunization_coverage", "comparator": ">=", "value": 95}])
    series = pd.DataFrame({"year": [2016, 2017, 2018, 2019, 2020, 2021],
                           "value": [90.0, 91.0, 92.0, 99.0, 93.5, 0.1],
                           "censor": ["", "", "", ">=", "", "<"]})
    fig = fan_chart(series, plan.target("imm_2030"))
    observed = _trace(fig, "观测值")[0]
    assert list(observed.x) == [2016, 2017, 2018, 2020]  # exact values only
    bounds = _trace(fig, "公布值为界限（≥/≤）")[0]
    assert bounds.mode == "markers" and list(bounds.x) == [2019, 2021]
    assert list(bounds.marker.symbol) == ["triangle-up", "triangle-down-open"]
    assert list(bounds.text) == ["≥99%", "<0.1%"] and "%{text}" in bounds.hovertemplate
    exact_only = fan_chart(series[series["censor"] == ""].drop(columns="censor"), plan.target("imm_2030"))
    assert not _trace(exact_only, "公布值为界限（≥/≤）")


def test_report_template_keeps_plotly_white_look_without_other_chart_kinds():
    import plotly.io as pio

    from childplan_analysis.report.theme import report_template

    tpl = report_template().to_plotly_json()
    white = pio.templates["plotly_white"].to_plotly_json()
    assert tpl["layout"]["plot_bgcolor"] == white["layout"]["plot_bgcolor"]
    assert tpl["layout"]["xaxis"] == white["layout"]["xaxis"]
    assert not {"polar", "scene", "geo", "ternary"} & set(tpl["layout"])
    assert set(tpl["data"]) <= {"scatter", "bar", "heatmap", "pie"}
    assert len(str(tpl)) < len(str(white)) / 2


def test_status_ranking_chart_puts_the_worst_place_on_top():
    from childplan_analysis.report.ranking import ranked_places, status_ranking_chart

    results = pd.DataFrame({
        "region": ["甲县"] * 3 + ["乙县"] * 3 + ["丙县"] * 3,
        "target_id": ["a", "b", "c"] * 3,
        "status": ["achieved", "achieved", "on_track", "regressing", "acceleration_needed", "achieved",
                   "achieved", "insufficient_data", "acceleration_needed"],
        "warning_level": ["green", "green", "green", "red", "yellow", "green", "green", "yellow", "yellow"],
        "warnings": ["", "", "", "regressing;off_track", "off_track", "", "", "no_data", "off_track"],
    })
    assert ranked_places(results) == ["乙县", "丙县", "甲县"]
    fig = status_ranking_chart(results)
    achieved = _trace(fig, "已达标")[0]
    assert list(achieved.y) == ["乙县", "丙县", "甲县"] and list(achieved.x) == [1, 1, 2]
    assert list(achieved.customdata) == ["33%", "50%", "67%"]  # 达标率: achieved ÷ monitorable
    assert fig.layout.yaxis.autorange == "reversed"


def test_a_target_about_a_value_is_one_shaded_band_between_its_bounds():
    plan = make_plan([{"id": "emp_2030", "indicator": "female_share_employment", "comparator": "around", "value": 45}])
    fig = fan_chart(_series(range(2018, 2024), [43.1, 43.5, 44.0, 43.8, 44.2, 44.5]), plan.target("emp_2030"))
    band = [d for d in fig.data if d.name == "目标区间 2030"]
    assert len(band) == 1 and band[0].fill == "tonexty"
    lower = fig.data[fig.data.index(band[0]) - 1]
    tolerance = 45 * config.AROUND_TOLERANCE
    assert (lower.y[0], band[0].y[0]) == pytest.approx((45 - tolerance, 45 + tolerance))
    assert not [d for d in fig.data if d.name == "目标 2030"]  # not two separate target lines
