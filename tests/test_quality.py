import numpy as np
import pandas as pd
import pytest
from conftest import series_frame
from typer.testing import CliRunner

from childplan_analysis.cli.app import app
from childplan_analysis.engine.quality import find_breaks, quality_summary

runner = CliRunner()


def _obs() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    years = list(range(2010, 2024))
    smooth = {y: 8.0 - 0.3 * (y - 2010) + rng.normal(0, 0.05) for y in years}
    broken = dict(smooth)
    for y in years:
        if y >= 2018:  # a definition change in 2018: the level halves at once
            broken[y] = smooth[y] / 2
    gappy = {2015: 90.0, 2016: 91.0, 2019: 93.0, 2020: 93.5}
    flat = {y: 100.0 for y in years[:-1]} | {2023: 99.9}
    frames = [
        series_frame(smooth, "infant_mortality", region="甲县"),
        series_frame(broken, "neonatal_mortality", region="甲县"),
        series_frame(gappy, "preschool_gross_enrolment", region="甲县"),
        series_frame(flat, "compulsory_education_retention", region="乙县"),
    ]
    return pd.concat(frames, ignore_index=True)


def test_breaks_are_found_where_the_level_jumps_and_nowhere_else():
    breaks = find_breaks(_obs())
    assert breaks[["region", "indicator", "year", "previous_year"]].values.tolist() == [
        ["甲县", "neonatal_mortality", 2018, 2017]]
    assert breaks["score"].iloc[0] > 5
    assert -0.31 < breaks["typical_change"].iloc[0] < -0.14  # between the slopes before and after


def test_gaps_last_year_and_coverage_per_series_and_region():
    q = quality_summary(_obs())
    series = q.series.set_index(["region", "indicator"])
    gappy = series.loc[("甲县", "preschool_gross_enrolment")]
    assert (gappy["first_year"], gappy["last_year"], gappy["years"], gappy["span"]) == (2015, 2020, 4, 6)
    assert gappy["missing_years"] == "2017,2018" and gappy["coverage"] == pytest.approx(0.667)
    assert series.loc[("甲县", "neonatal_mortality"), "breaks"] == 1
    regions = q.regions.set_index("region")
    assert regions.loc["甲县", ["indicators", "last_year", "indicators_in_last_year",
                               "series_with_gaps", "missing_years", "breaks"]].tolist() == [3, 2023, 2, 1, 2, 1]
    assert regions.loc["乙县", "breaks"] == 0  # 100 → 99.9 is no break


def test_year_range_and_expected_indicators():
    q = quality_summary(_obs(), regions=["甲县"], years=(2014, 2023),
                        expected_indicators=["infant_mortality", "maternal_mortality"])
    gappy = q.series.set_index("indicator").loc["preschool_gross_enrolment"]
    assert gappy["missing_years"] == "2014,2017,2018,2021,2022,2023" and gappy["span"] == 10
    assert q.regions["indicators_without_data"].tolist() == ["maternal_mortality"]
    matrix = q.coverage_matrix("甲县")
    assert matrix.loc["preschool_gross_enrolment"].tolist() == [0, 1, 1, 0, 0, 1, 1, 0, 0, 0]


def test_coverage_counts_breakdowns_and_flags_totals():
    obs = _obs()
    male = obs[obs["indicator"] == "infant_mortality"].assign(sex="male")
    q = quality_summary(pd.concat([obs, male], ignore_index=True))
    cov = q.coverage.set_index(["region", "indicator", "year"])
    assert cov.loc[("甲县", "infant_mortality", 2020), "values"] == 2
    assert bool(cov.loc[("甲县", "infant_mortality", 2020), "total"])


def test_quality_command_prints_and_writes(tmp_path):
    data = tmp_path / "obs.csv"
    _obs().to_csv(data, index=False)
    out = tmp_path / "quality.xlsx"
    res = runner.invoke(app, ["quality", str(data), "--out", str(out), "--lang", "en"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Series breaks" in res.output and "2017,2018" in res.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"regions", "series", "coverage", "breaks"}
    assert sheets["breaks"]["Year"].tolist() == [2018]
    res = runner.invoke(app, ["quality", str(data)], env={"COLUMNS": "200"})
    assert "序列断点" in res.output
