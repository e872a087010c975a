"""A county's own plan as it arrives: a PDF with a running header on every page and its 主要指标
table restating the text's goals, and a goal the dictionary's indicator cannot take. The draft
loads, keeps every statement, and states each target once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from plan_documents import table_docx
from typer.testing import CliRunner

from childplan_analysis.catalog.extract import (
    REASON_UNKNOWN_INDICATOR,
    draft_catalog,
    extract_targets,
)
from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.catalog.plans import load_plan, plan_from_dict
from childplan_analysis.cli.app import app
from childplan_analysis.core.targets import Comparator as C
from childplan_analysis.io.documents import read_document, running_lines

HEADER = "柏溪区人民政府办公室"


def _pdf(path: Path, paragraphs: list[str], pad: int = 0) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=22, wordWrap="CJK")

    def furniture(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 9)
        canvas.drawString(60, A4[1] - 32, HEADER)
        canvas.drawCentredString(A4[0] / 2, 28, f"— {doc.page} —")

    story = []
    for k, text in enumerate(paragraphs):
        story.append(Paragraph(text, style))
        if k == 2 and pad:
            story.append(Spacer(1, pad))  # the next goals start on a new page
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


GOALS = [
    "柏溪区妇女发展规划（2021—2030年）",
    "一、妇女与健康",
    "主要目标：1.孕产妇死亡率控制在9/10万以下。",
    "2.适龄妇女宫颈癌人群筛查率达到75%以上。",
    "3.妇女常见病筛查率保持在92%以上。",
    "二、妇女与教育",
    "主要目标：1.女性平均受教育年限达到11.6年。",
]


def test_a_pdf_running_header_and_page_numbers_are_not_read_into_the_goals(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "柏溪区妇女发展规划.pdf", GOALS, pad=560)
    lines = read_document(path).as_text().splitlines()
    assert HEADER not in "".join(lines) and not any("—" in line and line.strip("— 0123456789") == "" for line in lines)
    assert "2.适龄妇女宫颈癌人群筛查率达到75%以上。" in lines  # the first goal of page 2 starts its own line
    clauses = {t.clause for t in extract_targets(path)}
    assert clauses and not any(HEADER in c for c in clauses)


def _line(text: str, top: float) -> dict:
    return {"text": text, "top": top, "x0": 60.0, "x1": 500.0}


def test_running_lines_are_those_at_an_edge_of_half_the_pages_but_not_a_repeated_table_header() -> None:
    head = "指标 单位 2025年 2030年"
    pages = [
        [_line("某县卫生健康局", 10), _line("一、主要目标", 50), _line("正文", 90), _line("第1页", 800)],
        [_line("某县卫生健康局", 10), _line(head, 50), _line("婴儿死亡率 ‰ 5 4", 70), _line("第2页", 800)],
        [_line("某县卫生健康局", 10), _line(head, 50), _line("孕产妇死亡率 1/10万 12 10", 70), _line("第3页", 800)],
    ]
    assert running_lines(pages) == [{0, 3}, {0, 3}, {0, 3}]
    # one page: nothing repeats
    assert running_lines(pages[:1]) == [set()]


def test_a_table_row_restating_a_text_goal_is_one_target_with_what_each_adds(tmp_path: Path) -> None:
    text = "\n".join([
        "柏溪区儿童发展规划（2021—2030年）",
        "一、儿童与教育",
        "主要目标：1.学前教育毛入园率达到并保持在93%以上。",
        "2.儿童伤害死亡率以2020年为基数下降25%。",
        "附表 主要指标",
        "序号\t指标\t单位\t2020年现状\t2030年目标\t属性\t责任单位",
        "1\t学前教育毛入园率\t%\t89.5\t93\t预期性\t区教育局",
        "2\t儿童伤害死亡率\t1/10万\t13.4\t下降25%\t约束性\t区卫健局、区公安分局",
    ])
    targets = extract_targets(table_docx(text, tmp_path / "plan.docx"))
    preschool = [t for t in targets if t.indicator == "preschool_gross_enrolment"]
    injury = [t for t in targets if t.indicator == "child_injury_mortality"]
    assert len(preschool) == 1 and len(injury) == 1
    (p,), (i,) = preschool, injury
    assert p.comparator == C.MAINTAIN_GE and p.attribute == "expected" and p.responsible == ["区教育局"]
    assert p.stated_baseline is not None and p.stated_baseline[1] == 89.5
    assert (i.comparator, i.value, i.baseline_year, i.attribute) == (C.RELATIVE_DECREASE_PCT, 25.0, 2020, "binding")
    assert i.responsible == ["区卫健局", "区公安分局"]


def test_two_different_aims_of_one_indicator_and_year_stay_two() -> None:
    from childplan_analysis.catalog.restated import merged_restatements

    text = ParsedTarget(indicator="preschool_gross_enrolment", comparator=C.GE, value=93.0, year=2030, unit="%")
    row = text.model_copy(update={"value": 95.0, "flags": ["assumed_comparator"]})
    ceiling = text.model_copy(update={"comparator": C.LE, "flags": ["assumed_comparator"]})
    assert len(merged_restatements([text, row, ceiling])) == 3


def test_a_goal_the_indicator_cannot_take_is_kept_unresolved_and_the_draft_loads(tmp_path: Path) -> None:
    counted = ParsedTarget(indicator="children_home_coverage", indicator_zh="儿童之家", comparator=C.GE,
                           value=12.0, unit="个", year=2025, clause="全区新建儿童之家12个。")
    share = ParsedTarget(indicator="children_home_coverage", indicator_zh="儿童之家覆盖率", comparator=C.GE,
                         value=95.0, unit="%", year=2030, clause="儿童之家覆盖率达到95%。")
    catalog, unresolved = draft_catalog([counted, share], plan_id="baixi", period=(2021, 2030))
    assert [t["clause"] for t in catalog["targets"]] == ["儿童之家覆盖率达到95%。"]
    (kept,) = unresolved
    assert kept["clause"] == "全区新建儿童之家12个。" and kept["phrase"] == "儿童之家" and kept["unresolved"] is True
    assert "'个'" in kept["reason"] and kept["indicator"] == "children_home_coverage"
    plan_from_dict(catalog)  # loads as it is


def test_init_on_such_a_plan_succeeds_and_names_what_it_set_aside(tmp_path: Path) -> None:
    plan = tmp_path / "柏溪区儿童发展规划.docx"
    table_docx("\n".join([
        "柏溪区儿童发展规划（2021—2030年）",
        "一、儿童与福利",
        "主要目标：1.儿童之家覆盖率达到95%以上。",
        "2.区级建立1所未成年人救助保护机构。",
    ]), plan)
    res = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(plan), "--current-year", "2024"],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    (draft,) = (tmp_path / "ws").glob("*.yaml")
    raw = yaml.safe_load(draft.read_text(encoding="utf-8"))
    load_plan(draft)
    assert any("救助保护机构" in e["clause"] for e in raw["unresolved"])
    for entry in raw["unresolved"]:  # what the loader refused is named on screen with its clause
        if entry["reason"] != REASON_UNKNOWN_INDICATOR:
            assert entry["clause"] in res.output.replace("\n", "")
    assert (tmp_path / "ws" / "data" / "填报表.xlsx").is_file()


def test_a_table_row_naming_the_text_goal_in_short_keeps_its_unit_and_attribute(tmp_path: Path) -> None:
    text = "\n".join([
        "柏溪区儿童发展规划（2021—2030年）",
        "一、儿童与健康",
        "主要目标：1.中小学生国家学生体质健康标准达标优良率2025年达到55%以上。",
        "附表 主要指标",
        "序号\t指标\t单位\t2020年现状\t2025年目标\t属性\t责任单位",
        "1\t中小学生体质健康达标优良率\t%\t47.2\t55\t预期性\t区教育体育局",
    ])
    (t,) = [t for t in extract_targets(table_docx(text, tmp_path / "plan.docx")) if t.indicator == "physical_fitness_good_rate"]
    assert (t.value, t.year, t.attribute, t.responsible) == (55.0, 2025, "expected", ["区教育体育局"])
    assert t.stated_baseline == (2020, 47.2)


def test_a_two_row_header_dates_the_milestones_under_a_merged_heading(tmp_path: Path) -> None:
    """``目标值`` merged over ``2025年 | 2030年`` (a Word table gives the merged cells' text in each
    row): the first target column is the 2025 milestone, not a second 2030 target."""
    text = "\n".join([
        "柏溪区妇女发展规划（2021—2030年）",
        "附表 主要监测指标",
        "序号\t指标名称\t2020年基数\t目标值\t目标值\t责任单位",
        "序号\t指标名称\t2020年基数\t2025年\t2030年\t责任单位",
        "1\t社区居委会成员中女性比例（%）\t47.5\t≥48\t≥50\t区民政局",
        "2\t村委会主任中女性比例（%）\t7.9\t≥9\t≥11\t区民政局",
    ])
    got = {(t.indicator, t.year, t.value) for t in extract_targets(table_docx(text, tmp_path / "p.docx"))}
    assert got == {("female_share_residents_committee", 2025, 48.0), ("female_share_residents_committee", 2030, 50.0),
                   ("female_share_village_committee_directors", 2025, 9.0),
                   ("female_share_village_committee_directors", 2030, 11.0)}


def test_the_years_row_under_empty_merged_cells_is_read_as_the_header_too() -> None:
    text = "\n".join([
        "柏溪区妇女发展规划（2021—2030年）",
        "| 指标 | 2020年 | 规划目标 | 规划目标 |",
        "|  |  | 2025年 | 2030年 |",
        "| 村委会主任中女性比例（%） | 7.9 | ≥9 | ≥11 |",
    ])
    got = {(t.year, t.value) for t in extract_targets(text)}
    assert got == {(2025, 9.0), (2030, 11.0)}


@pytest.mark.parametrize("phrase, expected", [
    ("女性高级专业技术人员比例", "female_share_senior_professionals"),
    ("女性人大代表比例", "female_share_peoples_congress_deputies"),
    ("女性就业人员占全社会就业人员比重", "female_share_employment"),  # a share of one group in another stays as it is
])
def test_a_share_of_women_written_with_women_first_is_the_same_share(phrase: str, expected: str) -> None:
    from childplan_analysis.catalog.resolve import resolve_indicator
    from childplan_analysis.core.indicators import load_indicators

    assert resolve_indicator(phrase, load_indicators()).id == expected


def test_a_notice_page_whose_plan_is_an_attachment_says_so_and_names_the_file(tmp_path: Path) -> None:
    page = tmp_path / "通知.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><title>关于印发《梧岗县妇女发展规划（2021—2030年）》的通知</title></head>'
        '<body><div class="nav"><a href="/a.pdf">网站使用说明.pdf</a></div><div class="content">'
        "<p>各镇人民政府，县直各单位：</p><p>现将《梧岗县妇女发展规划（2021—2030年）》印发给你们，请认真组织实施。</p>"
        '<p>附件：<a href="/files/2022/gh.docx">梧岗县妇女发展规划（2021—2030年）</a></p>'
        "<p>梧岗县人民政府</p><p>2022年1月5日</p></div></body></html>", encoding="utf-8")
    doc = read_document(page)
    assert doc.attachments == ["梧岗县妇女发展规划（2021—2030年） (/files/2022/gh.docx)"]  # not the menu's file
    res = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(page)], env={"COLUMNS": "200"})
    out = res.output.replace("\n", "")
    assert res.exit_code == 1
    assert "没有找到可监测的目标" in out and "/files/2022/gh.docx" in out
    assert "not a valid plan catalog" not in out and "at least 1 item" not in out
    (draft,) = (tmp_path / "ws").glob("*.yaml")  # kept for the analyst to complete
    assert not (tmp_path / "ws" / "data" / "填报表.xlsx").exists()
    res = CliRunner().invoke(app, ["extract-targets", str(page)], env={"COLUMNS": "200"})
    assert res.exit_code == 1 and "/files/2022/gh.docx" in res.output.replace("\n", "")
    res = CliRunner().invoke(app, ["init", str(tmp_path / "ws")], env={"COLUMNS": "200"})  # run again as it is
    assert res.exit_code == 1 and "目标清单中没有目标" in res.output.replace("\n", "")
    assert "at least 1 item" not in res.output
