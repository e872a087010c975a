"""The plan catalogs in ``params/``: they load, are traceable to their clauses, and hold the
values transcribed from the plan texts."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from childplan_analysis.catalog.grammar import bound_word
from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core import config
from childplan_analysis.core.errors import PlanError
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.targets import Comparator

CATALOG_FILES = sorted(p for p in config.PARAMS_DIR.glob("*.yaml") if p.name != "indicators.yaml")
SEEDS_DIR = Path(os.environ.get("CHILDPLAN_SEEDS", "/work/shared/seeds"))
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")

EXPECTED_PLANS = {
    "national_children_2021_2030",
    "national_women_2021_2030",
    "panshi_children_2021_2030",
    "xigang_children_2021_2030",
    "dadukou_children_2021_2030",
    "jilin_province_child_friendly_2022",
    "jilin_city_women_2021_2030",
    "jilin_city_children_2021_2030",
}


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    loaded = [load_plan(p) for p in CATALOG_FILES]
    return {p.id: p for p in loaded}


def test_every_catalog_loads(plans):
    assert EXPECTED_PLANS <= set(plans)
    assert len(plans) == len(CATALOG_FILES), "two catalog files share a plan id"


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_catalog_file_is_named_for_its_plan(path):
    assert load_plan(path).id == path.stem


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_every_target_is_traceable(path):
    plan = load_plan(path)
    for t in plan.targets:
        assert t.clause and t.clause.strip(), t.id
        assert t.article and t.article.strip(), t.id
        assert SNAKE.match(t.id), t.id
        assert t.id.startswith(t.indicator + "_"), t.id
        assert str(t.year) in t.id, t.id
        assert plan.period[0] <= t.year <= plan.period[1], t.id


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_target_ids_are_unique(path):
    plan = load_plan(path)
    ids = [t.id for t in plan.targets]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_one_target_per_indicator_year_comparator(path):
    keys = [(t.indicator, t.year, t.comparator) for t in load_plan(path).targets]
    assert len(keys) == len(set(keys))


_STRICT = {Comparator.LT, Comparator.GT}
_INCLUSIVE = {Comparator.LE, Comparator.GE, Comparator.MAINTAIN_LE, Comparator.MAINTAIN_GE}


def test_clause_word_and_comparator_agree(plans):
    """以上、以下、以内、不超过、不低于 include the number (<=, >=); 低于、高于、超过、不足
    exclude it (<, >) — in every catalog, for every target whose clause bounds its value."""
    checked, wrong = 0, []
    for plan in plans.values():
        for t in plan.targets:
            if t.comparator not in _STRICT | _INCLUSIVE or t.value is None:
                continue
            found = bound_word(t.clause, t.value)
            if found is None:
                continue
            checked += 1
            word, inclusive = found
            if inclusive != (t.comparator in _INCLUSIVE):
                wrong.append(f"{plan.id}/{t.id}: {t.comparator.value} but {word!r} in {t.clause!r}")
    assert not wrong, "\n".join(wrong)
    assert checked >= 40  # most level targets state their bound in words


def test_parents_exist_and_match_population(plans):
    for plan in plans.values():
        if plan.level == "national":
            assert plan.parent is None
            continue
        assert plan.parent in plans, f"{plan.id}: unknown parent {plan.parent!r}"
        parent = plans[plan.parent]
        assert parent.population == plan.population, plan.id


def test_parent_chain():
    expected = {
        "panshi_children_2021_2030": "jilin_city_children_2021_2030",
        "jilin_city_children_2021_2030": "national_children_2021_2030",
        "jilin_city_women_2021_2030": "national_women_2021_2030",
        "xigang_children_2021_2030": "national_children_2021_2030",
        "dadukou_children_2021_2030": "national_children_2021_2030",
        "jilin_province_child_friendly_2022": "national_children_2021_2030",
    }
    for plan_id, parent in expected.items():
        assert load_plan(config.PARAMS_DIR / f"{plan_id}.yaml").parent == parent


def test_indicator_dictionary_has_every_catalog_indicator(plans):
    ind = load_indicators()
    used = {t.indicator for p in plans.values() for t in p.targets}
    assert used <= set(ind.by_id)
    for i in ind:
        assert SNAKE.match(i.id)
        assert i.name_zh and i.name_en


def test_original_indicator_ids_kept():
    ind = load_indicators()
    for iid in (
        "neonatal_mortality",
        "infant_mortality",
        "under5_mortality",
        "maternal_mortality",
        "child_injury_mortality",
        "child_drowning_mortality",
        "immunization_coverage",
        "pediatricians_per_1000_children",
        "sex_ratio_at_birth",
        "rural_sanitary_toilet",
    ):
        assert iid in ind.by_id


def test_original_national_targets_kept(plans):
    ids = {t.id for t in plans["national_children_2021_2030"].targets}
    original = {
        "neonatal_mortality_2030",
        "infant_mortality_2030",
        "under5_mortality_2030",
        "immunization_coverage_2030",
        "child_systematic_management_under3_2030",
        "child_health_management_under7_2030",
        "anemia_under5_2030",
        "stunting_under5_2030",
        "myopia_primary_2030",
        "myopia_junior_2030",
        "eye_care_coverage_0_6_2030",
        "physical_fitness_good_rate_2030",
        "exclusive_breastfeeding_6m_2030",
        "child_injury_mortality_2030",
        "preschool_gross_enrolment_2030",
        "compulsory_education_retention_2030",
        "senior_secondary_gross_enrolment_2030",
        "pediatricians_per_1000_children_2030",
        "pediatric_beds_per_1000_children_2030",
    }
    assert original <= ids


# ---------------------------------------------------------------- clauses are verbatim


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


SEED_OF = {
    "panshi_children_2021_2030": "000_a4dfa1a40161d956.txt",
    "xigang_children_2021_2030": "001_48607f2d4c186d51.txt",
    "dadukou_children_2021_2030": "002_70cba5512138f9eb.txt",
    "jilin_province_child_friendly_2022": "003_0a0feabecbe0eabd.txt",
    "jilin_city_women_2021_2030": "004_6d5cbecdf8760c5e.txt",
    "jilin_city_children_2021_2030": "004_6d5cbecdf8760c5e.txt",
}


@pytest.mark.parametrize("plan_id", sorted(SEED_OF))
def test_clauses_are_verbatim_from_the_plan_text(plan_id):
    seed = SEEDS_DIR / SEED_OF[plan_id]
    if not seed.is_file():
        pytest.skip(f"plan text not available ({seed})")
    text = _flat(seed.read_text(encoding="utf-8"))
    for t in load_plan(config.PARAMS_DIR / f"{plan_id}.yaml").targets:
        # table rows are stored as their cells joined by " | "
        for piece in t.clause.split(" | "):
            assert _flat(piece) in text, (t.id, piece)


# ---------------------------------------------------------------- spot checks per plan


def test_dadukou_table(plans):
    p = plans["dadukou_children_2021_2030"]
    table = [t for t in p.targets if t.article.startswith("专栏一")]
    assert len(table) == 45  # 39 numbered rows; rows 11, 15 and 17 have three lines each
    rows = {int(re.match(r"专栏一 第(\d+)行", t.article).group(1)) for t in table}
    assert rows == set(range(1, 40))
    assert all(t.attribute in ("binding", "expected") for t in table)
    assert all(t.responsible for t in table)
    assert sum(t.attribute == "binding" for t in table) == 11
    nmr = p.target("neonatal_mortality_2030")
    assert (nmr.comparator, nmr.value, nmr.attribute, nmr.responsible) == (
        Comparator.LT,
        1.3,
        "binding",
        ["区卫健委"],
    )
    assert p.target("myopia_junior_2030").responsible == ["区教委", "区卫健委"]
    assert p.target("child_suicide_selfharm_rate_2030").comparator == Comparator.DECREASE
    assert p.target("child_suicide_selfharm_rate_2030").responsible == [
        "区公安分局",
        "区教委",
        "区卫健委",
    ]
    # 0.1‰ converted to the indicator's unit, 1/10万
    injury = p.target("child_unintentional_injury_mortality_2030")
    assert injury.unit == "1/10万" and injury.value == pytest.approx(10)
    assert p.target("minor_protection_station_coverage_2030").value == 100
    smart = p.target("smart_campus_demo_schools_2030")
    assert (smart.comparator, smart.value, smart.value_high) == (Comparator.RANGE, 3, 5)


def test_xigang_milestones(plans):
    p = plans["xigang_children_2021_2030"]
    for ind, v25, v30 in (
        ("neonatal_mortality", 2.8, 2.3),
        ("infant_mortality", 3, 2.8),
        ("under5_mortality", 4, 3.8),
        ("stunting_under5", 5, 4),
    ):
        assert p.target(f"{ind}_2025").value == v25
        assert p.target(f"{ind}_2030").value == v30
        assert p.target(f"{ind}_2025").comparator == Comparator.LE
    myopia = p.target("child_myopia_overall_2030")
    assert (myopia.comparator, myopia.value, myopia.value_high) == (
        Comparator.ANNUAL_DECREASE_PTS,
        0.5,
        1,
    )
    orphan = p.target("orphan_basic_living_standard_2025")
    assert (orphan.comparator, orphan.value) == (Comparator.ANNUAL_INCREASE_PCT, 6)
    injury = p.target("child_injury_mortality_2030")
    assert (injury.comparator, injury.value, injury.baseline_year) == (
        Comparator.RELATIVE_DECREASE_PCT,
        20,
        2020,
    )
    assert p.target("compulsory_education_retention_2030").comparator == Comparator.MAINTAIN_GE


def test_panshi(plans):
    p = plans["panshi_children_2021_2030"]
    assert p.level == "county"
    assert p.target("neonatal_mortality_2030").value == 3
    assert p.target("pediatricians_per_1000_children_2030").value == 1.05
    assert p.target("pediatric_beds_per_1000_children_2030").value == 2.8
    assert p.target("immunization_coverage_2030").comparator == Comparator.MAINTAIN_GE
    assert p.target("rural_tap_water_coverage_2030").value == 95
    assert p.target("parent_school_coverage_rural_2030").value == 85
    assert p.target("child_drowning_mortality_2030").comparator == Comparator.DECREASE


def test_jilin_city_children(plans):
    p = plans["jilin_city_children_2021_2030"]
    assert p.target("rural_tap_water_coverage_2030").value == 97.5
    assert p.target("preschool_gross_enrolment_2030").value == 95
    assert {t.indicator for t in plans["panshi_children_2021_2030"].targets} == set(p.indicators)


def test_jilin_city_women(plans):
    p = plans["jilin_city_women_2021_2030"]
    assert p.population == "women"
    mmr = p.target("maternal_mortality_2030")
    assert (mmr.comparator, mmr.value, mmr.unit) == (Comparator.LE, 12, "1/10万")
    assert p.target("cervical_cancer_screening_2030").value == 70
    assert p.target("female_share_urban_nonprivate_employment_2030").comparator == Comparator.AROUND
    assert p.target("female_share_village_committee_2030").value == 30
    assert (
        p.target("women_basic_medical_insurance_participation_2030").comparator
        == Comparator.MAINTAIN_GE
    )
    testing = [
        t
        for t in p.targets
        if t.indicator.startswith("prenatal_") and t.indicator.endswith("testing_rate")
    ]
    assert len(testing) == 3 and all(t.value == 98 for t in testing)


def test_jilin_province_goal_years(plans):
    p = plans["jilin_province_child_friendly_2022"]
    assert p.level == "province" and tuple(p.period) == (2022, 2035)
    assert {t.year for t in p.targets} == {2025, 2035}
    pilots = p.target("child_friendly_city_pilots_2025")
    assert (pilots.comparator, pilots.value, pilots.value_high) == (Comparator.RANGE, 2, 3)
    share = p.target("prefecture_cities_child_friendly_share_2035")
    assert (share.comparator, share.value) == (Comparator.GT, 50)
    assert "省卫生健康委" in p.target("immunization_coverage_2025").responsible


def test_national_women(plans):
    p = plans["national_women_2021_2030"]
    assert p.population == "women" and p.level == "national"
    assert p.target("maternal_mortality_2030").value == 12
    assert p.target("mtct_hiv_2030").value == 2
    assert p.target("cervical_cancer_screening_2030").comparator == Comparator.GE


def test_national_children_additions(plans):
    p = plans["national_children_2021_2030"]
    assert p.target("myopia_senior_2030").value == 70
    assert p.target("child_drowning_mortality_2030").comparator == Comparator.DECREASE
    assert p.target("parent_school_coverage_rural_2030").value == 80


def test_national_physical_fitness_target_follows_the_outline(plans):
    """The outline sets 达标优良率 50%以上 for 2030; the 60% of 健康中国行动 and of local plans is
    stricter than the outline, not its target."""
    t = plans["national_children_2021_2030"].target("physical_fitness_good_rate_2030")
    assert (t.value, t.comparator, t.year) == (50, Comparator.GE, 2030)
    assert t.clause == "增强儿童体质，中小学生国家学生体质健康标准达标优良率50%以上。"
    assert "健康中国行动" in t.note
    local = [u for p in plans.values() if p.level != "national" for u in p.targets
             if u.indicator == "physical_fitness_good_rate"]
    assert local and all(u.value >= t.value for u in local)


def test_own_indicator_dictionary_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``$CHILDPLAN_INDICATORS`` (set by ``--indicators``) adds the analyst's entries wherever the
    package dictionary is loaded, so report kernels resolve the same plan."""
    import yaml

    own = tmp_path / "own.yaml"
    own.write_text(yaml.safe_dump({"indicators": [{
        "id": "baobaowu_coverage", "name_zh": "街镇宝宝屋覆盖率", "name_en": "Community childcare rooms",
        "unit": "%", "polarity": "higher", "bounds": [0, 100], "domain": "welfare",
    }]}, allow_unicode=True), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "id: p\ntitle: 上海市儿童发展“十四五”规划\nregion: 上海市\nlevel: province\nperiod: [2021, 2025]\n"
        "targets:\n- {id: t01, indicator: 街镇宝宝屋覆盖率, comparator: '>=', value: 85, year: 2025}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CHILDPLAN_INDICATORS", "")
    base = len(load_indicators())
    with pytest.raises(PlanError):
        load_plan(plan)
    monkeypatch.setenv("CHILDPLAN_INDICATORS", str(own))
    assert len(load_indicators()) == base + 1
    assert load_plan(plan).targets[0].indicator == "baobaowu_coverage"
    monkeypatch.setenv("CHILDPLAN_INDICATORS", str(tmp_path / "missing.yaml"))
    with pytest.raises(PlanError, match="missing.yaml"):
        load_indicators()
