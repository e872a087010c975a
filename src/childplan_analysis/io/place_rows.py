"""What a form with one row per place adds to its header and its rows.

A city's form lists its counties down the rows (``县（市、区） | 婴儿死亡率（‰） | …``) and often

* splits an indicator into groups on a second header row, the indicator merged over them
  (``3岁以下儿童系统管理率（%）`` over ``城镇 | 农村``, or ``男 | 女``): each column is that group of
  the indicator (:func:`group_row`), never the indicator's total and never an indicator named 城镇;
* begins with the city's own row, ``全市``: under a title naming one city (``2024年桐江市各县（区）…``)
  that row is the city's (:func:`whole_row_region`); a total word the title does not resolve
  (``合计`` under a title naming no place, ``全县`` under a city's title) stays a rejection.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from childplan_analysis.io.form_titles import title_places
from childplan_analysis.io.places import WHOLE, without_of_which
from childplan_analysis.io.wide_forms import breakdown_code, normalise_heading


def group_row(grid: pd.DataFrame, row: int, place_j: int) -> list[tuple[str, str] | None] | None:
    """The group (``("area", "urban")`` …) of each column named on the row under a places-down
    header, or None when that row is no such header row: its place cell must be empty or the
    heading merged down, and every other cell empty, merged down or a group word (at least one)."""
    if row + 1 >= len(grid):
        return None
    top = [normalise_heading(c) for c in grid.iloc[row]]
    cells = [str(c) for c in grid.iloc[row + 1]]
    if normalise_heading(cells[place_j]) not in ("", top[place_j]):
        return None
    groups: list[tuple[str, str] | None] = []
    for j, cell in enumerate(cells):
        text = normalise_heading(cell)
        if j == place_j or text in ("", top[j] if j < len(top) else ""):
            groups.append(None)
            continue
        code = breakdown_code(cell)
        if code is None:
            return None
        groups.append(code)
    return groups if any(groups) else None


def whole_row_region(cells: pd.Series, title: str) -> tuple[pd.Series, list[str]]:
    """Region cells with a total word (``全市``, ``合计``) read as the one place the title names,
    when that place is of the word's level (全市 → a 市); the words it replaced."""
    places = title_places(title)
    if len(places) != 1:
        return cells, []
    place = places[0]
    texts = cells.astype(str).map(lambda c: without_of_which(normalise_heading(c)))
    whole = np.array([bool(WHOLE.match(t)) and (not t.startswith("全") or place.endswith(t[1:])) for t in texts],
                     dtype=bool)
    if not whole.any():
        return cells, []
    words = sorted({str(c).strip() for c in cells[whole]})
    return cells.where(~whole, place), words


__all__ = ["group_row", "whole_row_region"]
