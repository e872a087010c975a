"""Source notes of a report: the official publications its figures come from."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def source_notes(observations: pd.DataFrame, lang: str = "zh", regions: Iterable[str] | None = None) -> list[str]:
    """One note citing every official publication in ``observations`` (its ``publication``
    column) with the number of observations from each, most used first, and one counting the
    observations that name no publication; only the observations of ``regions`` when given.
    No notes when the frame has no such column."""
    if not len(observations) or "publication" not in observations:
        return []
    if regions is not None:
        observations = observations[observations["region"].isin(list(regions))]
    zh = lang != "en"
    cited = observations["publication"].fillna("").astype(str).str.strip()
    counts = cited[cited != ""].value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    notes = []
    if len(counts):
        items = [f"{p}（{n}条）" if zh else f"{p} ({n})" for p, n in counts.items()]
        notes.append(("数据出处：" + "；".join(items) + "。") if zh
                     else "Official publications: " + "; ".join(items) + ".")
    missing = int((cited == "").sum())
    if missing:
        notes.append(f"另有{missing}条观测值未注明官方出处，仅有读取数据的网页或文件（来源列）。" if zh
                     else f"{missing} observations name no official publication, only the page or file "
                          "they were read from (source column).")
    return notes
