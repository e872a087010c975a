"""Responsible units set on lines of their own under a goal (a target-responsibility table flattened
to text: ``——降低…死亡率`` / ``省卫生厅`` / ``省教育厅`` / ``——…``).

Such a line names a government department or a people's organisation, not a goal: it is kept as the
goal's responsible unit (``（省卫生厅、省教育厅负责）`` after the goal, as plans write it inline) and
never joined to the goal before or after it.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.responsibility import is_responsible_line, split_responsible

#: A department named with its level (``省卫生厅``, ``市教育局``, ``省人口计生委``, ``区妇儿工委办``), a
#: department of any prefix ending in 厅, 局 or 委员会 (``广东出入境检验检疫局``), or a people's organisation
#: (``妇联``, ``省残联``, ``团省委``, ``省总工会``, ``省红十字会``).
_BODY_RE = re.compile(
    r"^(?:"
    r"(?:省|市|县|区|州|盟|旗|自治区|国家|中央)[\u4e00-\u9fff]{1,12}?(?:厅|局|委|委员会|办|办公室|部|院|署)"
    r"|[\u4e00-\u9fff]{2,14}?(?:厅|局|委员会)"
    r"|(?:省|市|县|区|州|盟|旗|自治区|全国|中华全国)?"
    r"(?:妇联|残联|科协|总工会|工会|团委|关工委|红十字会|计生协|妇女联合会|残疾人联合会|妇儿工委(?:办)?)"
    r"|团(?:省|市|县|区)委"
    r")$"
)
#: Words that end a goal or a heading, never a unit's name (``…死亡率``, ``…目标``).
_NOT_BODY_RE = re.compile(r"率|比例|目标|任务|措施|领域|单位")


def is_body_line(line: str) -> bool:
    """Whether ``line`` names one responsible unit and nothing else."""
    compact = re.sub(r"\s+", "", line)
    return bool(_BODY_RE.match(compact)) and not _NOT_BODY_RE.search(compact)


def fold_body_lines(lines: list[str]) -> list[str]:
    """Attach each run of responsible-unit lines (a unit's name, or a note such as ``责任单位：…``) to the
    line before it as ``（A、B负责）``; a run with
    no line before it, or after a heading-like line ending in a colon, is dropped."""
    out: list[str] = []
    bodies: list[str] = []

    def flush() -> None:
        if bodies and out and not out[-1].rstrip().endswith((":", "：")):
            out[-1] = out[-1].rstrip() + "（" + "、".join(bodies) + "负责）"
        bodies.clear()

    for line in lines:
        if is_body_line(line):
            bodies.append(re.sub(r"\s+", "", line))
            continue
        if is_responsible_line(line):
            bodies.extend(u for u in split_responsible(line.strip())[1] if u not in bodies)
            continue
        flush()
        out.append(line)
    flush()
    return out


__all__ = ["fold_body_lines", "is_body_line"]
