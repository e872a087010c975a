"""Extraction from a plan text: sentences, milestones, the 专栏 table, drafts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from childplan_analysis.extract import (
    CSV_COLUMNS,
    dedupe,
    extract_targets,
    split_documents,
    write_draft,
)
from childplan_analysis.grammar import ParsedTarget
from childplan_analysis.plans import load_plan
from childplan_analysis.targets import Comparator as C

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def targets() -> list[ParsedTarget]:
    return extract_targets((DATA / "sample_plan.txt").read_text(encoding="utf-8"))


def _key(t: ParsedTarget) -> tuple:
    return (t.indicator, t.comparator, t.value, t.year)


def test_sentences_and_milestones(targets: list[ParsedTarget]) -> None:
    keys = [_key(t) for t in targets]
    assert keys[:6] == [
        ("neonatal_mortality", C.LE, 3.0, 2025),
        ("infant_mortality", C.LE, 5.0, 2025),
        ("under5_mortality", C.LE, 6.0, 2025),
        ("neonatal_mortality", C.LT, 2.5, 2030),
        ("infant_mortality", C.LT, 4.0, 2030),
        ("under5_mortality", C.LT, 5.0, 2030),
    ]
    assert ("immunization_coverage", C.MAINTAIN_GE, 95.0, 2030) in keys
    # a sentence broken over two lines is joined
    assert ("myopia_junior", C.LT, 60.0, 2030) in keys
    assert ("pediatric_beds_per_1000_children", C.GE, 3.2, 2030) in keys
    (rel,) = [t for t in targets if t.indicator == "child_injury_mortality"]
    assert (rel.comparator, rel.value, rel.baseline_year) == (C.RELATIVE_DECREASE_PCT, 20.0, 2020)


def test_preface_and_past_years_are_skipped(targets: list[ParsedTarget]) -> None:
    assert all(t.year is None or t.year >= 2021 for t in targets)
    assert not any(t.value == 4.2 for t in targets)


def test_articles(targets: list[ParsedTarget]) -> None:
    first = targets[0]
    assert first.article == "（一）儿童与健康 · 主要目标 1"
    beds = next(t for t in targets if t.indicator == "pediatric_beds_per_1000_children")
    assert beds.article == "（一）儿童与健康 · 策略措施 1"
    assert beds.clause.startswith("每千名儿童拥有儿科执业")


def test_indicator_table(targets: list[ParsedTarget]) -> None:
    table = [t for t in targets if t.article == "专栏一主要指标"]
    assert [(t.indicator, t.comparator, t.value, t.year) for t in table] == [
        ("maternal_mortality", C.LT, 12.0, 2025),
        ("maternal_mortality", C.LT, 10.0, 2030),
        ("preschool_gross_enrolment", C.GE, 90.0, 2025),
        ("preschool_gross_enrolment", C.GE, 95.0, 2030),
        ("child_drowning_mortality", C.DECREASE, None, 2025),
        ("child_drowning_mortality", C.DECREASE, None, 2030),
    ]
    assert [t.attribute for t in table] == ["binding", "binding", "expected", "expected", "binding", "binding"]
    assert table[0].responsible == ["县卫健委"]
    assert table[-1].responsible == ["县教育局", "县公安局"]
    assert table[0].unit == "1/10万"


def test_unknown_indicator_is_flagged(targets: list[ParsedTarget]) -> None:
    (t,) = [t for t in targets if t.indicator is None]
    assert t.indicator_zh == "儿童幸福指数测评率"
    assert "unknown_indicator" in t.flags


def test_dedupe_keeps_first() -> None:
    a = ParsedTarget(indicator="x", comparator=C.GE, value=1, year=2030, clause="a")
    b = a.model_copy(update={"clause": "b"})
    c = a.model_copy(update={"year": 2025})
    assert dedupe([a, b, c]) == [a, c]


def test_csv_draft(tmp_path: Path, targets: list[ParsedTarget]) -> None:
    path = write_draft(targets, tmp_path / "draft.csv", format="csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(targets)
    assert rows[0]["indicator"] == "neonatal_mortality"
    assert rows[0]["comparator"] == "<="
    assert float(rows[0]["value"]) == 3.0
    unknown = next(r for r in rows if r["indicator"] == "")
    assert unknown["indicator_zh"] == "儿童幸福指数测评率"
    assert unknown["flags"] == "unknown_indicator"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_yaml_draft_loads_once_unknowns_are_removed(tmp_path: Path, targets: list[ParsedTarget]) -> None:
    path = write_draft(targets, tmp_path / "draft.yaml", plan_id="sample_county")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT")
    raw = yaml.safe_load(text)
    unresolved = [t for t in raw["targets"] if str(t.get("note", "")).startswith("UNRESOLVED")]
    assert [t["indicator"] for t in unresolved] == ["儿童幸福指数测评率"]
    raw["targets"] = [t for t in raw["targets"] if t not in unresolved]
    clean = tmp_path / "clean.yaml"
    clean.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    plan = load_plan(clean)
    assert plan.id == "sample_county"
    assert len(plan.targets) == len(targets) - 1
    assert plan.target("maternal_mortality_2025").attribute == "binding"


def test_write_draft_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_draft([], tmp_path / "x.txt", format="xml")


def test_split_documents() -> None:
    text = "甲市妇女发展规划\n一、总体目标\n孕产妇死亡率控制在10/10万以下。\n甲市儿童发展规划\n一、总体目标\n婴儿死亡率控制在5‰以下。"
    docs = split_documents(text)
    assert len(docs) == 2
    assert docs[1].startswith("甲市儿童发展规划")
    assert split_documents("一、总体目标\n婴儿死亡率控制在5‰以下。") == ["一、总体目标\n婴儿死亡率控制在5‰以下。"]


def test_extract_never_raises_on_odd_text() -> None:
    assert extract_targets("") == []
    assert extract_targets("专栏一 主要指标\n指标\n2030年\n") == []
