"""Write tests/data/engine_equivalence/ (assess results on the bundled data) and
tests/data/engine_equivalence_extra/ (on the synthetic county cases of tests/engine_cases.py) and
tests/data/engine_equivalence_grid/ (120 counties × 12 indicators, tests/test_engine_equivalence.py),
for regression tests.

Each case runs the engine on the committed demo data (``data/demo``, every catalog in
``params/``) or the national data (``data/national`` with the national children's plan) and
the results are stored as parquet; ``tests/test_engine_equivalence.py`` recomputes every case
and requires the same frame. Rerun this script only when a change of results is intended.

Usage: python scripts/build_engine_fixture.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pandas as pd

from childplan_analysis.catalog.plans import Plan, load_plan, load_plans
from childplan_analysis.core import config
from childplan_analysis.engine.assess import assess, compare_methods
from childplan_analysis.io.sources import load_observations

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "engine_equivalence"


@cache
def demo() -> pd.DataFrame:
    return load_observations(config.DATA_DIR / "demo", errors="raise")


@cache
def national() -> pd.DataFrame:
    return load_observations(config.NATIONAL_DATA_DIR, errors="raise")


def national_plan() -> Plan:
    return load_plan(config.NATIONAL_PLAN_FILE)


def cases() -> Iterator[tuple[str, Callable[[], pd.DataFrame]]]:
    """(name, computation) of every stored case; names are file stems."""
    yield "national_auto", lambda: assess(national(), national_plan())
    yield "national_linear", lambda: assess(national(), national_plan(), model="linear")
    yield "national_as_of_2019", lambda: assess(national(), national_plan(), as_of=2019)
    yield "national_methods", lambda: compare_methods(national(), national_plan())
    for plan in load_plans(config.PARAMS_DIR):
        if plan.level == "national":
            continue
        yield f"demo_{plan.id}", lambda plan=plan: assess(demo(), plan)
        yield f"demo_{plan.id}_own_region", lambda plan=plan: assess(demo(), plan, regions=[plan.region])
        yield f"demo_{plan.id}_methods", lambda plan=plan: compare_methods(demo(), plan)
    first = next(p for p in load_plans(config.PARAMS_DIR) if p.level != "national")
    yield "demo_unicef_damped", lambda: assess(demo(), first, model="damped", method="unicef")
    yield "demo_as_of_2021", lambda: assess(demo(), first, as_of=2021, level=0.9)


def write(cases: Iterator[tuple[str, Callable[[], pd.DataFrame]]], out: Path) -> None:
    """Compute every case and store it as ``out/<name>.parquet``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, compute in cases:
        frame = compute()
        frame.to_parquet(out / f"{name}.parquet", index=False)
        print(f"{name}: {len(frame)} rows")


def main() -> None:
    sys.path.insert(0, str(OUT.parents[1]))
    import engine_cases
    import test_engine_equivalence as grid

    write(cases(), OUT)
    write(engine_cases.cases(), engine_cases.STORED)
    write(grid.grid_cases(), grid.GRID)


if __name__ == "__main__":
    main()
