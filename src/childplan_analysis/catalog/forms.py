"""The data-collection workbook (填报表) generated from a plan.

``write_collection_workbook(plan, path)`` writes one sheet per responsible unit (责任单位; the
first unit named for a target leads and gets its indicator). Targets naming no unit go to one
sheet per domain, ``其他（健康）``, ``其他（教育）`` … (a domain's indicators are usually one
department's), or to ``其他`` when their domain is unknown. Each sheet is a wide departmental form the loaders read back as it is:

* row 1: the title (plan title, 监测数据填报表, unit);
* row 2: ``地区：<region>`` (fills the region of every value) and ``填报单位：<unit>``;
* row 4: the header ``指标名称 | 单位 | <year>年 … | 规划目标 | 备注``;
* one row per indicator: its dictionary name and unit, empty year cells with Excel data
  validation (a decimal within the indicator's natural bounds), in 规划目标 the targets it serves
  and the units that share it (a column the loaders do not read: the plan's text is no note on
  the values), and an empty 备注 for the department's own note on the row's values (read back as
  each value's note);
* below, ``注：`` and ``填表人：`` rows, which the loaders skip as notes.

Years run from the year before the plan's baseline year (the year before the period) to the
current year, and from earlier when a target states a base level for an earlier year.

A base level the plan states (``baseline_value`` of a target: a table's ``2020年基数`` column,
``由2020年的88%提高到95%``) is pre-filled in its year's cell, shaded, with a comment saying so, to be
checked by the department (a comment, not 备注: a row's 备注 is read back as the note of every value
on the row); two different levels stated for one indicator and year are both said in that cell's
comment and neither is pre-filled.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.indicators import (
    DOMAIN_LABELS,
    Indicator,
    IndicatorDictionary,
    load_indicators,
)
from childplan_analysis.core.targets import Target
from childplan_analysis.io.fileio import atomic_write
from childplan_analysis.io.safety import excel_safe

#: Sheet of targets that name no responsible unit (with the domain in brackets when known).
OTHER_SHEET = "其他"
HEADER_ROW = 4
FIRST_YEAR_COLUMN = 3
#: Heading of the column of the targets an indicator serves (not read back: not a known column).
TARGET_HEADING = "规划目标"
#: Heading of the column of the department's notes (read back as the values' note).
NOTE_HEADING = "备注"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\：]")


def collection_years(plan: Plan, current_year: int | None = None) -> list[int]:
    """Years of the form: baseline year − 1 (the baseline being the year before the plan
    period), or the earliest year a target states a base level for, up to the current year (at
    least the baseline year and every stated base year)."""
    current = current_year or dt.date.today().year
    baseline = plan.period[0] - 1
    stated = [t.baseline_year for t in plan.targets if t.baseline_value is not None and t.baseline_year]
    return list(range(min([baseline - 1, *stated]), max([current, baseline, *stated]) + 1))


def stated_baselines(targets: list[Target]) -> dict[int, list[float]]:
    """Year → the distinct base levels the targets of one indicator state for it, in plan order
    (in the indicator's unit, as a loaded plan holds them)."""
    out: dict[int, list[float]] = {}
    for t in targets:
        if t.baseline_value is not None and t.baseline_year is not None:
            value = float(f"{t.baseline_value:.12g}")  # 0.41 % × 10 read as 4.1 ‰, not 4.1000000000000005
            values = out.setdefault(t.baseline_year, [])
            if value not in values:
                values.append(value)
    return dict(sorted(out.items()))


def prefilled_value(values: list[float]) -> float | None:
    """The value a year's cell is pre-filled with: the one base level stated for it, else none."""
    return values[0] if len(values) == 1 else None


def prefilled_count(plan: Plan) -> int:
    """How many cells of the plan's workbook hold a base level the plan states."""
    return sum(prefilled_value(values) is not None for rows in units_and_indicators(plan).values()
               for _, targets in rows for values in stated_baselines(targets).values())


def baseline_note(year: int, values: list[float]) -> str:
    """The comment on a year's cell pre-filled with the plan's base level, or on one for which the
    targets state different levels (not pre-filled)."""
    if len(values) == 1:
        return f"{year}年数值取自规划文本（基期值），请核对"
    shown = "、".join(f"{v:g}" for v in values)
    return f"规划文本所列{year}年基期值不一致（{shown}），未预填，请核对后填写"


def sheet_name(unit: str, used: set[str]) -> str:
    """An Excel sheet name for a unit: no ``[]:*?/\\``, at most 31 characters, unique."""
    base = _SHEET_BAD.sub("", unit).strip("'") or OTHER_SHEET
    name = base[:31]
    k = 2
    while name in used:
        name = f"{base[:28]}({k})"
        k += 1
    used.add(name)
    return name


def unlisted_sheet(domain: str | None) -> str:
    """The sheet of targets naming no unit: ``其他（<domain>）``, or ``其他`` without a domain."""
    label = DOMAIN_LABELS.get(domain or "", {}).get("zh")
    return f"{OTHER_SHEET}（{label}）" if label else OTHER_SHEET


def units_and_indicators(plan: Plan) -> dict[str, list[tuple[str, list[Target]]]]:
    """Lead unit → its indicators, each with the plan's targets on it, in plan order; the
    sheets of targets naming no unit last.

    An indicator's lead is the first unit named by any of its targets (a text clause naming
    none and a table row naming one are the same department's), else its domain's sheet."""
    lead_of: dict[str, str] = {}
    for t in plan.targets:
        if t.responsible:
            lead_of.setdefault(t.indicator, t.responsible[0])
    unlisted: set[str] = set()
    out: dict[str, dict[str, list[Target]]] = {}
    for t in plan.targets:
        if t.indicator not in lead_of:
            lead_of[t.indicator] = unlisted_sheet(t.domain)
            unlisted.add(lead_of[t.indicator])
        out.setdefault(lead_of[t.indicator], {}).setdefault(t.indicator, []).append(t)
    order = [u for u in out if u not in unlisted] + [u for u in out if u in unlisted]
    return {unit: list(out[unit].items()) for unit in order}


def _unit_heading(sheet: str) -> tuple[str, str]:
    """The title's bracket and the 填报单位 of a sheet: a unit's own name, or for a sheet of
    targets naming no unit its domain and an empty 填报单位 for the analyst to fill."""
    if sheet == OTHER_SHEET:
        return "规划未列责任单位", ""
    if sheet.startswith(f"{OTHER_SHEET}（") and sheet.endswith("）"):
        return f"{sheet[len(OTHER_SHEET) + 1:-1]}领域，规划未列责任单位", ""
    return sheet, sheet


def _remark(targets: list[Target]) -> str:
    parts = [f"目标：{t.describe('zh')}" for t in sorted(targets, key=lambda t: t.year)]
    shared = sorted({r for t in targets for r in t.responsible[1:]})
    text = "；".join(dict.fromkeys(parts))
    return text + (f"；配合单位：{'、'.join(shared)}" if shared else "")


def _validation(ind: Indicator):
    from openpyxl.worksheet.datavalidation import DataValidation

    low, high = ind.bounds
    unit = f"（{ind.unit}）" if ind.unit else ""
    if low is not None and high is not None:
        dv = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high))
        rule = f"{low:g} 至 {high:g} 之间的数值{unit}"
    elif low is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=str(low))
        rule = f"不小于 {low:g} 的数值{unit}"
    elif high is not None:
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=str(high))
        rule = f"不大于 {high:g} 的数值{unit}"
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
        rule = f"数值{unit}"
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "数值不符合要求"
    dv.error = f"{ind.name_zh}：请填写{rule}；无数据请留空。"
    dv.showInputMessage = True
    dv.promptTitle = ind.name_zh[:32]
    dv.prompt = f"填写{rule}"[:255]
    return dv


def build_workbook(
    plan: Plan,
    indicators: IndicatorDictionary | None = None,
    current_year: int | None = None,
    entered: Mapping[tuple[str, int], float | str] | None = None,
    notes: Mapping[str, str] | None = None,
):
    """The openpyxl workbook of :func:`write_collection_workbook` (not saved); ``entered`` are
    values already collected, by (indicator, year), and ``notes`` their rows' 备注 (see
    :mod:`~childplan_analysis.catalog.form_refill`)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    indicators = indicators or load_indicators()
    years = collection_years(plan, current_year)
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    base_fill = PatternFill("solid", fgColor="FFF2CC")  # a value the plan states (its note in a comment)
    for unit, rows in units_and_indicators(plan).items():
        ws = book.create_sheet(sheet_name(unit, used))
        last_col = FIRST_YEAR_COLUMN + len(years)  # the targets' column; the notes' one after it
        bracket, filer = _unit_heading(unit)
        ws.cell(1, 1, excel_safe(f"{plan.title} 监测数据填报表（{bracket}）")).font = Font(bold=True, size=13)
        ws.cell(2, 1, excel_safe(f"地区：{plan.region}"))
        ws.cell(2, 3, excel_safe(f"填报单位：{filer}"))
        header = ["指标名称", "单位", *(f"{y}年" for y in years), TARGET_HEADING, NOTE_HEADING]
        for j, text in enumerate(header, start=1):
            cell = ws.cell(HEADER_ROW, j, text)
            cell.font, cell.fill = Font(bold=True), head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
        r = HEADER_ROW
        for r, (ind_id, targets) in enumerate(rows, start=HEADER_ROW + 1):
            ind = indicators.resolve(ind_id)
            ws.cell(r, 1, excel_safe(ind.name_zh))
            ws.cell(r, 2, excel_safe(ind.unit))
            ws.cell(r, last_col, excel_safe(_remark(targets)))
            for year, values in stated_baselines(targets).items():  # its years hold every stated one
                cell = ws.cell(r, FIRST_YEAR_COLUMN + years.index(year), prefilled_value(values))
                cell.comment = Comment(baseline_note(year, values), "childplan")
                cell.fill = base_fill
            for year in years:
                if entered and (ind_id, year) in entered:  # collected before: the department's value
                    cell = ws.cell(r, FIRST_YEAR_COLUMN + years.index(year), entered[(ind_id, year)])
                    cell.comment, cell.fill = None, PatternFill()
            if notes and ind_id in notes:
                ws.cell(r, last_col + 1, excel_safe(notes[ind_id]))
            dv = _validation(ind)
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(FIRST_YEAR_COLUMN)}{r}:{get_column_letter(last_col - 1)}{r}")
        ws.cell(r + 2, 1, "注：数值按“单位”列填写，无数据的年份留空；需要说明的（如快报数、口径变化）写在备注列；"
                          "浅黄色单元格为规划文本所列基期值（见单元格批注），请核对；请勿改动表头、指标名称和单位。")
        ws.cell(r + 3, 1, "填表人：            审核人：            联系电话：            填报日期：")
        ws.column_dimensions["A"].width = 44
        ws.column_dimensions["B"].width = 10
        for j in range(FIRST_YEAR_COLUMN, last_col):
            ws.column_dimensions[get_column_letter(j)].width = 10
        ws.column_dimensions[get_column_letter(last_col)].width = 40
        ws.column_dimensions[get_column_letter(last_col + 1)].width = 24
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, FIRST_YEAR_COLUMN)
    return book


def write_collection_workbook(
    plan: Plan,
    path: str | Path,
    indicators: IndicatorDictionary | None = None,
    current_year: int | None = None,
    entered: Mapping[tuple[str, int], float | str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> Path:
    """Write the data-collection workbook of ``plan`` to ``path`` atomically (with values
    already collected, see :func:`build_workbook`)."""
    book = build_workbook(plan, indicators, current_year, entered, notes)
    return atomic_write(Path(path), book.save)


__all__ = [
    "NOTE_HEADING",
    "OTHER_SHEET",
    "TARGET_HEADING",
    "baseline_note",
    "build_workbook",
    "collection_years",
    "prefilled_count",
    "prefilled_value",
    "sheet_name",
    "stated_baselines",
    "units_and_indicators",
    "unlisted_sheet",
    "write_collection_workbook",
]
