"""The CSV reader parses UTF-8 bytes directly and decodes only the first lines in Python: what lies
past those lines (bytes in another encoding, a byte-order mark of a second file pasted in) is
still found, and the file reads as the decoding reader reads it."""

import pandas as pd

from childplan_analysis.io.sources import read_observations

HEADER = "region,indicator,year,value,unit\n"


def _lines(n: int, region: str = "Region") -> str:
    return "".join(f"{region}{i},婴儿死亡率,{2000 + i % 20},{3 + (i % 50) / 10:.1f},‰\n" for i in range(n))


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.observations, b.observations)
    assert a.rows_read == b.rows_read and len(a.rejected) == len(b.rejected)


def test_gbk_text_past_the_first_lines_is_decoded(tmp_path):
    """The first 16 kB are ASCII (valid UTF-8); Chinese GBK text comes after them."""
    text = HEADER + _lines(600).replace("婴儿死亡率", "infant_mortality").replace(",‰", ",") + _lines(50, "甲县")
    assert len(text.split("甲县")[0].encode()) > 20_000
    gbk, utf8 = tmp_path / "gbk.csv", tmp_path / "utf8.csv"
    gbk.write_bytes(text.encode("gbk"))
    utf8.write_bytes(text.encode("utf-8"))
    r = read_observations(gbk)
    assert r.ok and len(r.observations) == 650 and r.observations["region"].str.startswith("甲县").sum() == 50
    _same(r, read_observations(utf8))


def test_a_byte_order_mark_far_into_the_file_is_removed_and_reported(tmp_path):
    first = HEADER + _lines(500)
    second = HEADER + _lines(30, "乙县")
    pasted = tmp_path / "pasted.csv"
    pasted.write_bytes(("\ufeff" + first + "\ufeff" + second).encode("utf-8"))
    r = read_observations(pasted)
    line = first.count("\n") + 1
    assert any("byte-order mark" in w and f"line(s) {line}" in w for w in r.warnings)
    assert len(r.observations) == 530 and r.ok
    assert r.skipped["reason"].str.contains("repeated header").sum() == 1

