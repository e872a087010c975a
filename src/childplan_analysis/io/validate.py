"""Row validation: raw text records of one table → tidy observations and rejected rows.

Every record is either kept or rejected with file, sheet, row, column, value and a reason
(Chinese, with the English in parentheses). Each column is coded into its distinct values
(:class:`~childplan_analysis.io.coded.Coded`); every check and conversion of a cell's text runs
once per distinct value (or distinct combination: units, notes, bounds messages) and is taken
back to the rows by array indexing, so no Python code runs per row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from childplan_analysis.core import config
from childplan_analysis.core.columns import LOADED_COLUMNS, OBS_COLUMNS, OPTIONAL_COLUMNS, REQUIRED
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.core.text import normalise, zh_en
from childplan_analysis.core.units import canonical_unit, conversion_factor
from childplan_analysis.io.breakdowns import breakdowns_in_names
from childplan_analysis.io.coded import Coded, Rejections, combine_any, constant, count_codes
from childplan_analysis.io.form_titles import other_region_warning
from childplan_analysis.io.formulas import UNCALCULATED, uncalculated_reason
from childplan_analysis.io.placeholders import (
    is_placeholder,
    placeholder_mask,
    skip_reason,
    skip_text,
)
from childplan_analysis.io.readers import reject_frame
from childplan_analysis.io.wide_forms import (
    AREA_CODES,
    COLUMN_ALIASES,
    FOOTNOTE_END,
    MERGED_VALUE,
    SEX_CODES,
    RawTable,
    without_footnote_marks,
)

_TOTAL_WORDS = {"", "合计", "全部", "总计", "小计", "total", "all"}
#: A status written after a value in brackets (``10.8(快报)``, ``95.1（初步核算数）``): the number is the value,
#: the status its note.
_STATUS_TAIL = re.compile(
    r"\s*[(（]\s*(快报数?|初步(?:核算)?数?|预计数?|预估数?|估计数?|暂定数?|调整后?数?|修订后?数?|核实数?|快报口径)\s*[)）]\s*$"
)
#: A number with a unit written after it: a rate sign, or a unit word (``12人``, ``3所``), which must
#: then be the indicator's unit (a count in 人 of a % indicator is refused, never read as 12 %).
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(%|‰|1/10万|/10万|1/万|/万|[\u4e00-\u9fff]{1,4})?$")
_BOUND_VALUE = re.compile(
    r"^(?P<word>>=|<=|≥|≤|<|>|约|≈|~|不足|超过|小于|大于|低于|高于|不低于|不高于|不少于|不超过|至少)?\s*"
    r"(?P<number>[+-]?\d+(?:\.\d+)?)\s*(?P<unit>%|‰|1/10万|/10万|1/万|/万)?\s*(?P<tail>以上|以下)?$")
#: Comparator of each bound word (民法典 第1259条: 以上/以下/不超过 include the number; 超过/不足 do not).
_CENSOR = {">=": ">=", "≥": ">=", "不低于": ">=", "不少于": ">=", "至少": ">=", ">": ">", "超过": ">",
           "大于": ">", "高于": ">", "<=": "<=", "≤": "<=", "不高于": "<=", "不超过": "<=", "<": "<",
           "不足": "<", "小于": "<", "低于": "<", "约": "", "≈": "", "~": ""}
_ABOUT = {"约", "≈", "~"}
#: Two numbers joined as a range (``95-96``, ``4.1～4.5``, ``90%-95%``): no one value.
_RANGE = re.compile(r"^\d+(?:\.\d+)?\s*[%‰]?\s*(?:[-~—–－～至到]+)\s*\d+(?:\.\d+)?\s*[%‰]?$")
_EXCEL_ERROR = re.compile(r"^#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!)$", re.IGNORECASE)
_NAME_UNIT = re.compile(r"[(（]\s*(%|％|‰|1/10万|/10万|1/万|/万)\s*[)）]\s*$")


def validate_table(
    table: RawTable,
    region: str | None,
    indicators: IndicatorDictionary,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate one table; returns (good rows in tidy form, rejected rows)."""
    rec = table.records
    n = len(rec)
    rows = rec["_row"].to_numpy()
    if region is not None and "region" not in rec:
        rec = rec.assign(region=region)
        table.headings["region"] = "region"
        table.warnings.extend(other_region_warning(table, region))
    missing = [c for c in REQUIRED if c not in rec]
    if missing or table.problem:
        problem = table.problem or _missing_message(missing, table)
        column = table.problem_column or ",".join(missing)
        cells = rec["value"].astype(str).to_numpy() if "value" in rec else ""
        bad = pd.DataFrame({"file": table.file, "sheet": table.sheet, "row": rows, "column": column,
                            "value": cells, "reason": problem})
        if n == 0:
            bad = reject_frame(table.file, table.sheet, 1, column, "", problem)
        return empty_obs(internal=True), bad
    rec = breakdowns_in_names(rec, lambda name: indicators.find(normalise(without_footnote_marks(name))))
    heading = table.headings
    blank = Coded(np.zeros(n, dtype=np.intp), np.array([""], dtype=object))
    col = {f: _clean(rec[f]) if f in rec else blank for f in OBS_COLUMNS if f not in ("value", "censor")}
    if "indicator" in rec:
        col["indicator"] = Coded.of(rec["indicator"]).used_only().map(lambda u: normalise(without_footnote_marks(u)))
    raw = Coded.of(rec["value"])
    value_heading = Coded.of(rec["_col"])
    flags = Rejections(n)
    value_u, reason_u, cell_unit_u, censor_u, note_u = _parse_used(raw)
    hole = raw.where(_placeholders(raw.uniques, reason_u))  # "—", "无" …: nothing reported, skipped
    flags.bad |= hole

    flags.flag(col["region"].where(col["region"].uniques == ""), heading.get("region", "region"),
               col["region"], zh_en("地区为空", "region is empty"))
    flags.flag(col["region"].where(np.array([is_whole_word(u) for u in col["region"].uniques], dtype=bool)),
               heading.get("region", "region"), col["region"], zh_en(
                   "地区列写的是合计而不是地区名：上级地区的合计行请写明地区名，或把下辖地区放在县区/乡镇列",
                   "the region column holds a total word, not a place: name the region of a total row, "
                   "or put the places under it in a subregion (县区/乡镇) column"))
    ind = _indicator_facts_per_name(col["indicator"], indicators)
    ind_reason = Coded(col["indicator"].codes, ind["ind_reason"])
    flags.flag(col["indicator"].where(ind["ind_reason"] != ""), heading.get("indicator", "indicator"),
               col["indicator"], ind_reason)
    year_u = _parse_years(col["year"].uniques)
    flags.flag(col["year"].where(np.isnan(year_u) | (np.nan_to_num(year_u) % 1 != 0)), heading.get("year", "year"),
               col["year"], zh_en("年份不是整数", "year is not a whole number"))
    flags.flag(col["year"].where((year_u < config.MIN_YEAR) | (year_u > config.MAX_YEAR)), heading.get("year", "year"),
               col["year"], zh_en(f"年份超出 {config.MIN_YEAR}–{config.MAX_YEAR}",
                                f"year outside {config.MIN_YEAR}–{config.MAX_YEAR}"))
    flags.flag(raw.where(reason_u != ""), value_heading, raw, Coded(raw.codes, reason_u))
    units, unit_facts = _resolve_units(col["unit"], raw.recode(cell_unit_u), Coded.of(rec["_unit_h"]),
                                       col["indicator"], ind)
    unit_column = heading.get("unit", value_heading)

    def unit_cell(idx: np.ndarray) -> np.ndarray:
        given = col["unit"].values(idx)
        return np.where(given != "", given, raw.values(idx))

    flags.flag(units.where(unit_facts["reason"] != ""), unit_column, unit_cell,
               Coded(units.codes, unit_facts["reason"]))
    converts = bool((unit_facts["factor"] != 1.0).any())
    factor = units.per_row(unit_facts["factor"]) if converts else None  # None: every factor 1
    value = raw.per_row(value_u)
    if factor is not None:
        value = value * np.where(np.isnan(factor), 1.0, factor)
    fraction_like = (value > 0) & (value <= 1)  # a per-cent figure written as a fraction?
    no_cell_unit = raw.where(cell_unit_u == "")
    if factor is not None:  # a value converted from another unit (1.5‰ → 0.15 %) was not written as a fraction
        no_cell_unit &= (factor == 1.0) | np.isnan(factor)
    fraction, reference = _fraction_of_percent(value, fraction_like, no_cell_unit, col["indicator"], ind, flags.bad)
    flags.flag(fraction, value_heading, raw, lambda idx: _fraction_reason(value[idx], reference[idx]))
    outside = np.zeros(len(value), dtype=bool)
    if not _inside_every_bound(value_u if factor is None else value, ind):
        outside = _outside_bounds(value, value_u if factor is None else None, raw, col["indicator"], ind)
    if outside.any():
        def bounds_reason(idx: np.ndarray) -> np.ndarray:
            key, first = combine_any(Coded.of(value[idx]).codes, col["indicator"].codes[idx])
            at = idx[first]
            code = col["indicator"].codes[at]
            names, low, high = ind["ind_id"][code], ind["low"][code], ind["high"][code]
            why = [zh_en(f"数值 {v:g} 超出 {i} 的合理范围 [{lo:g}, {hi:g}]",
                         f"value {v:g} outside the natural bounds [{lo:g}, {hi:g}] of {i}")
                   for v, lo, hi, i in zip(value[at], low, high, names, strict=True)]
            return np.array(why, dtype=object)[key]

        flags.flag(outside, value_heading, raw, bounds_reason)
    sex = col["sex"].recode(_codes(col["sex"].uniques, SEX_CODES))
    flags.flag(sex.where(pd.isna(sex.uniques)), heading.get("sex", "sex"), col["sex"],
               zh_en("性别须为 男/女/合计", "sex must be 男/女/合计 (male/female/total)"))
    area = col["area"].recode(_codes(col["area"].uniques, AREA_CODES))
    flags.flag(area.where(pd.isna(area.uniques)), heading.get("area", "area"), col["area"],
               zh_en("城乡须为 城镇/农村/合计", "area must be 城镇/农村/合计 (urban/rural/total)"))

    good = np.flatnonzero(~flags.bad)
    table.warnings.extend(_all_fractions_warning(table, fraction_like & no_cell_unit, col["indicator"], ind,
                                                 flags.bad))
    note = _notes(col["note"], raw, note_u, Coded(units.codes, unit_facts["given"]), factor, good)
    every = good if len(good) < n else slice(None)  # every row loaded: views, not copies
    tidy = pd.DataFrame(
        {
            "region": col["region"].text(every),
            "indicator": Coded(col["indicator"].codes, ind["ind_id"]).text(every),
            # numbers as Series of their own: taken as they are, not copied into one block
            "year": pd.Series(col["year"].per_row(_whole_years(year_u))[every], copy=False),
            "value": pd.Series(value[every], copy=False),
            "censor": raw.recode(censor_u).text(every),
            "unit": Coded(col["indicator"].codes, ind["ind_unit"]).text(every),
            "sex": sex.text(every),
            "area": area.text(every),
            "age_group": col["age_group"].recode(_age_group(col["age_group"].uniques)).text(every),
            "subregion": _subregion(col["subregion"], col["region"]).text(every),
            "source": col["source"].text(every),
            "note": note,
            # optional text as written (a citation keeps its full-width punctuation), stripped
            **{f: pd.Series(Coded.of(rec[f]).map(_stripped).values(every), dtype=object)
               for f in OPTIONAL_COLUMNS if f in rec},
            "_file": constant(table.file, len(good)),
            "_sheet": constant(table.sheet, len(good)),
            "_row": pd.Series(rows[every], copy=False),
        },
        copy=False,
    )
    if hole.any():
        _skip_placeholders(table, hole, col, raw, rows)
    return tidy, flags.frame(table.file, table.sheet, rows)


def _parse_used(raw: Coded) -> tuple[np.ndarray, ...]:
    """:func:`parse_values` of the distinct value cells some row holds; a distinct value no row holds
    (the column's heading, a title above it) is left unparsed, as an empty cell with no reason: it
    reaches no row. The rows keep their codes."""
    used = count_codes(raw.codes, len(raw.uniques)) > 0 if len(raw.codes) else np.zeros(len(raw.uniques), bool)
    if used.all():
        return parse_values(raw.uniques, with_censor=True)
    parsed = parse_values(raw.uniques[used], with_censor=True)
    out = (np.full(len(used), np.nan), *(np.full(len(used), "", dtype=object) for _ in parsed[1:]))
    for whole, part in zip(out, parsed, strict=True):
        whole[used] = part
    return out


def _placeholders(cells: np.ndarray, reason: np.ndarray) -> np.ndarray:
    """Which distinct value cells are marks for "not reported", looked for only among those that
    are no number (``reason``)."""
    out = np.zeros(len(cells), dtype=bool)
    refused = np.flatnonzero(reason != "")
    out[refused] = placeholder_mask(cells[refused])
    return out


def _skip_placeholders(table: RawTable, hole: np.ndarray, col: dict[str, Coded], raw: Coded,
                       rows: np.ndarray) -> None:
    """Move the records whose value cell is a placeholder from the table's records (the rows
    read) to its skipped rows, each naming what was not reported."""
    at = np.flatnonzero(hole)
    skipped = pd.DataFrame({
        "_row": rows[at],
        "text": [skip_text(r, i, y) for r, i, y in zip(col["region"].values(at), col["indicator"].values(at),
                                                       col["year"].values(at), strict=True)],
        "reason": [skip_reason(c) for c in raw.values(at)],
    })
    notes = skipped if table.notes is None or not len(table.notes) else pd.concat([table.notes, skipped])
    table.notes = notes.sort_values("_row", kind="stable").reset_index(drop=True)
    table.records = table.records[~hole].reset_index(drop=True)


def _stripped(cell: object) -> str:
    return "" if pd.isna(cell) else str(cell).strip()


def _inside_every_bound(values: np.ndarray, ind: dict[str, np.ndarray]) -> bool:
    """True when every number in ``values`` lies within the bounds of every indicator named (so no
    row can lie outside its own: nothing to compare row by row)."""
    finite = values[~np.isnan(values)]
    if not len(finite) or not len(ind["low"]):
        return True
    return bool(finite.min() >= ind["low"].max() and finite.max() <= ind["high"].min())


def _outside_bounds(value: np.ndarray, value_u: np.ndarray | None, raw: Coded, names: Coded,
                    ind: dict[str, np.ndarray]) -> np.ndarray:
    """Rows whose value lies outside the bounds of their indicator. Where each row's value is its
    value cell's (``value_u``, per distinct cell of ``raw``), each pair of a distinct value and an
    indicator is compared once and only the rows of a value outside some bound are looked at;
    else every row is compared with its indicator's bounds."""
    if value_u is not None and len(value_u) * len(ind["low"]) <= len(value):
        pair = (value_u[:, None] < ind["low"][None, :]) | (value_u[:, None] > ind["high"][None, :])
        outside = np.zeros(len(value), dtype=bool)
        rows = np.flatnonzero(raw.where(pair.any(axis=1)))
        outside[rows] = pair[raw.codes[rows], names.codes[rows]]
        return outside
    low, high = names.per_row(ind["low"]), names.per_row(ind["high"])
    return (value < low) | (value > high)


def _notes(note: Coded, raw: Coded, note_u: np.ndarray, given: Coded, factor: np.ndarray | None,
           good: np.ndarray) -> pd.Series:
    """The note of each loaded row: the note cell, how an approximate value was published (``note_u``,
    per distinct value cell of ``raw``) and the unit a value was converted from (worked out once
    per distinct combination)."""
    converted = (factor != 1.0)[good] if factor is not None else None
    if not (note_u != "").any() and (converted is None or not converted.any()):
        return note.text(good if len(good) < len(raw.codes) else slice(None))
    value_note = raw.recode(note_u)
    about = value_note.per_row(value_note.uniques != "")[good]
    if converted is None:
        converted = np.zeros(len(good), dtype=bool)
    if not about.any() and not converted.any():
        return note.text(good)
    key, first = combine_any(note.codes[good], np.where(about, value_note.codes[good], -1),
                             np.where(converted, given.codes[good], -1))
    texts = []
    for i in first:
        row = good[i]
        text = note.uniques[note.codes[row]]
        if about[i]:
            text = f"{text}; {value_note.uniques[value_note.codes[row]]}".strip("; ")
        if converted[i]:
            text = f"{text} converted from {given.uniques[given.codes[row]]}".strip()
        texts.append(text)
    return Coded(key, np.array(texts, dtype=object)).text(np.arange(len(good)))


_ZH_FIELD = {"region": "地区", "indicator": "指标", "year": "年份", "value": "数值"}


def _missing_message(missing: list[str], table: RawTable) -> str:
    """Which columns are missing, the columns seen in the header and the headings expected."""
    seen = ", ".join(table.seen) or "无（none）"
    expected = "; ".join(f"{m}: {'/'.join(COLUMN_ALIASES[m][:6])}" for m in missing)
    zh = f"缺少{'、'.join(_ZH_FIELD.get(m, m) for m in missing)}列；表头中的列：{seen}；可用的列名：{expected}"
    en = f"missing column(s) {', '.join(missing)}; columns seen: {seen}; expected headings such as {expected}"
    if "region" in missing:
        zh += "；或在表头上方写一行「地区：磐石市」，或用规划的地区 / --region 指定"
        en += "; or name the region in a line such as '地区：磐石市' above the header, or pass --region / --plan"
    if "year" in missing and table.kind == "long":
        zh += "；宽表的年份列写作 2021、2021年"
        en += "; in a wide form the year columns are headed 2021, 2021年"
    return zh_en(zh, en)


def _merged_reason(cell: str) -> str:
    m = MERGED_VALUE.match(cell)
    span, number = m.group(1), m.group(2)
    return zh_en(f"数值 {number} 填在合并单元格 {span} 中，跨越多个年份或分组，不能确定属于哪一格；请拆分单元格，分别填写",
                 f"value {number} is in a cell merged over {span}, spanning several years or breakdowns: "
                 "which one it belongs to cannot be told; unmerge it and fill each cell")


def _without_value_mark(cell: str) -> str:
    """A value cell without a footnote mark after its number (``4.2①`` → ``4.2``); a cell that is
    only a mark stays as it is (rejected as no number)."""
    m = FOOTNOTE_END.search(cell)
    return cell[: m.start()] if m and cell[: m.start()].strip() else cell


def _clean(raw: pd.Series) -> Coded:
    """Normalised text of each cell (:func:`~childplan_analysis.core.text.normalise`), coded. A
    column of two distinct texts may hold one besides its heading (a source named on every row):
    then it is that one."""
    coded = Coded.of(raw)
    return (coded.used_only() if len(coded.uniques) == 2 else coded).map(normalise)


def _codes(values: np.ndarray, codes: dict[str, str]) -> np.ndarray:
    """The code of each distinct value (None when it has none)."""
    return np.array([codes.get(str(u).lower()) for u in values], dtype=object)


def _age_group(values: np.ndarray) -> np.ndarray:
    return np.array(
        ["total" if str(u).lower() in _TOTAL_WORDS else re.sub(r"\s*[-~—–至到]\s*", "-", str(u))
         for u in values], dtype=object)


#: A place cell naming the whole: 全县, 全市, 本区, 合计 …
_WHOLE_PLACE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗|镇|乡)|本(?:省|市|州|县|区|旗|镇|乡)|合计|总计|全部|小计|"
                          r"total|all)$")


def is_whole_word(text: object) -> bool:
    """True for a place cell that names a total (``合计``, ``全县``), not a place."""
    return bool(_WHOLE_PLACE.match(str(text).strip().lower()))


#: A fraction-scale value of a % indicator is refused when ×100 it lies within this factor of the
#: median of the indicator's other values in the table (0.953 beside 92.5, 94.0 …).
_FRACTION_NEAR = 3.0


def _fraction_of_percent(value: np.ndarray, fraction_like: np.ndarray, no_cell_unit: np.ndarray, names: Coded,
                         ind: dict[str, np.ndarray], bad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a % indicator holding a fraction (0.953) where the indicator's other values in the
    same table are per cent (92.5), and per row the median of those other values: the two scales
    are never mixed silently. A value written with its unit (``0.953%``, or a cell formatted as a
    percentage) is taken as written. ``fraction_like``: rows with 0 < value ≤ 1."""
    percent_u = np.array([canonical_unit(u) == "%" for u in ind["ind_unit"]], dtype=bool)
    # no median to name for any row (read only where a row is flagged): not written out per row
    none = np.zeros(len(value), dtype=bool), np.broadcast_to(np.float64(np.nan), len(value))
    if not percent_u.any():
        return none
    at = np.flatnonzero(fraction_like)  # few rows, if any: looked at first on their own
    if not (percent_u[names.codes[at]] & ~bad[at] & no_cell_unit[at] & np.isfinite(value[at])).any():
        return none
    percent = names.per_row(percent_u)
    usable = percent & ~bad & no_cell_unit & np.isfinite(value)
    small = usable & fraction_like
    big = usable & (value > 1)
    reference = pd.Series(value[big]).groupby(names.codes[big]).median().reindex(names.codes).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = value * 100 / reference
    return small & (reference > 1) & (ratio <= _FRACTION_NEAR) & (ratio >= 1 / _FRACTION_NEAR), reference


def _fraction_reason(value: np.ndarray, reference: np.ndarray) -> np.ndarray:
    return np.array([zh_en(
        f"数值 {v:g} 像是按小数填写的百分比（{v * 100:g}%？），而本表中该指标的其他数值按百分数填写（中位数 {r:g}）；"
        "请统一按百分数填写",
        f"value {v:g} looks like a fraction ({v * 100:g} %?) while the indicator's other values in this "
        f"table are per cent (median {r:g}): write every value in per cent")
        for v, r in zip(value, reference, strict=True)], dtype=object)


def _all_fractions_warning(table: RawTable, small: np.ndarray, names: Coded, ind: dict[str, np.ndarray],
                           bad: np.ndarray) -> list[str]:
    """A warning naming the % indicators whose every loaded value in the table is a fraction
    (0 < v ≤ 1) written without a unit (``small``): a form that showed 95.3% from a stored 0.953
    in a format without cell styles (a CSV export) gives such
    values."""
    percent_u = np.array([canonical_unit(u) == "%" for u in ind["ind_unit"]], dtype=bool)
    at = np.flatnonzero(small)  # few rows, if any: looked at first on their own
    if not percent_u.any() or not (percent_u[names.codes[at]] & ~bad[at]).any():
        return []
    percent = names.per_row(percent_u) & ~bad
    if not (small & percent).any():
        return []
    codes = names.codes
    size = count_codes(codes[percent], len(names.uniques))
    n_small = count_codes(codes[percent & small], len(names.uniques))
    flagged = np.flatnonzero((size > 0) & (n_small == size))
    if not len(flagged):
        return []
    listed = "、".join(f"{ind['ind_id'][c]}（{int(size[c])}）" for c in flagged[:10])
    where = table.file + (f" [{table.sheet}]" if table.sheet else "")
    return [f"{where}: 百分比指标 {listed} 的数值都在 0–1 之间：如表中显示为 95.3% 而存的是 0.953，请改填百分数"
            f"（per-cent indicator(s) {listed}: every value lies between 0 and 1; if the form shows 95.3% from a "
            "stored 0.953, write the per-cent figures）"]


def _subregion(sub: Coded, region: Coded) -> Coded:
    """Subregion, '' where it names the whole (合计, 全县) or the region itself."""
    same = pd.Index(region.uniques).get_indexer(sub.uniques)  # code in region's numbering, or -1
    whole = np.array([is_whole_word(u) for u in sub.uniques], dtype=bool)
    total = sub.where(np.isin(sub.uniques, list(_TOTAL_WORDS)) | whole)
    if (same >= 0).any():  # some subregion is written as a region: compared row by row
        at = sub.per_row(same)
        total |= (at == region.codes) & (at >= 0)
    uniques = np.append(sub.uniques, "").astype(object)
    if not total.any():
        return Coded(sub.codes, uniques)
    return Coded(np.where(total, np.intp(len(sub.uniques)), sub.codes.astype(np.intp, copy=False)), uniques)


def _whole_years(year_u: np.ndarray) -> np.ndarray:
    """Each distinct year as an integer (0 for one refused: outside the years allowed, or none)."""
    fine = (year_u >= config.MIN_YEAR) & (year_u <= config.MAX_YEAR)
    return np.where(fine, year_u, 0).astype(np.int64)


def _parse_years(text: np.ndarray) -> np.ndarray:
    year = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    slow = np.isnan(year)
    if slow.any():
        stripped = pd.Series(text[slow], dtype=object).str.replace(r"\s*年度?$", "", regex=True)
        year[slow] = pd.to_numeric(stripped, errors="coerce").to_numpy(dtype=float, copy=True)
    return year


#: Plain decimals short enough to be read alike by every correct parser: a point, at most 14
#: digits (an integer below 2**53) and so a power of ten below 1e22, both exact in a double: the
#: one division is rounded once, correctly.
_PLAIN_DECIMAL = r"^[+-]?[0-9]+\.[0-9]+$"
_PLAIN_LENGTH = 15


def _numbers(raw: np.ndarray) -> np.ndarray:
    """The number of each text cell as ``pandas.to_numeric`` reads the whole array (NaN where it
    reads none). Plain short decimals (:data:`_PLAIN_DECIMAL`) are read by Arrow's kernels, the
    same doubles ``to_numeric`` gives them; the other cells go to ``to_numeric`` beside one decimal
    when there were plain ones, so that they are read as among them (a whole number then read as
    a decimal, as ``-0`` → ``-0.0``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(raw, type=pa.large_string())
        plain = pc.and_(pc.match_substring_regex(text, _PLAIN_DECIMAL),
                        pc.less_equal(pc.utf8_length(text), _PLAIN_LENGTH))
        plain = plain.fill_null(False).to_numpy(zero_copy_only=False)
        numbers = pc.cast(text.filter(pa.array(plain)), pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # cells that are no text: all read by pandas
        return pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    value = np.full(len(raw), np.nan)
    value[plain] = numbers
    rest = np.flatnonzero(~plain)
    if len(rest):
        cells = list(raw[rest]) + (["0.5"] if plain.any() else [])
        value[rest] = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce").to_numpy(dtype=float)[
            : len(rest)]
    return value


def parse_values(raw: np.ndarray | pd.Series, with_censor: bool = False) -> tuple[np.ndarray, ...]:
    """Parse value cells: plain numbers fast; then thousands separators, full-width digits,
    a trailing ``%``/``‰`` and the usual "not reported" marks.

    Returns (value, reason for rejection or "", unit written in the cell).

    A published bound keeps its number, with the comparator in ``censor``: ``≥90`` and ``90%以上``
    → 90, ``>=``; ``不足5`` → 5, ``<``; ``约3.2`` → 3.2, exact (with a note).

    >>> v, why, unit, censor, note = parse_values(["1,234.5", "９１．２%", "—", "<0.1"], with_censor=True)
    >>> v[[0, 1, 3]].tolist(), unit[:2].tolist(), why[2], censor.tolist()
    ([1234.5, 91.2, 0.1], ['', '%'], "未填报数值 '—'（no value reported ('—')）", ['', '', '', '<'])
    """
    raw = np.asarray(raw, dtype=object)
    value = _numbers(raw)
    reason = np.full(len(raw), "", dtype=object)
    unit = np.full(len(raw), "", dtype=object)
    censor = np.full(len(raw), "", dtype=object)
    note = np.full(len(raw), "", dtype=object)
    slow = np.flatnonzero(np.isnan(value))
    if len(slow):
        written = pd.Series(raw[slow], dtype=object).map(lambda c: "" if c is None else str(c))
        # a footnote mark after a value (4.2①, 12.1*) is no digit of it: NFKC would make ① a 1
        bare = written.map(_without_value_mark)
        marked = (bare != written).to_numpy()
        status = bare.str.extract(_STATUS_TAIL)[0]
        unstated = bare.str.replace(_STATUS_TAIL, "", regex=True)
        stated = (status.notna() & (unstated.str.strip() != "")).to_numpy()
        bare = bare.where(~stated, unstated)
        cells = bare.map(normalise)
        text = cells.str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
        match = text.str.extract(_NUMBER)
        value[slow] = pd.to_numeric(match[0], errors="coerce").to_numpy(dtype=float, copy=True)
        unit[slow] = match[1].fillna("").to_numpy(dtype=object)
        lower = text.str.lower()
        why = np.where(np.isnan(value[slow]), zh_en("数值不是数字", "value is not a number"), "").astype(object)
        is_missing = ((lower == "") | lower.map(is_placeholder)).to_numpy(dtype=bool)
        why[is_missing] = [zh_en("未填报数值（空单元格）", "no value reported (empty cell)") if c == ""
                           else zh_en(f"未填报数值 {c!r}", f"no value reported ({c!r})")
                           for c in cells[is_missing]]
        bound = text.str.extract(_BOUND_VALUE)
        bound_v = pd.to_numeric(bound["number"], errors="coerce").to_numpy(dtype=float)
        words = bound["word"].fillna("").to_numpy(dtype=object)
        tails = bound["tail"].fillna("").to_numpy(dtype=object)
        words = np.where(words == "", np.where(tails == "以上", ">=", np.where(tails == "以下", "<=", "")), words)
        is_bound = ~np.isnan(bound_v) & (words != "")
        value[slow[is_bound]] = bound_v[is_bound]
        unit[slow[is_bound]] = bound["unit"].fillna("").to_numpy(dtype=object)[is_bound]
        censor[slow[is_bound]] = [_CENSOR[w] for w in words[is_bound]]
        why[is_bound] = ""
        about = is_bound & np.isin(words, list(_ABOUT))
        note[slow[about]] = [zh_en(f"原值 {c!r}，按精确值使用", f"published as {c!r}, used as exact")
                             for c in cells[about]]
        merged = written.str.match(MERGED_VALUE).to_numpy()
        why[merged] = [_merged_reason(c) for c in written[merged]]
        ranged = text.str.match(_RANGE).to_numpy() & np.isnan(value[slow])
        why[ranged] = [zh_en(f"数值是一个范围 {c}，不是一个数；请填写一个数值（范围可写在备注中）",
                             f"value {c} is a range, not one number; enter one value (the range may go in a note)")
                       for c in cells[ranged]]
        formula = written.str.match(UNCALCULATED).to_numpy()
        why[formula] = [uncalculated_reason(c) for c in written[formula]]
        is_error = text.str.match(_EXCEL_ERROR).to_numpy()
        why[is_error] = [zh_en(f"单元格是表格错误 {c}", f"spreadsheet error {c} instead of a value")
                          for c in cells[is_error]]
        reason[slow] = why
        if marked.any():
            mark_note = np.array([zh_en(f"原值 {c!r}，脚注标记已去除", f"published as {c!r}, footnote mark dropped")
                                  for c in written[marked]], dtype=object)
            at = slow[marked]
            note[at] = np.where(note[at] == "", mark_note, note[at] + "; " + mark_note)
        if stated.any():
            status_note = np.array([zh_en(f"原值 {c!r}，注明“{st}”", f"published as {c!r}, marked {st}")
                                    for c, st in zip(written[stated], status[stated], strict=True)], dtype=object)
            at = slow[stated]
            note[at] = np.where(note[at] == "", status_note, note[at] + "; " + status_note)
    reason[~np.isfinite(value) & (reason == "")] = zh_en("数值不是有限数", "value is not finite")
    value[reason != ""] = np.nan
    censor[reason != ""] = ""
    if with_censor:
        return value, reason, unit, censor, note
    return value, reason, unit


def _indicator_facts_per_name(names: Coded, indicators: IndicatorDictionary) -> dict[str, np.ndarray]:
    """Indicator id, unit, bounds, unit in the name and reason for rejection, per distinct name."""
    per = [_indicator_facts(str(u), indicators) for u in names.uniques]
    out = {k: np.array([p[k] for p in per], dtype=object) for k in ("ind_id", "ind_unit", "ind_reason",
                                                                    "name_unit")}
    out["low"] = np.array([p["low"] for p in per], dtype=float)
    out["high"] = np.array([p["high"] for p in per], dtype=float)
    return out


def _indicator_facts(name: str, indicators: IndicatorDictionary) -> dict:
    found = indicators.find(name) if name else None
    if found is None:
        if name == "":
            reason = zh_en("指标为空", "indicator is empty")
        else:
            close = indicators.suggest(name)
            reason = zh_en(f"未知指标 {name!r}" + (f"，相近：{'、'.join(close)}" if close else "，指标词典中无相近项"),
                           f"unknown indicator {name!r}" + (f"; close matches: {', '.join(close)}" if close else
                                                            "; no close match in the indicator dictionary"))
        return {"ind_id": "", "ind_unit": "", "ind_reason": reason, "name_unit": "",
                "low": -np.inf, "high": np.inf}
    low, high = found.bounds
    m = _NAME_UNIT.search(normalise(name))
    return {"ind_id": found.id, "ind_unit": found.unit, "ind_reason": "",
            "name_unit": m.group(1) if m else "",
            "low": -np.inf if low is None else float(low), "high": np.inf if high is None else float(high)}


def _resolve_units(
    unit_col: Coded, cell_unit: Coded, unit_heading: Coded, names: Coded, ind: dict[str, np.ndarray]
) -> tuple[Coded, dict[str, np.ndarray]]:
    """The unit each value was given in, its conversion factor, or the reason it is unusable:
    a code per row into the distinct combinations, and the facts of each combination.

    Units may come from the unit column, the value cell (``5.2‰``), the column heading
    (``数值(‰)``) or the indicator name (``婴儿死亡率(‰)``); they must agree.
    """
    # a part with one value everywhere (no unit column, no unit in any cell) tells no rows apart
    parts = [c.codes for c in (unit_col, cell_unit, unit_heading) if len(c.uniques) > 1]
    key, first = combine_any(*parts, names.codes)
    per = [_unit_facts((unit_col.uniques[unit_col.codes[i]], cell_unit.uniques[cell_unit.codes[i]],
                        unit_heading.uniques[unit_heading.codes[i]],
                        ind["name_unit"][n], ind["ind_unit"][n], ind["ind_id"][n]))
           for i, n in zip(first, names.codes[first], strict=True)]
    facts = {
        "factor": np.array([p[0] for p in per], dtype=float),
        "reason": np.array([p[1] for p in per], dtype=object),
        "given": np.array([p[2] for p in per], dtype=object),
    }
    return Coded(key, np.arange(len(per))), facts


def _unit_facts(row) -> tuple[float, str, str]:
    given = {name: canonical_unit(u) for name, u in zip(
        ("unit column", "value cell", "heading", "indicator name"), row[:4], strict=True) if u}
    target, ind = row[4], row[5]
    if not ind:
        return 1.0, "", ""
    distinct = sorted(set(given.values()))
    if len(distinct) > 1:
        said = ", ".join(f"{k} says {v}" for k, v in given.items())
        return np.nan, zh_en("单位互相矛盾", f"conflicting units: {said}"), ""
    unit = distinct[0] if distinct else None
    factor = conversion_factor(unit, target)
    if factor is None:
        return np.nan, zh_en(f"单位 {unit} 无法换算为 {target}",
                             f"unit {unit} cannot be converted to {target} (the unit of {ind})"), unit or ""
    return float(factor), "", unit or ""


def empty_obs(internal: bool = False) -> pd.DataFrame:
    """An empty tidy frame (with the origin columns ``_file``, ``_sheet``, ``_row`` if internal)."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in LOADED_COLUMNS})
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    if internal:
        frame["_file"] = pd.Series(dtype="str")
        frame["_sheet"] = pd.Series(dtype="str")
        frame["_row"] = pd.Series(dtype="int64")
    return frame
