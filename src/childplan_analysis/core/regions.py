"""Region names written with or without their administrative suffix (``广州`` / ``广州市``).

Departments of one place write its name differently: ``广州`` in one file, ``广州市`` in another,
``峨边`` for ``峨边彝族自治县``. A name in the data is taken for the plan's region when it is that
region's name with the suffix left off, or with one added (the plan says ``广州``, a file
``广州市``), and no other name in the data could be meant by it: ``松岭`` beside both ``松岭县``
(the plan's) and ``松岭市`` is left as it is, and a name with another suffix (``吉林市`` for the
plan's ``吉林省``) is another place, never merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from childplan_analysis.core.text import normalise, zh_en

#: Administrative suffixes, longest first: autonomous units with the peoples they name
#: (``彝族自治县``, ``土家族苗族自治州``), then ``特别行政区``, ``自治区`` … ``市``, ``县``, ``区``.
_SUFFIX = re.compile(
    r"^(?P<stem>.{2,}?)(?P<suffix>(?:[^族\s]{1,5}族)*自治(?:县|州|旗|区)|特别行政区|自治区|地区|林区|特区|"
    r"省|市|县|区|旗|州|盟)$")


def region_stem(name: str) -> str:
    """``name`` without its administrative suffix (``广州市`` → ``广州``, ``峨边彝族自治县`` →
    ``峨边``); the name itself when it has none or when less than two characters would be left."""
    text = normalise(name)
    m = _SUFFIX.match(text)
    return m.group("stem") if m else text


def _variant(name: str, region: str) -> bool:
    """True when ``name`` is ``region`` with its suffix left off, or with one added."""
    return name != region and (name == region_stem(region) != region or region_stem(name) == region != name)


@dataclass
class RegionSpellings:
    """How the names in the data relate to a region: ``same`` maps each name taken for it to the
    region; ``unclear`` maps a name that could be it but also another name in the data to those
    other names."""

    region: str
    same: dict[str, str] = field(default_factory=dict)
    unclear: dict[str, list[str]] = field(default_factory=dict)


def region_spellings(names: Iterable[str], region: str) -> RegionSpellings:
    """Which of ``names`` (the regions found in the data) are ``region`` written with or without
    its administrative suffix (see the module's rule)."""
    region = normalise(region)
    found = {normalise(n) for n in names if normalise(n)}
    out = RegionSpellings(region)
    if not region:
        return out
    for name in sorted(found):
        if not _variant(name, region):
            continue
        # another name in the data that could be the region too, or that this one could stand for
        others = sorted(o for o in found - {name, region} if _variant(o, region) or region_stem(o) == region_stem(name))
        if others:
            out.unclear[name] = others
        else:
            out.same[name] = region
    return out


#: How the note on merged names starts (the report finds it among the load notes by it).
SPELLING_NOTE = "地区名称只差行政区划后缀，按同一地区合并"


def spelling_note(same: dict[str, str], files: dict[str, list[str]] | None = None) -> str:
    """The load note for names taken for the region: ``'广州' 视为 '广州市'（卫健局.xlsx）``."""
    files = files or {}
    parts = [f"'{name}' 视为 '{region}'" + (f"（{'、'.join(files[name])}）" if files.get(name) else "")
             for name, region in same.items()]
    en = "; ".join(f"'{name}' read as '{region}'" for name, region in same.items())
    return zh_en(f"{SPELLING_NOTE}：" + "；".join(parts),
                 f"region names differing only by an administrative suffix merged: {en}")


__all__ = ["SPELLING_NOTE", "RegionSpellings", "region_spellings", "region_stem", "spelling_note"]
