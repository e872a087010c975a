"""The loaders give the stored results on messy files (``tests/data/load_equivalence``, written by
``scripts/build_load_fixture.py``): the same observations, and the same rejected, skipped and
superseded rows with the same file, sheet, row, column, cell and reason."""

import json
from functools import cache

import pandas as pd
import pytest
from conftest import load_script

from childplan_analysis.core import config

STORED = config.PROJECT_ROOT / "tests" / "data" / "load_equivalence"
CASES = json.loads((STORED / "cases.json").read_text(encoding="utf-8"))
TABLES = ["observations", "rejected", "skipped", "conflicts", "files", "warnings", "counts"]


@cache
def builder():
    """The fixture script as a module: the tables it stores are the tables compared here."""
    return load_script("build_load_fixture")


@pytest.mark.parametrize("case", sorted(CASES))
def test_messy_files_give_the_stored_rows_and_reasons(case):
    got = builder().outcome(CASES[case])
    for table in TABLES:
        expected = builder().plain(pd.read_parquet(STORED / f"{case}.{table}.parquet"))
        pd.testing.assert_frame_equal(got[table], expected, check_dtype=False, obj=f"{case} {table}")
    rows_read = int(got["counts"]["rows_read"].iloc[0])
    assert rows_read == len(got["observations"]) + len(got["rejected"]) + len(got["conflicts"])


def test_the_stored_cases_cover_every_outcome():
    """The inputs are messy enough to matter: rows of every fate, and both file kinds."""
    rejected = pd.read_parquet(STORED / "together.rejected.parquet")
    reasons = " ".join(rejected["reason"])
    for words in ("unknown indicator", "not a whole number", "not a number", "no value reported",
                  "natural bounds", "cannot be converted", "conflicting units", "sex must be", "area must be",
                  "region is empty", "indicator is empty", "conflicting duplicate", "repeat of", "spreadsheet error"):
        assert words in reasons, words
    assert len(pd.read_parquet(STORED / "together.conflicts.parquet"))
    assert len(pd.read_parquet(STORED / "together.skipped.parquet"))
    assert "more fields than the header" in " ".join(pd.read_parquet(STORED / "ragged.rejected.parquet")["reason"])
    obs = pd.read_parquet(STORED / "together.observations.parquet")
    assert set(obs["censor"]) > {""} and obs["note"].str.contains("converted from").any()
