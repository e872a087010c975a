"""Hostile content: names from data files never run as code, leave the output folder or
become spreadsheet formulas; YAML is only loaded safely."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from childplan_analysis.core import config
from childplan_analysis.io.safety import safe_join

ROOT = config.PROJECT_ROOT
INJECTION = '"); import os; os.system("touch PWNED") #'
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","点击查看")'
TRAVERSAL = ["../../escape", "/tmp/absolute", "a\x00b", "CON", "..\\..\\win", "nul.txt", "evil. "]


# ------------------------------------------------------------------ code review by test

FORBIDDEN_CALLS = {
    "yaml.load / unsafe_load / full_load": re.compile(r"\byaml\.(load|load_all|unsafe_load|full_load)\s*\("),
    "yaml.Loader / UnsafeLoader / FullLoader": re.compile(r"\byaml\.(Loader|UnsafeLoader|FullLoader)\b"),
    "eval(": re.compile(r"(?<![\w.])eval\s*\("),
    "exec(": re.compile(r"(?<![\w.])exec\s*\("),
    "pickle": re.compile(r"\bpickle\.loads?\s*\("),
    # a shell for subprocesses; ``start_channels(shell=True)`` is a Jupyter kernel channel
    "shell=True": re.compile(r"(?<!start_channels\()\bshell\s*=\s*True"),
    "os.system(": re.compile(r"\bos\.system\s*\("),
}


def _code_files() -> list[Path]:
    files = [p for d in ("src", "scripts", "benchmarks", "notebooks") for p in (ROOT / d).rglob("*")
             if p.suffix in (".py", ".ipynb")]
    assert len(files) > 10
    return files


@pytest.mark.parametrize("what", sorted(FORBIDDEN_CALLS))
def test_code_never_loads_yaml_unsafely_or_evaluates_text(what):
    pattern = FORBIDDEN_CALLS[what]
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in _code_files()
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(line) and not line.lstrip().startswith("#")]
    assert hits == []


# ------------------------------------------------------------------ YAML catalogs


def _laughs(levels: int = 12) -> str:
    """A catalog whose aliases would expand to 9**levels strings."""
    lines = ["id: p", "notes:", "- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


#: catalog text → (words of the refusal, line it names)
HOSTILE_CATALOGS = {
    "billion laughs": (_laughs(), "aliases (*a0) are not allowed", 4),
    "a million brackets": ("id: p\ntargets: " + "[" * 1_000_000 + "\n", "nested deeper than", 2),
    "deep block nesting": ("id: p\ntargets:\n" + "".join("  " * i + "- a:\n" for i in range(5000)), "nested deeper than", 27),
    "code in a target": ("id: p\ntargets:\n- id: a\n  value: !!python/object/apply:os.system ['touch PWNED']\n",
                         "is not allowed (only plain YAML data)", 4),
    "code under a harmless tag": ("id: p\ntargets: !!python/object/new:os.system [touch PWNED]\n", "is not allowed", 2),
    "a key given twice": ("id: p\ntargets:\n- id: a\n  value: 5\n  value: 500\n", "duplicate key 'value'", 5),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CATALOGS))
def test_hostile_catalog_is_refused_naming_file_and_line(tmp_path, monkeypatch, name):
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.core.errors import PlanError

    text, words, line = HOSTILE_CATALOGS[name]
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlanError) as exc:
        load_plan(path)
    [(where, message)] = exc.value.problems
    assert where == "<yaml>" and words in message
    assert f'in "{path}", line {line},' in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


# ------------------------------------------------------------------ paths


@pytest.mark.parametrize("name", TRAVERSAL)
def test_names_cannot_write_outside_the_output_folder(tmp_path, name):
    out = tmp_path / "reports"
    folder = safe_join(out, name, name)
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("x", encoding="utf-8")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.resolve().is_relative_to(out.resolve()) for p in files] == [True]


# ------------------------------------------------------------------ spreadsheets


def _formula_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def _texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_accountability_workbook_neutralises_formulas(tmp_path):
    from conftest import make_plan, series_frame

    from childplan_analysis.engine.accountability import write_unit_workbook
    from childplan_analysis.engine.assess import assess

    plan = make_plan([{"indicator": "婴儿死亡率", "comparator": "<=", "value": 5, "unit": "‰",
                       "responsible": [FORMULA, "@SUM(A1:A9)"]}])
    obs = series_frame({2019: 6.0, 2020: 5.8, 2021: 5.5, 2022: 5.4}, "infant_mortality", region=FORMULA)
    results = assess(obs, plan)
    path = write_unit_workbook(results, tmp_path / "units.xlsx", plan, summary=True)
    assert _formula_cells(path) == []
    texts = _texts(path)
    assert "'" + FORMULA in texts and FORMULA not in texts
    assert "'@SUM(A1:A9)" in texts


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_data_table_exports_neutralise_formulas(tmp_path, suffix):
    from childplan_analysis.cli.data import write_tables

    frame = pd.DataFrame({"region": [FORMULA, "磐石市"], "value": [-1.5, 2.0], "note": ["-1+2", "-3"]})
    path = write_tables(tmp_path / f"t{suffix}", {"表": frame})
    if suffix == ".xlsx":
        assert _formula_cells(path) == []
        ws = openpyxl.load_workbook(path).active
        assert [[c.value for c in r] for r in ws.iter_rows()][1:] == [["'" + FORMULA, -1.5, "'-1+2"],
                                                                     ["磐石市", 2, "-3"]]
    else:
        back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
        assert back["region"].tolist() == ["'" + FORMULA, "磐石市"]
        assert back["value"].tolist() == ["-1.5", "2.0"]


# ------------------------------------------------------------------ notebooks and HTML

LINK = "[点我](javascript:alert(1))"
HOSTILE_REGION = INJECTION + " " + SCRIPT + " " + LINK


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """Report notebooks run (papermill) on national data with a hostile region name: the
    annual report with the name as the ``region`` parameter, and the cross-region dashboard
    (the name in sortable tables and chart labels beside 全国)."""
    from childplan_analysis.report.build import run_report

    work = tmp_path_factory.mktemp("hostile")
    obs = pd.read_csv(config.NATIONAL_DATA_DIR / "observations.csv", dtype=str, keep_default_na=False)
    data = work / "data.csv"
    pd.concat([obs, obs.assign(region=HOSTILE_REGION)]).to_csv(data, index=False)
    paths = run_report(config.NATIONAL_PLAN_FILE, data, work / "reports", region=HOSTILE_REGION)
    dashboard = run_report(config.NATIONAL_PLAN_FILE, data, work / "reports", dashboard=True)
    return work, paths, dashboard


def test_papermill_parameters_are_data_not_code(hostile_report):
    work, paths, _ = hostile_report
    assert not list(work.rglob("PWNED")) and not (config.PROJECT_ROOT / "PWNED").exists()
    assert not (config.NOTEBOOKS_DIR / "PWNED").exists() and not Path("PWNED").exists()
    import nbformat

    nb = nbformat.read(str(paths.notebook), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assigned = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(injected.source).body
                if isinstance(n, ast.Assign)}
    assert assigned["region"] == HOSTILE_REGION  # one string literal, nothing else runs
    assert [type(n) for n in ast.parse(injected.source).body] == [ast.Assign] * len(assigned)


@pytest.mark.parametrize("which", [1, 2], ids=["annual", "dashboard"])
def test_report_html_shows_hostile_names_as_escaped_text(hostile_report, which):
    page = hostile_report[which].html.read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page.lower()


def _dialogs(browser, path: Path) -> tuple[list[str], str]:
    """Open ``path``; returns the messages of any dialog (alert/confirm/prompt) and the page text."""
    page = browser.new_page()
    seen: list[str] = []

    def on_dialog(d):
        seen.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    text = page.inner_text("body")
    page.close()
    return seen, text


def test_browser_would_catch_an_unescaped_label(browser, tmp_path):
    page = tmp_path / "raw.html"
    page.write_text(f"<html><body><td>{SCRIPT}</td></body></html>", encoding="utf-8")
    assert _dialogs(browser, page)[0] == ["1"]


@pytest.mark.parametrize("which", [1, 2], ids=["annual", "dashboard"])
def test_hostile_region_in_the_report_opens_no_dialog_and_shows_as_text(browser, hostile_report, which):
    seen, text = _dialogs(browser, hostile_report[which].html)
    assert seen == []
    assert SCRIPT in text and LINK in text


def test_hostile_names_in_the_index_page_open_no_dialog(browser, tmp_path):
    from childplan_analysis.report.build import write_index

    index = write_index(tmp_path, [{"title": SCRIPT, "region": HOSTILE_REGION, "href": "x/report.html",
                                    "note": '"><img src=x onerror=alert(2)>', "counts": {}}])
    seen, text = _dialogs(browser, index)
    assert seen == []
    assert SCRIPT in text and '"><img src=x onerror=alert(2)>' in text


def test_report_folder_name_cannot_leave_the_output_folder(tmp_path):
    import nbformat

    from childplan_analysis.report.build import run_report

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("region = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(region)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    tiny = tmp_path / "tiny.ipynb"
    nbformat.write(nb, str(tiny))
    out = tmp_path / "a" / "b" / "reports"
    paths = run_report(config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR, out, notebook=tiny,
                       name="../../../escape")
    assert paths.folder.parent == out and paths.folder.name.startswith("escape-")
    made = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")}
    assert made == {"tiny.ipynb", "a"}
    assert paths.html.resolve().is_relative_to(out.resolve())
