from pathlib import Path

import pytest
import yaml

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.core import config
from childplan_analysis.core.errors import PlanError
from childplan_analysis.core.targets import Comparator


def test_national_plan_loads_with_clauses():
    plan = load_plan(config.NATIONAL_PLAN_FILE)
    assert plan.level == "national"
    assert len(plan.targets) >= 15
    assert all(t.clause and t.article for t in plan.targets)
    nm = plan.target("neonatal_mortality_2030")
    assert (nm.comparator, nm.value, nm.unit, nm.year) == (Comparator.LE, 3.0, "‰", 2030)  # 降至3.0‰以下 includes 3.0


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _plan(**targets_kw):
    target = {"id": "a", "indicator": "infant_mortality", "comparator": "<=", "value": 5, "year": 2030}
    target.update(targets_kw)
    return {"id": "p", "title": "T", "region": "R", "level": "county", "period": [2021, 2030],
            "targets": [target]}


def test_error_names_yaml_path_of_bad_field(tmp_path):
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, _plan(year="never")))
    assert "targets[0].year" in str(exc.value)
    assert str(tmp_path / "plan.yaml") in str(exc.value)


def test_unknown_indicator_and_comparator_are_reported(tmp_path):
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, _plan(indicator="婴儿死忙率")))
    assert "targets[0].indicator" in str(exc.value)
    assert "infant_mortality" in str(exc.value)
    with pytest.raises(PlanError, match=r"targets\[0\]\.comparator"):
        load_plan(_write(tmp_path, _plan(comparator="about")))


def test_missing_value_baseline_and_duplicate_ids(tmp_path):
    with pytest.raises(PlanError, match="needs a value"):
        load_plan(_write(tmp_path, _plan(value=None)))
    with pytest.raises(PlanError, match="needs baseline_year"):
        load_plan(_write(tmp_path, _plan(comparator="relative_decrease_pct", value=20)))
    data = _plan()
    data["targets"].append(dict(data["targets"][0]))
    with pytest.raises(PlanError, match="duplicate target id"):
        load_plan(_write(tmp_path, data))


def test_target_in_other_rate_unit_is_converted(tmp_path):
    plan = load_plan(_write(tmp_path, _plan(value=0.5, unit="%")))
    assert plan.targets[0].value == pytest.approx(5.0)
    assert plan.targets[0].unit == "‰"


def test_incompatible_unit_is_an_error(tmp_path):
    with pytest.raises(PlanError, match=r"targets\[0\]\.unit"):
        load_plan(_write(tmp_path, _plan(unit="张")))


def test_not_yaml_and_not_mapping(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_plan(bad)
    bad.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(PlanError, match="expected a mapping"):
        load_plan(bad)


def test_describe_writes_per_100000_units_as_published(tmp_path):
    plan = load_plan(_write(tmp_path, _plan(indicator="maternal_mortality", comparator="<", value=12, unit="1/10万")))
    assert plan.targets[0].describe() == "<12/10万（2030年）"
    assert plan.targets[0].describe("en") == "<12/10万 (2030)"


def test_a_catalog_larger_than_the_limit_is_refused_by_size(tmp_path, monkeypatch):
    from childplan_analysis.core import config as cfg

    path = tmp_path / "huge.yaml"
    path.write_text("id: x\n" + "# padding\n" * 2000, encoding="utf-8")
    monkeypatch.setattr(cfg, "MAX_PLAN_BYTES", 10_000)
    with pytest.raises(PlanError, match="larger than the"):
        load_plan(path)


def test_a_large_catalog_is_read_with_every_target(tmp_path):
    import yaml

    raw = yaml.safe_load(config.NATIONAL_PLAN_FILE.read_text(encoding="utf-8"))
    targets = [dict(t, id=f"{t['id']}_{i}") for i in range(40) for t in raw["targets"]]
    path = tmp_path / "large.yaml"
    path.write_text(yaml.safe_dump({**raw, "targets": targets}, allow_unicode=True), encoding="utf-8")
    plan = load_plan(path)
    assert len(plan.targets) == len(targets)
    assert plan.targets[-1].id == targets[-1]["id"]

def _two_targets(first_id: str, second_id: str) -> dict:
    data = _plan()
    data["targets"].append({**data["targets"][0], "id": second_id, "year": 2025})
    data["targets"][0]["id"] = first_id
    return data


@pytest.mark.parametrize("first, second", [("IMR_2030", "imr_2030"), ("imr_2030", "imr\u200b_2030"),
                                           ("ｉｍｒ_2030", "IMR_2030")])
def test_ids_differing_only_by_case_or_invisible_characters_are_an_error(tmp_path, first, second):
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, _two_targets(first, second)))
    assert exc.value.problems == [("targets[1].id", f"target ids {first!r} (targets[0].id) and {second!r} "
                                   "(targets[1].id) differ only by letter case or invisible characters")]


def test_ids_and_region_are_normalised_with_a_warning_for_the_region(tmp_path):
    data = _two_targets("imr\u200b_2030", "ｉｍｒ_2025")
    data["region"] = "磐石市\u200b"
    with pytest.warns(UserWarning, match=r"region '磐石市\\u200b' read as '磐石市'"):
        plan = load_plan(_write(tmp_path, data))
    assert [t.id for t in plan.targets] == ["imr_2030", "imr_2025"] and plan.region == "磐石市"
    assert plan.target("imr_2030").year == 2030


def test_a_catalog_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    path = _write(tmp_path, _plan())
    monkeypatch.setattr(config, "MAX_PLAN_BYTES", path.stat().st_size - 1)
    with pytest.raises(PlanError, match=r"<file>: 0\.0 MB, larger than the .* MB a plan catalog may have"):
        load_plan(path)


def test_a_large_catalog_with_unknown_indicators_reports_every_one(tmp_path):
    data = _plan()
    data["targets"] = [{**data["targets"][0], "id": f"t{i}", "indicator": f"未知指标{i}"} for i in range(300)]
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, data))
    assert [p for p, _ in exc.value.problems] == [f"targets[{i}].indicator" for i in range(300)]
    assert all(m.startswith(f"unknown indicator '未知指标{i}'") for i, (_, m) in enumerate(exc.value.problems))


def test_one_indicator_named_many_ways_in_many_units_converts_each_target(tmp_path):
    # the indicator, its unit and the conversion are looked up once per distinct spelling: each
    # target still gets its own conversion, and every bad one is reported
    base = {"comparator": "<=", "year": 2030}
    rows = [("infant_mortality", 5, "‰"), ("婴儿死亡率", 0.5, "%"), ("1岁以下婴儿死亡率", 50, "1/万"),
            ("婴儿死亡率", 0.4, "％"), ("infant_mortality", 4, None), ("孕产妇死亡比", 12, "1/10万"),
            ("孕产妇死亡率", 0.012, "%"), ("infant_mortality", 3, "人"), ("婴儿死亡率", 2, "人")]
    data = _plan()
    data["targets"] = [{**base, "id": f"t{i}", "indicator": ind, "value": v, **({"unit": u} if u else {})}
                       for i, (ind, v, u) in enumerate(rows)]
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, data))
    assert exc.value.problems == [("targets[7].unit", "unit '人' cannot be converted to '‰' (infant_mortality)"),
                                  ("targets[8].unit", "unit '人' cannot be converted to '‰' (infant_mortality)")]
    data["targets"] = data["targets"][:7]
    plan = load_plan(_write(tmp_path, data))
    got = [(t.indicator, t.value, t.unit) for t in plan.targets]
    assert got == [("infant_mortality", pytest.approx(v), "‰") for v in (5, 5, 5, 4, 4)] + [
        ("maternal_mortality", pytest.approx(12), "1/10万")] * 2


CATALOG_LINES = ["id: p", "title: T", "region: R", "level: county", "period: [2021, 2030]", "source: 《规划》",
                 "targets:", "- id: a", "  indicator: infant_mortality", "  comparator: <=", "  value: 5",
                 "  year: 2030", "  clause: 到2030年，婴儿死亡率降至5‰以下。"]


@pytest.mark.parametrize("key, text, words", [
    ("source", "2021-02-30", "'2021-02-30' cannot be read as timestamp"),
    ("  value", "9" * 5000, "cannot be read as int"),
    ("  value", "!!python/object/apply:os.system ['true']", "is not allowed (only plain YAML data)"),
    ("  clause", "!!set {a, b}", "tag 'tag:yaml.org,2002:set' is not allowed"),
])
def test_a_value_yaml_cannot_hold_is_a_plan_error_naming_the_line(tmp_path, key, text, words):
    lines = list(CATALOG_LINES)
    line = next(i for i, x in enumerate(lines) if x.startswith(key + ":"))
    lines[line] = f"{key}: {text}"
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as exc:
        load_plan(path)
    [(where, message)] = exc.value.problems
    assert where == "<yaml>" and words in message
    assert f'in "{path}", line {line + 1}, column {len(key) + 3}' in message


def test_the_catalog_used_above_loads(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(CATALOG_LINES) + "\n", encoding="utf-8")
    assert load_plan(path).targets[0].clause == "到2030年，婴儿死亡率降至5‰以下。"
