"""The command speaks Chinese by default and English on request."""

from __future__ import annotations

import os
import subprocess
import sys

import typer.main

from childplan_analysis.cli.app import app
from childplan_analysis.cli.i18n import HELP_ZH, cli_language, help_texts


def run(*args: str, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CHILDPLAN_LANG"}
    env["COLUMNS"] = "200"
    if lang:
        env["CHILDPLAN_LANG"] = lang
    code = "import sys; from childplan_analysis.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_every_help_text_has_a_chinese_translation():
    missing = [text for text in help_texts(typer.main.get_command(app)) if text not in HELP_ZH]
    assert missing == []


def test_language_comes_from_the_command_line_then_the_environment():
    assert cli_language([], {}) == "zh"
    assert cli_language(["assess", "--lang", "en"], {}) == "en"
    assert cli_language(["--lang=en"], {"CHILDPLAN_LANG": "zh"}) == "en"
    assert cli_language(["report"], {"CHILDPLAN_LANG": "en"}) == "en"


def test_help_is_chinese_by_default_and_english_on_request():
    zh = run("assess", "--help")
    assert zh.returncode == 0, zh.stderr
    assert "用 DATA 中的监测数据评估规划 PLAN 的每一项目标" in zh.stdout
    assert "选项" in zh.stdout and "显示此帮助并退出" in zh.stdout
    en = run("assess", "--help", lang="en")
    assert "Assess every target of PLAN against the observations in DATA." in en.stdout
    assert "Options" in en.stdout


def test_errors_are_labelled_in_the_chosen_language(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("region,indicator,year,value\n甲县,婴儿死亡率,2020,5\n", encoding="utf-8")
    zh = run("assess", str(bad), str(data))
    assert zh.returncode == 2 and "错误：" in zh.stderr
    en = run("assess", str(bad), str(data), "--lang", "en")
    assert en.returncode == 2 and "error:" in en.stderr
