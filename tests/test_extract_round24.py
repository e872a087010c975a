"""Round 24 of plan-text extraction: the sizes a standard sets, shares of kinds of places having a facility,
coverages named by the level of the body, counts per level, ``年底前`` in a text stating its year elsewhere or not
at all, and counts of people screened named by the disease. Each sentence is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.size_conditions import without_size_conditions


def _keys(text: str) -> set[tuple[str, str, float | None, float | None, int | None]]:
    return {(t.indicator_zh, t.comparator.value, t.value, t.value_high, t.year) for t in extract_targets(text)}


def test_the_sizes_of_a_standard_are_no_aims():
    text = (
        "到2028年,全省公共场所母婴室配置率达到95%。营业面积超过5000平方米或日均客流量超过8000人次的商场、"
        "体育馆等场所,应设置使用面积不少于15平方米的母婴室;营业面积在2000至5000平方米或日客流量超过3000人次,"
        "有条件的应设置面积不少于8平方米的哺乳区。"
    )
    got = _keys(text)
    assert ("公共场所母婴室配置率", ">=", 95.0, None, 2028) in got
    assert len(got) == 1, got
    assert without_size_conditions("人均体育场地面积达到2.8平方米或以上") == "人均体育场地面积达到2.8平方米或以上"
    assert ("人均公园绿地面积", ">=", 16.0, None, 2027) in _keys("到2027年,人均公园绿地面积达到16平方米。")
