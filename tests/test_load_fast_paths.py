"""Fast paths give what the general paths give.

The CSV reader parses UTF-8 bytes directly and decodes only the first lines in Python: what lies
past those lines (bytes in another encoding, a byte-order mark of a second file pasted in) is
still found, and the file reads as the decoding reader reads it. Keys are packed into one integer
per row: the order and the repeats found from them are those of a sort by the key columns, and a
file already in key order, or naming each key once, loads as any other."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childplan_analysis.core import config
from childplan_analysis.core.columns import KEY_COLUMNS
from childplan_analysis.io.cells import FilledCells
from childplan_analysis.io.coded import Coded, combine, combine_any
from childplan_analysis.io.keys import key_order
from childplan_analysis.io.loaders import conform
from childplan_analysis.io.sources import read_observations
from childplan_analysis.io.stacked import _maybe_heading
from childplan_analysis.io.wide_forms import COLUMN_ALIASES

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



def _key_frame(rng, n: int, regions: int, years: int) -> pd.DataFrame:
    """Key columns as the validator gives them: text as categoricals (categories in no order)."""
    names = [f"{p}{i}" for i in range(regions) for p in ("甲", "B", "县")][:regions]
    rng.shuffle(names)

    def text(values: list[str], k: int) -> pd.Categorical:
        return pd.Categorical.from_codes(rng.integers(0, k, n), categories=pd.Index(values[:k], dtype="str"))

    return pd.DataFrame({
        "region": text(names, regions), "indicator": text(["婴儿死亡率", "infant", "剖宫产率"], 3),
        "year": rng.integers(2000, 2000 + years, n).astype("int64"), "sex": text(["total", "female", "male"], 3),
        "area": text(["total"], 1), "age_group": text(["total", "0-4"], 2), "subregion": text(["", "镇1", "镇0"], 3),
    })


@pytest.mark.parametrize(("n", "regions", "years", "presorted"), [
    (2000, 40, 30, False),  # repeated keys: sorted
    (300, 200, 80, False),  # distinct keys spread widely: sorted
    (50, 3, 3, False),  # distinct keys packed closely: placed by counting
    (400, 300, 10**6, False),  # a key too wide for 32 bits: packed in 64
    (2000, 40, 30, True),  # already in key order: kept as it is
    (0, 1, 1, False),
])
def test_packed_key_order_is_the_stable_sort_by_key_and_finds_repeats(n, regions, years, presorted):
    rng = np.random.default_rng(n + regions + years)
    frame = _key_frame(rng, n, regions, years)
    if n == 50:
        frame = frame.drop_duplicates(KEY_COLUMNS).reset_index(drop=True)
    if presorted:
        frame = frame.iloc[np.argsort(frame[KEY_COLUMNS].astype(str).apply(tuple, axis=1).to_numpy(),
                                      kind="stable")].reset_index(drop=True)
    keys = key_order(frame, KEY_COLUMNS)
    as_text = frame.astype({c: str for c in KEY_COLUMNS if c != "year"})
    expected = as_text.sort_values(KEY_COLUMNS, kind="stable").index.to_numpy()
    np.testing.assert_array_equal(keys.order, expected)
    assert keys.repeats == bool(as_text.duplicated(KEY_COLUMNS).any())
    kept = np.flatnonzero(rng.random(len(frame)) < 0.6)
    subset = as_text.iloc[kept].reset_index(drop=True)
    np.testing.assert_array_equal(keys.kept(kept, len(frame)),
                                  subset.sort_values(KEY_COLUMNS, kind="stable").index.to_numpy())


def test_a_file_in_key_order_and_the_same_rows_shuffled_load_alike(tmp_path):
    rows = [f"{r},{ind},{y},{3 + (y % 7) / 10:.1f},{sex}\n" for r in ("乙县", "甲县", "丙县") for ind in ("婴儿死亡率", "剖宫产率")
            for y in range(2015, 2025) for sex in ("男", "女", "合计")]
    header = "region,indicator,year,value,sex\n"
    first = read_observations(_write(tmp_path / "as_given.csv", header + "".join(rows)))
    in_order = first.observations
    shuffled = read_observations(_write(tmp_path / "shuffled.csv", header + "".join(
        np.random.default_rng(3).permutation(rows))))
    again = read_observations(_write(tmp_path / "sorted.csv", header + "".join(
        rows[i] for i in _file_order_of(in_order, rows))))
    for r in (first, shuffled, again):
        assert r.ok and r.rows_read == len(rows) and r.conflicts.empty
        pd.testing.assert_frame_equal(r.observations, in_order)
    assert in_order[KEY_COLUMNS].astype(str).apply(tuple, axis=1).is_monotonic_increasing


def test_repeats_resolved_then_the_kept_rows_in_key_order(tmp_path):
    """A key given twice in one file (same value) and once more, differently, in a later file."""
    header = "region,indicator,year,value\n"
    a = _write(tmp_path / "a.csv", header + "乙县,婴儿死亡率,2020,4.0\n甲县,婴儿死亡率,2020,5.0\n甲县,婴儿死亡率,2020,5.0\n")
    b = _write(tmp_path / "b.csv", header + "乙县,婴儿死亡率,2021,3.0\n甲县,婴儿死亡率,2020,6.0\n")
    r = read_observations([a, b])
    obs = r.observations
    assert list(zip(obs["region"], obs["year"], obs["value"], strict=True)) == [
        ("乙县", 2020, 4.0), ("乙县", 2021, 3.0), ("甲县", 2020, 6.0)]
    assert len(r.conflicts) == 2 and r.rows_read == len(obs) + len(r.rejected) + len(r.conflicts)


def test_a_text_on_every_row_is_written_as_any_other_text():
    order = np.array([2, 0, 1])
    for text in ("", "total", "卫健委年报"):
        frame = pd.DataFrame({c: pd.Categorical.from_codes([0, 0, 0], categories=pd.Index([text], dtype="str"))
                              for c in ["region", "indicator", "unit", "sex", "area", "age_group", "subregion",
                                        "source", "note", "censor"]}).assign(year=[2020, 2021, 2022], value=1.0)
        plain = conform(frame.astype({c: "str" for c in frame.columns if c not in ("year", "value")}))
        pd.testing.assert_frame_equal(conform(frame, order), plain.iloc[order].reset_index(drop=True))
        mixed = frame.assign(censor=frame["censor"].astype("str"))  # some text columns plain, some categorical
        pd.testing.assert_frame_equal(conform(mixed, order), plain.iloc[order].reset_index(drop=True))


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def _file_order_of(obs: pd.DataFrame, rows: list[str]) -> list[int]:
    """Positions of ``rows`` ordered as the loaded ``obs`` lists them."""
    sexes = {"male": "男", "female": "女", "total": "合计"}
    key = {(r, i, int(y), s): k for k, (r, i, y, _, s) in enumerate(line.strip().split(",") for line in rows)}
    names = {"infant_mortality": "婴儿死亡率", "caesarean_rate": "剖宫产率"}
    return [key[(o.region, names.get(o.indicator, o.indicator), o.year, sexes[o.sex])]
            for o in obs.itertuples(index=False)]


def test_a_quoted_line_break_is_one_cell_past_the_first_parse_block(tmp_path, monkeypatch):
    """Quoting is tracked across lines when the file holds a quote: a note with a line break in it
    stays one cell of its row, also past the first block the parser reads."""
    from childplan_analysis.io import readers

    monkeypatch.setattr(readers, "_ARROW_BLOCK", 4096)
    monkeypatch.setattr(readers, "_ONE_THREAD_BLOCK", 4096)  # blocks of 4 kB on one thread too
    body = _lines(400)
    lines = body.splitlines(keepends=True)
    lines[300] = lines[300].rstrip("\n") + ',"口径调整\n见附注"\n'
    path = tmp_path / "quoted.csv"
    path.write_text("region,indicator,year,value,unit,note\n" + "".join(
        ln if i == 300 else ln.rstrip("\n") + ",\n" for i, ln in enumerate(lines)), encoding="utf-8")
    r = read_observations(path)
    assert r.ok and r.rows_read == 400 and len(r.observations) == 400
    noted = r.observations[r.observations["note"] != ""]
    assert noted["region"].tolist() == ["Region300"] and noted["note"].str.contains("口径调整").all()
    assert noted["note"].str.contains("见附注").all()


def test_a_second_header_far_into_a_long_csv_starts_a_table(tmp_path):
    """A table stacked under a long one is found wherever its header lies (only rows naming a
    known field are tested as headers)."""
    first = HEADER + _lines(3000)
    second = "地区,指标,2020,2021\n甲县,婴儿死亡率,4.1,3.9\n乙县,婴儿死亡率,5.0,4.4\n"
    path = tmp_path / "stacked.csv"
    path.write_text(first + ",,,,\n" + second.replace("\n", ",\n"), encoding="utf-8")
    r = read_observations(path)
    assert r.ok, r.rejected
    assert len(r.observations) == 3004
    assert any("tables stacked in one sheet" in w for w in r.warnings)
    assert set(r.observations.loc[r.observations["region"].isin(["甲县", "乙县"]), "year"]) == {2020, 2021}


@pytest.mark.parametrize("prefix", [64, 2**20])
def test_first_lines_past_the_copied_prefix_read_as_the_whole_file(tmp_path, monkeypatch, prefix):
    """Only the start of a mapped file is copied for its header: when the first lines run past it
    the file is read by the decoding path, with the same outcome; blank files stay empty files."""
    from childplan_analysis.io import readers

    text = "地区：甲县\n" + HEADER + _lines(120)
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    whole = read_observations(path)
    monkeypatch.setattr(readers, "_PREFIX_BYTES", prefix)
    _same(read_observations(path), whole)
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b" \n\t\r\n" * 100)
    r = read_observations(blank)
    assert r.rejected["reason"].str.contains("empty file").all() and len(r.rejected) == 1


def test_arrow_on_threads_loads_what_one_thread_loads(tmp_path, monkeypatch):
    """Blocks parsed on several threads each have their own dictionaries; united, they give the
    same observations, rejections and warnings as one thread."""
    from childplan_analysis.io import readers

    monkeypatch.setattr(readers, "_ARROW_BLOCK", 2048)
    rows = _lines(900).splitlines(keepends=True)
    rows[700] = rows[700].replace("婴儿死亡率", "不存在的指标")
    path = tmp_path / "blocks.csv"
    path.write_text(HEADER + "".join(rows) + "甲县,婴儿死亡率,2020,abc,‰\n", encoding="utf-8")
    monkeypatch.setattr(readers, "ARROW_THREADS", False)
    one = read_observations(path)
    monkeypatch.setattr(readers, "ARROW_THREADS", True)
    many = read_observations(path)
    _same(one, many)
    pd.testing.assert_frame_equal(one.rejected, many.rejected)
    assert one.warnings == many.warnings and len(one.rejected) == 2


def _grid(rng, n: int, full: list[bool]) -> pd.DataFrame:
    """A grid of text cells, categorical and plain columns, some with empty cells."""
    columns = {}
    for j, is_full in enumerate(full):
        texts = [f"t{j}{k}" for k in range(4)] + ([] if is_full else [""])
        cells = np.asarray(texts, dtype=object)[rng.integers(0, len(texts), n)]
        columns[j] = pd.Series(pd.Categorical(cells)) if j % 2 == 0 else pd.Series(cells, dtype=object)
    return pd.DataFrame(columns)


@pytest.mark.parametrize("full", [[True, True, True], [False, True, False], [False, False, False], [False, False, True]])
def test_filled_cells_answer_as_the_cell_matrix(full):
    """Columns known full from their distinct texts give what a row-by-column matrix gives."""
    rng = np.random.default_rng(len(full) + sum(full))
    grid = _grid(rng, 500, full)
    matrix = grid.astype(object).to_numpy() != ""
    filled = FilledCells.of(grid)
    assert [filled.full(j) for j in range(3)] == [bool(matrix[:, j].all()) for j in range(3)]
    np.testing.assert_array_equal(filled.any(), matrix.any(axis=1))
    np.testing.assert_array_equal(filled.first(), matrix.argmax(axis=1))
    np.testing.assert_array_equal(filled.any([0, 2]), matrix[:, [0, 2]].any(axis=1))
    assert not filled.any([]).any()
    keep = rng.random(500) < 0.5
    below = filled.rows(slice(7, None)).rows(keep[7:])
    np.testing.assert_array_equal(below.first(), matrix[7:][keep[7:]].argmax(axis=1))
    assert below.n == int(keep[7:].sum())


@pytest.mark.parametrize(("n", "widths"), [(1000, [3, 5, 2]), (300, [40, 50, 60]), (0, [2, 2])])
def test_combinations_counted_in_a_table_are_those_hashed(n, widths):
    """Small codes combined in a table: one code per distinct combination (as hashing gives, up to
    numbering), and the row named for each holds it."""
    rng = np.random.default_rng(n)
    codes = [rng.integers(-1, w, n) for w in widths]
    key, rows = combine_any(*codes)
    hashed, _ = combine(*codes)
    assert len(rows) == len(np.unique(hashed))
    # the same rows share a code in both numberings
    pairs = set(zip(key.tolist(), hashed.tolist(), strict=True))
    assert len(pairs) == len(rows)
    np.testing.assert_array_equal(key[rows], np.arange(len(rows)))


def test_used_only_drops_the_values_no_row_holds():
    """A column's heading (a category of no data row) is left out; each row keeps its value."""
    column = pd.Series(pd.Categorical.from_codes([1, 3, 1, 2, 3], categories=["数值", "4.1", "5.0", "—"]))
    coded = Coded.of(column)
    used = coded.used_only()
    assert "数值" not in set(used.uniques)
    np.testing.assert_array_equal(used.values(), coded.values())
    one = Coded.of(pd.Series(pd.Categorical.from_codes([1, 1, 1], categories=["数据来源", "卫健委"]))).used_only()
    assert one.uniques.tolist() == ["卫健委"] and one.values().tolist() == ["卫健委"] * 3


def test_every_known_heading_may_name_a_field():
    """The test that passes over numbers before headings are looked up never passes over a heading."""
    headings = [alias for aliases in COLUMN_ALIASES.values() for alias in aliases]
    assert _maybe_heading(np.asarray(headings, dtype=object)).all()
    numbers = np.asarray(["4.1", " 2020 ", "-0.5", "1e3", "", "  "], dtype=object)
    assert not _maybe_heading(numbers).any()


def test_numbers_far_from_zero_pack_within_their_span():
    """A number column is packed by its distance from its smallest value: large numbers in a small
    span keep the 32-bit key and their order."""
    rng = np.random.default_rng(5)
    frame = _key_frame(rng, 300, 7, 3).assign(year=lambda f: f["year"] + (2**31 - 2010))
    keys = key_order(frame, KEY_COLUMNS)
    as_text = frame.astype({c: str for c in KEY_COLUMNS if c != "year"})
    np.testing.assert_array_equal(keys.order, as_text.sort_values(KEY_COLUMNS, kind="stable").index.to_numpy())


@pytest.mark.parametrize(("setting", "load", "cores", "expected"), [
    (None, 0.2, 4, True),  # idle cores: threads
    (None, 3.5, 4, False),  # every core busy: one thread
    (None, 0.0, 1, False),  # one core: one thread
    (True, 9.0, 2, True),  # a setting wins
    (False, 0.0, 8, False),
])
def test_threads_are_used_where_a_core_is_idle(monkeypatch, setting, load, cores, expected):
    from childplan_analysis.io import readers

    monkeypatch.setattr(readers, "ARROW_THREADS", setting)
    monkeypatch.setattr(readers.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(readers.os, "cpu_count", lambda: cores)
    assert readers.arrow_threads() is expected


def _long_file(path, n: int, bad_at: int, hole_at: int, quote: bool = False):
    """``n`` data rows of a long CSV (header on line 1, so data row ``i`` is row ``i + 1``), the
    row ``bad_at`` holding an unknown indicator and the row ``hole_at`` a value not reported."""
    lines = [f"县{i // 1000},镇{i % 40},婴儿死亡率,{2000 + i // 40 % 25},{3 + (i % 50) / 10:.1f},‰\n" for i in range(n)]
    lines[bad_at - 2] = "甲县,镇1,不存在的指标,2020,4.0,‰\n"
    lines[hole_at - 2] = "乙县,镇2,婴儿死亡率,2021,—,‰\n"
    if quote:
        lines[7] = lines[7].replace("镇", '"镇', 1).replace(",婴儿", '",婴儿', 1)
    path.write_text("地区,乡镇,指标,年份,数值,单位\n" + "".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("threads", [False, True])
@pytest.mark.parametrize("quote", [False, True])
def test_a_bad_row_and_a_hole_far_down_a_large_file_are_found_on_every_parse(tmp_path, monkeypatch, threads, quote):
    """On one thread the file is one parse block and its lines are bounded by the parsed rows (no
    count before the parse); on threads it is cut into blocks after a count. Row 150,000 is
    rejected with its file, row and column either way, and row 150,002 is a skipped hole."""
    from childplan_analysis.io import readers

    monkeypatch.setattr(readers, "ARROW_THREADS", threads)
    monkeypatch.setattr(readers, "_ARROW_BLOCK", 2**20)  # several blocks on threads
    path = _long_file(tmp_path / "large.csv", 160_000, bad_at=150_000, hole_at=150_002, quote=quote)
    counted = []
    monkeypatch.setattr(readers, "_scan", lambda data, _scan=readers._scan: counted.append(1) or _scan(data))
    r = read_observations(path)
    assert bool(counted) is threads  # lines counted before the parse only for blocks on threads
    assert r.rows_read == 160_000 - 1 and len(r.observations) == 160_000 - 2
    bad = r.rejected.astype(str).to_dict("records")
    assert [(b["file"], b["row"], b["column"], b["value"]) for b in bad] == [(str(path), "150000", "指标", "不存在的指标")]
    assert bad[0]["reason"].startswith("未知指标 '不存在的指标'")
    assert r.skipped[["file", "row", "reason"]].values.tolist() == [[str(path), 150_002, "未填报（—）（not reported (—)）"]]
    assert r.observations["region"].str.startswith("县").all()


@pytest.mark.parametrize("threads", [False, True])
def test_the_row_limit_counts_lines_whichever_way_the_file_is_parsed(tmp_path, monkeypatch, threads):
    """A file of more lines than the limit is refused with its line count, also where the parse
    gives fewer rows than lines (line breaks inside quoted cells); one within the limit loads."""
    from childplan_analysis.io import readers

    monkeypatch.setattr(readers, "ARROW_THREADS", threads)
    monkeypatch.setattr(config, "MAX_ROWS", 30)
    rows = [f"甲县,婴儿死亡率,{2000 + i},4.{i % 10}\n" for i in range(25)]
    quoted = tmp_path / "quoted.csv"
    quoted.write_text("地区,指标,年份,数值,备注\n" + "".join(r.rstrip("\n") + (',"第一行\n第二行"\n' if i < 6 else ",\n")
                                                     for i, r in enumerate(rows)), encoding="utf-8")
    assert read_observations(quoted).rejected["reason"].tolist() == [
        f"{quoted}：33 行，超过上限 30（{quoted}: 33 rows, above the limit of 30 (MAX_ROWS)）"]
    plain = tmp_path / "plain.csv"
    plain.write_text("地区,指标,年份,数值\n" + "".join(rows[:22]) + "".join(
        f"乙县,婴儿死亡率,{2000 + i},5.0\n" for i in range(8)), encoding="utf-8")
    assert read_observations(plain).rejected["reason"].tolist() == [
        f"{plain}：32 行，超过上限 30（{plain}: 32 rows, above the limit of 30 (MAX_ROWS)）"]
    within = tmp_path / "within.csv"
    within.write_text("地区,指标,年份,数值\n" + "".join(rows), encoding="utf-8")
    r = read_observations(within)
    assert r.ok and len(r.observations) == 25 and r.rows_read == 25


@pytest.mark.parametrize(("n", "run"), [(4500, 45), (999, 1000), (5000, 3)])
def test_combinations_of_grouped_rows_are_named_from_their_runs(n, run):
    """Rows grouped by their codes (runs of equal combinations) are named from the runs' first rows:
    one code per distinct combination, as hashing gives, and the row named for each holds it; a
    combination met only far down (its one run starting at the last row) is found too."""
    rng = np.random.default_rng(n + run)
    codes = [np.repeat(rng.integers(-1, w, -(-n // run)), run)[:n] for w in (3, 11)]
    codes[1][-1] = 11  # a combination no other row holds, on the last row
    key, rows = combine_any(*codes)
    hashed, _ = combine(*codes)
    assert len(rows) == len(np.unique(hashed))
    assert len(set(zip(key.tolist(), hashed.tolist(), strict=True))) == len(rows)
    np.testing.assert_array_equal(key[rows], np.arange(len(rows)))
    assert key[-1] not in set(key[:-1].tolist())


def test_used_values_are_those_used_only_keeps():
    """The distinct values some row holds, found without renumbering the rows, are those
    :meth:`Coded.used_only` keeps, in the same order (a column of no rows keeps all)."""
    rng = np.random.default_rng(11)
    for k, n in [(3, 0), (5, 40), (40, 30), (300, 5000)]:
        coded = Coded(rng.integers(0, k, n).astype(np.int16), np.asarray([f"v{i}" for i in range(k)], dtype=object))
        np.testing.assert_array_equal(coded.used_values(), coded.used_only().uniques)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.from_regex(r"[+-]?[0-9]{1,18}(\.[0-9]{1,18})?", fullmatch=True),
    st.from_regex(r"[+-]?[0-9]{0,4}\.?[0-9]{0,4}([eE][+-]?[0-9]{1,3})?", fullmatch=True),
    st.sampled_from([" 5", "5 ", "inf", "-inf", "nan", "Infinity", "1,234", "—", "", "５", "0x10", "1_000", "+.5", "-0",
                     "-00", "-0.0", "18446744073709551616", "-9223372036854775809", "123456789012345678901"]),
    st.text(max_size=6)), min_size=1, max_size=40))
def test_plain_decimals_read_by_arrow_are_the_numbers_to_numeric_reads(cells):
    """Value cells are read as numbers by Arrow where they are plain short decimals, by
    ``pandas.to_numeric`` otherwise: every cell gives the double (and sign) ``to_numeric`` gives."""
    from childplan_analysis.io.validate import _numbers

    raw = np.array(cells, dtype=object)
    got = _numbers(raw)
    expected = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float)
    np.testing.assert_array_equal(got, expected)
    assert (np.signbit(got) == np.signbit(expected)).all()


def _percent_file(path, n: int, cells: dict[int, str]):
    """A long CSV of ``n`` rows of a per-cent indicator; ``cells``: file row → value cell."""
    lines = [f"县{i // 1000},镇{i % 40},剖宫产率,{2000 + i // 40 % 25},{20 + (i % 50) / 2:.1f},%\n" for i in range(n)]
    for row, cell in cells.items():
        lines[row - 2] = f"甲县,镇{row % 7},剖宫产率,2020,{cell},%\n"
    path.write_text("地区,乡镇,指标,年份,数值,单位\n" + "".join(lines), encoding="utf-8")
    return path


def test_a_fraction_a_long_number_and_a_hole_far_down_a_large_file_keep_their_outcomes(tmp_path):
    """Value cells are read by Arrow where plain and the rows between 0 and 1 are looked at on their
    own before any per-row check: a fraction of a per-cent indicator at row 150,000 is still
    rejected with its file, row, column and reason, a word at row 150,001 as no number, a number of
    17 digits at row 150,003 loads as ``to_numeric`` reads it, and a hole at row 150,002 is a
    skipped row."""
    path = _percent_file(tmp_path / "large.csv", 160_000, {150_000: "0.953", 150_001: "约莫", 150_002: "—",
                                                           150_003: "33.333333333333333"})
    r = read_observations(path)
    assert r.rows_read == 160_000 - 1 and len(r.observations) == 160_000 - 3
    bad = r.rejected.astype(str).to_dict("records")
    assert [(b["file"], b["row"], b["column"], b["value"]) for b in bad] == [
        (str(path), "150000", "数值", "0.953"), (str(path), "150001", "数值", "约莫")]
    assert bad[0]["reason"].startswith("数值 0.953 像是按小数填写的百分比（95.3%？）")
    assert bad[1]["reason"] == "数值不是数字（value is not a number）"
    assert r.skipped[["file", "row", "reason"]].values.tolist() == [[str(path), 150_002, "未填报（—）（not reported (—)）"]]
    long = r.observations[(r.observations["region"] == "甲县")]
    assert long["value"].tolist() == [float(pd.to_numeric(pd.Series(["33.333333333333333"])).iloc[0])]
    assert not r.warnings


def test_every_value_a_fraction_far_down_a_large_file_is_named(tmp_path):
    """The warning for a per-cent indicator whose every loaded value lies between 0 and 1 is found
    from the rows between 0 and 1, however far down the file they are."""
    n = 160_000
    lines = [f"县{i // 1000},镇{i % 40},婴儿死亡率,{2000 + i // 40 % 25},{3 + (i % 50) / 10:.1f},‰\n" for i in range(n)]
    lines[150_000 - 2] = "甲县,镇1,剖宫产率,2020,0.35,\n"
    path = tmp_path / "fractions.csv"
    path.write_text("地区,乡镇,指标,年份,数值,单位\n" + "".join(lines), encoding="utf-8")
    r = read_observations(path)
    assert r.ok and len(r.observations) == n
    assert [w for w in r.warnings if "百分比指标" in w] == [
        f"{path}: 百分比指标 caesarean_rate（1） 的数值都在 0–1 之间：如表中显示为 95.3% 而存的是 0.953，请改填百分数"
        "（per-cent indicator(s) caesarean_rate（1）: every value lies between 0 and 1; if the form shows 95.3% from a "
        "stored 0.953, write the per-cent figures）"]


@pytest.mark.parametrize("rate_unit", ["%", "‰"])
def test_a_value_outside_its_bounds_far_down_a_large_file_is_rejected(tmp_path, rate_unit):
    """Where some value lies beyond some indicator's bounds, each distinct value is compared with
    each indicator's bounds once and only its rows are looked at (with a unit to convert, every row
    is compared): a per-cent value of 120 at row 150,000 is still rejected with its file, row,
    column and bounds, a count of 150 per 100,000 beside it loads, and a hole at row 150,001 is a
    skipped row."""
    n = 160_000
    lines = [f"县{i // 1000},镇{i % 40},孕产妇死亡率,{2000 + i // 40 % 25},{100 + (i % 90):d},1/10万\n" if i % 2 else
             f"县{i // 1000},镇{i % 40},剖宫产率,{2000 + i // 40 % 25},{20 + (i % 50) / 2:.1f},{rate_unit}\n"
             for i in range(n)]
    lines[150_000 - 2] = "甲县,镇1,剖宫产率,2020,120,%\n"
    lines[150_001 - 2] = "甲县,镇1,剖宫产率,2021,—,%\n"
    path = tmp_path / "bounds.csv"
    path.write_text("地区,乡镇,指标,年份,数值,单位\n" + "".join(lines), encoding="utf-8")
    r = read_observations(path)
    if rate_unit == "‰":  # 20 ‰ … 44.5 ‰ read as 2 % … 4.45 %: converted, none outside
        assert (r.observations.loc[r.observations["indicator"] == "caesarean_rate", "value"] < 5).all()
    bad = r.rejected.astype(str).to_dict("records")
    assert [(b["file"], b["row"], b["column"], b["value"]) for b in bad] == [(str(path), "150000", "数值", "120")]
    assert bad[0]["reason"] == ("数值 120 超出 caesarean_rate 的合理范围 [0, 100]（value 120 outside the natural bounds "
                                "[0, 100] of caesarean_rate）")
    assert r.skipped[["file", "row", "reason"]].values.tolist() == [[str(path), 150_001, "未填报（—）（not reported (—)）"]]
    assert r.rows_read == n - 1 and len(r.observations) == n - 2
    assert r.observations["value"].max() == 189


@pytest.mark.parametrize(("n", "run", "missing"), [(5000, 40, False), (5000, 8, True), (5000, 1, False), (9, 9, False)])
def test_text_of_runs_decoded_is_the_text_taken_row_by_row(monkeypatch, n, run, missing):
    """A categorical's text in key order is decoded run by run where equal codes come in runs
    (a key column sorted), else taken row by row: the same text either way, a missing cell too,
    and the same as pandas writes it."""
    from childplan_analysis.io import coded

    rng = np.random.default_rng(n + run)
    codes = np.repeat(rng.integers(0, 6, -(-n // run)), run)[:n].astype(np.int8)
    if missing:
        codes[rng.integers(0, n, 5)] = -1
    column = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(
        ["甲县", "", "婴儿死亡率", "total", "镇0", "‰"], dtype="str")))
    order = np.arange(n)
    runs = coded.as_text(column, order)
    monkeypatch.setattr(coded, "_ROWS_PER_RUN", n + 1)  # every column taken row by row
    pd.testing.assert_series_equal(runs, coded.as_text(column, order))
    if not missing:
        pd.testing.assert_series_equal(runs, column.astype("str"))


@pytest.mark.parametrize(("n", "run", "chunks"), [(4000, 50, 1), (4000, 50, 3), (4000, 1, 1), (4000, 2, 4), (7, 7, 1),
                                                  (0, 1, 1), (20_000, 1, 1), (20_000, 600, 2), (20_000, 9, 1)])
def test_cells_encoded_by_runs_are_the_cells_encoded_one_by_one(n, run, chunks):
    """A parsed column whose equal cells come in runs is encoded from the first cell of each run;
    the categories (in order of first appearance) and the codes are those of Arrow's dictionary
    encoding of every cell, across parse blocks too, whether or not the first rows are counted on
    their own (columns of more than 4,096 rows), and a cell that is not UTF-8 is refused."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from childplan_analysis.io import readers

    rng = np.random.default_rng(n + run + chunks)
    texts = np.array(["甲县", "", "婴儿死亡率", "镇0", "‰", "total"], dtype=object)
    cells = [t.encode() for t in np.repeat(texts[rng.integers(0, len(texts), -(-n // run) or 1)], run)[:n]]
    cuts = np.linspace(0, n, chunks + 1).astype(int)
    column = pa.chunked_array([pa.array(cells[a:b], pa.binary()) for a, b in zip(cuts[:-1], cuts[1:], strict=True)],
                              pa.binary())
    got = readers._categorical(column)
    expected = pc.dictionary_encode(column).combine_chunks()
    assert list(got.categories) == [b.decode() for b in expected.dictionary.to_pylist()]
    assert got.codes.tolist() == expected.indices.to_pylist()
    bad = pa.chunked_array([pa.array([b"\xff\xfe"] * 20 + cells[:20], pa.binary())])
    with pytest.raises(pa.ArrowInvalid):
        readers._categorical(bad)


def test_a_bad_cell_ending_a_run_far_down_a_large_file_keeps_its_outcome(tmp_path):
    """Region, indicator and unit cells come in long runs and are encoded run by run: a run of a
    misspelt indicator ending at row 150,000, a region of its own at row 150,001 and a hole at row
    150,002 keep their rejections and skipped row, the rows around them load."""
    n = 160_000
    lines = [f"县{i // 1000},镇{i % 40},婴儿死亡率,{2000 + i // 40 % 25},{3 + (i % 50) / 10:.1f},‰\n" for i in range(n)]
    for row in range(149_990, 150_001):
        lines[row - 2] = lines[row - 2].replace("婴儿死亡率", "婴儿死亡律")
    lines[150_001 - 2] = "乙县,镇1,婴儿死亡率,2020,,‰\n"
    lines[150_002 - 2] = "丙县,镇2,婴儿死亡率,2021,—,‰\n"
    path = tmp_path / "runs.csv"
    path.write_text("地区,乡镇,指标,年份,数值,单位\n" + "".join(lines), encoding="utf-8")
    r = read_observations(path)
    bad = r.rejected.astype(str).to_dict("records")
    assert [(b["row"], b["column"], b["value"]) for b in bad] == [
        *((str(row), "指标", "婴儿死亡律") for row in range(149_990, 150_001)), ("150001", "数值", "")]
    assert {b["file"] for b in bad} == {str(path)}
    assert bad[0]["reason"].startswith("未知指标 '婴儿死亡律'")
    assert r.skipped[["file", "row", "reason"]].values.tolist() == [[str(path), 150_002, "未填报（—）（not reported (—)）"]]
    assert r.rows_read == n - 1 and len(r.observations) == n - 1 - 12  # the hole is skipped, not read
    assert set(r.observations["region"]) == {f"县{k}" for k in range(160)}


def test_a_column_in_runs_on_its_first_rows_only_is_encoded_cell_by_cell_alike():
    """Runs on the first 4,096 rows and none after: the whole column is counted and, its runs too
    short, encoded cell by cell; a column changing on every first row but in runs after is encoded
    cell by cell at once. Both give Arrow's dictionary encoding of every cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from childplan_analysis.io import readers

    runs = [f"镇{k // 500}".encode() for k in range(5000)]
    cycling = [f"县{k % 3}".encode() for k in range(40_000)]
    for cells in (runs + cycling, cycling[:5000] + runs * 4):
        column = pa.chunked_array([pa.array(cells, pa.binary())])
        got = readers._categorical(column)
        expected = pc.dictionary_encode(column).combine_chunks()
        assert list(got.categories) == [b.decode() for b in expected.dictionary.to_pylist()]
        assert got.codes.tolist() == expected.indices.to_pylist()
