"""CLI commands on plan texts and catalogs: ``extract-targets`` and ``check-plans``.

The main typer app (``cli/app.py``) adds them with :func:`register`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from childplan_analysis.catalog.consistency import check_plans, summarize
from childplan_analysis.catalog.extract import (
    PlanInfo,
    extract_targets,
    infer_goal_year,
    plan_info,
    write_draft,
)
from childplan_analysis.catalog.resolve import with_extra_indicators
from childplan_analysis.cli.common import IndicatorsOption, word
from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.io.documents import Document, read_document
from childplan_analysis.io.fileio import atomic_write_text
from childplan_analysis.report.labels import unit_after_number

console = Console()


#: Plan levels in the words of a 妇儿工委 office.
LEVEL_WORDS = {"national": "国家", "province": "省级", "city": "市级", "county": "县级"}


def read_plan_document(path: Path) -> Document:
    """A plan document (text, tables, title, attachments); a bad or unsupported file is a
    usage error naming it."""
    try:
        return read_document(path)
    except ChildplanError as exc:
        raise typer.BadParameter(str(exc)) from None


def draft_from_document(
    plan_file: Path,
    out: Path | None,
    format: str = "yaml",
    year_end: int | None = None,
    indicators_file: Path | None = None,
    quiet: bool = False,
) -> tuple[list, PlanInfo]:
    """Extract the targets of ``plan_file``, print them, and write a draft to ``out``."""
    doc = read_plan_document(plan_file)
    text, hint = doc.as_text(), doc.title
    try:
        indicators = with_extra_indicators(indicators_file) if indicators_file else None
    except ChildplanError as exc:
        raise typer.BadParameter(str(exc)) from None
    info = plan_info(text, hint)
    period = info.period
    if year_end is None:
        year_end = infer_goal_year(text)
        source = word("标题中的规划期", "the period in the title") if period else word(
            "文中写明的目标年份", "the goal years stated in the text")
        console.print(word(
            f"未写年份的条款按{year_end}年目标读取（依据{source}；可用 --year-end 修改）。",
            f"Clauses without a year are read as targets for {year_end} (from {source}; --year-end to change)."))
    targets = extract_targets(text, plan_year_end=year_end, indicators=indicators)
    span = "–".join(map(str, period)) if period else "?"
    console.print(word(
        f"规划：{escape(info.title or '（未找到标题）')} · 地区 {escape(info.region or '?')} · "
        f"层级 {LEVEL_WORDS.get(info.level or '', info.level or '?')} · 规划期 {span} · 编号 {info.id}",
        f"Plan: {escape(info.title or '(title not found)')} · region {escape(info.region or '?')} · "
        f"level {info.level or '?'} · period {span} · id {info.id}"))
    if not quiet:
        _print_targets(targets, plan_file.name)
    unresolved = sum(1 for t in targets if t.indicator is None)
    if unresolved == len(targets):
        _print_nothing_found(plan_file, unresolved, doc.attachments)
    elif unresolved:
        console.print("[yellow]" + word(
            f"{unresolved} 项目标的指标不在指标字典中；草稿将其连同原文短语列在 `unresolved:` 下。",
            f"{unresolved} target(s) name an indicator not in the dictionary; the draft keeps them "
            "under `unresolved:` with their phrase.") + "[/]")
    if out is not None:
        path = write_draft(targets, out, format=format, year_end=year_end, period=period, info=info,
                           indicators=indicators)
        if format == "yaml":
            _print_set_aside(path)
        if not quiet:
            console.print(word(f"草稿已写出：{escape(str(path))}", f"draft written to {escape(str(path))}"))
    return targets, info


def _print_nothing_found(plan_file: Path, unresolved: int, attachments: list[str]) -> None:
    """Say that the document gave no target to monitor, and where the plan may be instead."""
    console.print("[red]" + word(
        f"在 {escape(plan_file.name)} 中没有找到可监测的目标"
        + (f"（{unresolved} 项目标的指标不在指标字典中，列在草稿的 `unresolved:` 下）。" if unresolved else "。"),
        f"No target to monitor was found in {escape(plan_file.name)}"
        + (f" ({unresolved} name an indicator not in the dictionary: see `unresolved:` in the draft)." if unresolved
           else ".")) + "[/]", highlight=False)
    if attachments:
        console.print(word(
            "此网页所附文件（规划全文常在附件中，请下载后用它重新运行）：",
            "The page attaches these files (the plan itself is often one: download it and run again on it):"))
        for entry in attachments:
            console.print(f"  {escape(entry)}", highlight=False)
    else:
        console.print(word(
            "请确认文件是规划全文（含“主要目标”或指标表），而不是印发通知或解读。",
            "Check that the file is the plan itself (its 主要目标 or indicator table), not its notice or a commentary."))


def _print_set_aside(draft: Path) -> None:
    """Name the targets of a written draft kept under ``unresolved`` for a reason other than an
    unknown indicator (a unit the indicator cannot take…), each with its clause."""
    from childplan_analysis.catalog.extract import REASON_UNKNOWN_INDICATOR

    kept = yaml.safe_load(draft.read_text(encoding="utf-8")).get("unresolved") or []
    for entry in kept:
        if entry.get("reason") != REASON_UNKNOWN_INDICATOR:
            console.print("[yellow]" + word(
                f"已列入 `unresolved:`（{escape(str(entry.get('reason')))}）：{escape(str(entry.get('clause', '')))}",
                f"kept under `unresolved:` ({escape(str(entry.get('reason')))}): {escape(str(entry.get('clause', '')))}",
            ) + "[/]", highlight=False)


def extract_targets_command(
    plan_file: Annotated[
        Path,
        typer.Argument(help="Plan document: .txt (UTF-8, GBK, …), .docx, .pdf or a saved .html page.", exists=True, dir_okay=False),
    ],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write a draft catalog here.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Draft format: yaml or csv.")] = "yaml",
    year_end: Annotated[
        int | None,
        typer.Option(help="Target year of clauses that name none (default: inferred from the text)."),
    ] = None,
    indicators: IndicatorsOption = None,
) -> None:
    """Extract the targets of a plan document; print them and optionally write a draft catalog.

    The draft takes the plan's title, region, level and period from the document. Clauses
    without a year take the end of the period in the plan's title (a 十四五 plan: 2025), else
    the latest goal year the text states (``到2025年…``; outlooks such as ``展望到2035年``
    excepted). Exits 1 when no target to monitor is found (the draft is still written).
    """
    if format not in ("yaml", "csv"):
        raise typer.BadParameter("--format must be yaml or csv")
    targets, _ = draft_from_document(plan_file, out, format, year_end, indicators)
    if all(t.indicator is None for t in targets):
        raise typer.Exit(code=1)


def _print_targets(targets: list, name: str) -> None:
    table = Table(title=word(f"{escape(name)}：{len(targets)} 项目标", f"{len(targets)} targets in {escape(name)}"))
    for zh, en in (("指标", "indicator"), ("原文", "as written"), ("目标", "target"), ("年份", "year"),
                   ("条款", "article"), ("标记", "flags")):
        table.add_column(word(zh, en))
    for t in targets:
        table.add_row(
            t.indicator or "[yellow]?[/]",
            escape(t.indicator_zh),
            _describe(t),
            str(t.year or ""),
            escape(t.article or ""),
            ", ".join(t.flags),
        )
    console.print(table)


def _describe(t) -> str:
    v = "" if t.value is None else f"{t.value:g}"
    if t.value_high is not None:
        v += f"–{t.value_high:g}"
    base = f" (base {t.baseline_year})" if t.baseline_year else ""
    return f"{t.comparator.value} {v}{unit_after_number(t.unit)}{base}".strip()


def check_plans_command(
    folder: Annotated[Path | None, typer.Argument(help="Folder of plan catalogs (default: the current folder).", file_okay=False)] = None,
    all_missing: Annotated[
        bool, typer.Option("--all", help="Also list missing indicators of plans of another kind or population.")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write every row to this CSV file.")] = None,
) -> None:
    """Report targets laxer than the parent plan's and parent indicators a plan omits.

    Missing indicators are reported only for plans comparable with their parent (same
    population, both development plans); the summary counts the others as not compared.
    Exits 1 when a target is laxer than its parent's.
    """
    from childplan_analysis.cli.workspace import catalogs_folder
    from childplan_analysis.report.plan_checks import plan_check_table

    folder, bundled = catalogs_folder(folder)
    if bundled:
        console.print(word("当前文件夹中没有规划目标清单，检查本包自带的目标清单。",
                           "No plan catalog in the current folder; checking the bundled catalogs."))
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder}: not a folder of plan catalogs")
    summary = summarize(folder)
    df = check_plans(folder, all_missing=all_missing)
    errors = int((df["severity"] == "error").sum()) if len(df) else 0
    if summary.empty:
        console.print(word(f"{folder} 中没有一个规划的上级规划也在此文件夹中，无可比较。",
                           f"No plan in {folder} has its parent plan in the folder; nothing to compare."))
    else:
        _print_summary(summary)
        lang = word("zh", "en")
        words = plan_check_table(folder, lang, all_missing=all_missing, checks=df)
        plan_col, parent_col = words.columns[0], words.columns[1]
        for (plan, parent), rows in words.groupby([plan_col, parent_col], sort=False):
            _print_issues(f"{plan} → {parent}", rows.drop(columns=[plan_col, parent_col]))
        counts = df["severity"].value_counts().to_dict()
        console.print(word(
            f"{counts.get('error', 0)} 项错误（低于上级规划要求），{counts.get('warning', 0)} 项警告（缺少上级规划指标）"
            + (f"，{counts.get('info', 0)} 项提示" if all_missing else ""),
            f"{counts.get('error', 0)} error(s) (laxer than the parent), "
            f"{counts.get('warning', 0)} warning(s) (missing indicators)"
            + (f", {counts.get('info', 0)} info" if all_missing else "")))
    if out is not None:
        full = check_plans(folder, all_missing=True)
        atomic_write_text(out, full.to_csv(index=False))
        console.print(word(f"已写出 {len(full)} 行：{out}", f"{len(full)} row(s) written to {out}"))
    if errors:
        raise typer.Exit(code=1)


def _print_summary(summary) -> None:
    table = Table(title=word("规划及其上级规划", "Plans and their parents"))
    heads = (("规划", "plan"), ("上级规划", "parent"), ("可比较", "compared"), ("低于上级", "laxer"),
             ("缺少指标", "missing"), ("未比较", "not compared"))
    for i, (zh, en) in enumerate(heads):
        table.add_column(word(zh, en), justify="right" if i >= 3 else "left")
    for r in summary.itertuples(index=False):
        table.add_row(
            r.plan_id, r.parent_id, word("是", "yes") if r.comparable else word(f"否：{r.scope}", f"no: {r.scope}"),
            f"[red]{r.laxer}[/]" if r.laxer else "0", str(r.missing), str(r.not_compared),
        )
    console.print(table)


#: Row style per severity, in either language's words.
_SEVERITY_STYLE = {"错误": "red", "error": "red", "警告": "yellow", "warning": "yellow", "提示": "dim", "note": "dim"}


def _print_issues(title: str, rows) -> None:
    """One plan's checks in words (:func:`~childplan_analysis.report.plan_checks.plan_check_table`)."""
    table = Table(title=escape(title), title_justify="left")
    for col in rows.columns:
        table.add_column(str(col))
    for r in rows.itertuples(index=False):
        table.add_row(*(escape(str(v)) for v in r), style=_SEVERITY_STYLE.get(str(r[0])))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``extract-targets`` and ``check-plans`` to ``app``."""
    app.command("extract-targets")(extract_targets_command)
    app.command("check-plans")(check_plans_command)
