"""Breakdown rows of departmental forms: ``合计 / 男 / 女 / 城镇 / 农村`` rows under one indicator.

A column of sex or area words under any heading (``分组``, ``类别``, none) is read as the
breakdown it holds; breakdown rows under an indicator written only on their first row take
that indicator, as a merged cell would give it (named in a warning); and a breakdown written
after the indicator's name (``5岁以下儿童死亡率（男）``) is read as the row's sex or area.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from childplan_analysis.io.coded import Coded
from childplan_analysis.io.form_layouts import IGNORABLE
from childplan_analysis.io.wide_forms import (
    AREA_CODES,
    SEX_CODES,
    Column,
    Header,
    normalise_heading,
    without_footnote_marks,
)


def breakdown_columns(header: Header, body: pd.DataFrame) -> pd.DataFrame:
    """Read a column under any other heading (``分组``, ``类别``, none) whose cells are all sex or
    area words (``男``/``女``/``合计``, ``城镇``/``农村``) as the sex or area breakdown: one column
    mixing both (``男``, ``女``, ``城镇``, ``农村`` rows under one indicator) becomes both. Returns
    the body, with a column added for a mixed one (``header.columns`` extended to match)."""
    fields = {c.field for c in header.columns if c.field}
    for j, col in enumerate(list(header.columns)):
        heading = normalise_heading(col.heading)
        if col.field is not None or col.year is not None or j >= body.shape[1] or IGNORABLE.match(heading):
            continue
        words = [normalise_heading(u) for u in pd.unique(body.iloc[:, j].to_numpy(dtype=object))]
        words = [w for w in words if w]
        sex = [w for w in words if w in SEX_CODES]
        area = [w for w in words if w in AREA_CODES]
        if not words or len(set(sex) | set(area)) < len(words):
            continue
        has_sex = any(SEX_CODES[w] != "total" for w in sex)
        has_area = any(AREA_CODES[w] != "total" for w in area)
        if has_sex and not has_area and "sex" not in fields:
            col.field = "sex"
        elif has_area and not has_sex and "area" not in fields:
            col.field = "area"
        elif has_sex and has_area and not fields & {"sex", "area"}:
            cells = body.iloc[:, j].map(normalise_heading)
            col.field = "sex"
            body = body.copy()
            body.iloc[:, j] = cells.where(cells.isin(list(SEX_CODES)), "")
            body[max(body.columns) + 1 if len(body.columns) else 0] = cells.where(cells.isin(list(AREA_CODES)), "")
            header.columns.append(Column(col.heading, field="area"))
        else:
            continue
        fields.add(col.field)
    return body


def fill_indicator_down(header: Header, body: pd.DataFrame, rows: np.ndarray, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Breakdown rows under an indicator written once (``5岁以下儿童死亡率 | 合计`` then ``| 男``,
    ``| 女`` with the indicator cell left empty, as a merged cell looks) take the indicator of the
    row above; a warning names them. Rows with no breakdown keep their empty indicator (rejected)."""
    ind = next((j for j, c in enumerate(header.columns) if c.field == "indicator"), None)
    parts = [j for j, c in enumerate(header.columns) if c.field in ("sex", "area", "age_group") and j < body.shape[1]]
    if header.kind != "wide" or ind is None or not parts or not len(body):
        return body, []  # a long form's rows stand alone: an empty indicator there is an error
    names = body.iloc[:, ind].to_numpy(dtype=object)
    empty = np.array([not str(v).strip() for v in names])
    groups = body.iloc[:, parts].astype(str).agg("|".join, axis=1).to_numpy(dtype=object)
    sub = empty & (body.iloc[:, parts].to_numpy(dtype=object) != "").any(axis=1)
    if not sub.any():
        return body, []
    # a run: a named row, then breakdown rows with its indicator cell empty
    run = np.cumsum(~empty | ~sub)
    filled = pd.Series(np.where(empty, None, names), dtype=object)
    filled[empty & ~sub] = ""  # an empty row with no breakdown stops the fill
    filled = filled.ffill().fillna("").to_numpy(dtype=object)
    # every row of a run is a different breakdown (合计, 男, 女), else it is no merged indicator
    distinct = pd.Series(groups).groupby(run).transform(lambda g: g.is_unique).to_numpy(dtype=bool)
    took = sub & (filled != "") & distinct
    if not took.any():
        return body, []
    body = body.copy()
    body.iloc[np.flatnonzero(took), ind] = filled[took]
    shown = ", ".join(map(str, rows[took][:10])) + (" …" if took.sum() > 10 else "")
    return body, [f"{where}: {int(took.sum())} 个分组行的指标名称为空，按上方的指标读取（第 {shown} 行）"
                  f"（{int(took.sum())} breakdown row(s) with an empty indicator cell read as the indicator "
                  f"above, as a merged cell: rows {shown}）"]


_WORDS = "男童|女童|男性|女性|男|女|城镇|农村|城市|乡村|城区"
#: A breakdown written after an indicator name: ``…率（男）``, ``…率-农村``, ``…率：城镇``.
_NAME_SUFFIX = re.compile(rf"^(?P<base>.+?)\s*(?:[(（\[［]\s*(?P<a>{_WORDS})\s*[)）\]］]|[-—－:：/]\s*(?P<b>{_WORDS}))$")


def breakdowns_in_names(rec: pd.DataFrame, find) -> pd.DataFrame:
    """Records whose indicator name ends with a breakdown (``5岁以下儿童死亡率（男）``) that the
    dictionary does not know as a whole, but whose base name it knows: the base name as the
    indicator and the word as the row's sex or area. A row whose own sex/area cell says another
    breakdown keeps its name (and is rejected as an unknown indicator). ``find`` looks a name up
    (None when unknown)."""
    if "indicator" not in rec or not len(rec):
        return rec
    coded = Coded.of(rec["indicator"])  # a name is looked at once, however many rows carry it
    names, uniques = coded.codes, coded.uniques
    split: dict[int, tuple[str, str, str]] = {}
    for k, name in enumerate(uniques):
        text = unicodedata.normalize("NFKC", without_footnote_marks(name)).strip()
        m = _NAME_SUFFIX.match(text)
        if m is None or find(text) is not None or find(m.group("base")) is None:
            continue
        word = m.group("a") or m.group("b")
        field = "sex" if word in SEX_CODES else "area"
        split[k] = (m.group("base"), field, word)
    if not split:
        return rec
    rec = rec.copy()
    new_names = np.array([str(u) for u in uniques], dtype=object)[names]
    base_of = np.array([split.get(k, (str(u), "", ""))[0] for k, u in enumerate(uniques)], dtype=object)
    for field in ("sex", "area"):
        ours = [k for k, v in split.items() if v[1] == field]
        if not ours:
            continue
        codes = SEX_CODES if field == "sex" else AREA_CODES
        word_of = np.full(len(uniques), "", dtype=object)
        word_of[ours] = [split[k][2] for k in ours]
        code_of = np.array([codes.get(w, "") for w in word_of], dtype=object)
        own = Coded.of(rec[field]) if field in rec else Coded(np.zeros(len(rec), dtype=np.intp),
                                                                np.array([""], dtype=object))
        own_code = np.array([codes.get(normalise_heading(u), "?") for u in own.uniques], dtype=object)[own.codes]
        hit = np.isin(names, ours)
        ok = hit & ((own_code == "total") | (own_code == code_of[names]))
        cells = own.values()
        cells[ok] = word_of[names[ok]]
        rec[field] = cells
        new_names[ok] = base_of[names[ok]]
    rec["indicator"] = new_names
    return rec


__all__ = ["breakdown_columns", "breakdowns_in_names", "fill_indicator_down"]
