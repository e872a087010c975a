"""Text normalisation of names (regions, indicators, target ids) and bilingual messages.

Two spellings of one name — full-width and half-width forms, a zero-width space pasted from a
web page, a byte-order mark in the middle of a file, a non-breaking space — are one name:
:func:`normalise` maps them to one text (Unicode NFKC, invisible characters removed, runs of
white space collapsed), and :func:`merged_spellings` says where two spellings were merged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Characters that print as nothing: zero-width space/joiners, word joiner, byte-order mark,
#: soft hyphen, directional marks and the other Unicode format (Cf) characters.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]"
)
_SPACE = re.compile(r"\s+")


def zh_en(zh: str, en: str) -> str:
    """A message in Chinese with its English in parentheses: ``地区为空（region is empty）``."""
    return f"{zh}（{en}）"


def normalise(text: object) -> str:
    """One spelling of a name: NFKC (full-width → half-width, compatibility forms), invisible
    characters removed, white space collapsed and stripped; None/NaN → ''.

    >>> normalise("磐石市\\u200b"), normalise("ＡＢＣ　１２"), normalise("\\ufeff婴儿死亡率 ")
    ('磐石市', 'ABC 12', '婴儿死亡率')
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    out = unicodedata.normalize("NFKC", str(text))
    out = _INVISIBLE.sub("", out)
    out = _SPACE.sub(" ", out).strip()
    return "" if out.lower() == "nan" else out


def has_invisible(text: str) -> bool:
    """True when ``text`` holds a character that prints as nothing (zero-width, BOM …)."""
    return bool(_INVISIBLE.search(text))


def normalise_array(values: Iterable[object]) -> np.ndarray:
    """:func:`normalise` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(np.asarray(list(values) if not isinstance(values, np.ndarray | pd.Series)
                                             else values, dtype=object), use_na_sentinel=False)
    cleaned = np.array([normalise(u) for u in uniques], dtype=object)
    return cleaned[codes] if len(codes) else np.array([], dtype=object)


def merged_spellings(raw: Iterable[object], cleaned: Iterable[str]) -> dict[str, list[str]]:
    """Names that several spellings were merged into: ``{name: [spelling, …]}`` (two or more
    distinct raw spellings each, whitespace-only differences at the ends ignored)."""
    pairs = pd.DataFrame({"raw": pd.Series(list(raw), dtype=object).astype(str).str.strip(),
                          "clean": pd.Series(list(cleaned), dtype=object)}).drop_duplicates()
    pairs = pairs[pairs["clean"] != ""]
    counts = pairs.groupby("clean")["raw"].nunique()
    return {name: sorted(pairs.loc[pairs["clean"] == name, "raw"]) for name in counts[counts > 1].index}


def describe_spelling(text: str) -> str:
    """A spelling with its invisible and non-ASCII-width characters shown (for warnings)."""
    return "".join(f"<U+{ord(c):04X}>" if _INVISIBLE.match(c) or unicodedata.category(c) == "Zs"
                   and c != " " else c for c in text)
