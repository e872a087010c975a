"""One figure of a benchmark, printed and, for ``benchmarks/scale.py``, collected.

A benchmark calls :func:`record` for each figure an aim is set on. When the environment
variable ``CHILDPLAN_BENCH_FIGURES`` names a file, the figure is appended to it as one JSON line,
so that ``scale.py`` can print every benchmark's figures side by side after one run.
"""

from __future__ import annotations

import json
import os

FIGURES_ENV = "CHILDPLAN_BENCH_FIGURES"


def shown(value: float, unit: str) -> str:
    """A figure as printed: two decimals below 1,000, whole numbers above (``689,474 rows/s``)."""
    return f"{value:,.2f}{unit}" if abs(value) < 1000 else f"{value:,.0f}{unit}"


def record(name: str, value: float, unit: str, aim: str, met: bool | None, anchor: str = "") -> None:
    """Print a figure with its anchor and aim; append it to ``$CHILDPLAN_BENCH_FIGURES``."""
    verdict = "" if met is None else ("met" if met else "not met")
    print(f"figure: {name} = {shown(value, unit)} (aim {aim}{'; ' + verdict if verdict else ''})")
    path = os.environ.get(FIGURES_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"name": name, "value": value, "unit": unit, "aim": aim, "met": met,
                                "anchor": anchor}, ensure_ascii=False) + "\n")
