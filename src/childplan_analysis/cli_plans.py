"""CLI commands on plan texts and catalogs: ``extract-targets`` and ``check-plans``.

The main typer app (``cli.py``) adds them with :func:`register`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import config
from .consistency import check_plans
from .extract import extract_targets, write_draft

console = Console()


def _read_text(path: Path) -> str:
    """Plan text as str; non-UTF-8 files (GBK, GB18030, …) are detected."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise typer.BadParameter(f"{path}: cannot detect the text encoding") from None
        return str(best)


def extract_targets_command(
    plan_txt: Annotated[Path, typer.Argument(help="Plan text file (UTF-8, GBK, …).", exists=True, dir_okay=False)],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write a draft catalog here.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Draft format: yaml or csv.")] = "yaml",
    year_end: Annotated[int, typer.Option(help="Target year of clauses that name none.")] = 2030,
) -> None:
    """Extract the targets of a plan text; print them and optionally write a draft catalog."""
    if format not in ("yaml", "csv"):
        raise typer.BadParameter("--format must be yaml or csv")
    targets = extract_targets(_read_text(plan_txt), plan_year_end=year_end)
    table = Table(title=f"{len(targets)} targets in {plan_txt.name}")
    for col in ("indicator", "as written", "target", "year", "article", "flags"):
        table.add_column(col)
    for t in targets:
        table.add_row(
            t.indicator or "[yellow]?[/]",
            t.indicator_zh,
            _describe(t),
            str(t.year or ""),
            t.article or "",
            ", ".join(t.flags),
        )
    console.print(table)
    unresolved = sum(1 for t in targets if t.indicator is None)
    if unresolved:
        console.print(f"[yellow]{unresolved} target(s) name an indicator not in the dictionary.[/]")
    if out is not None:
        path = write_draft(targets, out, format=format, year_end=year_end)
        console.print(f"draft written to {path}")


def _describe(t) -> str:
    v = "" if t.value is None else f"{t.value:g}"
    if t.value_high is not None:
        v += f"–{t.value_high:g}"
    base = f" (base {t.baseline_year})" if t.baseline_year else ""
    return f"{t.comparator.value} {v}{t.unit or ''}{base}".strip()


def check_plans_command(
    folder: Annotated[Path, typer.Argument(help="Folder of plan catalogs.", file_okay=False)] = config.PARAMS_DIR,
) -> None:
    """Report targets laxer than the parent plan's and parent indicators a plan omits."""
    df = check_plans(folder)
    if df.empty:
        console.print("No inconsistencies between plans and their parents.")
        return
    table = Table(title=f"{len(df)} issue(s) across plan levels")
    for col in ("plan_id", "parent_id", "indicator", "year", "issue", "child_target", "parent_target"):
        table.add_column(col)
    for row in df.itertuples(index=False):
        style = "red" if row.issue == "laxer_than_parent" else None
        table.add_row(
            row.plan_id, row.parent_id, row.indicator, str(row.year), row.issue,
            row.child_target, row.parent_target, style=style,
        )
    console.print(table)
    counts = df["issue"].value_counts().to_dict()
    console.print(", ".join(f"{k}: {v}" for k, v in counts.items()))


def register(app: typer.Typer) -> None:
    """Add ``extract-targets`` and ``check-plans`` to ``app``."""
    app.command("extract-targets")(extract_targets_command)
    app.command("check-plans")(check_plans_command)
