"""Terminal output shared by the ``childplan`` commands.

Text from data and files (region and indicator names, paths, error messages) is escaped before
rich renders it, so a name such as ``[/x]`` is printed as written and never read as markup.
"""

from __future__ import annotations

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def stdout() -> Console:
    """Console on standard output (created per call, so ``COLUMNS`` is honoured)."""
    return Console()


def stderr() -> Console:
    """Console on standard error."""
    return Console(stderr=True)


def fail(exc: Exception) -> None:
    """Print ``error: …`` on standard error and exit with code 2."""
    stderr().print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def print_frame(frame: pd.DataFrame, title: str, limit: int | None = None) -> None:
    """``frame`` as a rich table (at most ``limit`` rows, with a note of how many are left out)."""
    table = Table(title=escape(title), title_justify="left")
    for col in frame.columns:
        table.add_column(escape(str(col)), overflow="fold")
    shown = frame if limit is None else frame.head(limit)
    for row in shown.itertuples(index=False):
        table.add_row(*["" if v is None or (isinstance(v, float) and pd.isna(v)) else escape(str(v)) for v in row])
    stdout().print(table)
    if limit is not None and len(frame) > limit:
        stdout().print(f"… {len(frame) - limit} more row(s); write them all with --out")
