"""Language of the ``childplan`` command: Chinese by default, English on request.

``--lang en`` on the command line or ``CHILDPLAN_LANG=en`` in the environment gives English help
and messages; otherwise help texts are shown in Chinese (:data:`HELP_ZH`, keyed by the English
text written beside each option, so the code keeps one source of truth per option).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

LANG_ENV = "CHILDPLAN_LANG"

#: Panel titles and words of the help screen.
PANEL_ZH = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
}

#: Chinese help texts, keyed by the English text in the code.
HELP_ZH: dict[str, str] = {
'Monitor development plans for children and women: targets, trends, attainment, warnings.': '儿童、妇女发展规划监测：目标、趋势、达标评估与预警。',
'Assess every target of PLAN against the observations in DATA.': '用 DATA 中的监测数据评估规划 PLAN 的每一项目标。',
'Plan catalog (YAML).': '规划目标清单（YAML）。',
'Observation file or folder.': '监测数据文件或文件夹。',
'Use data up to this year only.': '只使用截至该年份的数据。',
'Region(s) to assess (default: all).': '要评估的地区（默认：全部）。',
'Write results (.csv, .xlsx, .parquet).': '写出评估结果（.csv、.xlsx、.parquet）。',
'zh or en': '语言：zh（中文）或 en（英文）',
'List the plan catalogs in FOLDER and check that they validate.': '列出 FOLDER 中的规划目标清单并检查其是否有效。',
"Extract the targets of a plan text; print them and optionally write a draft catalog.\n\nClauses without a year take the end of the period in the plan's title, else the latest\ngoal year the text states (``到2025年…``; outlooks such as ``展望到2035年`` excepted).": '从规划文本中提取目标，显示并可写出目标清单草稿。\n\n未写年份的条款取规划标题中的期末年份，否则取文中最晚的目标年份（如“到2025年…”；“展望到2035年”之类除外）。',
'Plan text file (UTF-8, GBK, …).': '规划文本文件（UTF-8、GBK 等）。',
'Write a draft catalog here.': '将目标清单草稿写到此处。',
'Draft format: yaml or csv.': '草稿格式：yaml 或 csv。',
'Target year of clauses that name none (default: inferred from the text).': '未写年份的条款的目标年份（默认：从文本推断）。',
"Report targets laxer than the parent plan's and parent indicators a plan omits.\n\nMissing indicators are reported only for plans comparable with their parent (same\npopulation, both development plans); the summary counts the others as not compared.\nExits 1 when a target is laxer than its parent's.": '检查低于上级规划要求的目标，以及遗漏的上级规划指标。\n\n只对与上级规划可比（同一人群、均为发展规划）的规划报告遗漏指标；其余在汇总中计为未比较。有目标低于上级规划要求时以代码 1 退出。',
'Folder of plan catalogs.': '规划目标清单所在文件夹。',
'Also list missing indicators of plans of another kind or population.': '同时列出不同类型或人群规划的遗漏指标。',
'Write every row to this CSV file.': '将全部结果写入此 CSV 文件。',
"Gaps by sex, urban/rural, age group and sub-region for PLAN's indicators: trend and verdict,\nplus sub-regions below the target where the region meets it (hidden laggards).": '规划 PLAN 各指标的性别、城乡、年龄组和下辖地区差距：趋势与判断，以及本地区已达标但下辖地区未达标的情况（隐藏的落后地区）。',
"Region(s) (default: the plan's region, else all).": '地区（默认：规划所属地区，否则全部）。',
'Write gap trends (.csv, .xlsx, .parquet, .json).': '写出差距趋势（.csv、.xlsx、.parquet、.json）。',
'Show widening gaps only.': '只显示正在扩大的差距。',
"Responsibility lists (责任清单): each responsible unit's targets, status, warning and why.": '责任清单：各责任单位的目标、进展状态、预警及原因。',
'Further plan catalog(s) in the same lists.': '合并到同一清单的其他规划目标清单。',
'Write the workbook (.xlsx), one sheet per unit.': '写出工作簿（.xlsx），每个责任单位一张工作表。',
"Region(s) (default: each plan's region, else all).": '地区（默认：各规划所属地区，否则全部）。',
'Add a first sheet with counts per unit.': '在首页增加各单位的汇总计数。',
'Status of every target of PLAN by the probabilistic method and by the NBS, UNICEF, ESCAP,\nUNSD and Eurostat methods, side by side; rows where they disagree come first.': '按概率预测法及国家统计局、联合国儿基会、亚太经社会、联合国统计司、欧盟统计局方法并列给出规划 PLAN 每项目标的状态；判断不一致的行排在前面。',
'Write the table (.csv, .xlsx, .parquet, .json).': '写出表格（.csv、.xlsx、.parquet、.json）。',
'Check observation files: every row is loaded or rejected with its reason. Exit 1 on rejects.': '检查监测数据文件：每一行或被读入，或注明原因被拒收。有拒收行时退出码为 1。',
'Observation files or folders.': '监测数据文件或文件夹。',
'Region of files without a region column (地区).': '没有“地区”列的文件所属地区。',
'Write the report (.xlsx, .csv).': '写出检查报告（.xlsx、.csv）。',
'Data-quality summary per region: coverage, gaps, last year, series breaks.': '各地区数据质量概况：覆盖情况、缺失年份、最新年份、数据突变。',
'Observation files, folders, or a database URL (default: ./data).': '监测数据文件、文件夹或数据库地址（默认：./data）。',
'Region(s) to summarise (default: all).': '要汇总的地区（默认：全部）。',
'Count coverage from this year.': '从该年份起统计覆盖情况。',
'Count coverage up to this year.': '统计覆盖情况至该年份。',
'Plan whose indicators are expected.': '应包含其指标的规划。',
'Write the summary (.xlsx: all tables).': '写出汇总（.xlsx：全部表格）。',
'Run the report notebook for each PLAN: self-contained HTML (plus PDF / Excel on request)\nand an index page.': '为每个规划 PLAN 生成监测报告：独立的 HTML 文件（可另出 PDF / Excel）和索引页。',
'Plan catalog(s).': '规划目标清单。',
'Output folder.': '输出文件夹。',
"Region to report (default: the plan's region).": '报告的地区（默认：规划所属地区）。',
'annual (monitoring report), midterm or final (evaluation as of 2025 / 2030).': 'annual（年度监测报告）、midterm（中期评估，2025年）或 final（终期评估，2030年）。',
'Also print each report to PDF (needs Chromium).': '同时将报告打印为 PDF（需要 Chromium）。',
'Also write the results workbook (.xlsx).': '同时写出结果工作簿（.xlsx）。',
'Also write a cross-region dashboard over every region in DATA.': '同时生成 DATA 中所有地区的跨地区仪表盘。',
'Heading of the index page.': '索引页标题。',
'Last year\'s results (results_<year>.parquet or a results CSV) to list what changed (default: the latest earlier results in the report folder).': '上年评估结果（results_<年份>.parquet 或结果 CSV），用于列出本期变化（默认：报告文件夹中最近一期的结果）。',
'Run the report for every (plan, region); exit 1 if a region failed or a data file was unreadable.': '为每个（规划，地区）生成报告；任一地区失败或有数据文件无法读取时退出码为 1（见 summary.csv、warnings.xlsx）。',
"Plan catalog(s) or a folder of them (default: the national children's plan).": '规划目标清单或其所在文件夹（默认：全国儿童发展纲要）。',
'Observations: a file, a folder (one file or sub-folder per region allowed) or a database URL.': '监测数据：文件、文件夹（可每个地区一个文件或子文件夹）或数据库地址。',
'Regions to report: names, comma separated, or @FILE with one per line (default: every region in the data).': '要报告的地区：以逗号分隔的名称，或 @文件（每行一个）（默认：数据中的全部地区）。',
'Report notebook (papermill parameters plan_path, data_path, region, as_of, lang, results_path).': '报告笔记本（papermill 参数 plan_path、data_path、region、as_of、lang、results_path）。',
"Keep each region's executed report.ipynb (a failed region always keeps report.failed.ipynb).": '保留每个地区执行后的 report.ipynb（失败的地区总会保留 report.failed.ipynb）。',
'Embed plotly.js and the styles in every report instead of sharing them in OUT/assets/.': '在每份报告中内嵌 plotly.js 和样式，而不是共用 OUT/assets/ 中的文件。',
'Worker processes (default: one per CPU).': '工作进程数（默认：每个 CPU 一个）。',
"Dask scheduler address (tcp://host:8786), or 'local' to start a LocalCluster.": 'Dask 调度器地址（tcp://host:8786），或 local 启动本机集群。',
'Skip regions whose outputs are complete and whose inputs have not changed.': '跳过输出完整且输入未变的地区。',
'Engine only: assess every region in one vectorised pass, no notebooks.': '仅评估：一次向量化评估全部地区，不生成笔记本报告。',
'Seconds one region may take (0: no limit).': '单个地区允许的最长秒数（0：不限）。',
'Regions run in one kernel before it is replaced (1: a fresh kernel each).': '一个内核连续运行的地区数，之后更换内核（1：每个地区新内核）。',
'No progress bar.': '不显示进度条。',
'The monitoring database (监测数据库): ingest, load log, history, export.': '监测数据库：入库、入库日志、修订历史、导出。',
'Load files into the database in one transaction (idempotent; revisions are kept).': '在一个事务中将文件载入数据库（可重复执行；保留修订记录）。',
'Monitoring database: a DuckDB file (monitoring.duckdb) or a URL (postgresql://user@host/db).': '监测数据库：DuckDB 文件（monitoring.duckdb）或地址（postgresql://user@host/db）。',
'Refuse the whole batch if any row is rejected.': '任一行被拒收时整批拒绝入库。',
'Read files again even if their content was ingested.': '即使内容已入库也重新读取文件。',
'The load log: file, content hash, rows loaded / rejected, time.': '入库日志：文件、内容哈希、读入 / 拒收行数、时间。',
'Observations, indicators, years and last load per region.': '各地区的数据条数、指标数、年份和最近一次入库。',
'Revised values: every value a key has had, with the file and time of each load.': '修订记录：每个数据项的历次取值，及每次入库的文件和时间。',
'Region(s).': '地区。',
'Indicator name(s) or id(s).': '指标名称或编号。',
'Year(s).': '年份。',
'Also keys never revised.': '同时列出从未修订的数据项。',
'Write the history (.xlsx, .csv, .parquet).': '写出修订历史（.xlsx、.csv、.parquet）。',
'Rows rejected by past loads, with file, sheet, row, column and reason.': '历次入库被拒收的行，含文件、工作表、行、列和原因。',
'Only this load id.': '只看该次入库编号。',
'Export observations as a tidy long table (readable by every childplan command).': '将监测数据导出为整齐的长表（所有 childplan 命令均可读取）。',
'Output file (.csv, .xlsx, .parquet).': '输出文件（.csv、.xlsx、.parquet）。',
'Region(s) (default: all).': '地区（默认：全部）。',
'The data as it was right after this load.': '该次入库后的数据状态。',
    "Extract the targets of a plan document; print them and optionally write a draft catalog.\n\nThe draft takes the plan's title, region, level and period from the document. Clauses\nwithout a year take the end of the period in the plan's title (a 十四五 plan: 2025), else\nthe latest goal year the text states (``到2025年…``; outlooks such as ``展望到2035年``\nexcepted). Exits 1 when no target to monitor is found (the draft is still written).": '从规划文件中提取目标，显示并可写出目标清单草稿。\n\n草稿的规划名称、地区、层级和期限取自文件。未写年份的条款取规划标题中的期末年份（“十四五”规划为2025年），否则取文中最晚的目标年份（如“到2025年…”；“展望到2035年”之类除外）。未找到可监测的目标时以代码 1 退出（草稿照常写出）。',
    'Plan document: .txt (UTF-8, GBK, …), .docx, .pdf or a saved .html page.': '规划文件：.txt（UTF-8、GBK 等）、.docx、.pdf 或另存的 .html 网页。',
    "Your own indicator dictionary (YAML, params/indicators.yaml format), added to the package's.": '本地自定义指标字典（YAML，格式同 params/indicators.yaml），与本包的指标字典合并使用。',
    'Folder of plan catalogs (default: the current folder).': '规划目标清单所在文件夹（默认：当前文件夹）。',
    'Plan catalog (YAML; default: the one in the current folder).': '规划目标清单（YAML；默认：当前文件夹中的规划）。',
    'Observation file or folder (default: ./data).': '监测数据文件或文件夹（默认：./data）。',
    'Default: the current folder.': '默认：当前文件夹。',
    'Observation files or folders (default: ./data).': '监测数据文件或文件夹（默认：./data）。',
    'Plan catalog(s) (default: the one in the current folder).': '规划目标清单（默认：当前文件夹中的规划）。',
    'Output folder (default: ./reports).': '输出文件夹（默认：./reports）。',
    "Create an analyst's working folder: the plan, data/ with its collection workbook, a README.\n\nWith --plan, the plan's targets are extracted from your document (a .yaml catalog is\ncopied as it is); without it, a template with the national outline's targets is written\nfor you to edit. An existing folder's plan catalog is kept (the workbook is regenerated\nfrom it) unless --plan is given; --force replaces files that exist.": '建立本地区的工作文件夹：规划目标清单、含数据填报表的 data/ 文件夹和说明文件。\n\n使用 --plan 时，从本地规划文件中提取目标（.yaml 目标清单按原样复制）；不使用时，写出一份以全国纲要目标为模板的清单供修改。已有文件夹中的目标清单会保留（据此重新生成填报表），除非给出 --plan；--force 覆盖已有文件。',
    'The working folder to create (or complete).': '要建立（或补全）的工作文件夹。',
    'Your plan document (.txt, .docx, .pdf, .html) or catalog (.yaml).': '本地规划文件（.txt、.docx、.pdf、.html）或目标清单（.yaml）。',
    'Your own indicator dictionary (YAML), used to read the plan.': '本地自定义指标字典（YAML），用于识别规划中的指标。',
    'Region of the template plan (without --plan).': '模板规划所属地区（不使用 --plan 时）。',
    'Replace the plan and workbook if they exist.': '覆盖已有的目标清单和填报表。',
    'Last year column of the workbook (default: this year).': '填报表的最后一个年份列（默认：今年）。',
    "Assess every target of PLAN against the observations in DATA.\n\nFiles that name no region take the plan's region (or the one ``--region`` names); exit 1\nwhen the data lack the plan's region or no target can be monitored.": '用 DATA 中的监测数据评估规划 PLAN 的每一项目标。\n\n未注明地区的文件按规划所属地区（或 --region 指定的地区）读入；数据中没有规划所属地区或没有任何可监测目标时，退出码为 1。',
    'File whose values win conflicts with other files (default: the file read last).': '与其他文件数值冲突时以该文件为准（默认：最后读入的文件）。',
    'Check observation files: every row is loaded, rejected with its reason, superseded by a\nlater file (listed), or skipped as form furniture or a value marked as not reported (—, 无).\nExit 1 on rejects.': '检查监测数据文件：每一行或被读入，或注明原因被拒收，或被后读入的文件替代（逐条列出），或作为表格附注行、未填报数值（—、无 等）跳过。有拒收行时退出码为 1。',
    'Plan catalog: its region fills files that name none, and must be in the data.': '规划目标清单：未注明地区的文件按其所属地区读入，且数据中必须有该地区。',
    'Plan whose indicators are expected (its region fills files that name none).': '应包含其指标的规划（未注明地区的文件按其所属地区读入）。',
    'Also write a Word report (.docx, chart images need Chromium).': '同时写出 Word 报告（.docx；图表图片需要 Chromium）。',
}


def cli_language(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """``en`` if ``--lang en`` (or ``--lang=en``) is on the command line or ``CHILDPLAN_LANG=en``."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1].lower().startswith("en") else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1].lower().startswith("en") else "zh"
    env = (environ if environ is not None else os.environ).get(LANG_ENV, "")
    return "en" if env.lower().startswith("en") else "zh"


def help_texts(command) -> list[str]:
    """Every help text of a click/typer command tree (command docstrings and option helps)."""
    texts = [command.help] if command.help else []
    texts += [p.help for p in command.params if getattr(p, "help", None)]
    for sub in getattr(command, "commands", {}).values():
        texts += help_texts(sub)
    return texts


def translate(command, lang: str) -> None:
    """Put the Chinese help texts on ``command`` and its sub-commands (in place) when ``lang`` is zh."""
    if lang != "zh":
        return
    _translate_help_option(command)
    if command.help in HELP_ZH:
        command.help = HELP_ZH[command.help]
    for p in command.params:
        if getattr(p, "help", None) in HELP_ZH:
            p.help = HELP_ZH[p.help]
    for sub in getattr(command, "commands", {}).values():
        translate(sub, lang)


def translate_panels(lang: str) -> None:
    """Chinese titles for the help screen's panels."""
    if lang != "zh":
        return
    from typer import rich_utils

    for name, text in PANEL_ZH.items():
        setattr(rich_utils, name, text)


def _translate_help_option(command) -> None:
    make = command.get_help_option

    def get_help_option(ctx):
        option = make(ctx)
        if option is not None:
            option.help = "显示此帮助并退出。"
        return option

    command.get_help_option = get_help_option
