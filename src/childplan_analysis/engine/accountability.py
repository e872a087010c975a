"""Accountability (责任清单): each responsible unit's targets, status, warnings and why.

Every row of :func:`~childplan_analysis.engine.assess.assess` carries the target's responsible
unit(s) in ``responsible`` (joined with ``、``). Here those strings are split into single units
(``区卫健委、区教委`` → two units; ``市教育局和市发展改革委`` → two units, while
``市人力资源和社会保障局`` stays one), one unit written with and without its level
(``卫健委`` and ``市卫健委`` in the same region) is one unit, each target is listed under every
unit responsible for it, and :func:`write_unit_workbook` writes one Excel sheet per unit so each
department receives its own list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core.indicators import IndicatorDictionary, load_indicators
from childplan_analysis.engine.assess import LEVEL_LABELS, STATUS_LABELS, STATUSES
from childplan_analysis.io.fileio import atomic_write
from childplan_analysis.io.safety import excel_safe_frame

#: Unit name used for targets whose catalog names no responsible unit.
UNASSIGNED = {"zh": "未明确责任单位", "en": "No responsible unit named"}
_SEPARATORS = re.compile(r"[、，,；;／/\n\r\t]+|\s{2,}|\u3000+")
#: Last characters of a unit's name (局, 委, 办, 妇联, 团市委, 中心 …): 和/及/与 right after one
#: joins two units; inside a name (人力资源和社会保障局, 住房和城乡建设局) it does not follow one.
_UNIT_END = "局委会部办厅院队所站联团室处府社行司署心"
_JOINED = re.compile(rf"(?<=[{_UNIT_END}])(?:以及|和|及|与)(?=\S{{2}})")
#: One-character levels a unit's name may start with (市卫健委, 县教育局, 区民政局 …).
_LEVELS = "省市州盟县区旗镇乡"
_LEAD_MARK = re.compile(r"[（(](?:牵头|牵头单位|负责|lead)[)）]$")
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
WARNING_TEXT = {
    "off_track": {"zh": "预计达标困难", "en": "expected to miss the target"},
    "may_not_hold": {"zh": "预计难以保持达标", "en": "may not hold to the target year"},
    "volatile": {"zh": "波动较大", "en": "fluctuates strongly"},
    "regressing": {"zh": "向目标反方向变化", "en": "moving away from the target"},
    "stale_data": {"zh": "数据陈旧", "en": "data out of date"},
    "series_break": {"zh": "数据序列断点", "en": "break in the data series"},
    "widening_gap": {"zh": "差距扩大", "en": "gap widening"},
}
SHEET_COLUMNS = [
    "plan", "region", "domain", "indicator", "target", "attribute", "last_year", "last_value",
    "projected", "p_meet", "status", "warning_level", "warnings", "explanation", "shared_with",
]
_HEADINGS = {
    "plan": {"zh": "规划", "en": "Plan"},
    "region": {"zh": "地区", "en": "Region"},
    "domain": {"zh": "领域", "en": "Domain"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "target": {"zh": "目标", "en": "Target"},
    "attribute": {"zh": "指标属性", "en": "Attribute"},
    "last_year": {"zh": "最新年份", "en": "Latest year"},
    "last_value": {"zh": "最新值", "en": "Latest value"},
    "projected": {"zh": "目标年预测值", "en": "Projected"},
    "p_meet": {"zh": "达标概率", "en": "P(meet)"},
    "status": {"zh": "状态", "en": "Status"},
    "warning_level": {"zh": "预警等级", "en": "Warning level"},
    "warnings": {"zh": "预警", "en": "Warnings"},
    "explanation": {"zh": "说明", "en": "Explanation"},
    "shared_with": {"zh": "共同责任单位", "en": "Shared with"},
    "unit": {"zh": "责任单位", "en": "Responsible unit"},
    "targets": {"zh": "目标数", "en": "Targets"},
}
_ATTRIBUTE = {"binding": {"zh": "约束性", "en": "binding"}, "expected": {"zh": "预期性", "en": "expected"}}
_LEVEL_FILL = {"red": "F4A6A0", "yellow": "FFE699", "green": "C6E0B4"}


def split_units(text: object) -> list[str]:
    """Single unit names in a responsible-unit string, in order, without duplicates.

    >>> split_units("区卫健委、区教委，区公安分局（牵头）")
    ['区卫健委', '区教委', '区公安分局']
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    items = text if isinstance(text, list | tuple) else [text]
    units: list[str] = []
    for item in items:
        for part in _SEPARATORS.split(str(item)):
            for piece in _JOINED.split(part.strip()):
                name = _LEAD_MARK.sub("", piece.strip()).strip()
                if name and name not in units:
                    units.append(name)
    return units


def unit_lists(results: pd.DataFrame) -> list[list[str]]:
    """Per result row, its single responsible units, one name per unit within a region.

    A unit written without its level (``卫健委``) is the one written with it (``市卫健委``) when the
    region's targets name exactly one such unit; a name starting with the region's own name
    (``江屿市卫健委``) is written with the level only (``市卫健委``) when that spelling is used too.
    """
    regions = results["region"].astype(str).tolist() if "region" in results else [""] * len(results)
    lists = [split_units(r) for r in results["responsible"]]
    names: dict[str, set[str]] = {}
    for region, units in zip(regions, lists, strict=True):
        names.setdefault(region, set()).update(units)
    canon = {region: _canonical_names(region, found) for region, found in names.items()}
    out = []
    for region, units in zip(regions, lists, strict=True):
        merged: list[str] = []
        for u in units:
            name = canon[region].get(u, u)
            if name not in merged:
                merged.append(name)
        out.append(merged)
    return out


def _canonical_names(region: str, found: set[str]) -> dict[str, str]:
    """Spelling → the unit's one name within ``region``'s lists."""
    out: dict[str, str] = {}
    own = [n for n in _region_parts(region) if n]
    for name in found:
        for part in own:
            short = part[-1] + name[len(part):]
            if name.startswith(part) and len(name) > len(part) and short in found:
                out[name] = short
    for name in found:
        if name[0] in _LEVELS:
            continue
        with_level = [lv + name for lv in _LEVELS if lv + name in found]
        if len(with_level) == 1:
            out[name] = with_level[0]
    return out


def _region_parts(region: str) -> list[str]:
    """``江屿市东滩县`` → ``['江屿市东滩县', '东滩县', '江屿市']``: the names a unit may begin with."""
    parts = re.findall(r".+?(?:自治州|自治县|自治旗|省|市|州|盟|县|区|旗)", region)
    return [region, *reversed(parts)] if parts else [region]


def by_unit(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per (responsible unit, result row): ``results`` plus ``responsible_unit`` and
    ``shared_with`` (the target's other responsible units).

    Targets without a responsible unit are listed under :data:`UNASSIGNED`.
    """
    units = pd.Series(unit_lists(results), index=results.index, dtype=object)
    frame = results.assign(
        responsible_unit=units.map(lambda u: u or [UNASSIGNED[lang]]),
        _all=units,
    ).explode("responsible_unit")
    frame["shared_with"] = [
        "、".join(u for u in others if u != unit)
        for unit, others in zip(frame["responsible_unit"], frame["_all"], strict=True)
    ]
    return frame.drop(columns="_all").reset_index(drop=True)


def unit_summary(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per unit: number of targets, count per status and per warning level, red first."""
    frame = by_unit(results, lang)
    if frame.empty:
        return pd.DataFrame(columns=["unit", "targets", *STATUSES, "red", "yellow", "green"])
    unit = frame["responsible_unit"].rename("unit")
    status = pd.crosstab(unit, frame["status"]).reindex(columns=list(STATUSES), fill_value=0)
    level = pd.crosstab(unit, frame["warning_level"]).reindex(columns=["red", "yellow", "green"], fill_value=0)
    table = pd.concat([frame.groupby(unit).size().rename("targets"), status, level], axis=1)
    table = table.sort_values(["red", "yellow", "targets"], ascending=False, kind="stable")
    table.index.name = "unit"
    return table.reset_index()


def summary_table(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`unit_summary` with localized headings (责任单位、目标数、已达标 …)."""
    return unit_summary(results, lang).rename(columns=_summary_headings(lang))


def explain(row: pd.Series, lang: str = "zh", indicators: IndicatorDictionary | None = None) -> str:
    """The assessment of one result row in words (status, latest value, projection, warnings)."""
    indicators = indicators or load_indicators()
    zh = lang != "en"
    ind = indicators.by_id.get(str(row.get("indicator")))
    unit = ind.unit if ind else ""
    parts = []
    if pd.notna(row.get("last_year")) and pd.notna(row.get("last_value")):
        y, v = int(row["last_year"]), with_unit(row["last_value"], unit, lang)
        parts.append(f"{y}年为{v}" if zh else f"{v} in {y}")
    status = str(row.get("status", ""))
    target_year = row.get("target_year")
    if pd.notna(row.get("projected")) and status != "achieved":
        ty = int(target_year)
        band = ""
        if pd.notna(row.get("lower")) and pd.notna(row.get("upper")):
            band = (f"（区间{_num(row['lower'])}–{with_unit(row['upper'], unit, lang)}）" if zh
                    else f" (interval {_num(row['lower'])}–{with_unit(row['upper'], unit, lang)})")
        projected = with_unit(row["projected"], unit, lang)
        parts.append(f"按现有趋势{ty}年预计{projected}{band}" if zh
                     else f"on the current trend {projected} expected in {ty}{band}")
    if pd.notna(row.get("p_meet")) and status != "achieved":
        parts.append(f"达标概率{row['p_meet']:.0%}" if zh else f"probability of meeting the target {row['p_meet']:.0%}")
    if pd.notna(row.get("required_rate")) and pd.notna(row.get("observed_rate")) and row["required_rate"] != 0 \
            and status in ("acceleration_needed", "regressing"):
        parts.append(
            f"需年均变化{_num(row['required_rate'])}，实际{_num(row['observed_rate'])}" if zh
            else f"needs {_num(row['required_rate'])} a year, observed {_num(row['observed_rate'])}"
        )
    label = STATUS_LABELS.get(status, {}).get(lang, status)
    lead = f"{label}：" if zh else f"{label}: "
    text = lead + ("，".join(parts) if zh else "; ".join(parts))
    codes = [c for c in str(row.get("warnings", "") or "").split(";") if c]
    if codes:
        words = [WARNING_TEXT.get(c, {}).get(lang, c) for c in codes]
        text += ("；预警：" + "、".join(words)) if zh else ("; warnings: " + ", ".join(words))
    reason = row.get("reason")
    if isinstance(reason, str) and reason:
        text += f"（{reason}）" if zh else f" ({reason})"
    return text.rstrip("：: ")


def unit_sheets(
    results: pd.DataFrame,
    plans: Plan | Iterable[Plan] = (),
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> dict[str, pd.DataFrame]:
    """One localized table per responsible unit (red targets first), keyed by unit name."""
    indicators = indicators or load_indicators()
    plan_list = [plans] if isinstance(plans, Plan) else list(plans)
    targets = {(p.id, t.id): t for p in plan_list for t in p.targets}
    titles = {p.id: p.title for p in plan_list}
    frame = by_unit(results, lang)
    order = {"red": 0, "yellow": 1, "green": 2}
    frame = frame.assign(_lvl=frame["warning_level"].map(order)).sort_values(
        ["responsible_unit", "_lvl", "plan_id", "target_id"], kind="stable")
    sheets: dict[str, pd.DataFrame] = {}
    for unit, grp in frame.groupby("responsible_unit", sort=False):
        table = pd.DataFrame(
            {
                "plan": grp["plan_id"].map(lambda p: titles.get(p, p)),
                "region": grp["region"],
                "domain": grp["domain"].map(lambda d: _domain(d, lang)),
                "indicator": grp["indicator"].map(lambda i: indicators.display_name(i, lang)),
                "target": [_describe(targets.get((p, t)), r, lang)
                           for p, t, (_, r) in zip(grp["plan_id"], grp["target_id"], grp.iterrows(), strict=True)],
                "attribute": grp["attribute"].map(lambda a: _ATTRIBUTE.get(a, {}).get(lang, "")),
                "last_year": grp["last_year"].map(lambda y: "" if pd.isna(y) else int(y)),
                "last_value": grp["last_value"].map(_round),
                "projected": grp["projected"].map(_round),
                "p_meet": grp["p_meet"].map(lambda p: "" if pd.isna(p) else f"{p:.0%}"),
                "status": grp["status"].map(lambda s: STATUS_LABELS.get(s, {}).get(lang, s)),
                "warning_level": grp["warning_level"].map(lambda s: LEVEL_LABELS.get(s, {}).get(lang, s)),
                "warnings": grp["warnings"].map(lambda w: _warning_words(w, lang)),
                "explanation": [explain(r, lang, indicators) for _, r in grp.iterrows()],
                "shared_with": grp["shared_with"],
            }
        )
        table.attrs["levels"] = grp["warning_level"].tolist()
        sheets[str(unit)] = table.rename(columns={c: _HEADINGS[c][lang] for c in table.columns})
    return sheets


def write_unit_workbook(
    results: pd.DataFrame,
    path: str | Path,
    plans: Plan | Iterable[Plan] = (),
    *,
    lang: str = "zh",
    summary: bool = False,
    indicators: IndicatorDictionary | None = None,
) -> Path:
    """Write the 责任清单 workbook: one sheet per responsible unit (named after the unit).

    ``summary=True`` adds a first sheet with the counts per unit. Sheet names are shortened
    to Excel's 31 characters and made unique. Written atomically.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path}: the responsibility workbook must be an .xlsx file")
    sheets = unit_sheets(results, plans, lang, indicators)
    names = sheet_names(list(sheets))

    def write(tmp: str) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            if summary:
                table = unit_summary(results, lang)
                table = table.rename(columns=_summary_headings(lang))
                excel_safe_frame(table).to_excel(writer, sheet_name="汇总" if lang != "en" else "Summary",
                                                 index=False)
                _format_sheet(writer.sheets["汇总" if lang != "en" else "Summary"], None)
            if not sheets:
                pd.DataFrame({_HEADINGS["target"][lang]: []}).to_excel(writer, sheet_name=UNASSIGNED[lang][:31],
                                                                      index=False)
            for unit, table in sheets.items():
                name = names[unit]
                excel_safe_frame(table).to_excel(writer, sheet_name=name, index=False)
                _format_sheet(writer.sheets[name], table.attrs.get("levels"))

    return atomic_write(path, write)


def sheet_names(units: list[str]) -> dict[str, str]:
    """Valid, unique Excel sheet names (≤ 31 characters, no ``[]:*?/\\``) for ``units``."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for unit in units:
        base = _INVALID_SHEET_CHARS.sub("_", unit).strip("'") or "_"
        name = base[:31]
        k = 2
        while name.lower() in used:
            suffix = f"~{k}"
            name = base[: 31 - len(suffix)] + suffix
            k += 1
        used.add(name.lower())
        out[unit] = name
    return out


def _format_sheet(ws, levels: list[str] | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for col in ws.columns:
        width = max((_display_width(c.value) for c in col), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
        for c in col[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    if levels:
        level_col = None
        for cell in ws[1]:
            if cell.value in (_HEADINGS["warning_level"]["zh"], _HEADINGS["warning_level"]["en"]):
                level_col = cell.column
        if level_col:
            for i, lvl in enumerate(levels, start=2):
                if lvl in _LEVEL_FILL:
                    ws.cell(row=i, column=level_col).fill = PatternFill("solid", fgColor=_LEVEL_FILL[lvl])


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _summary_headings(lang: str) -> dict[str, str]:
    heads = {"unit": _HEADINGS["unit"][lang], "targets": _HEADINGS["targets"][lang]}
    heads.update({s: STATUS_LABELS[s][lang] for s in STATUSES})
    heads.update({lvl: LEVEL_LABELS[lvl][lang] for lvl in ("red", "yellow", "green")})
    return heads


def _warning_words(codes: object, lang: str) -> str:
    parts = [c for c in str(codes or "").split(";") if c and c != "nan"]
    return "；".join(WARNING_TEXT.get(c, {}).get(lang, c) for c in parts)


def _domain(domain: object, lang: str) -> str:
    from childplan_analysis.core.indicators import DOMAIN_LABELS

    return DOMAIN_LABELS.get(str(domain), {}).get(lang, str(domain))


def _describe(target, row: pd.Series, lang: str) -> str:
    if target is not None:
        return target.describe(lang)
    value = "" if pd.isna(row.get("target_value")) else _num(row["target_value"])
    return f"{row.get('comparator', '')} {value}{row.get('unit', '') or ''} ({int(row['target_year'])})".strip()


def _num(x: float) -> str:
    return f"{float(x):.4g}"


#: How a unit reads after a number: ``12.6/10万`` (not ``12.61/10万``); in English in words.
_AFTER_NUMBER = {
    "zh": {"1/10万": "/10万", "1/万": "/万", "1/1000": "/1000"},
    "en": {"1/10万": " per 100,000", "1/万": " per 10,000", "1/1000": " per 1,000", "‰": "‰", "%": "%",
           "岁": " years", "年": " years", "人": " persons", "名": "", "张": "", "个": "", "所": ""},
}


def with_unit(x: object, unit: object, lang: str = "zh") -> str:
    """A value with its unit as read after a number (``12.6/10万``; ``12.6 per 100,000`` in English)."""
    unit = str(unit or "")
    table = _AFTER_NUMBER["en" if lang == "en" else "zh"]
    return _num(float(x)) + table.get(unit, unit if lang != "en" or unit.isascii() else f" {unit}")


def _round(x: float) -> object:
    return "" if pd.isna(x) else float(f"{float(x):.4g}")
