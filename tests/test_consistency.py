"""Consistency across plan levels: laxer targets and omitted indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from childplan_analysis.consistency import COLUMNS, check_plans, laxer_reason
from childplan_analysis.targets import Comparator as C
from childplan_analysis.targets import Target


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
