"""Excel output: the results workbook (summary, one sheet per domain, warnings) and result files."""


import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.io.fileio import atomic_write, atomic_write_text
from childplan_analysis.io.safety import excel_safe_frame
from childplan_analysis.report.labels import (
    level_label,
    status_label,
    t,
    unit_digits,
)
from childplan_analysis.report.tables import (
    LEVEL_FILLS,
    STATUS_FILLS,
    _col,
    attainment_table,
    domain_label,
    localized_results,
    scorecard,
    status_counts,
    warnings_by_responsible,
)


def write_workbook(
    results: pd.DataFrame,
    path: str | Path,
    plan: Plan,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Excel workbook of results and warnings: a summary sheet, one sheet per domain and a
    warnings sheet by responsible unit, then the data-quality ``notes`` (数据质量说明) when
    given, so that a workbook sent on keeps its caveats; status and level cells coloured by
    conditional formatting, header frozen, filters on. Written atomically."""
    indicators = indicators or load_indicators()
    card = _numeric_card(results, plan, lang, indicators)
    warn = warnings_by_responsible(results, plan, lang, indicators)
    summary = status_counts(results, lang)
    rates = attainment_table(results, "domain", lang)

    def build(tmp: str) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            summary.to_excel(xw, sheet_name=_sheet_name(t("overall", lang)), index=False)
            excel_safe_frame(rates).to_excel(xw, sheet_name=_sheet_name(t("overall", lang)), index=False,
                           startrow=len(summary) + 2)
            used: set[str] = {_sheet_name(t("overall", lang))}
            for domain in dict.fromkeys(results["domain"]):
                name = _unique_sheet(domain_label(domain, lang), used)
                excel_safe_frame(card[(results["domain"] == domain).to_numpy()]).to_excel(
                    xw, sheet_name=name, index=False)
            excel_safe_frame(warn).to_excel(xw, sheet_name=_unique_sheet(t("warnings", lang), used), index=False)
            if notes:
                heading = "数据质量说明" if lang != "en" else "Data quality notes"
                excel_safe_frame(pd.DataFrame({heading: notes})).to_excel(
                    xw, sheet_name=_unique_sheet(heading, used), index=False)
            for ws in xw.book.worksheets:
                _format_sheet(ws, lang)

    return atomic_write(path, build)


def _numeric_card(results: pd.DataFrame, plan: Plan, lang: str, indicators: IndicatorDictionary) -> pd.DataFrame:
    """The scorecard for Excel: words for codes, but years, values, rates and 达标概率 as numbers
    (values rounded to their unit's precision; 达标概率 a fraction shown as a percentage)."""
    card = scorecard(results, plan, lang, indicators)
    digits = _col(results, "unit").map(unit_digits)
    numeric = {
        "last_year": results["last_year"].astype("Float64"),
        "last_value": [round(v, d) if pd.notna(v) else np.nan for v, d in zip(results["last_value"], digits, strict=True)],
        "projected": [round(v, d) if pd.notna(v) else np.nan for v, d in zip(results["projected"], digits, strict=True)],
        "p_meet": results["p_meet"].where(results["status"].ne("achieved")).round(3),
    }
    for key, values in numeric.items():
        card[t(key, lang)] = pd.Series(values, index=card.index, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    card.insert(0, t("target_year", lang), results["target_year"].to_numpy())
    card.insert(card.columns.get_loc(t("last_value", lang)), t("unit", lang), _col(results, "unit").fillna("").to_numpy())
    return card


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"


def _unique_sheet(name: str, used: set[str]) -> str:
    base = _sheet_name(name)
    out, i = base, 2
    while out in used:
        out = f"{base[:28]}_{i}"
        i += 1
    used.add(out)
    return out


def _format_sheet(ws, lang: str) -> None:
    """Frozen header, filter, column widths, and conditional colours on status/level columns."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    if ws.max_row < 1:
        return
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for cell in ws[1]:
        cell.font = Font(bold=True)
    headers = {str(c.value): c.column for c in ws[1] if c.value is not None}
    last = max(ws.max_row, 2)
    if t("p_meet", lang) in headers:
        for (cell,) in ws.iter_rows(min_row=2, min_col=headers[t("p_meet", lang)],
                                    max_col=headers[t("p_meet", lang)]):
            cell.number_format = "0%"
    fills = [(t("status", lang), {status_label(s, lang): c for s, c in STATUS_FILLS.items()}),
             (t("warning_level", lang), {level_label(s, lang): c for s, c in LEVEL_FILLS.items()})]
    for header, colours in fills:
        if header not in headers:
            continue
        letter = get_column_letter(headers[header])
        rng = f"{letter}2:{letter}{last}"
        for text, colour in colours.items():
            ws.conditional_formatting.add(rng, CellIsRule(
                operator="equal", formula=[f'"{text}"'], fill=PatternFill("solid", start_color=colour, end_color=colour)))
    for col in ws.columns:
        width = max((_display_width(c.value) for c in col), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_results(results: pd.DataFrame, path: str | Path, *, lang: str = "zh") -> Path:
    """Write an assessment table as CSV, Excel or Parquet (by suffix), atomically.

    CSV, Parquet and JSON keep the codes (for programs); Excel is for people: headings and
    codes in ``lang`` (:func:`localized_results`), numbers as numeric cells, header frozen."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return atomic_write_text(path, excel_safe_frame(results).to_csv(index=False))
    if suffix == ".xlsx":
        frame = excel_safe_frame(localized_results(results, lang))

        def build(tmp: str) -> None:
            xw = pd.ExcelWriter(tmp, engine="openpyxl")
            # closed only once the sheet is written: a failing writer raises its own error,
            # not openpyxl's complaint about a workbook without sheets
            frame.to_excel(xw, index=False, sheet_name=_sheet_name(t("results_sheet", lang)))
            _format_sheet(xw.book.worksheets[0], lang)
            xw.close()

        return atomic_write(path, build)
    if suffix == ".parquet":
        return atomic_write(path, lambda tmp: results.to_parquet(tmp, index=False))
    if suffix == ".json":
        return atomic_write_text(path, json.dumps(results.to_dict(orient="records"), ensure_ascii=False, default=str))
    raise ValueError(f"{path}: unsupported output type {suffix!r} (use .csv, .xlsx, .parquet or .json)")
