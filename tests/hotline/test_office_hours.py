"""Issue 21 leftover (m-j): in the practice histories of the hotline courses (handling.apply, the
lesson's TicketWalk) units and the centre's back office act in office hours — 08:30–12:00 and
14:30–18:00 Beijing time on working days — except on urgent and 水电气暖 tickets (on duty)."""
from __future__ import annotations

from datetime import datetime, time

import pytest

from sandbox.base.calendar import default_calendar
from sandbox.hotline.desk import make_queue
from sandbox.hotline.handling import apply, reference_decisions
from sandbox.hotline.taxonomy import BY_LEVEL2
from sandbox.hotline.tickets import office_time

CAL = default_calendar(True)
BACK_OFFICE = {"签收", "办理", "回复", "办结", "回访", "退单"}


def _in_office(at: datetime) -> bool:
    t = at.time()
    return CAL.is_working_day(at.date()) and (time(8, 30) <= t < time(12) or time(14, 30) <= t < time(18))


def test_office_time_moves_to_the_next_office_moment():
    assert office_time(datetime(2025, 6, 9, 12, 10), CAL) == datetime(2025, 6, 9, 14, 30)   # lunch
    assert office_time(datetime(2025, 6, 9, 7, 0), CAL) == datetime(2025, 6, 9, 8, 30)
    assert office_time(datetime(2025, 6, 13, 18, 5), CAL) == datetime(2025, 6, 16, 8, 30)  # Friday evening
    assert office_time(datetime(2025, 10, 1, 10, 0), CAL) == datetime(2025, 10, 9, 8, 30)  # National Day
    assert office_time(datetime(2025, 6, 9, 9, 15), CAL) == datetime(2025, 6, 9, 9, 15)


@pytest.mark.parametrize("seed", [11, 20250602, 424242])
def test_units_and_back_office_act_in_office_hours(seed):
    queue = make_queue(seed)
    outcomes = apply(queue, reference_decisions(queue))
    checked = 0
    for q, o in zip(queue.tickets, outcomes):
        if BY_LEVEL2.get(q.truth.level2) is not None and BY_LEVEL2[q.truth.level2].utility:
            continue  # on duty round the clock
        for when, action, note in o.history:
            if action in BACK_OFFICE or (action == "派单" and note.startswith("改派")):
                at = datetime.strptime(f"{q.received_at.year}-{when}", "%Y-%m-%d %H:%M")
                assert _in_office(at), (q.number, when, action)
                checked += 1
    assert checked > 50


def test_lesson_ticket_walk_steps_fall_in_office_hours():
    pytest.importorskip("ipywidgets")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "courses"))
    from coursekit.tickets import TicketWalk

    walk = TicketWalk()
    for step in ("分类", "派单", "签收", "办理", "回复", "办结", "回访"):
        walk.do(step)
    events = [e for e in walk.t.history if e.action not in ("受理", "分类")]
    assert len(events) >= 6 and all(_in_office(e.at) for e in events), [(e.action, e.at) for e in events]
