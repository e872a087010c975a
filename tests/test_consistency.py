"""Consistency across plan levels: laxer targets and omitted indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from childplan_analysis.catalog.consistency import (
    COLUMNS,
    SUMMARY_COLUMNS,
    check_plans,
    comparable,
    laxer_reason,
    plan_kind,
    summarize,
)
from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.core.targets import Comparator as C
from childplan_analysis.core.targets import Target


def _plan(pid: str, level: str, parent: str | None, targets: list[dict]) -> dict:
    return {
        "id": pid, "title": pid, "region": pid, "level": level, "period": [2021, 2030],
        "parent": parent, "targets": [{"id": f"t{i}", **t} for i, t in enumerate(targets)],
    }


def _write(folder: Path, plan: dict) -> None:
    (folder / f"{plan['id']}.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    parent = _plan("nation", "national", None, [
        {"indicator": "infant_mortality", "comparator": "<", "value": 5.0, "unit": "‰", "year": 2030},
        {"indicator": "preschool_gross_enrolment", "comparator": "maintain_ge", "value": 90, "unit": "%", "year": 2030},
        {"indicator": "child_injury_mortality", "comparator": "relative_decrease_pct", "value": 20, "year": 2030, "baseline_year": 2020},
        {"indicator": "child_drowning_mortality", "comparator": "decrease", "year": 2030},
    ])
    child = _plan("county", "county", "nation", [
        # laxer: 6‰ allows more deaths than the nation's 5‰ (lower is better)
        {"indicator": "infant_mortality", "comparator": "<=", "value": 6.0, "unit": "‰", "year": 2030},
        # stricter: fine
        {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95, "unit": "%", "year": 2030},
        # laxer: a 10 % fall vs the nation's 20 %
        {"indicator": "child_injury_mortality", "comparator": "relative_decrease_pct", "value": 10, "year": 2030, "baseline_year": 2020},
        # an indicator the parent does not have: not an issue
        {"indicator": "neonatal_visit_rate", "comparator": ">=", "value": 90, "unit": "%", "year": 2030},
        # child_drowning_mortality omitted → missing_indicator
    ])
    orphan = _plan("island", "county", "no_such_parent", [
        {"indicator": "infant_mortality", "comparator": "<", "value": 50, "unit": "‰", "year": 2030},
    ])
    for p in (parent, child, orphan):
        _write(tmp_path, p)
    return tmp_path


def test_check_plans(folder: Path) -> None:
    df = check_plans(folder)
    assert list(df.columns) == COLUMNS
    got = sorted(zip(df.plan_id, df.parent_id, df.indicator, df.year, df.issue, strict=True))
    assert got == [
        ("county", "nation", "child_drowning_mortality", 2030, "missing_indicator"),
        ("county", "nation", "child_injury_mortality", 2030, "laxer_than_parent"),
        ("county", "nation", "infant_mortality", 2030, "laxer_than_parent"),
    ]
    assert dict(zip(df.issue, df.severity, strict=True)) == {"missing_indicator": "warning", "laxer_than_parent": "error"}
    row = df[df.indicator == "infant_mortality"].iloc[0]
    assert row.child_target == "≤6‰（2030年）"
    assert row.parent_target == "<5‰（2030年）"


def test_unit_conversion_before_comparing(tmp_path: Path) -> None:
    _write(tmp_path, _plan("nation", "national", None, [
        {"indicator": "infant_mortality", "comparator": "<", "value": 5.0, "unit": "‰", "year": 2030},
    ]))
    _write(tmp_path, _plan("county", "county", "nation", [
        {"indicator": "infant_mortality", "comparator": "<", "value": 0.45, "unit": "%", "year": 2030},
    ]))
    assert check_plans(tmp_path).empty


def test_parent_year_not_after_child_year(tmp_path: Path) -> None:
    _write(tmp_path, _plan("nation", "national", None, [
        {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 85, "unit": "%", "year": 2025},
        {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 90, "unit": "%", "year": 2030},
    ]))
    _write(tmp_path, _plan("county", "county", "nation", [
        # 2025 target compared with the parent's 2025 target only
        {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 88, "unit": "%", "year": 2025},
        {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 89, "unit": "%", "year": 2030},
    ]))
    df = check_plans(tmp_path)
    assert list(zip(df.year, df.parent_year, df.issue, strict=True)) == [(2030, 2030, "laxer_than_parent")]


def test_laxer_reason_polarity_and_directions() -> None:
    def t(**kw) -> Target:
        return Target(id="x", indicator="i", year=2030, **kw)

    assert laxer_reason(t(comparator=C.GE, value=80), t(comparator=C.GE, value=90), "higher")
    assert laxer_reason(t(comparator=C.GE, value=95), t(comparator=C.GE, value=90), "higher") is None
    assert laxer_reason(t(comparator=C.LE, value=4), t(comparator=C.LT, value=5), "lower") is None
    assert laxer_reason(t(comparator=C.AROUND, value=50), t(comparator=C.RANGE, value=45, value_high=55), "neutral") is None
    assert laxer_reason(t(comparator=C.AROUND, value=60), t(comparator=C.RANGE, value=45, value_high=55), "neutral")
    assert laxer_reason(t(comparator=C.INCREASE), t(comparator=C.DECREASE), "lower")
    assert laxer_reason(t(comparator=C.DECREASE), t(comparator=C.LT, value=5), "lower") is None


def test_invalid_catalog_is_skipped(folder: Path) -> None:
    (folder / "broken.yaml").write_text("id: [", encoding="utf-8")
    assert len(check_plans(folder)) == 3


def _titled(pid: str, title: str, parent: str | None, population: str = "children") -> dict:
    plan = _plan(pid, "province", parent, [
        {"indicator": "immunization_coverage", "comparator": ">=", "value": 90, "unit": "%", "year": 2025},
    ])
    return {**plan, "title": title, "population": population}


def test_plan_kind_and_comparability() -> None:
    def make(title: str, population: str = "children"):
        return plan_from_dict(_titled("p", title, None, population))

    assert plan_kind(make("吉林省推进儿童友好城市建设实施方案")) == "programme"
    assert plan_kind(make("某省儿童健康促进行动计划（2023—2025年）")) == "programme"
    # bracketed parts such as （征求意见稿） do not make a plan a programme
    assert plan_kind(make("大连市西岗区儿童发展规划（2021～2030年）（征求意见稿）")) == "development_plan"
    assert plan_kind(make("中国儿童发展纲要（2021—2030年）")) == "development_plan"
    nation = make("中国儿童发展纲要（2021—2030年）")
    assert comparable(make("某市儿童发展规划"), nation)[0]
    ok, why = comparable(make("某市妇女发展规划", "women"), nation)
    assert not ok and "population" in why


def test_programme_gets_no_missing_indicator_rows(folder: Path) -> None:
    _write(folder, _titled("friendly", "某省儿童友好城市建设实施方案", "nation"))
    df = check_plans(folder)
    assert "friendly" not in set(df.plan_id)
    full = check_plans(folder, all_missing=True)
    mine = full[full.plan_id == "friendly"]
    assert set(mine.issue) == {"missing_indicator"} and set(mine.severity) == {"info"}
    assert len(mine) == 4  # every indicator of the parent: the plan covers none of them
    summary = summarize(folder).set_index("plan_id")
    assert list(summary.reset_index().columns) == SUMMARY_COLUMNS
    assert (summary.loc["friendly", "comparable"], summary.loc["friendly", "not_compared"]) == (False, 4)
    assert (summary.loc["county", "laxer"], summary.loc["county", "missing"]) == (2, 1)
    assert "island" not in summary.index  # its parent is not in the folder
