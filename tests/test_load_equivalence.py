"""The loaders give the stored results on messy files (``tests/data/load_equivalence``, written by
``scripts/build_load_fixture.py``): the same observations, and the same rejected, skipped and
superseded rows with the same file, sheet, row, column, cell and reason."""

import json

import pandas as pd
import pytest

from childplan_analysis.core import config
from childplan_analysis.io.sources import read_observations

STORED = config.PROJECT_ROOT / "tests" / "data" / "load_equivalence"
INPUTS = STORED / "inputs"
CASES = json.loads((STORED / "cases.json").read_text(encoding="utf-8"))
TABLES = ["observations", "rejected", "skipped", "conflicts", "files", "warnings", "counts"]


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain ``str`` with paths relative to the inputs folder; numbers as they are."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            out[c] = s.reset_index(drop=True)
        else:
            out[c] = pd.Series([str(v).replace(str(INPUTS) + "/", "") for v in s], dtype=object)
    return pd.DataFrame(out, columns=frame.columns)


@pytest.mark.parametrize("case", sorted(CASES))
def test_messy_files_give_the_stored_rows_and_reasons(case):
    result = read_observations([INPUTS / f for f in CASES[case]])
    got = {"observations": result.observations, "rejected": result.rejected, "skipped": result.skipped,
           "conflicts": result.conflicts, "files": result.files,
           "warnings": pd.DataFrame({"warning": result.warnings}),
           "counts": pd.DataFrame({"rows_read": [result.rows_read]})}
    for table in TABLES:
        expected = pd.read_parquet(STORED / f"{case}.{table}.parquet")
        pd.testing.assert_frame_equal(plain(got[table]), plain(expected), check_dtype=False, obj=f"{case} {table}")
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(result.conflicts)


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
