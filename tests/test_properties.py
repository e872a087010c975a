"""Property-based tests: bad input gives a clear error or a rejected row, never a crash.

Generated cases (fixed by the ``childplan`` hypothesis profile in conftest.py, so every run
sees the same ones): target grammar 6,000, plan loader 3,700, observation loaders 400 —
over 10,000 in total (checked by ``test_generated_case_budget``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childplan_analysis.catalog.grammar import parse_target
from childplan_analysis.catalog.plans import Plan, load_plan, plan_from_dict
from childplan_analysis.core import config
from childplan_analysis.core.errors import ChildplanError, PlanError
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.targets import Comparator
from childplan_analysis.io.placeholders import is_placeholder
from childplan_analysis.io.sources import read_observations
from childplan_analysis.io.wide_forms import cell_text

IND = load_indicators()
RATE_INDICATORS = sorted(
    (i for i in IND.by_id.values() if i.unit in ("%", "‰", "1/10万", "1/万")), key=lambda i: i.id
)
NAMES = sorted({i.name("zh") for i in IND.by_id.values()} | set(list(IND.by_id)[:20]))
UNIT_TEXT = {"%": "%", "‰": "‰", "1/10万": "/10万", "1/万": "/万"}
# tmp_path is function-scoped; each example writes its own file name inside it.
FILE_SETTINGS = {"suppress_health_check": [HealthCheck.function_scoped_fixture]}


class _ErrorLog(logging.Handler):
    """Collects ERROR records: the grammar logs, then swallows, any internal exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def grammar_errors():
    handler = _ErrorLog()
    logger = logging.getLogger("childplan_analysis.catalog.grammar")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


# ------------------------------------------------------------------ target grammar

PLAN_WORDS = [
    "到", "2025年", "2030年", "2035年", "，", "；", "、", "和", "及", "分别", "控制在", "达到", "保持在",
    "下降到", "提高到", "以下", "以上", "左右", "不低于", "不超过", "以2020年为基数", "下降", "提高",
    "年均", "每年", "个百分点", "%", "‰", "/10万", "‰以下", "%以上", "之间", "至", "~", "持续",
    "巩固", "并", "全面", "基本", "（", "）", "(", ")", "1.", "一、", "0", "3", "95", "4.5", "1e309",
    "１２", "．", "-", "—",
]
plan_text = st.lists(
    st.one_of(st.sampled_from(PLAN_WORDS), st.sampled_from(NAMES), st.text(max_size=4)), max_size=25
).map("".join)


def _check_parsed(out) -> None:
    for p in out:
        for v in (p.value, p.value_high, p.tolerance):
            assert v is None or math.isfinite(v), p
        assert p.year is None or 1900 <= p.year <= 2200, p
        assert p.baseline_year is None or 1900 <= p.baseline_year <= 2200, p
        assert p.indicator is None or p.indicator in IND.by_id, p
        if p.comparator == Comparator.RANGE and p.value is not None and p.value_high is not None:
            assert p.value_high >= p.value, p


@settings(max_examples=2800)
@given(text=plan_text, year=st.one_of(st.none(), st.integers(2021, 2035)))
def test_grammar_never_fails_on_plan_like_text(grammar_errors, text, year):
    before = len(grammar_errors.records)
    out = parse_target(text, year=year, indicators=IND)
    assert len(grammar_errors.records) == before, grammar_errors.records[-1].getMessage()
    _check_parsed(out)
    assert [p.key() for p in parse_target(text, year=year, indicators=IND)] == [p.key() for p in out]


# Phrase → comparator, checked against the grammar's documented phrase table.
LEVEL_PHRASES = {
    "控制在{v}以下": Comparator.LE,
    "不超过{v}": Comparator.LE,
    "达到{v}以上": Comparator.GE,
    "不低于{v}": Comparator.GE,
    "达到并保持在{v}以上": Comparator.MAINTAIN_GE,
    "保持在{v}以上": Comparator.MAINTAIN_GE,
}


@settings(max_examples=3200)
@given(
    ind=st.sampled_from(RATE_INDICATORS),
    phrase=st.sampled_from(sorted(LEVEL_PHRASES)),
    value=st.decimals(min_value="0.1", max_value="99.9", places=1),
    year=st.integers(2022, 2035),
    lead=st.sampled_from(["到{y}年，", "{y}年", "到{y}年"]),
)
def test_grammar_reads_generated_targets_exactly(grammar_errors, ind, phrase, value, year, lead):
    text = lead.format(y=year) + ind.name("zh") + phrase.format(v=f"{value}{UNIT_TEXT[ind.unit]}")
    out = parse_target(text, year=2030, indicators=IND)
    assert [(p.indicator, p.comparator, p.value, p.unit, p.year) for p in out] == [
        (ind.id, LEVEL_PHRASES[phrase], float(value), ind.unit, year)
    ], text


# ------------------------------------------------------------------ plan loader

PLAN_KEYS = ["id", "title", "region", "level", "period", "parent", "source", "population", "targets"]
TARGET_KEYS = ["id", "indicator", "domain", "comparator", "value", "value_high", "tolerance", "unit",
               "year", "baseline_year", "attribute", "responsible", "article", "clause", "note"]
junk = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=4,
)
TARGET_VALUES = {
    "id": st.sampled_from(["t1", "t2", "", "t1"]),
    "indicator": st.sampled_from(NAMES[:30] + ["婴儿死忙率", "", "unknown_x"]),
    "comparator": st.sampled_from([c.value for c in Comparator] + ["≤", "lt", ""]),
    "value": st.floats(allow_nan=True, allow_infinity=True) | st.integers(-5, 200) | st.text(max_size=4),
    "value_high": st.floats(-10, 200) | st.none(),
    "tolerance": st.floats(-1, 5) | st.none(),
    "unit": st.sampled_from(["%", "‰", "1/10万", "1/万", "个", "％", "", None]),
    "year": st.integers(1980, 2110) | st.sampled_from(["2030", "2030年", dt.date(2030, 1, 1)]),
    "baseline_year": st.integers(1985, 2035) | st.none(),
    "attribute": st.sampled_from(["binding", "expected", "约束性", None]),
    "responsible": st.lists(st.text(max_size=4), max_size=2) | st.text(max_size=4),
}
target_dict = st.fixed_dictionaries(
    {"id": TARGET_VALUES["id"]},
    optional={k: TARGET_VALUES.get(k, junk) for k in TARGET_KEYS[1:] + ["extra"]},
) | junk
PLAN_VALUES = {
    "id": st.sampled_from(["test_plan", "Bad-ID", "", "../x"]),
    "title": st.text(max_size=8),
    "region": st.sampled_from(["磐石市", "", "<script>"]),
    "level": st.sampled_from(["national", "province", "city", "county", "town"]),
    "period": st.sampled_from([[2021, 2030], [2030, 2021], [2021], "2021-2030"]),
    "population": st.sampled_from(["children", "women", "men"]),
    "targets": st.lists(target_dict, max_size=3) | junk,
}
plan_dict = st.fixed_dictionaries({}, optional={k: PLAN_VALUES.get(k, junk) for k in PLAN_KEYS + ["extra"]})


def _check_plan_outcome(make) -> Plan | None:
    """``make()`` must give a valid Plan or a PlanError that names where the problem is."""
    try:
        plan = make()
    except PlanError as exc:
        assert exc.problems and all(path and msg for path, msg in exc.problems)
        return None
    ids = [t.id for t in plan.targets]
    assert plan.targets and len(set(ids)) == len(ids)
    for t in plan.targets:
        assert t.indicator in IND.by_id
        for v in (t.value, t.value_high, t.tolerance):
            assert v is None or math.isfinite(v)
        assert t.baseline_year is None or t.baseline_year < t.year
    return plan


@settings(max_examples=2500)
@given(raw=plan_dict)
def test_plan_from_any_dict_is_valid_or_a_plan_error(raw):
    _check_plan_outcome(lambda: plan_from_dict(raw, indicators=IND))


@settings(max_examples=800, **FILE_SETTINGS)
@given(raw=plan_dict | junk, n=st.integers(0, 10**9))
def test_plan_file_from_any_yaml_is_valid_or_a_plan_error(tmp_path, raw, n):
    path = tmp_path / f"plan_{n}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    from_file = _check_plan_outcome(lambda: load_plan(path, indicators=IND))
    if isinstance(raw, dict):
        from_dict = _check_plan_outcome(lambda: plan_from_dict(raw, indicators=IND))
        assert (from_file is None) == (from_dict is None)


@settings(max_examples=400, **FILE_SETTINGS)
@given(
    data=st.binary(max_size=200) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    prefix=st.sampled_from([b"", b"!!python/object/apply:os.system ['true']\n", b"id: a\nid: b\n",
                            b"a: &x [1]\nb: *x\n", b"[" * 200, b"\xd2\xbb\xb6\xf9: 1\n"]),
    n=st.integers(0, 10**9),
)
def test_plan_file_from_any_bytes_is_valid_or_a_plan_error(tmp_path, data, prefix, n):
    path = tmp_path / f"plan_{n}.yaml"
    path.write_bytes(prefix + data)
    _check_plan_outcome(lambda: load_plan(path, indicators=IND))


# ------------------------------------------------------------------ observation loaders

HEADERS = {
    "region": ["地区", "region", "区域"],
    "indicator": ["指标", "指标名称", "indicator"],
    "year": ["年份", "year", "年度"],
    "value": ["数值", "value", "监测值"],
    "unit": ["单位", "unit"],
    "sex": ["性别", "sex"],
    "area": ["城乡", "area"],
    "source": ["来源", "note", "备注"],
}
CELLS = {
    "region": st.sampled_from(["磐石市", "吉林市", "全国", "", " ", "<script>alert(1)</script>", "=1+1",
                               "../x", "CON"]) | st.text(max_size=6),
    "indicator": st.sampled_from(NAMES[:40] + ["婴儿死忙率", "", "#N/A"]) | st.text(max_size=6),
    "year": st.integers(1900, 2200).map(str)
    | st.sampled_from(["2021年", "2021-01-01", "2021/1/1", "2021.0", "2021.5", "", "２０２１", "二〇二一",
                       "99999999999999999999", "nan", "inf", "-inf", "1e3", "20x1", "#REF!"])
    | st.text(max_size=5),
    "value": st.floats().map(repr)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str)
    | st.sampled_from(["1e308", "1e400", "-1e400", "-0", "1,234", "５．２", "4.5‰", "12%", "—", "<0.1", "≥95",
                       "#DIV/0!", "", "NaN", "Infinity", "0x1A", "1_000", "  7  ", "1.2.3", "9" * 400])
    | st.text(max_size=5),
    "unit": st.sampled_from(["", "%", "‰", "1/10万", "/万", "人", "％", "‰‰"]) | st.text(max_size=3),
    "sex": st.sampled_from(["", "男", "女", "合计", "x"]),
    "area": st.sampled_from(["", "城镇", "农村", "郊区"]),
    "source": st.text(max_size=6),
}


@st.composite
def tables(draw):
    """Column headings (sometimes missing, duplicated or junk) and rows of mixed cells."""
    cols = ["region", "indicator", "year", "value"] + draw(
        st.lists(st.sampled_from(["unit", "sex", "area", "source"]), unique=True, max_size=4)
    )
    if draw(st.booleans()) and draw(st.booleans()):
        cols.remove(draw(st.sampled_from(cols[:4])))  # a required column is missing
    if draw(st.booleans()) and draw(st.booleans()):
        cols.append(draw(st.sampled_from(cols)))  # the same column twice
    cols = draw(st.permutations(cols))
    header = [draw(st.sampled_from(HEADERS[c])) for c in cols]
    if draw(st.integers(0, 9)) == 0:
        header.append(draw(st.text(max_size=5)))
        cols.append("source")
    rows = draw(st.lists(st.tuples(*[CELLS[c] for c in cols]), max_size=12))
    return cols, header, [list(r) for r in rows]


def _check_accounting(result, n_rows: int | None) -> None:
    obs, rejected = result.observations, result.rejected
    conflicts = len(getattr(result, "conflicts", ()))
    assert result.rows_read == len(obs) + len(rejected) + conflicts, (result.rows_read, len(obs), len(rejected))
    skipped = getattr(result, "skipped", None)
    if n_rows is not None:
        assert result.rows_read + (0 if skipped is None else len(skipped)) == n_rows
    assert rejected["reason"].astype(str).str.len().gt(0).all()
    assert set(obs["indicator"]) <= set(IND.by_id)
    assert obs["value"].map(math.isfinite).all()
    assert obs["year"].between(config.MIN_YEAR, config.MAX_YEAR).all()
    for ind_id, unit in obs[["indicator", "unit"]].drop_duplicates().itertuples(index=False):
        assert unit == IND.by_id[ind_id].unit
        low, high = IND.by_id[ind_id].bounds
        vals = obs.loc[obs["indicator"] == ind_id, "value"]
        assert low is None or (vals >= low).all()
        assert high is None or (vals <= high).all()


def _csv_bytes(header, rows, encoding: str) -> bytes:
    buf = io.StringIO()
    # csv quotes a lone CR only when asked to; a bare CR would start a new row
    bare_cr = any("\r" in str(c) for r in [header, *rows] for c in r)
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if bare_cr else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("gb18030" if encoding == "gbk" else "utf-8")


def _complete_header(cols) -> bool:
    required = ["region", "indicator", "year", "value"]
    return all(cols.count(c) == 1 for c in required) and len(set(cols)) == len(cols)


@settings(max_examples=300, **FILE_SETTINGS)
@given(
    table=tables(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]),
    n=st.integers(0, 10**9),
)
def test_csv_rows_are_all_accounted_for(tmp_path, table, encoding, n):
    cols, header, rows = table
    path = tmp_path / f"obs_{n}.csv"
    path.write_bytes(_csv_bytes(header, rows, encoding))
    try:
        result = read_observations(path, indicators=IND)
    except ChildplanError:
        return
    clean = _complete_header(cols) and all(
        any(str(c).strip() for c in r) for r in rows
    )
    _check_accounting(result, len(rows) if clean else None)


@pytest.mark.parametrize("content", [b"", b"\n\n", "地区,指标,年份,数值\n".encode(), b"\xef\xbb\xbf",
                                     b"\x00\x00\x00", "地区,地区,年份\n".encode("gbk")])
def test_degenerate_csv_files(tmp_path, content):
    path = tmp_path / "obs.csv"
    path.write_bytes(content)
    _check_accounting(read_observations(path, indicators=IND), None)


EXCEL_CELL = (
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1))
    | st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=6)
)


@st.composite
def workbooks(draw):
    cols, header, rows = draw(tables())
    # Excel cells are typed: numbers, dates instead of years, booleans, empty cells.
    typed = [[draw(EXCEL_CELL) if draw(st.integers(0, 3)) == 0 else c for c in r] for r in rows]
    return cols, header, typed


@settings(max_examples=100, **FILE_SETTINGS)
@given(table=workbooks(), n=st.integers(0, 10**9), sheets=st.integers(1, 2))
def test_excel_rows_are_all_accounted_for(tmp_path, table, n, sheets):
    cols, header, rows = table
    wb = openpyxl.Workbook()
    for i in range(sheets):
        ws = wb.active if i == 0 else wb.create_sheet(f"表{i}")
        ws.append([_xlsx_cell(c) for c in header])
        for r in rows:
            ws.append([_xlsx_cell(c) for c in r])
    path = tmp_path / f"obs_{n}.xlsx"
    wb.save(path)
    try:
        result = read_observations(path, indicators=IND)
    except ChildplanError:
        return
    _check_accounting(result, None)


def _xlsx_cell(c):
    """openpyxl refuses control characters and treats text starting with '=' as a formula."""
    if isinstance(c, str):
        c = "".join(ch for ch in c if ch.isprintable() or ch == " ")
        return "'" + c if c.startswith("=") else c
    return c


FORM_VALUE = (
    st.floats(0, 200, allow_nan=False).map(lambda v: round(v, 2))
    | st.sampled_from(["—", "/", "未统计", "≥95", "<5", "约3.2", "#DIV/0!", "12%", "九十", " 4.1 "])
    | st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1, max_size=4)
)
FURNITURE_ROWS = [["注：2023年为快报数。"], ["说明：本表由卫健局填报"], ["填表人：张三", None, "审核人：李四"],
                  ["联系电话：0432-1234567"], ["单位负责人：王五", None, "填报日期：2024年3月1日"], ["制表：统计股"]]


@st.composite
def department_forms(draw):
    """The structure of a departmental wide form: title and preamble rows, a one- or two-row year
    header (merged 年份 cell), an optional unit column, section rows, data rows and furniture."""
    years = draw(st.lists(st.integers(2010, 2030), min_size=1, max_size=6, unique=True))
    return {
        "years": sorted(years),
        "title": draw(st.booleans()),
        "preamble": draw(st.lists(st.sampled_from(["填报单位（盖章）：县卫健局", "单位：见各行", "统计时间：2024年"]),
                                  max_size=2)),
        "merged_years": draw(st.booleans()),
        "unit": draw(st.booleans()),
        "blocks": draw(st.lists(st.tuples(
            st.sampled_from(["", "一、儿童与健康", "二、儿童与教育", "（三）儿童与福利"]),
            st.lists(st.tuples(st.sampled_from(NAMES[:40]), st.sampled_from(["‰", "%", "1/10万", ""]),
                               st.lists(st.none() | FORM_VALUE, min_size=6, max_size=6)), max_size=4)),
            min_size=1, max_size=3)),
        "furniture": draw(st.lists(st.sampled_from(range(len(FURNITURE_ROWS))), max_size=4)),
        "blank_rows": draw(st.integers(0, 2)),
    }


def _write_form(path, form):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "卫健局"
    years, lead = form["years"], 2 if form["unit"] else 1
    width = lead + len(years)
    last = openpyxl.utils.get_column_letter(width)
    if form["title"]:
        ws.append(["青禾县妇女儿童发展规划监测统计表"])
        if width > 1:
            ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
    for line in form["preamble"]:
        ws.append([line])
    for _ in range(form["blank_rows"]):
        ws.append([])
    top = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
    heads = ["指标名称"] + (["计量单位"] if form["unit"] else [])
    if form["merged_years"]:
        for j, h in enumerate(heads, start=1):
            ws.cell(top, j, h)
            ws.merge_cells(start_row=top, start_column=j, end_row=top + 1, end_column=j)
        ws.cell(top, lead + 1, "年份")
        if len(years) > 1:
            ws.merge_cells(start_row=top, start_column=lead + 1, end_row=top, end_column=width)
        for j, y in enumerate(years):
            ws.cell(top + 1, lead + 1 + j, f"{y}年")
    else:
        for j, h in enumerate([*heads, *[str(y) for y in years]], start=1):
            ws.cell(top, j, h)
    cells = skipped = 0
    for section, rows in form["blocks"]:
        if section:
            ws.append([section])
            skipped += 1
            if width > 1:
                ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
        for name, unit, values in rows:
            vals = values[: len(years)]
            ws.append([name, *([unit] if form["unit"] else []), *vals])
            # a cell marked as not reported (—, /, 未统计) is skipped, not read
            marked = sum(v is not None and is_placeholder(cell_text(v)) for v in vals)
            cells += sum(v is not None for v in vals) - marked
            skipped += marked
    for k in form["furniture"]:
        ws.append(FURNITURE_ROWS[k])
        skipped += 1
    wb.save(path)
    return cells, skipped


@settings(max_examples=80, deadline=None, **FILE_SETTINGS)
@given(form=department_forms(), n=st.integers(0, 10**9))
def test_department_form_structure_every_cell_accounted_for(tmp_path, form, n):
    path = tmp_path / f"form_{n}.xlsx"
    cells, skipped = _write_form(path, form)
    result = read_observations(path, region="青禾县", indicators=IND)  # never raises
    _check_accounting(result, None)
    assert result.rows_read == cells, (result.rows_read, cells, result.rejected["reason"].tolist()[:3])
    assert len(result.skipped) == skipped
    assert not result.rejected["reason"].str.contains("missing column").any()


def test_row_accounting_over_a_folder_of_mixed_files(tmp_path):
    (tmp_path / "a.csv").write_bytes("地区,指标,年份,数值\n磐石市,婴儿死亡率,2021,4.1\n磐石市,婴儿死亡率,2022,x\n".encode("gbk"))
    (tmp_path / "b.csv").write_bytes(b"")
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04 truncated")
    pd.DataFrame({"地区": ["磐石市"], "指标": ["新生儿死亡率"], "年份": [2021], "数值": [2.2]}).to_excel(
        tmp_path / "d.xlsx", index=False
    )
    result = read_observations(tmp_path, indicators=IND)
    _check_accounting(result, None)
    assert len(result.observations) == 2
    assert {Path(f).name for f in result.rejected["file"]} == {"a.csv", "b.csv", "c.xlsx"}


def test_generated_case_budget():
    """The property tests above generate at least 10,000 cases per run."""
    tests = [v for k, v in globals().items() if k.startswith("test_") and hasattr(v, "hypothesis")]
    total = sum(t._hypothesis_internal_use_settings.max_examples for t in tests)
    assert total >= 10_000, total

