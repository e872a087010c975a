"""The batch's timeline: each worker's waits, the serial part, and the speed-up it allows."""

from __future__ import annotations

import pytest

from childplan_analysis.batch.timeline import Span, Timeline, list_schedule


def span(key: str, worker: str, began: float, ended: float) -> Span:
    return Span(key, worker, began, ended, ended + 0.01, ended + 0.05)


def test_waits_of_each_worker_within_the_regions_window():
    t = Timeline(began=100.0, ended=130.0, spans=[
        span("a", "w1", 110.0, 114.0), span("b", "w1", 115.0, 119.0), span("c", "w2", 112.0, 117.0),
        span("d", "w2", 117.0, 121.0)])
    assert t.first_start == 110.0 and t.last_end == 121.0 and t.regions_window == 11.0
    assert t.busy == 4 + 4 + 5 + 4
    w = t.workers()
    assert (w["w1"].regions, w["w1"].busy, w["w1"].before, w["w1"].between, w["w1"].after) == (2, 8.0, 0.0, 1.0, 2.0)
    assert (w["w2"].regions, w["w2"].busy, w["w2"].before, w["w2"].between, w["w2"].after) == (2, 9.0, 2.0, 0.0, 0.0)
    for one in w.values():  # a worker's window is its busy time and its waits
        assert one.busy + one.before + one.between + one.after == pytest.approx(t.regions_window)


def test_amdahl_bound_from_the_serial_part_of_a_one_worker_batch():
    # one worker: 4 s before its first region, four regions of 2 s with 0.5 s waits, 2 s after
    spans = [span(str(i), "w", 104.0 + 2.5 * i, 106.0 + 2.5 * i) for i in range(4)]
    t = Timeline(began=100.0, ended=spans[-1].ended + 2.0, spans=spans)
    assert t.serial() == pytest.approx({"before": 4.0, "between": 1.5, "after": 2.0})
    f = 7.5 / (7.5 + 8.0)
    assert t.serial_fraction() == pytest.approx(f)
    assert t.amdahl_bound(2) == pytest.approx(1 / (f + (1 - f) / 2))
    assert t.amdahl_bound(1) == pytest.approx(1.0)
    # regions only: just the waits between regions are serial
    assert t.amdahl_bound(2, whole=False) == pytest.approx(9.5 / (1.5 + 4.0))
    # four whole regions of 2 s on two workers: two each, as Amdahl's even share
    assert t.schedule_bound(2, whole=False) == pytest.approx(t.amdahl_bound(2, whole=False))
    # without any serial part two workers could halve it; one worker's timeline bounds nothing more
    ideal = Timeline(began=104.0, ended=114.0, spans=[span(str(i), "w", 104.0 + 2.5 * i, 104.0 + 2.5 * i + 2.5)
                                                      for i in range(4)])
    assert ideal.amdahl_bound(2) == pytest.approx(2.0)


def test_whole_regions_in_order_bound_the_speed_up_beyond_amdahl():
    assert list_schedule([3, 3, 2, 2, 2], 2) == 7  # the last region runs alone
    assert list_schedule([1.0] * 12, 2) == 6 and list_schedule([1.0] * 13, 2) == 7
    assert list_schedule([5, 1, 1, 1, 1, 1], 2) == 5  # the longest first: the rest fit beside it
    assert list_schedule([1, 1, 1, 1, 1, 5], 2) == 7  # the longest last: it runs alone at the end
    assert list_schedule([], 3) == 0
    spans = [span(str(i), "w", 10.0 * i, 10.0 * i + s) for i, s in enumerate([1, 1, 1, 1, 1, 5])]
    t = Timeline(began=0.0, ended=55.0, spans=spans)
    assert t.schedule_bound(2, whole=False) < t.amdahl_bound(2, whole=False)
