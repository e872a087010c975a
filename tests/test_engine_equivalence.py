"""The engine's results on the bundled demo and national data are those stored in
``tests/data/engine_equivalence`` (written by ``scripts/build_engine_fixture.py``), and on the
synthetic county data of ``tests/engine_cases.py`` those in ``tests/data/engine_equivalence_extra``:
a faster engine must give the same frame, column for column, values to 1e-12."""

from __future__ import annotations

from functools import cache

import engine_cases
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


# ---------------------------------------------------------------------- synthetic county cases
EXTRA = dict(engine_cases.cases())


def test_every_extra_case_is_stored():
    assert sorted(p.stem for p in engine_cases.STORED.glob("*.parquet")) == sorted(EXTRA)


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_county_results_unchanged(name):
    stored = pd.read_parquet(engine_cases.STORED / f"{name}.parquet")
    assert len(stored) > 0
    pd.testing.assert_frame_equal(EXTRA[name](), stored, check_exact=False, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "stored_as"), [(n, s) for n, s, _ in engine_cases.SAME_AS])
def test_same_data_given_otherwise_gives_the_same_results(name, stored_as):
    """Categorical key columns and observations sorted by key take other paths to the same codes."""
    compute = next(c for n, _, c in engine_cases.SAME_AS if n == name)
    stored = pd.read_parquet(engine_cases.STORED / f"{stored_as}.parquet")
    pd.testing.assert_frame_equal(compute(), stored, check_exact=False, rtol=1e-12, atol=1e-12)
