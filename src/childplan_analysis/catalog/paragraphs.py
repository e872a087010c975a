"""Where a copy that lost a paragraph's full stop starts the next paragraph.

A line broken inside a sentence is joined to the next; but a copy may drop the full stop that ended a paragraph
(``…为6.5万名学生开展免费窝沟封闭`` / ``同时,…``). A line opening with a connective that starts a sentence and a
comma after it (``同时,``, ``此外,``, ``另外,``) after a line ending on a word (not on ``的``, ``在…的`` + ``同时``
being one phrase) opens a paragraph of its own: joined, the last words of the paragraph before would name its counts.
"""

from __future__ import annotations

import re

#: Connectives that open a sentence, set off by a comma.
_OPENING_RE = re.compile(r"^\s*(?:同时|此外|另外|与此同时|另一方面|其次|最后|首先)[,，]")
#: A line ending on a word a sentence may end on (a character, a digit, a closing quote), not on 的 or a comma.
_ENDS_ON_WORD_RE = re.compile(r"[\u4e00-\u9fff\d”)）](?<!的)$")


def opens_paragraph(previous: str, line: str) -> bool:
    """Whether ``line`` opens a paragraph of its own after ``previous``, a line that lost its full stop."""
    return bool(_OPENING_RE.match(line) and _ENDS_ON_WORD_RE.search(previous.rstrip()))


__all__ = ["opens_paragraph"]
