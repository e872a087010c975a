"""Round 27 of plan-text extraction: a share over a list of kinds of unit, one per kind; modal verbs out of the
units' name; conditions listed before one rate sharing its level. Each text is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.announced import is_time_taken, without_framing
from childplan_analysis.catalog.attribution import is_results_report
from childplan_analysis.catalog.disease_names import short_disease_names
from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.funded_services import funded_service
from childplan_analysis.catalog.kinds_listed import split_kinds
from childplan_analysis.catalog.people_first import people_first
from childplan_analysis.catalog.present_levels import present_values
from childplan_analysis.catalog.team_sizes import team_size
from childplan_analysis.catalog.universal_shares import every_unit_does


def _keys(text: str) -> set[tuple[str, str, float | None, str | None, int | None]]:
    return {(t.indicator or t.indicator_zh, t.comparator.value, t.value, t.unit, t.year) for t in extract_targets(text)}


def test_a_share_given_first_over_kinds_listed_is_one_share_per_kind():
    got = _keys("到2028年,40%的社区卫生服务中心、乡镇卫生院、村卫生室开设中医药综合服务区。")
    assert got == {
        ("开设中医药综合服务区的社区卫生服务中心比例", ">=", 40.0, "%", 2028),
        ("开设中医药综合服务区的乡镇卫生院比例", ">=", 40.0, "%", 2028),
        ("开设中医药综合服务区的村卫生室比例", ">=", 40.0, "%", 2028),
    }


def test_a_kind_written_without_its_head_takes_the_head_of_the_last():
    assert split_kinds("城市、农村社区") == ["城市社区", "农村社区"]
    assert split_kinds("普通高中、中等职业学校") == ["普通高中学校", "中等职业学校"]
    assert split_kinds("县(市、区)") == ["县(市、区)"]  # a bracket's commas do not split
    assert split_kinds("妇女、儿童和家庭") == ["妇女、儿童和家庭"]  # no kind of unit last: one group
    got = _keys("到2027年,60%的城市、农村社区要建立儿童议事会。")
    assert ("建立儿童议事会的城市社区比例", ">=", 60.0, "%", 2027) in got
    assert ("建立儿童议事会的农村社区比例", ">=", 60.0, "%", 2027) in got


def test_a_modal_verb_is_no_part_of_the_units_of_a_share():
    got = _keys("到2026年底,70%的托育机构应开展婴幼儿营养指导。")
    assert got == {("开展婴幼儿营养指导的托育机构比例", ">=", 70.0, "%", 2026)}


def test_conditions_listed_before_one_rate_share_its_level_each():
    got = _keys("到2029年,新生儿先天性甲减、听力障碍、髋关节发育不良筛查率达到96%。")
    assert got == {
        ("新生儿先天性甲减筛查率", ">=", 96.0, "%", 2029),
        ("新生儿听力障碍筛查率", ">=", 96.0, "%", 2029),
        ("新生儿髋关节发育不良筛查率", ">=", 96.0, "%", 2029),
    }
    # a direction of such a list is one rate of them all, as before
    (t,) = extract_targets("到2029年,降低卵巢癌、子宫内膜癌死亡率。")
    assert t.indicator_zh == "卵巢癌、子宫内膜癌死亡率"


def test_an_announcements_framing_is_no_part_of_the_measures_name():
    assert without_framing("全省打算用三年时间把剖宫产率") == "剖宫产率"
    assert without_framing("计划生育特殊家庭扶助人数") == "计划生育特殊家庭扶助人数"  # no framing: as it is
    got = _keys("据省卫健委消息,该省计划在今后五年将儿童脊柱侧弯检出率从2023年的3.1%降至2.5%以下。到2028年。")
    assert got == {("儿童脊柱侧弯检出率", "<=", 2.5, "%", 2028)}


def test_hiv_transmission_written_without_bing_is_the_dictionarys_rate():
    (t,) = extract_targets("到2027年,国家力争在三年内将艾滋母婴传播率降至1.5%以下。")
    assert (t.indicator, t.comparator.value, t.value, t.year) == ("mtct_hiv", "<=", 1.5, 2027)


def test_a_requirement_on_every_unit_of_each_kind_is_a_full_share_of_each():
    got = _keys("到2027年,推动所有乡镇、街道普遍建立妇女儿童维权服务站。")
    assert got == {
        ("建立妇女儿童维权服务站的乡镇比例", ">=", 100.0, "%", 2027),
        ("建立妇女儿童维权服务站的街道比例", ">=", 100.0, "%", 2027),
    }
    got = _keys("到2026年,全省各县开设或接入儿童心理咨询热线。")
    assert got == {("开设或接入儿童心理咨询热线的县比例", ">=", 100.0, "%", 2026)}
    got = _keys("到2026年,普通高中、中等职业学校要配备专职心理健康教育教师。")
    assert ("配备专职心理健康教育教师的中等职业学校比例", ">=", 100.0, "%", 2026) in got
    assert len(got) == 2


def test_a_means_before_what_every_unit_does_gives_way_to_it():
    got = _keys("到2026年底,各级各类托育机构要设置保健室或依托社区卫生服务中心开展婴幼儿健康管理服务。")
    assert got == {("开展婴幼儿健康管理服务的各级各类托育机构比例", ">=", 100.0, "%", 2026)}


def test_a_measure_on_one_kind_or_a_statement_is_no_share():
    assert every_unit_does("医疗机构要建立孕产妇转诊制度") is None
    assert every_unit_does("幼儿园开展营养膳食指导") is None
    assert _keys("到2026年,妇幼保健机构要建立高危孕产妇专案管理制度。") == set()
    # a mechanism set up by each place, not said of all, and an effort to improve one, are measures
    assert every_unit_does("各乡镇建立留守儿童关爱工作机制") is None
    assert every_unit_does("所有乡镇普遍建立健全留守儿童关爱工作机制") is None


def test_people_screened_are_named_by_the_screening_as_a_noun():
    got = _keys("2026年,我市将为3000名农村妇女免费筛查甲状腺疾病。")
    assert got == {("甲状腺疾病免费筛查的农村妇女人数", ">=", 3000.0, "名", 2026)}


def test_a_sum_put_into_a_service_for_people_is_the_services_funds_and_the_people_it_serves():
    got = _keys("2026年,县妇联将安排专项资金50万元为全县2000名留守妇女开展甲状腺免费筛查关爱活动。")
    assert got == {
        ("留守妇女甲状腺免费筛查专项资金", ">=", 500000.0, "元", 2026),
        ("甲状腺免费筛查的留守妇女人数", ">=", 2000.0, "名", 2026),
    }
    got = _keys("2026年,市总工会将投80万元为5000名环卫女工免费检查乳腺。")
    assert ("环卫女工乳腺免费检查资金", ">=", 800000.0, "元", 2026) in got
    assert funded_service("市总工会将投80万元建设职工书屋") is None  # no people served: not this reading


_ACTION_PLAN = (
    "某省留守儿童关爱服务行动方案(2026—2029年)\n"
    "近年来,各地积极开展留守儿童关爱服务,取得显著成效,但仍存在一些薄弱环节。\n"
    "一、行动目标\n"
    "用3年左右的时间,健全留守儿童关爱服务体系。2026—2029年,推动所有乡镇、街道普遍建立儿童关爱服务站。\n"
)


def test_a_plans_action_goals_heading_makes_its_review_opening_no_results_report():
    assert not is_results_report(_ACTION_PLAN)
    assert _keys(_ACTION_PLAN) == {
        ("建立儿童关爱服务站的乡镇比例", ">=", 100.0, "%", 2029),
        ("建立儿童关爱服务站的街道比例", ">=", 100.0, "%", 2029),
    }


def test_the_time_an_aim_takes_is_no_count():
    assert is_time_taken("用3年左右的时间")
    assert is_time_taken("力争用两年时间")
    assert not is_time_taken("每天户外活动时间")
    assert _keys("到2030年,用5年左右的时间,基本建成儿童友好城市。") == set()


def test_a_team_set_up_of_so_many_members_is_its_size():
    got = _keys("到2027年,全市建立一支由2000名骨干组成的反家暴社工队伍。")
    assert got == {("反家暴社工队伍人数", ">=", 2000.0, "名", 2027)}
    assert team_size("省妇联将在全省组建一支由5000名志愿者组成的家庭教育指导服务队") == [
        ("家庭教育指导服务队人数", ">=", 5000.0, None, "名")
    ]


_PRESENT = (
    "两年内,全省将建立一支由1500名咨询师组成的婚姻家庭辅导队伍。\n"
    "据了解,目前全省已有心理咨询师652名。\n"
    "各市、县两级建立心理咨询服务网络,人数达652人。\n"
)


def test_a_level_told_as_the_present_and_again_is_no_aim():
    assert 652.0 in present_values(_PRESENT)
    assert 1500.0 not in present_values(_PRESENT)  # after 将: the aim, not the present
    assert present_values("居民营养健康知识知晓率在现有基础上提高10%") == set()  # a base to change from
    names = {k[0] for k in _keys(_PRESENT)}
    assert names == {"婚姻家庭辅导队伍人数"}


def test_people_counted_before_what_they_may_do_are_named_by_it_without_the_modal():
    got = _keys("2026年全市妇女“乳腺健康”免费筛查启动,不少于5000名妇女可免费参加筛查。")
    assert got == {("参加乳腺健康免费筛查的妇女人数", ">=", 5000.0, "名", 2026)}
    assert people_first("超过300名乡村教师可参加心理健康培训") == [
        ("参加心理健康培训的乡村教师人数", ">", 300.0, None, "名")
    ]


def test_a_hepatitis_measure_named_in_full_takes_the_short_name():
    assert short_disease_names("乙型肝炎的母婴传播率") == "乙肝母婴传播率"
    assert short_disease_names("孕产妇梅毒检测率") == "孕产妇梅毒检测率"
    got = _keys("到2027年,丙型肝炎的抗体检测率达到90%以上。")
    assert got == {("丙肝抗体检测率", ">=", 90.0, "%", 2027)}
