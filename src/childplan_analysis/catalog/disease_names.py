"""Diseases named in full in a measure's name take the short name the measures use (``乙型肝炎`` → ``乙肝``).

Plans and their indicator lists name the hepatitis measures with the short names (``乙肝母婴传播率``,
``丙肝抗体检测率``); a news text may write them in full (``乙型肝炎的母婴传播率``). A measure named in full is the same
measure, so it is named as the lists name it: ``乙肝母婴传播率``. The 的 between the disease and its measure goes with it.
"""

from __future__ import annotations

import re

_SHORT = {"乙型肝炎": "乙肝", "丙型肝炎": "丙肝", "乙型病毒性肝炎": "乙肝", "丙型病毒性肝炎": "丙肝"}
_FULL_RE = re.compile(rf"(?P<full>{'|'.join(sorted(_SHORT, key=len, reverse=True))})(?P<of>的)?(?=[\u4e00-\u9fff])")


def short_disease_names(name: str) -> str:
    """``乙型肝炎的母婴传播率`` → ``乙肝母婴传播率``; a name without such a disease as it is."""
    return _FULL_RE.sub(lambda m: _SHORT[m.group("full")], name)
