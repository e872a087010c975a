import numpy as np
import pandas as pd
import pytest
from conftest import make_plan, series_frame

from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError
from childplan_analysis.engine.assess import RESULT_COLUMNS, assess, attainment_rate


def _decline(start=10.0, rate=0.9, years=range(2013, 2024)):
    return {y: start * rate ** (y - years[0]) for y in years}


def test_exact_decline_meets_far_target_and_misses_impossible_one():
    plan = make_plan([
        {"id": "easy", "indicator": "infant_mortality", "comparator": "<", "value": 3.0},
        {"id": "hard", "indicator": "infant_mortality", "comparator": "<", "value": 0.1},
    ])
    obs = series_frame(_decline(), "infant_mortality")
    obs["value"] *= np.exp(np.random.default_rng(2).normal(0, 0.01, len(obs)))
    r = assess(obs, plan).set_index("target_id")
    assert r.loc["easy", "model"] == "loglinear"
    assert r.loc["easy", "status"] == "on_track" and r.loc["easy", "p_meet"] > 0.99
    assert r.loc["hard", "status"] == "acceleration_needed" and r.loc["hard", "p_meet"] < 0.01
    assert "off_track" in r.loc["hard", "warnings"]
    assert r.loc["hard", "warning_level"] == "red"
    assert r.loc["easy", "warning_level"] == "green"


def test_already_met_is_achieved():
    plan = make_plan([{"indicator": "preschool_gross_enrolment", "comparator": "maintain_ge", "value": 90}])
    r = assess(series_frame({2019: 88, 2020: 89.5, 2021: 90.5, 2022: 91}, "preschool_gross_enrolment"), plan)
    assert r["status"].item() == "achieved"


def test_moving_away_is_regressing():
    plan = make_plan([{"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95}])
    obs = series_frame({2016: 90, 2017: 89, 2018: 88.2, 2019: 87, 2020: 86.1, 2021: 85}, "preschool_gross_enrolment")
    r = assess(obs, plan)
    assert r["status"].item() == "regressing"
    assert "regressing" in r["warnings"].item()


def test_flat_noisy_series_claims_no_trend():
    rng = np.random.default_rng(5)
    values = {y: 50 + rng.normal(0, 4) for y in range(2012, 2024)}
    plan = make_plan([{"indicator": "physical_fitness_good_rate", "comparator": "increase"},
                      {"indicator": "physical_fitness_good_rate", "comparator": ">=", "value": 80}])
    r = assess(series_frame(values, "physical_fitness_good_rate"), plan).set_index("target_id")
    assert r.loc["t0", "status"] != "regressing"
    assert 0.05 < r.loc["t0", "p_meet"] < 0.95
    assert "volatile" in r.loc["t1", "warnings"]


def test_too_few_points_are_judged_on_the_latest_value_and_stale_data_is_insufficient():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3}])
    r = assess(series_frame({2021: 5.0, 2022: 4.8}, "infant_mortality"), plan)
    # the NBS point test: 4.8 is not below 3, so the target is missed — with a warning
    assert r["status"].item() == "acceleration_needed"
    assert "off_track" in r["warnings"].item() and r["warning_level"].item() != "green"
    assert "only 2 year(s)" in r["reason"].item()
    # alone in the call, the series has no siblings to borrow a trend from
    assert np.isnan(r["projected"].item()) and np.isnan(r["p_meet"].item())
    old = series_frame({2010: 9, 2011: 8, 2012: 7}, "infant_mortality")
    r = assess(old, plan, as_of=2023)
    assert r["status"].item() == "insufficient_data" and "more than" in r["reason"].item()


def test_relative_target_uses_baseline_year():
    plan = make_plan([{"indicator": "child_injury_mortality", "comparator": "relative_decrease_pct",
                       "value": 20, "baseline_year": 2020}])
    values = {2018: 12.0, 2019: 11.5, 2020: 11.0, 2021: 10.2, 2022: 9.5, 2023: 9.0}
    r = assess(series_frame(values, "child_injury_mortality"), plan)
    assert r["baseline_value"].item() == 11.0
    assert r["status"].item() == "on_track"
    # 11.0 * 0.8 = 8.8; a series already at 8.5 has achieved it
    values[2023] = 8.5
    assert assess(series_frame(values, "child_injury_mortality"), plan)["status"].item() == "achieved"


def test_rows_carry_the_unit_of_their_values_not_of_a_relative_target():
    """A 下降20% target's % is no unit of the series: last value and projection stay in 1/10万."""
    from childplan_analysis.report.labels import fmt_value

    plan = make_plan([
        {"indicator": "child_injury_mortality", "comparator": "relative_decrease_pct", "value": 20,
         "baseline_year": 2020, "unit": "%"},
        {"indicator": "child_injury_mortality", "comparator": "<=", "value": 9, "unit": "1/10万"},
    ])
    r = assess(series_frame({2020: 11.0, 2021: 10.2, 2022: 9.5, 2023: 9.0}, "child_injury_mortality"), plan)
    assert list(r["unit"]) == ["1/10万", "1/10万"]
    assert fmt_value(r["last_value"].iloc[0], r["unit"].iloc[0]) == "9.0/10万"


def test_annual_rate_target():
    plan = make_plan([{"indicator": "myopia_primary", "comparator": "annual_decrease_pts", "value": 0.5,
                       "value_high": 1}])
    fast = {y: 40 - 1.0 * (y - 2018) + (0.05 if y % 2 else -0.05) for y in range(2018, 2025)}
    slow = {y: 40 - 0.1 * (y - 2018) + (0.05 if y % 2 else -0.05) for y in range(2018, 2025)}
    assert assess(series_frame(fast, "myopia_primary"), plan)["status"].item() == "on_track"
    r = assess(series_frame(slow, "myopia_primary"), plan)
    assert r["status"].item() == "acceleration_needed"
    assert r["observed_rate"].item() == pytest.approx(-0.1, abs=0.01)


def test_as_of_hides_later_data():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3}])
    values = _decline(start=8, rate=0.97)
    values[2023] = 1.0  # a later value that would flip the verdict
    r = assess(series_frame(values, "infant_mortality"), plan, as_of=2020)
    assert r["last_year"].item() == 2020
    assert r["status"].item() != "achieved"


def test_one_call_assesses_every_region():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3}])
    obs = pd.concat([series_frame(_decline(start=s), "infant_mortality", region=f"县{i}")
                     for i, s in enumerate([2.0, 10.0, 50.0])])
    r = assess(obs, plan)
    assert list(r.columns) == RESULT_COLUMNS
    assert r.set_index("region")["status"].to_dict() == {
        "县0": "achieved", "县1": "on_track", "县2": "acceleration_needed"}


def test_national_data_targets_met_in_latest_data_are_achieved():
    r = assess(config.NATIONAL_DATA_DIR, config.NATIONAL_PLAN_FILE, regions=["全国"]).set_index("target_id")
    # infant mortality 2024: 4.0‰ < 5‰ target
    assert r.loc["infant_mortality_2030", "last_value"] == pytest.approx(4.0)
    assert r.loc["infant_mortality_2030", "status"] == "achieved"
    assert r.loc["immunization_coverage_2030", "status"] == "insufficient_data"


def test_attainment_rate():
    res = pd.DataFrame({"target_id": list("abcd"), "domain": ["h", "h", "e", "e"],
                        "status": ["achieved", "on_track", "achieved", "insufficient_data"]})
    overall = attainment_rate(res)
    assert overall["attainment_rate"].item() == pytest.approx(2 / 3)
    by = attainment_rate(res, "domain").set_index("domain")
    assert by.loc["e", "attainment_rate"] == 1.0 and by.loc["h", "monitorable"] == 2


def test_attainment_rate_carries_its_denominator_and_the_unmonitorable():
    from childplan_analysis.engine.assess import format_attainment

    statuses = ["achieved"] * 10 + ["on_track", "regressing"] + ["insufficient_data"] * 18
    res = pd.DataFrame({"target_id": [f"t{i}" for i in range(30)], "status": statuses})
    row = attainment_rate(res).iloc[0]
    assert (row["denominator"], row["achieved"], row["not_monitorable"], row["targets"]) == (12, 10, 18, 30)
    from childplan_analysis.engine.attainment import format_row

    assert format_row(row) == "83.3%（10/12，另有18项无法监测）"
    assert format_attainment(10, 12, 18, lang="en") == "83.3% (10/12; 18 more cannot be monitored)"
    assert format_attainment(0, 0, 3) == "—（0/0，另有3项无法监测）"
    assert format_attainment(3, 4) == "75.0%（3/4）"


# ---------------------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from childplan_analysis.engine.assess import compare_methods  # noqa: E402
from childplan_analysis.engine.methods import METHODS  # noqa: E402

_SERIES = st.lists(st.floats(1.0, 60.0), min_size=3, max_size=12)


def _frame(values: list[float], indicator: str = "infant_mortality", start: int = 2024) -> pd.DataFrame:
    years = range(start - len(values) + 1, start + 1)
    return series_frame(dict(zip(years, values, strict=True)), indicator)


@settings(max_examples=25, deadline=None)
@given(_SERIES, st.floats(0.5, 80.0), st.floats(0.5, 80.0))
def test_p_meet_is_a_probability_and_monotone_in_the_target(values, a, b):
    low, high = sorted((a, b))
    plan = make_plan([{"id": "low", "indicator": "infant_mortality", "comparator": "<=", "value": low},
                      {"id": "high", "indicator": "infant_mortality", "comparator": "<=", "value": high}])
    r = assess(_frame(values), plan).set_index("target_id")
    p_low, p_high = r.loc["low", "p_meet"], r.loc["high", "p_meet"]
    assert 0.0 <= p_low <= 1.0 and 0.0 <= p_high <= 1.0
    assert p_low <= p_high + 1e-12


@settings(max_examples=20, deadline=None)
@given(_SERIES, st.integers(2018, 2023), st.floats(1.0, 60.0))
def test_as_of_never_sees_later_data(values, as_of, changed):
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3},
                      {"indicator": "infant_mortality", "comparator": "decrease"}])
    obs = _frame(values)
    later = obs.copy()
    later.loc[later["year"] > as_of, "value"] = changed
    later = pd.concat([later, series_frame({as_of + 1: changed}, "infant_mortality")])
    later = later.drop_duplicates(["year"], keep="first")
    a = assess(obs, plan, as_of=as_of)
    b = assess(later, plan, as_of=as_of)
    pd.testing.assert_frame_equal(a, b)
    assert (a["last_year"].dropna() <= as_of).all()


def test_series_break_is_flagged():
    values = {y: 20 - 0.5 * (y - 2012) + (0.05 if y % 2 else -0.05) for y in range(2012, 2024)}
    values[2020] += 8  # one year far outside the series' own variation
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3}])
    r = assess(series_frame(values, "infant_mortality"), plan)
    assert "series_break" in r["warnings"].item()
    smooth = {y: 20 - 0.5 * (y - 2012) + (0.05 if y % 2 else -0.05) for y in range(2012, 2024)}
    assert "series_break" not in assess(series_frame(smooth, "infant_mortality"), plan)["warnings"].item()


def test_required_and_observed_rate_and_gap():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<=", "value": 4.0}])
    values = {y: 10 - 0.5 * (y - 2015) for y in range(2015, 2025)}  # 5.5 in 2024
    r = assess(series_frame(values, "infant_mortality"), plan).iloc[0]
    assert r["required_rate"] == pytest.approx((4.0 - 5.5) / 6)
    assert r["observed_rate"] < 0
    assert r["anticipated_gap"] == 0.0  # the straight line reaches 4.0 before 2030


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gives_valid_statuses(method):
    plan = make_plan([
        {"id": "lvl", "indicator": "infant_mortality", "comparator": "<", "value": 3.0},
        {"id": "dir", "indicator": "infant_mortality", "comparator": "decrease"},
        {"id": "rel", "indicator": "infant_mortality", "comparator": "relative_decrease_pct", "value": 20,
         "baseline_year": 2020},
        {"id": "rate", "indicator": "infant_mortality", "comparator": "annual_decrease_pct", "value": 3},
        {"id": "rng", "indicator": "infant_mortality", "comparator": "range", "value": 2, "value_high": 4},
    ])
    r = assess(series_frame(_decline(), "infant_mortality"), plan, method=method)
    assert set(r["status"]) <= set(("achieved", "on_track", "acceleration_needed", "regressing",
                                    "insufficient_data"))
    assert (r["method"] == method).all()
    assert r["method_category"].notna().all()


def test_compare_methods_side_by_side():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3.0}])
    r = compare_methods(series_frame(_decline(), "infant_mortality"), plan)
    for m in METHODS:
        assert f"status_{m}" in r.columns and f"category_{m}" in r.columns
    assert r["category_unicef"].item() == "unicef_on_track"
    assert r["category_escap"].item() in ("escap_maintain_progress", "escap_accelerate_progress")
    with pytest.raises(ValueError, match="unknown method"):
        compare_methods(series_frame(_decline(), "infant_mortality"), plan, methods=["bogus"])


def test_unknown_model_is_a_clear_error():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3.0}])
    with pytest.raises(ValueError, match="unknown model"):
        assess(series_frame(_decline(), "infant_mortality"), plan, model="arima")


@pytest.mark.parametrize("model", ["linear", "loglinear", "logit", "damped", "escap", "persistence"])
def test_every_model_can_be_forced(model):
    plan = make_plan([{"indicator": "immunization_coverage", "comparator": ">=", "value": 95}])
    values = {y: 80 + 1.5 * (y - 2014) for y in range(2014, 2024)}  # a straight line crosses 100 by 2030
    r = assess(series_frame(values, "immunization_coverage"), plan, model=model).iloc[0]
    assert r["model"] == model and r["model_choice"] == "fixed"
    assert r["upper"] <= 100 and 0 <= r["p_meet"] <= 1


def test_reference_methods_need_the_baseline_of_relative_targets():
    plan = make_plan([{"indicator": "child_injury_mortality", "comparator": "relative_decrease_pct",
                       "value": 20, "baseline_year": 2020}])
    obs = series_frame({2015: 14.0, 2016: 13.0, 2017: 12.5, 2018: 12.0}, "child_injury_mortality")
    r = compare_methods(obs, plan, as_of=2022)
    assert (r[[f"status_{m}" for m in METHODS]] == "insufficient_data").all(axis=None)


def test_methods_command_writes_the_side_by_side_table(tmp_path):
    from typer.testing import CliRunner

    from childplan_analysis.cli.app import app

    out = tmp_path / "methods.csv"
    res = CliRunner().invoke(app, ["methods", str(config.NATIONAL_PLAN_FILE), str(config.NATIONAL_DATA_DIR),
                                   "--region", "全国", "--out", str(out)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    row = table.set_index("target_id").loc["infant_mortality_2030"]
    assert row["status_nbs"] == "achieved" and row["category_escap"].startswith("escap_")
    assert not table["agree"].all()  # ESCAP has no 'achieved': rows disagree and come first
    assert table["agree"].iloc[0] == False  # noqa: E712


def test_one_point_miss_is_warned_and_one_point_hit_is_achieved():
    plan = make_plan([{"id": "myopia", "indicator": "myopia_junior", "comparator": "<", "value": 60},
                      {"id": "peds", "indicator": "pediatricians_per_1000_children", "comparator": ">=", "value": 1.12}])
    obs = pd.concat([series_frame({2022: 71.1}, "myopia_junior"),
                     series_frame({2022: 0.78}, "pediatricians_per_1000_children")])
    r = assess(obs, plan).set_index("target_id")
    for tid in ("myopia", "peds"):
        assert r.loc[tid, "status"] == "acceleration_needed"
        assert "off_track" in r.loc[tid, "warnings"] and r.loc[tid, "warning_level"] in ("yellow", "red")
    hit = assess(series_frame({2022: 55.0}, "myopia_junior"), plan).set_index("target_id")
    assert hit.loc["myopia", "status"] == "achieved" and hit.loc["myopia", "warnings"] == ""


def _county_panel(short_values: dict[int, float], siblings_slope: float, n_siblings: int = 8, seed: int = 3):
    rng = np.random.default_rng(seed)
    frames = [series_frame({y: 30 + siblings_slope * (y - 2010) + rng.normal(0, 0.4) for y in range(2010, 2025)},
                           "myopia_primary", region=f"县{i}") for i in range(n_siblings)]
    frames.append(series_frame(short_values, "myopia_primary", region="新县"))
    return pd.concat(frames, ignore_index=True)


def test_pooling_shrinks_a_short_county_toward_its_siblings_and_not_a_long_one():
    plan = make_plan([{"indicator": "myopia_primary", "comparator": "<=", "value": 22}])
    rising = {2022: 30.0, 2023: 30.6, 2024: 31.1}  # three points rising; siblings fall 1 point a year
    alone = assess(series_frame(rising, "myopia_primary", region="新县"), plan).iloc[0]
    pooled = assess(_county_panel(rising, -1.0), plan).set_index("region").loc["新县"]
    assert pooled["model_choice"] == "pooled" and 0.5 < pooled["shrinkage"] < 1
    assert pooled["projected"] < alone["projected"] - 3  # pulled toward the falling siblings
    assert pooled["p_meet"] > alone["p_meet"]
    rng = np.random.default_rng(8)
    long_rising = {y: 20 + 0.6 * (y - 2010) + rng.normal(0, 0.3) for y in range(2010, 2025)}
    long_alone = assess(series_frame(long_rising, "myopia_primary", region="新县"), plan).iloc[0]
    long_pooled = assess(_county_panel(long_rising, -1.0), plan).set_index("region").loc["新县"]
    assert long_pooled["model_choice"] != "pooled" and np.isnan(long_pooled["shrinkage"])
    assert long_pooled["projected"] == pytest.approx(long_alone["projected"])
    assert long_pooled["p_meet"] == pytest.approx(long_alone["p_meet"])


def test_pooled_posterior_weighs_own_evidence_by_its_length():
    from childplan_analysis.models import SeriesPanel
    from childplan_analysis.models.pooling import pooled_trend

    rng = np.random.default_rng(0)
    years = np.arange(2010, 2025)
    rows = [30 - 1.0 * (years - 2010) + rng.normal(0, 0.4, 15) for _ in range(8)]
    short = np.full(15, np.nan)
    short[-3:] = [30.0, 30.6, 31.1]
    long = 20 - 0.6 * (years - 2010) + rng.normal(0, 0.3, 15)  # slower than its siblings
    panel = SeriesPanel(pd.DataFrame({"k": range(10)}), years, np.vstack([*rows, short, long]))
    k = panel.n_series
    res = pooled_trend(panel, np.full(k, "linear"), np.full(k, np.nan), np.full(k, np.nan), np.zeros(k, dtype=int))
    assert res.shrinkage[8] > 0.5 > 0.1 > res.shrinkage[9]
    assert res.fit.slope[8] < res.own_slope[8] - 0.5  # the 3-point county moves toward −1
    assert abs(res.fit.slope[9] - res.own_slope[9]) < 0.1 * abs(res.own_slope[9] - res.prior_mean[9])


def test_a_bound_proves_a_target_met_or_missed_and_is_not_fitted_as_a_point():
    plan = make_plan([{"id": "imm", "indicator": "immunization_coverage", "comparator": ">=", "value": 95},
                      {"id": "imm90", "indicator": "immunization_coverage", "comparator": ">=", "value": 90}])
    obs = series_frame({2019: 99.0, 2020: 99.0, 2021: 99.0, 2022: 99.0}, "immunization_coverage")
    obs["censor"] = ">"  # published as ">99%"
    r = assess(obs, plan).set_index("target_id")
    assert (r["status"] == "achieved").all()
    assert (r["n_points"] == 0).all() and (r["last_censor"] == ">").all()
    # "≥90" proves a ≥90 target met, but says nothing about ≥95: not judged, not fitted
    obs["value"], obs["censor"] = 90.0, ">="
    r = assess(obs, plan).set_index("target_id")
    assert r.loc["imm90", "status"] == "achieved"
    assert r.loc["imm", "status"] == "insufficient_data" and "bound" in r.loc["imm", "reason"]
    # a bound can prove a miss: mortality "above 8" against "below 5"
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<=", "value": 5}])
    obs = series_frame({2016: 9.0, 2017: 8.6, 2018: 8.3, 2019: 8.1, 2020: 8.0}, "infant_mortality")
    obs["censor"] = ["", "", "", "", ">"]
    r = assess(obs, plan).iloc[0]
    assert r["n_points"] == 4 and r["last_year"] == 2020 and r["last_censor"] == ">"
    assert r["status"] in ("acceleration_needed", "regressing", "on_track")  # judged on the 4-point trend
    assert r["status"] != "achieved"
    exact = assess(obs.drop(columns="censor").iloc[:4], plan).iloc[0]
    assert r["projected"] == pytest.approx(exact["projected"])  # the bound is left out of the fit
    only_bound = assess(obs.iloc[[4]], plan).iloc[0]  # "above 8" alone surely misses "at most 5"
    assert only_bound["status"] == "acceleration_needed" and "off_track" in only_bound["warnings"]
    with pytest.raises(Exception, match="censor"):
        assess(obs.assign(censor="~"), plan)


def test_a_county_reads_the_same_alone_or_with_its_siblings():
    """Pooling draws on every region in the observations; ``regions`` only picks the rows shown."""
    plan = make_plan([{"id": "level", "indicator": "myopia_primary", "comparator": "<=", "value": 22},
                      {"id": "rate", "indicator": "myopia_primary", "comparator": "annual_decrease_pct",
                       "value": 1.0}])
    obs = _county_panel({2022: 30.0, 2023: 30.6, 2024: 31.1}, -1.0)
    everyone = assess(obs, plan)
    alone = assess(obs, plan, regions=["新县"])
    pd.testing.assert_frame_equal(alone, everyone[everyone["region"] == "新县"].reset_index(drop=True))
    assert (alone["model_choice"] == "pooled").all() and alone["shrinkage"].between(0, 1).all()
    # a region's pooled trend moves with its siblings' data: that is what pooling means
    faster = obs.assign(value=np.where(obs["region"] == "新县", obs["value"], obs["value"] - 0.5 * (obs["year"] - 2010)))
    moved = assess(faster, plan, regions=["新县"]).set_index("target_id")
    assert moved.loc["level", "projected"] < alone.set_index("target_id").loc["level", "projected"]


def test_unknown_censor_marks_are_named_and_rows_outside_the_call_are_not_read():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<=", "value": 5}])
    obs = series_frame({2019: 8.1, 2020: 8.0, 2021: 7.6}, "infant_mortality")
    with pytest.raises(DataError, match=r"unknown mark\(s\) \['about', '~'\]"):
        assess(obs.assign(censor=[" ~ ", "about", ""]), plan)
    # a mark on a row no target reads (another indicator) is not the call's business
    other = series_frame({2020: 1.0}, "stunting_under5").assign(censor="~")
    r = assess(pd.concat([obs.assign(censor=[">", "", " <= "]), other], ignore_index=True), plan)
    assert list(r["last_censor"]) == ["<="]


def test_no_region_asked_for_gives_no_rows_with_every_column():
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<=", "value": 5}])
    obs = series_frame({2019: 8.1, 2020: 8.0, 2021: 7.6}, "infant_mortality")
    r = assess(obs, plan, regions=[])
    assert r.empty and list(r.columns) == RESULT_COLUMNS
    assert r["model"].dtype == assess(obs, plan)["model"].dtype


@pytest.mark.parametrize(("values", "away"), [
    ({2019: 44.0, 2020: 44.3, 2021: 44.6, 2022: 44.8, 2023: 45.3}, False),  # rising inside 45 ± 5 %
    ({2019: 45.0, 2020: 46.2, 2021: 47.1, 2022: 48.3, 2023: 49.6}, True),  # rising out of it, away
])
def test_a_value_inside_an_around_target_is_not_moving_away(values, away):
    """`45%左右`: a series inside the band has no wrong direction; one leaving it has."""
    plan = make_plan([{"indicator": "preschool_gross_enrolment", "comparator": "around", "value": 45}])
    r = assess(series_frame(values, "preschool_gross_enrolment"), plan, as_of=2023)
    assert ("regressing" in r["warnings"].item()) is away
    if not away:
        assert r["status"].item() == "achieved"


@pytest.mark.parametrize("model", ["linear", "damped", "auto"])
def test_block_layout_gives_the_rows_of_the_indicator_by_indicator_layout(monkeypatch, model):
    """Series laid out in indicator blocks (a nearly full grid) or taken indicator by indicator
    (a sparse one): the same frame, whatever the model, with missing series and censored values."""
    import engine_cases

    from childplan_analysis.engine import fits

    obs, plan = engine_cases.observations(), engine_cases.plan()
    regions = sorted(set(obs["region"])) + ["无数据县"]  # a region with no series at all
    block = assess(obs, plan, model=model, regions=regions)
    monkeypatch.setattr(fits, "BLOCK_DENSITY", 0.0)
    one_by_one = assess(obs, plan, model=model, regions=regions)
    pd.testing.assert_frame_equal(block, one_by_one, check_exact=True)
    assert (block["region"] == "无数据县").sum() == len(plan.targets)


def test_moving_away_by_quantile_is_the_cdf_comparison_even_on_the_edge():
    """P(slope in the wrong direction) ≥ p decided by the t quantile gives the CDF's answer,
    also for rows whose probability is p itself (decided by the CDF there)."""
    from childplan_analysis.engine.tails import slope_sign_at_least
    from childplan_analysis.models import SeriesPanel, fit_trend

    rng = np.random.default_rng(7)
    years = np.arange(2010, 2024)
    values = 50 + rng.normal(0, 1, (400, 1)) * (years - 2010) + rng.normal(0, 2, (400, len(years)))
    values[rng.random(values.shape) < 0.2] = np.nan
    values[:5] = 7.0  # no spread at all: a zero standard error
    values[5, :] = np.nan  # no data: NaN statistic
    fit = fit_trend(SeriesPanel(pd.DataFrame(index=range(400)), years, values), "linear")
    sign = rng.choice([-1.0, 1.0], 400)
    exact = fit.prob_slope_sign(sign)
    rows = rng.random(400) < 0.9
    for prob in (0.9, 0.5, 0.1, float(exact[10]), float(exact[11]), float(np.nextafter(exact[12], 1))):
        got = slope_sign_at_least(fit, sign, prob, rows)
        assert np.array_equal(got, rows & (exact >= prob)), prob
    assert slope_sign_at_least(fit, sign, 0.9, rows).any()
    assert not slope_sign_at_least(fit, sign, 0.9, np.zeros(400, dtype=bool)).any()


@pytest.mark.parametrize("family", ["linear", "loglinear", "logit"])
def test_probability_between_from_a_shared_prediction_is_the_fits_own(family):
    """p_meet from the prediction worked out once for every series, the CDF evaluated at finite
    arguments only, equals ``prob_between`` bit for bit: one-sided, two-sided, beyond the natural
    bounds, and for series without data."""
    from childplan_analysis.engine.tails import finite_t_cdf, p_between
    from childplan_analysis.models import SeriesPanel, fit_trend
    from childplan_analysis.models.fit import t_cdf

    rng = np.random.default_rng(11)
    years = np.arange(2012, 2024)
    values = np.clip(60 + rng.normal(0, 1.5, (300, 1)) * (years - 2012) + rng.normal(0, 3, (300, len(years))), 1, 99)
    values[rng.random(values.shape) < 0.15] = np.nan
    values[:3] = np.nan
    fit = fit_trend(SeriesPanel(pd.DataFrame(index=range(300)), years, values), family, 100.0, 0.0)
    mean, scale = fit.predict(2030.0)
    cut = rng.uniform(-10, 120, 300)
    for low, high in ((np.full(300, -np.inf), cut), (cut, np.full(300, np.inf)), (cut - 20, cut),
                      (np.where(rng.random(300) < 0.5, -np.inf, cut), np.where(rng.random(300) < 0.5, np.inf, cut + 5))):
        assert np.array_equal(p_between(fit, low, high, mean, scale), fit.prob_between(2030, low, high))
    x = np.where(rng.random(300) < 0.3, rng.choice([-np.inf, np.inf, np.nan], 300), rng.normal(0, 3, 300))
    df = np.where(rng.random(300) < 0.1, 0.0, rng.integers(1, 12, 300).astype(float))
    assert np.array_equal(finite_t_cdf(x, df), t_cdf(x, df), equal_nan=True)


def test_a_panel_packed_once_is_assessed_under_several_models_and_plans():
    """``pack_totals`` packs the region totals once; each assessment of the panel is that of the
    observations (breakdown rows left out as ``assess`` leaves them)."""
    from childplan_analysis.engine.assess import pack_totals

    obs = pd.concat([series_frame(_decline(), "infant_mortality", region)
                     for region in ("甲县", "乙县", "丙县")], ignore_index=True)
    obs.loc[obs["region"] == "乙县", "value"] *= 1.3
    girls = obs.assign(sex="female", value=obs["value"] * 10)  # a breakdown: not a total
    obs = pd.concat([obs, girls], ignore_index=True)
    panel = pack_totals(obs)
    assert panel.n_series == 3 and list(panel.years) == list(range(2013, 2024))
    strict = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 3.0}])
    loose = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 4.0}])
    for plan in (strict, loose):
        for model in ("linear", "loglinear", "auto"):
            pd.testing.assert_frame_equal(assess(panel, plan, model=model), assess(obs, plan, model=model))
    assert (assess(panel, loose)["status"] == "achieved").sum() == 2  # 乙县 ends at 4.5, the others at 3.5


def test_a_panel_holds_exact_values_and_names_its_keys():
    from childplan_analysis.engine.assess import pack_totals
    from childplan_analysis.models import SeriesPanel

    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<=", "value": 5}])
    obs = series_frame({2019: 8.1, 2020: 8.0, 2021: 7.6}, "infant_mortality")
    with pytest.raises(DataError, match="censor.*bounds"):
        pack_totals(obs.assign(censor=["", ">", ""]))
    panel = pack_totals(obs.assign(censor=""))
    no_region = SeriesPanel(panel.keys[["indicator"]], panel.years, panel.values)
    with pytest.raises(DataError, match=r"lack column\(s\) \['region'\]"):
        assess(no_region, plan)
    twice = SeriesPanel(pd.concat([panel.keys, panel.keys], ignore_index=True), panel.years,
                        np.vstack([panel.values, panel.values]))
    with pytest.raises(DataError, match="region '测试县', indicator 'infant_mortality' has 2 series"):
        assess(twice, plan)


def test_facts_of_where_series_have_values_are_those_numpy_gives():
    """The NaN mask, counts and first and last positions the engine's readers share are numpy's own,
    for rows with gaps, without any value, and for an array without columns."""
    from childplan_analysis.engine.rowstats import Observed, row_counts

    rng = np.random.default_rng(5)
    values = rng.normal(size=(400, 15))
    values[rng.random(values.shape) < 0.3] = np.nan
    values[7] = np.nan  # a row without any value
    seen = Observed(values)
    mask = ~np.isnan(values)
    assert (seen.mask == mask).all() and (seen.missing == ~mask).all()
    assert (seen.count == mask.sum(axis=1)).all() and (row_counts(mask) == mask.sum(axis=1)).all()
    last, has = seen.last
    first, has_first = seen.first
    assert (has == mask.any(axis=1)).all() and (has_first == has).all()
    rows = np.flatnonzero(has)
    assert (last[rows] == [np.flatnonzero(mask[r])[-1] for r in rows]).all()
    assert (first[rows] == [np.flatnonzero(mask[r])[0] for r in rows]).all()
    empty = Observed(np.empty((3, 0)))
    assert (empty.count == 0).all() and not empty.last[1].any() and not empty.first[1].any()


def test_assess_gives_the_probabilistic_status_as_compare_methods_does():
    """assess builds the probabilistic status and category once; compare_methods keeps its columns per method."""
    from childplan_analysis.engine.assess import compare_methods

    plan = make_plan([
        {"id": "level", "indicator": "infant_mortality", "comparator": "<", "value": 3.0},
        {"id": "fall", "indicator": "infant_mortality", "comparator": "decrease"},
    ])
    obs = series_frame(_decline(), "infant_mortality")
    r = assess(obs, plan).set_index("target_id")
    c = compare_methods(obs, plan, methods=["probabilistic", "escap"]).set_index("target_id")
    assert list(r["status"]) == list(c.loc[r.index, "status_probabilistic"])
    assert list(r["method_category"]) == list(r["status"])
    assert (r["method"] == "probabilistic").all()
    assert "status_probabilistic" not in r.columns and "category_escap" in c.columns


def test_one_text_for_every_row_is_the_text_a_take_gives():
    """A result column whose rows all have one text is the array a take of their codes would give."""
    from childplan_analysis.engine.frame import string_array

    one = string_array(["", "内蒙古"], np.ones(4, dtype=np.int64))
    taken = string_array(["", "内蒙古", "x"], np.array([1, 1, 2, 1]))
    assert one.dtype == taken.dtype and list(one) == ["内蒙古"] * 4
    assert list(taken) == ["内蒙古", "内蒙古", "x", "内蒙古"]
    assert string_array(["a"], np.array([-1, -1])).isna().all()  # a missing code is missing, not repeated
