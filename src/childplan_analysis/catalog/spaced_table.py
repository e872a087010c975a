"""An indicator table written one row a line with cells set apart by single spaces, its rows
grouped under section lines (``单位 2015年 2020年`` / ``九年义务教育`` / ``巩固率 % 100 100``).

A row named by a measure's head alone (``巩固率``, ``在校生``) takes the section it is listed under
(``九年义务教育巩固率``); a ``其中`` row is a part of the row above it (``在校生`` / ``其中:研究生`` →
``在校研究生``). Counts in ``万人`` are counted in people.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.catalog.outline import MIN_TARGET_YEAR, is_structural
from childplan_analysis.catalog.table_words import is_title, value_role
from childplan_analysis.catalog.tables import _Table, split_cells, table_targets
from childplan_analysis.core.indicators import IndicatorDictionary

#: A header cell naming a value column by its year (``2020年``, ``2025年目标值``).
_YEAR_CELL = re.compile(r"^((?:19|20)\d\d)年?(?:底|末)?(?:目标值?|预期值?|规划值?|值|完成值?|实际值?)?$")
#: A header cell naming the row's name or unit column.
_NAME_CELL = re.compile(r"^(?:指标(?:名称)?|项目|名称|单位|计量单位)$")
#: A value cell: a bare number.
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
#: A unit cell (``%``, ``‰``, ``万人``, ``万人次``, ``岁``, ``所``).
_UNIT = re.compile(r"^(?:[%‰％‱]|1?/10?万|万?(?:人次|人|所|个|张|名|家|岁|年|次|小时|元))$")
#: A section line: a short name without digits or punctuation.
_SECTION = re.compile(r"^[\u4e00-\u9fff()（）]{2,12}$")
#: A row name at most this long that does not repeat its section is the measure's head alone.
HEAD_ALONE_CHARS = 5
_SUB = re.compile(r"^其中[:：]?")


def _cells(line: str) -> list[str]:
    return [c for c in re.split(r"[ \u3000\t]+", line.strip()) if c]


def _header(lines: list[str], i: int) -> list[int] | None:
    """The years of the value columns when line ``i`` is such a table's header (its name cell on
    the line or on the line above), else None."""
    if split_cells(lines[i]) is not None:
        return None  # cells set apart by runs of spaces, tabs or bars: the tables module reads it
    cells = _cells(lines[i])
    if len(cells) < 2 or not all(_YEAR_CELL.match(c) or _NAME_CELL.match(c) for c in cells):
        return None
    years = [int(m.group(1)) for c in cells if (m := _YEAR_CELL.match(c))]
    named = any(_NAME_CELL.match(c) and c.startswith(("指标", "项目", "名称")) for c in cells)
    above = re.sub(r"\s+", "", lines[i - 1]) if i else ""
    if not years or not (named or re.fullmatch(r"指标(?:名称)?|项目|名称", above)):
        return None
    return years


_NAME_HEAD = re.compile(r"指标(?:名称)?|项目|名称")


def _header_line(lines: list[str], i: int) -> int | None:
    """The header's line when line ``i`` is the header, the name cell above it or the table's title
    above them; else None."""
    compact = re.sub(r"\s+", "", lines[i])
    starts = [i]
    if _NAME_HEAD.fullmatch(compact):
        starts = [i + 1]
    elif is_title(compact):
        starts = [i + 1, i + 2] if i + 2 < len(lines) and _NAME_HEAD.fullmatch(re.sub(r"\s+", "", lines[i + 1])) else [i + 1]
    for j in starts:
        if j < len(lines) and _header(lines, j) is not None:
            return j
    return None


def is_spaced_table_start(lines: list[str], i: int) -> bool:
    """Line ``i`` is the header (or the name cell or title above it) of a table whose rows set their cells
    apart by single spaces, followed by a row or a section line and a row."""
    j = _header_line(lines, i)
    if j is None:
        return False
    n = len(_header(lines, j) or [])
    return any(_row(x, n) is not None for x in lines[j + 1: j + 3])


def _row(line: str, n: int) -> tuple[str, str | None, list[str]] | None:
    """(name, unit, values) of a row with ``n`` values last, else None."""
    cells = _cells(line)
    if len(cells) < n + 1 or not all(_NUMBER.match(c) or re.fullmatch(r"[-—/／]", c) for c in cells[-n:]):
        return None
    rest = cells[:-n]
    unit = rest.pop() if len(rest) > 1 and _UNIT.match(rest[-1]) else None
    name = "".join(rest)
    if not name or re.search(r"\d", name) or re.search(r"[。;；,，]", name):
        return None
    return name, unit, cells[-n:]


def _named(name: str, section: str | None, above: str | None) -> str:
    """A row's full name: a ``其中`` row as a part of the row above, a head alone under its section."""
    if _SUB.match(name) and above:
        sub = _SUB.sub("", name)
        return above[:-1] + sub if above[-1] == sub[-1] else f"{above}（{sub}）"
    if section and len(name) <= HEAD_ALONE_CHARS and section[:2] not in name:
        return section + name
    return name


def _in_people(unit: str | None, values: list[str]) -> tuple[str | None, list[str]]:
    """Counts in 万 (``万人``, ``万人次``) as counts of the unit itself."""
    if unit and unit.startswith("万") and len(unit) > 1:
        return unit[1:], [f"{float(v) * 10_000:.12g}" if _NUMBER.match(v) else v for v in values]
    return unit, values


def read_spaced_table(
    lines: list[str], i: int, first_goal_year: int | None = None
) -> tuple[_Table, int]:
    """Read the table whose header (or name cell) is at line ``i``; return it and the line after it.
    A column of a year before ``first_goal_year`` (the plan's first year; else ``MIN_TARGET_YEAR``)
    or named as results holds base levels."""
    j = _header_line(lines, i)
    assert j is not None
    years = _header(lines, j) or []
    heads = [c for c in _cells(lines[j]) if _YEAR_CELL.match(c)]
    start = first_goal_year or MIN_TARGET_YEAR
    columns = [(y, value_role(h) == "base" or (value_role(h) is None and y < start)) for y, h in zip(years, heads, strict=True)]
    table = _Table(columns=columns)
    section: str | None = None
    above: str | None = None  # the full name of the row above (a 其中 row's whole)
    j += 1
    while j < len(lines):
        compact = re.sub(r"\s+", "", lines[j])
        row = _row(lines[j], len(years))
        if row is None:
            if _SECTION.match(compact) and not is_structural(compact) and j + 1 < len(lines) \
                    and _row(lines[j + 1], len(years)) is not None:
                section, above = compact, None
                j += 1
                continue
            break
        name, unit, values = row
        full = _named(name, section, above)
        if not _SUB.match(name):
            above = full
        unit, values = _in_people(unit, values)
        table.rows.append({
            "name": f"{full}（{unit}）" if unit else full, "values": values, "attribute": None, "responsible": [],
        })
        j += 1
    return table, j


def spaced_table_targets(
    lines: list[str], i: int, article: str | None, indicators: IndicatorDictionary | None,
    first_goal_year: int | None = None,
) -> tuple[list[ParsedTarget], int]:
    """The targets of the table at line ``i`` and the line after it."""
    table, end = read_spaced_table(lines, i, first_goal_year)
    return table_targets(table, article, indicators), end


__all__ = ["is_spaced_table_start", "read_spaced_table", "spaced_table_targets"]
