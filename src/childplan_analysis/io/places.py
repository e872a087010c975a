"""Headings that name a place: a township, county, district … or the whole (全县, 合计).

Forms put places across the columns (``全县 | 城关镇 | 河西乡``), alone under a title year or
above or below the year columns. A place's values are the sub-region's (its name in
``subregion``); the whole's are the region's own.
"""

from __future__ import annotations

import re

#: A heading naming a place, or the whole.
PLACE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗)|合计|总计|.{1,12}(?:镇|乡|街道|街道办|街道办事处|县|区|市|旗|苏木|社区|村|开发区|园区|新区))$")
#: ``其中：`` before a heading: the column is a part of the total beside it (``全市 | 其中：城镇``).
OF_WHICH = re.compile(r"^其中[:：]?")
#: A heading naming the whole region.
WHOLE = re.compile(r"^(?:全(?:省|市|州|盟|县|区|旗)|合计|总计)$")


def without_of_which(heading: str) -> str:
    """A heading without a leading ``其中：`` (``其中：农村`` → ``农村``): the part it names is read
    as that group or place, never as a place called ``其中：农村``."""
    rest = OF_WHICH.sub("", heading, count=1)
    return rest if rest.strip() else heading


def place_of(heading: str) -> str | None:
    """The sub-region a normalised heading names, '' for the whole region, None if it names no place."""
    heading = without_of_which(heading)
    if WHOLE.match(heading):
        return ""
    return heading if PLACE.match(heading) else None


__all__ = ["OF_WHICH", "PLACE", "WHOLE", "place_of", "without_of_which"]
