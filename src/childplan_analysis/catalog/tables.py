"""Find and read indicator tables in plan text.

A table comes as one row a line (markdown ``| a | b |``, tab-separated, or cells set apart by runs
of spaces), laid out one cell per line (``专栏一 … 主要指标`` / ``指标`` / ``2025年`` / …, as text copied
from a web page or a PDF often is), or as a two-column table with one ``|`` a row. The rows'
target cells are parsed with :func:`~childplan_analysis.catalog.grammar.parse_table_cell`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from childplan_analysis.catalog.grammar import ParsedTarget, parse_table_cell
from childplan_analysis.catalog.outline import MIN_TARGET_YEAR, PART_RE, is_structural
from childplan_analysis.catalog.run_in import compact, read_run_in
from childplan_analysis.catalog.table_words import ROLES, is_title, value_role
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.core.targets import LEVEL_COMPARATORS, NEEDS_BASELINE
from childplan_analysis.core.units import canonical_unit, conversion_factor

_TABLE_HEAD_WORDS = ("类别", "序号", "指标", "单位", "目标", "属性", "责任", "牵头", "备注", "基数", "基期", "现状", "规划")
#: A header cell that only names the role of the value column above or beside it (``完成情况``
#: under ``2020年``, laid out one cell per line).
_ROLE_CELL = re.compile(rf"^(?:{ROLES})$")
_ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}
_DIRECTION_CELL = re.compile(
    r"^(明显|显著|逐步|逐年|稳步|持续|进一步|不断|有所|巩固|保持|稳定|提高|提升|增加|增长|下降|降低|减少|扩大)+$"
)
_VALUE_CELL = re.compile(
    r"^[<>≤≥＜＞]?=?\s*\d+(?:\.\d+)?\s*(?:%|‰|％|个|名|张|所|小时|人|家|岁|年|次)?"
    r"(?:\s*[-—~～至]\s*\d+(?:\.\d+)?\s*(?:%|‰|％)?)?\s*(以上|以下|左右)?$|^全覆盖$"
)
_DEPARTMENT = re.compile(r"(委|局|会|联|厅|办|院|政府|分局|中心|团|部|所|队|支队)(、|$)")

#: A word naming a measure: a ``其中`` name holding one is a row's name of its own.
_MEASURE_WORD = re.compile(r"[率比重数量]|年限|人次|时长")


@dataclass
class _Table:
    """An indicator table being read cell by cell."""

    columns: list[tuple[int, bool]] = field(default_factory=list)  # (year, is_baseline)
    name: str | None = None
    values: list[str] = field(default_factory=list)
    attribute: str | None = None
    responsible: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # name, values, attribute, responsible (, written)
    value_columns: int = 0  # value columns of a header read cell by cell (0: not known)
    has_unit: bool = False  # a 单位 column follows the name
    subs: list[str] = field(default_factory=list)  # ``其中`` names stacked under the name
    numbered: bool = False  # rows open with their number (a 序号 column)
    next_serial: int = 1  # the number the next row opens with
    naming: bool = False  # the next cell is the name of the row just numbered
    undated: list[int] = field(default_factory=list)  # base columns without a year (``现状``)

    def flush(self) -> None:
        for name, values in self._split_rows():
            self.rows.append(
                {
                    "name": name,
                    "values": values,
                    "attribute": self.attribute,
                    "responsible": list(self.responsible),
                }
            )
        self.name, self.values, self.attribute, self.responsible, self.subs = None, [], None, [], []

    def _split_rows(self) -> list[tuple[str, list[str]]]:
        """The rows of a cell that stacks a name and its ``其中`` names, their values stacked
        column by column (``幼儿教师…比例`` / ``其中:本科…比例`` / 2020 × 2 / 2025 × 2): the name
        keeps the first value of each column when the values fill one row more than the ``其中``
        names, else it only heads them (``标准班额比例`` / ``其中:小学`` / ``初中``)."""
        if not (self.name and self.values):
            return []
        n = self.value_columns
        subs = [re.sub(r"^其中[:：]?", "", s).strip() for s in self.subs]
        if not subs or not n or len(self.values) % n:
            return [(self.subs[-1] if self.subs else self.name, list(self.values))]
        per_column = len(self.values) // n
        if per_column not in (len(subs), len(subs) + 1):
            return [(self.subs[-1], list(self.values))]
        head = re.sub(r"^[\d.、．\s]+", "", self.name)
        unit = re.search(r"[(（][^()（）]+[)）]$", head)
        bare, unit_text = (head[: unit.start()], unit.group(0)) if unit else (head, "")
        # a 其中 name without a measure of its own (``小学``, ``农村妇女``) qualifies the row's name
        names = [s if _MEASURE_WORD.search(s) else f"{bare}（{s}）{unit_text}" for s in subs]
        if per_column == len(subs) + 1:
            names = [self.name, *names]
        return [(name, [self.values[c * per_column + r] for c in range(n)]) for r, name in enumerate(names)]


def split_cells(line: str, loose: bool = False) -> list[str] | None:
    """Cells of a table row written on one line — ``| a | b |`` (markdown), tab-separated, or
    separated by runs of two or more spaces (with ``loose``, by any space, as in text taken
    from a PDF) — or None for an ordinary line."""
    text = line.strip()
    if text.count("|") >= 2:
        cells = text.strip("|").split("|")
    elif "\t" in text:
        cells = text.split("\t")
    else:
        cells = re.split(r"[ \u3000]+" if loose else r"[ \u3000]{2,}|\u3000", text)
        cells = _join_symbols(cells)
        if len(cells) < 3:
            return None
    cells = [re.sub(r"\s+", "", c) for c in cells]
    return cells if len(cells) >= 2 else None


def _join_symbols(cells: list[str]) -> list[str]:
    """``<`` ``3.0`` → ``<3.0`` (a comparison sign set apart from its number)."""
    out: list[str] = []
    for c in cells:
        if out and re.fullmatch(r"[<>≤≥＜＞]=?", out[-1]):
            out[-1] += c
        else:
            out.append(c)
    return out


def _is_rule(cells: list[str]) -> bool:
    """A markdown separator row (``|---|:--:|``)."""
    return all(re.fullmatch(r":?-{2,}:?|", c) for c in cells)


def _is_header_row(cells: list[str] | None) -> bool:
    if not cells:
        return False
    return any("指标" in c or "名称" in c for c in cells) and any(re.search(r"20\d\d|目标", c) for c in cells)


def is_table_start(lines: list[str], i: int) -> bool:
    """Line ``i`` opens a table: a header row, a table's title with its header below, or the
    first cell of a header laid out one cell per line."""
    compact = re.sub(r"\s+", "", lines[i])
    if _is_header_row(split_cells(lines[i])):
        return True
    if _FIRST_HEAD_CELL.match(compact) and _opens_cell_header(lines, i) and not (i and _is_head_cell(lines[i - 1])):
        return True
    if _is_run_in(lines[i]):
        return True
    if is_title(compact) and (_opens_cell_header(lines, i + 1) or (i + 1 < len(lines) and _is_run_in(lines[i + 1]))):
        return True
    if not (compact.startswith("专栏") or compact.endswith("主要指标") or "指标表" in compact):
        return False
    if len(compact) > 40 or compact.endswith("。"):
        return False
    window = [re.sub(r"\s+", "", x) for x in lines[i + 1: i + 10]]
    if any(_is_header_row(split_cells(x, loose)) for x in lines[i + 1: i + 3] for loose in (False, True)):
        return True
    return any(w.startswith("指标") for w in window) and any(re.search(r"20\d\d", w) for w in window)


def _is_run_in(line: str) -> bool:
    """A line holding a table run together, header first (set apart by :func:`split_run_in`)."""
    return "序" in line and read_run_in(compact(line)) is not None


#: A header cell that is only a year (``2020年``, ``2025年目标值``, ``2020年完成情况``): a column of values.
_YEAR_HEAD_RE = re.compile(rf"^(20\d\d)年?(?:底|末)?(?:值|{ROLES})?$")


#: The first cell of a header laid out one cell per line, when no title line stands above it.
_FIRST_HEAD_CELL = re.compile(r"^(?:序号|类别|领域|项目|指标(?:名称)?(?:[(（]单位[)）])?)$")


def _is_head_cell(line: str) -> bool:
    """A cell of a header laid out one cell per line (``序号``, ``指标名称``, ``2020年``, ``完成情况``)."""
    cell = re.sub(r"\s+", "", line)
    if not cell or len(cell) > 20 or re.search(r"[。，,；;：:]", cell):
        return False
    return bool(_YEAR_HEAD_RE.match(cell) or _ROLE_CELL.match(cell) or any(w in cell for w in _TABLE_HEAD_WORDS))


def _opens_cell_header(lines: list[str], j: int) -> bool:
    """Lines from ``j`` on are a header laid out one cell per line: three or more header cells in a
    row, one naming the indicator (``指标``, ``名称``, ``项目``) and one a year or an aim."""
    run = []
    while j + len(run) < len(lines) and _is_head_cell(lines[j + len(run)]):
        run.append(re.sub(r"\s+", "", lines[j + len(run)]))
    return (
        len(run) >= 3
        and any(re.search(r"指标|名称|项目", c) for c in run)
        and any(_YEAR_HEAD_RE.match(c) or value_role(c) == "target" for c in run)
    )


@dataclass
class _Header:
    """A header laid out one cell per line: its value columns and the columns around them."""

    columns: list[tuple[int, bool]]  # (year, is_baseline)
    end: int  # the line after it
    has_unit: bool = False  # a 单位 column
    numbered: bool = False  # a 序号 column
    undated: list[int] = field(default_factory=list)  # base columns without a year (``现状``)


def _read_header(lines: list[str], i: int, year_end: int) -> _Header:
    """The header laid out one cell per line that starts at line ``i`` (``序号``, ``指标`` …) or
    under the title at ``i``: its value columns (``2020年`` / ``2025年``), a 单位 column and a 序号
    column. A cell naming a column's role qualifies the bare year before it (``2020年`` /
    ``完成情况`` / ``2020年`` / ``规划目标``) or, spanning them, the years after it (``目标值`` /
    ``2025年`` / ``2030年``): results set aside, aims kept whatever their year."""
    columns: list[tuple[int, bool]] = []
    qualified: list[bool] = []  # whether a column's header names its role (not a bare year)
    spanning: str | None = None  # the role of a cell over the year columns that follow it
    has_unit = numbered = False
    undated: list[int] = []  # base columns whose header writes no year
    j = i if _FIRST_HEAD_CELL.match(re.sub(r"\s+", "", lines[i])) else i + 1
    while j < len(lines):
        cell = re.sub(r"\s+", "", lines[j])
        bare_year = _YEAR_HEAD_RE.match(cell)
        role_only = _ROLE_CELL.match(cell)
        if not (bare_year or role_only or any(w in cell for w in _TABLE_HEAD_WORDS)) or len(cell) > 20:
            break
        m = re.search(r"(20\d\d)", cell)
        role = value_role(cell) or (spanning if m else None)
        below = re.sub(r"\s+", "", lines[j + 1]) if j + 1 < len(lines) else ""
        if not m:
            spanning = None
        if m:
            year = int(m.group(1))
            columns.append((year, role == "base" or (role is None and bool(bare_year) and year < MIN_TARGET_YEAR)))
            qualified.append(role is not None)
        elif role_only and columns and not qualified[-1]:
            columns[-1] = (columns[-1][0], role == "base")  # ``2020年`` / ``完成情况``: that column's role
            qualified[-1] = True
        elif role_only and re.match(r"20\d\d年?$", below):
            spanning = role  # ``目标值`` over ``2025年`` / ``2030年``
        elif role == "target":
            columns.append((year_end, False))
            qualified.append(True)
        elif role_only:
            undated.append(len(columns))
            columns.append((year_end, True))  # ``现状`` without a year: results
            qualified.append(True)
        elif re.fullmatch(r"(计量)?单位", cell):
            has_unit = True
        elif "序号" in cell:
            numbered = True
        j += 1
    return _Header(columns or [(year_end, False)], j, has_unit, numbered, undated)


def _cell_kind(cell: str, table: _Table) -> str:
    compact = re.sub(r"\s+", "", cell)
    if compact in _ATTRIBUTES:
        return "attribute"
    awaiting_values = table.name is not None and not table.values
    row_open = table.name is not None and 0 < len(table.values) < table.value_columns  # more values to come
    if re.fullmatch(r"\d{1,3}", compact) and not awaiting_values and not (row_open and not table.numbered):
        return "serial"
    if _VALUE_CELL.match(compact) or _DIRECTION_CELL.match(compact):
        return "value" if table.name is not None else "serial"
    if table.values and _DEPARTMENT.search(compact) and not compact.endswith(")"):
        return "responsible"
    if table.values and re.fullmatch(r"[(（][^()（）]*[)）]", compact):
        return "note"  # ``(全县监测)`` under a value
    lacks_values = not table.value_columns or len(table.values) < table.value_columns
    if table.name is not None and not table.subs and lacks_values and _is_phrase_value(compact):
        return "value"  # ``以2020年为基数下降10%``, ``比2020年降低5个百分点``
    return "name"


def _is_phrase_value(cell: str) -> bool:
    """A value written as a phrase: a number and a verb of change, not ending as a name does."""
    return bool(re.search(r"\d", cell) and _CHANGE_VERB.search(cell)) and not re.search(r"[率数比重量]$", cell)


def _is_modifier(cell: str) -> bool:
    """A direction cell without a verb (``明显``, ``巩固``) that the next cell completes."""
    return bool(_DIRECTION_CELL.match(cell)) and not re.search(r"提高|提升|增加|增长|下降|降低|减少|扩大", cell)


def read_table(lines: list[str], i: int, year_end: int) -> tuple[_Table, int]:
    """Read the table starting at line ``i`` (its title or header row); return it and the
    index of the first line after it."""
    for j in (i, i + 1):
        if j < len(lines) and _is_run_in(lines[j]):
            return _read_run_in_table(lines[j], year_end), j + 1
    for j in (i, i + 1, i + 2):
        for loose in (False, True) if j > i else (False,):
            if j < len(lines) and _is_header_row(split_cells(lines[j], loose)):
                return _read_row_table(lines, j, year_end, loose)
    return _read_cell_table(lines, i, year_end)


#: A cell of a table's 单位 column (``%``, ``1/10万``, ``年``, ``万人``).
_UNIT_CELL = re.compile(r"[%‰‱％]|(?:1/)?(?:10)?万?[\u4e00-\u9fff]{0,2}|\d*/?\d*万")


def _is_category_row(lines: list[str], j: int) -> bool:
    """A table's group heading (``一、发展水平``): short, no punctuation, and a row's value
    within the next three lines."""
    compact = re.sub(r"\s+", "", lines[j])
    if len(compact) > 15 or re.search(r"[。,，;；:：]", compact):
        return False
    return any(_VALUE_CELL.match(re.sub(r"\s+", "", x)) for x in lines[j + 1: j + 4])


def _read_cell_table(lines: list[str], i: int, year_end: int) -> tuple[_Table, int]:
    """A table laid out one cell per line (as text copied from a web page or a PDF often is)."""
    header = _read_header(lines, i, year_end)
    columns, j = header.columns, header.end
    table = _Table(
        columns=columns, value_columns=len(columns) if len(columns) > 1 else 0, has_unit=header.has_unit,
        numbered=header.numbered, undated=header.undated,
    )
    while j < len(lines):
        cell = lines[j].strip()
        compact = re.sub(r"\s+", "", cell)
        if PART_RE.match(compact) and _is_category_row(lines, j):
            table.flush()
            j += 1
            continue
        if len(compact) > 60 or PART_RE.match(compact) or compact.startswith("专栏") or compact.endswith("。"):
            break
        if table.numbered and _numbered_cell(lines, j, table):
            j += 1
            continue
        kind = _cell_kind(cell, table)
        if kind == "name" and table.has_unit and table.name is not None and not table.values and not table.subs \
                and _UNIT_CELL.fullmatch(compact):
            if not re.search(r"[(（][^()（）]+[)）]$", table.name):
                table.name = f"{table.name}（{compact}）"
            j += 1
            continue
        if kind == "value":
            if table.values and _is_modifier(table.values[-1]) and _DIRECTION_CELL.match(compact):
                table.values[-1] += compact
            else:
                table.values.append(compact)
        elif kind == "attribute":
            table.attribute = _ATTRIBUTES[compact]
        elif kind == "responsible":
            table.responsible = [r for r in re.split(r"[、,，]", compact) if r]
        elif kind == "name":
            if table.name is not None and not table.values and (compact.startswith("其中") or table.subs):
                table.subs.append(cell)  # a ``其中`` name stacked under the row's name
            else:
                table.flush()
                table.name = cell
        j += 1
    table.flush()
    return table, j


def _read_run_in_table(line: str, year_end: int) -> _Table:
    """A table run together on one line (:mod:`~childplan_analysis.catalog.run_in`); a row whose
    values cannot be told apart keeps them as written (``written``) and no values."""
    run_in = read_run_in(compact(line))
    assert run_in is not None
    header = _read_header(run_in.header, 0, year_end)
    table = _Table(columns=header.columns, undated=header.undated)
    for row in run_in.rows:
        table.rows.append(
            {
                "name": row.name,
                "values": row.values or [],
                "attribute": _ATTRIBUTES.get(row.attribute or ""),
                "responsible": [],
                **({} if row.values is not None else {"written": row.written}),
            }
        )
    return table


def _numbered_cell(lines: list[str], j: int, table: _Table) -> bool:
    """Read cell ``j`` of a table whose rows open with their number, if the number decides it:
    the row's number (the one expected next, a name below it), which ends the row before and sets
    aside what stood between its values and the number (a category, ``健康水平``); the row's name
    right after its number; a note in brackets after a value (``(市级测算)``); a value while the row
    lacks values, a bare count (``6``) or a phrase (``比2015年降低10个百分点``) too. False: read it as usual."""
    compact = re.sub(r"\s+", "", lines[j])
    below = re.sub(r"\s+", "", lines[j + 1]) if j + 1 < len(lines) else ""
    if compact == str(table.next_serial) and _is_name_like(below):
        if table.name is not None and table.values:
            table.flush()
        table.name, table.values, table.subs = None, [], []  # a category heading has no values
        table.next_serial += 1
        table.naming = True
        return True
    if table.naming:
        table.naming = False
        table.name = lines[j].strip()
        return True
    if table.name is None:
        return False
    if table.values and re.fullmatch(r"[(（][^()（）]*[)）]", compact):
        return True  # a note on the value before it
    if (
        table.value_columns
        and len(table.values) < table.value_columns
        and compact not in _ATTRIBUTES
        and not (table.has_unit and not table.values and _UNIT_CELL.fullmatch(compact))
        and _is_value_like(compact)
    ):
        table.values.append(compact)
        return True
    return False


#: A verb of change: a cell holding one states a direction at least.
_CHANGE_VERB = re.compile(r"提高|提升|增加|增长|上升|扩大|下降|降低|减少|缩小|缩短|延长")


def _is_name_like(cell: str) -> bool:
    """A cell that may be a row's name (or a category): no value, attribute, note or department."""
    return bool(cell) and not (
        _is_value_like(cell)
        or cell in _ATTRIBUTES
        or re.fullmatch(r"[(（][^()（）]*[)）]", cell)
        or _DEPARTMENT.search(cell)
    )


def _is_value_like(cell: str) -> bool:
    """A cell that may be a row's value: a number, a direction, a blank mark (``—``, ``/``), or
    a phrase holding a number and a verb of change (``比2015年降低10个百分点``)."""
    return bool(
        _VALUE_CELL.match(cell)
        or _DIRECTION_CELL.match(cell)
        or re.fullmatch(r"[-—/／]+|无", cell)
        or _is_phrase_value(cell)
    )


def _column_role(cell: str, year_end: int) -> tuple[str, int | None]:
    """What a header cell names: (role, year) with role one of serial, name, unit, base,
    target, attribute, responsible, other."""
    if "属性" in cell:
        return "attribute", None
    if re.search(r"责任|牵头|部门|主管", cell):
        return "responsible", None
    if re.fullmatch(r"(计量)?单位", cell):
        return "unit", None
    if "序号" in cell:
        return "serial", None
    m = re.search(r"(20\d\d)", cell)
    if m:
        year = int(m.group(1))
        role = value_role(cell)
        if role == "base" or (role is None and year < MIN_TARGET_YEAR):
            return "base", year  # ``2020年完成情况``, a bare past year; ``2020年规划目标`` is an aim
        return "target", year
    if "目标" in cell and "指标" not in cell:
        return "target", year_end
    if re.search(r"指标|名称|项目", cell):
        return "name", None
    return "other", None


def _refines_header(heads: list[str], below: list[str]) -> bool:
    """Whether ``below`` is the second row of a two-row header: the years under a heading merged
    over them (``目标值`` over ``2025年 | 2030年``), every other cell empty or the heading above
    again (a cell merged down)."""
    if not below or len(below) > len(heads):
        return False
    years = [k for k, c in enumerate(below) if c and c != heads[k] and _YEAR_HEAD_RE.match(c)]
    return bool(years) and all(not c or c == heads[k] or k in years for k, c in enumerate(below))


def _read_row_table(lines: list[str], i: int, year_end: int, loose: bool = False) -> tuple[_Table, int]:
    """A table with one row per line (markdown, tab- or space-separated), header at ``i``."""
    heads = split_cells(lines[i], loose) or []
    j = i + 1
    below = split_cells(lines[j], loose) if j < len(lines) else None
    if below is not None and _refines_header(heads, below):
        heads = [h if s in ("", h) else s if not h else h + s
                 for h, s in zip(heads, below + [""] * (len(heads) - len(below)), strict=True)]
        j += 1
    roles = [_column_role(c, year_end) for c in heads]
    targets = [(k, year) for k, (role, year) in enumerate(roles) if role == "target" and year]
    bases = _base_columns(heads, roles)
    table = _Table(columns=[(year, False) for _, year in targets])
    while j < len(lines):
        cells = split_cells(lines[j], loose)
        if cells is None or (loose and is_structural(re.sub(r"\s+", "", lines[j]))):
            break
        j += 1
        if _is_rule(cells) or _is_header_row(cells):
            continue
        if len(cells) < len(roles):
            cells = [""] * (len(roles) - len(cells)) + cells  # merged leading cells (类别)
        row = dict.fromkeys(("name", "unit", "attribute", "responsible"), "")
        for (role, _), cell in zip(roles, cells, strict=False):
            if role in row and cell:
                row[role] = cell
        if not row["name"]:
            continue
        name = row["name"]
        if row["unit"] and not re.search(r"[(（][^()（）]+[)）]$", name):
            name = f"{name}（{row['unit']}）"
        table.name = name
        table.values = [cells[k] if k < len(cells) else "" for k, _ in targets]
        table.attribute = _ATTRIBUTES.get(row["attribute"])
        table.responsible = [r for r in re.split(r"[、,，]", row["responsible"]) if r]
        read = len(table.rows)
        table.flush()
        if bases and len(table.rows) > read:
            table.rows[-1]["bases"] = [(year, cells[k] if k < len(cells) else "") for k, year in bases]
    return table, j


def table_targets(
    table: _Table, article: str | None, indicators: IndicatorDictionary | None
) -> list[ParsedTarget]:
    """The targets of a read table's rows: each target column's cell parsed, base columns skipped."""
    out: list[ParsedTarget] = []
    for row in table.rows:
        if "written" in row:
            out += _unread_targets(table, row, article, indicators)
            continue
        values = row["values"]
        cols = table.columns[-len(values):] if len(values) <= len(table.columns) else table.columns
        bases = row.get("bases") or _cell_bases(table, cols, values)
        for (year, is_base), cell in zip(cols, values[-len(cols):], strict=False):
            if is_base or not cell or cell in ("-", "—", "/"):
                continue
            clause = " | ".join([row["name"], cell, *(["约束性" if row["attribute"] == "binding" else "预期性"] if row["attribute"] else []), "、".join(row["responsible"])]).strip(" |")
            for t in _cell_targets(row["name"], cell, year, indicators):
                out.append(
                    t.model_copy(
                        update={
                            "attribute": row["attribute"],
                            "responsible": row["responsible"],
                            "article": article,
                            "clause": clause,
                            "stated_baseline": stated_baseline(t, bases, row["name"], indicators),
                        }
                    )
                )
    return out


#: The year of a base column whose header writes none (``基数``, ``现状值``): the year before the
#: plan period, when the plan's period is known (:func:`~.extract.draft_catalog`).
UNDATED = 0
#: A base cell holding one number as written, in the row's unit or its own (``88``, ``4.1‰``, ``88%``).
_BASE_CELL = re.compile(r"^(?P<v>\d+(?:\.\d+)?)(?P<u>%|‰|％|‱|1?/10?万|岁|年|人|个|名|张|所|次|小时)?$")
#: A unit in brackets ending a row's name (``婴儿死亡率（‰）``).
_NAME_UNIT = re.compile(r"[(（](?P<u>[^()（）]{1,8})[)）]$")


def _base_columns(heads: list[str], roles: list[tuple[str, int | None]]) -> list[tuple[int, int]]:
    """Columns of a header row that hold results (``2020年基数``, ``基期值（2020年）``, a bare past
    year; ``基数`` without a year as :data:`UNDATED`): (column, year)."""
    out = []
    for k, (cell, (role, year)) in enumerate(zip(heads, roles, strict=False)):
        if role == "base" and year:
            out.append((k, year))
        elif role == "other" and value_role(cell) == "base":
            out.append((k, UNDATED))
    return out


def _cell_bases(table: _Table, cols: list[tuple[int, bool]], values: list[str]) -> list[tuple[int, str]]:
    """The base cells of a row read by columns: (year, cell), :data:`UNDATED` for a column without one."""
    first = len(table.columns) - len(cols)
    return [(UNDATED if first + k in table.undated else y, c)
            for k, ((y, b), c) in enumerate(zip(cols, values[-len(cols):], strict=False)) if b]


def stated_baseline(
    target: ParsedTarget, bases: list[tuple[int, str]], name: str, indicators: IndicatorDictionary | None
) -> tuple[int, float] | None:
    """The row's stated base level for ``target`` (:attr:`ParsedTarget.stated_baseline`): the latest
    dated base column before the target's year that holds one number (else an undated one), in the
    target's unit for a level target and the indicator's otherwise. None when no cell holds a
    number (``—``, blank, a range), its unit cannot be converted, or a relative target's own base
    year differs from the column's."""
    read = [(y, m) for y, c in bases if (m := _BASE_CELL.match(re.sub(r"\s+", "", c or "")))]
    dated = [(y, m) for y, m in read if y != UNDATED and (target.year is None or y < target.year)]
    chosen = max(dated, key=lambda x: x[0]) if dated else next(((y, m) for y, m in read if y == UNDATED), None)
    if chosen is None:
        return None
    year, m = chosen
    if target.baseline_year is not None and year not in (target.baseline_year, UNDATED):
        return None  # 以2019年为基数 beside a 2020年 column: not the base the target is measured from
    unit_match = _NAME_UNIT.search(name)
    unit = canonical_unit(m.group("u") or (unit_match.group("u") if unit_match else None))
    level = target.comparator in LEVEL_COMPARATORS and target.comparator not in NEEDS_BASELINE
    ind = indicators.by_id.get(target.indicator) if indicators is not None and target.indicator else None
    to_unit = target.unit if level else (ind.unit if ind else None)
    factor = conversion_factor(unit, to_unit)
    return None if factor is None else (year, float(m.group("v")) * factor)


_FALL_VERB = re.compile(r"下降|降低|减少|缩小|缩短")
#: Flag of a target whose row's values ran together and could not be told apart.
VALUES_RUN_TOGETHER = "values_run_together"
#: Why such a target is kept under ``unresolved`` in a draft catalog.
REASON_VALUES_RUN_TOGETHER = (
    "表中数值连写、无法唯一拆分，请对照原文填写目标值（values run together in a table: fill in the target from the plan）"
)


def _unread_targets(
    table: _Table, row: dict, article: str | None, indicators: IndicatorDictionary | None
) -> list[ParsedTarget]:
    """A row whose values ran together in more than one reading (``83`` under ``2020年`` and
    ``2025年``: 83, or 8 and 3?): one draft target a target column, its name and comparator
    as a bare value gives them, no value, the values as written in its clause and flagged for
    review. A row holding no number nor direction (``无``) gives none."""
    written = row["written"]
    if not (re.search(r"\d", written) or _CHANGE_VERB.search(written) or re.search(r"保持|稳定|巩固", written)):
        return []
    out: list[ParsedTarget] = []
    for year, is_base in table.columns:
        if is_base:
            continue
        for t in parse_table_cell(row["name"], "1", year, indicators):
            out.append(
                t.model_copy(
                    update={
                        "value": None,
                        "value_high": None,
                        "unit": None,
                        "attribute": row["attribute"],
                        "article": article,
                        "clause": f"{row['name']} | {written}",
                        "flags": [f for f in t.flags if f != "unit_from_dictionary"] + [VALUES_RUN_TOGETHER],
                    }
                )
            )
    return out


def _cell_targets(name: str, cell: str, year: int, indicators: IndicatorDictionary | None) -> list[ParsedTarget]:
    """The targets of one target cell; a cell whose level cannot be read but that names a change
    (``比2015年(24.31)降低10个百分点``: a fall by an amount from a base year) gives its direction."""
    found = parse_table_cell(name, cell, year, indicators)
    verb = _CHANGE_VERB.search(cell)
    if found or not verb:
        return found
    direction = "下降" if _FALL_VERB.match(verb.group(0)) else "提高"
    return [t.model_copy(update={"clause": f"{name} | {cell}"}) for t in parse_table_cell(name, direction, year, indicators)]


#: A row of a two-column table copied into running text with one ``|`` per row
#: (``婴儿死亡率 5.0‰(目前8.1‰) |``): a name, a space, the level.
_PIPE_ROW_RE = re.compile(
    r"^\|?[ \u3000]*(?P<name>[^\s|,，。;；:：]{2,40}?)[ \u3000]+(?P<cell>[^|\s][^|]*\d[^|]*?)[ \u3000]*\|?$"
)


def _pipe_row(line: str) -> tuple[str, str] | None:
    text = line.strip()
    if text.count("|") != 1:
        return None
    m = _PIPE_ROW_RE.match(text)
    return (m.group("name"), re.sub(r"\s+", "", m.group("cell"))) if m else None


def is_pipe_rows_start(lines: list[str], i: int) -> bool:
    """Three or more such rows in a row."""
    return all(j < len(lines) and _pipe_row(lines[j]) is not None for j in range(i, i + 3))


def pipe_rows_targets(
    lines: list[str], i: int, year_end: int, indicators: IndicatorDictionary | None
) -> tuple[list[ParsedTarget], int]:
    """Targets of the rows starting at ``i``, dated by a year the two lines before name
    (``2030年的主要健康指标``) or the plan's end; and the index of the line after them."""
    years = re.findall(r"((?:19|20)\d\d)年", "".join(lines[max(0, i - 2): i]))
    year = int(years[-1]) if years and int(years[-1]) >= MIN_TARGET_YEAR else year_end
    out: list[ParsedTarget] = []
    while i < len(lines) and (row := _pipe_row(lines[i])) is not None:
        out += [t.model_copy(update={"article": "指标表"}) for t in parse_table_cell(*row, year, indicators)]
        i += 1
    return out, i


__all__ = [
    "REASON_VALUES_RUN_TOGETHER",
    "UNDATED",
    "VALUES_RUN_TOGETHER",
    "is_pipe_rows_start",
    "is_table_start",
    "pipe_rows_targets",
    "read_table",
    "split_cells",
    "stated_baseline",
    "table_targets",
]
