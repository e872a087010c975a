"""Indicator tables run into the text without breaks.

A table copied from a PDF preview may lose every break between its cells:
``…目标表序号主要统计指标2020年2025年1妇女人均预期寿命(岁)83.65保持2妇女国民体质合格率(%)93.794.3…``.
Its rows are found by their numbers (1, 2, 3 … each opening a name) and by the unit in brackets
that ends each name (``(%)``, ``(岁)``, ``(‰)``); the values between are split into as many
values as the header has value columns, and only when one reading fits: values of one row in
one unit, as precise as each other and of like size. A row whose values can be read in more
than one way is kept with its values as written (:attr:`RunInRow.values` is None), never given
a number it may not have.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from childplan_analysis.catalog.table_words import ROLES, is_title

#: Words that open a row's value: a number, a comparison sign, a direction, a blank mark.
_VALUE_WORDS = r"明显|显著|逐步|逐年|稳步|持续|进一步|不断|有所|巩固|保持|稳定|提高|提升|增加|增长|下降|降低|减少|扩大|全覆盖"
_VALUE_START = re.compile(rf"[\d<>≤≥＜＞]|{_VALUE_WORDS}|[-—/／]|无")
#: One value as written (a run of digits may hold several: ``93.794.3``).
_TOKEN = re.compile(
    rf"[<>≤≥＜＞]?=?[\d.|]*\d(?:%|‰|％)?(?:以上|以下|左右)?|(?:{_VALUE_WORDS})+|[-—/／]+|无|约束性|预期性"
)
_ATTRIBUTE = re.compile(r"约束性|预期性")
#: Column headers of a run-in header: years with the role of their column, a unit, an attribute.
_COLUMN = rf"(?:19|20)\d\d年(?:底|末)?(?:值|{ROLES})?|{ROLES}|(?:计量)?单位|(?:指标)?属性"
#: A header run into the text: 序号, the name column, the value columns, then row 1's name.
_HEAD_RE = re.compile(
    rf"序号(?P<name>[\u4e00-\u9fff]{{0,12}}?(?:指标|名称|项目)(?:名称)?(?:[(（]单位[)）])?)"
    rf"(?P<columns>(?:{_COLUMN}){{1,6}}?)(?=1[\u4e00-\u9fff])"
)
_SENTENCE_END = re.compile(r"[。；;！？!?]")
#: A unit in brackets that ends a row's name (``(%)``, ``(岁)``, ``(1/10万)``).
_UNIT_BRACKET = re.compile(r"[(（]([^()（）\d]{1,6}|1/10?万|/10万|1/万)[)）]")
#: What follows a row number's digits in a name, not a name's first character: units and suffixes.
_NOT_NAME_START = re.compile(r"(?:以上|以下|左右|以内|岁|个|周|月|年|万|千|百|人|次|名|所|张|项|倍|天|%|‰)")
#: The longest name of a row, its unit included.
MAX_NAME = 48
#: The most decimals a table's value is written with, and its most characters.
MAX_DECIMALS = 2
MAX_NUMBER_CHARS = 9
#: The longest run of digits split into a row's values.
MAX_RUN_CHARS = 30
#: How many times larger one value of a row may be than another when a run of digits is split.
MAX_RATIO = 3.0
#: The largest value of a share in % and in ‰.
_SHARE_MAX = {"%": 100.0, "％": 100.0, "‰": 1000.0}


@dataclass
class RunInRow:
    """A row of a run-in table: its name (with the unit in brackets), its values and the text."""

    name: str
    values: list[str] | None  # one per value column; None when the values run together ambiguously
    written: str  # the values as written
    attribute: str | None = None  # 约束性 or 预期性


@dataclass
class RunInTable:
    """A run-in table: its header's cells (``序号``, name, value columns) and its rows."""

    header: list[str]
    rows: list[RunInRow]
    end: int  # offset in the compacted line where the table ends


def compact(text: str) -> str:
    """Text without spaces, a space between two digits kept as ``|`` (it parts two values)."""
    return re.sub(r"\s+", "", re.sub(r"(?<=\d)\s+(?=\d)", "|", text.strip()))


def read_run_in(text: str) -> RunInTable | None:
    """The run-in table of a compacted line that starts at its header, or None."""
    head = _HEAD_RE.match(text)
    if head is None:
        return None
    header = ["序号", head.group("name"), *re.findall(_COLUMN, head.group("columns"))]
    width = sum(1 for c in header[2:] if not re.search(r"单位|属性", c))
    rows: list[RunInRow] = []
    pos, number = head.end(), 1
    while pos < len(text) and text.startswith(str(number), pos):
        start = pos + len(str(number))
        name_end = _name_end(text, start)
        if name_end is None:
            break
        nxt = _next_row(text, number + 1, name_end[1])
        written = (text[name_end[1]: nxt] if nxt is not None else _leading_values(text, name_end[1])).strip("|")
        if not written:
            break
        name = text[start: name_end[0]]
        attribute = _ATTRIBUTE.search(written)
        values = split_values(_ATTRIBUTE.sub("", written), width, _unit_of(name))
        rows.append(RunInRow(name, values, written, attribute.group(0) if attribute else None))
        if nxt is None:
            pos = name_end[1] + len(written)
            break
        pos, number = nxt, number + 1
    return RunInTable(header, rows, pos) if rows else None


def _unit_of(name: str) -> str | None:
    m = re.search(r"[(（]([^()（）]+)[)）]$", name)
    return m.group(1) if m else None


def _name_end(text: str, start: int) -> tuple[int, int] | None:
    """(end of the name with its unit, start of the values) of the row whose name starts at
    ``start``: the first unit in brackets followed by a value; without one, the first number
    after the name that is not part of it (``5岁以下`` is)."""
    if re.match(_VALUE_WORDS, text[start:]):
        return None  # a value, not a name
    window = text[: start + MAX_NAME]
    for m in _UNIT_BRACKET.finditer(window, start):
        if m.start() - start >= 2 and _VALUE_START.match(text, m.end()):
            return m.end(), m.end()
    for m in re.finditer(r"(?<=[\u4e00-\u9fff)）])[\d<>≤≥＜＞]", window[start:]):
        at = start + m.start()
        after = re.match(r"[<>≤≥＜＞]?=?[\d.|]+", text[at:])
        rest = text[at + (after.end() if after else 1):]
        if m.start() >= 2 and not _NOT_NAME_START.match(rest):
            return at, at
    return None


def _next_row(text: str, number: int, start: int) -> int | None:
    """Where row ``number`` opens after ``start``: its number, then a name that reaches its values."""
    digits = str(number)
    at = text.find(digits, start)
    while at != -1:
        name_start = at + len(digits)
        if (
            at > start
            and re.match(r"[\u4e00-\u9fff]", text[name_start: name_start + 1])
            and not _NOT_NAME_START.match(text, name_start)
            and _name_end(text, name_start) is not None
        ):
            return at
        at = text.find(digits, at + 1)
    return None


def _leading_values(text: str, start: int) -> str:
    """The values that open ``text`` at ``start`` (the table's last row, text or nothing after it)."""
    pos = start
    while (m := _TOKEN.match(text, pos)) is not None:
        pos = m.end()
    return text[start:pos]


def split_values(written: str, width: int, unit: str | None) -> list[str] | None:
    """The ``width`` values of a row written without breaks, or None when they cannot be read
    in exactly one way: a run of digits (``93.794.3``) is split only where one split fits."""
    tokens: list[str] = []
    pos = 0
    while pos < len(written):
        m = _TOKEN.match(written, pos)
        if m is None:
            return None
        tokens.append(m.group(0))
        pos = m.end()
    readings = [r for r in _readings(tokens, width) if _plausible(r, unit)]
    if len(readings) != 1 or len(readings[0]) != width:
        return None  # read in two ways, or fewer values than columns: which column lacks one?
    return readings[0]


def _readings(tokens: list[str], width: int) -> list[list[str]]:
    """Every way to read the tokens as ``width`` values, and as fewer when no token is split (a
    blank cell dropped in the copy): runs of digits split into numbers, each well formed."""
    options = [_splits(t, width) for t in tokens]
    out = []
    for combo in itertools.product(*options):
        values = [v for part in combo for v in part]
        if len(values) == width or (len(values) < width and all(len(p) == 1 for p in combo)):
            out.append(values)
    return out


_NUMBER_RUN = re.compile(r"^(?P<sign>[<>≤≥＜＞]?=?)(?P<run>[\d.|]+)(?P<tail>(?:%|‰|％)?(?:以上|以下|左右)?)$")
_NUMBER = re.compile(rf"^(?:0|[1-9]\d*)(?:\.\d{{1,{MAX_DECIMALS}}})?$")


def _splits(token: str, width: int) -> list[list[str]]:
    """The readings of one token: a word as itself; a run of digits as one to ``width`` numbers."""
    m = _NUMBER_RUN.match(token)
    if m is None:
        return [[token]]
    run, sign, tail = m.group("run"), m.group("sign"), m.group("tail")
    if "|" in run:  # parted by spaces as written
        parts = run.split("|")
        return [[sign + p + tail for p in parts]] if all(_NUMBER.match(p) for p in parts) else []
    if len(run) > MAX_RUN_CHARS:
        return []  # no row's values: a code or a count of something else
    return [[sign + p + tail for p in parts] for parts in _numbers(run, width) if len(parts) == 1 or _alike(parts)]


def _numbers(run: str, most: int, digits: int | None = None) -> list[list[str]]:
    """Every way to cut a run of digits into at most ``most`` well-formed numbers; after the
    first, only numbers whose whole part has about as many digits (``digits``, ± 1: of like size)."""
    if not run:
        return [[]]
    if most == 0:
        return []
    out = []
    for end in range(1, min(len(run), MAX_NUMBER_CHARS) + 1):
        head = run[:end]
        whole = len(head.partition(".")[0])
        if _NUMBER.match(head) and (digits is None or abs(whole - digits) <= 1):
            out += [[head, *rest] for rest in _numbers(run[end:], most - 1, whole if digits is None else digits)]
    return out


def _alike(parts: list[str]) -> bool:
    """Numbers split from one run: as precise as each other (whole numbers aside: ``99.8`` → ``100``)
    and of like size."""
    decimals = {len(p.partition(".")[2]) for p in parts} - {0}
    values = [float(p) for p in parts]
    if len(decimals) > 1 or min(values) <= 0:
        return False
    return max(values) / min(values) <= MAX_RATIO


def _plausible(values: list[str], unit: str | None) -> bool:
    """Values a share in % or ‰ can have."""
    top = _SHARE_MAX.get((unit or "").strip())
    if top is None:
        return True
    for v in values:
        m = re.search(r"\d+(?:\.\d+)?", v)
        if m and float(m.group(0)) > top:
            return False
    return True


_FRAGMENT_RE = re.compile(r"^\s*(\d{1,3})、")


def split_run_in(lines: list[str]) -> list[str]:
    """The lines with each table run into a line of text set on lines of its own: the text before
    it, its title (``…重点指标目标表``, a page number glued before it dropped), the table (header
    and rows, compacted) and the text after it. A table that a copy made of numbered page fragments
    (``2、…2020 年2`` / ``3、025 年1…``) cut at a fragment's end is joined again first."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line, i = _joined_fragments(lines, i)
        at = _head_offset(line)
        if at is None:
            out.append(line)
            continue
        before, table_text = line[:at], compact(line[at:])
        table = read_run_in(table_text)
        if table is None:
            out.append(line)
            continue
        cut = max(before.rfind(c) for c in "。；;！？!?") + 1
        title = re.sub(r"^[\d\s]+", "", before[cut:])
        if title and is_title(re.sub(r"\s+", "", title)):
            before = before[:cut]
        else:
            title = ""
        out += [x for x in (before.strip(), title.strip(), table_text[: table.end], table_text[table.end:]) if x]
    return out


def _head_offset(line: str) -> int | None:
    """Offset in ``line`` of the 序号 that opens a run-in table's header."""
    for m in re.finditer(r"序\s*号", line):
        if _HEAD_RE.match(compact(line[m.start():])):
            return m.start()
    return None


def _joined_fragments(lines: list[str], i: int) -> tuple[str, int]:
    """Line ``i`` joined with the numbered page fragments after it (``k、`` then ``k+1、`` …) while a
    run-in table's header or rows run on into the next fragment; and the index of the next line."""
    line = lines[i]
    first = _FRAGMENT_RE.match(line)
    if first is None or "序" not in line:
        return line, i + 1
    k, j = int(first.group(1)), i + 1
    while j < len(lines):
        nxt = _FRAGMENT_RE.match(lines[j])
        if nxt is None or int(nxt.group(1)) != k + 1 or _SENTENCE_END.search(line.rstrip()[-1:]):
            break
        joined = line + lines[j][nxt.end():]
        at = _head_offset(line)
        if at is None:
            if _head_offset(joined) is None:
                break  # no table's header across the two
        else:
            table = read_run_in(compact(line[at:]))
            if table is None or table.end < len(compact(line[at:])):
                break  # the table ends inside this fragment
        line, k, j = joined, k + 1, j + 1
    return line, j


__all__ = [
    "RunInRow",
    "RunInTable",
    "compact",
    "read_run_in",
    "split_run_in",
    "split_values",
]
