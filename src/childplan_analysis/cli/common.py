"""Terminal output shared by the ``childplan`` commands.

Text from data and files (region and indicator names, paths, error messages) is escaped before
rich renders it, so a name such as ``[/x]`` is printed as written and never read as markup.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from childplan_analysis.cli.i18n import cli_language

#: Language of messages: set by :func:`childplan_analysis.cli.main`, else from the environment.
_LANG = {"lang": cli_language([])}


def set_language(lang: str) -> None:
    """Language of the messages printed from now on (``zh`` or ``en``)."""
    _LANG["lang"] = "en" if lang == "en" else "zh"


def word(zh: str, en: str) -> str:
    """The word for the current language."""
    return en if _LANG["lang"] == "en" else zh


#: ``$CHILDPLAN_INDICATORS`` as the shell set it, restored for a command run without the option.
_SHELL_INDICATORS = os.environ.get("CHILDPLAN_INDICATORS")


def _restore_indicators_env() -> None:
    if _SHELL_INDICATORS is None:
        os.environ.pop("CHILDPLAN_INDICATORS", None)
    else:
        os.environ["CHILDPLAN_INDICATORS"] = _SHELL_INDICATORS


#: The analyst's own indicator dictionary inside a working folder (``childplan init`` copies
#: ``--indicators FILE`` there), used by every command run in that folder.
WORKSPACE_INDICATORS = "indicators.yaml"


def _use_indicators(path: Path | None) -> Path | None:
    """Make ``path`` — else the working folder's ``indicators.yaml`` — the analyst's own
    dictionary for this command and the report kernels it starts (``$CHILDPLAN_INDICATORS``,
    which the shell may also set); a file that cannot be read is a usage error naming it."""
    from childplan_analysis.core.errors import ChildplanError
    from childplan_analysis.core.indicators import load_indicators

    if path is None and (Path.cwd() / WORKSPACE_INDICATORS).is_file():
        path = Path.cwd() / WORKSPACE_INDICATORS
    if path is None:
        _restore_indicators_env()
        return None
    os.environ["CHILDPLAN_INDICATORS"] = str(Path(path).resolve())
    try:
        load_indicators()
    except ChildplanError as exc:
        _restore_indicators_env()
        raise typer.BadParameter(str(exc)) from None
    return path


#: ``--indicators FILE``: the analyst's own indicator dictionary, shared by every command that
#: reads plans (validate, assess, report, init, extract-targets).
IndicatorsOption = Annotated[Path | None, typer.Option(
    "--indicators", dir_okay=False, callback=_use_indicators,
    help="Your own indicator dictionary (YAML, params/indicators.yaml format), added to the package's.")]


def stdout() -> Console:
    """Console on standard output (created per call, so ``COLUMNS`` is honoured)."""
    return Console()


def stderr() -> Console:
    """Console on standard error."""
    return Console(stderr=True)


def fail(exc: Exception) -> None:
    """Print ``error: …`` on standard error and exit with code 2."""
    label = word("错误：", "error: ")
    stderr().print(f"[bold red]{label}[/]{escape(str(exc))}", highlight=False, soft_wrap=True)
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
        left = len(frame) - limit
        stdout().print(word(f"… 另有 {left} 行；用 --out 写出全部", f"… {left} more row(s); write them all with --out"))
