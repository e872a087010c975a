"""A key repeated many times with different values: every row rejected, each reason bounded."""

from __future__ import annotations

from childplan_analysis.io.loaders import SHOWN_PLACES
from childplan_analysis.io.sources import read_observations


def test_many_conflicting_repeats_are_each_rejected_with_a_reason_of_bounded_length(tmp_path):
    f = tmp_path / "repeats.csv"
    rows = [f"甲县,婴儿死亡率,2020,{i / 10}" for i in range(200)]
    f.write_text("region,indicator,year,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = read_observations(f)
    assert result.rows_read == 200 and len(result.rejected) == 200 and result.observations.empty
    reason = result.rejected["reason"].iloc[0]
    assert reason.count("row ") == 2 * SHOWN_PLACES  # the places, in Chinese and in English
    assert f"(+{200 - SHOWN_PLACES})" in reason
    assert result.rejected["reason"].str.len().max() < 400
