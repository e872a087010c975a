"""The engine's results on the bundled demo and national data are those stored in
``tests/data/engine_equivalence`` (written by ``scripts/build_engine_fixture.py``): a faster
engine must give the same frame, column for column, values to 1e-12."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest
from conftest import load_script

from childplan_analysis.core import config

STORED = config.PROJECT_ROOT / "tests" / "data" / "engine_equivalence"


@cache
def builder():
    """The fixture script as a module: the tables it stores are the tables compared here."""
    return load_script("build_engine_fixture")


CASES = dict(builder().cases())


def test_every_case_is_stored():
    assert sorted(p.stem for p in STORED.glob("*.parquet")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_unchanged(name):
    stored = pd.read_parquet(STORED / f"{name}.parquet")
    assert len(stored) > 0
    pd.testing.assert_frame_equal(CASES[name](), stored, check_exact=False, rtol=1e-12, atol=1e-12)
