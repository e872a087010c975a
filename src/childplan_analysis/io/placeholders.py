"""The marks statistical forms write in a value cell for "not available / not applicable".

Chinese forms fill a cell without a figure with a dash (``—``, ``－``, ``——``), an ellipsis
(``…``), a slash (``/``), a cross (``×``) or a word (``无``, ``不适用``, ``未统计``). Such a cell
states that nothing was reported: validation skips its row with the reason ``未填报（—）`` (not a
rejection) and the report lists it among the missing values. An empty value cell is not one of
these marks (in a long table it is refused: the value may have been typed in another column), nor
is anything with a digit or other text (``12.3.4``, ``约九成``), which stays a rejection.

The skipped row's text names what was not reported (:func:`skip_text`), so that the report can
list the missing values by indicator, year and file (:func:`missing_values`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from childplan_analysis.core.text import normalise, zh_en

#: Words for "no figure" (compared after NFKC, lower case, spaces removed).
WORDS = frozenset({
    "无", "暂无", "无数据", "没有", "空", "缺", "缺失", "缺项", "未统计", "未报", "未填报", "未上报", "不详",
    "不适用", "不涉及", "不统计", "未开展", "na", "n/a", "n.a.", "nan", "null", "none", "×",
})
#: Marks made of one repeated sign: dashes and hyphens (``—``, ``－``, ``--``, ``―``), an ellipsis
#: (``…``, ``...``, ``……``), slashes.
_MARK = re.compile(r"^(?:[-‐‑‒–—―─−]+|(?:…|\.{2,}|。{2,}|·{2,})+|[/／\\]+)$")


def is_placeholder(cell: object) -> bool:
    """True for a value cell that says "not reported": ``—``, ``－``, ``…``, ``/``, ``无``, ``不适用`` …"""
    text = re.sub(r"\s+", "", normalise(cell)).lower()
    return bool(text) and (text in WORDS or bool(_MARK.match(text)))


def placeholder_mask(cells: np.ndarray) -> np.ndarray:
    """:func:`is_placeholder` of each cell (call it on the distinct cells of a column)."""
    return np.array([is_placeholder(c) for c in cells], dtype=bool)


def mark(cell: object) -> str:
    """The mark as written, stripped (``' — '`` → ``—``)."""
    return str(cell).strip()


def skip_reason(cell: object) -> str:
    """Why a row with a placeholder is skipped: ``未填报（—）（not reported (—)）``."""
    return zh_en(f"未填报（{mark(cell)}）", f"not reported ({mark(cell)})")


_SEP = " · "


def skip_text(region: object, indicator: object, year: object) -> str:
    """The text of a skipped placeholder row: what was not reported (``松岭县 · 婴儿死亡率 · 2022年``)."""
    year_text = str(year).strip()
    if re.fullmatch(r"\d{4}", year_text):
        year_text += "年"
    return _SEP.join(str(p).strip() for p in (region, indicator, year_text))


_SKIP_REASON = re.compile(r"^未填报（(.*)）（not reported \(.*\)）$")
_YEAR = re.compile(r"^(\d{4})年?$")


def missing_values(skipped: pd.DataFrame | None) -> pd.DataFrame:
    """The placeholder rows among skipped rows: ``region, indicator, year, mark, file, sheet, row``
    (``indicator`` as written in the form, ``year`` a number or NaN when the year cell was not one)."""
    columns = ["region", "indicator", "year", "mark", "file", "sheet", "row"]
    if skipped is None or not len(skipped):
        return pd.DataFrame(columns=columns)
    reasons = skipped["reason"].astype(str).str.extract(_SKIP_REASON)[0]
    hit = skipped[reasons.notna().to_numpy()]
    if not len(hit):
        return pd.DataFrame(columns=columns)
    parts = hit["text"].astype(str).str.split(_SEP, n=2, regex=False, expand=True).reindex(columns=range(3))
    years = parts[2].fillna("").str.extract(_YEAR)[0]
    return pd.DataFrame({
        "region": parts[0].fillna("").to_numpy(), "indicator": parts[1].fillna("").to_numpy(),
        "year": pd.to_numeric(years, errors="coerce").to_numpy(), "mark": reasons[reasons.notna()].to_numpy(),
        "file": hit["file"].astype(str).to_numpy(), "sheet": hit["sheet"].astype(str).to_numpy(),
        "row": hit["row"].to_numpy(),
    }, columns=columns)


__all__ = ["WORDS", "is_placeholder", "missing_values", "placeholder_mask", "skip_reason", "skip_text"]
