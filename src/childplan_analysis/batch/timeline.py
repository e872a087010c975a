"""When each region of a batch ran, on which worker, and what that allows more workers to gain.

A :class:`Timeline` holds one :class:`Span` per region run (the worker, when it started and ended
the region, when the parent had received and stored it) and the batch's own start and end. From
it: how long each worker waited (before its first region, between two, after its last), which part
of the batch no added worker shortens (the *serial* part: everything before the first region,
the gaps in which the worker waited for the parent, and the batch files written after the last
region), and so the best speed-up ``n`` workers could give by Amdahl's law. :func:`list_schedule`
adds that regions are whole: ``n`` workers taking the regions in the batch's order never finish
before the last one they took.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """One region run: the worker that ran it and four ``time.time()`` instants."""

    key: str
    worker: str
    began: float
    ended: float
    #: The parent had the outcome (it crossed the process boundary) ...
    received: float
    #: ... and had written the region's files.
    stored: float

    @property
    def seconds(self) -> float:
        return self.ended - self.began


@dataclass(frozen=True)
class WorkerTime:
    """One worker's share of the regions' window (first region started until last ended)."""

    regions: int
    busy: float
    #: Seconds it waited: for its first region, between two of its regions, after its last.
    before: float
    between: float
    after: float


@dataclass
class Timeline:
    """The regions a batch ran and the batch's start and end (``time.time()`` values)."""

    began: float
    ended: float = 0.0
    spans: list[Span] = field(default_factory=list)

    @property
    def first_start(self) -> float:
        return min((s.began for s in self.spans), default=self.began)

    @property
    def last_end(self) -> float:
        return max((s.ended for s in self.spans), default=self.began)

    @property
    def regions_window(self) -> float:
        """Seconds from the first region's start to the last region's end."""
        return max(0.0, self.last_end - self.first_start) if self.spans else 0.0

    @property
    def busy(self) -> float:
        """Seconds of region work, summed over the workers (the part more workers share out)."""
        return sum(s.seconds for s in self.spans)

    def workers(self) -> dict[str, WorkerTime]:
        """Per worker: regions, busy seconds and waits within the regions' window."""
        by_worker: dict[str, list[Span]] = {}
        for span in self.spans:
            by_worker.setdefault(span.worker, []).append(span)
        first, last, out = self.first_start, self.last_end, {}
        for worker, spans in by_worker.items():
            spans.sort(key=lambda s: s.began)
            between = sum(max(0.0, b.began - a.ended) for a, b in zip(spans, spans[1:], strict=False))
            out[worker] = WorkerTime(len(spans), sum(s.seconds for s in spans), max(0.0, spans[0].began - first),
                                     between, max(0.0, last - spans[-1].ended))
        return out

    def serial(self) -> dict[str, float]:
        """Seconds no added worker shortens, of a batch run by **one** worker: ``before`` the
        first region (loading, planning and the worker's warm-up, which every worker pays at the
        same time), ``between`` regions (the worker waiting for the parent), and ``after`` the
        last region (collecting the results, writing the summary, workbook and index)."""
        return {"before": max(0.0, self.first_start - self.began) if self.spans else 0.0,
                "between": sum(w.between for w in self.workers().values()),
                "after": max(0.0, self.ended - self.last_end) if self.spans else 0.0}

    def serial_fraction(self, whole: bool = True) -> float:
        """The serial part's share of the batch's seconds (``whole=False``: of the regions'
        window only, where only ``between`` counts)."""
        parts = self.serial()
        serial = sum(parts.values()) if whole else parts["between"]
        total = serial + self.busy
        return serial / total if total > 0 else 0.0

    def amdahl_bound(self, workers: int, whole: bool = True) -> float:
        """Amdahl's law: the best speed-up ``workers`` workers could give over the one-worker
        batch this timeline is of, given its serial fraction."""
        f = self.serial_fraction(whole)
        return 1.0 / (f + (1.0 - f) / max(1, workers))

    def schedule_bound(self, workers: int, whole: bool = True) -> float:
        """As :meth:`amdahl_bound`, with regions taken whole in the batch's order by the first
        free worker (:func:`list_schedule`) instead of shared out evenly."""
        parts = self.serial()
        serial = sum(parts.values()) if whole else parts["between"]
        ordered = sorted(self.spans, key=lambda s: s.began)
        makespan = list_schedule([s.seconds for s in ordered], workers)
        bound = serial + makespan
        return (serial + self.busy) / bound if bound > 0 else 1.0


def list_schedule(seconds: Iterable[float], workers: int) -> float:
    """When the last of ``seconds`` ends if ``workers`` take them in this order, each the next
    one as soon as it is free (what the process pool does)."""
    free = [0.0] * max(1, workers)
    for s in seconds:
        heapq.heapreplace(free, free[0] + s)
    return max(free)
