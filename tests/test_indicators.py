import pytest

from childplan_analysis.core.errors import PlanError, UnknownIndicatorError
from childplan_analysis.core.indicators import (
    Indicator,
    IndicatorDictionary,
    load_indicators,
    normalize_name,
)
from childplan_analysis.core.units import canonical_unit, conversion_factor


def test_dictionary_resolves_ids_names_and_aliases():
    d = load_indicators()
    assert d.resolve("infant_mortality").id == "infant_mortality"
    assert d.resolve("婴儿死亡率").id == "infant_mortality"
    assert d.resolve("婴儿死亡率（‰）").id == "infant_mortality"
    assert d.resolve("0～6个月婴儿纯母乳喂养率").id == "exclusive_breastfeeding_6m"
    assert d.resolve("18岁以下儿童伤害死亡率").id == "child_injury_mortality"


def test_unknown_indicator_lists_close_matches():
    d = load_indicators()
    with pytest.raises(UnknownIndicatorError) as exc:
        d.resolve("婴儿死忙率")
    assert "婴儿死亡率" in str(exc.value)
    assert exc.value.suggestions


def test_every_indicator_has_consistent_bounds_and_units():
    for ind in load_indicators():
        low, high = ind.bounds
        if low is not None and high is not None:
            assert low < high, ind.id
        if ind.unit == "%":
            assert high is not None and high <= 150, ind.id
        if ind.unit == "‰":
            assert high == 1000, ind.id


def test_duplicate_alias_is_rejected():
    a = Indicator(id="a", name_zh="甲率", name_en="A", unit="%", polarity="higher", domain="health")
    b = Indicator(id="b", name_zh="乙率", name_en="B", aliases=("甲率",), unit="%", polarity="higher",
                  domain="health")
    with pytest.raises(PlanError, match="also used by"):
        IndicatorDictionary([a, b])


def test_normalize_name_unifies_width_brackets_and_unit_suffix():
    assert normalize_name("每千名儿童拥有儿科执业（助理）医生数") == normalize_name("每千名儿童拥有儿科执业(助理)医师数")
    assert normalize_name("新生儿死亡率(‰)") == "新生儿死亡率"


@pytest.mark.parametrize(
    ("raw", "canon"), [("％", "%"), ("‰", "‰"), ("/10万", "1/10万"), ("1/100000", "1/10万"), ("", None)]
)
def test_canonical_units(raw, canon):
    assert canonical_unit(raw) == canon


def test_conversion_factors():
    assert conversion_factor("%", "‰") == 10
    assert conversion_factor("‰", "1/10万") == 100
    assert conversion_factor("个", "‰") is None
    assert conversion_factor(None, "‰") == 1


def test_names_with_the_other_word_of_a_synonym_pair_are_found() -> None:
    from childplan_analysis.core.indicators import load_indicators

    indicators = load_indicators()
    pension = indicators.find("妇女基本养老保险参保率")
    assert pension is not None
    assert indicators.find("女性基本养老保险参保率(%)") is pension
    assert indicators.find("男性基本养老保险参保率") is None
    # 期望寿命 is 预期寿命, alone and with the other pair's word
    assert indicators.find("人均期望寿命") is indicators.find("人均预期寿命")
    assert indicators.find("女性人均期望寿命") is indicators.find("女性人均预期寿命") is not None



def test_community_committees_are_not_village_and_community_committees() -> None:
    """社区居委会 (urban communities only, 保持在50%左右 in the women's outline) and 村（居）委会
    (villages and communities together) are two indicators."""
    from childplan_analysis.core.indicators import load_indicators

    indicators = load_indicators()
    community = indicators.find("社区居民委员会成员中女性比例")
    both = indicators.find("村（居）民委员会成员中女性比例")
    assert community is not None and both is not None and community is not both
    assert indicators.find("居委会成员中女性比例") is community
    assert indicators.find("社区居委会主任中的女性比例") not in (None, community)

@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("indicators:\n  - &a {id: x_rate, name_zh: 某率, unit: '%'}\n  - *a\n", "alias"),
        ("indicators:\n  - id: x_rate\n    id: y_rate\n    name_zh: 某率\n    unit: '%'\n", "duplicate"),
        ("indicators: !!python/object/apply:os.system ['true']\n", "tag"),
    ],
)
def test_own_dictionary_read_strictly(tmp_path, text, problem):
    """An analyst's own dictionary is read as strictly as a plan catalog: aliases, repeated keys
    and code tags are refused naming the file and line, not silently accepted."""
    path = tmp_path / f"own_{problem}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_indicators(path)
    message = str(info.value)
    assert path.name in message and "line" in message


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("宫颈癌人群筛查率", "cervical_cancer_screening"),  # the dictionary's name: 适龄妇女宫颈癌人群筛查率
     ("儿童免疫规划疫苗接种率", "immunization_coverage"),
     ("人群筛查率", None)],  # the qualifier left out, not the name's head
)
def test_a_name_without_its_eligibility_qualifier_is_the_known_indicator(phrase, expected):
    from childplan_analysis.catalog.resolve import resolve_indicator

    found = resolve_indicator(phrase, load_indicators())
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(("written", "unit"), [
    ("人/10万", "1/10万"), ("例/10万", "1/10万"), ("每10万活产", "1/10万"), ("/10万活产", "1/10万"),
    ("每10万活产数", "1/10万"), ("每万人", "1/万"), ("1/1000", "‰"), ("/千", "‰"), ("每千活产", "‰"), ("0/00", "‰"),
])
def test_rate_units_as_departments_write_them(written: str, unit: str) -> None:
    assert canonical_unit(written) == unit
    assert conversion_factor(written, "1/10万") == conversion_factor(unit, "1/10万")
