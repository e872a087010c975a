"""Hostile content: names from data files never run as code, leave the output folder or
become spreadsheet formulas; YAML is only loaded safely."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from childplan_analysis import config
from childplan_analysis.safety import safe_join

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
    "shell=True": re.compile(r"shell\s*=\s*True"),
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

    from childplan_analysis.accountability import write_unit_workbook
    from childplan_analysis.assess import assess

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
    from childplan_analysis.cli_data import write_tables

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

HOSTILE_REGION = INJECTION + " " + SCRIPT


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """The report notebook run (papermill) on national data relabelled with a hostile region name."""
    from childplan_analysis.report import run_report

    work = tmp_path_factory.mktemp("hostile")
    obs = pd.read_csv(config.NATIONAL_DATA_DIR / "observations.csv", dtype=str, keep_default_na=False)
    obs["region"] = HOSTILE_REGION
    data = work / "data.csv"
    obs.to_csv(data, index=False)
    paths = run_report(config.NATIONAL_PLAN_FILE, data, work / "reports", region=HOSTILE_REGION)
    return work, paths


def test_papermill_parameters_are_data_not_code(hostile_report):
    work, paths = hostile_report
    assert not list(work.rglob("PWNED")) and not (config.PROJECT_ROOT / "PWNED").exists()
    assert not (config.NOTEBOOKS_DIR / "PWNED").exists() and not Path("PWNED").exists()
    import nbformat

    nb = nbformat.read(str(paths.notebook), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assigned = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(injected.source).body
                if isinstance(n, ast.Assign)}
    assert assigned["region"] == HOSTILE_REGION  # one string literal, nothing else runs
    assert [type(n) for n in ast.parse(injected.source).body] == [ast.Assign] * len(assigned)


def test_report_html_shows_hostile_names_as_escaped_text(hostile_report):
    _, paths = hostile_report
    page = paths.html.read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page.lower()
