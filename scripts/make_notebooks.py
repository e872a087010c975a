"""Write the notebooks in notebooks/ from the cell sources below (no outputs, no execution counts).

Run ``python scripts/make_notebooks.py`` after editing a cell here; ``--check`` exits 1 if a
committed notebook differs from what this script would write. Notebooks stay thin: every
computation is in ``childplan_analysis``; the last code cell of each holds assertions on the
numbers that must hold for any plan and data (nbval executes them in CI).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
HIDDEN = {"tags": ["remove-cell"]}  # removed from exported reports
PARAMS = {"tags": ["parameters"]}


def code(source: str, **metadata) -> nbformat.NotebookNode:
    return new_code_cell(source.strip("\n"), metadata=metadata)


def note(source: str) -> nbformat.NotebookNode:
    return new_markdown_cell(source.strip("\n"), metadata=HIDDEN)


REGION_REPORT = [
    note("""
# 年度监测统计报告 / Annual monitoring report

Run by `childplan report` (papermill) for each plan and region; edit the parameters cell to run
it by hand. This note and all code are left out of the exported report.
"""),
    code("""
# Parameters (papermill)
plan_path = "../params/national_children_2021_2030.yaml"
data_path = "../data/national"
region = None   # None: the plan's own region if the data have it, else every region in the data
as_of = None    # None: the latest year in the data
lang = "zh"     # "zh" or "en"
results_path = None  # an assessment already made (parquet, e.g. by a batch worker): shown, not redone
previous_path = None  # the previous report's results (results_<year>.parquet): changes are listed
""", **PARAMS),
    code("""
from childplan_analysis.report import notebook as nb
from childplan_analysis.report.labels import t

ctx = nb.prepare_report(plan_path, data_path, region=region, as_of=as_of, lang=lang,
                        results_path=results_path, previous_path=previous_path)
ctx.show_heading(t("annual", lang))
"""),
    code("""
ctx.section("summary_title")
ctx.show_overview()
ctx.show_changes()
"""),
    code("""
ctx.section("warnings_title")
ctx.show_warnings()
ctx.show_changes_table()
"""),
    code("""
ctx.section("scorecard_title")
ctx.show_status_bar()
ctx.show_summary(chart=False)
ctx.show_scorecard()
"""),
    code("""
ctx.section("charts_title")
ctx.show_charts()
"""),
    code("""
ctx.section("gaps_title")
ctx.show_gaps()
ctx.show_subregions()
"""),
    code("""
ctx.section("quality_title")
ctx.show_quality()
"""),
    code("""
# Checks that must hold for every report
res = ctx.results
assert len(res) == len(ctx.plan.targets) * len(ctx.regions)
assert res["p_meet"].dropna().between(0, 1).all()
assert (res.loc[res["status"] == "insufficient_data", "reason"] != "").all()
warned = res[res["warnings"] != ""]
assert (warned["warning_level"] != "green").all(), "every warning raises the level above green"
assert res.loc[res["status"] == "regressing", "warning_level"].eq("red").all()
assert len(ctx.charts()) == int((res["n_points"] > 0).sum())
""", **HIDDEN),
]

EVALUATION = [
    note("""
# 中期 / 终期评估报告 — Mid-term / final evaluation

`stage` is `midterm` (assessed as of the middle of the plan period, 2025 for 2021–2030) or
`final` (the last year, 2030) — or as of the latest year in the data if that is earlier. 达标率 = targets achieved ÷ targets that can be monitored.
"""),
    code("""
# Parameters (papermill)
plan_path = "../params/national_children_2021_2030.yaml"
data_path = "../data/national"
stage = "midterm"   # "midterm" or "final"
region = None
as_of = None        # None: the stage year of the plan
lang = "zh"
params_dir = None   # where the parent plan's catalog is (None: beside plan_path)
""", **PARAMS),
    code("""
from childplan_analysis.report import notebook as nb
from childplan_analysis.report.labels import t

ctx = nb.prepare_evaluation(plan_path, data_path, stage=stage, region=region, as_of=as_of, lang=lang,
                            params_dir=params_dir)
ctx.show_heading(ctx.stage_title())
"""),
    code("""
ctx.section("attainment_title")
ctx.show_attainment()
ctx.show_summary(attainment=False)
"""),
    code("""
ctx.section("met_early_title")
ctx.show_met_early()
"""),
    code("""
ctx.section("at_risk_title")
ctx.show_at_risk()
"""),
    code("""
ctx.section("regressing_title")
ctx.show_regressing()
"""),
    code("""
ctx.section("parent_title")
ctx.show_parent()
"""),
    code("""
# Checks that must hold for every evaluation
from childplan_analysis import attainment_rate
from childplan_analysis.report.build import at_risk, met_early, stage_year

res = ctx.results
assert (ctx.year == as_of) if as_of is not None else (ctx.year <= stage_year(ctx.plan, stage))
overall = attainment_rate(res).iloc[0]
monitorable = int((res["status"] != "insufficient_data").sum())
assert overall["monitorable"] == monitorable and overall["achieved"] == int((res["status"] == "achieved").sum())
by_domain = attainment_rate(res, "domain")
assert by_domain["achieved"].sum() == overall["achieved"] and by_domain["targets"].sum() == len(res)
assert (met_early(res, ctx.year)["status"] == "achieved").all()
assert not at_risk(res)["status"].eq("achieved").any()
if ctx.parent is not None:
    assert ctx.parent.id == ctx.plan.parent
""", **HIDDEN),
]

DASHBOARD = [
    note("""
# 地区看板 / Cross-region dashboard

Every region in the data folder assessed against one plan: a status heatmap (regions ×
targets), regions ranked by warnings, and a detail table (click a heading to sort).
"""),
    code("""
# Parameters (papermill)
plan_path = "../params/national_children_2021_2030.yaml"
data_path = "../data/national"
regions = None   # None: every region in the data
as_of = None
lang = "zh"
""", **PARAMS),
    code("""
from childplan_analysis.report import notebook as nb
from childplan_analysis.report.labels import t

ctx = nb.prepare_dashboard(plan_path, data_path, regions=regions, as_of=as_of, lang=lang)
ctx.show_heading()
"""),
    code("""
ctx.section("heatmap_title")
ctx.show_heatmap()
"""),
    code("""
ctx.section("ranking_title")
ctx.show_ranking()
"""),
    code("""
ctx.section("details_title")
ctx.show_details()
"""),
    code("""
# Checks that must hold for every dashboard
res = ctx.results
ranking = ctx.ranking()
assert len(ranking) == len(ctx.regions) == res["region"].nunique()
assert ranking[t("red", lang)].sum() == int((res["warning_level"] == "red").sum())
assert ranking[t("red", lang)].is_monotonic_decreasing
assert res.groupby("region").size().eq(len(ctx.plan.targets)).all()
""", **HIDDEN),
]

EXPLORE = [
    new_markdown_cell("""# 指标探索 / Explore

Pick plan, region, domain, indicator, breakdown (分组), model and as-of year; the fan chart, the
model's backtest (forecasts made from data up to earlier years, against what happened) and the
numbers update in place. Values after the as-of year are drawn as open grey circles."""),
    code("""
# Parameters
params_dir = "../params"          # folder of plan catalogs (or one catalog file)
data_path = "../data/national"    # observations: file or folder
lang = "zh"
""", **PARAMS),
    code("""
from childplan_analysis.report.widgets import explore

ex = explore(params_dir, data_path, lang=lang)
ex
"""),
    code("""
# The controls drive the figures: an earlier as-of year hides later values from the model
from childplan_analysis.report.labels import t

first = ex.controls["as_of"].value
earlier = ex.controls["as_of"].min + (first - ex.controls["as_of"].min) // 2
ex.controls["as_of"].value = earlier
observed = [d for d in ex.fan.data if d.name == t("observed", lang)]
assert observed and all(x <= earlier for x in observed[0].x)
assert ex.selection()["as_of"] == earlier
ex.controls["as_of"].value = first
""", **HIDDEN),
]


def build(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


NOTEBOOK_CELLS = {
    "region_report.ipynb": REGION_REPORT,
    "evaluation.ipynb": EVALUATION,
    "dashboard.ipynb": DASHBOARD,
    "explore.ipynb": EXPLORE,
}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, cells in NOTEBOOK_CELLS.items():
        text = nbformat.writes(build(cells)) + "\n"
        path = NOTEBOOKS / name
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run scripts/make_notebooks.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
