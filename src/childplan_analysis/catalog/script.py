"""Script clean-up of plan text before it is read: inline pinyin and traditional characters.

Plan texts copied from mirror sites often come in traditional script (``兒童發展綱要``) and
some carry the pinyin of a character in brackets after it (``發(fā)展``, ``社(shè )区``).
``simplified_text`` removes the pinyin and converts the text to simplified characters with OpenCC's
phrase-aware traditional→simplified tables, so the grammar and the indicator dictionary
see the wording a mainland plan would use.
"""

from __future__ import annotations

import re
from functools import lru_cache

from opencc import OpenCC

#: Pinyin letters: ASCII plus the tone-marked vowels (and ü, ê, ḿ, ǹ).
_PINYIN_LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêḿńňǹ"
#: ``發(fā)``, ``社(shè )``, ``區（qū）``: pinyin in brackets right after a Chinese character.
INLINE_PINYIN_RE = re.compile(
    rf"(?<=[\u4e00-\u9fff])[(（]\s?[{_PINYIN_LETTERS}]{{1,7}}\s?[)）]"
)
#: A syllable must hold a vowel; this keeps ``(A)``, ``(B类)`` and the like.
_SYLLABLE_RE = re.compile(r"[aeiouvüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜêḿńňǹ]", re.IGNORECASE)


def strip_inline_pinyin(text: str) -> str:
    """``發(fā)展`` → ``發展``; brackets holding anything but one pinyin syllable are kept."""

    def drop(m: re.Match) -> str:
        inner = m.group(0)[1:-1].strip()
        if not inner.islower() or not _SYLLABLE_RE.search(inner):
            return m.group(0)
        return ""

    return INLINE_PINYIN_RE.sub(drop, text)


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


#: Strings up to this length (clauses, names) are converted once and remembered.
_CACHED_LENGTH = 2000


@lru_cache(maxsize=32768)
def _cached(text: str) -> str:
    return _converter().convert(text)


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (simplified text is returned unchanged)."""
    if text.isascii():
        return text
    return _cached(text) if len(text) <= _CACHED_LENGTH else _converter().convert(text)


def simplified_text(text: str) -> str:
    """Inline pinyin removed, then traditional characters converted to simplified."""
    return to_simplified(strip_inline_pinyin(str(text)))


__all__ = ["INLINE_PINYIN_RE", "simplified_text", "strip_inline_pinyin", "to_simplified"]
