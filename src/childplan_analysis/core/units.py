"""Units: canonical spellings and conversion between rate units (%, ‰, 1/万, 1/10万)."""

from __future__ import annotations

import unicodedata

#: Rate units and their denominators: a value v in unit u means v per ``RATE_SCALE[u]``.
RATE_SCALE: dict[str, float] = {"%": 100.0, "‰": 1_000.0, "1/万": 10_000.0, "1/10万": 100_000.0}

_ALIASES: dict[str, str] = {
    "%": "%",
    "percent": "%",
    "百分比": "%",
    "‰": "‰",
    "permille": "‰",
    "per1000": "‰",
    "千分比": "‰",
    "千分之": "‰",
    "1/万": "1/万",
    "/万": "1/万",
    "1/10000": "1/万",
    "万分之": "1/万",
    "1/10万": "1/10万",
    "/10万": "1/10万",
    "1/100000": "1/10万",
    "/100000": "1/10万",
    "per100000": "1/10万",
    "十万分之": "1/10万",
    "1/10萬": "1/10万",
    # how departments write a rate per so many people or births (每10万活产, 例/10万, 0/00 for ‰)
    **{f"{head}10万{tail}": "1/10万" for head in ("人/", "例/", "每", "1/", "/") for tail in ("", "人", "活产", "活产数")},
    **{f"{head}万{tail}": "1/万" for head in ("人/", "例/", "每") for tail in ("", "人")},
    **{f"{head}{tail}": "‰" for head in ("每千", "1/1000", "/1000", "/千", "人/千", "例/千")
       for tail in ("", "人", "活产", "活产数")},
    "0/00": "‰",
}


def canonical_unit(unit: object) -> str | None:
    """Return the canonical spelling of ``unit`` (``'％'`` → ``'%'``); None for empty.

    >>> canonical_unit("／10万")
    '1/10万'
    """
    if unit is None:
        return None
    text = unicodedata.normalize("NFKC", str(unit)).strip().replace(" ", "")
    if text == "" or text.lower() == "nan":
        return None
    key = text.lower().replace(",", "").replace("per1,000", "per1000")
    return _ALIASES.get(key, text)


def conversion_factor(from_unit: str | None, to_unit: str | None) -> float | None:
    """Factor that turns a value in ``from_unit`` into ``to_unit``; None if not convertible.

    >>> conversion_factor("%", "‰")
    10.0
    """
    a, b = canonical_unit(from_unit), canonical_unit(to_unit)
    if a is None or b is None or a == b:
        return 1.0
    if a in RATE_SCALE and b in RATE_SCALE:
        return RATE_SCALE[b] / RATE_SCALE[a]
    return None
