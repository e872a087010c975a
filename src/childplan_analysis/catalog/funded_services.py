"""A sum put into a service for people, and the people it serves (``安排专项资金300万元为1.2万名女职工开展…筛查``).

The sum is a floor of the funds for that service, named by the people and the service and the kind of money
written (``女职工两癌免费筛查专项资金`` ≥ 3000000 元; ``资金`` when no kind is written); the people are counted
as :func:`~childplan_analysis.catalog.people_counts.people_count` counts them. A service told as an event
(``…筛查关爱活动``) is named by the service (``两癌免费筛查``).
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.people_counts import PeopleCount, people_count

Reading = tuple[str, str, float, float | None, str]

_MULT = {"万": 1e4, "亿": 1e8, "": 1.0}
#: The body, the verb of putting money in, the kind of money, the sum, then the people served.
_FUND_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,10}?(?:将|要|拟|计划|还将))?(?:共|再)?(?:投|投入|安排|筹措|拿出|划拨|落实)"
    r"(?P<kind>专项资金|专项经费|资金|经费)?(?P<v>\d+(?:\.\d+)?)(?P<mult>万|亿)?元(?P<kind2>专项资金|专项经费)?"
    r"(?:用于)?(?P<rest>(?:为|对|向|给).+)$"
)
#: An event word after the service (``…筛查关爱活动``): the service is what is funded and given.
_EVENT_RE = re.compile(r"(?:关爱|公益|惠民)?活动$")


def _service(count: PeopleCount) -> tuple[str, str, str]:
    """``两癌免费筛查关爱活动的女职工人数`` → (``两癌免费筛查``, ``女职工``, ``人数``)."""
    act, _, rest = count.name.rpartition("的")
    head = next(h for h in ("人次", "对数", "人数") if rest.endswith(h))
    service = _EVENT_RE.sub("", act)
    return (service if len(service) >= 2 else act), rest.removesuffix(head), head


def funded_service(s: str) -> list[Reading] | None:
    """``广东工会将投300万元为1.2万名女职工免费筛查两癌`` → ``女职工两癌免费筛查资金`` ≥ 3000000 元 and
    ``两癌免费筛查的女职工人数`` ≥ 12000; None when ``s`` puts no sum into a service for people counted."""
    m = _FUND_RE.match(s)
    if m is None:
        return None
    counts = people_count(m.group("rest"))
    if not counts:
        return None
    service, who, _ = _service(counts[0])
    kind = m.group("kind") or m.group("kind2") or "资金"
    out: list[Reading] = [(f"{who}{service}{kind}", ">=", float(m.group("v")) * _MULT[m.group("mult") or ""], None, "元")]
    for count in counts:
        act, people, head = _service(count)
        out.append((f"{act}的{people}{head}", ">" if count.over else ">=", count.value, None, count.unit))
    return out
