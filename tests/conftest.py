"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from childplan_analysis import config
from childplan_analysis.plans import plan_from_dict

DATA = Path(__file__).parent / "data"

# Property tests: the same generated cases on every run (derandomize), no per-example
# deadline (CI machines vary), no example database written into the working tree.
# Each test sets its own max_examples.
settings.register_profile(
    "childplan",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("childplan")


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def national_plan_path() -> Path:
    return config.NATIONAL_PLAN_FILE


def make_plan(targets: list[dict], **kwargs) -> object:
    """A small plan from target dicts (defaults filled in)."""
    base = {"id": "test_plan", "title": "测试规划", "region": "测试县", "level": "county",
            "period": [2021, 2030]}
    base.update(kwargs)
    full = []
    for i, tg in enumerate(targets):
        entry = {"id": f"t{i}", "year": 2030}
        entry.update(tg)
        full.append(entry)
    base["targets"] = full
    return plan_from_dict(base)


def series_frame(values: dict[int, float], indicator: str, region: str = "测试县") -> pd.DataFrame:
    """A tidy observations frame for one series."""
    rows = [
        {"region": region, "indicator": indicator, "year": y, "value": v, "unit": "", "sex": "total",
         "area": "total", "age_group": "total", "subregion": "", "source": "test", "note": ""}
        for y, v in values.items()
    ]
    return pd.DataFrame(rows)
