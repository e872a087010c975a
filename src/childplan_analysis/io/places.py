"""Headings that name a place: a township, county, district … or the whole (全县, 合计).

Forms put places across the columns (``全县 | 城关镇 | 河西乡``), alone under a title year or
above or below the year columns. A place's values are the sub-region's (its name in
``subregion``); the whole's are the region's own.
"""

from __future__ import annotations

import re

#: A heading naming a place, or the whole.
PLACE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗)|合计|总计|.{1,12}(?:镇|乡|街道|街道办|街道办事处|县|区|市|旗|苏木|社区|村|开发区|园区|新区))$")
#: A heading naming the whole region.
WHOLE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗)|合计|总计)$")


def place_of(heading: str) -> str | None:
    """The sub-region a normalised heading names, '' for the whole region, None if it names no place."""
    if WHOLE.match(heading):
        return ""
    return heading if PLACE.match(heading) else None


__all__ = ["PLACE", "WHOLE", "place_of"]
