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


def test_rows_of_one_key_share_one_stored_reason_and_every_row_is_still_listed(tmp_path):
    f = tmp_path / "repeats.csv"
    rows = [f"甲县,婴儿死亡率,{2000 + i % 4},{i % 9 / 10}" for i in range(4_000)]
    f.write_text("region,indicator,year,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = read_observations(f)
    rejected = result.rejected
    assert result.rows_read == 4_000 == len(rejected) and result.observations.empty
    assert sorted(rejected["row"]) == list(range(2, 4_002))  # spreadsheet rows: the header is row 1
    # four keys: four distinct reasons, each stored once however many rows carry it
    assert rejected["reason"].nunique() == 4 and len(rejected["reason"].cat.categories) == 4
    assert set(rejected["value"].cat.categories) == {f"{v / 10:g}" for v in range(9)}
    first = rejected[rejected["row"] == 2]["reason"].iloc[0]
    assert first.startswith("同一文件中数值矛盾：row 2, row 6, row 10, row 14, row 18 … (+995)")
