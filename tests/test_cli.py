import pandas as pd
from typer.testing import CliRunner

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.core import config
from childplan_analysis.engine.assess import RESULT_COLUMNS

runner = CliRunner()


def test_assess_writes_one_row_per_target(tmp_path):
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["assess", str(config.NATIONAL_PLAN_FILE), str(config.NATIONAL_DATA_DIR),
                              "--region", "全国", "--out", str(out)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    plan = load_plan(config.NATIONAL_PLAN_FILE)
    assert len(frame) == len(plan.targets)
    assert list(frame.columns) == RESULT_COLUMNS
    assert frame.set_index("target_id").loc["under5_mortality_2030", "status"] == "achieved"


def test_assess_xlsx_and_table_output(tmp_path):
    out = tmp_path / "x.xlsx"
    res = runner.invoke(app, ["assess", str(config.NATIONAL_PLAN_FILE), str(config.NATIONAL_DATA_DIR),
                              "--region", "全国", "--out", str(out)])
    assert res.exit_code == 0
    assert len(pd.read_excel(out)) == len(load_plan(config.NATIONAL_PLAN_FILE).targets)
    res = runner.invoke(app, ["assess", str(config.NATIONAL_PLAN_FILE), str(config.NATIONAL_DATA_DIR),
                              "--region", "全国", "--as-of", "2020"], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "婴儿死亡率" in res.output


def test_validate_exit_codes(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("region,indicator,year,value\nA,婴儿死亡率,2020,5\n", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("region,indicator,year,value\nA,婴儿死亡率,2020,abc\n", encoding="utf-8")
    res = runner.invoke(app, ["validate", str(bad)])
    assert res.exit_code == 1
    assert "value is not a number" in res.output


def test_bad_plan_is_a_clear_error(tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("id: p\ntitle: t\n", encoding="utf-8")
    res = runner.invoke(app, ["assess", str(plan), str(config.NATIONAL_DATA_DIR)])
    assert res.exit_code == 2
    assert "targets" in res.output


def test_plans_lists_catalogs():
    res = runner.invoke(app, ["plans"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert "national_children_2021_2030" in res.output


def test_errors_and_tables_print_bracketed_names_as_written(tmp_path):
    plan = tmp_path / "县[b]计划.yaml"
    plan.write_text("id: p\ntitle: t\n", encoding="utf-8")
    res = runner.invoke(app, ["assess", str(plan), str(config.NATIONAL_DATA_DIR)], env={"COLUMNS": "300"})
    assert res.exit_code == 2
    assert "县[b]计划.yaml" in res.output
    data = tmp_path / "obs.csv"
    data.write_text("region,indicator,year,value\n[bold]县,婴儿死亡率,2020,5\n乙县,婴儿死亡率,2020,4.8\n",
                    encoding="utf-8")
    res = runner.invoke(app, ["assess", str(config.NATIONAL_PLAN_FILE), str(data)], env={"COLUMNS": "300"})
    # the national plan's region is not in these data: the error lists the regions found, as written
    assert res.exit_code == 1, res.output
    assert "[bold]县" in res.output
