import importlib.util
import json
import sys
from functools import cache

import pandas as pd
import pytest
import yaml

from childplan_analysis.catalog.plans import load_plan, load_plans
from childplan_analysis.core import config
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.engine.assess import WARNINGS, assess
from childplan_analysis.engine.disparity import disparities, hidden_laggards
from childplan_analysis.io.sources import load_observations
from childplan_analysis.report.build import warning_text
from childplan_analysis.report.notebook import ReportContext

DEMO = config.DATA_DIR / "demo"
SCRIPT = config.PROJECT_ROOT / "scripts" / "make_demo_data.py"


@cache
def generator():
    spec = importlib.util.spec_from_file_location("make_demo_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@cache
def demo_observations() -> pd.DataFrame:
    return load_observations(DEMO, errors="raise")


def regional_plans():
    return [p for p in load_plans(config.PARAMS_DIR) if p.level != "national"]


def _catalog(tmp_path, name: str, **fields) -> object:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    return path


# ------------------------------------------------------------------ the generator on any catalog


def test_generator_on_the_national_catalog_as_a_county(tmp_path):
    raw = yaml.safe_load(config.NATIONAL_PLAN_FILE.read_text(encoding="utf-8"))
    raw.update(id="demo_county", region="演示县", level="county", parent=None)
    path = _catalog(tmp_path, "demo_county", **raw)
    gen = generator()
    manifest = gen.write_demo([path], tmp_path / "out", seed=11)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["README.md", "demo_county.csv", "scenarios.json"]
    obs = load_observations(tmp_path / "out", errors="raise")  # every row loads
    assert obs["source"].str.contains("合成演示数据").all()
    plan = load_plan(path)
    assert set(obs["indicator"]) == set(plan.indicators)
    assert obs["year"].min() == gen.FIRST_YEAR and obs["year"].max() == gen.LAST_YEAR
    assert set(obs["area"]) == {"total", "urban", "rural"} and set(obs["sex"]) == {"total", "male", "female"}
    assert (obs["subregion"] == "").all()  # county plans: no sub-regions
    scenarios = {v["scenario"] for v in manifest["demo_county"]["indicators"].values()}
    assert set(gen.REQUIRED_SCENARIOS) <= scenarios
    results = assess(obs, plan)
    codes = set(";".join(results["warnings"]).split(";")) - {""}
    assert {"off_track", "volatile", "regressing", "stale_data"} <= codes
    assert (disparities(obs, plan)["verdict"] == "widening").any()
    stale = [i for i, v in manifest["demo_county"]["indicators"].items() if v["scenario"] == "stale_data"]
    assert obs[obs["indicator"] == stale[0]]["year"].max() == gen.LAST_YEAR - config.STALE_AFTER


def test_generator_is_reproducible_and_seed_dependent():
    gen = generator()
    indicators = load_indicators()
    plan = load_plan(config.NATIONAL_PLAN_FILE).model_copy(update={"level": "county", "region": "演示县"})
    national = pd.DataFrame(columns=["indicator", "year", "value"])
    a, _ = gen.make_region([plan], indicators, national, seed=5, verify=False)
    b, _ = gen.make_region([plan], indicators, national, seed=5, verify=False)
    c, _ = gen.make_region([plan], indicators, national, seed=6, verify=False)
    pd.testing.assert_frame_equal(a, b)
    assert not a["value"].equals(c["value"])


def test_generator_on_a_small_hand_made_city_catalog(tmp_path):
    path = _catalog(
        tmp_path, "tiny_city", id="tiny_city", title="某市儿童发展规划", region="某省某市", level="city",
        period=[2021, 2030],
        targets=[
            {"id": "u5", "indicator": "5岁以下儿童死亡率", "comparator": "annual_decrease_pct", "value": 3,
             "year": 2030, "responsible": ["市卫健委"]},
            {"id": "pre", "indicator": "preschool_gross_enrolment", "comparator": "range", "value": 92,
             "value_high": 96, "year": 2030},
            {"id": "myo", "indicator": "myopia_primary", "comparator": "decrease", "year": 2030},
        ],
    )
    gen = generator()
    manifest = gen.write_demo([path], tmp_path / "out", seed=3)
    obs = load_observations(tmp_path / "out", errors="raise")
    subs = sorted(set(obs["subregion"]) - {""})
    assert subs == sorted(gen.GENERIC_SUBREGIONS["city"])
    assert len(manifest["tiny_city"]["indicators"]) == 3
    ind = load_indicators()
    for ind_id, grp in obs.groupby("indicator"):
        low, high = ind.by_id[ind_id].bounds
        assert grp["value"].between(low if low is not None else -1e18, high if high is not None else 1e18).all()
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "合成演示数据" in readme and "not real statistics" in readme


def test_generator_refuses_nothing_but_skips_national_plans(tmp_path):
    gen = generator()
    plans = [load_plan(config.NATIONAL_PLAN_FILE)]
    assert gen.group_by_region(plans) == {}
    stems = gen.file_stem([p.model_copy(update={"id": i}) for p in plans for i in ("jilin_city_a", "jilin_city_b")])
    assert stems == "jilin_city"


# ------------------------------------------------------------------ the committed demo data


def test_demo_covers_every_regional_plan_and_indicator():
    obs = demo_observations()
    assert obs.attrs["rejected"].empty
    for plan in regional_plans():
        have = set(obs.loc[obs["region"] == plan.region, "indicator"])
        assert set(plan.indicators) <= have, plan.id
    assert obs["source"].str.contains("合成演示数据").all()
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "合成演示数据" in readme and "not real statistics" in readme
    manifest = json.loads((DEMO / "scenarios.json").read_text(encoding="utf-8"))
    assert {r["region"] for r in manifest["regions"].values()} == {p.region for p in regional_plans()}


def test_demo_reports_are_marked_synthetic():
    plan = regional_plans()[0]
    obs = demo_observations()
    ctx = ReportContext(plan, obs, assess(obs, plan, regions=[plan.region]), [plan.region], None)
    assert ctx.synthetic and "合成演示数据" in ctx.heading()


def test_every_warning_code_appears_in_the_demo_reports_with_its_explanation():
    obs = demo_observations()
    codes: set[str] = set()
    widening = False
    for plan in regional_plans():
        results = assess(obs, plan, regions=[plan.region])
        codes |= set(";".join(results["warnings"]).split(";")) - {""}
        widening |= bool((disparities(obs, plan, regions=[plan.region])["warnings"] == "widening_gap").any())
    assert set(WARNINGS) <= codes, set(WARNINGS) - codes
    assert widening
    for code in WARNINGS:
        assert warning_text(code) == WARNINGS[code]["zh"] and warning_text(code, "en") == WARNINGS[code]["en"]


def test_demo_is_anchored_on_the_values_the_plans_state():
    obs = demo_observations()
    totals = obs[(obs["region"] == "重庆市大渡口区") & (obs["year"] == 2020) & (obs["sex"] == "total")
                 & (obs["area"] == "total") & (obs["subregion"] == "")].set_index("indicator")["value"]
    assert totals["neonatal_mortality"] == pytest.approx(1.21)
    assert totals["infant_mortality"] == pytest.approx(1.51)
    assert totals["under5_mortality"] == pytest.approx(2.12)


def test_city_demo_has_real_counties_and_a_hidden_laggard():
    obs = demo_observations()
    plan = load_plan(config.PARAMS_DIR / "jilin_city_children_2021_2030.yaml")
    counties = set(obs.loc[obs["region"] == plan.region, "subregion"]) - {""}
    assert {"船营区", "磐石市", "蛟河市"} <= counties
    lag = hidden_laggards(obs, plan, plans=regional_plans())
    assert len(lag) >= 1
    assert (lag["region"] == plan.region).all() and lag["subregion"].isin(counties).all()
