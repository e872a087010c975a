"""Script clean-up of plan text before it is read: inline pinyin and traditional characters.

Plan texts copied from mirror sites often come in traditional script (``兒童發展綱要``) and
some carry the pinyin of a character in brackets after it (``發(fā)展``, ``社(shè )区``).
``simplified_text`` removes the pinyin and converts the text to simplified characters with OpenCC's
phrase-aware traditional→simplified tables, so the grammar and the indicator dictionary
see the wording a mainland plan would use. Copies that lost a character keep an ASCII ``?`` in
its place (``宫颈癌筛查率?达到50%以上``); such a mark, in a clause that asks nothing, is dropped.
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


#: An ASCII ``?`` inside a clause: after a character or a closing bracket, before a character.
_LOST_MARK_RE = re.compile(r"(?<=[\u4e00-\u9fff)）\d%])\?+\s*(?=[\u4e00-\u9fff\d])")
#: A lost character whose bracketed pinyin survived, its opening bracket lost with it (``當?shù)``,
#: ``能夠?qū)崿F``): never a question mark.
_LOST_WITH_PINYIN_RE = re.compile(rf"\?[{_PINYIN_LETTERS}]{{1,7}}\s?[)）]")
#: Words that make a clause a question (a real question mark then ends it).
_QUESTION_WORD_RE = re.compile(r"吗|呢|什么|怎么|怎样|如何|为何|为什么|哪|谁|多少|是否|是不是|难道|何时")
_CLAUSE_BREAK_RE = re.compile(r"[。，,;；:：!！?？\n]")


def drop_lost_marks(text: str) -> str:
    """``篩查率?達到`` → ``篩查率達到``: a ``?`` standing for a lost character is removed (with the
    pinyin that survived it, ``當?shù)``); one that ends a question (the clause before it holds 吗, 什么,
    如何, 是否, …) is kept."""
    if "?" not in text:
        return text
    text = _LOST_WITH_PINYIN_RE.sub(
        lambda m: "" if m.group(0)[1:-1].strip().islower() and _SYLLABLE_RE.search(m.group(0)) else m.group(0), text
    )

    def drop(m: re.Match) -> str:
        start = max((b.end() for b in _CLAUSE_BREAK_RE.finditer(text, 0, m.start())), default=0)
        return m.group(0) if _QUESTION_WORD_RE.search(text, start, m.start()) else ""

    return _LOST_MARK_RE.sub(drop, text)


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


#: Box-drawing lines some copies use for dashes (``(2001━2010年)``, ``━━`` before an item).
_BOX_DASH_RE = re.compile(r"[\u2500\u2501]")


def unify_dashes(text: str) -> str:
    """Box-drawing horizontal lines (─, ━) written as dashes."""
    return _BOX_DASH_RE.sub("—", text)


def simplified_text(text: str) -> str:
    """Inline pinyin and lost-character marks removed, box-drawing dashes made dashes, then
    traditional characters converted to simplified."""
    return to_simplified(unify_dashes(drop_lost_marks(strip_inline_pinyin(str(text)))))


__all__ = ["INLINE_PINYIN_RE", "drop_lost_marks", "simplified_text", "strip_inline_pinyin", "to_simplified",
           "unify_dashes"]
