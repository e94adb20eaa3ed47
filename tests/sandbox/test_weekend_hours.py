"""周末不打烊 respects holidays; 调休上班 days have weekday hours (issue 14 point 6). Fails on the old behaviour."""
from __future__ import annotations

import sandbox as sb


def test_weekend_opening_respects_holiday_blocks():
    from datetime import date
    from sandbox.hall.day import sessions_of
    from sandbox.hall.context import build_context
    s = sb.default_scenario().evolve({"hours.saturday": [["09:00", "12:00"]], "hours.sunday": [["09:00", "12:00"]]})
    ctx = build_context(s, 1, date(2025, 1, 1), 300)
    for d in (date(2025, 2, 1), date(2025, 2, 2), date(2025, 4, 5), date(2025, 4, 6), date(2025, 5, 3),
              date(2025, 5, 4), date(2025, 10, 4), date(2025, 10, 5)):
        assert sessions_of(ctx, d) is None, d  # weekend days inside holiday blocks
    assert sessions_of(ctx, date(2025, 3, 1)) is not None  # an ordinary Saturday: 周末不打烊
    sat = sessions_of(ctx, date(2025, 3, 1))[2]
    weekday_close = sessions_of(ctx, date(2025, 3, 3))[2]
    adjusted = sessions_of(ctx, date(2025, 1, 26))  # 调休上班 Sunday before 春节
    assert adjusted is not None and adjusted[2] == weekday_close != sat
