"""Round 24 of plan-text extraction: the sizes a standard sets, shares of kinds of places having a facility,
coverages named by the level of the body, counts per level, ``年底前`` in a text stating its year elsewhere or not
at all, and counts of people screened named by the disease. Each sentence is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.screening_counts import people_screened
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


def _resolved(text: str) -> set[tuple[str | None, str, float | None, int | None]]:
    return {(t.indicator or t.indicator_zh, t.comparator.value, t.value, t.year) for t in extract_targets(text)}


def test_a_rate_named_by_each_level_is_a_rate_of_its_own():
    got = _resolved("力争到2028年底,省级未成年人救助保护机构覆盖率保持在100%,县级未成年人救助保护机构覆盖率达到85%以上。")
    assert ("省级未成年人救助保护机构覆盖率", "maintain_ge", 100.0, 2028) in got
    assert ("县级未成年人救助保护机构覆盖率", ">=", 85.0, 2028) in got
    # one level alone is the dictionary's rate, as before
    one = _resolved("到2028年,县级未成年人救助保护机构覆盖率达到85%以上。")
    assert one == {("minor_rescue_protection_institution_coverage", ">=", 85.0, 2028)}


def test_counts_listed_after_one_verb_each_count_their_own_kind():
    got = _keys("到2026年底,新建(含改扩建)6所公办幼儿园、24个普惠性托育服务点。")
    assert ("新建公办幼儿园数", ">=", 6.0, None, 2026) in got
    assert ("新建普惠性托育服务点数", ">=", 24.0, None, 2026) in got
    assert len(got) == 2, got
    # levels sharing the kind named last are read as before
    levels = _keys("到2026年,培育4个省级、9个市级家庭教育示范基地。")
    assert ("省级家庭教育示范基地数", ">=", 4.0, None, 2026) in levels
    assert ("市级家庭教育示范基地数", ">=", 9.0, None, 2026) in levels


def test_a_bullet_is_a_sentence_and_restates_the_body():
    text = (
        "某市推进儿童友好空间建设\n"
        "■年内建成40个儿童友好示范社区\n"
        "■后年城市社区儿童之家覆盖率达98%\n"
        "市妇儿工委近日印发通知,要求到2026年底,建成40个儿童友好示范社区(村)。到2028年,城市社区儿童之家覆盖率达到98%。\n"
    )
    got = _resolved(text)
    assert ("建成儿童友好示范社区(村)数", ">=", 40.0, 2026) in got
    assert len(got) == 2, got
    assert not any("示范社区数" == k[0] or "■" in str(k[0]) for k in got)


def test_kinds_due_to_have_a_facility_each_have_a_full_share():
    got = _keys("到2027年底,各县区应设置哺乳室的汽车客运站、高速公路服务区(含停车区)均按要求设置哺乳室。")
    assert ("按要求设置哺乳室的汽车客运站比例", ">=", 100.0, None, 2027) in got
    assert ("按要求设置哺乳室的高速公路服务区(含停车区)比例", ">=", 100.0, None, 2027) in got
    assert len(got) == 2, got


def test_a_room_in_every_unit_is_set_up_and_equipment_is_had():
    got = _keys("到2026年底,实现全县派出所未成年人询问室全覆盖,乡镇卫生院母婴设施全覆盖。")
    assert ("设未成年人询问室的派出所比例", ">=", 100.0, None, 2026) in got
    assert ("有母婴设施的乡镇卫生院比例", ">=", 100.0, None, 2026) in got


def test_places_counted_where_an_activity_is_carried_out():
    got = _keys("到2027年,市教育局将在全市12个街道、60个社区(村)开展隔代养育指导试点工作。")
    assert ("开展隔代养育指导试点的街道数", ">=", 12.0, None, 2027) in got
    assert ("开展隔代养育指导试点的社区(村)数", ">=", 60.0, None, 2027) in got
    assert len(got) == 2, got


def test_a_time_between_the_units_of_a_share_and_their_verb_is_no_part_of_the_name():
    got = extract_targets("2026年,省妇联将加强基层组织建设,推动90%以上的乡镇(街道)年内建立妇女议事会。")
    assert [(t.indicator_zh, t.value, t.year) for t in got] == [("建立妇女议事会的乡镇(街道)比例", 90.0, 2026)]


def test_people_screened_counted_by_the_disease():
    got = _keys("2026年,该县将完成2400例乳腺癌、1800例宫颈癌目标人数,计划于9月底前完成。")
    assert ("乳腺癌筛查人数", ">=", 2400.0, None, 2026) in got
    assert ("宫颈癌筛查人数", ">=", 1800.0, None, 2026) in got
    cases = _keys("2026年,全县完成650例新生儿听力筛查和420例先天性心脏病筛查。")
    assert ("新生儿听力筛查人数", ">=", 650.0, None, 2026) in cases
    assert ("先天性心脏病筛查人数", ">=", 420.0, None, 2026) in cases
    assert people_screened("完成3000例手术") is None


def test_a_task_of_people_checked_and_the_year_of_a_goal_item():
    text = (
        "关于印发某镇孕前优生健康免费检查工作实施方案的通知\n"
        "一、工作目标\n"
        "1.2027年全镇完成180人的孕前优生健康检查任务;\n"
        "2.提高目标人群孕前优生健康检查覆盖率。\n"
    )
    got = _keys(text)
    assert ("孕前优生健康检查人数", ">=", 180.0, None, 2027) in got
    assert ("目标人群孕前优生健康检查覆盖率", "increase", None, None, 2027) in got


def test_topics_before_an_activity_and_a_year_told_before_its_purpose():
    text = (
        "家庭教育关系千家万户。2027年,为进一步做好家庭教育指导服务,推动家校共育,区关工委将重点做好以下工作。\n"
        "丰富宣讲活动。围绕科学育儿、亲子沟通、网络素养等举办家庭教育讲座60场以上。\n"
    )
    got = _keys(text)
    assert ("举办家庭教育讲座场次", ">=", 60.0, None, 2027) in got


def test_counts_listed_each_after_its_name():
    got = _keys("到2026年,全区社区新增儿童之家数45个、新增四点半课堂数120个。")
    assert ("社区新增儿童之家数", ">=", 45.0, None, 2026) in got
    assert ("新增四点半课堂数", ">=", 120.0, None, 2026) in got
    assert len(got) == 2, got


def test_a_lone_rate_of_the_same_kind_as_the_named_one_is_of_the_same_thing():
    got = _keys("到2029年,降低中小学生的龋齿发病率,降低患病率。")
    assert ("中小学生的龋齿患病率", "decrease", None, None, 2029) in got
    other = _keys("到2029年,提高宫颈癌和乳腺癌的早诊早治率,降低死亡率。")  # another kind of rate: the group alone
    assert ("宫颈癌和乳腺癌死亡率", "decrease", None, None, 2029) in other


def test_prenatal_screening_named_by_the_weeks_it_is_done_in():
    got = _resolved("到2027年,全市孕早中期产前筛查率达到85%以上。")
    assert got == {("prenatal_screening_rate", ">=", 85.0, 2027)}


def test_a_lead_running_kinds_together_restates_the_body_kind_by_kind():
    text = (
        "今年底,高速公路服务区将普遍配备哺乳室\n"
        "省交通运输厅近日印发通知,到2026年底,各市的高速公路服务区、汽车客运站均要按要求配备哺乳室。\n"
        "通知要求,到2026年底,各县区应配备哺乳室的高速公路服务区、汽车客运站均按要求配备哺乳室。\n"
    )
    got = _keys(text)
    assert ("按要求配备哺乳室的高速公路服务区比例", ">=", 100.0, None, 2026) in got
    assert ("按要求配备哺乳室的汽车客运站比例", ">=", 100.0, None, 2026) in got
    assert len(got) == 2, got


def test_a_bullet_restating_one_level_of_a_body_rate_given_by_level():
    text = (
        "某省织密未成年人保护网\n"
        "■今年底建成20个县级儿童福利指导中心\n"
        "■明年底市级未成年人救助保护机构覆盖率达95%\n"
        "省民政厅近日印发通知,要求到2026年年底,建成20个县级儿童福利指导中心。到2027年年底,县级未成年人救助保护机构"
        "覆盖率达到80%,市级未成年人救助保护机构覆盖率达95%。\n"
    )
    got = _resolved(text)
    assert got == {
        ("建成县级儿童福利指导中心数", ">=", 20.0, 2026),
        ("县级未成年人救助保护机构覆盖率", ">=", 80.0, 2027),
        ("市级未成年人救助保护机构覆盖率", ">=", 95.0, 2027),
    }, got


def test_a_size_per_head_naming_units_that_meet_a_standard_stays():
    s = "生均建筑面积达到8平方米的幼儿园比例达到90%"
    assert without_size_conditions(s) == s


def test_people_given_a_vaccination_named_by_their_school_year():
    got = _keys("2027年,为9000名2026级初一男女生免费接种流感疫苗,为400名新入职教师免费体检。")
    assert ("免费接种流感疫苗的2026级初一男女生人数", ">=", 9000.0, None, 2027) in got
    assert ("免费体检的新入职教师人数", ">=", 400.0, None, 2027) in got
