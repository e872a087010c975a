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
from childplan_analysis.core.indicators import IndicatorDictionary

_TABLE_HEAD_WORDS = ("类别", "序号", "指标", "单位", "目标", "属性", "责任", "牵头", "备注", "基数", "现状", "规划")
_ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}
_DIRECTION_CELL = re.compile(
    r"^(明显|显著|逐步|稳步|持续|进一步|不断|有所|巩固|保持|稳定|提高|提升|增加|增长|下降|降低|减少|扩大)+$"
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
    rows: list[dict] = field(default_factory=list)
    value_columns: int = 0  # value columns of a header read cell by cell (0: not known)
    has_unit: bool = False  # a 单位 column follows the name
    subs: list[str] = field(default_factory=list)  # ``其中`` names stacked under the name

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
    """Line ``i`` opens a table: a header row, or a table's title with its header below."""
    compact = re.sub(r"\s+", "", lines[i])
    if _is_header_row(split_cells(lines[i])):
        return True
    if not (compact.startswith("专栏") or compact.endswith("主要指标") or "指标表" in compact):
        return False
    if len(compact) > 40 or compact.endswith("。"):
        return False
    window = [re.sub(r"\s+", "", x) for x in lines[i + 1: i + 10]]
    if any(_is_header_row(split_cells(x, loose)) for x in lines[i + 1: i + 3] for loose in (False, True)):
        return True
    return any(w.startswith("指标") for w in window) and any(re.search(r"20\d\d", w) for w in window)


#: A header cell that is only a year (``2020年``, ``2025年目标值``): a column of values.
_YEAR_HEAD_RE = re.compile(r"^(20\d\d)年?(?:目标值?|预期值?|值|基数|基期|现状)?$")


def _read_header(lines: list[str], i: int, year_end: int) -> tuple[list[tuple[int, bool]], int, bool]:
    """The value columns of a header laid out one cell per line (``指标`` / ``单位`` / ``2020年`` /
    ``2025年`` / ``属性``), the index of the line after it and whether it has a 单位 column."""
    columns: list[tuple[int, bool]] = []
    has_unit = False
    j = i + 1
    while j < len(lines):
        cell = re.sub(r"\s+", "", lines[j])
        bare_year = _YEAR_HEAD_RE.match(cell)
        if not (bare_year or any(w in cell for w in _TABLE_HEAD_WORDS)) or len(cell) > 20:
            break
        m = re.search(r"(20\d\d)", cell)
        if m:
            base = bool(re.search(r"基数|基期|现状|基准|基线", cell))
            columns.append((int(m.group(1)), base or (bool(bare_year) and int(m.group(1)) < MIN_TARGET_YEAR)))
        elif "目标" in cell and "指标" not in cell:
            columns.append((year_end, False))
        elif re.fullmatch(r"(计量)?单位", cell):
            has_unit = True
        j += 1
    return columns or [(year_end, False)], j, has_unit


def _cell_kind(cell: str, table: _Table) -> str:
    compact = re.sub(r"\s+", "", cell)
    if compact in _ATTRIBUTES:
        return "attribute"
    awaiting_values = table.name is not None and not table.values
    if re.fullmatch(r"\d{1,3}", compact) and not awaiting_values:
        return "serial"
    if _VALUE_CELL.match(compact) or _DIRECTION_CELL.match(compact):
        return "value" if table.name is not None else "serial"
    if table.values and _DEPARTMENT.search(compact) and not compact.endswith(")"):
        return "responsible"
    return "name"


def _is_modifier(cell: str) -> bool:
    """A direction cell without a verb (``明显``, ``巩固``) that the next cell completes."""
    return bool(_DIRECTION_CELL.match(cell)) and not re.search(r"提高|提升|增加|增长|下降|降低|减少|扩大", cell)


def read_table(lines: list[str], i: int, year_end: int) -> tuple[_Table, int]:
    """Read the table starting at line ``i`` (its title or header row); return it and the
    index of the first line after it."""
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
    columns, j, has_unit = _read_header(lines, i, year_end)
    table = _Table(columns=columns, value_columns=len(columns) if len(columns) > 1 else 0, has_unit=has_unit)
    while j < len(lines):
        cell = lines[j].strip()
        compact = re.sub(r"\s+", "", cell)
        if PART_RE.match(compact) and _is_category_row(lines, j):
            table.flush()
            j += 1
            continue
        if len(compact) > 60 or PART_RE.match(compact) or compact.startswith("专栏") or compact.endswith("。"):
            break
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


_BASE_WORDS = re.compile(r"基数|基期|现状|基准|基线|现值|实际")


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
        if _BASE_WORDS.search(cell) or year < MIN_TARGET_YEAR:
            return "base", year
        return "target", year
    if "目标" in cell and "指标" not in cell:
        return "target", year_end
    if re.search(r"指标|名称|项目", cell):
        return "name", None
    return "other", None


def _read_row_table(lines: list[str], i: int, year_end: int, loose: bool = False) -> tuple[_Table, int]:
    """A table with one row per line (markdown, tab- or space-separated), header at ``i``."""
    roles = [_column_role(c, year_end) for c in split_cells(lines[i], loose) or []]
    targets = [(k, year) for k, (role, year) in enumerate(roles) if role == "target" and year]
    table = _Table(columns=[(year, False) for _, year in targets])
    j = i + 1
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
        table.flush()
    return table, j


def table_targets(
    table: _Table, article: str | None, indicators: IndicatorDictionary | None
) -> list[ParsedTarget]:
    """The targets of a read table's rows: each target column's cell parsed, base columns skipped."""
    out: list[ParsedTarget] = []
    for row in table.rows:
        values = row["values"]
        cols = table.columns[-len(values):] if len(values) <= len(table.columns) else table.columns
        for (year, is_base), cell in zip(cols, values[-len(cols):], strict=False):
            if is_base or not cell or cell in ("-", "—", "/"):
                continue
            clause = " | ".join([row["name"], cell, *(["约束性" if row["attribute"] == "binding" else "预期性"] if row["attribute"] else []), "、".join(row["responsible"])]).strip(" |")
            for t in parse_table_cell(row["name"], cell, year, indicators):
                out.append(
                    t.model_copy(
                        update={
                            "attribute": row["attribute"],
                            "responsible": row["responsible"],
                            "article": article,
                            "clause": clause,
                        }
                    )
                )
    return out


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
    "is_pipe_rows_start",
    "is_table_start",
    "pipe_rows_targets",
    "read_table",
    "split_cells",
    "table_targets",
]
