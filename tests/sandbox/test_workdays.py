from datetime import date, datetime

import pytest

from sandbox.base.calendar import CalendarRangeError, WorkCalendar, default_calendar, last_known_year


def test_adjusted_working_weekend_and_holiday():
    cal = default_calendar()
    assert cal.is_working_day(date(2024, 10, 12))  # adjusted working Saturday
    assert not cal.is_working_day(date(2024, 10, 1))  # National Day
    assert not cal.is_working_day(date(2024, 2, 12))  # Spring Festival
    assert cal.is_working_day(date(2024, 2, 4))  # Sunday made a working day before the Spring Festival


def test_add_working_days_skips_golden_week():
    cal = default_calendar()
    assert cal.add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)
    assert cal.working_days_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert cal.add_working_days(date(2024, 1, 5), 0) == date(2024, 1, 5)
    assert cal.add_working_days(date(2024, 1, 6), 0) == date(2024, 1, 8)


def test_working_hours_cross_the_weekend():
    cal = default_calendar()
    due = cal.add_working_hours(datetime(2024, 3, 1, 16, 0), 2)  # Friday 16:00 + 2 working hours
    assert due == datetime(2024, 3, 4, 10, 0)


def test_outside_the_calendar_is_a_clear_error():
    cal = default_calendar()
    # Past the last announced year: statutory holidays (see test_calendar_range); past the calendar built: an error.
    assert cal.last_year == last_known_year() + 2
    assert cal.is_working_day(date(last_known_year() + 1, 3, 3)) in (True, False)
    with pytest.raises(CalendarRangeError, match="超出工作日历范围"):
        cal.is_working_day(date(cal.last_year + 1, 3, 1))
    with pytest.raises(CalendarRangeError, match="工作日历从 2004 年开始"):
        cal.is_working_day(date(2003, 12, 31))
    with pytest.raises(CalendarRangeError):
        WorkCalendar(last_year=2150)
