"""``其中：女`` rows: a group of the indicator on the row above.

Statistical returns list an indicator and, on the rows under it, the groups it includes:

| 指标 | 2023年 | 2024年 |
|---|---|---|
| 学前教育毛入园率 | 90.2 | 91.5 |
| 其中：女 | 90.4 | 91.8 |
| 其中：农村 | 88.0 | 89.1 |

Such a row names no indicator of its own (read as one, ``其中：女`` is unknown and its values are
lost): it is the indicator above for that group. Its name is written as ``学前教育毛入园率（女）``,
which :func:`~childplan_analysis.io.breakdowns.breakdowns_in_names` reads as the indicator with
``sex`` (or ``area``) set, a row whose own 性别/城乡 cell says otherwise rejected as before. A
warning names the rows.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from childplan_analysis.io.coded import Coded
from childplan_analysis.io.wide_forms import Header

_WORDS = "男童|女童|男性|女性|男|女|城镇|农村|城市|乡村|城区"
#: An indicator cell that is only a group of the indicator above: ``其中：女``, ``其中:农村``.
OF_WHICH_ROW = re.compile(rf"^其中\s*[:：]?\s*({_WORDS})$")


def of_which_rows(header: Header, body: pd.DataFrame, rows: np.ndarray, where: str) -> tuple[pd.DataFrame, list[str]]:
    """The body with each ``其中：女`` indicator cell written as the indicator above with its group
    (``学前教育毛入园率（女）``), and a warning naming those rows; a first row with nothing above
    is left as it is (rejected as an unknown indicator)."""
    ind = next((j for j, c in enumerate(header.columns) if c.field == "indicator"), None)
    if ind is None or ind >= body.shape[1] or not len(body):
        return body, []
    coded = Coded.of(body.iloc[:, ind])  # each distinct name looked at once
    hits = np.array([bool(OF_WHICH_ROW.match(unicodedata.normalize("NFKC", str(c)).strip().replace(" ", "")))
                     for c in coded.uniques], dtype=bool)
    if not hits.any():
        return body, []
    cells = body.iloc[:, ind].to_numpy(dtype=object)
    word = {c: OF_WHICH_ROW.match(unicodedata.normalize("NFKC", str(c)).strip().replace(" ", "")).group(1)
            for c in coded.uniques[hits]}
    sub = np.take(hits, coded.codes)
    named = np.array([str(c).strip() != "" for c in cells], dtype=bool) & ~sub
    above = pd.Series(np.where(named, cells, None), dtype=object).ffill().to_numpy(dtype=object)
    took = sub & pd.notna(above)
    if not took.any():
        return body, []
    body = body.copy()
    body.iloc[np.flatnonzero(took), ind] = [f"{str(a).strip()}（{word[c]}）" for a, c in zip(above[took], cells[took],
                                                                                        strict=True)]
    shown = ", ".join(map(str, rows[took][:10])) + (" …" if took.sum() > 10 else "")
    return body, [f"{where}: {int(took.sum())} 个“其中：…”行按上方的指标读取为该指标的分组（第 {shown} 行）"
                  f"（{int(took.sum())} '其中：…' row(s) read as a group of the indicator above: rows {shown}）"]


__all__ = ["OF_WHICH_ROW", "of_which_rows"]
