"""Places set up, counted: ``每个县建立一所…中心``, ``至少办1所…``.

Plans count the schools, centres and rooms to be set up in each place with many verbs: ``建成``,
``设立`` and ``新建`` are read as counts by the grammar; ``建立``, ``开办``, ``创办``, ``兴办`` and a
bare ``办`` after ``至少`` say the same and are written as ``设立`` before the grammar reads them.
Only before a number and a classifier of places (``所``, ``个``, ``家``, ``座``, ``处``): ``建立健全…机制``
and ``举办…活动`` are left alone, and so is a verb of units given as a share first (``50%以上的社区建立1所…``:
the share of those that do so, named by the text's own verb).
"""

from __future__ import annotations

import re

#: A number, in digits or in one Chinese numeral, and a classifier of places.
_COUNT_OF_PLACES = r"(?=(?:\d+|[一两二三四五六七八九十])(?:所|个|家|座|处))"
_SET_UP_RE = re.compile(rf"(?:建立|开办|创办|兴办|(?<=至少)办){_COUNT_OF_PLACES}")


#: A share of units given first in the clause before the verb (``到2015年,50%以上的城乡社区``).
_SHARE_FIRST_RE = re.compile(r"\d%(?:以上|左右)?的[^,，;；。:：]*$")


def set_up_as_counted(text: str) -> str:
    """``建立一所`` → ``设立一所``, ``至少办1所`` → ``至少设立1所``: the verb the grammar counts."""
    return _SET_UP_RE.sub(lambda m: m.group() if _SHARE_FIRST_RE.search(text, 0, m.start()) else "设立", text)
