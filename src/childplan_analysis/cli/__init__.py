"""The ``childplan`` command, one module per command group.

:func:`main` is the installed entry point: it picks the language (:mod:`.i18n`) and runs the
typer application of :mod:`.app`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``childplan`` with Chinese help and messages unless English is asked for."""
    import typer.main

    from childplan_analysis.cli import common, i18n
    from childplan_analysis.cli.app import app

    args = list(sys.argv[1:] if argv is None else argv)
    lang = i18n.cli_language(args)
    common.set_language(lang)
    i18n.translate_panels(lang)
    command = typer.main.get_command(app)
    i18n.translate(command, lang)
    command.main(args=args, prog_name="childplan")
