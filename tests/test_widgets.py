import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import make_plan

from childplan_analysis.core import config
from childplan_analysis.engine.assess import assess
from childplan_analysis.report.widgets import TOTAL, Explorer, explore

YEARS = np.arange(2012, 2023)


def _rows(region, indicator, values, area="total"):
    return [{"region": region, "indicator": indicator, "year": int(y), "value": float(v), "unit": "",
             "sex": "total", "area": area, "age_group": "total", "subregion": "", "source": "test", "note": ""}
            for y, v in zip(YEARS, values, strict=True)]


@pytest.fixture
def observations() -> pd.DataFrame:
    imr = 9 * 0.93 ** (YEARS - 2012) * (1 + 0.02 * np.sin(YEARS))
    rows = _rows("甲县", "infant_mortality", imr)
    rows += _rows("甲县", "infant_mortality", imr * 1.4, area="rural")
    rows += _rows("甲县", "preschool_gross_enrolment", 80 + 1.2 * (YEARS - 2012))
    rows += _rows("乙县", "infant_mortality", imr * 1.1)
    return pd.DataFrame(rows)


@pytest.fixture
def plans():
    children = make_plan([
        {"id": "imr_2025", "indicator": "infant_mortality", "comparator": "<", "value": 5.5, "year": 2025},
        {"id": "imr_2030", "indicator": "infant_mortality", "comparator": "<", "value": 4.5},
        {"id": "pre_2030", "indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95},
    ], id="children", region="甲县")
    other = make_plan([{"indicator": "maternal_mortality", "comparator": "<", "value": 12}],
                      id="women", title="妇女规划", region="乙县")
    return [children, other]


def _observed(ex):
    return next(d for d in ex.fan.data if d.name == "观测值")


def test_initial_view_matches_the_engine(plans, observations):
    ex = Explorer(plans, observations)
    sel = ex.selection()
    assert sel["plan"] == "children" and sel["region"] == "甲县" and sel["as_of"] == 2022
    assert sel["indicator"] == "infant_mortality" and sel["disaggregation"] == TOTAL
    assert isinstance(ex.fan, go.FigureWidget) and list(_observed(ex).x) == list(YEARS)
    expected = assess(observations, plans[0], as_of=2022, regions=["甲县"]).set_index("target_id").loc["imr_2025"]
    assert ex.result["target_id"] == "imr_2025"  # the next milestone not yet past
    assert ex.result["p_meet"] == pytest.approx(expected["p_meet"])
    assert ex.numbers_table()["达标概率"] == f"{expected['p_meet']:.0%}"
    assert "imr_2030" not in ex.fan.layout.title.text and "5.5" in ex.fan.layout.title.text


def test_as_of_hides_later_values_and_updates_backtest(plans, observations):
    ex = Explorer(plans, observations)
    bt_before = len(ex.backtest_frame)
    ex.controls["as_of"].value = 2018
    assert max(_observed(ex).x) == 2018
    held = next(d for d in ex.fan.data if d.name == "实际值")
    assert list(held.x) == [2019, 2020, 2021, 2022]
    assert ex.result["last_year"] == 2018
    assert ex.backtest_frame["year"].max() == 2018 and len(ex.backtest_frame) < bt_before
    assert len(ex.backtest_fig.data) == 1 + ex.backtest_frame["origin"].nunique()


def test_breakdown_model_and_indicator_controls(plans, observations):
    ex = Explorer(plans, observations)
    labels = [label for label, _ in ex.controls["disaggregation"].options]
    assert labels == ["合计", "农村"]
    ex.controls["disaggregation"].value = ("total", "rural", "total", "")
    rural = observations[observations["area"] == "rural"]["value"].to_numpy()
    assert np.allclose(_observed(ex).y, rural)
    assert "农村" in ex.fan.layout.title.text
    assert ex.result["last_value"] == pytest.approx(rural[-1])
    trend_auto = np.array(next(d for d in ex.fan.data if d.name == "趋势预测").y)
    ex.controls["model"].value = "linear"
    assert ex.result["model"] == "linear" and ex.numbers_table()["模型"] == "线性趋势"
    trend_linear = np.array(next(d for d in ex.fan.data if d.name == "趋势预测").y)
    assert not np.allclose(trend_auto, trend_linear)
    ex.controls["indicator"].value = "preschool_gross_enrolment"
    assert ex.controls["disaggregation"].value == TOTAL
    assert "学前教育毛入园率" in ex.fan.layout.title.text
    assert ex.result["target_id"] == "pre_2030"


def test_domain_plan_and_region_controls(plans, observations):
    ex = Explorer(plans, observations)
    ex.controls["domain"].value = "education"
    assert [v for _, v in ex.controls["indicator"].options] == ["preschool_gross_enrolment"]
    ex.controls["region"].value = "乙县"
    assert len(_observed(ex).x) == 0  # 乙县 has no enrolment data: nothing drawn, no error
    assert ex.result["status"] == "insufficient_data"
    ex.controls["plan"].value = "women"
    assert ex.selection()["region"] == "乙县" and ex.selection()["indicator"] == "maternal_mortality"
    assert ex.controls["domain"].value == ""
    assert ex.numbers_table()["状态"] == "数据不足"


def test_explorer_on_bundled_catalogs_and_data_in_english():
    ex = explore(config.PARAMS_DIR, config.NATIONAL_DATA_DIR, lang="en")
    assert ex.controls["plan"].description == "Plan"
    assert ex.plan.region in set(ex.observations["region"])
    assert len(_observed_en := [d for d in ex.fan.data if d.name == "Observed"]) == 1 and len(_observed_en[0].x) > 0
    with pytest.raises(ValueError, match="lang"):
        Explorer(config.PARAMS_DIR, config.NATIONAL_DATA_DIR, lang="fr")
