"""``childplan init``: an analyst's working folder, and the defaults every command takes from it.

``childplan init DIR [--plan FILE]`` creates::

    DIR/
      <plan id>.yaml      the plan catalog: a draft extracted from FILE (.txt/.docx/.pdf/.html),
                          or, without FILE, a template holding the national outline's targets
      data/填报表.xlsx     the data-collection workbook generated from the plan
      reports/            where ``childplan report`` writes
      备份/               a regenerated workbook's predecessor (``init --force`` after the plan changed:
                          the values entered in it are carried into the new one)
      README.md           what to do next, in Chinese

Run from inside DIR, the other commands need no paths: the plan is the one catalog in the
current folder (:func:`find_plan`), the data ``./data`` (:func:`default_data`), reports go to
``./reports``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.markup import escape

from childplan_analysis.cli.common import WORKSPACE_INDICATORS, word
from childplan_analysis.core import config
from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.core.strict_yaml import load_yaml

console = Console()
DATA_DIR = "data"
REPORTS_DIR = "reports"
WORKBOOK = "填报表.xlsx"
#: Where a regenerated workbook's predecessor is kept (outside data/, so it is not read twice).
BACKUP_DIR = "备份"


# --------------------------------------------------------------------------- defaults


def plan_files(folder: Path) -> list[Path]:
    """Plan catalogs in ``folder``: ``*.yaml`` / ``*.yml`` with ``targets``, not indicator dictionaries."""
    found = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        if path.stem.startswith("indicators"):
            continue
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            found.append(path)  # a broken catalog is still a catalog: load_plan will say what is wrong
            continue
        if isinstance(raw, dict) and "targets" in raw:
            found.append(path)
    return found


def workspace_plan(folder: Path | None = None) -> Path | None:
    """The one plan catalog of a working folder (default: the current folder), or None when it
    holds none or several; for commands whose plan is optional."""
    found = plan_files(folder or Path.cwd())
    return found[0] if len(found) == 1 else None


def find_plan(folder: Path | None = None) -> Path:
    """The plan catalog of a working folder (default: the current folder); a usage error when
    there is none or several."""
    folder = folder or Path.cwd()
    found = plan_files(folder)
    if len(found) == 1:
        return found[0]
    if not found:
        raise typer.BadParameter(
            f"no plan catalog (*.yaml with targets) in {folder}; name one, or create a working folder "
            "with `childplan init DIR --plan 规划.docx`"
        )
    names = ", ".join(p.name for p in found)
    raise typer.BadParameter(f"several plan catalogs in {folder} ({names}); name the one to use")


def default_data(folder: Path | None = None) -> Path:
    """``./data`` of a working folder; a usage error when it does not exist."""
    path = (folder or Path.cwd()) / DATA_DIR
    if not path.is_dir():
        raise typer.BadParameter(f"no data given and no {DATA_DIR}/ folder in {path.parent}")
    return path


def default_reports(folder: Path | None = None) -> Path:
    """``./reports`` of a working folder."""
    return (folder or Path.cwd()) / REPORTS_DIR


def catalogs_folder(folder: Path | None) -> tuple[Path, bool]:
    """Folder of plan catalogs to list: ``folder``, else the current folder when it holds any,
    else the bundled catalogs (second item True then)."""
    if folder is not None:
        return folder, False
    if plan_files(Path.cwd()):
        return Path.cwd(), False
    return config.PARAMS_DIR, True


# --------------------------------------------------------------------------- init


def _template_catalog(region: str | None) -> dict:
    """A county plan holding the national children's outline targets, to edit."""
    raw = yaml.safe_load(config.NATIONAL_PLAN_FILE.read_text(encoding="utf-8"))
    place = region or "XX县"
    raw.update(
        id="county_children_2021_2030",
        title=f"{place}儿童发展规划（2021—2030年）",
        region=place,
        level="county",
        parent=raw["id"],
        source=None,
    )
    return raw


README = """# {title} · 监测工作目录

本目录由 `childplan init` 生成。

| 文件 | 用途 |
|---|---|
| `{plan}` | 规划目标清单（{origin}）。请逐条对照规划原文核对；`unresolved:` 下是指标词典中没有的目标，补充指标后移入 `targets:`。 |
| `data/{workbook}` | 数据填报表：每个责任单位一张工作表，每行一个指标，每列一个年份（{years}）。只填数值，按“单位”列的口径；无数据的年份留空。 |
| `reports/` | 监测报告输出目录。 |
| `indicators.yaml`（可选） | 本地自定义指标字典（`init --indicators` 时复制而来）；本目录下的各命令自动读入。 |

## 步骤

1. 核对 `{plan}`：标题、地区（`region`，须与数据中的地区名称一致）、目标值和年份。
2. 把 `data/{workbook}` 的各工作表分发给相应责任单位填报，收回后放回 `data/`（可保留多个文件）。
   修改规划后可重新生成填报表：`childplan init . --force`（已填的数值转入新表，原表备份在 `备份/`）。
3. 在本目录下运行：
   - `childplan validate`：检查数据，每一行或被读入，或说明被拒绝的原因；
   - `childplan assess`：逐项评估目标达成情况和预警；
   - `childplan report`：生成监测报告（HTML），写入 `reports/`。

以上命令默认使用本目录中的规划文件、`data/` 和 `reports/`，也可以用参数另行指定。
"""


def init_command(
    folder: Annotated[Path, typer.Argument(help="The working folder to create (or complete).", file_okay=False)],
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="Your plan document (.txt, .docx, .pdf, .html) or catalog (.yaml).", exists=True, dir_okay=False),
    ] = None,
    indicators: Annotated[
        Path | None,
        typer.Option("--indicators", help="Your own indicator dictionary (YAML), used to read the plan."),
    ] = None,
    region: Annotated[str | None, typer.Option(help="Region of the template plan (without --plan).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the plan and workbook if they exist.")] = False,
    current_year: Annotated[
        int | None, typer.Option("--current-year", help="Last year column of the workbook (default: this year).")
    ] = None,
) -> None:
    """Create an analyst's working folder: the plan, data/ with its collection workbook, a README.

    With --plan, the plan's targets are extracted from your document (a .yaml catalog is
    copied as it is); without it, a template with the national outline's targets is written
    for you to edit. An existing folder's plan catalog is kept (the workbook is regenerated
    from it) unless --plan is given; --force replaces files that exist.
    """
    from childplan_analysis.catalog.forms import (
        collection_years,
        prefilled_count,
        units_and_indicators,
        write_collection_workbook,
    )
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.catalog.resolve import with_extra_indicators
    from childplan_analysis.cli.plans import draft_from_document
    from childplan_analysis.io.fileio import atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    (folder / DATA_DIR).mkdir(exist_ok=True)
    (folder / REPORTS_DIR).mkdir(exist_ok=True)
    own = folder / WORKSPACE_INDICATORS
    if indicators is not None and not indicators.is_file():
        raise typer.BadParameter(f"indicator dictionary not found: {indicators}", param_hint="--indicators")
    if indicators is not None and indicators.resolve() != own.resolve():
        atomic_write_text(own, indicators.read_text(encoding="utf-8"))  # every command here reads it
    elif indicators is None and own.is_file():
        indicators = own
    existing = plan_files(folder)
    if plan is not None:
        if existing and not force:
            raise typer.BadParameter(f"{existing[0]} exists; use --force to replace it with a plan read from {plan}")
        for old in existing:
            old.unlink()
        if plan.suffix.lower() in (".yaml", ".yml"):
            target = folder / plan.name
            atomic_write_text(target, plan.read_text(encoding="utf-8"))
            origin = f"复制自 {plan.name}"
        else:
            tmp = folder / ".draft.yaml"
            drafted, info = draft_from_document(plan, tmp, indicators_file=indicators, quiet=True)
            target = folder / f"{info.id}.yaml"
            tmp.replace(target)
            if all(t.indicator is None for t in drafted):  # said why, and where the plan may be
                console.print(word(f"草稿已留在 {escape(str(target))}，可补全后再运行 childplan init {escape(str(folder))}",
                                   f"the draft is kept at {escape(str(target))}: complete it, then run "
                                   f"childplan init {escape(str(folder))} again"), highlight=False)
                raise typer.Exit(code=1)
            origin = f"从 {plan.name} 自动提取的草稿"
    elif existing:
        if len(existing) > 1:
            find_plan(folder)  # raises, naming them
        target, origin = existing[0], "已有"
    else:
        raw = _template_catalog(region)
        target = folder / f"{raw['id']}.yaml"
        head = (
            "# Template plan written by `childplan init`: the national outline's targets for your region.\n"
            "# Replace them with your own plan's targets (or run `childplan init DIR --plan 规划.docx`).\n"
        )
        atomic_write_text(target, head + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000))
        origin = "模板：国家纲要的目标，请按本地规划修改"
    try:
        dictionary = with_extra_indicators(indicators) if indicators else None
        plan_obj = load_plan(target, indicators=dictionary)
    except ChildplanError as exc:
        console.print(f"[red]{escape(str(target))} is not a valid plan catalog yet:[/]", highlight=False)
        console.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(code=1) from None
    workbook = folder / DATA_DIR / WORKBOOK
    if workbook.exists() and not force and plan is None and existing:
        console.print(word(f"{escape(str(workbook))} 已存在，保留不变（--force 可重新生成）",
                           f"{escape(str(workbook))} exists; kept (use --force to regenerate it)"))
    elif workbook.exists():
        _regenerate_workbook(plan_obj, workbook, dictionary, current_year)
    else:
        write_collection_workbook(plan_obj, workbook, indicators=dictionary, current_year=current_year)
    years = collection_years(plan_obj, current_year)
    readme = folder / "README.md"
    if force or not readme.exists():
        atomic_write_text(readme, README.format(
            title=plan_obj.title, plan=target.name, origin=origin, workbook=WORKBOOK,
            years=f"{years[0]}—{years[-1]}年",
        ))
    n_units, n_bases = len(units_and_indicators(plan_obj)), prefilled_count(plan_obj)
    bases_zh = f"，已预填规划所列基期值 {n_bases} 个（浅黄色，请核对）" if n_bases else ""
    bases_en = f", {n_bases} base value(s) stated by the plan pre-filled (shaded; check them)" if n_bases else ""
    n, unresolved, span = len(plan_obj.targets), len(plan_obj.unresolved), f"{years[0]}–{years[-1]}"
    console.print(word(
        f"[green]工作文件夹已建好：[/]{escape(str(folder))}\n"
        f"  目标清单  {escape(target.name)}（{n} 项目标，{unresolved} 项指标待确认）\n"
        f"  填报表    {DATA_DIR}/{WORKBOOK}（{n_units} 个工作表，{span}年{bases_zh}）\n"
        f"  下一步：\n"
        f"    1. 对照规划原文核对 {escape(target.name)}（地区、目标值、年份"
        f"{'；补齐 unresolved: 下的指标' if unresolved else ''}）；\n"
        f"    2. 把 {DATA_DIR}/{WORKBOOK} 各工作表交责任单位填报，收回后放入 {DATA_DIR}/；\n"
        f"    3. cd {escape(str(folder))}，运行 childplan validate 检查数据，无误后运行 childplan report。",
        f"[green]working folder ready:[/] {escape(str(folder))}\n"
        f"  plan      {escape(target.name)} ({n} targets, {unresolved} unresolved)\n"
        f"  workbook  {DATA_DIR}/{WORKBOOK} ({n_units} sheet(s), years {span}{bases_en})\n"
        f"  next:\n"
        f"    1. check {escape(target.name)} against the plan text (region, values, years"
        f"{'; the indicators under unresolved:' if unresolved else ''});\n"
        f"    2. send the sheets of {DATA_DIR}/{WORKBOOK} to the responsible units, put them back in {DATA_DIR}/;\n"
        f"    3. cd {escape(str(folder))}, run childplan validate, then childplan report."))


def _regenerate_workbook(plan, workbook: Path, dictionary, current_year: int | None) -> None:
    """Write the workbook anew from ``plan`` over one that exists, keeping what was entered in it:
    the values with a cell in the new workbook are carried into it, the others are written to a
    long table in data/ that the loaders read, and the old workbook is kept in 备份/."""
    import pandas as pd

    from childplan_analysis.catalog.form_refill import (
        carried_cells,
        entered_values,
        left_over_table,
    )
    from childplan_analysis.catalog.forms import write_collection_workbook
    from childplan_analysis.io.fileio import atomic_write_text

    entered = entered_values(workbook, plan, dictionary)
    cells, notes, rest = carried_cells(entered.values, plan, current_year)
    rest = pd.concat([rest, entered.other_rows], ignore_index=True) if len(entered.other_rows) else rest
    if not cells and rest.empty and not entered.rejected:
        write_collection_workbook(plan, workbook, indicators=dictionary, current_year=current_year)
        return
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = workbook.parent.parent / BACKUP_DIR / f"{workbook.stem}-{stamp}{workbook.suffix}"
    backup.parent.mkdir(exist_ok=True)
    shutil.copy2(workbook, backup)
    write_collection_workbook(plan, workbook, indicators=dictionary, current_year=current_year,
                              entered=cells, notes=notes)
    zh = [f"原填报表已备份到 {escape(str(backup))}；已填数值 {len(cells)} 个转入新填报表"]
    en = [f"the previous workbook is kept as {escape(str(backup))}; {len(cells)} entered value(s) carried into the new one"]
    if not rest.empty:
        left = workbook.parent / f"{workbook.stem}-未转入数值-{stamp}.csv"
        atomic_write_text(left, left_over_table(rest).to_csv(index=False))
        zh.append(f"{len(rest)} 个数值在新填报表中没有对应的行或年份列，另存为 {escape(str(left))}（仍按数据读入）")
        en.append(f"{len(rest)} value(s) without a row or year column in it written to {escape(str(left))} (still read as data)")
    if entered.rejected:
        zh.append(f"原填报表中 {entered.rejected} 行无法读入（见 childplan validate {escape(str(backup))}），只保留在备份中")
        en.append(f"{entered.rejected} row(s) of the previous workbook could not be read "
                  f"(see childplan validate {escape(str(backup))}); they are only in the backup")
    console.print(word("[yellow]注意：[/]" + "；".join(zh), "[yellow]note:[/] " + "; ".join(en)))


def register(app: typer.Typer) -> None:
    """Add ``init`` to ``app``."""
    app.command("init")(init_command)
