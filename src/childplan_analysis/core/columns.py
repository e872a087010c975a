"""Columns of the one internal data shape: the long observations frame and its companions."""

from __future__ import annotations

#: The tidy observations frame, in this order.
OBS_COLUMNS = [
    "region",
    "indicator",
    "year",
    "value",
    "unit",
    "sex",
    "area",
    "age_group",
    "subregion",
    "source",
    "note",
]
#: One observation per key.
KEY_COLUMNS = ["region", "indicator", "year", "sex", "area", "age_group", "subregion"]
#: One series per key (the key less the year).
SERIES_COLUMNS = ["region", "indicator", "sex", "area", "age_group", "subregion"]
TEXT_COLUMNS = [c for c in OBS_COLUMNS if c not in ("year", "value")]
#: ``censor`` of a published bound: the value is a bound (``≥90`` → value 90, censor ``>=``);
#: "" for an exact value. The file loaders' frame carries it after :data:`OBS_COLUMNS`
#: (:data:`LOADED_COLUMNS`); it joins ``OBS_COLUMNS`` once the monitoring store persists it.
CENSOR_COLUMN = "censor"
CENSOR_CODES = ("", ">=", ">", "<=", "<")
LOADED_COLUMNS = [*OBS_COLUMNS, CENSOR_COLUMN]
#: Optional text columns: carried from input file to report when a file has them, after
#: :data:`LOADED_COLUMNS`, "" where a file lacks them. ``publication`` names the official
#: publication a figure comes from (issuing body, title, date), beside ``source``, the page or
#: file it was read from.
OPTIONAL_COLUMNS = ["publication"]
#: Every rejected input row: where it was and why.
REJECT_COLUMNS = ["file", "sheet", "row", "column", "value", "reason"]
#: Row accounting per input file.
#: ``rows_read == loaded + rejected + superseded``; ``skipped`` counts form furniture rows
#: (notes, sign-off lines, section headings) and values marked as not reported (``—``, ``无``),
#: which hold no data and are not read as rows.
FILE_COLUMNS = ["file", "rows_read", "loaded", "rejected", "superseded", "skipped"]
#: Rows of form furniture skipped: where and why.
SKIP_COLUMNS = ["file", "sheet", "row", "text", "reason"]
#: Conflicting values for one key across files: the value kept and the one it replaced.
CONFLICT_COLUMNS = ["region", "indicator", "year", "sex", "area", "age_group", "subregion",
                    "kept_file", "kept_sheet", "kept_row", "kept_value",
                    "dropped_file", "dropped_sheet", "dropped_row", "dropped_value"]
#: Columns an input table must map to.
REQUIRED = ["region", "indicator", "year", "value"]
