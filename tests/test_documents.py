"""Plan documents: Word, PDF, saved web pages and text, read with their tables, and drafts
that take the plan's identity from the document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from childplan_analysis.catalog.extract import extract_targets, plan_info
from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.core.errors import DataError
from childplan_analysis.core.targets import Comparator as C
from childplan_analysis.io.documents import read_document

TITLE = "青禾县儿童发展规划（2021—2030年）"
BODY = [
    "一、总体目标",
    "（一）儿童与健康",
    "主要目标：",
    "1.新生儿死亡率降至2‰以下，5岁以下儿童死亡率控制在5‰以内。",
    "2.孕产妇系统管理率保持在95%以上。",
]
TABLE = [
    ["序号", "指标名称", "单位", "2020年基数", "2025年目标", "2030年目标", "指标属性", "责任单位"],
    ["1", "婴儿死亡率", "‰", "4.5", "<4", "<3.5", "约束性", "县卫健局"],
    ["2", "学前教育毛入园率", "%", "88", "≥90", "≥95", "预期性", "县教育局"],
]
EXPECTED = {
    ("neonatal_mortality", C.LE, 2.0, 2030),
    ("under5_mortality", C.LE, 5.0, 2030),
    ("maternal_systematic_management", C.MAINTAIN_GE, 95.0, 2030),
    ("infant_mortality", C.LT, 4.0, 2025),
    ("infant_mortality", C.LT, 3.5, 2030),
    ("preschool_gross_enrolment", C.GE, 90.0, 2025),
    ("preschool_gross_enrolment", C.GE, 95.0, 2030),
}


def _keys(targets) -> set[tuple]:
    return {(t.indicator, t.comparator, t.value, t.year) for t in targets}


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE)
    for line in BODY:
        d.add_paragraph(line)
    d.add_paragraph("专栏1 主要指标")
    table = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("二、组织实施")
    d.add_paragraph("（一）加强组织领导。")
    d.save(str(path))
    return path


def make_pdf(path: Path, ruled: bool = True) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=15, wordWrap="CJK")
    table = Table(TABLE)
    grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else []
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), *grid]))
    story = [Paragraph(TITLE, style), *(Paragraph(x, style) for x in BODY),
             Paragraph("专栏1 主要指标", style), table, Paragraph("二、组织实施", style)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def make_html(path: Path) -> Path:
    rows = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in TABLE)
    body = "".join(f"<p>{x}</p>" for x in BODY)
    path.write_text(
        "<html><head><meta charset='utf-8'><title>关于印发青禾县儿童发展规划的通知_青禾县人民政府</title>"
        "<script>var menu = '婴儿死亡率降至1‰以下';</script></head><body>"
        "<div class='nav'><a>首页</a> | <a>政务公开</a> 孕产妇死亡率控制在1/10万以下</div>"
        "<div class='position'>当前位置：首页 &gt; 政策文件</div>"
        f"<div id='zoom'><p style='text-align:center'>{TITLE}</p>{body}<p>专栏1 主要指标</p>"
        f"<table>{rows}</table><p>二、组织实施</p></div>"
        "<div class='footer'>版权所有：青禾县人民政府 主办</div></body></html>",
        encoding="utf-8",
    )
    return path


MAKERS = {"docx": make_docx, "pdf": make_pdf, "html": make_html,
          "pdf-borderless": lambda path: make_pdf(path.with_suffix(".pdf"), ruled=False)}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_documents_give_text_and_indicator_table(tmp_path: Path, kind: str) -> None:
    path = MAKERS[kind](tmp_path / f"plan.{kind}")
    doc = read_document(path)
    assert TABLE[1][1] in [row[1] for table in doc.tables for row in table]
    got = extract_targets(path)
    assert EXPECTED <= _keys(got), EXPECTED - _keys(got)
    table_rows = [t for t in got if t.article and t.article.startswith("专栏")]
    assert {t.responsible[0] for t in table_rows} == {"县卫健局", "县教育局"}
    assert {t.attribute for t in table_rows} == {"binding", "expected"}


def test_web_page_furniture_is_not_read(tmp_path: Path) -> None:
    doc = read_document(make_html(tmp_path / "plan.html"))
    text = doc.as_text()
    assert "首页" not in text and "版权所有" not in text and "var menu" not in text
    assert text.splitlines()[0] == TITLE
    assert not any(t.value == 1.0 for t in extract_targets(tmp_path / "plan.html"))


def test_text_file_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(("\n".join([TITLE, *BODY]) + "\n").encode("gb18030"))
    assert ("neonatal_mortality", C.LE, 2.0, 2030) in _keys(extract_targets(path))


def test_unsupported_and_unreadable_files_name_the_file(tmp_path: Path) -> None:
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match="plan.doc.*另存为 .docx"):
        read_document(old)
    for name, advice in (("规划.wps", "另存为 .docx"), ("规划.ofd", "另存为 PDF")):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0" if name.endswith("wps") else b"PK\x03\x04")
        with pytest.raises(DataError, match=f"{name}.*{advice}"):
            read_document(tmp_path / name)
    broken = tmp_path / "plan.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="plan.docx"):
        read_document(broken)


@pytest.mark.parametrize("content", ["", "\n  \n\t\n"])
def test_a_document_without_text_is_an_error_not_an_empty_draft(tmp_path: Path, content: str) -> None:
    blank = tmp_path / "规划.txt"
    blank.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match="规划.txt.*no text"):
        read_document(blank)
    res = CliRunner().invoke(app, ["extract-targets", str(blank)])
    assert res.exit_code != 0 and "no text" in res.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{TITLE}\n一、总体目标", ("青禾县", "county", (2021, 2030), "qinghe_children_2021_2030")),
        ("关于印发《松江市妇女发展规划（2021-2030年）》的通知\n各区人民政府：",
         ("松江市", "city", (2021, 2030), "songjiang_women_2021_2030")),
        ("河阳省“十四五”儿童发展规划\n一、发展基础", ("河阳省", "province", (2021, 2025), "heyang_children_2021_2025")),
        ("白石市桐溪区儿童发展规划\n（2021—2030年）\n前言", ("白石市桐溪区", "county", (2021, 2030), "tongxi_children_2021_2030")),
        ("中国儿童发展纲要（2021—2030年）", ("全国", "national", (2021, 2030), "national_children_2021_2030")),
    ],
)
def test_plan_identity_from_the_document(text: str, expected: tuple) -> None:
    info = plan_info(text)
    assert (info.region, info.level, info.period, info.id) == expected


def test_extract_targets_cli_on_docx_with_own_indicators(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "plan.docx")
    import docx

    d = docx.Document(str(path))
    d.add_paragraph("（二）儿童与福利")
    d.add_paragraph("主要目标：")
    d.add_paragraph("1.儿童之家专职管理员配备率达到90%以上，儿童幸福指数测评率达到80%以上。")
    d.save(str(path))
    own = tmp_path / "my_indicators.yaml"
    own.write_text(yaml.safe_dump({"indicators": [{
        "id": "children_home_keeper_rate", "name_zh": "儿童之家专职管理员配备率", "name_en": "Children's home keepers",
        "unit": "%", "polarity": "higher", "bounds": [0, 100], "domain": "welfare",
    }]}, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "draft.yaml"
    res = CliRunner().invoke(app, ["extract-targets", str(path), "--indicators", str(own), "-o", str(out)],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    raw = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (raw["id"], raw["region"], raw["level"], raw["period"]) == ("qinghe_children_2021_2030", "青禾县", "county", [2021, 2030])
    assert raw["title"] == TITLE
    assert any(t["indicator"] == "children_home_keeper_rate" and t["value"] == 90 for t in raw["targets"])
    (unknown,) = raw["unresolved"]
    assert (unknown["indicator"], unknown["phrase"], unknown["unresolved"]) == (None, "儿童幸福指数测评率", True)
    # without the analyst's dictionary the same phrase is unresolved, and kept
    res = CliRunner().invoke(app, ["extract-targets", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    phrases = [u["phrase"] for u in yaml.safe_load(out.read_text(encoding="utf-8"))["unresolved"]]
    assert "儿童之家专职管理员配备率" in phrases


def test_docx_draft_loads_as_a_plan(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    res = CliRunner().invoke(app, ["extract-targets", str(make_pdf(tmp_path / "plan.pdf")), "-o", str(out)])
    assert res.exit_code == 0, res.output
    plan = load_plan(out)
    assert (plan.id, plan.region, plan.level) == ("qinghe_children_2021_2030", "青禾县", "county")
    assert len(plan.targets) >= len(EXPECTED)


# ------------------------------------------- the analyst's dictionary in validate / assess / report

OWN_INDICATOR = {
    "id": "baobaowu_coverage", "name_zh": "街镇宝宝屋覆盖率", "name_en": "Community childcare rooms (宝宝屋)",
    "aliases": ["宝宝屋覆盖率"], "unit": "%", "polarity": "higher", "bounds": [0, 100], "domain": "welfare",
}


def _own_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    own = tmp_path / "own.yaml"
    own.write_text(yaml.safe_dump({"indicators": [OWN_INDICATOR]}, allow_unicode=True), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({
        "id": "shanghai_children_2021_2025", "title": "上海市儿童发展“十四五”规划", "region": "上海市",
        "level": "province", "period": [2021, 2025], "population": "children",
        "targets": [{"id": "t01", "indicator": "baobaowu_coverage", "comparator": ">=", "value": 85, "unit": "%", "year": 2025}],
    }, allow_unicode=True), encoding="utf-8")
    data = tmp_path / "data.csv"
    rows = "".join(f"上海市,街镇宝宝屋覆盖率,{y},{v}\n" for y, v in ((2021, 30), (2022, 45), (2023, 60), (2024, 72)))
    data.write_text("region,indicator,year,value\n" + rows, encoding="utf-8")
    return own, plan, data


def test_own_indicators_in_validate_assess_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHILDPLAN_INDICATORS", "")  # restored after the test
    own, plan, data = _own_files(tmp_path)
    runner = CliRunner()
    # without the analyst's dictionary the rows are rejected and the plan is invalid
    res = runner.invoke(app, ["validate", str(data)], env={"COLUMNS": "200"})
    assert res.exit_code == 1 and "街镇宝宝屋覆盖率" in res.output
    assert runner.invoke(app, ["assess", str(plan), str(data)]).exit_code == 2
    # with it every row loads and the target is assessed
    res = runner.invoke(app, ["validate", str(data), "--indicators", str(own)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    out = tmp_path / "results.csv"
    res = runner.invoke(app, ["assess", str(plan), str(data), "--indicators", str(own), "--out", str(out)])
    assert res.exit_code == 0, res.output
    import pandas as pd

    (row,) = pd.read_csv(out).itertuples()
    assert (row.indicator, row.last_year, row.last_value) == ("baobaowu_coverage", 2024, 72.0)
    # the next command without --indicators is back to the package dictionary
    assert runner.invoke(app, ["validate", str(data)]).exit_code == 1


def test_a_working_folder_keeps_the_own_dictionary_for_every_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``init --indicators FILE`` copies the dictionary into the folder; validate and assess run
    there without the option resolve the plan's own indicator and load its rows."""
    monkeypatch.setenv("CHILDPLAN_INDICATORS", "")
    own, plan, data = _own_files(tmp_path)
    folder = tmp_path / "shanghai"
    runner = CliRunner()
    res = runner.invoke(app, ["init", str(folder), "--plan", str(plan), "--indicators", str(own)])
    assert res.exit_code == 0, res.output
    assert yaml.safe_load((folder / "indicators.yaml").read_text(encoding="utf-8"))["indicators"][0]["id"] == \
        "baobaowu_coverage"
    (folder / "data" / "填报表.xlsx").unlink()
    (folder / "data" / "data.csv").write_text(data.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(folder)
    res = runner.invoke(app, ["validate"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "4 loaded, 0 rejected" in res.output
    res = runner.invoke(app, ["assess", "--out", "results.csv"])
    assert res.exit_code == 0, res.output
    import pandas as pd

    (row,) = pd.read_csv(folder / "results.csv").itertuples()
    assert (row.indicator, row.last_value) == ("baobaowu_coverage", 72.0)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # outside the folder the package dictionary alone is used again
    assert runner.invoke(app, ["validate", str(data)]).exit_code == 1


def test_own_indicators_file_errors_name_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHILDPLAN_INDICATORS", "")
    own, plan, data = _own_files(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators: 3\n", encoding="utf-8")
    for cmd in (["validate", str(data)], ["assess", str(plan), str(data)], ["report", "--plan", str(plan)]):
        res = CliRunner().invoke(app, [*cmd, "--indicators", str(bad)], env={"COLUMNS": "200"})
        assert res.exit_code == 2, res.output
        assert "bad.yaml" in res.output and "--indicators" in res.output
    res = CliRunner().invoke(app, ["report", "--plan", str(plan), "--indicators", str(tmp_path / "none.yaml")])
    assert res.exit_code == 2 and "none.yaml" in res.output


def test_pdf_paragraph_wrapped_over_lines_is_read_as_one(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    long_goal = ("主要目标：1.孕产妇死亡率控制在12/10万以下，适龄妇女宫颈癌人群筛查率达到70%以上，"
                 "妇女常见病筛查率达到90%以上，生育保险参保人数逐年增加，女性基本养老保险参保率达到95%。")
    path = tmp_path / "plan.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph(x, style) for x in ("柳溪县妇女发展规划（2021—2030年）", "四、妇女与社会保障", long_goal, "五、组织实施")])
    lines = read_document(path).as_text().splitlines()
    assert long_goal in lines and "四、妇女与社会保障" in lines and "五、组织实施" in lines
    got = {(t.indicator_zh, t.value) for t in extract_targets(path)}
    assert {("女性基本养老保险参保率", 95.0), ("生育保险参保人数", None), ("妇女常见病筛查率", 90.0)} <= got


def test_a_text_plan_cut_inside_its_last_character_is_read(tmp_path: Path) -> None:
    text = f"{TITLE}\n一、儿童与健康\n1.新生儿死亡率降至2.8‰以下。\n2.儿童之家覆盖率达到95%以上"
    path = tmp_path / "cut.txt"
    path.write_bytes(text.encode("utf-8")[:-1])  # a copy stopped inside the last character (上)
    document = read_document(path)
    assert document.text.endswith("达到95%以")
    assert "neonatal_mortality" in {t.indicator for t in extract_targets(document)}


def test_a_text_plan_in_no_known_encoding_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "乱码.txt"
    path.write_bytes(bytes(range(128, 256)) * 20)
    try:
        document = read_document(path)
    except DataError as exc:
        assert "乱码.txt" in str(exc)
    else:  # a detector that guesses some single-byte encoding gives text with no target, never a crash
        assert extract_targets(document) == []


def test_plan_documents_over_a_limit_are_refused_naming_the_file(tmp_path: Path, monkeypatch) -> None:
    import zipfile

    from childplan_analysis.core import config
    from childplan_analysis.core.errors import LimitError

    long = tmp_path / "长文.txt"
    long.write_text(f"{TITLE}\n" + "1.新生儿死亡率降至2.8‰以下。\n" * 200, encoding="utf-8")
    monkeypatch.setattr(config, "MAX_DOCUMENT_CHARS", 1_000)
    with pytest.raises(LimitError, match="长文.txt.*MAX_DOCUMENT_CHARS"):
        read_document(long)
    monkeypatch.setattr(config, "MAX_DOCUMENT_CHARS", 5_000_000)

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * (8 * 2**20) + "</w:document>")
    with pytest.raises(LimitError, match="bomb.docx.*MAX_EXPANSION_RATIO"):
        read_document(bomb)

    pdf = make_pdf(tmp_path / "plan.pdf")
    monkeypatch.setattr(config, "MAX_DOCUMENT_PAGES", 0)
    with pytest.raises(LimitError, match="plan.pdf.*MAX_DOCUMENT_PAGES"):
        read_document(pdf)
    res = CliRunner().invoke(app, ["extract-targets", str(pdf)])
    assert res.exit_code != 0 and "MAX_DOCUMENT_PAGES" in res.output


def test_a_page_labelled_gb2312_reads_its_dashes_as_the_browser_does(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="gb2312"><title>柳溪县儿童发展规划（2021—2030年）</title></head><body>'
            '<div class="content"><p>柳溪县儿童发展规划（2021—2030年）</p>'
            '<p>1．0—6岁儿童眼保健和视力检查覆盖率达到90%以上。</p></div></body></html>')
    path = tmp_path / "plan.html"
    path.write_bytes(page.encode("gb18030"))  # what such sites send: GBK bytes under a gb2312 label
    doc = read_document(path)
    assert "（2021—2030年）" in doc.text and "―" not in doc.text
    info = plan_info(doc.text, doc.title)
    assert info.period == (2021, 2030) and info.title == "柳溪县儿童发展规划（2021—2030年）"
