"""达标率: targets achieved ÷ targets that can be monitored, always with its denominator.

National monitoring reports headline the rate alone; a reader also needs how many targets it
rests on and how many could not be monitored at all. :func:`attainment_rate` returns all three
and :func:`format_attainment` prints them together, e.g. ``83.3%（10/12，另有18项无法监测）``.
"""

from __future__ import annotations

import pandas as pd

from childplan_analysis.core.codes import Status


def attainment_rate(results: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """达标率 as national monitoring reports state it: targets achieved ÷ targets monitorable.

    Columns: the ``by`` keys, ``targets``, ``monitorable`` (= ``denominator``), ``achieved``,
    ``not_monitorable`` (status ``insufficient_data``) and ``attainment_rate`` (NaN when nothing
    is monitorable). Print a row with :func:`format_row`.
    """
    frame = results.assign(
        monitorable=results["status"] != Status.INSUFFICIENT_DATA,
        achieved=results["status"] == Status.ACHIEVED,
    )
    keys = [by] if isinstance(by, str) else (by or [])
    grouped = frame.groupby(keys) if keys else frame.assign(_all="all").groupby("_all")
    table = grouped.agg(targets=("target_id", "size"), monitorable=("monitorable", "sum"),
                        achieved=("achieved", "sum"))
    table["denominator"] = table["monitorable"]
    table["not_monitorable"] = table["targets"] - table["monitorable"]
    table["attainment_rate"] = table["achieved"] / table["monitorable"].where(table["monitorable"] > 0)
    return table.reset_index()


def format_row(row: pd.Series | dict, lang: str = "zh") -> str:
    """:func:`format_attainment` of one row of :func:`attainment_rate`."""
    return format_attainment(row["achieved"], row["monitorable"], row["not_monitorable"], lang=lang)


def format_attainment(achieved: int, monitorable: int, not_monitorable: int = 0, lang: str = "zh",
                      digits: int = 1) -> str:
    """The rate with its denominator and the targets that cannot be monitored.

    ``format_attainment(10, 12, 18)`` → ``83.3%（10/12，另有18项无法监测）``;
    in English ``83.3% (10/12; 18 more cannot be monitored)``. With nothing monitorable the rate
    is ``—``.
    """
    achieved, monitorable, not_monitorable = int(achieved), int(monitorable), int(not_monitorable)
    rate = "—" if monitorable == 0 else f"{100 * achieved / monitorable:.{digits}f}%"
    if lang == "en":
        tail = f"; {not_monitorable} more cannot be monitored" if not_monitorable else ""
        return f"{rate} ({achieved}/{monitorable}{tail})"
    tail = f"，另有{not_monitorable}项无法监测" if not_monitorable else ""
    return f"{rate}（{achieved}/{monitorable}{tail}）"
